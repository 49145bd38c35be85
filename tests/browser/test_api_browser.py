"""The API as its people meet it in a browser: the administrator issues a key in the admin and
sees it once; a client calls with it; the documentation pages draw with no internet and no
relaxed script policy."""

import re

import pytest
from playwright.sync_api import expect

from onewindow.models import ApiToken, User
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_administrator_issues_a_key_once_and_a_client_calls_with_it(
    page, live_server, specialist
):
    User.objects.create_superuser("sysadmin", "admin@example.org", PASSWORD)
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Имя пользователя").fill("sysadmin")
    page.get_by_label("Пароль").fill(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    with page.expect_navigation():
        page.get_by_role("link", name="Ключи API").first.click()
    with page.expect_navigation():
        page.get_by_role("link", name="Добавить ключ API").click()
    page.get_by_label("назначение").fill("Терминал очереди")
    page.locator(".field-user .select2-selection").click()  # the admin's autocomplete
    page.locator(".select2-search__field").fill("Петрова")
    page.locator(".select2-results__option", has_text="Петрова").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Сохранить", exact=True).click()
    message = page.locator(".messagelist").inner_text()
    assert "скопируйте его сейчас" in message
    key = re.search(r": (\S+\.\S+) — скопируйте", message).group(1)
    token = ApiToken.objects.get(name="Терминал очереди")
    assert key.startswith(token.prefix) and key not in token.hashed_key
    # the key's page never shows it again
    page.get_by_role("link", name=re.compile("Терминал очереди")).first.click()
    assert key not in page.content()

    answer = page.request.get(
        f"{live_server.url}/api/v1/applicants/?q=Иванов", headers={"Authorization": f"Token {key}"}
    )
    assert answer.status == 200 and answer.json()["count"] == 0
    refused = page.request.get(
        f"{live_server.url}/api/v1/applicants/", headers={"Authorization": "Token nope.nope"}
    )
    assert refused.status == 401 and refused.json()["code"] == "not_authenticated"


def test_the_documentation_draws_offline_under_the_sites_policy(page, live_server):
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    outside = []
    page.on(
        "request",
        lambda r: (
            None
            if r.url.startswith((live_server.url, "data:", f"blob:{live_server.url}"))
            else outside.append(r.url)
        ),
    )
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("OneWindow API")
    expect(page.get_by_text("/api/v1/applications/", exact=True).first).to_be_visible()
    page.screenshot(path="var/screens/api-docs.png", full_page=False)
    page.goto(f"{live_server.url}/api/redoc/")
    expect(page.get_by_role("heading", name="Принять и зарегистрировать заявление")).to_be_visible(
        timeout=15000
    )
    page.screenshot(path="var/screens/api-redoc.png", full_page=False)
    # Redoc's attribution tries its logo on a CDN: the site's policy refuses it (img-src 'self'),
    # nothing leaves the server, and Redoc hides the broken image
    logo = "https://cdn.redoc.ly/redoc/logo-mini.svg"
    assert set(outside) <= {logo}, outside
    assert f"failed: {logo}" in problems or not outside
    assert not [
        p for p in problems if logo not in p and ("Content Security Policy" in p or "failed" in p)
    ], problems
