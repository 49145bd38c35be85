"""Error pages are Russian, in the base layout, and never Django's debug pages."""

import pytest
from django.test import Client
from django.urls import path

from onewindow import urls as root_urls

pytestmark = pytest.mark.django_db


def boom(request):
    raise RuntimeError("сбой")


urlpatterns = [*root_urls.urlpatterns, path("boom/", boom)]
handler404 = root_urls.handler404
handler500 = root_urls.handler500
handler403 = root_urls.handler403
handler400 = root_urls.handler400


def test_404_is_russian_in_the_base_layout(client, specialist):
    client.force_login(specialist)
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Страница не найдена" in html
    assert 'class="topbar"' in html
    assert "Page not found" not in html


@pytest.mark.urls("tests.onewindow.test_errors")
def test_500_is_russian_and_hides_the_traceback(specialist):
    client = Client(raise_request_exception=False)
    client.force_login(specialist)
    response = client.get("/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Внутренняя ошибка сервера" in html
    assert "RuntimeError" not in html and "Traceback" not in html


def test_csrf_failure_is_russian_and_writes_nothing(specialist):
    client = Client(enforce_csrf_checks=True)
    client.force_login(specialist)
    response = client.post(
        "/password/",
        {
            "old_password": "secret-pass-123",
            "new_password1": "Abc-12345-x",
            "new_password2": "Abc-12345-x",
        },
    )
    assert response.status_code == 403
    assert "Форма устарела" in response.content.decode()
    specialist.refresh_from_db()
    assert specialist.check_password("secret-pass-123")
