"""The chief sees the wait: the dashboard's queue block and the queue report (issue 23, item 6)."""

import datetime
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cases.models import Ticket
from tests.browser.conftest import login
from tests.cases.queue_hall import build_hall
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("QSTATS_SHOTS", "")  # a folder: the pages are saved there to look at


def shot(page, name: str, locator=None) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        (locator or page).screenshot(path=str(Path(SHOTS) / name))


def test_chief_sees_the_longest_wait_and_forms_the_queue_report(
    page, live_server, chief, office, catalogue
):
    from django.utils import timezone

    hall = build_hall(office)
    today = timezone.localdate()
    moment = timezone.make_aware(datetime.datetime.combine(today, datetime.time(9, 0)))
    for number, (wait, status) in enumerate([(5, "done"), (25, "done"), (None, "waiting")], 1):
        called = moment + datetime.timedelta(minutes=wait) if wait else None
        Ticket.objects.create(
            office=office, day=today, group=hall.children, letter="А", number=number,
            issued_at=moment, status=status, called_at=called, last_called_at=called,
            call_count=1 if called else 0, started_at=called,
            finished_at=called + datetime.timedelta(minutes=10) if called else None,
        )  # fmt: skip

    login(page, live_server, "chief", PASSWORD)
    page.goto(f"{live_server.url}/dashboard/")
    block = page.locator("section.dash-section", has=page.locator("#dash-queue"))
    expect(block).to_contain_text("Электронная очередь")
    # the frozen moment is 10:00: the visitor issued at 09:00 has waited an hour
    longest = block.locator("li.figure", has_text="дольше всех ждёт сейчас")
    expect(longest).to_contain_text("60\u00a0мин")
    expect(longest).to_have_class("figure figure-warn")
    expect(block.locator("li.figure", has_text="медиана ожидания")).to_contain_text("15\u00a0мин")
    shot(page, "dashboard-queue.png", block)

    page.get_by_role("navigation", name="Разделы").get_by_role("link", name="Отчёты").click()
    page.wait_for_load_state()
    page.get_by_label("Вид отчёта").select_option(label="Электронная очередь")
    page.get_by_label("Период с").fill(today.replace(day=1).isoformat())
    page.get_by_label("по", exact=True).fill(today.isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Сформировать").click()
    table = page.locator("#table-queue")
    row = table.locator("tbody tr", has_text="Пособия на детей")
    # issued 3, served 2, no-show 0, uncalled 0 (the day goes on), left 0, median 15,0
    expect(row.locator("td.num").nth(0)).to_have_text("3")
    expect(row.locator("td.num").nth(5)).to_have_text("15,0")
    shot(page, "report-page.png")
