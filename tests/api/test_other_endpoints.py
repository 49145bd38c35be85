"""Selections, the archive, assignments and the dashboard over the API: the same services and
rights as their screens."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from archive.models import FileIssue
from onewindow.models import AccessLog, Assignment, Job
from reconciliation import services
from reconciliation.models import ExtractProfile, ReconciliationRun, Selection
from tests.factories import ArchivedFileFactory
from tests.reconciliation.files import EMPLOYMENT_ROWS, HEADER, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def upload(tmp_path, name="employment.csv"):
    path = write_csv(tmp_path / name, HEADER, EMPLOYMENT_ROWS)
    return SimpleUploadedFile(name, path.read_bytes(), content_type="text/csv")


# --- Selections -------------------------------------------------------------------------------


def test_upload_an_extract_follow_its_run_and_work_out_an_item(
    api_as, specialist, recipients, tmp_path, django_capture_on_commit_callbacks
):
    client = api_as(specialist)
    with django_capture_on_commit_callbacks(execute=True):  # the run starts once committed
        response = client.post(
            "/api/v1/reconciliation-runs/", {"file": upload(tmp_path), "profile": "czn-employment"},
            format="multipart",
        )  # fmt: skip
    assert response.status_code == 201, response.content
    run = ReconciliationRun.objects.get(pk=response.json()["id"])
    status = client.get(f"/api/v1/reconciliation-runs/{run.pk}/").json()
    assert status["status"] == "done" and status["percent"] == 100
    assert status["counts"]["matched_snils"] >= 1
    items = client.get("/api/v1/selections/", {"run": run.pk}).json()
    assert items["count"] == Selection.objects.filter(run=run).count() > 0
    item = Selection.objects.filter(run=run, applicant=recipients["a"]).get()
    worked = client.post(
        f"/api/v1/selections/{item.pk}/work-out/",
        {"outcome": "no_action", "note": "проверено"},
        format="json",
    )
    assert worked.status_code == 200, worked.content
    assert worked.json()["status"] == "done"
    again = client.post(
        f"/api/v1/selections/{item.pk}/work-out/", {"outcome": "no_action"}, format="json"
    )
    assert again.status_code == 409 and "уже отработана" in again.json()["message"]
    listed = AccessLog.objects.get(event="view_selections", subject_repr="селекции")
    assert str(recipients["a"].pk) in listed.detail and listed.user == specialist
    assert client.get(f"/api/v1/selections/{item.pk}/").json()["applicant"] == recipients["a"].pk
    assert AccessLog.objects.filter(
        event="view_applicant", user=specialist, subject_id=str(recipients["a"].pk)
    ).exists()


def test_the_same_file_again_is_refused_with_the_reason(
    api_as, specialist, recipients, tmp_path, django_capture_on_commit_callbacks
):
    client = api_as(specialist)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(
            "/api/v1/reconciliation-runs/",
            {"file": upload(tmp_path), "profile": "czn-employment"},
            format="multipart",
        )
    assert first.status_code == 201
    second = client.post(
        "/api/v1/reconciliation-runs/",
        {"file": upload(tmp_path), "profile": "czn-employment"},
        format="multipart",
    )
    assert second.status_code == 409 and "уже обработан" in second.json()["message"]
    assert ReconciliationRun.objects.count() == 1


def test_a_file_of_the_wrong_kind_is_a_field_error(api_as, specialist, tmp_path):
    bad = SimpleUploadedFile(
        "photo.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, content_type="text/csv"
    )
    response = api_as(specialist).post(
        "/api/v1/reconciliation-runs/",
        {"file": bad, "profile": "czn-employment"},
        format="multipart",
    )
    assert response.status_code == 400, response.content
    assert "file" in response.json()["fields"]
    assert not ReconciliationRun.objects.exists()


def test_a_running_run_says_its_step_as_its_page_does(api_as, specialist, recipients, tmp_path):
    """The run's step («загрузка», «запись результатов») is what the page and the command line
    show while a long file runs; queued or finished, there is none. It is read, never written."""
    path = write_csv(tmp_path / "s.csv", HEADER, EMPLOYMENT_ROWS)
    profile = ExtractProfile.objects.get(name="czn-employment")
    run = services.create_run(path, profile=profile, office=specialist.office)
    client = api_as(specialist)
    url = f"/api/v1/reconciliation-runs/{run.pk}/"
    assert client.get(url).json()["step"] == ""
    Job.objects.filter(pk=run.job_id).update(status="running", progress=150000, step="загрузка")
    status = client.get(url).json()
    assert status["step"] == "загрузка" and status["progress"] == 150000
    Job.objects.filter(pk=run.job_id).update(step="запись результатов")
    assert client.get(url).json()["step"] == "запись результатов"
    assert client.patch(url, {"step": "готово"}, format="json").status_code == 405
    assert Job.objects.get(pk=run.job_id).step == "запись результатов"
    Job.objects.filter(pk=run.job_id).update(status="queued", progress=0, step="")
    run = services.execute_run(run.pk)
    Job.objects.filter(pk=run.job_id).update(step="запись результатов")  # a step left behind
    status = client.get(url).json()
    assert status["status"] == "done" and status["step"] == ""


def test_the_director_reads_runs_but_does_not_upload(api_as, director, tmp_path):
    client = api_as(director)
    assert client.get("/api/v1/reconciliation-runs/").status_code == 200
    response = client.post(
        "/api/v1/reconciliation-runs/",
        {"file": upload(tmp_path), "profile": "czn-employment"},
        format="multipart",
    )
    assert response.status_code == 403


# --- The archive ------------------------------------------------------------------------------


@pytest.fixture
def archived(office, archivist, catalogue, box):
    return ArchivedFileFactory(
        actor=archivist, applicant__last_name="Архивова", archive_number="А-1",
        title="Личное дело Архивовой", end_date=datetime.date(2021, 3, 1), location=box,
    )  # fmt: skip


def test_issue_and_return_an_archived_file(api_as, archivist, specialist, archived):
    client = api_as(archivist)
    assert client.get(f"/api/v1/archive/files/{archived.pk}/").json()["status"] == "in_archive"
    issued = client.post(
        f"/api/v1/archive/files/{archived.pk}/issue/",
        {"to_user": specialist.pk, "purpose": "проверка"},
        format="json",
    )
    assert issued.status_code == 201, issued.content
    assert (
        client.get(f"/api/v1/archive/files/{archived.pk}/").json()["current_issue"]["issued_to"]
        == specialist.pk
    )
    twice = client.post(
        f"/api/v1/archive/files/{archived.pk}/issue/",
        {"to_user": specialist.pk, "purpose": "ещё"},
        format="json",
    )
    assert twice.status_code == 409 and "уже выдано" in twice.json()["message"]
    back = client.post(f"/api/v1/archive/issues/{issued.json()['id']}/return/")
    assert back.status_code == 200 and back.json()["returned_on"]
    archived.refresh_from_db()
    assert archived.status == "in_archive" and FileIssue.objects.get().returned_on


def test_a_specialist_may_not_issue_and_another_office_sees_404(
    api_as, specialist, other_specialist, archived
):
    assert (
        api_as(specialist)
        .post(
            f"/api/v1/archive/files/{archived.pk}/issue/",
            {"to_user": specialist.pk, "purpose": "x"},
            format="json",
        )
        .status_code
        == 403
    )
    assert api_as(other_specialist).get(f"/api/v1/archive/files/{archived.pk}/").status_code in (
        403,
        404,
    )


# --- Assignments and the dashboard ------------------------------------------------------------


def test_the_chief_gives_an_assignment_and_the_specialist_closes_it(api_as, chief, specialist):
    given = api_as(chief).post(
        "/api/v1/assignments/",
        {"assignee": specialist.pk, "text": "Проверить дела", "days": 3},
        format="json",
    )
    assert given.status_code == 201, given.content
    pk = given.json()["id"]
    mine = api_as(specialist)
    assert [a["id"] for a in mine.get("/api/v1/assignments/").json()["results"]] == [pk]
    assert (
        mine.post(
            "/api/v1/assignments/", {"assignee": specialist.pk, "text": "x"}, format="json"
        ).status_code
        == 403
    )
    done = mine.post(f"/api/v1/assignments/{pk}/done/", {"note": "проверены"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert Assignment.objects.get(pk=pk).history.first().history_user == specialist


def test_dashboard_figures_for_the_chief_only(api_as, chief, specialist, other_office):
    board = api_as(chief).get("/api/v1/dashboard/")
    assert board.status_code == 200, board.content
    data = board.json()
    assert data["offices"] == [chief.office.code] and data["sections"]
    assert all(
        {"label", "value", "alarm"} <= set(f) for s in data["sections"] for f in s["figures"]
    )
    assert api_as(specialist).get("/api/v1/dashboard/").status_code == 403
    assert api_as(chief).get("/api/v1/dashboard/", {"office": other_office.pk}).status_code == 404
    future = api_as(chief).get("/api/v1/dashboard/", {"day": "2099-01-01"})
    assert future.status_code == 400 and "day" in future.json()["fields"]


def test_the_schema_and_the_offline_docs(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/applications/" in paths and "/api/v1/reconciliation-runs/" in paths
    assert schema.json()["components"]["securitySchemes"]["token"]["in"] == "header"
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "http" not in page.replace("http-equiv", "").split("<body>")[1].split("swagger-ui")[0]
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "unsafe-inline" not in docs["Content-Security-Policy"]
    assert "<script>" not in page and "<style>" not in page
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
    redoc = client.get("/api/redoc/")
    assert redoc.status_code == 200 and "redoc.standalone.js" in redoc.content.decode()
    assert "fonts.googleapis" not in redoc.content.decode()


# --- Requests ---------------------------------------------------------------------------------


def test_register_and_answer_an_incoming_request(api_as, specialist):
    from cases.models import RequestKind

    client = api_as(specialist)
    body = {
        "kind": RequestKind.objects.order_by("pk").first().code, "sender": "ОСЗН г. Камышина", "sender_number": "12-345",
        "sender_date": "2026-11-20", "received_on": "2026-11-23", "subject_name": "Иванов Иван Иванович",
        "subject_birth_date": "1950-03-15", "subject_snils": "112-233-445 95",
        "question": "Сведения о получении ЕДВ",
    }  # fmt: skip
    created = client.post("/api/v1/incoming-requests/", body, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["subject_snils"] == "11223344595" and data["due_date"] > "2026-11-23"
    future = client.post(
        "/api/v1/incoming-requests/",
        {**body, "received_on": "2099-01-01", "sender_date": "2099-01-01"},
        format="json",
    )
    assert future.status_code == 400 and "received_on" in future.json()["fields"]
    answered = client.post(
        f"/api/v1/incoming-requests/{data['id']}/answer/",
        {"answer": "ЕДВ получает с 2020 года."},
        format="json",
    )
    assert answered.status_code == 200, answered.content
    assert answered.json()["answered_on"] == "2026-11-24"
    twice = client.post(
        f"/api/v1/incoming-requests/{data['id']}/answer/", {"answer": "ещё"}, format="json"
    )
    assert twice.status_code == 400 and "уже ответили" in twice.json()["message"]


def test_answer_an_interagency_request(api_as, specialist, catalogue):
    from cases.models import InteragencyRequest
    from tests.factories import ApplicationFactory

    for code in ("edv-veterans", "asp", "food-subsidy", "unemployed-mothers"):
        ApplicationFactory(actor=specialist, service=code)
        if InteragencyRequest.objects.exists():
            break
    item = InteragencyRequest.objects.first()
    assert item is not None
    client = api_as(specialist)
    answered = client.post(
        f"/api/v1/interagency-requests/{item.pk}/answer/",
        {"result": "received", "response_on": "2026-11-24", "note": "получено по СМЭВ"}, format="json",
    )  # fmt: skip
    assert answered.status_code == 200, answered.content
    assert (
        answered.json()["result"] == "received" and answered.json()["response_on"] == "2026-11-24"
    )
    wrong = client.post(
        f"/api/v1/interagency-requests/{item.pk}/answer/",
        {"result": "maybe", "response_on": "2026-11-24"},
        format="json",
    )
    assert wrong.status_code == 400 and "result" in wrong.json()["fields"]
