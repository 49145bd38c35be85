"""«Запросы» as lists: a tab per kind with one paginated table, totals, filters in the URL,
sorting by the columns; a wrong parameter never fails."""

import datetime

import pytest
from django.urls import reverse

from tests.cases.builders import incoming

pytestmark = pytest.mark.django_db


def page(client, **params):
    return client.get(reverse("cases:requests"), params).content.decode()


def test_requests_page_with_totals_per_kind(client, specialist, office, catalogue):
    incoming(
        office,
        specialist,
        130,
        answered_on=lambda n: datetime.date(2026, 11, 1) if n % 10 == 0 else None,
    )
    client.force_login(specialist)
    html = page(client, kind="incoming")
    assert 'Из других районов и регионов <span class="badge">117</span>' in html  # 13 answered
    assert "Показаны 1–50 из 117" in html and html.count("Запросов") == 50
    html = page(client, kind="incoming", page=3)
    assert "Показаны 101–117 из 117" in html and html.count("Запросов") == 17
    html = page(client, kind="incoming", show="all")
    assert "Показаны 1–50 из 130" in html
    html = page(client, kind="incoming", show="answered")
    assert "Показаны 1–13 из 13" in html


def test_requests_filters_round_trip_through_the_url_and_sort(
    client, specialist, chief, office, catalogue
):
    incoming(office, specialist, 30, assigned_to=lambda n: chief if n % 3 == 0 else specialist)
    client.force_login(specialist)
    html = page(client, kind="incoming", specialist=chief.pk, sort="-subject")
    assert "Показаны 1–10 из 10" in html
    names = [f"Запросов{n:04d}" for n in range(30) if n % 3 == 0]
    positions = [html.index(name) for name in names]
    assert positions == sorted(positions, reverse=True)  # descending by the subject
    assert (
        f"specialist={chief.pk}" in html and "kind=incoming" in html
    )  # the links keep the filters
    # the period narrows by the day the request arrived
    html = page(client, kind="incoming", date_from="2026-10-01", date_to="2026-10-05", show="all")
    assert "Показаны 1–5 из 5" in html  # 1–5 October: n = 0..4


@pytest.mark.parametrize(
    "params",
    [{"kind": "zzz"}, {"sort": "nope"}, {"kind": "incoming", "sort": "-"}, {"page": "x"},
     {"page": "100000"}, {"show": "bogus"}, {"specialist": "abc"}, {"agency": "0"},
     {"date_from": "32.13.2026"}, {"date_from": "2026-11-05", "date_to": "2026-11-01"}],
)  # fmt: skip
def test_wrong_parameters_never_fail(client, specialist, office, catalogue, params):
    incoming(office, specialist, 3)
    client.force_login(specialist)
    response = client.get(reverse("cases:requests"), params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Межведомственные запросы" in html
    if {"show", "specialist", "agency", "date_from"} & set(params):
        assert "Исправьте условия отбора:" in html


def test_requests_list_queries_do_not_grow_with_the_rows(client, specialist, office, catalogue):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(specialist)
    page(client, kind="incoming")  # the session's first request renews it and reads the rights
    counts = []
    for rows in (5, 120):
        incoming(office, specialist, rows)
        with CaptureQueriesContext(connection) as queries:
            html = page(client, kind="incoming")
        counts.append(len(queries))
    assert "Показаны 1–50 из 125" in html
    assert counts[0] == counts[1]
