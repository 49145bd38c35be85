"""The chief's desk walked as the chief walks it: the dashboard is the home page, «просрочено»
opens exactly the overdue applications, one is handed to a colleague, who finds it in «Мои
дела»."""

import re

import pytest
from playwright.sync_api import expect

from onewindow import roles
from tests.browser.conftest import login
from tests.conftest import PASSWORD
from tests.dashboard.builders import make_application
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_chief_opens_the_overdue_and_hands_one_over(
    page, live_server, chief, specialist, office, catalogue
):
    colleague = make_user(roles.SPECIALIST, office, "colleague", last_name="Иванова")
    make_application(office, registered="10.11.2026", deadline="20.11.2026", accepted_by=specialist, last_name="Просрочкин")  # fmt: skip
    make_application(office, registered="12.11.2026", deadline="23.11.2026", accepted_by=specialist, last_name="Опоздалов")  # fmt: skip
    make_application(office, registered="23.11.2026", deadline="08.12.2026", accepted_by=specialist, last_name="Вовремин")  # fmt: skip

    login(page, live_server, "chief", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Сводка: ЦСЗН Краснооктябрьского района"
    )
    deadlines = page.get_by_role("region", name="Сроки решений")
    overdue = deadlines.get_by_role("link", name=re.compile(r"^2 просрочено$"))
    expect(overdue).to_be_visible()
    page.screenshot(path="/tmp/dashboard-chief.png", full_page=True)
    overdue.click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Журнал регистрации заявлений")
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("#results tbody")).to_contain_text("Просрочкин")
    expect(page.locator("#results tbody")).to_contain_text("Опоздалов")
    expect(page.locator("#results tbody")).not_to_contain_text("Вовремин")

    row = page.locator("#results tbody tr", has_text="Просрочкин")
    row.get_by_role("checkbox").check()
    page.get_by_label("Передать отмеченные").select_option(label="Иванова\u00a0А.\u00a0С.")
    page.get_by_label("Причина (необязательно)").fill("отпуск")
    page.get_by_role("button", name="Передать", exact=True).click()
    page.wait_for_load_state()
    expect(page.get_by_text("Передано: 1 заявление.")).to_be_visible()
    expect(page.locator("#results tbody tr", has_text="Просрочкин")).to_contain_text("Иванова")

    page.get_by_role("button", name="Выйти").click()
    page.wait_for_load_state()
    login(page, live_server, colleague.username, PASSWORD)
    page.get_by_role("navigation", name="Разделы").get_by_role("link", name="Мои дела").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Мои дела", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Просрочкин")
    expect(page.locator("main")).not_to_contain_text("Опоздалов")
