"""The hall walked end to end: a visitor takes a ticket at the kiosk, the specialist calls it from
the counter and the display shows it with a chime, the specialist registers an application
during the visit and finishes it; the ticket names the applicant and the application."""

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cases.models import Application, Ticket
from tests.browser.conftest import login, open_section
from tests.cases.queue_hall import build_hall, display_user, kiosk_user
from tests.conftest import PASSWORD
from tests.factories import ApplicantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/queue-shots")


def device_page(browser, browser_context_args, live_server, username, size):
    context = browser.new_context(**browser_context_args, viewport=size)
    page = context.new_page()
    login(page, live_server, username, PASSWORD)
    return page


def register_edv(page):
    """The checklist of the veterans' monthly payment marked as in the counter's own test."""
    page.get_by_role("link", name="Новое заявление").first.click()
    page.get_by_role("searchbox", name="Поиск услуги").fill("ветеранам")
    expect(page.locator("#services")).to_contain_text("Ежемесячная денежная выплата ветеранам")
    page.get_by_role("link", name="Ежемесячная денежная выплата ветеранам").click()
    rows = page.locator("table.checklist tbody tr")
    expect(rows.first).to_be_visible()
    for index in range(rows.count()):
        row = rows.nth(index)
        if row.get_by_label("запрашивает учреждение").count():
            row.get_by_label("запрашивает учреждение").check()
        elif row.get_by_label("не требуется").count():
            row.get_by_label("не требуется").check()
    passport = rows.filter(has_text="Паспорт гражданина Российской Федерации")
    passport.get_by_label("представлен", exact=True).check()
    passport.locator("input.sheets").fill("2")
    veteran = rows.filter(has_text="Удостоверение ветерана")
    veteran.get_by_label("представлен", exact=True).check()
    veteran.locator("input.sheets").fill("1")
    page.get_by_role("button", name="Зарегистрировать заявление").click()
    expect(page.get_by_text("зарегистрировано. Срок решения")).to_be_visible()


def test_a_visitor_is_called_to_the_window_and_the_visit_keeps_the_application(
    page, browser, browser_context_args, live_server, office, specialist, catalogue, freeze_now
):
    SHOTS.mkdir(exist_ok=True)
    build_hall(office)
    kiosk_user(office), display_user(office)
    person = ApplicantFactory(
        office=office, snils="11223344595", last_name="Ветеранов", first_name="Пётр",
        middle_name="Ильич", sex="M", birth_date=datetime.date(1950, 3, 15),
    )  # fmt: skip

    # the kiosk: big buttons, one tap, a ticket
    kiosk = device_page(
        browser, browser_context_args, live_server, "kiosk", {"width": 1280, "height": 1024}
    )
    expect(kiosk.get_by_role("button", name="Пособия на детей")).to_be_visible()
    kiosk.screenshot(path=str(SHOTS / "kiosk.png"))
    with kiosk.expect_navigation():
        kiosk.get_by_role("button", name="Пособия на детей").click()
    ticket_view = kiosk.get_by_role("article", name="Талон А-001")
    expect(ticket_view).to_contain_text("А-001")
    expect(ticket_view).to_contain_text("Перед вами: 0")
    kiosk.screenshot(path=str(SHOTS / "ticket.png"))
    assert Ticket.objects.get().code == "А-001"

    # the hall display waits
    display = device_page(
        browser, browser_context_args, live_server, "display", {"width": 1920, "height": 1080}
    )
    expect(display.get_by_text("Ожидайте вызова")).to_be_visible()
    # the network drops (or the server restarts): the display says so and keeps trying
    board_url = "**/queue/display/board/"
    display.route(board_url, lambda route: route.abort())
    status = display.locator("[data-status]")
    expect(status).to_have_text("Нет связи с сервером, повторяю…", timeout=8000)

    # the specialist sits at window 1 and calls
    login(page, live_server, "specialist", PASSWORD)
    open_section(page, "Приём")
    panel = page.locator("#queue-window")
    page.get_by_label("Электронная очередь: моё окно").select_option(label="Окно 1 — А")
    panel.get_by_role("button", name="Сесть за окно").click()
    expect(panel).to_contain_text("Вы за окном 1.")
    panel.get_by_role("button", name="Вызвать следующего").click()
    expect(panel).to_contain_text("Вызван талон А-001.")

    # the connection is back: the display shows the call within a couple of seconds, with a
    # chime, no reload needed
    display.unroute(board_url)
    expect(display.locator(".board-code")).to_have_text("А-001", timeout=8000)
    expect(display.locator(".board-window")).to_have_text("1")
    expect(status).to_have_text("")
    assert display.evaluate("document.body.dataset.chimes") == "1"
    display.screenshot(path=str(SHOTS / "display.png"))
    page.screenshot(path=str(SHOTS / "counter-window.png"))

    # the visit: the applicant found, an application registered
    search = page.get_by_role("searchbox", name="Поиск заявителя")
    search.fill("112-233-445 95")
    with page.expect_navigation():
        page.locator("#results").get_by_role("link", name="Ветеранов Пётр Ильич").click()
    register_edv(page)
    application = Application.objects.get()

    open_section(page, "Приём")
    expect(panel).to_contain_text("Заявитель: Ветеранов Пётр Ильич")
    expect(panel).to_contain_text(f"№ {application.number_display}")
    page.screenshot(path=str(SHOTS / "counter-visit.png"))
    panel.get_by_role("button", name="Завершить").click()
    expect(panel).to_contain_text("Приём по талону А-001 завершён.")
    expect(panel.get_by_role("button", name="Вызвать следующего")).to_be_visible()

    ticket = Ticket.objects.get()
    assert ticket.status == "done" and ticket.finished_at and ticket.started_at
    assert ticket.applicant == person
    assert list(ticket.applications.all()) == [application]
    # the display moves it to «Вызывались»
    expect(display.locator(".board-recent")).to_contain_text("А-001", timeout=8000)
    expect(display.locator(".board-code")).to_have_count(0)

    # after the last-ticket time the kiosk says so and offers no button
    freeze_now(datetime.datetime(2026, 11, 24, 17, 0))
    kiosk.goto(f"{live_server.url}/queue/kiosk/")
    expect(kiosk.get_by_role("status")).to_contain_text(
        "Выдача талонов на сегодня окончена в 16:50"
    )
    expect(kiosk.get_by_role("button", name="Пособия на детей")).to_have_count(0)
    kiosk.screenshot(path=str(SHOTS / "kiosk-closed.png"))
