import pytest
from django.db import transaction

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


# --- A job whose worker died: taken over, restarted once, then failed -------------------------


@pytest.fixture
def handlers(monkeypatch):
    """Handlers registered for one test only."""
    monkeypatch.setattr(jobs, "_HANDLERS", dict(jobs._HANDLERS))
    monkeypatch.setattr(jobs, "_ON_FAIL", dict(jobs._ON_FAIL))
    return jobs.job_handler


def dies(job, report):
    """The worker is killed mid-job (as SIGKILL leaves it: the lock released, the job
    «выполняется», nothing written)."""
    report(3, 10)
    raise SystemExit("killed")


def test_a_job_whose_worker_died_is_restarted_once_then_failed_with_the_message(
    specialist, handlers
):
    failures = []
    handlers("test.dies", on_fail=lambda job, message: failures.append((job.pk, message)))(dies)
    job = jobs.create_job("test.dies", actor=specialist)
    with pytest.raises(SystemExit):
        jobs.run_job_now(job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.progress, job.interrupted_at) == ("running", 1, 3, None)
    first = job.attempt
    with pytest.raises(SystemExit):  # found «выполняется» with nobody holding it: restarted
        jobs.run_job_now(job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("running", 2) and job.attempt != first
    assert job.interrupted_at is not None and failures == []
    assert jobs.run_job_now(job.pk) == Job.Status.FAILED  # the third time it is not started
    job.refresh_from_db()
    assert job.error == jobs.INTERRUPTED_TWICE.format(attempts=2)
    assert "прервана 2 раза" in job.error and job.finished_at is not None
    assert failures == [(job.pk, job.error)]
    assert jobs.run_job_now(job.pk) == Job.Status.FAILED and len(failures) == 1


def test_recovery_marks_a_dead_job_interrupted_and_sends_it_again(
    specialist, handlers, django_capture_on_commit_callbacks
):
    calls = []

    @handlers("test.once")
    def once(job, report):
        calls.append(job.attempt)
        if len(calls) == 1:
            raise SystemExit("killed")
        return {"attempt": job.attempts}

    job = jobs.create_job("test.once", actor=specialist)
    with pytest.raises(SystemExit):
        jobs.run_job_now(job.pk)
    assert jobs.dead([Job.objects.get(pk=job.pk)]) == {job.pk}
    with django_capture_on_commit_callbacks(execute=False) as sent:
        assert jobs.recover_jobs() == [job.pk]
    job.refresh_from_db()
    assert job.status == Job.Status.INTERRUPTED and job.interrupted_at is not None
    assert job.get_status_display() == "прервана, будет перезапущена"
    assert len(sent) == 1
    sent[0]()  # the task, eagerly
    job.refresh_from_db()
    assert (job.status, job.attempts, job.result) == ("done", 2, {"attempt": 2})
    assert len(set(calls)) == 2
    assert jobs.recover_jobs() == []


def test_a_job_whose_worker_is_alive_is_not_touched(specialist, handlers, another_worker):
    ran = []
    handlers("test.busy")(lambda job, report: ran.append(job.pk))
    job = jobs.create_job("test.busy", actor=specialist)
    Job.objects.filter(pk=job.pk).update(status="running", attempts=1, attempt="theirs")
    with another_worker(job.pk):
        assert jobs.dead([Job.objects.get(pk=job.pk)]) == set()
        assert jobs.run_job_now(job.pk) == Job.Status.RUNNING  # a redelivered message
        assert jobs.recover_jobs() == []
        job.refresh_from_db()
        assert (job.status, job.attempts, job.attempt, job.interrupted_at) == ("running", 1, "theirs", None)  # fmt: skip
    assert ran == []


def test_a_failing_handler_calls_on_fail_with_a_message_for_the_user(specialist, handlers):
    failures = []

    def record(job, message):
        assert job.status == Job.Status.FAILED
        failures.append(message)

    @handlers("test.bug", on_fail=record)
    def bug(job, report):
        raise KeyError("run")

    @handlers("test.unreadable", on_fail=record)
    def unreadable(job, report):
        raise jobs.JobError("В файле нет ни одной записи")

    bugged = jobs.create_job("test.bug", actor=specialist)
    assert jobs.run_job_now(bugged.pk) == Job.Status.FAILED
    bugged.refresh_from_db()
    assert "Traceback" in bugged.error and "KeyError" in bugged.error  # for the administrator
    told = jobs.create_job("test.unreadable", actor=specialist)
    assert jobs.run_job_now(told.pk) == Job.Status.FAILED
    told.refresh_from_db()
    assert told.error == "В файле нет ни одной записи"
    assert failures == [jobs.INTERNAL_ERROR, "В файле нет ни одной записи"]
    assert "Traceback" not in jobs.INTERNAL_ERROR


def test_a_superseded_attempt_writes_neither_progress_nor_result(specialist, handlers):
    held = []

    @handlers("test.superseded", on_fail=lambda job, message: held.append("on_fail"))
    def superseded(job, report):
        with transaction.atomic():
            held.append(jobs.lock_current(job))
        # another attempt takes the job over (this worker was taken for dead)
        Job.objects.filter(pk=job.pk).update(attempt="another")
        report(5, 10)
        with transaction.atomic():
            held.append(jobs.lock_current(job))
        if job.params.get("fail"):
            raise RuntimeError("late")
        return {"written": True}

    job = jobs.create_job("test.superseded", actor=specialist)
    assert jobs.run_job_now(job.pk) == Job.Status.RUNNING  # the other attempt has it
    job.refresh_from_db()
    assert (job.progress, job.total, job.result, job.attempt) == (0, 0, {}, "another")
    assert held == [True, False]
    late = jobs.create_job("test.superseded", actor=specialist, params={"fail": True})
    assert jobs.run_job_now(late.pk) == Job.Status.RUNNING  # its failure is not recorded either
    assert held == [True, False, True, False]  # and on_fail is not called
