"""What a page costs in SQL, pinned: a keystroke of the counter's search reads the session, the
user, the people and writes the access-log row — nothing else; the counter page and a person's
card and case file read a fixed number of queries whatever the file holds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Application
from tests.factories import (
    ApplicantFactory,
    ApplicationFactory,
    EntitlementFactory,
    IncomingRequestFactory,
)

pytestmark = pytest.mark.django_db


def queries(client, url, **headers) -> list[str]:
    client.get(url, headers=headers)  # the first request of a session writes it: not counted
    with CaptureQueriesContext(connection) as seen:
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    return [q["sql"] for q in seen.captured_queries]


def test_a_keystroke_costs_three_queries(client, specialist):
    for n in range(8):
        ApplicantFactory(
            office=specialist.office,
            snils="",
            last_name="Иванов",
            birth_date=__import__("datetime").date(1950, 1, 1 + n),
        )
    client.force_login(specialist)
    sql = queries(client, reverse("cases:counter") + "?q=Иванов", **{"HX-Request": "true"})
    # the session is read from the cache, the permissions too; the first ten and the count up to
    # the cap come from one query
    assert len(sql) == 3, "\n".join(sql)
    assert "onewindow_user" in sql[0] and "django_session" not in " ".join(sql)
    assert "cases_applicant" in sql[1] and "INSERT INTO" in sql[2]


def test_the_counter_page_costs_a_fixed_number(client, specialist):
    for _ in range(3):
        ApplicantFactory(office=specialist.office, snils="", last_name="Иванов")
    client.force_login(specialist)
    few = len(queries(client, reverse("cases:counter") + "?q=Иванов"))
    for _ in range(7):
        ApplicantFactory(office=specialist.office, snils="", last_name="Иванов")
    assert len(queries(client, reverse("cases:counter") + "?q=Иванов")) == few <= 9


def _fill(person, specialist, catalogue, *, applications, measures, requests):
    made = 0
    for code in catalogue.values_list("code", flat=True):
        if made == applications:
            break
        try:
            ApplicationFactory(actor=specialist, applicant=person, service=code)
        except Exception:  # a service this person cannot apply for (age, death, organisation)
            continue
        made += 1
    for _ in range(measures):
        EntitlementFactory(applicant=person, actor=specialist)
    for _ in range(requests):
        IncomingRequestFactory(actor=specialist, applicant=person)
    return Application.objects.filter(applicant=person).count()


@pytest.mark.parametrize("page", ["cases:applicant", "cases:casefile"])
def test_a_persons_pages_cost_the_same_whatever_the_file_holds(client, specialist, catalogue, page):
    small = ApplicantFactory(office=specialist.office, snils="", last_name="Малов")
    big = ApplicantFactory(office=specialist.office, snils="", last_name="Полнов")
    assert _fill(small, specialist, catalogue, applications=1, measures=1, requests=1) == 1
    assert _fill(big, specialist, catalogue, applications=10, measures=50, requests=20) == 10
    client.force_login(specialist)

    def url(person):
        if page == "cases:casefile":
            return reverse(page, args=[person.case_files.get().pk])
        return reverse(page, args=[person.pk])

    few, many = queries(client, url(small)), queries(client, url(big))
    assert len(many) == len(few), "\n".join(many)
