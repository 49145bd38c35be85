"""An archivist runs a presence check by typing barcodes into the scan field; one file is missing."""

import pytest
from playwright.sync_api import expect

from archive.models import ArchivedFile, InventoryCheck, Location
from onewindow import roles
from tests.browser.conftest import login
from tests.conftest import PASSWORD
from tests.factories import ArchivedFileFactory, make_user
from tests.pdf_utils import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_presence_check_with_the_scan_field(page, live_server, archivist, chief, office, catalogue):
    import datetime

    make_user(roles.SPECIALIST, office, "member3", last_name="Третьякова", first_name="Нина")
    room = Location.objects.create(office=office, kind="room", name="101")
    box = Location.objects.create(office=office, kind="box", name="К-1", parent=room)
    for number in ("101", "102", "103"):
        ArchivedFileFactory(
            actor=archivist, applicant__last_name=f"Сканов{number}", archive_number=number, sheets=10,
            title=f"Личное дело {number}", start_date=datetime.date(2018, 1, 1),
            end_date=datetime.date(2020, 1, 1), location=box,
        )  # fmt: skip

    login(page, live_server, "archivist", PASSWORD)
    page.get_by_role("navigation", name="Разделы").get_by_role("link", name="Архив").click()
    page.goto(f"{live_server.url}/archive/checks/")
    page.get_by_label("Номер приказа директора").fill("27")
    page.get_by_label("Дата приказа").fill("2026-11-20")
    for name in ("Волкова", "Смирнова", "Третьякова"):
        page.get_by_label(name, exact=False).check()
    page.get_by_label("Председатель комиссии (один из членов)").select_option(label=str(archivist))
    page.get_by_role("button", name="Начать проверку").click()
    page.wait_for_load_state()  # the scan field answers in place once the page's scripts loaded

    field = page.get_by_label("Отсканируйте ярлык или введите архивный номер и нажмите Enter")
    expect(field).to_be_focused()
    for code in ("ARCH:krasnooktyabrsky:101", "103"):
        field.type(code)
        field.press("Enter")  # what a USB scanner does
        expect(page.locator("#progress")).to_contain_text("найдено")
        expect(field).to_be_focused()
        expect(field).to_have_value("")
    expect(page.locator("#progress")).to_contain_text("Найдено 2 из 3")
    page.get_by_role("link", name="Завершить проверку…").click()
    expect(page.get_by_text("1 дело не отмечено и будет отмечено")).to_be_visible()
    page.get_by_role("button", name="Да, завершить: 1 дело не найдено").click()
    expect(page.get_by_text("Проверка завершена")).to_be_visible()

    check = InventoryCheck.objects.get()
    response = page.request.get(f"{live_server.url}/archive/checks/{check.pk}/act.pdf")
    text = pdf_text(response.body())
    assert "Не обнаружено 1" in text and "Личное дело 102" in text
    assert ArchivedFile.objects.get(archive_number="102").status == "not_found"
