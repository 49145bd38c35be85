import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from cases.models import Entitlement
from reconciliation.models import AmbiguousRow, ExtractProfile, ReconciliationRun, Selection
from tests.reconciliation.files import EMPLOYMENT_ROWS, HEADER, write_csv


def reconcile_quietly(path) -> None:
    """`manage.py reconcile` of a ЦЗН employment extract, its output discarded."""
    call_command(
        "reconcile", str(path), "--source", "czn", "--kind", "employment", stdout=io.StringIO()
    )


pytestmark = pytest.mark.django_db


def csv_bytes(tmp_path, rows=EMPLOYMENT_ROWS):
    return write_csv(tmp_path / "up.csv", HEADER, rows).read_bytes()


def test_upload_shows_a_preview_then_runs(
    client, specialist, recipients, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(specialist)
    profile = ExtractProfile.objects.get(name="czn-employment")
    html = client.post(reverse("reconciliation:runs"),
                       {"profile": profile.pk, "file": SimpleUploadedFile("czn.csv", csv_bytes(tmp_path))}).content.decode()  # fmt: skip
    assert "Предпросмотр: czn.csv" in html
    assert "Алексеева" in html and "01.05.1990" in html and "⚠ неверная дата «31.02.1950»" in html
    assert not ReconciliationRun.objects.exists()
    staged = html.split('name="staged" value="')[1].split('"')[0]
    with django_capture_on_commit_callbacks(execute=False) as sent:
        response = client.post(
            reverse("reconciliation:runs"),
            {"start": "1", "staged": staged, "profile": profile.pk, "file_name": "czn.csv"},
        )
    run = ReconciliationRun.objects.get()
    assert response["Location"] == reverse("reconciliation:run", args=[run.pk])
    # the run's job is sent once the upload commits; until it runs, the page polls
    assert (run.job.kind, run.job.status, run.job.params) == ("reconciliation.run", "queued", {"run": run.pk})  # fmt: skip
    html = client.get(reverse("reconciliation:run", args=[run.pk])).content.decode()
    assert "состояние: <strong>в очереди</strong>" in html and 'hx-trigger="every 1s"' in html
    for callback in sent:
        callback()
    run.refresh_from_db()
    assert run.job.status == "done"
    assert (
        run.status == "done" and run.counts["selections"] == 3 and run.office == specialist.office
    )
    html = client.get(reverse("reconciliation:run", args=[run.pk])).content.decode()
    assert "Совпали по СНИЛС" in html and "Ошибочные строки (1)" in html


def test_upload_of_a_bad_file_says_why(client, specialist, recipients):
    client.force_login(specialist)
    profile = ExtractProfile.objects.get(name="czn-employment")
    html = client.post(reverse("reconciliation:runs"),
                       {"profile": profile.pk, "file": SimpleUploadedFile("x.xlsx", b"a;b\n1;2\n")}).content.decode()  # fmt: skip
    assert "Файл не является книгой XLSX (возможно, это переименованный CSV)" in html
    assert not ReconciliationRun.objects.exists()


def test_worklist_item_and_bulk_actions(client, specialist, chief, recipients, tmp_path):
    path = write_csv(tmp_path / "w.csv", HEADER, EMPLOYMENT_ROWS)
    reconcile_quietly(path)
    client.force_login(chief)
    html = client.get(reverse("reconciliation:worklist")).content.decode()
    assert "Алексеева Анна Петровна" in html and "трудоустройство" in html
    item = Selection.objects.get(applicant=recipients["a"])
    response = client.post(
        reverse("reconciliation:item", args=[item.pk]),
        {"outcome": "suspended", "note": "справка ЦЗН"},
    )
    assert response.status_code == 302
    assert Entitlement.objects.get(applicant=recipients["a"]).status == "suspended"
    rest = list(Selection.objects.filter(status="open").values_list("pk", flat=True))
    html = client.post(
        reverse("reconciliation:bulk"), {"items": rest, "outcome": "no_action"}, follow=True
    ).content.decode()
    # the probable match is left for a person to confirm on its own page, and the page says so
    probable = Selection.objects.get(needs_confirmation=True)
    assert list(Selection.objects.filter(status="open")) == [probable]
    assert (
        f"Отработано селекций: {len(rest) - 1}. Пропущено 1: вероятные совпадения — "
        "подтвердите их по одному." in html
    )
    html = client.post(
        reverse("reconciliation:bulk"),
        {"items": [probable.pk], "outcome": "no_action"},
        follow=True,
    ).content.decode()
    assert "Ничего не отработано. Пропущено 1: вероятные совпадения" in html
    client.post(reverse("reconciliation:item", args=[probable.pk]), {"outcome": "no_action"})
    assert not Selection.objects.filter(status="open").exists()
    html = client.post(
        reverse("reconciliation:bulk"), {"items": rest}, follow=True
    ).content.decode()
    assert "Выберите результат отработки." in html


def test_ambiguous_row_resolved_to_a_person(client, specialist, recipients, tmp_path):
    path = write_csv(tmp_path / "amb.csv", HEADER, EMPLOYMENT_ROWS)
    reconcile_quietly(path)
    row = AmbiguousRow.objects.get()
    client.force_login(specialist)
    html = client.get(reverse("reconciliation:ambiguous")).content.decode()
    assert "Козлова Мария Олеговна" in html
    client.post(reverse("reconciliation:ambiguous"), {"row": row.pk, "choice": recipients["d2"].pk})
    row.refresh_from_db()
    assert row.resolved and row.chosen == recipients["d2"]
    assert Selection.objects.filter(applicant=recipients["d2"], kind="employment").exists()


def test_other_office_does_not_see_the_items(client, other_specialist, recipients, tmp_path):
    path = write_csv(tmp_path / "o.csv", HEADER, EMPLOYMENT_ROWS)
    reconcile_quietly(path)
    client.force_login(other_specialist)
    html = client.get(reverse("reconciliation:worklist"), {"whose": "all"}).content.decode()
    assert "Алексеева" not in html
    item = Selection.objects.first()
    assert client.get(reverse("reconciliation:item", args=[item.pk])).status_code == 404


def test_the_preview_says_which_columns_it_did_not_find(client, specialist, recipients):
    client.force_login(specialist)
    profile = ExtractProfile.objects.filter(kind="deaths").first()
    data = "СНИЛС;Фамилия;Имя;Отчество;ДатаРождения;Примечание\n112-233-445 95;Алексеева;Анна;Петровна;01.05.1990;умерла\n"
    html = client.post(
        reverse("reconciliation:runs"),
        {"profile": profile.pk, "file": SimpleUploadedFile("d.csv", data.encode("cp1251"))},
    ).content.decode()
    assert "01.05.1990" in html  # «ДатаРождения» is the birth date
    assert "Не найдены столбцы: Дата события." in html
    assert "при отработке её придётся указать вручную" in html


def test_worklist_pages_filters_and_sorts(client, chief, recipients, tmp_path):
    import datetime

    from django.utils import timezone

    from tests.factories import ApplicantFactory

    path = write_csv(tmp_path / "w.csv", HEADER, EMPLOYMENT_ROWS)
    reconcile_quietly(path)
    first = Selection.objects.order_by("pk").first()
    copies = []
    for n in range(60):
        copy = Selection.objects.get(pk=first.pk)
        copy.pk = None
        copy.applicant = ApplicantFactory(office=first.office, last_name=f"Селекцина{n:02d}")
        copies.append(copy)
    Selection.objects.bulk_create(copies)
    total = Selection.objects.count()
    old = Selection.objects.order_by("pk")[:5]
    Selection.objects.filter(pk__in=[s.pk for s in old]).update(
        created_at=timezone.now() - datetime.timedelta(days=20)
    )
    client.force_login(chief)
    html = client.get(reverse("reconciliation:worklist"), {"whose": "all"}).content.decode()
    assert f"Показаны 1–50 из {total}" in html
    html = client.get(
        reverse("reconciliation:worklist"), {"whose": "all", "page": 2}
    ).content.decode()
    assert f"Показаны 51–{total} из {total}" in html
    html = client.get(
        reverse("reconciliation:worklist"), {"whose": "all", "older": "10"}
    ).content.decode()
    assert "Показаны 1–5 из 5" in html
    other_run = Selection.objects.exclude(run=first.run).count()
    html = client.get(
        reverse("reconciliation:worklist"), {"whose": "all", "run": first.run_id}
    ).content.decode()
    assert f"из {total - other_run}" in html
    html = client.get(
        reverse("reconciliation:worklist"), {"whose": "all", "sort": "-applicant"}
    ).content.decode()
    assert 'aria-sort="descending"' in html
    for params in (
        {"sort": "zzz"},
        {"page": "abc"},
        {"older": "x"},
        {"run": "-1"},
        {"older": "99999999"},
    ):
        assert client.get(reverse("reconciliation:worklist"), params).status_code == 200
