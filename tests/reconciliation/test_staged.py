"""Uploads waiting on their preview (`StagedExtract`): they belong to the user and office that
uploaded them; the form names one by its token only; nothing else is ever run or deleted; an
upload never started expires and the periodic task removes it; too big a file is refused."""

import datetime
import io
import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from onewindow.models import AccessLog
from reconciliation import services, tasks
from reconciliation.models import ExtractProfile, ReconciliationRun, Selection, StagedExtract
from tests.reconciliation.files import EMPLOYMENT_ROWS, HEADER, write_csv

pytestmark = pytest.mark.django_db
NOT_FOUND = "Файл для запуска не найден: загрузите его ещё раз."


def stage(client, user, data: bytes, name="czn.csv") -> str:
    """Upload as `user`; the token the preview's form sends back."""
    client.force_login(user)
    profile = ExtractProfile.objects.get(name="czn-employment")
    html = client.post(
        reverse("reconciliation:runs"),
        {"profile": profile.pk, "file": SimpleUploadedFile(name, data)},
    ).content.decode()
    assert f"Предпросмотр: {name}" in html, html
    return html.split('name="staged" value="')[1].split('"')[0]


def start(client, token, **extra):
    return client.post(reverse("reconciliation:runs"), {"staged": token, "start": "1", **extra})


def message_after(client, response) -> str:
    assert response.status_code == 302, response.status_code
    return client.get(response["Location"]).content.decode()


@pytest.fixture
def extract(tmp_path, recipients) -> bytes:
    return write_csv(tmp_path / "up.csv", HEADER, EMPLOYMENT_ROWS).read_bytes()


def test_another_offices_specialist_cannot_start_or_delete_an_upload(
    client, specialist, other_specialist, extract, tmp_path, django_capture_on_commit_callbacks
):
    """The attack: another office's specialist posts forged `staged` values — the victim's token,
    «.», «..», paths, the stored copy of a finished run. Every one is «не найден»: no 500, no
    run, no file deleted."""
    done = write_csv(tmp_path / "done.csv", HEADER, EMPLOYMENT_ROWS[:2])
    call_command("reconcile", str(done), "--source", "czn", "--kind", "employment", stdout=io.StringIO())  # fmt: skip
    stored = Path(ReconciliationRun.objects.get().file_path)
    victim = stage(client, specialist, extract)
    upload = StagedExtract.objects.get(token=victim)
    staged_file = Path(upload.file_path)
    assert staged_file.is_file() and upload.office == specialist.office

    client.force_login(other_specialist)
    forged = [victim, ".", "..", "../..", staged_file.name, str(staged_file), stored.name,
              f"../{stored.name}", "staged/" + staged_file.name, victim[:-1] + "A", ""]  # fmt: skip
    for value in forged:
        for extra in ({}, {"force": "1", "encoding": "cp1251"}):
            response = start(client, value, **extra)
            assert NOT_FOUND in message_after(client, response), value
        response = client.post(reverse("reconciliation:runs"), {"staged": value, "refresh": "1"})
        assert NOT_FOUND in message_after(client, response), value
        client.post(reverse("reconciliation:runs"), {"staged": value, "discard": "1"})
    assert staged_file.is_file() and stored.is_file()
    assert ReconciliationRun.objects.count() == 1
    assert StagedExtract.objects.get(token=victim).state == "staged"
    refused = AccessLog.objects.filter(event="forbidden", result="refused", user=other_specialist)
    assert set(refused.values_list("subject_id", flat=True)) == {str(upload.pk)}  # the token tries

    # the owner still starts it; a replay of the token afterwards finds nothing
    client.force_login(specialist)
    with django_capture_on_commit_callbacks(execute=True):
        response = start(client, victim)
    run = ReconciliationRun.objects.latest("pk")
    assert response["Location"] == reverse("reconciliation:run", args=[run.pk])
    assert run.office == specialist.office and run.file_name == "czn.csv"
    assert not staged_file.exists() and Path(run.file_path).is_file() and stored.is_file()
    assert StagedExtract.objects.get(token=victim).run == run
    assert NOT_FOUND in message_after(client, start(client, victim))
    assert ReconciliationRun.objects.count() == 2


def test_a_colleague_of_the_same_office_cannot_start_my_upload(client, specialist, chief, extract):
    token = stage(client, specialist, extract)
    client.force_login(chief)
    assert NOT_FOUND in message_after(client, start(client, token))
    assert not ReconciliationRun.objects.exists()
    assert Path(StagedExtract.objects.get().file_path).is_file()


def test_cancel_on_the_preview_deletes_the_upload(client, specialist, extract):
    token = stage(client, specialist, extract)
    path = Path(StagedExtract.objects.get().file_path)
    client.post(reverse("reconciliation:runs"), {"staged": token, "discard": "1"})
    assert not path.exists() and not StagedExtract.objects.exists()


def test_uploads_of_one_moment_do_not_overwrite_each_other(client, specialist, other_specialist, extract):  # fmt: skip
    """The clock stands still in tests: two uploads at one moment are two files."""
    mine = stage(client, specialist, extract)
    theirs = stage(client, other_specialist, extract.replace(b"\r\n", b"\n"))
    paths = {Path(s.file_path) for s in StagedExtract.objects.all()}
    assert len(paths) == 2 and all(p.is_file() for p in paths) and mine != theirs


def test_an_unstarted_upload_expires_and_the_periodic_task_removes_it(
    client, specialist, extract, freeze_now, settings
):
    from django.utils import timezone

    settings.STAGED_EXTRACT_HOURS = 24
    token = stage(client, specialist, extract)
    waiting = StagedExtract.objects.get()
    started_token = stage(client, specialist, extract.replace(b"\r\n", b"\n"), name="b.csv")
    start(client, started_token)
    run = ReconciliationRun.objects.get()
    assert services.purge_staged_extracts() == 0 and Path(waiting.file_path).is_file()
    stray = services.staging_dir() / "left-by-a-crash.csv"
    stray.write_bytes(b"x")
    moment = timezone.now().timestamp()  # the files' times on the tests' clock
    os.utime(stray, (moment, moment))
    outside = services.storage_dir() / "not-staged.csv"
    outside.write_bytes(b"x")

    freeze_now(timezone.localtime() + datetime.timedelta(hours=23))
    client.force_login(specialist)  # a new working day, a new session
    assert NOT_FOUND not in client.post(reverse("reconciliation:runs"), {"staged": token, "refresh": "1"}).content.decode()  # fmt: skip
    freeze_now(timezone.localtime() + datetime.timedelta(hours=2))
    client.force_login(specialist)
    assert NOT_FOUND in message_after(client, start(client, token))  # expired: not started
    assert tasks.purge_staged_extracts.delay().get() == 1
    assert not Path(waiting.file_path).exists() and not stray.exists()
    assert list(StagedExtract.objects.values_list("state", flat=True)) == ["started"]
    assert outside.is_file() and Path(run.file_path).is_file()


def test_the_periodic_task_is_in_the_beat_schedule(settings):
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "reconciliation.purge_staged_extracts" in schedule


def test_a_file_over_the_size_limit_is_refused_naming_both_sizes(
    client, specialist, extract, settings
):
    settings.EXTRACT_MAX_MB = 1
    client.force_login(specialist)
    profile = ExtractProfile.objects.get(name="czn-employment")
    big = extract + b";".join([b"x"] * 800_000)  # about 1.5 MB
    html = client.post(
        reverse("reconciliation:runs"),
        {"profile": profile.pk, "file": SimpleUploadedFile("big.csv", big)},
    ).content.decode()
    assert "Файл «big.csv» слишком большой: 1,5 МБ, а наибольший размер выгрузки — 1 МБ." in html
    assert "Не более 1 МБ." in html
    assert not StagedExtract.objects.exists() and not any(services.staging_dir().iterdir())


def test_a_file_larger_than_the_in_memory_limit_streams_to_disk_and_previews(
    client, specialist, recipients, tmp_path, settings
):
    """Django keeps uploads up to FILE_UPLOAD_MAX_MEMORY_SIZE in memory and streams larger ones
    to a temporary file; DATA_UPLOAD_MAX_MEMORY_SIZE does not count the file's bytes."""
    rows = EMPLOYMENT_ROWS[:1] + [["", f"Фамилия{i}", "Имя", "", "01.01.1970", ""] for i in range(120_000)]  # fmt: skip
    data = write_csv(tmp_path / "big.csv", HEADER, rows).read_bytes()
    assert len(data) > max(
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE, settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    )
    token = stage(client, specialist, data, name="big.csv")
    assert StagedExtract.objects.get(token=token).size == len(data)


def test_the_same_extract_in_two_offices(
    client, specialist, other_specialist, extract, django_capture_on_commit_callbacks
):
    """The duplicate check is per office: another office runs the file one office processed,
    and a repeat names only the office's own run."""
    with django_capture_on_commit_callbacks(execute=True):
        start(client, stage(client, specialist, extract))
        start(client, stage(client, other_specialist, extract))
    first, second = ReconciliationRun.objects.order_by("pk")
    assert (first.office, second.office) == (specialist.office, other_specialist.office)
    assert first.status == second.status == "done" and first.sha256 == second.sha256
    assert second.counts["selections"] == 0  # office 2 has none of these people
    assert Selection.objects.filter(run=first).count() == 3
    # the repeat is refused at the upload, before a preview, naming only the office's own run
    profile = ExtractProfile.objects.get(name="czn-employment")
    html = client.post(
        reverse("reconciliation:runs"),
        {"profile": profile.pk, "file": SimpleUploadedFile("again.csv", extract)},
    ).content.decode()
    assert "Предпросмотр" not in html
    assert f"Этот файл уже обработан: сверка № {second.pk} " in html
    assert "«Обработать повторно, если этот файл уже обрабатывался»" in html
    assert "--force" not in html
    assert f"№ {first.pk} " not in html
    assert not StagedExtract.objects.filter(state="staged").exists()  # nothing kept
    assert not any(services.staging_dir().iterdir())  # and no file left behind
    # ticked, it is previewed and runs again
    html = client.post(
        reverse("reconciliation:runs"),
        {"profile": profile.pk, "file": SimpleUploadedFile("again.csv", extract), "force": "on"},
    ).content.decode()
    assert "Предпросмотр: again.csv" in html
