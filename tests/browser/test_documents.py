"""Issue 16 in the browser: the chief records a decision and prints its notice twice — the
decision's number and date, and the notice's outgoing number, are the same on every print."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import download, login
from tests.conftest import PASSWORD
from tests.factories import ApplicationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chief_records_a_decision_and_the_notice_reprints_the_same(
    page, live_server, specialist, chief, office, catalogue, freeze_now
):
    application = ApplicationFactory(actor=specialist, applicant__last_name="Решаева")
    login(page, live_server, "chief", PASSWORD)
    expect(page.get_by_role("navigation", name="Разделы")).to_be_visible()  # signed in
    page.goto(live_server.url + reverse("cases:application", args=[application.pk]))
    page.get_by_role("button", name="Передать в отдел").click()
    expect(page.locator("dd", has_text="передано в отдел")).to_be_visible()
    page.get_by_role("button", name="Принять к рассмотрению").click()
    expect(page.locator("dd", has_text="на рассмотрении")).to_be_visible()
    grant = page.locator(
        "form.transition", has=page.get_by_role("button", name="Решение: назначить")
    )
    grant.get_by_label("Мера назначена с").fill("2026-12-01")
    grant.get_by_label("по (пусто — бессрочно)").fill("2027-11-30")
    grant.get_by_label("Размер выплаты, руб. (если установлен)").fill("1250,50")
    grant.get_by_label("Основание решения при открытых запросах").fill("сведения получены")
    grant.get_by_role("button", name="Решение: назначить").click()
    expect(
        page.get_by_text("с 01.12.2026 по 30.11.2027, 1 250,50 руб. — действует")
    ).to_be_visible()
    expect(page.locator("dd", has_text="№ 1/2026 от 24.11.2026")).to_be_visible()

    first = download(page, "Уведомление о решении")
    assert "решением № 1/2026 от 24.11.2026 Вам назначена мера социальной поддержки" in first
    assert "в размере 1 250,50 руб. на период с 01.12.2026 по 30.11.2027" in first
    assert "Исх. № 1/2026 от 24.11.2026" in first

    # two days later the notice is printed again: nothing in it moves
    freeze_now(datetime.datetime(2026, 11, 26, 9, 30))
    page.context.clear_cookies()
    login(page, live_server, "chief", PASSWORD)
    expect(page.get_by_role("navigation", name="Разделы")).to_be_visible()  # signed in
    page.goto(live_server.url + reverse("cases:application", args=[application.pk]))
    second = download(page, "Уведомление о решении")
    assert "решением № 1/2026 от 24.11.2026" in second and "Исх. № 1/2026 от 24.11.2026" in second
    assert "26.11.2026" not in second
