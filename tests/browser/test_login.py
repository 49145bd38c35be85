from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_specialist_logs_in_and_sees_the_navigation_of_the_role(page, live_server, specialist):
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Вход в систему")).to_be_visible()
    # The user name field has the focus: typing starts at once.
    expect(page.get_by_label("Имя пользователя")).to_be_focused()
    login(page, live_server, "specialist", PASSWORD)
    nav = page.get_by_role("navigation", name="Разделы")
    expect(nav.get_by_role("link", name="Главная")).to_be_visible()
    expect(nav.get_by_role("link", name="Журнал доступа")).to_have_count(0)
    expect(page.locator(".user-role")).to_contain_text(
        "Специалист · ЦСЗН Краснооктябрьского района"
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Здравствуйте, Анна Сергеевна!")


def test_chief_sees_the_access_log_in_the_navigation(page, live_server, chief):
    login(page, live_server, "chief", PASSWORD)
    page.get_by_role("navigation", name="Разделы").get_by_role(
        "link", name="Журнал доступа"
    ).click()
    expect(page.get_by_role("heading", name="Журнал доступа к персональным данным")).to_be_visible()


def test_five_wrong_passwords_show_the_lockout_message(page, live_server, specialist):
    for attempt in range(1, 5):
        login(page, live_server, "specialist", f"неверный-{attempt}")
        expect(page.get_by_role("alert")).to_contain_text(
            "Пожалуйста, введите правильные имя пользователя и пароль"
        )
    login(page, live_server, "specialist", "неверный-5")
    expect(page.get_by_role("heading", name="Вход временно заблокирован")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Слишком много неудачных попыток входа")
    # The right password does not get through while the lockout lasts.
    login(page, live_server, "specialist", PASSWORD)
    expect(page.get_by_role("heading", name="Вход временно заблокирован")).to_be_visible()


def test_chief_reads_the_failed_logins_verifies_the_log_and_exports_it(
    page, live_server, chief, specialist
):
    login(page, live_server, "specialist", "неверный")
    expect(page.get_by_role("alert")).to_contain_text("введите правильные имя пользователя")
    login(page, live_server, "chief", PASSWORD)
    page.get_by_role("navigation", name="Разделы").get_by_role(
        "link", name="Журнал доступа"
    ).click()
    page.get_by_label("Событие").select_option(label="Неудачная попытка входа")
    page.get_by_role("button", name="Найти").click()
    row = page.locator("#results tbody tr").first
    expect(row).to_contain_text("specialist")
    expect(row).to_contain_text("учётная запись существует")

    with page.expect_download() as download:
        page.get_by_role("link", name="Выгрузить CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("seq;at;username")
    assert "login_failed" in text and "view_access_log" not in text.split("\n", 1)[1]

    page.get_by_role("button", name="Проверить целостность журнала").click()
    expect(page.get_by_role("status")).to_contain_text("Цепочка журнала доступа цела")
    page.screenshot(path="/tmp/access-log-verify.png")
