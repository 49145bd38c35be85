"""The nightly inbox: every file found under `RECONCILIATION_INBOX/<source>/<kind>/` is run with
the default profile of its source and kind, then moved aside — to `processed/` only when its run
is done (now or on an earlier night), to `failed/` when the run failed.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from django.conf import settings

from onewindow import liveness
from reconciliation.defaults import default_profile
from reconciliation.models import ReconciliationRun
from reconciliation.readers import ExtractError
from reconciliation.services.runs import AlreadyProcessed, create_run, execute_run

logger = logging.getLogger(__name__)

# inbox/<source>/<kind>/file.ext ; processed files go to inbox/processed, failed to inbox/failed
SUFFIXES = {".dbf", ".csv", ".txt", ".xlsx", ".xml"}
# the liveness lock the scan holds (`onewindow.liveness`), so that two scans never overlap
SCAN_LOCK = (0x52454331, 0)  # "REC1", and the only key of the namespace


def scan_inbox() -> list[int]:
    """Run every file of the inbox, each run's job in this process, and file it. A file whose
    run a live worker is still running stays for the next scan; a file whose run lost its worker
    (the scan was killed) gets that run back from `create_run`, and its job restarts it from
    scratch, once. One scan at a time: another worker's scan leaves this one nothing to do.
    Returns the runs started."""
    with liveness.hold(*SCAN_LOCK) as held:
        if not held:  # another worker scans the inbox now
            logger.info("Папку входящих выгрузок уже обрабатывает другой процесс")
            return []
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
                raise ExtractError(f"нет профиля для {source}/{kind}")
            run = create_run(path, profile=profile, origin="inbox")
            run = execute_run(run.pk)
            started.append(run.pk)
            if run.status in ReconciliationRun.UNFINISHED:
                logger.warning("%s: сверка № %s ещё выполняется, файл остаётся", path.name, run.pk)
                continue
            target = "processed" if run.status == ReconciliationRun.Status.DONE else "failed"
        except AlreadyProcessed as exc:  # a finished run of the same file
            logger.warning("%s: %s", path.name, exc)
            target = "processed"
        except Exception:
            logger.exception("inbox file %s failed", path)
        destination = inbox / target / source / kind
        destination.mkdir(parents=True, exist_ok=True)
        shutil.move(str(path), str(destination / path.name))
    return started
