"""The counter over the API: the same services, rules, numbering, history and access log as the
screens; roles, office scoping and bad input answered as JSON."""

import json
import uuid

import pytest
from django.urls import reverse
from pypdf import PdfReader

from cases.models import Applicant, Application
from onewindow.models import AccessLog
from services.models import Service
from tests.counter import checklist_post
from tests.factories import ApplicantFactory, ApplicationFactory, counter_marks, valid_snils

pytestmark = pytest.mark.django_db

SERVICE = "edv-veterans"


def application_body(applicant, service=SERVICE, **overrides) -> dict:
    """The API's body for a checklist marked the way a specialist satisfies it."""
    marks = counter_marks(Service.objects.get(code=service))
    body = {
        "applicant": applicant.pk,
        "service": service,
        "documents": [
            {
                "document": m.required_document.pk,
                "status": m.status,
                **({"sheets": 2} if m.status == "brought" else {}),
                **({"issued_on": m.issued_on.isoformat()} if m.issued_on else {}),
            }
            for m in marks
        ],
        "consent_given": True,
    }
    body.update(overrides)
    return body


@pytest.fixture
def person(specialist):
    return ApplicantFactory(office=specialist.office, snils=valid_snils("112233445"))


# --- Applicants -------------------------------------------------------------------------------


def test_search_is_the_counters_search_and_every_person_shown_is_logged(api_as, specialist, person):
    response = api_as(specialist).get("/api/v1/applicants/", {"q": "112-233-445 95"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert [row["id"] for row in body["results"]] == [person.pk]
    assert body["results"][0]["snils"] == "11223344595"
    assert body["results"][0]["snils_display"] == "112-233-445 95"
    row = AccessLog.objects.get(event="search")
    assert row.user == specialist and f"показаны: {person.pk}" == row.detail


def test_a_role_without_full_identity_sees_masks(api_as, director, person):
    response = api_as(director).get(f"/api/v1/applicants/{person.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["snils"] == "•••-•••-445 95"
    assert data["id_number"] == "•••"
    assert AccessLog.objects.filter(
        event="view_applicant", user=director, subject_id=str(person.pk)
    ).exists()


def test_register_an_applicant_with_snils_in_any_formatting(api_as, specialist):
    body = {
        "snils": "112 233 445 95", "last_name": "Смирнова", "first_name": "Ольга",
        "middle_name": "Петровна", "sex": "F", "birth_date": "1961-02-03",
        "id_doc_type": "passport_rf", "id_series": "1804", "id_number": "654321",
    }  # fmt: skip
    response = api_as(specialist).post("/api/v1/applicants/", body, format="json")
    assert response.status_code == 201, response.content
    created = Applicant.objects.get(pk=response.json()["id"])
    assert created.snils == "11223344595" and created.office == specialist.office
    assert created.history.first().history_user == specialist
    assert response.json()["snils"] == "11223344595"


def test_a_wrong_snils_check_number_is_a_field_error_and_nothing_is_written(api_as, specialist):
    body = {"snils": "112-233-445 96", "last_name": "Смирнова", "first_name": "Ольга",
            "sex": "F", "birth_date": "1961-02-03"}  # fmt: skip
    response = api_as(specialist).post("/api/v1/applicants/", body, format="json")
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "validation_error"
    assert "контрольное число" in error["fields"]["snils"][0]["message"]
    assert not Applicant.objects.exists()


def test_unknown_fields_are_refused_not_ignored(api_as, specialist):
    body = {"last_name": "Смирнова", "first_name": "Ольга", "sex": "F",
            "birth_date": "1961-02-03", "surname": "Смирнова"}  # fmt: skip
    response = api_as(specialist).post("/api/v1/applicants/", body, format="json")
    assert response.status_code == 400
    assert response.json()["fields"]["surname"][0]["code"] == "unknown_field"
    assert not Applicant.objects.exists()


def test_malformed_json_and_wrong_types(api_as, specialist):
    client = api_as(specialist)
    broken = client.post("/api/v1/applicants/", '{"last_name": ', content_type="application/json")
    assert broken.status_code == 400 and broken.json()["code"] == "malformed_request"
    typed = client.post(
        "/api/v1/applicants/",
        {"last_name": ["x"], "first_name": 5, "sex": "F", "birth_date": "вчера"},
        format="json",
    )
    assert typed.status_code == 400
    assert set(typed.json()["fields"]) >= {"last_name", "birth_date"}
    form = client.post(
        "/api/v1/applicants/", "last_name=x", content_type="application/x-www-form-urlencoded"
    )
    assert form.status_code == 415 and form.json()["code"] == "unsupported_media_type"


def test_another_offices_person_is_404_and_logged_as_refused(api_as, other_specialist, person):
    response = api_as(other_specialist).get(f"/api/v1/applicants/{person.pk}/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert AccessLog.objects.filter(
        result=AccessLog.Result.REFUSED, subject_id=str(person.pk)
    ).exists()


@pytest.mark.parametrize(
    ("role", "read", "write"),
    [("specialist", 200, 201), ("chief", 200, 201), ("director", 200, 403),
     ("archivist", 200, 403), ("reg_admin", 403, 403)],
)  # fmt: skip
def test_applicant_permissions_by_role(request, api_as, role, read, write, person):
    user = request.getfixturevalue(role)
    client = api_as(user)
    assert client.get(f"/api/v1/applicants/{person.pk}/").status_code == read
    body = {"last_name": "Смирнова", "first_name": "Ольга", "sex": "F", "birth_date": "1961-02-03"}
    response = client.post("/api/v1/applicants/", body, format="json")
    assert response.status_code == write, response.content
    if write == 403:
        assert response.json()["code"] == "permission_denied"


# --- Applications -----------------------------------------------------------------------------


def test_register_an_application_and_download_its_receipt(api_as, specialist, person, catalogue):
    client = api_as(specialist)
    response = client.post("/api/v1/applications/", application_body(person), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    application = Application.objects.get(pk=data["id"])
    assert data["number"] == application.number_display
    assert data["deadline"] == application.deadline.isoformat()
    assert application.accepted_by == specialist
    receipt = client.get(f"/api/v1/applications/{application.pk}/receipt/")
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"
    import io

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(receipt.content)).pages)
    assert (
        application.number_display in text.replace(" ", "") or str(application.reg_number) in text
    )
    assert "Иванов" in text
    assert AccessLog.objects.filter(
        event="print_document", user=specialist, subject_id=str(application.pk)
    ).exists()


def test_the_same_idempotency_key_registers_once_and_answers_the_same(
    api_as, specialist, person, catalogue
):
    client = api_as(specialist)
    key = str(uuid.uuid4())
    first = client.post(
        "/api/v1/applications/", application_body(person), format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    second = client.post(
        "/api/v1/applications/", application_body(person), format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Application.objects.count() == 1
    other_body = client.post(
        "/api/v1/applications/",
        application_body(person, note="другое"),
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )
    assert other_body.status_code == 422 and other_body.json()["code"] == "idempotency_key_reused"


def test_the_api_and_the_form_register_through_the_same_service(
    api_as, client, specialist, catalogue
):
    """Numbering continues across both, the deadline is the same rule, both keep history and
    the access log with the user."""
    first = ApplicantFactory(office=specialist.office, snils="")
    second = ApplicantFactory(office=specialist.office, snils="", last_name="Петров")
    client.force_login(specialist)
    day = __import__("django.utils.timezone", fromlist=["x"]).localdate()
    form = client.post(
        reverse("cases:apply_form", args=[first.pk, SERVICE]), checklist_post(SERVICE, day)
    )
    assert form.status_code == 302
    by_form = Application.objects.get(applicant=first)
    api = api_as(specialist).post("/api/v1/applications/", application_body(second), format="json")
    assert api.status_code == 201, api.content
    by_api = Application.objects.get(applicant=second)
    assert by_api.reg_number == by_form.reg_number + 1 and by_api.reg_year == by_form.reg_year
    assert by_api.deadline == by_form.deadline and by_api.registered_on == by_form.registered_on
    assert by_api.history.first().history_user == by_form.history.first().history_user == specialist
    assert by_api.case_file.number == by_form.case_file.number + 1
    assert AccessLog.objects.filter(
        event="view_applicant", user=specialist, subject_id=str(second.pk)
    ).exists()


def test_an_incomplete_checklist_is_refused_at_its_field(api_as, specialist, person, catalogue):
    body = application_body(person)
    body["documents"] = body["documents"][1:]
    response = api_as(specialist).post("/api/v1/applications/", body, format="json")
    assert response.status_code in (400, 409), response.content
    assert response.json()["message"]
    assert not Application.objects.exists()


def test_a_line_of_another_checklist_is_refused(api_as, specialist, person, catalogue):
    body = application_body(person)
    body["documents"][0]["document"] = 10**9
    response = api_as(specialist).post("/api/v1/applications/", body, format="json")
    assert response.status_code == 400
    assert "documents.0.document" in response.json()["fields"]


def test_transitions_follow_the_lifecycle_and_the_role(
    api_as, specialist, chief, person, catalogue
):
    application = ApplicationFactory(actor=specialist, applicant=person)
    url = f"/api/v1/applications/{application.pk}/transition/"
    wrong = api_as(specialist).post(url, {"action": "review"}, format="json")
    assert wrong.status_code == 409 and wrong.json()["code"] == "refused"
    assert "невозможно" in wrong.json()["message"]
    moved = api_as(specialist).post(url, {"action": "transfer"}, format="json")
    assert moved.status_code == 200 and moved.json()["status"] == "transferred"
    decide = api_as(specialist).post(url, {"action": "grant"}, format="json")
    assert decide.status_code == 403
    application.refresh_from_db()
    assert application.status == "transferred"
    assert (
        "grant"
        in api_as(chief).get(f"/api/v1/applications/{application.pk}/").json()["transitions"]
    )


def test_lists_are_filtered_ordered_paginated_and_scoped(
    api_as, specialist, other_specialist, catalogue
):
    mine = [ApplicationFactory(actor=specialist) for _ in range(3)]
    ApplicationFactory(actor=other_specialist)
    client = api_as(specialist)
    page = client.get("/api/v1/applications/", {"page_size": 2, "ordering": "reg_number"}).json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]
    assert [r["id"] for r in page["results"]] == [a.pk for a in mine[:2]]
    assert client.get("/api/v1/applications/", {"status": "granted"}).json()["count"] == 0
    assert client.get("/api/v1/applications/", {"service": SERVICE}).json()["count"] == 3
    capped = client.get("/api/v1/applications/", {"page_size": 100000}).json()
    assert len(capped["results"]) == 3
    bad = client.get("/api/v1/applications/", {"registered_from": "31.02.2026"})
    assert bad.status_code == 400 and "registered_from" in bad.json()["fields"]


def test_unknown_address_under_api_is_json_404(api_as, specialist):
    response = api_as(specialist).get("/api/v1/nothing-here/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_a_body_over_the_limit_is_413(api_as, specialist, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"last_name": "Я" * 2000})
    response = api_as(specialist).post("/api/v1/applicants/", body, content_type="application/json")
    assert response.status_code == 413 and response.json()["code"] == "too_large"


def test_kept_answers_leave_after_their_days(
    api_as, specialist, person, catalogue, freeze_now, settings
):
    import datetime

    from django.utils import timezone

    from onewindow.models import IdempotentRequest
    from onewindow.tasks import purge_idempotent_requests

    key = str(uuid.uuid4())
    api_as(specialist).post(
        "/api/v1/applications/", application_body(person), format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    assert IdempotentRequest.objects.count() == 1
    now = timezone.localtime().replace(tzinfo=None)
    freeze_now(now + datetime.timedelta(days=settings.API_IDEMPOTENCY_DAYS - 1))
    assert purge_idempotent_requests() == 0
    freeze_now(now + datetime.timedelta(days=settings.API_IDEMPOTENCY_DAYS + 1))
    assert purge_idempotent_requests() == 1
    assert not IdempotentRequest.objects.exists()
