"""«Мои дела» with every kind of work, and the chief's decision walked as the users walk it."""

import datetime

import pytest
from playwright.sync_api import expect

from cases.models import Entitlement
from onewindow import work
from tests.browser.conftest import login
from tests.conftest import PASSWORD
from tests.factories import ApplicationFactory, SelectionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_my_work_opens_with_a_selection_item_and_leads_to_it(
    page, live_server, specialist, office, catalogue
):
    item = SelectionFactory(office=office, assigned_to=specialist, applicant__last_name="Селекцова")
    ApplicationFactory(actor=specialist, applicant__last_name="Заявленова")
    login(page, live_server, "specialist", PASSWORD)
    nav = page.get_by_role("navigation", name="Разделы")
    my_work = nav.get_by_role("link", name="Мои дела")
    # the application, the interagency requests it opened, the selection item
    expect(my_work.locator(".badge")).to_have_text(str(work.open_work_count(specialist)))
    assert work.open_work_count(specialist) >= 3
    my_work.click()
    expect(page.get_by_role("heading", name="Мои дела", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Селекции")).to_be_visible()
    row = page.locator("tr", has_text="Селекцова")
    expect(row).to_contain_text("08.12.2026")
    row.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Селекцова")
    assert page.url.endswith(f"/selections/{item.pk}/")


def test_chief_decides_and_the_specialist_notifies(
    page, live_server, specialist, chief, office, catalogue
):
    application = ApplicationFactory(actor=specialist, applicant__last_name="Решаева")
    login(page, live_server, "chief", PASSWORD)
    page.get_by_role("navigation", name="Разделы").get_by_role(
        "link", name="Журнал", exact=True
    ).click()
    page.get_by_role("link", name=application.number_display).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Заявление № {application.number_display}"
    )
    page.get_by_role("button", name="Передать в отдел").click()
    expect(page.locator("dd", has_text="передано в отдел")).to_be_visible()
    page.get_by_role("button", name="Принять к рассмотрению").click()
    expect(page.locator("dd", has_text="на рассмотрении")).to_be_visible()
    grant = page.locator(
        "form.transition", has=page.get_by_role("button", name="Решение: назначить")
    )
    grant.get_by_label("Мера назначена с").fill("2026-12-01")
    grant.get_by_label("Основание решения при открытых запросах").fill(
        "сведения получены по телефону"
    )
    grant.get_by_role("button", name="Решение: назначить").click()
    expect(page.get_by_role("heading", name="Назначенные меры")).to_be_visible()
    expect(page.get_by_text("с 01.12.2026 бессрочно — действует")).to_be_visible()
    expect(page.get_by_text("уведомить заявителя до 01.12.2026")).to_be_visible()
    measure = Entitlement.objects.get(application=application)
    assert measure.start_date == datetime.date(2026, 12, 1)

    # the notice is the specialist's work now
    page.context.clear_cookies()
    login(page, live_server, "specialist", PASSWORD)
    page.get_by_role("navigation", name="Разделы").get_by_role("link", name="Мои дела").click()
    expect(page.get_by_role("heading", name="Решения: уведомить заявителя")).to_be_visible()
    page.get_by_role("link", name=f"Заявление № {application.number_display}").click()
    expect(page.get_by_role("link", name="Уведомление о решении")).to_be_visible()
    page.get_by_role("button", name="Заявитель уведомлён").click()
    expect(page.get_by_text("заявитель уведомлён 24.11.2026")).to_be_visible()
    page.get_by_role("navigation", name="Разделы").get_by_role("link", name="Мои дела").click()
    expect(page.get_by_text("Решаева")).to_have_count(0)
