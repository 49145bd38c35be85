"""A specialist walks the lists: a surname typed with two letters swapped still finds the person;
the journal filtered by a service, page 2, sorted by a column; the requests list in pages."""

import datetime

import pytest
from playwright.sync_api import expect

from services.models import Service
from tests.browser.conftest import login, open_section
from tests.cases.builders import incoming, many_applications
from tests.conftest import PASSWORD
from tests.factories import ApplicantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_specialist_searches_pages_filters_and_sorts(
    page, live_server, client, specialist, office, catalogue
):
    ApplicantFactory(office=office, snils="", last_name="Иванов", first_name="Пётр",
                     middle_name="Сергеевич", birth_date=datetime.date(1961, 4, 4))  # fmt: skip
    day = many_applications(client, specialist, office, 70, code="edv-veterans")
    many_applications(client, specialist, office, 3, code="donor-edv")
    incoming(office, specialist, 60)
    login(page, live_server, "specialist", PASSWORD)

    open_section(page, "Приём")
    page.wait_for_load_state()  # the search box answers once the page's scripts have loaded
    page.get_by_role("searchbox", name="Поиск заявителя").fill("Иавнов П.С.")
    expect(page.locator("#results")).to_contain_text("Иванов Пётр Сергеевич")
    expect(page.locator("#results")).to_contain_text("похожая фамилия")
    page.screenshot(path="/tmp/lists-counter.png", full_page=True)

    page.get_by_role("navigation", name="Разделы").get_by_role("link", name="Журнал").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Журнал регистрации заявлений")).to_be_visible()
    page.get_by_label("С", exact=True).fill(day.isoformat())
    page.get_by_role("button", name="Показать").click()
    page.wait_for_load_state()
    expect(page.locator("#results")).to_contain_text("Показаны 1–50 из 73")
    page.get_by_label("Услуга").select_option(
        label=Service.objects.get(code="edv-veterans").short_title
    )
    expect(page.locator("#results")).to_contain_text("Показаны 1–50 из 70")
    assert "service=" in page.url  # the filter is in the address
    page.get_by_role("link", name="Вперёд →").click()
    expect(page.locator("#results")).to_contain_text("Показаны 51–70 из 70")
    assert "page=2" in page.url and "service=" in page.url
    page.get_by_role("link", name="Заявитель").click()
    expect(page.get_by_role("columnheader", name="Заявитель ▲")).to_be_visible()
    page.get_by_role("link", name="Заявитель ▲").click()
    expect(page.get_by_role("columnheader", name="Заявитель ▼")).to_be_visible()
    first_row = page.locator("#results tbody tr").first
    expect(first_row).to_contain_text("Фамилия069")  # the last surname first, on page 1 again
    expect(page.locator("#results")).to_contain_text("Показаны 1–50 из 70")
    page.screenshot(path="/tmp/lists-journal.png", full_page=True)

    page.get_by_role("navigation", name="Разделы").get_by_role("link", name="Запросы").click()
    page.get_by_role("link", name="Из других районов и регионов").click()
    expect(page.locator("#results")).to_contain_text("Показаны 1–50 из 60")
    page.get_by_role("link", name="Вперёд →").click()
    expect(page.locator("#results")).to_contain_text("Показаны 51–60 из 60")
    page.wait_for_load_state()  # the filters answer once the page's scripts have loaded
    page.get_by_label("Какие").select_option(label="все")
    expect(page.locator("#results")).to_contain_text("Показаны 1–50 из 60")
    assert "kind=incoming" in page.url and "show=all" in page.url
