import pytest
from django.core.management import CommandError, call_command

from cases.models import Applicant, CaseFile, Entitlement
from tests.reconciliation.files import write_csv, write_xlsx

pytestmark = pytest.mark.django_db
HEADER = [
    "СНИЛС",
    "Фамилия",
    "Имя",
    "Отчество",
    "Дата рождения",
    "Пол",
    "Адрес",
    "Телефон",
    "Мера",
    "Дата назначения",
    "Дата окончания",
]
ROWS = [
    [
        "112-233-445 95",
        "Алексеева",
        "Анна",
        "Петровна",
        "01.05.1990",
        "Ж",
        "Волгоград",
        "",
        "unemployed-mothers",
        "01.02.2025",
        "",
    ],
    [
        "112-233-445 95",
        "Алексеева",
        "Анна",
        "Петровна",
        "01.05.1990",
        "Ж",
        "Волгоград",
        "",
        "child-allowance",
        "01.02.2024",
        "31.12.2024",
    ],
    ["", "Борисов", "Пётр", "Ильич", "12.07.1952", "М", "", "", "edv-veterans", "01.01.2010", ""],
]


def test_import_creates_people_case_files_and_measures_then_updates(
    office, catalogue, tmp_path, capsys
):
    path = write_csv(tmp_path / "register.csv", HEADER, ROWS)
    call_command("import_register", str(path), "--office", office.code, "--dry-run")
    out = capsys.readouterr().out
    assert "Заявителей: новых 2, обновляемых 0" in out and "Мер: новых 3, обновляемых 0" in out
    assert not Applicant.objects.exists()
    call_command("import_register", str(path), "--office", office.code)
    assert Applicant.objects.count() == 2 and CaseFile.objects.count() == 2
    anna = Applicant.objects.get(snils="11223344595")
    assert anna.sex == "F" and anna.reg_address == "Волгоград"
    statuses = dict(
        Entitlement.objects.filter(applicant=anna).values_list("service__code", "status")
    )
    assert statuses == {"unemployed-mothers": "active", "child-allowance": "stopped"}
    call_command(
        "import_register", str(path), "--office", office.code
    )  # again: updates, no duplicates
    assert "Заявителей: новых 0, обновляемых 2" in capsys.readouterr().out
    assert Applicant.objects.count() == 2 and Entitlement.objects.count() == 3


def test_file_with_errors_applies_nothing_and_names_row_and_field(office, catalogue, tmp_path):
    bad = [
        *ROWS,
        [
            "112-233-445 96",
            "Ошибкина",
            "Ия",
            "",
            "31.02.1950",
            "Ж",
            "",
            "",
            "no-such",
            "01.01.2020",
            "",
        ],
    ]
    path = write_xlsx(tmp_path / "register.xlsx", HEADER, bad)
    with pytest.raises(CommandError) as info:
        call_command("import_register", str(path), "--office", office.code)
    message = str(info.value)
    assert "строка 5, поле «СНИЛС»: неверное контрольное число СНИЛС — проверьте номер" in message
    assert "строка 5, поле «Дата рождения»: неверная дата «31.02.1950»" in message
    assert "строка 5, поле «Мера»: неизвестный код меры «no-such»" in message
    assert "ничего не записано" in message
    assert not Applicant.objects.exists() and not Entitlement.objects.exists()
