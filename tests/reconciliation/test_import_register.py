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


def _row(**changes):
    row = dict(zip(HEADER, ROWS[0], strict=True))
    row.update(changes)
    return [row[title] for title in HEADER]


def test_snils_of_a_registered_person_with_another_name_and_birth_date_is_an_error(
    office, catalogue, tmp_path, capsys
):
    call_command("import_register", str(write_csv(tmp_path / "a.csv", HEADER, ROWS)), "--office", office.code)  # fmt: skip
    capsys.readouterr()
    before = list(Applicant.objects.values_list("last_name", "first_name", "birth_date"))
    history = Applicant.history.count()
    other = _row(**{"Фамилия": "Иванова", "Имя": "Мария", "Отчество": "Сергеевна", "Дата рождения": "02.02.1985"})  # fmt: skip
    path = write_csv(tmp_path / "b.csv", HEADER, [other])
    for args in (["--dry-run"], []):
        with pytest.raises(CommandError) as info:
            call_command("import_register", str(path), "--office", office.code, *args)
        message = str(info.value)
        assert "строка 2, поле «СНИЛС»: СНИЛС 112-233-445 95 уже у заявителя Алексеева\u00a0А.\u00a0П., 01.05.1990 г. р." in message  # fmt: skip
        assert "в файле — Иванова Мария Сергеевна, 02.02.1985" in message
        assert "ничего не записано" in message
    assert list(Applicant.objects.values_list("last_name", "first_name", "birth_date")) == before
    assert Applicant.history.count() == history


def test_the_same_snils_with_two_names_in_one_file_is_an_error(office, catalogue, tmp_path):
    rows = [ROWS[0], _row(**{"Фамилия": "Иванова", "Мера": "child-allowance"})]
    with pytest.raises(CommandError) as info:
        call_command("import_register", str(write_csv(tmp_path / "c.csv", HEADER, rows)), "--office", office.code)  # fmt: skip
    assert "строка 3, поле «Фамилия»: у этого СНИЛС в строке 2 — Алексеева Анна Петровна" in str(info.value)  # fmt: skip
    assert not Applicant.objects.exists()


@pytest.mark.parametrize(
    "changes,message",
    [
        (
            {"Фамилия": "Сидopова"},
            "строка 2, поле «Фамилия»: латинские буквы «o», «p» среди русских в «Сидopова» — наберите русскими буквами",
        ),
        ({"Имя": "Anna"}, "строка 2, поле «Имя»: «Anna» набрано латинскими буквами"),
        ({"Фамилия": "=HYPERLINK(1)"}, "строка 2, поле «Фамилия»: недопустимый символ «=»"),
        ({"Фамилия": "Д" * 150}, "строка 2, поле «Фамилия»: не длиннее 100 знаков (здесь 150)"),
        (
            {"Адрес": "г. Волгоград, " + "у" * 600},
            "строка 2, поле «Адрес»: не длиннее 500 знаков (здесь 614)",
        ),
        ({"Телефон": "8" * 60}, "строка 2, поле «Телефон»: не длиннее 50 знаков (здесь 60)"),
        # the model's rules (Applicant's validators), as every entry applies them
        (
            {"Дата рождения": "01.01.2999"},
            "строка 2, поле «Дата рождения»: дата рождения не может быть в будущем",
        ),
        (
            {"Дата рождения": "31.12.1899"},
            "строка 2, поле «Дата рождения»: дата рождения не может быть раньше 01.01.1900",
        ),
        (
            {"СНИЛС": "112-233-445 96"},
            "строка 2, поле «СНИЛС»: неверное контрольное число СНИЛС — проверьте номер",
        ),
    ],
)
def test_names_and_lengths_are_checked_like_the_counter_form(
    office, catalogue, tmp_path, changes, message
):
    path = write_csv(tmp_path / "d.csv", HEADER, [_row(**changes)])
    with pytest.raises(CommandError) as info:
        call_command("import_register", str(path), "--office", office.code)
    assert message in str(info.value)
    assert not Applicant.objects.exists()


def test_a_snils_taken_after_the_check_is_refused_by_the_counter_rule(
    office, other_office, catalogue, tmp_path, monkeypatch
):
    """The import registers people through `cases.services`: a СНИЛС another office registered
    between the import's own check and its write is refused there, with the row, and nothing
    of the file is written."""
    from reconciliation import register_import
    from tests.factories import ApplicantFactory

    ApplicantFactory(office=other_office, snils="11223344595")
    monkeypatch.setattr(register_import, "_existing", lambda person, office: (None, None))
    path = write_csv(tmp_path / "register.csv", HEADER, ROWS)
    report = register_import.import_register(path, office=office)
    assert report.errors == [
        f"строка 2, поле «СНИЛС»: Заявитель с этим СНИЛС состоит на учёте в другом учреждении "
        f"({other_office}). Если он переехал в ваш район, запросите передачу его личного дела."
    ]
    assert Applicant.objects.filter(office=office).count() == 0
    assert not CaseFile.objects.exists() and not Entitlement.objects.exists()
