"""Background jobs: a row per job, a registry of handlers, one Celery task that runs them.

    @job_handler("archive.render_act")
    def render_act(job, report): ...

    job = enqueue_job("archive.render_act", actor=user, params={...})

`enqueue_job` writes the row and queues the task on commit. The task takes the job's liveness
lock (`onewindow.liveness`, namespace `LOCKS`, keyed by the job's id) and holds it for the whole
handler, then claims the row for one attempt (a token in `Job.attempt`):

* a queued job starts; a finished one is left alone, so a redelivered message does no harm;
* a job whose lock a live worker holds is left to it (a redelivered message while it runs);
* a job found «выполняется» or «прервана» while its lock was free has lost its worker (killed,
  out of memory, a deploy): it is restarted from scratch — once; found so again after
  `Job.MAX_ATTEMPTS` attempts it fails with `INTERRUPTED_TWICE`. `recover_jobs` (beat,
  `onewindow.recover_jobs`) finds such jobs and sends them again.

The handler reports progress through `report(done, total, step=None)` (`step`: what it is doing
now, in Russian, kept until the next step is named); a report, and the handler's final
writes (`lock_current(job)` inside its results transaction), count only while its attempt still
holds the job. A handler that raises `JobError` fails the job with that message for the user;
any other exception fails it with the traceback kept on the job. `on_fail(job, message)`, given
to `job_handler`, lets the domain row record the failure (in the same transaction as the job's).

A handler that works inside one long transaction (the set-based reconciliation) still shows its
progress: on PostgreSQL a report made inside a transaction is written through a connection of
its own (`_Aside`), committed at once, so the pages see it while the work goes on.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import traceback
import uuid
from collections.abc import Callable, Iterable

from celery import shared_task
from django.db import connection, transaction
from django.utils import timezone

from onewindow import liveness
from onewindow.models import Job

logger = logging.getLogger(__name__)

LOCKS = 0x4A4F4231  # "JOB1": the liveness namespace of jobs; the job's id is the key

Report = Callable[..., None]  # report(done, total, step=None)
Handler = Callable[[Job, Report], dict | None]
OnFail = Callable[[Job, str], None]
_HANDLERS: dict[str, Handler] = {}
_ON_FAIL: dict[str, OnFail] = {}

INTERRUPTED_TWICE = (
    "Обработка прервана {attempts} раза: она останавливалась, не дойдя до конца (нехватка "
    "памяти, перезапуск сервера), и больше не перезапускается. Проверьте исходные данные и "
    "запустите её снова."
)
INTERNAL_ERROR = (
    "Внутренняя ошибка программы: обработка не выполнена. Сообщите администратору; "
    "подробности — в журнале сервера."
)


class JobError(Exception):
    """A failure the user can read (a file that cannot be read): the job fails with this
    message and no traceback."""


def job_handler(kind: str, *, on_fail: OnFail | None = None) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        _HANDLERS[kind] = func
        if on_fail is not None:
            _ON_FAIL[kind] = on_fail
        return func

    return register


def create_job(kind: str, *, actor=None, office=None, params: dict | None = None) -> Job:
    """The job's row, not queued: the caller runs it (`run_job_now`) or sends it."""
    if kind not in _HANDLERS:
        raise ValueError(f"Неизвестный вид задачи: {kind}")
    return Job.objects.create(
        kind=kind,
        created_by=actor,
        office=office if office is not None else getattr(actor, "office", None),
        params=params or {},
    )


def enqueue_job(kind: str, *, actor=None, office=None, params: dict | None = None) -> Job:
    with transaction.atomic():
        job = create_job(kind, actor=actor, office=office, params=params)
        send_job(job)
    return job


def send_job(job: Job) -> None:
    """Queue the task for this job once the transaction commits (eager when no broker). Sending
    a job again is harmless: a finished one, or one a live worker runs, is left alone."""
    run_job.delay_on_commit(job.pk)


def run_job_now(
    job_id: int, *, listener: Callable[[int, int, str | None], None] | None = None
) -> str:
    """Run one job in this process, holding its liveness lock from the claim to the end of the
    handler; returns its status. Safe to call twice for the same id, and while another worker
    runs it (that one keeps it). `listener` hears every report too (the command line prints
    them)."""
    with liveness.hold(LOCKS, job_id) as held:
        if not held:
            status = Job.objects.filter(pk=job_id).values_list("status", flat=True).first()
            logger.info("job %s is run by another worker (status %s)", job_id, status)
            return status or "missing"
        job = _claim(job_id)
        if job is None:
            status = Job.objects.filter(pk=job_id).values_list("status", flat=True).first()
            return status or "missing"
        return _run(job, listener)


def _claim(job_id: int) -> Job | None:
    """Take the job for a new attempt; the caller holds its lock. So a job found «выполняется»
    or «прервана» has no live worker, and starts again from scratch — or fails, when it has
    had its `MAX_ATTEMPTS`. None when there is nothing to run."""
    now = timezone.now()
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status in (Job.Status.DONE, Job.Status.FAILED):
            return None
        if job.status != Job.Status.QUEUED:  # running or interrupted: its worker died
            job.interrupted_at = job.interrupted_at or now
            if job.attempts >= Job.MAX_ATTEMPTS:
                message = INTERRUPTED_TWICE.format(attempts=job.attempts)
                job.status = Job.Status.FAILED
                job.error = message
                job.finished_at = now
                job.save(update_fields=["status", "error", "finished_at", "interrupted_at"])
                logger.warning("job %s (%s) interrupted again: not restarted", job.pk, job.kind)
                _on_fail(job, message)
                return None
            logger.warning("job %s (%s) was interrupted: restarted from scratch", job.pk, job.kind)
        job.status = Job.Status.RUNNING
        job.started_at = now
        job.attempt = uuid.uuid4().hex
        job.attempts += 1
        job.progress = 0
        job.step = ""
        job.error = ""
        job.worker = socket.gethostname()[:200]
        job.save(
            update_fields=["status", "started_at", "attempt", "attempts", "progress", "step",
                           "error", "worker", "interrupted_at"]
        )  # fmt: skip
    return job


def _current(job: Job):
    return Job.objects.filter(pk=job.pk, attempt=job.attempt, status=Job.Status.RUNNING)


class _Aside:
    """A connection of the job's own for the reports a handler makes inside a transaction it
    opened (PostgreSQL): opened at the first such report, autocommit, closed with the job. Its
    own connection could not write them (it may be in the middle of a COPY, and what it writes
    is seen only when it commits). It never waits long for the job's row: a report it cannot
    write is left out (the progress is a hint; the listener still hears it)."""

    def __init__(self):
        self.depth = len(connection.atomic_blocks)  # the caller's transaction, if any
        self.raw = None
        self.broken = False

    def applies(self) -> bool:
        return connection.vendor == "postgresql" and len(connection.atomic_blocks) > self.depth

    def update(self, job: Job, values: dict) -> None:
        if self.broken:
            return
        try:
            if self.raw is None:
                self.raw = connection.get_new_connection(connection.get_connection_params())
                self.raw.autocommit = True
                with self.raw.cursor() as cursor:
                    cursor.execute("SET lock_timeout = '1s'")
            assignments = ", ".join(f"{name} = %s" for name in values)
            with self.raw.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {Job._meta.db_table} SET {assignments} "
                    "WHERE id = %s AND attempt = %s AND status = %s",
                    [*values.values(), job.pk, job.attempt, Job.Status.RUNNING],
                )
        except Exception:
            logger.info("job %s: its progress is not written", job.pk, exc_info=True)
            self.broken = True

    def close(self) -> None:
        if self.raw is not None:
            with contextlib.suppress(Exception):  # a connection already gone
                self.raw.close()
            self.raw = None


def _run(job: Job, listener=None) -> str:
    handler = _HANDLERS.get(job.kind)
    aside = _Aside()

    def report(done: int, total: int, step: str | None = None) -> None:
        values = {"progress": done, "total": total}
        if step is not None:
            values["step"] = step[:100]
        if aside.applies():  # inside the handler's transaction
            aside.update(job, values)
        else:
            _current(job).update(**values)
        if listener is not None:
            listener(done, total, step)

    try:
        if handler is None:
            raise LookupError(f"Нет обработчика для задачи «{job.kind}»")
        result = handler(job, report) or {}
    except JobError as exc:
        return _fail(job, str(exc), str(exc))
    except Exception as exc:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        return _fail(job, f"{exc}\n\n{traceback.format_exc()}", INTERNAL_ERROR)
    finally:
        aside.close()
    if not _current(job).update(status=Job.Status.DONE, result=result, finished_at=timezone.now()):
        logger.warning("job %s: its attempt was taken over, its result is not recorded", job.pk)
    return Job.objects.values_list("status", flat=True).get(pk=job.pk)


def _fail(job: Job, error: str, message: str) -> str:
    with transaction.atomic():
        failed = _current(job).update(
            status=Job.Status.FAILED, error=error[:20000], finished_at=timezone.now()
        )
        if failed:
            job.refresh_from_db()
            _on_fail(job, message)
    return Job.objects.values_list("status", flat=True).get(pk=job.pk)


def _on_fail(job: Job, message: str) -> None:
    """The handler's callback, inside the transaction that fails the job."""
    callback = _ON_FAIL.get(job.kind)
    if callback is not None:
        callback(job, message)


def lock_current(job: Job) -> bool:
    """Inside the caller's transaction: lock the job's row (`select_for_update`) and say whether
    this attempt still holds it. A handler writes its results only when True; False means
    another attempt took the job over (its worker was taken for dead) and writes instead."""
    return bool(list(_current(job).select_for_update().values_list("pk", flat=True)))


def recover_jobs() -> list[int]:
    """Jobs «выполняется» whose worker died (nobody holds their lock): marked «прервана, будет
    перезапущена» with the time it was found, and — with those marked before and not taken up
    yet — sent again on commit; their next attempt restarts them, or fails one that was
    restarted already. Returns the jobs sent."""
    for pk in Job.objects.filter(status=Job.Status.RUNNING).values_list("pk", flat=True):
        with liveness.hold(LOCKS, pk) as held:
            if not held:
                continue  # its worker is alive
            changed = Job.objects.filter(pk=pk, status=Job.Status.RUNNING).update(
                status=Job.Status.INTERRUPTED, interrupted_at=timezone.now()
            )
        if changed:
            logger.warning("job %s interrupted: its worker stopped", pk)
    waiting = list(
        Job.objects.filter(status=Job.Status.INTERRUPTED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for pk in waiting:
        run_job.delay_on_commit(pk)  # (`send_job` without reading each row)
    return waiting


def dead(jobs: Iterable[Job]) -> set[int]:
    """Of these jobs, those «выполняется» whose worker is gone (for the pages, before
    `recover_jobs` has marked them)."""
    running = [job.pk for job in jobs if job is not None and job.status == Job.Status.RUNNING]
    return set(running) - liveness.alive(LOCKS, running)


@job_handler("system.selftest")
def selftest(job: Job, report: Report) -> dict:
    """Proves the chain web -> broker -> worker -> database: used by tests and operations."""
    report(1, 1)
    return {"worker": socket.gethostname(), "echo": job.params.get("echo", "")}


@shared_task(name="onewindow.run_job", acks_late=True)
def run_job(job_id: int) -> str:
    """The worker's side of `enqueue_job` (kept beside it: the mechanism is one module).
    Idempotent: the job is held by its liveness lock and claimed by an attempt token."""
    return run_job_now(job_id)
