"""The archive's people walk their work by clicking (issue 13): the archivist takes a closed file
in, issues it, takes it back, checks presence and drafts the destruction act; the chief records
the expert commission's agreement, the director approves, the archivist marks the files
destroyed; a file still in work is refused, and an archived one is returned into work."""

import datetime
import io

import pytest
from playwright.sync_api import expect

from archive import services as archive_services
from archive.models import ArchivedFile, DestructionAct, Location, RetentionRule
from cases import services as counter
from cases.models import CaseFile, Entitlement
from onewindow import roles
from services.models import Service
from tests.browser.conftest import login
from tests.conftest import PASSWORD
from tests.factories import ApplicantFactory, counter_marks, make_user
from tests.pdf_utils import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = datetime.date


@pytest.fixture
def box(office):
    room = Location.objects.create(office=office, kind="room", name="101")
    return Location.objects.create(office=office, kind="box", name="К-15", parent=room)


def closed_case_file(office, actor, last_name: str) -> CaseFile:
    """A recipient's file opened in 2018 whose only measure stopped on 30.06.2020."""
    person = ApplicantFactory(office=office, snils="", last_name=last_name)
    case_file = counter.ensure_case_file(person, actor=actor, on=D(2018, 1, 1))
    measure = Entitlement.objects.create(office=office, applicant=person, case_file=case_file,
                                         service=Service.objects.get(code="asp"), start_date=D(2018, 1, 1))  # fmt: skip
    counter.change_entitlement_status(
        measure, "stopped", actor=actor, reason="снят с учёта", on=D(2020, 6, 30)
    )
    return case_file


def open_section(page, name: str) -> None:
    page.get_by_role("navigation", name="Разделы").get_by_role("link", name=name).click()


def log_out(page) -> None:
    page.get_by_role("button", name="Выйти").click()
    expect(page.get_by_label("Имя пользователя")).to_be_visible()


def test_archivist_takes_in_issues_returns_checks_and_drafts_the_act(
    page, live_server, archivist, chief, specialist, office, box, catalogue
):
    make_user(roles.SPECIALIST, office, "member3", last_name="Третьякова", first_name="Нина")
    case_file = closed_case_file(office, archivist, "Архивов")
    # a file still in work: its owner has an application in progress
    busy = closed_case_file(office, archivist, "Занятов")
    service = Service.objects.get(code="edv-veterans")
    marks = counter_marks(service.version_on(D(2026, 11, 24)))
    application = counter.register_application(
        busy.applicant, service, actor=specialist, marks=marks
    )

    login(page, live_server, "archivist", PASSWORD)
    open_section(page, "Архив")
    page.get_by_role("link", name="Принять дело в архив").click()
    page.get_by_label("Номер личного дела (ЛД)").fill(str(busy.number))
    page.get_by_label("Архивный номер").fill("2020-001")
    page.get_by_label("Правило хранения").select_option(
        label="Личные дела получателей пособий и мер социальной поддержки"
    )
    page.get_by_label("Крайние даты: с").fill("2018-01-01")
    page.get_by_label("по", exact=True).fill("2020-06-30")
    page.get_by_label("Снят с учёта (пусто — конечная дата)").fill("2020-06-30")
    page.get_by_label("Листов").fill("48")
    page.get_by_label("Короб").select_option(label="помещение 101 / короб К-15")
    page.get_by_role("button", name="Принять в архив").click()
    refusal = page.locator(".field-error, .message-error")
    expect(refusal).to_contain_text(f"Личное дело {busy.number_display} ещё в работе")
    expect(refusal).to_contain_text(f"№ {application.number_display}")

    page.get_by_label("Номер личного дела (ЛД)").fill(str(case_file.number))
    page.get_by_role("button", name="Принять в архив").click()
    expect(page.get_by_role("heading", name="Дело № 2020-001")).to_be_visible()
    expect(page.get_by_text("Дело принято в архив под № 2020-001")).to_be_visible()
    expect(page.locator("main")).to_contain_text("01.01.2018 – 30.06.2020")

    page.get_by_label("Кому").select_option(label=str(specialist))
    page.get_by_label("Цель выдачи").fill("проверка права на меру")
    page.get_by_role("button", name="Выдать").click()
    expect(page.get_by_text("Дело выдано до 25.11.2026")).to_be_visible()
    page.get_by_role("link", name="Карточка выдачи").click()
    expect(page.get_by_role("heading", name="Контрольная карточка выдачи")).to_be_visible()
    page.get_by_role("button", name="Принять дело обратно").click()
    expect(page.get_by_text("Дело возвращено в архив.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("в архиве")

    page.locator(".breadcrumbs").get_by_role("link", name="Архив").click()
    page.get_by_role("link", name="Проверки наличия").click()
    page.get_by_label("Номер приказа директора").fill("27")
    page.get_by_label("Дата приказа").fill("2026-11-20")
    for name in ("Волкова", "Смирнова", "Третьякова"):
        page.get_by_label(name, exact=False).check()
    page.get_by_label("Председатель комиссии (один из членов)").select_option(label=str(archivist))
    page.get_by_role("button", name="Начать проверку").click()
    field = page.get_by_label("Отсканируйте ярлык или введите архивный номер и нажмите Enter")
    field.type("ARCH:krasnooktyabrsky:2020-001")
    field.press("Enter")
    expect(page.locator("#progress")).to_contain_text("Найдено 1 из 1")
    page.get_by_role("link", name="Завершить проверку…").click()
    expect(page.get_by_text("Все дела, числящиеся в архиве, отмечены.")).to_be_visible()
    page.get_by_role("button", name="Да, завершить проверку").click()
    expect(page.get_by_text("Проверка завершена")).to_be_visible()

    page.locator(".breadcrumbs").get_by_role("link", name="Проверки наличия").click()
    page.locator(".breadcrumbs").get_by_role("link", name="Архив").click()
    page.get_by_role("link", name="Уничтожение").click()
    expect(page.locator("main")).to_contain_text("истёк к 1 января 2026 года")
    page.get_by_role("button", name="Составить проект акта").click()
    expect(page.get_by_text("Составлен проект акта № 1: 1 дело.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Состояние: проект")
    expect(page.locator("main table")).to_contain_text(
        "Личное дело получателя мер социальной поддержки Архивова"
    )
    item = ArchivedFile.objects.get(archive_number="2020-001")
    assert item.last_checked_on == D(2026, 11, 24) and item.status == "in_archive"
    assert item.issues.get().returned_on == D(2026, 11, 24)


def test_chief_agrees_director_approves_archivist_marks_destroyed(
    page, live_server, archivist, chief, director, office, box, catalogue
):
    case_file = closed_case_file(office, archivist, "Старов")
    archive_services.register_file(case_file, **{
        "archive_number": "2020-001", "start_date": D(2018, 1, 1), "end_date": D(2020, 6, 30), "sheets": 48,
        "location": box, "retention_rule": RetentionRule.objects.get(code="benefit-recipient"),
    }, actor=archivist)  # fmt: skip
    act = archive_services.draft_act(actor=archivist, act_date=D(2026, 11, 24))

    login(page, live_server, "chief", PASSWORD)
    open_section(page, "Архив")
    page.get_by_role("link", name="Уничтожение").click()
    page.get_by_role("link", name="№ 1 от 24.11.2026").click()
    expect(page.locator("main")).to_contain_text("Состояние: проект")
    page.get_by_label("Протокол ЭК №").fill("7")
    page.get_by_label("от", exact=True).fill("2026-11-20")
    page.get_by_role("button", name="Согласовано ЭК").click()
    expect(page.locator("main")).to_contain_text("Состояние: согласован ЭК")
    expect(page.locator("main")).to_contain_text("Протокол ЭК № 7 от 20.11.2026")
    expect(page.get_by_role("button", name="Утвердить акт")).to_have_count(0)
    log_out(page)

    login(page, live_server, "director", PASSWORD)
    open_section(page, "Архив")
    page.get_by_role("link", name="Уничтожение").click()
    page.get_by_role("link", name="№ 1 от 24.11.2026").click()
    page.get_by_role("button", name="Утвердить акт").click()
    expect(page.locator("main")).to_contain_text("Состояние: утверждён директором")
    expect(page.get_by_role("button", name="Отметить уничтожение")).to_have_count(0)
    log_out(page)

    login(page, live_server, "archivist", PASSWORD)
    open_section(page, "Архив")
    page.get_by_role("link", name="Уничтожение").click()
    page.get_by_role("link", name="№ 1 от 24.11.2026").click()
    page.get_by_label("Способ уничтожения").select_option(label="измельчение (шредирование)")
    page.get_by_label("Дела уничтожены.", exact=False).check()
    page.get_by_role("button", name="Отметить уничтожение").click()
    expect(page.locator(".message-error")).to_contain_text("Укажите массу или объём")
    page.get_by_label("Способ уничтожения").select_option(label="измельчение (шредирование)")
    page.get_by_label("Масса или объём", exact=False).fill("2,5 кг")
    page.get_by_label("Дела уничтожены.", exact=False).check()
    page.get_by_role("button", name="Отметить уничтожение").click()
    expect(page.locator("main")).to_contain_text("Состояние: дела уничтожены")
    expect(page.get_by_role("link", name="Акт об уничтожении ПД (PDF)")).to_be_visible()

    act.refresh_from_db()
    assert (act.status, act.agreed_by, act.approved_by, act.executed_by) == (
        DestructionAct.Status.EXECUTED, chief, director, archivist,
    )  # fmt: skip
    href = page.get_by_role("link", name="Акт (PDF)").get_attribute("href")
    pdf = page.request.get(f"{live_server.url}{href}").body()
    text = pdf_text(pdf)
    assert "УТВЕРЖДАЮ Директор" in text and "Сергеева Ольга Викторовна 24.11.2026" in text
    assert "СОГЛАСОВАНО. Протокол ЭК от 20.11.2026 № 7" in text
    # executed: the act's line keeps the file, the personal-data act alone names the person
    assert "Личное дело получателя мер социальной поддержки [обезличено]" in text
    assert "Старов" not in text
    href = page.get_by_role("link", name="Акт об уничтожении ПД (PDF)").get_attribute("href")
    assert "Старов" in pdf_text(page.request.get(f"{live_server.url}{href}").body())
    assert "Итого 1 дело за 2020 год." in text
    assert "Документы в количестве 1 дела за 2020 год уничтожены 24.11.2026." in text
    assert "Способ уничтожения: измельчение (шредирование); масса (объём): 2,5 кг." in text
    assert ArchivedFile.objects.get(archive_number="2020-001").status == "destroyed"


def test_archivist_returns_an_archived_file_into_work(
    page, live_server, archivist, office, box, catalogue
):
    case_file = closed_case_file(office, archivist, "Возвратов")
    archive_services.register_file(case_file, **{
        "archive_number": "2020-002", "start_date": D(2018, 1, 1), "end_date": D(2020, 6, 30), "sheets": 12,
        "location": box, "retention_rule": RetentionRule.objects.get(code="benefit-recipient"),
    }, actor=archivist)  # fmt: skip

    login(page, live_server, "archivist", PASSWORD)
    open_section(page, "Архив")
    page.get_by_role("link", name="2020-002").click()
    page.get_by_role("button", name="Вернуть из архива").click()
    expect(page.get_by_text("Укажите основание возврата из архива")).to_be_visible()
    page.get_by_label("Основание возврата", exact=False).fill("заявление на ЕДВ от 24.11.2026")
    page.get_by_role("button", name="Вернуть из архива").click()
    expect(
        page.get_by_text(f"Личное дело {case_file.number_display} возвращено из архива в работу")
    ).to_be_visible()
    expect(page.locator("main")).to_contain_text("возвращено из архива в работу")
    expect(page.locator("main")).to_contain_text(
        "24.11.2026, Волкова А. С.: заявление на ЕДВ от 24.11.2026"
    )
    expect(page.get_by_role("button", name="Вернуть из архива")).to_have_count(0)
    case_file.refresh_from_db()
    assert case_file.status == CaseFile.Status.ACTIVE


def test_archivist_compiles_an_inventory_and_downloads_it(
    page, live_server, archivist, office, box, catalogue
):
    case_file = closed_case_file(office, archivist, "Описев")
    archive_services.register_file(case_file, **{
        "archive_number": "2020-003", "start_date": D(2018, 1, 1), "end_date": D(2020, 6, 30), "sheets": 48,
        "location": box, "retention_rule": RetentionRule.objects.get(code="benefit-recipient"),
    }, actor=archivist)  # fmt: skip

    login(page, live_server, "archivist", PASSWORD)
    open_section(page, "Архив")
    page.get_by_role("link", name="Опись дел").click()
    expect(page.get_by_text("Описей ещё не составляли.")).to_be_visible()
    page.get_by_label("Год дел").select_option("2020")
    page.get_by_label("Срок хранения дел").select_option(
        label="временного (до 10 лет включительно) хранения"
    )
    page.get_by_role("button", name="Составить опись").click()
    expect(
        page.get_by_text(
            "Составлена опись № 1 от 24.11.2026: 1 дело временного (до 10 лет включительно) "
            "хранения за 2020 год."
        )
    ).to_be_visible()
    row = page.locator("main table tbody tr").first
    expect(row).to_contain_text("№ 1 от 24.11.2026")
    href = row.get_by_role("link", name="PDF").get_attribute("href")
    text = pdf_text(page.request.get(f"{live_server.url}{href}").body())
    assert "ОПИСЬ № 1" in text and "2020-003" in text
    assert "В данный раздел описи внесено 1 (одно) дело с № 1 по № 1" in text
    with page.expect_download() as download:
        row.get_by_role("link", name="XLSX").click()
    assert download.value.suggested_filename == "inventory-1-2020.xlsx"


@pytest.mark.parametrize("role", ["archivist", "chief", "director"])
def test_each_role_opens_the_pd_act_and_its_event_log_from_the_act(
    page, live_server, archivist, chief, director, office, box, catalogue, role
):
    case_file = closed_case_file(office, archivist, "Старов")
    archive_services.register_file(case_file, **{
        "archive_number": "2020-001", "start_date": D(2018, 1, 1), "end_date": D(2020, 6, 30), "sheets": 48,
        "location": box, "retention_rule": RetentionRule.objects.get(code="benefit-recipient"),
    }, actor=archivist)  # fmt: skip
    act = archive_services.draft_act(actor=archivist, act_date=D(2026, 11, 24))
    archive_services.agree_act(act, actor=chief, protocol_number="7", protocol_date=D(2026, 11, 20))
    archive_services.approve_act(act, actor=director)
    archive_services.execute_act(
        act, actor=archivist, record={"method": "shredding", "volume": "2 кг"}
    )

    login(page, live_server, role, PASSWORD)
    open_section(page, "Архив")
    page.get_by_role("link", name="Уничтожение").click()
    page.get_by_role("link", name="№ 1 от 24.11.2026").click()
    for name, expected in [
        ("Акт об уничтожении ПД (PDF)", "ОБ УНИЧТОЖЕНИИ ПЕРСОНАЛЬНЫХ ДАННЫХ"),
        ("Журнал событий уничтожения (PDF)", "ВЫГРУЗКА ИЗ ЖУРНАЛА РЕГИСТРАЦИИ СОБЫТИЙ"),
    ]:
        with page.context.expect_page() as opened:
            page.get_by_role("link", name=name).click()
        url = opened.value.url
        opened.value.close()
        text = pdf_text(page.request.get(url).body())
        assert expected in text and "Старов" in text and "24.11.2026 10:00" in text
    with page.expect_download() as download:
        page.get_by_role("link", name="Журнал событий уничтожения (XLSX)").click()
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert any(c.startswith("Старов") for c in cells) and "24.11.2026 10:00:00" in cells
