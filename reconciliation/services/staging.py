"""Uploads waiting on their preview: an extract uploaded on the runs page is kept (named by the
server, with a row of its user and office) until its user starts a run over it, discards it, or
its time runs out; its preview shows the first rows as the run will read them.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import re
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from onewindow.errors import DomainError
from onewindow.jobs import send_job
from reconciliation.models import ExtractProfile, ReconciliationRun, StagedExtract
from reconciliation.readers import (
    FIELD_ALIASES,
    Encoding,
    ExtractError,
    column_map,
    detect_format,
    file_encoding,
    parse_date,
    preview,
)
from reconciliation.services.runs import AlreadyProcessed, create_run, same_file_runs, storage_dir

logger = logging.getLogger(__name__)


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
            earlier = (
                same_file_runs(digest.hexdigest(), office)
                .filter(status=ReconciliationRun.Status.DONE)
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
            # its job (sent again for a run already there: restarted if its worker died)
            send_job(run.job)
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
