"""The chief gives an assignment from an application's page; the specialist finds it in «Мои дела»
and marks it done with a note; the chief sees it done. And the specialist's strip over the
counter leads to the assignment."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, open_section
from tests.conftest import PASSWORD
from tests.factories import ApplicationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chief_gives_an_assignment_the_specialist_does_it_with_a_note(
    page, live_server, chief, specialist, office, catalogue
):
    application = ApplicationFactory(actor=specialist, applicant__last_name="Поручаев")

    login(page, live_server, "chief", PASSWORD)
    expect(page.get_by_role("navigation", name="Разделы")).to_be_visible()
    page.goto(f"{live_server.url}/cases/applications/{application.pk}/")
    page.wait_for_load_state()
    page.get_by_role("link", name="Дать поручение").click()
    page.wait_for_load_state()
    main = page.locator("main")
    expect(main).to_contain_text(f"Касается: Заявление № {application.number_display}")
    page.get_by_role("button", name="Дать поручение").click()  # nothing filled in
    expect(page.locator(".field-error").first).to_contain_text("Напишите текст поручения.")
    page.get_by_label("Поручение", exact=True).fill("Запросить справку о доходах семьи")
    page.get_by_label("Исполнитель").select_option(label="Петрова Анна Сергеевна")
    page.get_by_label("Срок: через сколько рабочих дней").fill("3")
    page.get_by_role("button", name="Дать поручение").click()
    expect(page.get_by_role("heading", name="Поручение № 1/2026")).to_be_visible()
    expect(page.locator(".messages")).to_contain_text("срок 27.11.2026")
    page.get_by_role("button", name="Выйти").click()

    login(page, live_server, "specialist", PASSWORD)
    open_section(page, "Приём")
    page.wait_for_load_state()
    strip = page.get_by_role("navigation", name="Мои показатели")
    expect(strip).to_contain_text("Сегодня принято мной: 1")
    expect(strip).to_contain_text("Поручения: 1")
    page.screenshot(path="/tmp/counter-strip.png")
    page.get_by_role("navigation", name="Разделы").get_by_role("link", name="Мои дела").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Поручения")).to_be_visible()
    page.get_by_role("link", name="Поручение № 1/2026").click()
    page.wait_for_load_state()
    expect(main).to_contain_text("Запросить справку о доходах семьи")
    expect(main).to_contain_text(f"Заявление № {application.number_display}")
    page.get_by_role("button", name="Выполнено").click()  # without a note
    expect(page.locator(".field-error")).to_contain_text("Напишите, что сделано")
    page.get_by_label("Что сделано").fill("Справка получена, приложена к делу")
    page.get_by_role("button", name="Выполнено").click()
    expect(page.locator(".messages")).to_contain_text("Поручение № 1/2026 выполнено.")
    expect(main).to_contain_text("выполнено 24.11.2026")
    page.screenshot(path="/tmp/assignment-done.png", full_page=True)
    page.get_by_role("button", name="Выйти").click()

    login(page, live_server, "chief", PASSWORD)
    page.get_by_role("navigation", name="Разделы").get_by_role("link", name="Поручения").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Выполненные").click()
    page.wait_for_load_state()
    row = page.locator("tbody tr", has_text="Запросить справку о доходах семьи")
    expect(row).to_contain_text("выполнено 24.11.2026")
    expect(row).to_contain_text("Петрова")
    page.screenshot(path="/tmp/assignments-chief.png", full_page=True)
    row.get_by_role("link", name="1/2026", exact=True).click()
    page.wait_for_load_state()
    expect(main).to_contain_text("Справка получена, приложена к делу")
    expect(page.locator("table").last).to_contain_text("Выполнено")
