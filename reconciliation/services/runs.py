"""Reconciliation runs: registering a run for a file with its job, executing it (the set-based
way on PostgreSQL where it can, else the Python cascade), writing its results.

A run is a row (`ReconciliationRun`) run by a background job of kind «reconciliation.run»
(`onewindow.jobs`): the job holds its liveness lock while it runs, claims it for an attempt, and
restarts it from scratch — once — when its worker died. The handler reads and matches everything
in memory and writes all the results in one transaction at the end, guarded by the attempt
(`jobs.lock_current`), so a run killed midway leaves nothing behind and its restart finishes it
without duplicates or lost rows.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from cases.models import Application, CaseFile
from onewindow import jobs
from onewindow.models import Job
from reconciliation import fastpath
from reconciliation.models import (
    AmbiguousRow,
    ExtractProfile,
    InvalidRow,
    ReconciliationRun,
    Selection,
)
from reconciliation.readers import ExtractError, file_encoding, read_rows
from reconciliation.services.cascade import (
    COUNTER_KEYS,
    MATCH_RANK,
    UNCONFIRMED,
    Outcome,
    active_measures,
    build_index,
    match_rows,
    offices_of,
)

logger = logging.getLogger(__name__)

RUN_JOB = "reconciliation.run"  # the kind of the job that runs a run


class AlreadyProcessed(Exception):
    """The file was reconciled already (a finished run over the same offices)."""

    def __init__(self, run: ReconciliationRun):
        self.run = run
        when = timezone.localtime(run.created_at).strftime("%d.%m.%Y %H:%M")
        super().__init__(
            f"Этот файл уже обработан: сверка № {run.pk} от {when} ({run.state_display}). "
            "Повторная обработка — только с отметкой «Обработать повторно, если этот файл уже "
            "обрабатывался»."
        )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def storage_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "extracts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def same_file_runs(sha: str, office=None):
    """The runs of the file with this SHA-256 over the same offices: the office's own and those
    over all offices (for a run over all offices, those only); the latest first."""
    scope = (
        Q(office__isnull=True) | Q(office=office) if office is not None else Q(office__isnull=True)
    )
    return ReconciliationRun.objects.filter(scope, sha256=sha).order_by("-pk")


def create_run(
    path: Path,
    *,
    profile: ExtractProfile,
    actor=None,
    office=None,
    force: bool = False,
    origin: str = "upload",
    file_name: str = "",
    keep_copy: bool = True,
    encoding: str = "",
) -> ReconciliationRun:
    """Register a run for a file. A file already reconciled (by SHA-256: a finished run for the
    same offices or all of them) is refused unless forced; a file whose run for the same offices
    and profile is not finished yet gets that run back (`resumed` set), so the caller runs its
    job again — it is restarted if its worker died — instead of starting a second one.

    The run's job is created with it, not sent: the caller sends it (`jobs.send_job`) or runs
    it in its own process (`execute_run`).

    The encoding of a CSV or DBF file is settled here, once: `encoding` when the user chose it
    on the preview, else detected from the content (`readers.file_encoding`, the profile's only
    breaking a tie). The run records it and both ways of running read the file in it."""
    path = Path(path)
    sha = file_sha256(path)
    same = same_file_runs(sha, office)
    earlier = same.filter(status=ReconciliationRun.Status.DONE).first()
    if earlier is not None and not force:
        raise AlreadyProcessed(earlier)
    unfinished = (
        same.filter(status__in=ReconciliationRun.UNFINISHED, office=office, profile=profile).first()
        if not force
        else None
    )
    if unfinished is not None:
        unfinished.resumed = True
        return unfinished
    stored = path
    if keep_copy:
        stored = storage_dir() / f"{sha}{path.suffix.lower()}"
        if not stored.exists():
            shutil.copyfile(path, stored)
    try:
        found = file_encoding(
            stored, file_format=profile.file_format, declared=profile.encoding, override=encoding
        )
    except ExtractError:
        found = None  # the run fails with the reason when it reads the file
    with transaction.atomic():
        run = ReconciliationRun.objects.create(
            office=office,
            profile=profile,
            source=profile.source,
            kind=profile.kind,
            file_name=(file_name or path.name)[:300],
            file_path=str(stored),
            sha256=sha,
            forced=bool(earlier and force),
            encoding=found.name if found else "",
            created_by=actor,
            origin=origin,
        )
        run.job = jobs.create_job(RUN_JOB, actor=actor, office=office, params={"run": run.pk})
        run.save(update_fields=["job"])
    return run


def execute_run(run_id: int, *, listener=None) -> ReconciliationRun | None:
    """Run the run's job in this process (the nightly scan, `manage.py reconcile`, tests) and
    return the run as it ends: done or failed — or still unfinished when another live worker
    runs it (that one keeps it). `listener(done, total, step)` hears its progress."""
    run = ReconciliationRun.objects.filter(pk=run_id).first()
    if run is None:
        return None
    jobs.run_job_now(run.job_id, listener=listener)
    return ReconciliationRun.objects.select_related("job").get(pk=run_id)


def interrupted(runs) -> set[int]:
    """Of these runs, those whose job is «выполняется» but whose worker is gone (for the lists,
    before `recover_jobs` has marked them)."""
    unfinished = {run.job_id: run.pk for run in runs if run.status == ReconciliationRun.Status.QUEUED and run.job_id}  # fmt: skip
    found = Job.objects.filter(pk__in=unfinished)
    return {unfinished[pk] for pk in jobs.dead(found)}


def _run_failed(job: Job, message: str) -> None:
    """The job failed (a file that cannot be read, a bug, interrupted twice): the run records
    it, in the job's transaction, with the message for the user."""
    ReconciliationRun.objects.filter(job=job, status=ReconciliationRun.Status.QUEUED).update(
        status=ReconciliationRun.Status.FAILED, error=message[:5000], finished_at=timezone.now()
    )


@jobs.job_handler(RUN_JOB, on_fail=_run_failed)
def run_reconciliation(job: Job, report) -> dict:
    """The job of a run: its results are written in one transaction by this attempt, or by none.
    A run taken over after its results were committed (its worker died after that) is done."""
    run = ReconciliationRun.objects.select_related("profile").get(pk=job.params["run"])
    if run.status != ReconciliationRun.Status.QUEUED:
        return {"run": run.pk, "status": run.status}
    profile = run.profile

    def progress(done: int, total: int = 0, step: str | None = None) -> None:
        report(done, total, step)

    try:
        if fastpath.usable(run):
            try:
                with transaction.atomic():
                    fastpath.execute(run, job, progress=progress)
            except fastpath.Unavailable as exc:
                # the Python path below reads the file record by record
                logger.info("Сверка № %s идёт без SQL-ускорения: %s", run.pk, exc or "формат файла")
            else:
                return {"run": run.pk}
        index = build_index(run.office)
        measures = active_measures(profile)
        rows = read_rows(
            Path(run.file_path), file_format=profile.file_format, encoding=profile.encoding,
            delimiter=profile.delimiter, xml_record=profile.xml_record, override=run.encoding,
        )  # fmt: skip
        outcome = match_rows(rows, profile, index, measures, progress=progress)
        if outcome.counts["rows_total"] == 0:
            raise ExtractError("В файле нет ни одной записи")
        _write(run, job, outcome)
    except ExtractError as exc:
        raise jobs.JobError(str(exc)) from exc
    return {"run": run.pk}


def _owners(applicant_ids: list[int]) -> dict[int, int]:
    """Who works each person's case: the specialist of their latest application, else the one
    who opened their case file (an imported register), while that user is active."""
    owners: dict[int, int] = {}
    for start in range(0, len(applicant_ids), 5000):
        chunk = applicant_ids[start : start + 5000]
        rows = (
            Application.objects.filter(applicant_id__in=chunk, specialist__is_active=True)
            .order_by("applicant_id", "-registered_at")
            .values_list("applicant_id", "specialist_id")
        )
        for applicant_id, specialist_id in rows:
            owners.setdefault(applicant_id, specialist_id)
        missing = [pk for pk in chunk if pk not in owners]
        files = CaseFile.objects.filter(
            applicant_id__in=missing, opened_by__is_active=True
        ).order_by("applicant_id", "-number")
        for applicant_id, user_id in files.values_list("applicant_id", "opened_by_id"):
            owners.setdefault(applicant_id, user_id)
    return owners


def _write(run: ReconciliationRun, job: Job, outcome: Outcome) -> None:
    profile = run.profile
    with transaction.atomic():
        if not jobs.lock_current(job):
            return  # another attempt took over
        applicant_ids = list(outcome.items)
        existing = {}
        for chunk_start in range(0, len(applicant_ids), 5000):
            chunk = applicant_ids[chunk_start : chunk_start + 5000]
            for item in (
                Selection.objects.open()
                .filter(kind=run.kind, applicant_id__in=chunk)
                .select_for_update()
            ):
                existing[item.applicant_id] = item
        owners = _owners([pk for pk in applicant_ids if pk not in existing])
        office_of = offices_of(
            [pk for pk in applicant_ids if pk not in existing]
            + [c for _, _, _, candidates in outcome.ambiguous for c in candidates[:1]]
        )
        new_items = []
        for applicant_id, data in outcome.items.items():
            evidence = [{**e, "run": run.pk} for e in data["evidence"]]
            item = existing.get(applicant_id)
            if item is not None:
                item.evidence = item.evidence + evidence
                if MATCH_RANK[data["match"]] < MATCH_RANK[item.match]:
                    item.match = data["match"]
                    item.needs_confirmation = data["match"] in UNCONFIRMED
                item.services = sorted(set(item.services) | set(data["services"]))
                item.run = run
                item._history_user = run.created_by
                item.save()
            else:
                new_items.append(
                    Selection(
                        office_id=office_of[applicant_id],
                        run=run,
                        applicant_id=applicant_id,
                        kind=run.kind,
                        source=run.source,
                        match=data["match"],
                        needs_confirmation=data["match"] in UNCONFIRMED,
                        event_date=data["event_date"],
                        evidence=evidence,
                        suggested_action=profile.action,
                        services=sorted(data["services"]),
                        assigned_to_id=owners.get(applicant_id),
                    )
                )
        bulk_create_with_history(new_items, Selection, batch_size=2000, default_user=run.created_by)
        InvalidRow.objects.bulk_create(
            [
                InvalidRow(run=run, row_number=n, reason=r[:500], data=d)
                for n, r, d in outcome.invalid
            ],
            batch_size=5000,
        )
        for number, step, evidence, candidates in outcome.ambiguous:
            row = AmbiguousRow.objects.create(
                office_id=run.office_id or office_of[candidates[0]],
                run=run,
                row_number=number,
                data=evidence,
                step=step,
            )
            row.candidates.set(candidates)
        counts = dict(outcome.counts)
        counts["selections"] = len(outcome.items)
        run.finish(counts)


def dry_run(path: Path, *, profile: ExtractProfile, encoding: str = "") -> dict[str, int]:
    """Match a file against all recipients and write nothing (`manage.py reconcile --dry-run`):
    the counts a run would record, in `COUNTER_KEYS` order. ExtractError when the file cannot
    be read.

    On PostgreSQL it is a real run of the set-based way — a run row, its working tables, its
    items — inside a transaction that is rolled back: it costs what a run costs and says what a
    run would say. Elsewhere (or where that way cannot take the file) the Python cascade."""
    path = Path(path)
    try:
        found = file_encoding(
            path, file_format=profile.file_format, declared=profile.encoding, override=encoding
        )
    except ExtractError:
        found = None  # the reader says what is wrong
    run = ReconciliationRun(
        profile=profile, source=profile.source, kind=profile.kind, file_name=path.name[:300],
        file_path=str(path), sha256="", encoding=found.name if found else "", origin="cli",
    )  # fmt: skip
    if fastpath.usable(run):
        try:
            with transaction.atomic():
                run.save()
                counts = fastpath.execute(run, None)
                transaction.set_rollback(True)
        except fastpath.Unavailable as exc:
            logger.info("Пробная сверка идёт без SQL-ускорения: %s", exc or "формат файла")
        else:
            counts = dict(counts or {})
            return {key: int(counts.get(key, 0)) for key in COUNTER_KEYS}
    rows = read_rows(
        path, file_format=profile.file_format, encoding=profile.encoding,
        delimiter=profile.delimiter, xml_record=profile.xml_record, override=encoding,
    )  # fmt: skip
    outcome = match_rows(rows, profile, build_index(), active_measures(profile))
    counts = dict(outcome.counts)
    counts["selections"] = len(outcome.items)
    return {key: counts[key] for key in COUNTER_KEYS}
