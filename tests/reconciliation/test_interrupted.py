"""A nightly run whose process is killed mid-run is found by the next scan and run again from
scratch, once; its file goes to processed/ only when the run is done (issue 13, item 10).

The scans run as real processes (`manage.py shell`) against the test database; the first one is
sent SIGKILL mid-run. Liveness is a lock the run's job holds (onewindow/liveness.py), so the
subprocesses' real clock and this process's frozen one never meet."""

import csv
import datetime
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from onewindow import jobs, liveness
from onewindow.models import Job
from reconciliation import services
from reconciliation.models import (
    AmbiguousRow,
    ExtractProfile,
    InvalidRow,
    ReconciliationRun,
    Selection,
)
from reconciliation.services import runs
from reconciliation.tasks import scan_inbox
from tests.reconciliation.files import EMPLOYMENT_ROWS, HEADER, write_csv, write_mixed

FILLER = 120_000  # people nobody knows: long enough to be killed in the middle
EXPECTED = {
    "rows_total": 8 + FILLER, "rows_invalid": 1, "matched_snils": 2, "matched_name_dob": 2,
    "probable": 1, "snils_only": 0, "ambiguous": 1, "unmatched": 1 + FILLER, "selections": 3,
}  # fmt: skip
LETTERS = "абвгдежзиклмнопрстуфхцчшэюя"
DEADLINE = 120  # seconds a subprocess may take to get where the test waits for it


def big_extract(path: Path) -> Path:
    """The employment rows of the other tests, then FILLER people born in 1900–1927 (nobody
    we know), with names of letters only (regular records for the set-based path)."""
    with path.open("w", encoding="cp1251", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(EMPLOYMENT_ROWS)
        start = datetime.date(1900, 1, 1)
        for i in range(FILLER):
            name = "".join(LETTERS[(i // 27**k) % 27] for k in range(4))
            born = start + datetime.timedelta(days=i % 10000)
            writer.writerow(["", f"Н{name}", "Иван", "", f"{born:%d.%m.%Y}", "01.11.2026"])
    return path


class Scans:
    """`manage.py shell` processes that run the nightly scan against this test's database (on
    SQLite, a file copy of the in-memory test database, read back after each scan)."""

    def __init__(self, tmp_path: Path, settings, way: str):
        self.file_db = None
        if connection.vendor == "sqlite":
            self.file_db = tmp_path / "scan.sqlite3"
            target = sqlite3.connect(self.file_db)
            connection.ensure_connection()
            connection.connection.backup(target)
            target.close()
            url = f"sqlite:///{self.file_db}"
        else:
            db = connection.settings_dict
            url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        self.env = {
            **os.environ,
            "DATABASE_URL": url,
            "RECONCILIATION_INBOX": str(settings.RECONCILIATION_INBOX),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "VAR_DIR": str(tmp_path / "var"),
            "RECONCILE_SQL": "1" if way == "sql" else "0",
            "CELERY_BROKER_URL": "",
            "DEBUG": "0",
        }

    def start(self) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-c",
             "from reconciliation.tasks import scan_inbox; scan_inbox()"],
            cwd=django_settings.BASE_DIR, env=self.env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip

    def read_back(self) -> None:
        """SQLite: what the scans wrote, into the test's database."""
        if self.file_db is not None:
            source = sqlite3.connect(self.file_db)
            source.backup(connection.connection)
            source.close()

    def run_state(self) -> tuple | None:
        """(status, progress) of the run's job, as the scanning process wrote them so far."""
        if self.file_db is None:
            row = (
                Job.objects.filter(kind=services.RUN_JOB).values_list("status", "progress").first()
            )
            return tuple(row) if row else None
        with sqlite3.connect(self.file_db, timeout=20) as db:
            return db.execute(
                "SELECT status, progress FROM onewindow_job WHERE kind = ?", [services.RUN_JOB]
            ).fetchone()


def wait_until(condition, what: str, process=None) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        if process is not None and process.poll() is not None:
            pytest.fail(f"the scan ended before {what}:\n{process.stdout.read()}")
        if time.monotonic() > deadline:
            pytest.fail(f"waited {DEADLINE} s for {what}")
        time.sleep(0.02)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("way", ["python", "sql"])
def test_a_scan_killed_mid_run_is_completed_by_the_next_scan(recipients, settings, tmp_path, way):
    if way == "sql" and connection.vendor != "postgresql":
        pytest.skip("the set-based path runs on PostgreSQL")
    folder = Path(settings.RECONCILIATION_INBOX) / "czn" / "employment"
    folder.mkdir(parents=True)
    extract = big_extract(folder / "czn-2026-11-24.csv")
    scans = Scans(tmp_path, settings, way)
    blocker = None
    if way == "sql":
        # The set-based run does its work in one transaction: it is stopped where it writes its
        # items (this session holds the table), and killed there, with all the matching done.
        import psycopg2

        blocker = psycopg2.connect(**connection.get_connection_params())
        blocker.cursor().execute("LOCK TABLE reconciliation_selection IN EXCLUSIVE MODE")

    first = scans.start()
    try:
        if way == "python":
            wait_until(
                lambda: (state := scans.run_state()) and state[0] == "running" and state[1] >= 10000,
                "the run's first 10,000 rows", first,
            )  # fmt: skip
        else:
            wait_until(lambda: waits_for_a_lock(), "the run waiting to write its items", first)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
        if blocker is not None:
            blocker.rollback()
            blocker.close()
    assert first.returncode == -signal.SIGKILL
    if connection.vendor == "postgresql":  # its backend ends (and rolls back) after it
        wait_until(lambda: not liveness.alive(jobs.LOCKS, Job.objects.values_list("pk", flat=True)),
                   "the killed worker's session to end")  # fmt: skip
    scans.read_back()
    run = ReconciliationRun.objects.get()
    assert run.state == "running" and run.attempts == 1, "killed before it finished"
    assert not Selection.objects.exists() and not InvalidRow.objects.exists()
    assert extract.exists(), "the file of an unfinished run stays in the inbox"

    second = scans.start()
    output, _ = second.communicate(timeout=DEADLINE)
    assert second.returncode == 0, output
    assert ("без SQL-ускорения" in output) is False  # the set-based way, where it is on
    scans.read_back()
    run = ReconciliationRun.objects.get()  # the same run, restarted: no second one
    assert run.status == "done", run.error
    assert run.attempts == 2 and run.interrupted_at is not None
    assert run.counts == EXPECTED
    items = list(Selection.objects.values_list("applicant_id", flat=True))
    assert sorted(items) == sorted({recipients[k].pk for k in ("a", "b", "f")})  # no duplicates
    assert InvalidRow.objects.count() == 1 and AmbiguousRow.objects.count() == 1
    assert not extract.exists()
    assert (Path(settings.RECONCILIATION_INBOX) / "processed" / "czn" / "employment" / extract.name).exists()  # fmt: skip


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fmt", ["dbf", "xlsx", "xml"])
def test_a_killed_set_based_run_of_each_format_is_completed_without_duplicates(
    recipients, settings, tmp_path, fmt
):
    """DBF, XLSX and XML are streamed into the same working table: a scan killed where the run
    writes its items (all read and matched, in its transaction) leaves nothing; the next scan
    finishes the same run with each item once."""
    if connection.vendor != "postgresql":
        pytest.skip("the set-based path runs on PostgreSQL")
    import psycopg2

    folder = Path(settings.RECONCILIATION_INBOX) / "czn" / "employment"
    folder.mkdir(parents=True)
    extract = write_mixed(folder / f"czn-2026-11-24.{fmt}", fmt, EMPLOYMENT_ROWS, quirks=False)
    scans = Scans(tmp_path, settings, "sql")
    blocker = psycopg2.connect(**connection.get_connection_params())
    blocker.cursor().execute("LOCK TABLE reconciliation_selection IN EXCLUSIVE MODE")
    first = scans.start()
    try:
        wait_until(lambda: waits_for_a_lock(), "the run waiting to write its items", first)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
        blocker.rollback()
        blocker.close()
    wait_until(lambda: not liveness.alive(jobs.LOCKS, Job.objects.values_list("pk", flat=True)),
               "the killed worker's session to end")  # fmt: skip
    run = ReconciliationRun.objects.get()
    assert run.state == "running" and not Selection.objects.exists()
    with connection.cursor() as cursor:  # its working tables went with its transaction
        cursor.execute("SELECT count(*) FROM pg_tables WHERE tablename ~ '^rc[0-9]+_'")
        assert cursor.fetchone()[0] == 0
    second = scans.start()
    output, _ = second.communicate(timeout=DEADLINE)
    assert second.returncode == 0, output
    assert "без SQL-ускорения" not in output
    run = ReconciliationRun.objects.get()
    assert run.status == "done" and run.attempts == 2, run.error
    assert run.counts == {**EXPECTED, "rows_total": 8, "unmatched": 1}
    items = list(Selection.objects.values_list("applicant_id", flat=True))
    assert sorted(items) == sorted({recipients[k].pk for k in ("a", "b", "f")})  # no duplicates
    assert InvalidRow.objects.count() == 1 and AmbiguousRow.objects.count() == 1
    assert not extract.exists()


def waits_for_a_lock() -> bool:
    """The session holding the run's job's liveness lock waits for the table, in the set-based
    statement that merges the run's items into the open ones."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.query FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.classid = %s::bigint::oid AND l.objid <> 0 "
            "AND l.granted AND a.wait_event_type = 'Lock'",
            [jobs.LOCKS],
        )
        row = cursor.fetchone()
    return row is not None and "UPDATE reconciliation_selection s SET" in row[0]


# --- In one process: the states around an interruption ------------------------------------------


def kill_midway(monkeypatch, run_id: int) -> None:
    """The worker dies after reading and matching, before writing (as SIGKILL would leave it:
    the lock released, the run «выполняется»)."""

    def killed(*args, **kwargs):
        raise SystemExit("killed")

    with monkeypatch.context() as patch:
        patch.setattr(runs, "_write", killed)
        with pytest.raises(SystemExit):
            services.execute_run(run_id)


@pytest.mark.django_db
def test_a_run_interrupted_twice_fails_and_its_file_goes_to_failed(recipients, settings, monkeypatch):  # fmt: skip
    settings.RECONCILE_SQL = False
    folder = Path(settings.RECONCILIATION_INBOX) / "czn" / "employment"
    folder.mkdir(parents=True)
    extract = write_csv(folder / "czn.csv", HEADER, EMPLOYMENT_ROWS)
    profile = ExtractProfile.objects.get(name="czn-employment")
    run = services.create_run(extract, profile=profile, origin="inbox")
    kill_midway(monkeypatch, run.pk)
    # the next scan's sweep finds it, the file brings the same run back: it dies again
    assert jobs.recover_jobs() == [run.job_id]  # (sent on commit: never, in this test)
    run.refresh_from_db()
    assert run.state == "interrupted" and run.state_display.startswith("прервана 24.11.2026 10:00")
    again = services.create_run(extract, profile=profile, origin="inbox")
    assert again.pk == run.pk and again.resumed
    kill_midway(monkeypatch, run.pk)
    scan_inbox()  # the third time it is not started: failed, and the file with it
    run.refresh_from_db()
    assert run.status == "failed" and run.attempts == 2 and "прервана 2 раза" in run.error
    assert run.state_display == "прервана 24.11.2026 10:00, не завершена"
    assert (Path(settings.RECONCILIATION_INBOX) / "failed" / "czn" / "employment" / "czn.csv").exists()  # fmt: skip
    assert not Selection.objects.exists() and ReconciliationRun.objects.count() == 1


@pytest.mark.django_db
def test_already_processed_counts_finished_runs_only(recipients, settings, tmp_path, monkeypatch):
    settings.RECONCILE_SQL = False
    path = write_csv(tmp_path / "x.csv", HEADER, EMPLOYMENT_ROWS)
    profile = ExtractProfile.objects.get(name="czn-employment")
    run = services.create_run(path, profile=profile)
    kill_midway(monkeypatch, run.pk)
    # a second upload of the file is the same run, not "already processed"
    assert services.create_run(path, profile=profile).pk == run.pk
    services.execute_run(run.pk)
    with pytest.raises(services.AlreadyProcessed, match=f"сверка № {run.pk}"):
        services.create_run(path, profile=profile)
    office = recipients["a"].office
    with pytest.raises(services.AlreadyProcessed):  # a run over every office covers this one
        services.create_run(path, profile=profile, office=office)
    # a finished run of one office does not cover the others
    other = write_csv(tmp_path / "y.csv", HEADER, EMPLOYMENT_ROWS[:3])
    services.execute_run(services.create_run(other, profile=profile, office=office).pk)
    regional = services.create_run(other, profile=profile)
    assert regional.office is None and regional.status == "queued"


@pytest.mark.django_db
def test_a_live_worker_keeps_its_run_and_its_file(recipients, settings, another_worker):
    settings.RECONCILE_SQL = False
    folder = Path(settings.RECONCILIATION_INBOX) / "czn" / "employment"
    folder.mkdir(parents=True)
    extract = write_csv(folder / "czn.csv", HEADER, EMPLOYMENT_ROWS)
    run = services.create_run(extract, profile=ExtractProfile.objects.get(name="czn-employment"), origin="inbox")  # fmt: skip
    Job.objects.filter(pk=run.job_id).update(status="running", attempts=1)
    with another_worker(run.job_id):
        assert liveness.alive(jobs.LOCKS, [run.job_id]) == {run.job_id}
        assert services.interrupted([ReconciliationRun.objects.get()]) == set()
        scan_inbox()
        run.refresh_from_db()
        assert run.state == "running" and run.attempts == 1 and extract.exists()
    assert liveness.alive(jobs.LOCKS, [run.job_id]) == set()
    assert services.interrupted([run]) == {run.pk}
    scan_inbox()
    run.refresh_from_db()
    assert run.status == "done" and run.attempts == 2 and not extract.exists()


@pytest.mark.django_db
def test_the_chief_sees_an_interrupted_run_in_the_list_and_on_the_home_page(
    client, chief, recipients, tmp_path, monkeypatch, settings
):
    settings.RECONCILE_SQL = False
    profile = ExtractProfile.objects.get(name="czn-employment")
    run = services.create_run(write_csv(tmp_path / "n.csv", HEADER, EMPLOYMENT_ROWS), profile=profile, origin="inbox")  # fmt: skip
    kill_midway(monkeypatch, run.pk)
    client.force_login(chief)
    # before any sweep: «выполняется» with nobody running it is shown as what it is
    html = client.get(reverse("reconciliation:runs")).content.decode()
    assert "прервана, будет перезапущена" in html
    html = client.get(reverse("home")).content.decode()
    assert f"Сверка № {run.pk} (n.csv) прервана, будет перезапущена" in html
    page = client.get(reverse("reconciliation:run", args=[run.pk])).content.decode()
    assert "прервана, будет перезапущена" in page and 'hx-trigger="every 1s"' not in page  # dead
    jobs.recover_jobs()
    html = client.get(reverse("reconciliation:runs")).content.decode()
    assert "прервана 24.11.2026 10:00, будет перезапущена" in html
    html = client.get(reverse("reconciliation:run", args=[run.pk])).content.decode()
    assert "прервана 24.11.2026 10:00, будет перезапущена" in html
    services.execute_run(run.pk)
    html = client.get(reverse("home")).content.decode()
    assert "прервана" not in html


@pytest.mark.django_db
def test_uploading_a_file_whose_run_died_takes_that_run_up_again(
    client, specialist, recipients, tmp_path, monkeypatch, settings, django_capture_on_commit_callbacks
):  # fmt: skip
    settings.RECONCILE_SQL = False
    path = write_csv(tmp_path / "u.csv", HEADER, EMPLOYMENT_ROWS)
    profile = ExtractProfile.objects.get(name="czn-employment")
    run = services.create_run(path, profile=profile, actor=specialist, office=specialist.office)
    kill_midway(monkeypatch, run.pk)
    client.force_login(specialist)
    html = client.post(reverse("reconciliation:runs"), {"profile": profile.pk, "file": SimpleUploadedFile("u.csv", path.read_bytes())}).content.decode()  # fmt: skip
    staged = html.split('name="staged" value="')[1].split('"')[0]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reconciliation:runs"),
            {"staged": staged, "profile": profile.pk, "file_name": "u.csv", "start": "1"},
            follow=True,
        )
    assert f"Этот файл уже обрабатывается: сверка № {run.pk}." in response.content.decode()
    run.refresh_from_db()
    assert ReconciliationRun.objects.count() == 1
    assert run.status == "done" and run.attempts == 2 and Selection.objects.count() == 3


@pytest.mark.django_db
def test_the_periodic_recovery_takes_up_uploads_and_nightly_runs(
    recipients, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    from onewindow.tasks import recover_jobs

    settings.RECONCILE_SQL = False
    profile = ExtractProfile.objects.get(name="czn-employment")
    office = recipients["a"].office
    upload = services.create_run(write_csv(tmp_path / "u.csv", HEADER, EMPLOYMENT_ROWS), profile=profile, office=office)  # fmt: skip
    folder = Path(settings.RECONCILIATION_INBOX) / "czn" / "employment"
    folder.mkdir(parents=True)
    extract = write_csv(folder / "n.csv", HEADER, EMPLOYMENT_ROWS[:4])
    nightly = services.create_run(extract, profile=profile, origin="inbox")
    kill_midway(monkeypatch, upload.pk)
    kill_midway(monkeypatch, nightly.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert recover_jobs() == sorted([upload.job_id, nightly.job_id])
    for run in (upload, nightly):
        run.refresh_from_db()
        assert run.status == "done" and run.attempts == 2
    # the nightly file is filed by the next scan: its run is done
    assert extract.exists()
    scan_inbox()
    assert not extract.exists() and ReconciliationRun.objects.count() == 2
    assert (Path(settings.RECONCILIATION_INBOX) / "processed" / "czn" / "employment" / "n.csv").exists()  # fmt: skip


@pytest.mark.django_db
def test_a_run_dead_on_its_last_attempt_is_not_promised_a_restart(
    client, chief, recipients, tmp_path, settings
):
    profile = ExtractProfile.objects.get(name="czn-employment")
    run = services.create_run(write_csv(tmp_path / "l.csv", HEADER, EMPLOYMENT_ROWS), profile=profile, origin="inbox")  # fmt: skip
    Job.objects.filter(pk=run.job_id).update(status="running", attempts=2)
    client.force_login(chief)
    for url in (
        reverse("reconciliation:runs"),
        reverse("reconciliation:run", args=[run.pk]),
        reverse("home"),
    ):
        html = client.get(url).content.decode()
        assert "прервана повторно, перезапуска не будет" in html, url
        assert "будет перезапущена" not in html, url


@pytest.mark.django_db
def test_a_run_whose_worker_died_after_its_results_were_committed_is_not_run_again(
    recipients, settings, tmp_path, monkeypatch
):
    settings.RECONCILE_SQL = False
    profile = ExtractProfile.objects.get(name="czn-employment")
    run = services.create_run(write_csv(tmp_path / "c.csv", HEADER, EMPLOYMENT_ROWS), profile=profile)  # fmt: skip
    written = runs._write

    def committed_then_killed(*args, **kwargs):
        written(*args, **kwargs)
        raise SystemExit("killed")  # before its job is marked «готово»

    with monkeypatch.context() as patch:
        patch.setattr(runs, "_write", committed_then_killed)
        with pytest.raises(SystemExit):
            services.execute_run(run.pk)
    run.refresh_from_db()
    assert run.status == "done" and run.job.status == Job.Status.RUNNING
    before = sorted(Selection.objects.values_list("pk", "evidence"))
    assert services.interrupted([run]) == set()  # its outcome is written: nothing to show
    run = services.execute_run(run.pk)  # the takeover finds the results and runs nothing
    assert (run.status, run.job.status, run.attempts) == ("done", "done", 2)
    assert sorted(Selection.objects.values_list("pk", "evidence")) == before
    assert InvalidRow.objects.count() == 1 and AmbiguousRow.objects.count() == 1
