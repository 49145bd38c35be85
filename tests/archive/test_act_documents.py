"""Issue 16: the archive's acts carry every requisite an inspector looks for — the destruction
act (приказ Росархива № 77), the personal-data destruction act with its event-log export
(152-ФЗ ст. 21, приказ Роскомнадзора № 179) and the presence-check act; names in the case the
sentence needs, numerals agreeing."""

import datetime
import io
import os
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from archive import services
from archive.models import ArchivedFile, DestructionAct, Location, RetentionRule
from onewindow import roles
from tests.factories import ApplicantFactory, ArchivedFileFactory, make_user
from tests.pdf_utils import pdf_text

pytestmark = pytest.mark.django_db
D = datetime.date
PERECHEN = "приказ Росархива от 20.12.2019 № 236"


def joined(text: str) -> str:
    """A double-barrelled name wrapped at its hyphen in a narrow cell reads whole again."""
    return text.replace("- ", "-")


def save_png(pdf: bytes, name: str) -> None:
    """Renders to look at (the brief asks for /tmp/doc-*.png: the first page; the others as
    /tmp/doc-*-N.png); skipped without pdftoppm."""
    path = f"/tmp/{name}"
    try:
        with open(f"{path}.pdf", "wb") as f:
            f.write(pdf)
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", f"{path}.pdf", path], check=True, capture_output=True
        )
        os.unlink(f"{path}.pdf")
        os.replace(f"{path}-1.png", f"{path}.png")
    except (OSError, subprocess.CalledProcessError):
        pass


@pytest.fixture
def people(office):
    office.address = "400105, г. Волгоград, ул. Богунская, д. 14"
    office.save()
    u = {
        "ivanov": make_user(roles.CHIEF, office, "ivanov", last_name="Иванов", first_name="Пётр",
                            middle_name="Сергеевич", position="заместитель директора"),
        "volkova": make_user(roles.ARCHIVIST, office, "volkova", last_name="Волкова", first_name="Ирина",
                             middle_name="Павловна", position="архивариус"),
        "rimskaya": make_user(roles.SPECIALIST, office, "rimskaya", last_name="Римская-Корсакова",
                              first_name="Анна", middle_name="Павловна", position="главный специалист"),
        "kim": make_user(roles.SPECIALIST, office, "kim", last_name="Ким", first_name="Анна",
                         middle_name="", position="специалист"),
        "director": make_user(roles.DIRECTOR, office, "dir", last_name="Сергеева", first_name="Ольга",
                              middle_name="Викторовна", position="директор"),
    }  # fmt: skip
    return u


@pytest.fixture
def box(office):
    room = Location.objects.create(office=office, kind="room", name="101")
    return Location.objects.create(office=office, kind="box", name="К-1", parent=room)


def archived(office, box, actor, number, year, *, last, first, middle="", sex="M", sheets=40):
    person = ApplicantFactory(office=office, last_name=last, first_name=first, middle_name=middle,
                              sex=sex, birth_date=D(1950, 3, 15))  # fmt: skip
    return ArchivedFileFactory(
        actor=actor, applicant=person, archive_number=number, sheets=sheets,
        title=f"Личное дело {last}", end_date=D(year, 6, 30), location=box,
    )  # fmt: skip


def agree_and_approve(act, people):
    services.agree_act(
        act, actor=people["ivanov"], protocol_number="4", protocol_date=D(2026, 11, 20)
    )
    services.approve_act(act, actor=people["director"])


def test_shipped_retention_rule_cites_the_2019_list_and_the_act_cites_one_basis(catalogue):
    rule = RetentionRule.objects.get(code="benefit-recipient")
    assert PERECHEN in rule.legal_basis and "558" not in rule.legal_basis
    assert rule.act_reference.startswith("5 лет, ст. ") and "900" not in rule.act_reference
    assert PERECHEN in rule.act_basis and "ст." not in rule.act_basis


def test_destruction_acts_totals_record_of_destruction_and_pd_act_with_event_log(
    client, office, box, people, catalogue
):
    volkova = people["volkova"]
    # act 1: one file of 2019
    archived(office, box, volkova, "19-001", 2019, last="Соколов", first="Олег", middle="Ильич")
    act1 = services.draft_act(actor=volkova, act_date=D(2026, 11, 24))
    # act 2: two files of 2019
    for n in (2, 3):
        archived(
            office, box, volkova, f"19-00{n}", 2019, last="Орлов", first="Илья", middle="Ильич"
        )
    act2 = services.draft_act(actor=volkova, act_date=D(2026, 11, 24))
    # act 3: five files of 2018–2019, the subjects named in the personal-data act
    archived(
        office,
        box,
        volkova,
        "19-010",
        2019,
        last="Иванов",
        first="Пётр",
        middle="Сергеевич",
        sheets=48,
    )
    archived(
        office,
        box,
        volkova,
        "18-011",
        2018,
        last="Римская-Корсакова",
        first="Анна",
        middle="Павловна",
        sex="F",
        sheets=30,
    )
    archived(office, box, volkova, "18-012", 2018, last="Ким", first="Анна", sex="F", sheets=12)
    archived(
        office,
        box,
        volkova,
        "18-013",
        2018,
        last="Волкова",
        first="Ирина",
        middle="Павловна",
        sex="F",
        sheets=5,
    )
    archived(office, box, volkova, "19-014", 2019, last="Петров", first="Игорь", middle="Ильич", sheets=5)  # fmt: skip
    act3 = services.draft_act(actor=volkova, act_date=D(2026, 11, 24))
    client.force_login(volkova)

    def act_text(act):
        return pdf_text(client.get(reverse("archive:act_pdf", args=[act.pk])).content)

    assert "Итого 1 дело за 2019 год." in act_text(act1)
    assert "Итого 2 дела за 2019 год." in act_text(act2)

    agree_and_approve(act3, people)
    # the execute step refuses a record without method or weight, and writes nothing
    page = reverse("archive:act", args=[act3.pk])
    html = client.post(page, {"step": "execute", "confirm": "1", "method": "recycling", "volume": "3,5 кг"},
                       follow=True).content.decode()  # fmt: skip
    assert "Укажите организацию, которой дела переданы на переработку." in html
    html = client.post(
        page, {"step": "execute", "confirm": "1", "method": "shredding"}, follow=True
    ).content.decode()
    assert "Укажите массу или объём уничтоженных дел" in html
    act3.refresh_from_db()
    assert act3.status == DestructionAct.Status.APPROVED
    assert ArchivedFile.objects.filter(status="destroyed").count() == 0
    html = client.post(page, {
        "step": "execute", "confirm": "1", "method": "recycling", "volume": "3,5 кг", "destroyed_on": "2026-11-24",
        "recycler": "ООО «Вторресурс»", "handover_number": "17", "handover_date": "2026-11-24",
    }, follow=True).content.decode()  # fmt: skip
    assert f"Уничтожение дел по акту № {act3.number} отмечено" in html
    # the act's page offers the PD act and both exports of its event log
    for label in ("Акт об уничтожении ПД (PDF)", "Журнал событий уничтожения (PDF)",
                  "Журнал событий уничтожения (XLSX)"):  # fmt: skip
        assert label in html

    pdf = client.get(reverse("archive:act_pdf", args=[act3.pk])).content
    save_png(pdf, "doc-destruction-act")
    text = pdf_text(pdf)
    assert "УТВЕРЖДАЮ" in text and f"АКТ № {act3.number}" in text
    assert "Основание: Перечень типовых управленческих архивных документов" in text
    assert f"({PERECHEN})." in text and "558" not in text and "ст. 900" not in text
    assert text.count("5 лет, ст. 477") == 5
    assert "Итого 5 дел за 2018–2019 годы." in text
    assert "Волкова Ирина Павловна, 24.11.2026" in text  # the compiler's signature, dated
    assert "СОГЛАСОВАНО. Протокол ЭК от 20.11.2026 № 4" in text
    assert "Документы в количестве 5 дел за 2018–2019 годы уничтожены 24.11.2026." in text
    assert (
        "Способ уничтожения: передача на переработку (утилизацию); масса (объём): 3,5 кг." in text
    )
    assert "Кому переданы: ООО «Вторресурс», накладная № 17 от 24.11.2026." in text
    assert "Уничтожение произвела: архивариус" in text
    assert "Изменения в учётные документы внесены." in text
    assert text.count("Волкова Ирина Павловна, 24.11.2026") == 3  # compiler, destroyed, records

    pdf = client.get(reverse("archive:pd_act_pdf", args=[act3.pk])).content
    save_png(pdf, "doc-pd-act")
    pd = joined(pdf_text(pdf))
    assert "АКТ № 1 ОБ УНИЧТОЖЕНИИ ПЕРСОНАЛЬНЫХ ДАННЫХ" in pd and "24.11.2026" in pd
    for name in ("Иванов Пётр Сергеевич", "Римская-Корсакова Анна Павловна", "Ким Анна",
                 "Волкова Ирина Павловна"):  # fmt: skip
        assert name in pd, name
    assert "фамилия, имя, отчество; дата и место рождения; СНИЛС" in pd
    assert "бумажные личные дела: 5 дел, 100 листов" in pd and "информационная система" in pd
    assert "№ 19-010" in pd and "(48 листов)" in pd  # the subject's file and its sheets
    assert (
        "передача на переработку (утилизацию) (ООО «Вторресурс», накладная № 17 от 24.11.2026)"
        in pd
    )
    assert "удаление записей и обезличивание сведений" in pd
    assert (
        "без возможности восстановления; в резервных копиях базы данных — по истечении срока их хранения (30 дней)"
        in pd
    )
    assert (
        f"истечение сроков хранения (акт о выделении к уничтожению № {act3.number} от 24.11.2026)"
        in pd
    )
    assert "Уничтожение произвела:" in pd and "Архивариус" in pd
    assert "24.11.2026 10:00" in pd  # the event log: local time (Europe/Volgograd)

    log = joined(pdf_text(client.get(reverse("archive:pd_event_log", args=[act3.pk])).content))
    assert "ВЫГРУЗКА ИЗ ЖУРНАЛА РЕГИСТРАЦИИ СОБЫТИЙ" in log
    assert log.count("24.11.2026 10:00:00") == 5  # one destruction event per subject
    for name in ("Иванов Пётр Сергеевич", "Римская-Корсакова Анна Павловна", "Ким Анна"):
        assert name in log, name
    assert "Волкова Ирина Павловна, архивариус" in log and "Уничтожение персональных данных" in log
    assert "истечение сроков хранения" in log and "заголовки и учётные записи дел в архиве" in log

    response = client.get(reverse("archive:pd_event_log", args=[act3.pk]) + "?format=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row and row[0] == "№ п/п")
    events = [row for row in rows[header + 1 :] if row and row[0]]
    assert len(events) == 5
    by_subject = {row[3].split(",")[0]: row for row in events}
    assert set(by_subject) == {"Иванов Пётр Сергеевич", "Римская-Корсакова Анна Павловна", "Ким Анна",
                               "Волкова Ирина Павловна", "Петров Игорь Ильич"}  # fmt: skip
    ivanov = by_subject["Иванов Пётр Сергеевич"]
    assert ivanov[1] == "24.11.2026 10:00:00" and "архив" in ivanov[4]
    assert ivanov[5] == "Волкова Ирина Павловна, архивариус" and ivanov[6] == "volkova"
    assert ivanov[7].startswith("истечение сроков хранения")


def test_presence_check_act_has_number_place_commission_condition_and_issued_files(
    client, office, box, people, catalogue
):
    volkova = people["volkova"]
    files = [
        archived(office, box, volkova, f"20-00{n}", 2020, last=last, first="Олег", middle="Ильич")
        for n, last in enumerate(("Первов", "Второв", "Третьев"), start=1)
    ]
    services.issue_file(files[0], actor=volkova, to_user=people["rimskaya"], purpose="проверка",
                        due_back=D(2026, 11, 27))  # fmt: skip
    services.issue_file(files[1], actor=volkova, to_user=people["kim"], purpose="проверка",
                        due_back=D(2026, 11, 30))  # fmt: skip
    client.force_login(volkova)
    # the chair must be one of the members
    html = client.post(reverse("archive:checks"), {
        "order_number": "12", "order_date": "2026-11-20", "chair": people["director"].pk,
        "commission": [people[k].pk for k in ("ivanov", "volkova", "rimskaya", "kim")],
    }, follow=True).content.decode()  # fmt: skip
    assert "Председатель комиссии — один из её членов" in html
    client.post(reverse("archive:checks"), {
        "order_number": "12", "order_date": "2026-11-20", "chair": people["ivanov"].pk,
        "commission": [people[k].pk for k in ("ivanov", "volkova", "rimskaya", "kim")],
    })  # fmt: skip
    check = office_check = __import__(
        "archive.models", fromlist=["InventoryCheck"]
    ).InventoryCheck.objects.get()
    services.scan(check, "20-003", actor=volkova)
    client.post(reverse("archive:check_finish", args=[check.pk]), {
        "confirm": "1", "condition": "удовлетворительное", "condition_notes": "у дела № 20-003 надорван корешок",
    })  # fmt: skip
    pdf = client.get(reverse("archive:check_act", args=[office_check.pk])).content
    save_png(pdf, "doc-check-act")
    text = joined(pdf_text(pdf))
    assert "АКТ № 1 ПРОВЕРКИ НАЛИЧИЯ ДЕЛ" in text
    assert (
        "Место проведения: 400105, г. Волгоград, ул. Богунская, д. 14; архивное помещение 101."
        in text
    )
    assert "проведена с 24.11.2026 по 24.11.2026" in text
    assert "Председатель комиссии Иванов Пётр Сергеевич заместитель директора" in text
    assert "Член комиссии Римская-Корсакова Анна Павловна главный специалист" in text
    assert "Член комиссии Ким Анна специалист" in text
    assert "Член комиссии Волкова Ирина Павловна архивариус" in text
    assert "Физическое состояние дел удовлетворительное; у дела № 20-003 надорван корешок" in text
    assert "Выдано во временное пользование 2" in text
    assert "Римской-Корсаковой Анне Павловне, главный специалист 24.11.2026 27.11.2026" in text
    assert "Ким Анне, специалист 24.11.2026 30.11.2026" in text
    assert "Председатель комиссии: заместитель директора Иванов Пётр Сергеевич, 24.11.2026" in text


def test_data_migration_moves_only_rules_still_citing_the_repealed_list(catalogue):
    import importlib

    from django.apps import apps

    from archive.defaults import BENEFIT_RECIPIENT_BASIS, REPEALED_BENEFIT_RECIPIENT_BASIS

    migration = importlib.import_module("archive.migrations.0008_retention_rules_cite_2019_list")
    old = RetentionRule.objects.get(code="benefit-recipient")
    old.legal_basis = REPEALED_BENEFIT_RECIPIENT_BASIS
    old.save()
    edited = RetentionRule.objects.create(code="regional", title="Региональные", years=3,
                                          legal_basis="Областной перечень, ст. 12")  # fmt: skip
    migration.forwards(apps, None)
    old.refresh_from_db()
    edited.refresh_from_db()
    assert old.legal_basis == BENEFIT_RECIPIENT_BASIS
    assert edited.legal_basis == "Областной перечень, ст. 12"
