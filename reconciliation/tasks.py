"""Celery tasks of reconciliation: thin wrappers around `reconciliation.services`."""

from __future__ import annotations

from celery import shared_task

from reconciliation import services


@shared_task(name="reconciliation.run", acks_late=True)
def run_reconciliation(run_id: int) -> str:
    """A message queued before runs were jobs: runs the run's job (`onewindow.run_job` runs
    them now). Idempotent as the job is."""
    run = services.execute_run(run_id)
    return run.status if run else "missing"


@shared_task(name="reconciliation.purge_staged_extracts")
def purge_staged_extracts() -> int:
    """Hourly (beat): uploads left on their preview past STAGED_EXTRACT_HOURS go, file and row."""
    return services.purge_staged_extracts()


@shared_task(name="reconciliation.scan_inbox")
def scan_inbox() -> list[int]:
    """The nightly job (beat, 02:00): `services.scan_inbox`, one scan at a time."""
    return services.scan_inbox()
