"""The nightly job on a real Celery worker with the Redis broker: a file in the inbox is run."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from onewindow.celery import app as celery_app
from reconciliation.models import ReconciliationRun, Selection
from tests.reconciliation.files import EMPLOYMENT_ROWS, HEADER, write_csv

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.CELERY_BROKER_URL, reason="CELERY_BROKER_URL не задан: брокера нет"
    ),
]


def test_nightly_task_runs_a_file_from_the_inbox(recipients, settings):
    inbox = settings.RECONCILIATION_INBOX
    folder = inbox / "czn" / "employment"
    folder.mkdir(parents=True)
    write_csv(folder / "czn-2026-11-24.csv", HEADER, EMPLOYMENT_ROWS)
    celery_app.control.purge()
    with start_worker(
        celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10
    ):
        celery_app.send_task("reconciliation.scan_inbox")
        deadline = time.monotonic() + 60
        while (
            time.monotonic() < deadline
            and not ReconciliationRun.objects.filter(status="done").exists()
        ):
            time.sleep(0.3)
    run = ReconciliationRun.objects.get()
    assert run.status == "done" and run.origin == "inbox"
    assert run.counts == {
        "rows_total": 8, "rows_invalid": 1, "matched_snils": 2, "matched_name_dob": 2, "probable": 1,
        "snils_only": 0, "ambiguous": 1, "unmatched": 1, "selections": 3,
    }  # fmt: skip
    assert Selection.objects.count() == 3
    assert not (folder / "czn-2026-11-24.csv").exists()
    assert (inbox / "processed" / "czn" / "employment" / "czn-2026-11-24.csv").exists()
