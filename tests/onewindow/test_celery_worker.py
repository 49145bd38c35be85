"""A real Celery worker against the configured broker (Redis in CI): the whole chain
web -> broker -> worker -> database, and /healthz seeing the worker come and go."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from onewindow.celery import app as celery_app
from onewindow.health import check_workers
from onewindow.jobs import enqueue_job
from onewindow.models import Job

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.CELERY_BROKER_URL, reason="CELERY_BROKER_URL не задан: брокера нет"
    ),
]


def wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_real_worker_runs_a_queued_job_end_to_end(specialist):
    assert celery_app.conf.task_always_eager is False
    celery_app.control.purge()
    with start_worker(
        celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10
    ):
        job = enqueue_job("system.selftest", actor=specialist, params={"echo": "привет"})
        finished = wait_for(lambda: Job.objects.filter(pk=job.pk, status=Job.Status.DONE).exists())
        job.refresh_from_db()
        assert finished, f"задача не выполнена: {job.status} {job.error}"
        assert job.result["echo"] == "привет"
        assert job.worker
        assert job.office == specialist.office
        workers = check_workers(timeout=3)
        assert workers["status"] == "ok" and workers["workers"]

    # The worker has stopped: /healthz's worker check reports it down.
    assert check_workers(timeout=1)["status"] == "down"
