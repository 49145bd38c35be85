"""Pre-booking walked end to end: a specialist books a visitor on the phone on the bookings
page, the visitor checks in at the kiosk with the code on the keypad, and at the booked time
the specialist's «Вызвать следующего» calls the booked ticket ahead of an earlier walk-in."""

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cases.models import Booking, Ticket
from tests.browser.conftest import login, open_section
from tests.cases.queue_hall import build_hall, kiosk_user
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/qbook-shots")


def test_a_booked_visitor_is_called_at_the_booked_time_ahead_of_the_walk_ins(
    page, browser, browser_context_args, live_server, office, specialist, catalogue, freeze_now
):
    SHOTS.mkdir(exist_ok=True)
    build_hall(office)
    kiosk_user(office)
    kiosk_context = browser.new_context(
        **browser_context_args, viewport={"width": 1280, "height": 1024}
    )
    kiosk = kiosk_context.new_page()
    login(kiosk, live_server, "kiosk", PASSWORD)

    # 10:00: a walk-in visitor takes a ticket first
    with kiosk.expect_navigation():
        kiosk.get_by_role("button", name="Пособия на детей").click()
    expect(kiosk.get_by_role("article", name="Талон А-001")).to_be_visible()

    # the specialist books a caller for 10:15
    login(page, live_server, "specialist", PASSWORD)
    open_section(page, "Запись")
    expect(page.get_by_role("heading", name="Предварительная запись на 24.11.2026")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("link", name="10:15, свободно 2 из 2").first.click()
    expect(page.get_by_label("Группа услуг")).to_have_value(str(Ticket.objects.get().group_id))
    expect(page.get_by_label("Время (начало интервала)")).to_have_value("10:15")
    page.get_by_label("Посетитель (фамилия, имя, отчество)").fill("Петрова Анна Сергеевна")
    page.get_by_label("Телефон").fill("8 927 555-12-34")
    with page.expect_navigation():
        page.get_by_role("button", name="Записать").click()
    booking = Booking.objects.get()
    expect(page.get_by_text(f"Код записи: {booking.code}")).to_be_visible()
    expect(page.get_by_role("link", name="10:15, свободно 1 из 2")).to_be_visible()
    expect(page.locator("table")).to_contain_text("Петрова Анна Сергеевна")
    page.screenshot(path=str(SHOTS / "bookings.png"), full_page=True)

    # the visitor comes and types the code on the kiosk's keypad
    kiosk.goto(f"{live_server.url}/queue/kiosk/")
    expect(kiosk.get_by_role("link", name="У меня запись")).to_be_visible()
    kiosk.screenshot(path=str(SHOTS / "kiosk.png"))
    with kiosk.expect_navigation():
        kiosk.get_by_role("link", name="У меня запись").click()
    keypad = kiosk.get_by_role("group", name="Клавиатура")
    keypad.get_by_role("button", name="2", exact=True).click()
    kiosk.get_by_role("button", name="Стереть знак").click()
    for char in booking.code:
        keypad.get_by_role("button", name=char, exact=True).click()
    expect(kiosk.get_by_label("Код записи")).to_have_value(booking.code)
    kiosk.screenshot(path=str(SHOTS / "kiosk-code.png"))
    with kiosk.expect_navigation():
        kiosk.get_by_role("button", name="Получить талон").click()
    ticket_view = kiosk.get_by_role("article", name="Талон А-002")
    expect(ticket_view).to_contain_text("По записи на 10:15")
    kiosk.screenshot(path=str(SHOTS / "kiosk-booked-ticket.png"))

    # a wrong code is answered neutrally
    kiosk.goto(f"{live_server.url}/queue/kiosk/booking/")
    kiosk.get_by_label("Код записи").fill("ХХХХХХ")
    with kiosk.expect_navigation():
        kiosk.get_by_role("button", name="Получить талон").click()
    expect(kiosk.get_by_role("alert")).to_have_text(
        "Запись с таким кодом не найдена. Проверьте код или возьмите обычный талон."
    )
    kiosk.screenshot(path=str(SHOTS / "kiosk-wrong-code.png"))

    # 10:12: the booked time has come — the booked visitor goes ahead of the earlier walk-in
    freeze_now(datetime.datetime(2026, 11, 24, 10, 12))
    open_section(page, "Приём")
    panel = page.locator("#queue-window")
    page.get_by_label("Электронная очередь: моё окно").select_option(label="Окно 1 — А")
    panel.get_by_role("button", name="Сесть за окно").click()
    expect(panel).to_contain_text("Вы за окном 1.")
    panel.get_by_role("button", name="Вызвать следующего").click()
    expect(panel).to_contain_text("Вызван талон А-002.")
    expect(panel).to_contain_text("по записи на 10:15")
    page.screenshot(path=str(SHOTS / "counter-booked.png"))
    booked = Ticket.objects.get(number=2)
    assert booked.booking == booking and booked.status == "called"
    assert Ticket.objects.get(number=1).status == "waiting"
    booking.refresh_from_db()
    assert booking.status == "checked_in"
