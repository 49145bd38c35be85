"""The personal-data access log (152-ФЗ): one helper every view of a person's data calls, and the
office-scoped lookup that records a refusal when someone reaches for another office's record."""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime
import io
import json
import logging
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import unquote, unquote_plus

from django.conf import settings
from django.db import connection, models, transaction
from django.http import Http404, HttpRequest
from django.utils import timezone

from onewindow.events import EVENT_TITLES
from onewindow.jobs import job_handler
from onewindow.models import AccessLog, AccessLogChain

logger = logging.getLogger(__name__)

# the session key of the moment of login (the absolute session limit counts from it)
AUTH_AT = "onewindow_auth_at"


def on_login(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[AUTH_AT] = int(timezone.now().timestamp())
    log_access(request, event="login", user=user)


def on_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        log_access(request, event="logout", user=user)


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    """A failed login: the account named (existing or not) and the address; the office of an
    existing account sees the attempts on it."""
    from django.contrib.auth import get_user_model

    username = str(credentials.get("username", ""))[:150]
    account = get_user_model().objects.filter(username=username).only("office_id").first()
    log_access(
        request,
        event="login_failed",
        allowed=False,
        username=username,
        office_id=account.office_id if account else None,
        detail="учётная запись существует" if account else "такой учётной записи нет",
    )


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # django-axes already resolves the client address through the configured proxies.
    ip = getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR")
    return ip or None


def log_access(
    request: HttpRequest | None,
    *,
    event: str,
    subject: Any = None,
    subject_repr: str = "",
    allowed: bool = True,
    detail: str = "",
    user=None,
    username: str = "",
    office_id: int | None = None,
    path: str | None = None,
) -> AccessLog:
    """Write one access-log row. `subject` is the model instance looked at (or None); `path`
    replaces the request's address where its query holds a secret (the status page's code)."""
    user = user if user is not None else getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    subject_type = subject_id = ""
    subject_office_id = None
    if subject is not None:
        subject_type = subject._meta.label_lower
        subject_id = str(subject.pk)
        subject_office_id = getattr(subject, "office_id", None)
        if subject_office_id is None and subject._meta.label_lower == "onewindow.office":
            subject_office_id = subject.pk  # an attempt on an office's reports is its business
        if not subject_repr:
            subject_repr = str(subject)
    with _committed_lazily():
        entry = AccessLog.objects.create(
            user=user,
            username=(user.get_username() if user else username)[:150],
            office_id=getattr(user, "office_id", None) if user else office_id,
            subject_office_id=subject_office_id,
            event=event,
            subject_type=subject_type,
            subject_id=subject_id,
            subject_repr=subject_repr[:300],
            result=AccessLog.Result.ALLOWED if allowed else AccessLog.Result.REFUSED,
            ip_address=client_ip(request),
            user_agent=(request.META.get("HTTP_USER_AGENT", "") if request else "")[:300],
            path=(readable_path(request) if path is None else path)[:500],
            detail=detail[:500],
        )
    if settings.ACCESS_LOG_SEAL_ON_COMMIT:
        transaction.on_commit(_seal_quietly)
    return entry


def _lazy_commit(execute, sql, params, many, context):
    # one round trip: the setting and the INSERT are one implicit transaction of the server
    return execute("SET LOCAL synchronous_commit TO OFF; " + sql, params, many, context)


def _committed_lazily():
    """A row written on its own (autocommit, PostgreSQL) is committed without waiting for the
    disk (`synchronous_commit = off` for that one transaction): the wait is the better part of a
    keystroke's time at the counter (4–12 ms of fdatasync here against 0.1 ms). The row is still
    written, in order, within `wal_writer_delay` (0.2 s); only a crash of the database server in
    that moment can lose it, never leave the log inconsistent. A row written inside a
    transaction (a change of data with its log) commits with that transaction, durably.
    ACCESS_LOG_ASYNC_COMMIT=0 makes every row wait for the disk."""
    if (
        settings.ACCESS_LOG_ASYNC_COMMIT
        and connection.vendor == "postgresql"
        and not connection.in_atomic_block
    ):
        return connection.execute_wrapper(_lazy_commit)
    return contextlib.nullcontext()


def readable_path(request: HttpRequest | None) -> str:
    """The address as a person reads it (Cyrillic, not %D0%A1…): what the log shows, and what a
    destruction finds and erases."""
    if request is None:
        return ""
    path = unquote(request.path)
    query = request.META.get("QUERY_STRING", "")
    if not query:
        return path
    # WSGI hands the bytes over as Latin-1 text (a browser's are %-escaped ASCII anyway); text
    # that is not from a WSGI server stays as it is
    with contextlib.suppress(UnicodeEncodeError):
        query = query.encode("iso-8859-1").decode("utf-8", errors="replace")
    return f"{path}?{unquote_plus(query, errors='replace')}"


def shown(records: Iterable[Any], *, limit: int = 60) -> str:
    """`detail` of a list view: whose records were on the screen, by id ("показаны: 3, 8, 15")."""
    ids = [str(getattr(record, "pk", record)) for record in records]
    if not ids:
        return "показано: 0"
    text = "показаны: " + ", ".join(ids[:limit])
    return text + (f" и ещё {len(ids) - limit}" if len(ids) > limit else "")


def get_for_user_or_404(
    request: HttpRequest,
    queryset: models.QuerySet,
    *,
    event: str | None = None,
    **lookup: Any,
):
    """Fetch an office-owned record through `.for_user(request.user)`.

    A record of another office answers 404 exactly like a missing one (nobody learns it exists),
    but the attempt is written to the access log as refused. With `event`, a successful view is
    logged as allowed.
    """
    try:
        obj = queryset.for_user(request.user).get(**lookup)
    except queryset.model.DoesNotExist:
        other = queryset.model._default_manager.filter(**lookup).first()
        if other is not None:
            log_access(
                request,
                event=event or "forbidden",
                subject=other,
                subject_repr=f"{queryset.model._meta.verbose_name} #{other.pk}",
                allowed=False,
                detail="запись другого учреждения",
            )
        raise Http404("Запись не найдена") from None
    if event:
        log_access(request, event=event, subject=obj)
    return obj


# --- Tamper evidence: the hash chain -------------------------------------------------------------


def seal_pending(*, limit: int = 10_000) -> int:
    """Link the rows not yet in the chain, in the order they were written. Safe to call from many
    processes: the chain's head row is locked while it runs."""
    with transaction.atomic():
        head = AccessLogChain.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head, _ = AccessLogChain.objects.get_or_create(pk=1)
        rows = list(AccessLog.objects.filter(seq__isnull=True).order_by("id")[:limit])
        for row in rows:
            if not row.pd_digest and not row.redacted:
                row.pd_digest = row.personal_digest()
            row.seq, row.prev_digest = head.seq + 1, head.digest
            row.digest = row.chain_digest(row.prev_digest, row.seq)
            head.seq, head.digest = row.seq, row.digest
        if rows:
            _write_seals(rows)
            head.save(update_fields=["seq", "digest"])
    return len(rows)


def _write_seals(rows: list[AccessLog]) -> None:
    """The rows' chain fields in one statement (PostgreSQL) or one prepared statement run for
    each (SQLite). `bulk_update` builds a CASE per field and row: a second for 450 rows, paid by
    whichever request sealed them."""
    values = [(row.id, row.seq, row.prev_digest, row.digest, row.pd_digest) for row in rows]
    table = connection.ops.quote_name(AccessLog._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg2.extras import execute_values

            execute_values(
                cursor,
                f"UPDATE {table} AS t SET seq = v.seq, prev_digest = v.prev, digest = v.digest, "
                "pd_digest = v.pd FROM (VALUES %s) AS v (id, seq, prev, digest, pd) WHERE t.id = v.id",
                values,
                template="(%s::bigint, %s::bigint, %s, %s, %s)",
                page_size=len(values),
            )
        else:
            cursor.executemany(
                f"UPDATE {table} SET seq = %s, prev_digest = %s, digest = %s, pd_digest = %s WHERE id = %s",
                [(seq, prev, digest, pd, pk) for pk, seq, prev, digest, pd in values],
            )


def _seal_quietly() -> None:
    """Seal what is pending, once per ACCESS_LOG_SEAL_EVERY_SECONDS for the installation (the
    shared cache decides who; each process alone without one): a burst of requests — the
    counter's search as a name is typed — does not queue on the chain's head row for every
    keystroke. Rows written meanwhile are sealed by the next seal or by the minutely task."""
    from django.core.cache import cache

    every = settings.ACCESS_LOG_SEAL_EVERY_SECONDS
    if every > 0 and not cache.add("onewindow:access-log:sealing", 1, timeout=every):
        return
    # sealing never fails the request that wrote the row: the periodic task picks it up
    try:
        seal_pending()
    except Exception:
        logger.warning("журнал доступа: записи не включены в цепочку сразу", exc_info=True)


@dataclasses.dataclass
class ChainCheck:
    checked: int = 0
    unsealed: int = 0
    broken_seq: int | None = None
    broken_id: int | None = None
    reason: str = ""
    head_seq: int = 0
    head_digest: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None and not self.reason

    def __str__(self) -> str:
        if self.ok:
            return (
                f"Цепочка журнала доступа цела: проверено записей {self.checked}, последняя № "
                f"{self.head_seq}, хеш {self.head_digest or '—'}; ещё не включено в цепочку: "
                f"{self.unsealed}."
            )
        where = f"запись № {self.broken_seq}" + (
            f" (id {self.broken_id})" if self.broken_id else ""
        )
        return f"Цепочка журнала доступа нарушена: {where} — {self.reason}. Проверено до неё: {self.checked}."


def verify_chain() -> ChainCheck:
    """Walk the chain from its start; name the first row that does not fit."""
    head = AccessLogChain.objects.filter(pk=1).first() or AccessLogChain(pk=1)
    result = ChainCheck(
        unsealed=AccessLog.objects.filter(seq__isnull=True).count(),
        head_seq=head.seq,
        head_digest=head.digest,
    )
    expected_seq, expected_prev = head.start_seq + 1, head.start_digest
    rows = AccessLog.objects.filter(seq__isnull=False).order_by("seq")
    for row in rows.iterator(chunk_size=2000):
        problem = ""
        if row.seq != expected_seq:
            if row.seq < expected_seq:
                problem = "запись старше начала цепочки"
            else:
                result.broken_seq, result.reason = expected_seq, "запись удалена"
                return result
        elif row.prev_digest != expected_prev:
            problem = "не совпадает хеш предыдущей записи (запись перед ней изменена или удалена)"
        elif not row.redacted and row.pd_digest != row.personal_digest():
            problem = "изменены сведения о субъекте, адрес или подробности"
        elif row.chain_digest(expected_prev, row.seq) != row.digest:
            problem = "изменены поля записи (время, пользователь, событие, результат или адрес)"
        if problem:
            result.broken_seq, result.broken_id, result.reason = row.seq, row.pk, problem
            return result
        result.checked += 1
        expected_seq, expected_prev = row.seq + 1, row.digest
    if head.seq != expected_seq - 1 or head.digest != expected_prev:
        result.broken_seq = expected_seq
        result.reason = f"последние записи удалены: голова цепочки указывает на № {head.seq}"
    return result


@job_handler("audit.verify_chain")
def verify_job(job, report) -> dict:
    seal_pending()
    result = verify_chain()
    report(result.checked, result.checked)
    return {"message": str(result), "ok": result.ok}


# --- Retention and export ------------------------------------------------------------------------


def purge_expired(*, today: datetime.date | None = None) -> int:
    """Remove rows older than ACCESS_LOG_RETENTION_DAYS from the start of the chain (the chain
    keeps verifying from the first kept row); the removal is itself an event of the log."""
    today = today or timezone.localdate()
    cutoff = timezone.make_aware(
        datetime.datetime.combine(
            today - datetime.timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS), datetime.time()
        )
    )
    seal_pending()
    with transaction.atomic():
        head = AccessLogChain.objects.select_for_update().filter(pk=1).first()
        if head is None:
            return 0
        kept = AccessLog.objects.filter(seq__isnull=False, at__gte=cutoff).order_by("seq").first()
        last_removed = kept.seq - 1 if kept else head.seq
        if last_removed <= head.start_seq:
            return 0
        boundary = AccessLog.objects.filter(seq=last_removed).first()
        removed, _ = AccessLog.objects.filter(seq__lte=last_removed).delete()
        head.start_seq = last_removed
        head.start_digest = boundary.digest if boundary else head.start_digest
        head.save(update_fields=["start_seq", "start_digest"])
    log_access(
        None,
        event="purge_access_log",
        detail=f"удалено записей: {removed}, по № {last_removed} включительно (старше {cutoff:%d.%m.%Y}); "
        f"хеш последней удалённой: {head.start_digest}",
    )
    return removed


EXPORT_FIELDS = [
    "seq", "at", "username", "office", "subject_office", "event", "event_title", "result",
    "subject_type", "subject_id", "subject_repr", "ip_address", "user_agent", "path", "detail",
    "redacted", "prev_digest", "digest",
]  # fmt: skip


def export_record(row: AccessLog) -> dict:
    return {
        "seq": row.seq,
        "at": timezone.localtime(row.at).isoformat(timespec="seconds"),
        "username": row.username,
        "office": row.office.code if row.office_id else "",
        "subject_office": row.subject_office.code if row.subject_office_id else "",
        "event": row.event,
        "event_title": EVENT_TITLES.get(row.event, row.event),
        "result": row.result,
        "subject_type": row.subject_type,
        "subject_id": row.subject_id,
        "subject_repr": row.subject_repr,
        "ip_address": row.ip_address or "",
        "user_agent": row.user_agent,
        "path": row.path,
        "detail": row.detail,
        "redacted": row.redacted,
        "prev_digest": row.prev_digest,
        "digest": row.digest,
    }


def export_lines(rows: models.QuerySet, fmt: str = "jsonl") -> Iterator[str]:
    """JSON lines (for a log collector) or CSV (for a person; formula-safe) of the rows, in the
    chain's order."""
    rows = rows.select_related("office", "subject_office").order_by("seq", "id")
    if fmt == "jsonl":
        for row in rows.iterator(chunk_size=2000):
            yield json.dumps(export_record(row), ensure_ascii=False) + "\n"
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(EXPORT_FIELDS)
    for row in rows.iterator(chunk_size=2000):
        record = export_record(row)
        writer.writerow([_csv_safe(record[name]) for name in EXPORT_FIELDS])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def _csv_safe(value: Any) -> Any:
    """A cell a spreadsheet would run as a formula is written as text (OWASP CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
