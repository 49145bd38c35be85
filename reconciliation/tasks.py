"""Celery tasks of reconciliation: thin wrappers around `reconciliation.services`."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from celery import shared_task
from django.conf import settings

from reconciliation import services
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


@shared_task(name="reconciliation.scan_inbox")
def scan_inbox() -> list[int]:
    """The nightly job: run every new file found in the inbox, then move it aside."""
    inbox = Path(settings.RECONCILIATION_INBOX)
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
            target = "processed" if run.status == ReconciliationRun.Status.DONE else "failed"
        except services.AlreadyProcessed as exc:
            logger.warning("%s: %s", path.name, exc)
            target = "processed"
        except Exception:
            logger.exception("inbox file %s failed", path)
        destination = inbox / target / source / kind
        destination.mkdir(parents=True, exist_ok=True)
        shutil.move(str(path), str(destination / path.name))
    return started
