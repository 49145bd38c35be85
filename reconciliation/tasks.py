"""Celery tasks of reconciliation: thin wrappers around `reconciliation.services`."""

from __future__ import annotations

from celery import shared_task

from reconciliation import services


@shared_task(name="reconciliation.run", acks_late=True)
def run_reconciliation(run_id: int) -> str:
    # Idempotent: the run row is claimed by an attempt token; results are written atomically.
    run = services.execute_run(run_id)
    return run.status if run else "missing"


@shared_task(name="reconciliation.recover_runs")
def recover_runs() -> list[int]:
    """Every few minutes (beat): runs whose worker died are marked and taken up again — an
    uploaded one by a task, a nightly one by a scan of the inbox (which files its file)."""
    waiting = services.runs_to_take_up()
    for pk, origin in waiting.items():
        if origin != "inbox":
            run_reconciliation.delay(pk)
    if "inbox" in waiting.values():
        scan_inbox()
    return list(waiting)


@shared_task(name="reconciliation.purge_staged_extracts")
def purge_staged_extracts() -> int:
    """Hourly (beat): uploads left on their preview past STAGED_EXTRACT_HOURS go, file and row."""
    return services.purge_staged_extracts()


@shared_task(name="reconciliation.scan_inbox")
def scan_inbox() -> list[int]:
    """The nightly job (beat, 02:00): `services.scan_inbox`, one scan at a time."""
    return services.scan_inbox()
