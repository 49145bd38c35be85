"""Tokens: issued per user, stored hashed, refused when unknown, revoked, expired or of a
deactivated user (401, JSON, access log), failures throttled per address."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from onewindow.models import AccessLog, ApiToken
from tests.api.conftest import client_with, token_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/services/"


@pytest.fixture(autouse=True)
def _clear_throttle():
    cache.clear()
    yield
    cache.clear()


def test_a_token_authenticates_as_its_user_and_its_use_is_recorded(specialist, catalogue):
    key = token_for(specialist)
    response = client_with(key).get(URL)
    assert response.status_code == 200, response.content
    token = ApiToken.objects.get(user=specialist)
    assert token.last_used_at == timezone.now()
    assert key not in token.hashed_key and token.hashed_key.startswith("sha512$$")


def test_no_token_is_401_json():
    from rest_framework.test import APIClient

    response = APIClient().get(URL)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(
    "spoil",
    ["unknown", "revoked", "expired", "deactivated"],
)
def test_a_bad_token_is_refused_and_logged(specialist, spoil):
    key = token_for(specialist)
    token = ApiToken.objects.get(user=specialist)
    if spoil == "unknown":
        key = key[:-3] + "xyz"
    elif spoil == "revoked":
        token.revoked = True
        token.save()
    elif spoil == "expired":
        token.expiry_date = timezone.now() - datetime.timedelta(minutes=1)
        token.save()
    else:
        specialist.is_active = False
        specialist.save()
    response = client_with(key).get(URL)
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "not_authenticated"
    expected = {
        "unknown": "неизвестен или отозван",
        "revoked": "неизвестен или отозван",
        "expired": "Срок действия ключа API истёк",
        "deactivated": "отключена",
    }[spoil]
    assert expected in body["message"]
    row = AccessLog.objects.get(event="api_token_refused")
    assert row.result == AccessLog.Result.REFUSED


def test_failed_tokens_are_throttled_per_address(specialist, settings):
    good = token_for(specialist)
    for _ in range(10):
        assert client_with("abc.def").get(URL).status_code == 401
    response = client_with("abc.def").get(URL)
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0
    # a valid key from the same address waits too: the address is what is throttled
    assert client_with(good).get(URL).status_code == 429


def test_the_admin_issues_a_key_once_and_keeps_its_hash(admin_client, specialist):
    response = admin_client.post(
        "/admin/onewindow/apitoken/add/",
        {"name": "Терминал очереди", "user": specialist.pk,
         "expiry_date_0": "01.01.2027", "expiry_date_1": "00:00:00"},
        follow=True,
    )  # fmt: skip
    assert response.status_code == 200
    text = response.content.decode()
    token = ApiToken.objects.get(name="Терминал очереди")
    assert token.user == specialist
    shown = [m.message for m in response.context["messages"] if "скопируйте" in m.message]
    assert len(shown) == 1 and token.prefix in shown[0]
    key = shown[0].split(": ", 1)[1].split(" ")[0]
    assert key.startswith(token.prefix + ".")
    assert client_with(key).get(URL).status_code == 200
    # not shown again on the token's page
    page = admin_client.get(f"/admin/onewindow/apitoken/{token.pk}/change/").content.decode()
    assert key not in page and key not in text.replace(shown[0], "")
