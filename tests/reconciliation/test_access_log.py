"""Every page and export of selections that shows people's data writes the access log, naming
whose records were shown (152-ФЗ)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from onewindow.models import AccessLog
from reconciliation.models import AmbiguousRow, ExtractProfile, ReconciliationRun, Selection
from reconciliation.views import shown_people
from tests.reconciliation.files import EMPLOYMENT_ROWS, HEADER, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(recipients, tmp_path):
    path = write_csv(tmp_path / "w.csv", HEADER, EMPLOYMENT_ROWS)
    call_command("reconcile", str(path), "--source", "czn", "--kind", "employment", stdout=io.StringIO())  # fmt: skip
    return ReconciliationRun.objects.get()


def only_entry(user, event) -> AccessLog:
    entry = AccessLog.objects.get(user=user, event=event)
    assert entry.result == "allowed" and entry.office == user.office
    return entry


def test_the_worklist_logs_whose_items_it_showed(client, chief, run):
    client.force_login(chief)
    client.get(reverse("reconciliation:worklist"), {"whose": "all"})
    entry = only_entry(chief, "view_selections")
    people = sorted(Selection.objects.values_list("applicant_id", flat=True))
    assert entry.detail == f"показаны получатели (3): {', '.join(map(str, people))}"
    assert entry.event_display == "Просмотр списка селекций"


def test_the_item_page_logs_the_person(client, specialist, run, recipients):
    item = Selection.objects.get(applicant=recipients["a"])
    client.force_login(specialist)
    client.get(reverse("reconciliation:item", args=[item.pk]))
    entry = only_entry(specialist, "view_applicant")
    assert (entry.subject_type, entry.subject_id) == ("cases.applicant", str(recipients["a"].pk))
    assert f"селекция № {item.pk}" in entry.detail


def test_the_run_page_and_its_errors_export_are_logged(client, specialist, run):
    client.force_login(specialist)
    client.get(reverse("reconciliation:run", args=[run.pk]))
    client.get(
        reverse("reconciliation:run", args=[run.pk]), headers={"HX-Request": "true"}
    )  # polled status
    entry = only_entry(specialist, "view_extract")
    assert (entry.subject_type, entry.subject_id) == (
        "reconciliation.reconciliationrun",
        str(run.pk),
    )
    assert entry.detail == "ошибочных строк: 1"
    response = client.get(reverse("reconciliation:run_errors", args=[run.pk]))
    assert response.status_code == 200
    entry = only_entry(specialist, "export")
    assert (
        entry.subject_repr == f"ошибочные строки сверки № {run.pk} (w.csv)"
        and "строк: 1" in entry.detail
    )


def test_the_ambiguous_rows_page_logs_the_candidates(client, specialist, run, recipients):
    client.force_login(specialist)
    html = client.get(reverse("reconciliation:ambiguous")).content.decode()
    assert "Козлова Мария Олеговна" in html
    entry = only_entry(specialist, "view_selections")
    d1, d2 = sorted([recipients["d1"].pk, recipients["d2"].pk])
    assert entry.detail == f"показаны получатели (2): {d1}, {d2}"
    assert AmbiguousRow.objects.count() == 1


def test_the_preview_logs_the_upload_it_showed(client, specialist, recipients, tmp_path):
    client.force_login(specialist)
    profile = ExtractProfile.objects.get(name="czn-employment")
    data = write_csv(tmp_path / "u.csv", HEADER, EMPLOYMENT_ROWS).read_bytes()
    client.post(reverse("reconciliation:runs"), {"profile": profile.pk, "file": SimpleUploadedFile("u.csv", data)})  # fmt: skip
    entry = only_entry(specialist, "view_extract")
    assert (
        entry.subject_repr == "предпросмотр выгрузки «u.csv»"
        and entry.detail == "строк показано: 8"
    )


def test_a_long_list_names_as_many_as_fit_and_how_many_more():
    text = shown_people(range(100000, 100500))
    assert len(text) <= 500 and text.startswith("показаны получатели (500): 100000, 100001")
    count = text.split(" … и ещё ")
    assert len(count) == 2 and len(count[0].split(": ")[1].split(", ")) + int(count[1]) == 500
    assert shown_people([]) == "показаны получатели: никто"
