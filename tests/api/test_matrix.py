"""Every list of the API by role (the screens' permissions), and every kind of record of another
office answered 404 like a missing one."""

import datetime

import pytest

from archive.models import ArchivedFile, RetentionRule
from cases.services import ensure_case_file
from onewindow.assignments import give_assignment
from onewindow.models import AccessLog
from tests.factories import (
    ApplicantFactory,
    ApplicationFactory,
    EntitlementFactory,
    IncomingRequestFactory,
    SelectionFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["specialist", "chief", "archivist", "reg_admin", "director"]
Y, N = 200, 403
MATRIX = {  # specialist, chief, archivist, regulations admin, director
    "services/": (Y, Y, Y, Y, Y),
    "applicants/": (Y, Y, Y, N, Y),
    "case-files/": (Y, Y, Y, N, Y),
    "applications/": (Y, Y, N, N, Y),
    "measures/": (Y, Y, Y, N, Y),
    "interagency-requests/": (Y, Y, N, N, N),
    "incoming-requests/": (Y, Y, N, N, N),
    "extract-profiles/": (Y, Y, N, N, Y),
    "reconciliation-runs/": (Y, Y, N, N, Y),
    "selections/": (Y, Y, N, N, Y),
    "archive/files/": (N, Y, Y, N, Y),
    "archive/issues/": (N, Y, Y, N, Y),
    "assignments/": (Y, Y, Y, Y, Y),  # one's own; the chief and the director all of the office
    "dashboard/": (N, Y, N, N, Y),
    "queue/bookings/": (Y, Y, N, N, N),
}


@pytest.mark.parametrize("path", MATRIX)
def test_lists_by_role(request, api_as, catalogue, path):
    got = {}
    for role in ROLES:
        response = api_as(request.getfixturevalue(role)).get(f"/api/v1/{path}")
        got[role] = response.status_code
        if response.status_code == 403:
            assert response.json()["code"] == "permission_denied"
    assert got == dict(zip(ROLES, MATRIX[path], strict=True))


@pytest.fixture
def ours(specialist, chief, archivist, catalogue, box):
    person = ApplicantFactory(office=specialist.office, snils="")
    application = ApplicationFactory(actor=specialist, applicant=person)
    measure = EntitlementFactory(applicant=person, actor=specialist)
    rule = RetentionRule.objects.get(code="benefit-recipient")
    other_person = ApplicantFactory(office=specialist.office, snils="", last_name="Архивов")
    event = datetime.date(2021, 3, 1)
    archived = ArchivedFile.objects.create(
        office=specialist.office, case_file=ensure_case_file(other_person, actor=archivist),
        archive_number="А-9", nomenclature_index="07-15", year=2021, sheets=3, title="Дело",
        start_date=datetime.date(2016, 1, 1), end_date=event, event_date=event, retention_rule=rule,
        eligible_from=rule.eligible_from(event), registered_by=archivist, location=box,
    )  # fmt: skip
    return {
        "applicants": person,
        "case-files": application.case_file,
        "applications": application,
        "measures": measure,
        "incoming-requests": IncomingRequestFactory(actor=specialist),
        "selections": SelectionFactory(office=person.office, applicant=person),
        "archive/files": archived,
        "assignments": give_assignment(actor=chief, assignee=specialist, text="Проверить", days=3),
    }


def test_another_offices_records_are_404_and_logged(api_as, ours, other_chief):
    client = api_as(other_chief)
    for path, record in ours.items():
        response = client.get(f"/api/v1/{path}/{record.pk}/")
        assert response.status_code == 404, (path, response.status_code)
        assert response.json()["code"] == "not_found"
    refused = AccessLog.objects.filter(result=AccessLog.Result.REFUSED, user=other_chief)
    assert refused.count() >= len(ours) - 1  # every lookup that found another office's record


def test_own_records_are_read_and_logged_with_the_tokens_user(api_as, ours, chief):
    client = api_as(chief)
    for path, record in ours.items():
        assert client.get(f"/api/v1/{path}/{record.pk}/").status_code == 200, path
    logged = set(
        AccessLog.objects.filter(user=chief, result=AccessLog.Result.ALLOWED).values_list(
            "event", flat=True
        )
    )
    assert {
        "view_applicant",
        "view_casefile",
        "view_application",
        "view_entitlement",
        "view_request",
    } <= logged
