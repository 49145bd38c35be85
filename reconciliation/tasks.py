"""Celery tasks of reconciliation: thin wrappers around `reconciliation.services`."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from celery import shared_task
from django.conf import settings

from reconciliation import liveness, services
from reconciliation.defaults import default_profile
from reconciliation.models import ReconciliationRun

logger = logging.getLogger(__name__)

# inbox/<source>/<kind>/file.ext ; processed files go to inbox/processed, failed to inbox/failed
SUFFIXES = {".dbf", ".csv", ".txt", ".xlsx", ".xml"}


@shared_task(name="reconciliation.run", acks_late=True)
def run_reconciliation(run_id: int) -> str:
    # Idempotent: the run row is claimed by an attempt token; results are written atomically.
    run = services.execute_run(run_id)
    return run.status if run else "missing"


@shared_task(name="reconciliation.recover_runs")
def recover_runs() -> list[int]:
    """Every few minutes (beat): runs whose worker died are marked and taken up again — an
    uploaded one by a task, a nightly one by a scan of the inbox (which files its file)."""
    services.recover_runs()
    waiting = dict(
        ReconciliationRun.objects.filter(status=ReconciliationRun.Status.INTERRUPTED).values_list(
            "pk", "origin"
        )
    )
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
    """The nightly job: run every file found in the inbox, then move it aside: to `processed/`
    only when its run is done (now or on an earlier night: "already processed" counts finished
    runs only), to `failed/` when the run failed. A file whose run a live worker is still running
    stays for the next scan; a file whose run lost its worker (the scan was killed) gets that
    run back from `create_run` and `execute_run` restarts it from scratch, once."""
    with liveness.hold(liveness.INBOX_SCAN) as held:
        if not held:  # another worker scans the inbox now
            logger.info("Папку входящих выгрузок уже обрабатывает другой процесс")
            return []
        services.recover_runs()
        return _scan(Path(settings.RECONCILIATION_INBOX))


def _scan(inbox: Path) -> list[int]:
    started = []
    for path in sorted(inbox.glob("*/*/*")):
        if not path.is_file() or path.suffix.lower() not in SUFFIXES:
            continue
        source, kind = path.parent.parent.name, path.parent.name
        profile = default_profile(source, kind)
        target = "failed"
        try:
            if profile is None:
                raise services.ExtractError(f"нет профиля для {source}/{kind}")
            run = services.create_run(path, profile=profile, origin="inbox")
            run = services.execute_run(run.pk)
            started.append(run.pk)
            if run.status in ReconciliationRun.UNFINISHED:
                logger.warning("%s: сверка № %s ещё выполняется, файл остаётся", path.name, run.pk)
                continue
            target = "processed" if run.status == ReconciliationRun.Status.DONE else "failed"
        except services.AlreadyProcessed as exc:  # a finished run of the same file
            logger.warning("%s: %s", path.name, exc)
            target = "processed"
        except Exception:
            logger.exception("inbox file %s failed", path)
        destination = inbox / target / source / kind
        destination.mkdir(parents=True, exist_ok=True)
        shutil.move(str(path), str(destination / path.name))
    return started
