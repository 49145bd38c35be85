"""The personal-data access log (152-ФЗ): one helper every view of a person's data calls, and the
office-scoped lookup that records a refusal when someone reaches for another office's record."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.db import models
from django.http import Http404, HttpRequest

from onewindow.models import AccessLog

# Event codes used across the apps, with the titles shown in the log.
EVENT_TITLES: dict[str, str] = {
    "view_applicant": "Открыта карточка заявителя",
    "view_casefile": "Открыто личное дело",
    "view_application": "Открыто заявление",
    "print_document": "Печать документа с персональными данными",
    "export": "Выгрузка данных",
    "search": "Поиск заявителя",
    "forbidden": "Попытка действия без прав",
    "view_access_log": "Просмотр журнала доступа",
    "view_journal": "Просмотр журнала регистрации",
    "view_request": "Открыт запрос о человеке",
    "view_handover": "Открыта передача дел",
    "transfer_casefile": "Передача личного дела в другое учреждение",
}


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
) -> AccessLog:
    """Write one access-log row. `subject` is the model instance looked at (or None)."""
    user = user if user is not None else getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    subject_type = subject_id = ""
    if subject is not None:
        subject_type = subject._meta.label_lower
        subject_id = str(subject.pk)
        if not subject_repr:
            subject_repr = str(subject)
    return AccessLog.objects.create(
        user=user,
        username=user.get_username() if user else "",
        office=getattr(user, "office", None),
        event=event,
        subject_type=subject_type,
        subject_id=subject_id,
        subject_repr=subject_repr[:300],
        result=AccessLog.Result.ALLOWED if allowed else AccessLog.Result.REFUSED,
        ip_address=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request else "")[:300],
        path=(request.get_full_path() if request else "")[:500],
        detail=detail[:500],
    )


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


def redact_subjects(
    *,
    subject_type: str,
    subject_ids,
    needles=(),
    placeholder: str = "[обезличено]",
    weak_needles=(),
) -> int:
    """Erase a destroyed person from the access log: the events stay (who, when, what kind), the
    person does not. Rows about the subjects lose their description; any row whose description,
    address or details hold one of `needles` (the person's names, СНИЛС, document numbers) has it
    replaced — in any letter case, and percent-encoded in the address (a search's query string).
    `weak_needles` (first name, patronymic) are replaced only in rows a needle found. Returns the
    number of rows changed."""
    from onewindow import erasure

    ids = [str(pk) for pk in subject_ids]
    changed = AccessLog.objects.filter(subject_type=subject_type, subject_id__in=ids).update(
        subject_repr=placeholder, subject_search=""
    )
    needles = [n for n in needles if n and len(n) >= 3]
    if not needles:
        return changed
    fields = ("subject_repr", "path", "detail")
    for row in erasure.containing(AccessLog.objects.all(), fields, needles):
        values = {
            name: erasure.redact(getattr(row, name), needles, weak_needles, placeholder)
            for name in fields
        }
        if all(values[name] == getattr(row, name) for name in fields):
            continue
        values["path"] = values["path"].replace(placeholder, quote(placeholder))
        AccessLog.objects.filter(pk=row.pk).update(**values, subject_search="")
        changed += 1
    return changed
