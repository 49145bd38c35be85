"""Background jobs: a row per job, a registry of handlers, one Celery task that runs them.

    @job_handler("archive.render_act")
    def render_act(job, report): ...

    job = enqueue_job("archive.render_act", actor=user, params={...})

`enqueue_job` writes the row and queues the task on commit. The task claims the row with a
compare-and-set (queued -> running), so a redelivered message runs the handler at most once;
the handler reports progress through `report(done, total)`.
"""

from __future__ import annotations

import logging
import socket
import traceback
from collections.abc import Callable

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from onewindow.models import Job

logger = logging.getLogger(__name__)

Handler = Callable[[Job, Callable[[int, int], None]], dict | None]
_HANDLERS: dict[str, Handler] = {}


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        _HANDLERS[kind] = func
        return func

    return register


def enqueue_job(kind: str, *, actor=None, office=None, params: dict | None = None) -> Job:
    if kind not in _HANDLERS:
        raise ValueError(f"Неизвестный вид задачи: {kind}")
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            created_by=actor,
            office=office if office is not None else getattr(actor, "office", None),
            params=params or {},
        )
        run_job.delay_on_commit(job.pk)
    return job


def send_task_on_commit(name: str, *args) -> None:
    """Start the Celery task registered as `name` once the transaction commits. A service names
    the task it starts and does not import the module of tasks (an entry point above it); the
    task is looked up in the app's registry, so it runs eagerly like any other when no broker is
    configured (each app's `ready` imports its tasks)."""
    from celery import current_app

    def send() -> None:
        current_app.tasks[name].apply_async(args=args)

    transaction.on_commit(send)


def run_job_now(job_id: int) -> str:
    """Claim and run one job; returns its final status. Safe to call twice for the same id."""
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING,
        started_at=timezone.now(),
        worker=socket.gethostname()[:200],
    )
    if not claimed:
        status = Job.objects.filter(pk=job_id).values_list("status", flat=True).first()
        logger.info("job %s not claimed (status %s)", job_id, status)
        return status or "missing"

    job = Job.objects.get(pk=job_id)
    handler = _HANDLERS.get(job.kind)

    def report(done: int, total: int) -> None:
        Job.objects.filter(pk=job_id).update(progress=done, total=total)

    try:
        if handler is None:
            raise LookupError(f"Нет обработчика для задачи «{job.kind}»")
        result = handler(job, report) or {}
    except Exception as exc:
        logger.exception("job %s (%s) failed", job_id, job.kind)
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED,
            error=f"{exc}\n\n{traceback.format_exc()}"[:20000],
            finished_at=timezone.now(),
        )
        return Job.Status.FAILED
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.DONE, result=result, finished_at=timezone.now()
    )
    return Job.Status.DONE


@job_handler("system.selftest")
def selftest(job: Job, report: Callable[[int, int], None]) -> dict:
    """Proves the chain web -> broker -> worker -> database: used by tests and operations."""
    report(1, 1)
    return {"worker": socket.gethostname(), "echo": job.params.get("echo", "")}


@shared_task(name="onewindow.run_job", acks_late=True)
def run_job(job_id: int) -> str:
    """The worker's side of `enqueue_job` (kept beside it: the mechanism is one module).
    Idempotent: the job row is claimed with a compare-and-set, so acks_late is safe."""
    return run_job_now(job_id)
