"""Issue 14, item 7: a NUL byte in what a user sends is a Russian 400, never a 500 (PostgreSQL
refuses NUL in a query; SQLite would just find nothing). Run on both databases."""

import pytest
from django.urls import reverse

from cases.models import Applicant

pytestmark = pytest.mark.django_db

PAGES = [
    ("specialist", "cases:counter", "q"),
    ("specialist", "cases:applicant_new", "q"),
    ("archivist", "archive:list", "q"),
    ("archivist", "archive:list", "status"),
    ("archivist", "archive:inventory", "index"),
    ("specialist", "cases:journal", "date_from"),
]


@pytest.fixture
def users(specialist, archivist):
    return {"specialist": specialist, "archivist": archivist}


@pytest.mark.parametrize("value", ["\x00", "a\x00b", "Иван\x00ов"])
@pytest.mark.parametrize("role,name,param", PAGES)
def test_nul_in_a_query_is_a_russian_400(client, users, catalogue, role, name, param, value):
    client.force_login(users[role])
    extra = {"year": "2020"} if name == "archive:inventory" else {}
    response = client.get(reverse(name), {param: value, **extra})
    assert response.status_code == 400
    text = response.content.decode()
    assert "недопустимый символ с кодом 0" in text and f"«{param}»" in text


def test_nul_in_a_posted_form_writes_nothing(client, specialist, catalogue):
    from urllib.parse import urlencode

    from tests.counter import VALID

    client.force_login(specialist)
    data = {**VALID, "reg_address": "г. Волго\x00град"}
    url = reverse("cases:applicant_new")
    response = client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "недопустимый символ с кодом 0" in response.content.decode()
    # a multipart form is refused by the form itself, at its field
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["reg_address"]
    assert not Applicant.objects.exists()


def test_nul_in_the_path_is_a_400(client, specialist):
    client.force_login(specialist)
    assert client.get("/cases/%00/").status_code == 400


def test_ordinary_queries_still_work(client, specialist, catalogue):
    client.force_login(specialist)
    assert client.get(reverse("cases:counter"), {"q": "Иванов"}).status_code == 200
