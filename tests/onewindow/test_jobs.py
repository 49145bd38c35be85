import pytest

from onewindow import jobs
from onewindow.models import Job

pytestmark = pytest.mark.django_db


def test_enqueued_job_runs_after_commit_in_eager_mode(
    specialist, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = jobs.enqueue_job("system.selftest", actor=specialist, params={"echo": "да"})
        assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.result["echo"] == "да"
    assert (job.progress, job.total, job.percent) == (1, 1, 100)


def test_redelivered_job_runs_once(specialist):
    job = Job.objects.create(kind="system.selftest", office=specialist.office)
    assert jobs.run_job_now(job.pk) == Job.Status.DONE
    finished_at = Job.objects.get(pk=job.pk).finished_at
    assert jobs.run_job_now(job.pk) == Job.Status.DONE
    assert Job.objects.get(pk=job.pk).finished_at == finished_at


def test_failing_handler_marks_the_job_failed_with_the_reason(specialist, monkeypatch):
    def broken(job, report):
        raise RuntimeError("строка 17: неверная дата")

    monkeypatch.setitem(jobs._HANDLERS, "test.broken", broken)
    job = Job.objects.create(kind="test.broken", office=specialist.office)
    assert jobs.run_job_now(job.pk) == Job.Status.FAILED
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error.startswith("строка 17: неверная дата")
    assert job.finished_at is not None


def test_unknown_job_kind_is_refused_and_nothing_is_written(specialist):
    with pytest.raises(ValueError, match="Неизвестный вид задачи: nope"):
        jobs.enqueue_job("nope", actor=specialist)
    assert not Job.objects.exists()
