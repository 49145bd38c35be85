"""The chief hands over a specialist's work for a week; the substitute sees it on «Мои дела»."""

import pytest
from playwright.sync_api import expect

from onewindow import roles
from tests.browser.conftest import login
from tests.conftest import PASSWORD
from tests.factories import ApplicantFactory, counter_marks, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chief_hands_over_for_a_week_and_the_substitute_sees_it(
    page, live_server, chief, specialist, office, catalogue
):
    from django.utils import timezone

    from cases import services
    from services.models import Service

    make_user(roles.SPECIALIST, office, "substitute", last_name="Заменова", first_name="Ольга")
    person = ApplicantFactory(office=office, snils="", last_name="Отпускников")
    service = Service.objects.get(code="edv-veterans")
    version = service.version_on(timezone.localdate())
    marks = counter_marks(version)
    services.register_application(person, service, actor=specialist, marks=marks)

    login(page, live_server, "chief", PASSWORD)
    page.get_by_role("navigation", name="Разделы").get_by_role("link", name="Передача дел").click()
    page.get_by_label("Кто передаёт дела").select_option(label="Петрова Анна Сергеевна")
    page.get_by_label("Кому").select_option(label="Заменова Ольга Сергеевна")
    page.get_by_label("Основание").select_option(label="отпуск")
    page.get_by_label("№ приказа").fill("45-о")
    page.get_by_label("Дата приказа").fill("2026-11-20")
    page.get_by_label("С", exact=True).fill("2026-11-24")
    page.get_by_label("По", exact=True).fill("2026-11-30")
    page.get_by_role("button", name="Передать дела").click()
    expect(page.get_by_role("heading", name="Передача дел № 1")).to_be_visible()
    expect(page.locator("table.table")).to_contain_text("Отпускников")

    page.get_by_role("button", name="Выйти").click()
    login(page, live_server, "substitute", PASSWORD)
    nav = page.get_by_role("navigation", name="Разделы")
    expect(nav.get_by_role("link", name="Мои дела")).to_contain_text("Мои дела")
    nav.get_by_role("link", name="Мои дела").click()
    expect(page.get_by_text("Вам переданы дела Петровой А. С.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Отпускников")
