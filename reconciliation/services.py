"""Reconciliation runs: read an extract, match its people against our recipients, and turn each
match that affects an active measure into a selection item; then work the items out.

A run is a row (`ReconciliationRun`); `execute_run` claims it, reads and matches everything in
memory, and writes all its results in one transaction at the end, so a run killed midway leaves
nothing behind and its retry finishes it without duplicates or lost rows. While it runs, its
worker holds the run's liveness lock (`reconciliation/liveness.py`): a run «выполняется» whose
lock nobody holds has lost its worker, and is restarted from scratch — once (`MAX_ATTEMPTS`).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import re
import shutil
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from rapidfuzz.distance import Levenshtein
from simple_history.utils import bulk_create_with_history

from cases.models import Applicant, Application, Entitlement
from onewindow.errors import DomainError
from onewindow.jobs import send_task_on_commit
from reconciliation import liveness
from reconciliation.matching import (  # noqa: F401  (re-exported: the row rules are matching's)
    EVENT_DATE,
    FIELDS,
    FUZZY_MAX_DISTANCE,
    NO_IDENTITY,
    WRONG_SNILS,
    check_columns,
    parse_row,
)
from reconciliation.models import (
    AmbiguousRow,
    ExtractProfile,
    InvalidRow,
    Kind,
    ReconciliationRun,
    Selection,
    StagedExtract,
)
from reconciliation.readers import (
    FIELD_ALIASES,
    ExtractError,
    column_map,
    detect_format,
    file_encoding,
    parse_date,
    preview,
    read_rows,
)

PROGRESS_EVERY = 10000
MAX_ATTEMPTS = ReconciliationRun.MAX_ATTEMPTS
COUNTER_KEYS = ["rows_total", "rows_invalid", "matched_snils", "matched_name_dob", "probable", "ambiguous", "unmatched", "selections"]  # fmt: skip
MATCH_RANK = {Selection.Match.SNILS: 0, Selection.Match.NAME_DOB: 1, Selection.Match.PROBABLE: 2}

logger = logging.getLogger(__name__)


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
    and profile is not finished yet gets that run back (`resumed` set), so the caller runs it
    again — it is restarted if its worker died — instead of starting a second one.

    The encoding of a CSV or DBF file is settled here, once: `encoding` when the user chose it
    on the preview, else detected from the content (`readers.file_encoding`, the profile's only
    breaking a tie). The run records it and both ways of running read the file in it."""
    path = Path(path)
    sha = file_sha256(path)
    scope = (
        Q(office__isnull=True) | Q(office=office) if office is not None else Q(office__isnull=True)
    )
    same = ReconciliationRun.objects.filter(scope, sha256=sha).order_by("-pk")
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
    return ReconciliationRun.objects.create(
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


# --- Uploads waiting on their preview ----------------------------------------------------------


class StagedExtractError(DomainError):
    """A staged upload that cannot be used: too big, not this user's, expired, started."""

    def __init__(self, message: str, field: str | None = None, *, foreign=None):
        super().__init__(message, field=field)
        self.foreign = foreign  # another user's upload the token named (for the access log)


STAGED_NOT_FOUND = "Файл для запуска не найден: загрузите его ещё раз."
STAGED_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


def staging_dir() -> Path:
    """Uploads waiting on their preview, apart from the runs' stored copies."""
    folder = storage_dir() / "staged"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",").replace(",0", "") + " МБ"


def check_extract_size(size: int, name: str) -> None:
    limit = settings.EXTRACT_MAX_MB
    if size > limit * 1024 * 1024:
        raise StagedExtractError(
            f"Файл «{name}» слишком большой: {_megabytes(size)}, а наибольший размер выгрузки — "
            f"{limit} МБ. Разделите выгрузку на части или попросите администратора увеличить "
            "предел (EXTRACT_MAX_MB).",
            field="file",
        )


def stage_extract(upload, *, profile: ExtractProfile, actor, force: bool = False) -> tuple[StagedExtract, dict]:  # fmt: skip
    """Keep an uploaded file for its preview: a file named by the server under `staging_dir()`
    and a row of the uploading user and office. Returns it with the preview of its first rows;
    a file that cannot be previewed is not kept (ExtractError / StagedExtractError)."""
    name = Path(upload.name or "").name[:300] or "выгрузка"
    check_extract_size(upload.size or 0, name)
    suffix = Path(name).suffix.lower()
    suffix = suffix if re.fullmatch(r"\.[a-z0-9]{1,7}", suffix) else ""
    path = staging_dir() / f"{uuid.uuid4().hex}{suffix}"
    digest = hashlib.sha256()
    size = 0
    try:
        with path.open("wb") as out:
            for chunk in upload.chunks():
                size += len(chunk)
                check_extract_size(size, name)
                digest.update(chunk)
                out.write(chunk)
        if not force:
            # said at once, before the preview: the start would refuse it anyway
            office = getattr(actor, "office", None)
            scope = Q(office__isnull=True) | (Q(office=office) if office is not None else Q())
            earlier = (
                ReconciliationRun.objects.filter(
                    scope, sha256=digest.hexdigest(), status=ReconciliationRun.Status.DONE
                )
                .order_by("-pk")
                .first()
            )
            if earlier is not None:
                raise AlreadyProcessed(earlier)
        try:
            file_format = detect_format(path, profile.file_format)
        except ExtractError:
            file_format = ""
        shown = preview_extract(path, profile)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    now = timezone.now()
    staged = StagedExtract.objects.create(
        office=getattr(actor, "office", None), uploaded_by=actor, profile=profile,
        file_path=str(path), original_name=name, size=size, sha256=digest.hexdigest(),
        file_format=file_format, force=force, created_at=now,
        expires_at=now + datetime.timedelta(hours=settings.STAGED_EXTRACT_HOURS),
    )  # fmt: skip
    return staged, shown


def _own_staged(token: str, *, actor, lock: bool = False) -> StagedExtract:
    """The user's own upload waiting for its start, by its token; anything else (another user's
    or office's, expired, started, a forged value) is refused the same way."""
    token = token if isinstance(token, str) else ""
    if not STAGED_TOKEN.fullmatch(token):
        raise StagedExtractError(STAGED_NOT_FOUND)
    found = StagedExtract.objects.filter(token=token)
    own = found.for_user(actor).filter(
        uploaded_by=actor, state=StagedExtract.State.STAGED, expires_at__gt=timezone.now()
    )
    if lock:
        own = own.select_for_update()
    staged = own.select_related("profile").first()
    if staged is None:
        other = found.exclude(uploaded_by=actor).first()
        raise StagedExtractError(STAGED_NOT_FOUND, foreign=other)
    path = Path(staged.file_path)
    if path.parent != staging_dir() or not path.is_file():
        raise StagedExtractError(STAGED_NOT_FOUND)
    return staged


def preview_staged(*, token: str, actor, encoding: str = "") -> tuple[StagedExtract, dict]:
    """The preview again, in the encoding the user chose. A file that cannot be read so gives
    the reason (`error`) and is kept for another choice."""
    from reconciliation.readers import Encoding

    staged = _own_staged(token, actor=actor)
    try:
        shown = preview_extract(Path(staged.file_path), staged.profile, encoding)
    except ExtractError as exc:
        shown = {"error": str(exc), "encoding": Encoding(encoding, "выбрана вручную") if encoding else None}  # fmt: skip
    return staged, shown


def start_staged(*, token: str, actor, encoding: str = "") -> ReconciliationRun:
    """«Запустить сверку»: a run of the user's office over their staged upload (queued on
    commit); the staged file is deleted once the run has its own copy. A file reconciled
    already is refused (`AlreadyProcessed`) and the upload discarded."""
    refused = None
    with transaction.atomic():
        staged = _own_staged(token, actor=actor, lock=True)
        path = Path(staged.file_path)
        try:
            run = create_run(
                path, profile=staged.profile, actor=actor, office=staged.office,
                force=staged.force, file_name=staged.original_name, encoding=encoding,
            )  # fmt: skip
        except AlreadyProcessed as exc:
            refused = exc
            staged.delete()
        else:
            staged.state = StagedExtract.State.STARTED
            staged.run = run
            staged.save(update_fields=["state", "run"])
            # the task «reconciliation.run» (reconciliation/tasks.py) restarts it if it died
            send_task_on_commit("reconciliation.run", run.pk)
        transaction.on_commit(lambda: path.unlink(missing_ok=True))
    if refused is not None:
        raise refused
    return run


def discard_staged(*, token: str, actor) -> bool:
    """«Отмена» on the preview: the user's own upload goes at once."""
    try:
        staged = _own_staged(token, actor=actor)
    except StagedExtractError:
        return False
    path = Path(staged.file_path)
    staged.delete()
    path.unlink(missing_ok=True)
    return True


def purge_staged_extracts(now=None) -> int:
    """Uploads never started whose time ran out: their files and rows; and files in the staging
    folder that no waiting upload names (a crash between the file and its row), once older than
    the same lifetime. Nothing outside the staging folder is touched. Returns the rows deleted."""
    now = now or timezone.now()
    folder = staging_dir()
    expired = StagedExtract.objects.filter(state=StagedExtract.State.STAGED, expires_at__lte=now)
    deleted = 0
    for staged in expired.iterator():
        path = Path(staged.file_path)
        if path.parent == folder:
            path.unlink(missing_ok=True)
        staged.delete()
        deleted += 1
    waiting = set(
        StagedExtract.objects.filter(state=StagedExtract.State.STAGED).values_list(
            "file_path", flat=True
        )
    )
    cutoff = (now - datetime.timedelta(hours=settings.STAGED_EXTRACT_HOURS)).timestamp()
    for path in folder.iterdir():
        if path.is_file() and str(path) not in waiting and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
    if deleted:
        logger.info("Удалены незапущенные загрузки выгрузок: %s", deleted)
    return deleted


# The fields of an extract as the preview names them.
FIELD_TITLES = {
    "snils": "СНИЛС",
    "last_name": "Фамилия",
    "first_name": "Имя",
    "middle_name": "Отчество",
    "birth_date": "Дата рождения",
    "event_date": "Дата события",
}


def preview_extract(path: Path, profile: ExtractProfile, encoding: str = "") -> dict:
    """The first rows as the run will read them: in the encoding detected (or `encoding`, the
    user's choice), named on the page. ExtractError when the file cannot be read."""
    found = file_encoding(
        path, file_format=profile.file_format, declared=profile.encoding, override=encoding
    )
    columns, rows = preview(path, limit=10, file_format=profile.file_format, encoding=profile.encoding,
                            delimiter=profile.delimiter, xml_record=profile.xml_record,
                            override=found.name if found else "")  # fmt: skip
    if not rows:
        raise ExtractError("В файле нет ни одной записи")
    mapping = column_map(columns, profile.columns, list(FIELD_ALIASES)[:6])
    if "snils" not in mapping and not all(
        k in mapping for k in ("last_name", "first_name", "birth_date")
    ):
        raise ExtractError(
            "В файле нет нужных столбцов СНИЛС или Фамилия, Имя, Дата рождения. Найдены: "
            + ", ".join(str(c) for c in columns[:15])
        )
    parsed = []
    for number, row in rows:
        line = {"number": number}
        for name in FIELD_TITLES:
            value = row.get(mapping[name], "") if name in mapping else ""
            if name in {"birth_date", "event_date"}:
                try:
                    day = parse_date(value, profile.date_format)
                    value = day.strftime("%d.%m.%Y") if day else ""
                except ValueError as exc:
                    value = f"⚠ {exc}"
            line[name] = value
        parsed.append(line)
    missing = [FIELD_TITLES[f] for f in FIELD_TITLES if f not in mapping]
    return {"columns": columns, "mapping": mapping, "rows": parsed, "encoding": found,
            "missing": missing, "no_event_date": "event_date" not in mapping}  # fmt: skip


# --- Matching ---------------------------------------------------------------------------------


@dataclass
class Index:
    """Our recipients in memory, kept lean for a million people: СНИЛС -> id, "name|date" -> id
    (or ids for namesakes), birth date -> [(id, name)] for the fuzzy step."""

    by_snils: dict[str, int] = field(default_factory=dict)
    by_name_dob: dict[str, int | list[int]] = field(default_factory=dict)
    by_dob: dict[datetime.date, list[tuple[int, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def name_dob(self, name_key: str, birth_date: datetime.date) -> list[int]:
        found = self.by_name_dob.get(f"{name_key}|{birth_date.isoformat()}")
        if found is None:
            return []
        return found if isinstance(found, list) else [found]


def build_index(office=None) -> Index:
    index = Index()
    applicants = Applicant.objects.filter(is_anonymised=False)
    if office is not None:
        applicants = applicants.filter(office=office)
    rows = applicants.values_list("id", "snils", "name_key", "birth_date")
    by_name_dob = index.by_name_dob
    for pk, snils, name_key, birth_date in rows.iterator(chunk_size=20000):
        if snils:
            index.by_snils[snils] = pk
        key = f"{name_key}|{birth_date.isoformat()}"
        present = by_name_dob.get(key)
        if present is None:
            by_name_dob[key] = pk
        elif isinstance(present, list):
            present.append(pk)
        else:
            by_name_dob[key] = [present, pk]
        index.by_dob[birth_date].append((pk, name_key))
    return index


def offices_of(applicant_ids: list[int]) -> dict[int, int]:
    result = {}
    for start in range(0, len(applicant_ids), 5000):
        chunk = applicant_ids[start : start + 5000]
        result.update(Applicant.objects.filter(pk__in=chunk).values_list("id", "office_id"))
    return result


def active_measures(profile: ExtractProfile, applicant_ids=None) -> dict[int, list[str]]:
    """applicant -> codes of their active measures that this kind of extract affects."""
    qs = Entitlement.objects.filter(status=Entitlement.Status.ACTIVE)
    if "*" not in profile.services:
        qs = qs.filter(service__code__in=profile.services)
    result: dict[int, list[str]] = defaultdict(list)
    for applicant_id, code in qs.values_list("applicant_id", "service__code").iterator(
        chunk_size=20000
    ):
        if code not in result[applicant_id]:
            result[applicant_id].append(code)
    return result


@dataclass
class Outcome:
    counts: dict = field(default_factory=lambda: dict.fromkeys(COUNTER_KEYS, 0))
    items: dict[int, dict] = field(default_factory=dict)  # applicant -> item data
    invalid: list[tuple[int, str, dict]] = field(default_factory=list)
    ambiguous: list[tuple[int, str, dict, list[int]]] = field(default_factory=list)


def match_rows(
    rows, profile: ExtractProfile, index: Index, measures: dict[int, list[str]], *, progress=None
) -> Outcome:
    outcome = Outcome()
    counts = outcome.counts
    mapping = None
    date_format = profile.date_format
    for number, row in rows:
        if mapping is None:
            mapping = column_map(list(row), profile.columns, FIELDS)
            check_columns(mapping, list(row))
        counts["rows_total"] += 1
        if progress and counts["rows_total"] % PROGRESS_EVERY == 0:
            progress(counts["rows_total"])
        parsed = parse_row({key: row.get(column, "") for key, column in mapping.items()}, number, date_format)  # fmt: skip
        if parsed["reason"]:
            counts["rows_invalid"] += 1
            outcome.invalid.append((number, parsed["reason"], {k: str(v) for k, v in row.items()}))
            continue
        digits, snils_ok, name_key = parsed["digits"], parsed["snils_ok"], parsed["name_key"]
        birth, event, evidence = parsed["birth"], parsed["event"], parsed["evidence"]
        found: list[int] = []
        step = ""
        if snils_ok:
            pk = index.by_snils.get(digits)
            found = [pk] if pk is not None else []
            step = Selection.Match.SNILS
        if not found and name_key and birth:
            found = index.name_dob(name_key, birth)
            step = Selection.Match.NAME_DOB
        if not found and name_key and birth:
            found = [
                pk for pk, candidate in index.by_dob.get(birth, ())
                if Levenshtein.distance(name_key, candidate, score_cutoff=FUZZY_MAX_DISTANCE) <= FUZZY_MAX_DISTANCE
            ]  # fmt: skip
            step = Selection.Match.PROBABLE
        if not found:
            counts["unmatched"] += 1
            continue
        if len(found) > 1:
            counts["ambiguous"] += 1
            outcome.ambiguous.append((number, step, evidence, sorted(found)))  # as SQL orders them
            continue
        counts[
            {"snils": "matched_snils", "name_dob": "matched_name_dob", "probable": "probable"}[step]
        ] += 1
        applicant_id = found[0]
        affected = measures.get(applicant_id)
        if not affected:
            continue
        item = outcome.items.get(applicant_id)
        evidence["step"] = step
        if item is None:
            outcome.items[applicant_id] = {
                "match": step,
                "evidence": [evidence],
                "event_date": event,
                "services": list(affected),
            }
        else:  # repeated rows for one person make one item
            item["evidence"].append(evidence)
            if MATCH_RANK[step] < MATCH_RANK[item["match"]]:
                item["match"] = step
            if event and (item["event_date"] is None or event < item["event_date"]):
                item["event_date"] = event
    return outcome


# --- Running ----------------------------------------------------------------------------------


INTERRUPTED_TWICE = (
    "Сверка прервана {attempts} раза: обработка останавливалась, не дойдя до конца (нехватка "
    "памяти, перезапуск сервера). Больше она не перезапускается: проверьте файл и загрузите его снова."
)


def claim(run_id: int) -> tuple[ReconciliationRun, str] | None:
    """Take the run for this attempt; the caller holds the run's liveness lock. So a run found
    «выполняется» has no live worker: it died before the results (written in one transaction
    at the end) were written, and the run starts again from scratch — once: a run interrupted
    again is failed (`MAX_ATTEMPTS`). Returns None for a finished run."""
    token = uuid.uuid4().hex
    now = timezone.now()
    with transaction.atomic():
        run = ReconciliationRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status in (
            ReconciliationRun.Status.DONE,
            ReconciliationRun.Status.FAILED,
        ):
            return None
        if run.status != ReconciliationRun.Status.QUEUED:  # running or interrupted: it died
            run.interrupted_at = run.interrupted_at or now
            if run.attempts >= MAX_ATTEMPTS:
                run.status = ReconciliationRun.Status.FAILED
                run.error = INTERRUPTED_TWICE.format(attempts=run.attempts)
                run.finished_at = now
                run.save(update_fields=["status", "error", "finished_at", "interrupted_at"])
                logger.warning("Сверка № %s прервана повторно и не перезапускается", run.pk)
                return None
            logger.warning("Сверка № %s была прервана: перезапуск с начала", run.pk)
        run.status = ReconciliationRun.Status.RUNNING
        run.started_at = now
        run.attempt = token
        run.attempts += 1
        run.progress = 0
        run.error = ""
        run.save(update_fields=["status", "started_at", "attempt", "attempts", "progress", "error", "interrupted_at"])  # fmt: skip
    return run, token


def execute_run(run_id: int) -> ReconciliationRun | None:
    """Run it, holding its liveness lock from the claim to the commit of its results. A run
    that a live worker is running already is left to it (a redelivered task does nothing)."""
    with liveness.hold(run_id) as held:
        if not held:
            logger.info("Сверка № %s выполняется другим процессом", run_id)
            return ReconciliationRun.objects.filter(pk=run_id).first()
        return _execute(run_id)


def recover_runs() -> list[int]:
    """Runs «выполняется» whose worker died: marked «прервана, будет перезапущена» with the time
    it was found. They restart when a worker next takes them — the nightly scan (by the run's
    file, which it then files), the periodic `reconciliation.recover_runs`, a redelivered task —
    and `claim` fails one that was restarted already. Returns the runs marked."""
    marked = []
    running = ReconciliationRun.objects.filter(status=ReconciliationRun.Status.RUNNING)
    for pk in running.values_list("pk", flat=True):
        with liveness.hold(pk) as held:
            if not held:
                continue  # its worker is alive
            changed = ReconciliationRun.objects.filter(
                pk=pk, status=ReconciliationRun.Status.RUNNING
            ).update(status=ReconciliationRun.Status.INTERRUPTED, interrupted_at=timezone.now())
        if changed:
            logger.warning("Сверка № %s прервана: её процесс остановился", pk)
            marked.append(pk)
    return marked


def interrupted(runs) -> set[int]:
    """Of these runs, those «выполняется» whose worker is gone (for the lists, before a
    `recover_runs` has marked them)."""
    running = [run.pk for run in runs if run.status == ReconciliationRun.Status.RUNNING]
    return set(running) - liveness.alive(running)


def _execute(run_id: int) -> ReconciliationRun | None:
    claimed = claim(run_id)
    if claimed is None:
        return ReconciliationRun.objects.filter(pk=run_id).first()
    run, token = claimed
    profile = run.profile

    def progress(done: int) -> None:
        ReconciliationRun.objects.filter(pk=run.pk, attempt=token).update(progress=done)

    try:
        from reconciliation import fastpath

        if fastpath.usable(run):
            try:
                with transaction.atomic():
                    fastpath.execute(run, token, progress=progress)
            except fastpath.Unavailable as exc:
                # the Python path below reads the file record by record
                logger.info("Сверка № %s идёт без SQL-ускорения: %s", run.pk, exc or "формат файла")
            else:
                run.refresh_from_db()
                return run
        index = build_index(run.office)
        measures = active_measures(profile)
        rows = read_rows(
            Path(run.file_path), file_format=profile.file_format, encoding=profile.encoding,
            delimiter=profile.delimiter, xml_record=profile.xml_record, override=run.encoding,
        )  # fmt: skip
        outcome = match_rows(rows, profile, index, measures, progress=progress)
        if outcome.counts["rows_total"] == 0:
            raise ExtractError("В файле нет ни одной записи")
        _write(run, token, outcome)
    except ExtractError as exc:
        _fail(run, token, str(exc))
    except Exception:  # a bug must not leave the run "running" for ever
        # the user reads Russian; the exception itself goes to the server's log (re-raised)
        _fail(run, token, f"Внутренняя ошибка программы: сверка № {run.pk} не выполнена. "
                          "Сообщите администратору; подробности — в журнале сервера.")  # fmt: skip
        raise
    run.refresh_from_db()
    return run


def _fail(run: ReconciliationRun, token: str, message: str) -> None:
    ReconciliationRun.objects.filter(pk=run.pk, attempt=token).update(
        status=ReconciliationRun.Status.FAILED, error=message[:5000], finished_at=timezone.now()
    )


def _owners(applicant_ids: list[int]) -> dict[int, int]:
    """Who works each person's case: the specialist of their latest application, else the one
    who opened their case file (an imported register), while that user is active."""
    from cases.models import CaseFile

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


def _write(run: ReconciliationRun, token: str, outcome: Outcome) -> None:
    profile = run.profile
    with transaction.atomic():
        locked = ReconciliationRun.objects.select_for_update().get(pk=run.pk)
        if locked.attempt != token or locked.status != ReconciliationRun.Status.RUNNING:
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
                    item.needs_confirmation = data["match"] == Selection.Match.PROBABLE
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
                        needs_confirmation=data["match"] == Selection.Match.PROBABLE,
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
        locked.finish(counts)


# --- Working out items ------------------------------------------------------------------------


class SelectionError(DomainError):
    """A refusal while working out selections."""


def _death_source(item: Selection) -> str:
    """Where the date of death came from: the run(s) and row(s) of the extract."""
    rows = [e for e in item.evidence if isinstance(e, dict) and e.get("row")]
    where = (
        ", ".join(f"сверка № {e.get('run', item.run_id)}, строка {e['row']}" for e in rows[-3:])
        or f"сверка № {item.run_id}"
    )
    return f"{where} ({item.get_source_display()}, {item.get_kind_display()}, файл {item.run.file_name})"


def work_out(
    item: Selection, outcome: str, *, actor, note: str = "", on=None, event_date=None
) -> Selection:
    """Close an item with its outcome; stopping or suspending changes the measures it names
    (a confirmed death is written on the person and stops all of their measures). An extract
    without the event's date takes it from the specialist (`event_date`)."""
    from cases.services import change_entitlement_status, record_death

    if outcome not in Selection.Outcome.values:
        raise SelectionError("Выберите результат отработки.", field="outcome")
    with transaction.atomic():
        item = (
            Selection.objects.select_for_update().select_related("run", "applicant").get(pk=item.pk)
        )
        if item.status != Selection.Status.OPEN:
            raise SelectionError(f"Селекция уже отработана: «{item.get_outcome_display()}».")
        if item.event_date is None and event_date is not None:
            item.event_date = event_date
            note = f"дата события {event_date:%d.%m.%Y} указана вручную" + (
                f"; {note}" if note else ""
            )
        if (
            outcome == Selection.Outcome.STOPPED
            and item.kind == Kind.DEATHS
            and not item.event_date
        ):
            raise SelectionError(
                f"{item.applicant.short_name}: в выгрузке нет даты смерти — укажите её (по "
                "свидетельству или ответу ЗАГС), чтобы прекратить меры с этого дня.",
                field="event_date",
            )
        if outcome == Selection.Outcome.STOPPED and item.kind == Kind.DEATHS:
            # A confirmed death is a fact about the person, not only about the measures the
            # extract names: the card shows it and every measure stops from that day.
            try:
                record_death(
                    item.applicant, item.event_date, actor=actor, source=_death_source(item)
                )
            except DomainError as exc:
                raise SelectionError(
                    f"Дата смерти из выгрузки {item.event_date:%d.%m.%Y} не подходит получателю: "
                    f"{exc.message[0].lower()}{exc.message[1:]} Проверьте совпадение — возможно, "
                    "это ложное совпадение.",
                    field="outcome",
                ) from None
        elif outcome in {Selection.Outcome.STOPPED, Selection.Outcome.SUSPENDED}:
            status = (
                Entitlement.Status.STOPPED
                if outcome == Selection.Outcome.STOPPED
                else Entitlement.Status.SUSPENDED
            )
            reason = (
                f"Селекция {item.get_source_display()} «{item.get_kind_display()}»"
                + (f", событие {item.event_date:%d.%m.%Y}" if item.event_date else "")
                + (f": {note}" if note else "")
            )
            measures = Entitlement.objects.filter(
                applicant_id=item.applicant_id, status__in=[Entitlement.Status.ACTIVE, Entitlement.Status.SUSPENDED],
                service__code__in=item.services,
            )  # fmt: skip
            for entitlement in measures:
                change_entitlement_status(
                    entitlement, status, actor=actor, reason=reason, on=on or item.event_date
                )
        item.status = Selection.Status.DONE
        item.outcome = outcome
        item.note = note
        item.worked_at = timezone.now()
        item.worked_by = actor
        item._history_user = actor
        item.save()
    return item


@dataclass(frozen=True)
class BulkWorkOut:
    done: int
    skipped_probable: int  # probable matches: confirmed one by one, never in bulk


def work_out_many(items, outcome: str, *, actor, note: str = "") -> BulkWorkOut:
    """Bulk action: all or nothing. A probable match is skipped: someone must compare the
    person on the item's page before a measure changes."""
    items = list(items)
    sure = [item for item in items if not item.needs_confirmation]
    with transaction.atomic():
        for item in sure:
            work_out(item, outcome, actor=actor, note=note)
    return BulkWorkOut(done=len(sure), skipped_probable=len(items) - len(sure))


TAKES_SELECTIONS = "reconciliation.change_selection"
ASSIGNS_SELECTIONS = "reconciliation.assign_selection"


def reassign_selections(items, to_user, *, actor, note: str = ""):
    """Give the selected open items (assigned or still in the queue) to a specialist of their
    office, with history; all or nothing. Returns `onewindow.reassign.Reassigned`."""
    from onewindow.reassign import reassign_rows

    ids = [getattr(item, "pk", item) for item in items]
    with transaction.atomic():
        locked = list(Selection.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        names = dict(Selection.objects.filter(pk__in=ids).values_list("pk", "applicant__last_name"))
        return reassign_rows(
            locked, field="assigned_to", to_user=to_user, actor=actor,
            permission=ASSIGNS_SELECTIONS, takes_work=TAKES_SELECTIONS, note=note,
            is_open=lambda item: item.status == Selection.Status.OPEN,
            title=lambda item: f"селекция «{item.get_kind_display()}» ({names.get(item.pk, '')})",
        )  # fmt: skip


def resolve_ambiguous(row: AmbiguousRow, chosen: Applicant | None, *, actor) -> Selection | None:
    """The specialist picked the right person (or none): an item is made if they hold an
    affected active measure."""
    with transaction.atomic():
        row = AmbiguousRow.objects.select_for_update().select_related("run__profile").get(pk=row.pk)
        if row.resolved:
            raise SelectionError("Эта строка уже разобрана.")
        row.resolved = True
        row.chosen = chosen
        row.save(update_fields=["resolved", "chosen"])
        if chosen is None:
            return None
        run = row.run
        affected = active_measures(run.profile).get(chosen.pk)
        if not affected:
            return None
        evidence = {**row.data, "run": run.pk, "step": "chosen", "chosen_by": actor.get_username()}
        item = Selection.objects.open().filter(applicant=chosen, kind=run.kind).first()
        if item is not None:
            item.evidence = [*item.evidence, evidence]
            item._history_user = actor
            item.save()
            return item
        event = row.data.get("event_date")
        return Selection.objects.create(
            office=chosen.office, run=run, applicant=chosen, kind=run.kind, source=run.source,
            match=row.step if row.step in Selection.Match.values else Selection.Match.NAME_DOB,
            needs_confirmation=False, event_date=datetime.date.fromisoformat(event) if event else None,
            evidence=[evidence], suggested_action=run.profile.action, services=sorted(affected),
            assigned_to=actor,
        )  # fmt: skip
