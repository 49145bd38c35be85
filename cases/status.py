"""The applicant's own view of an application, without a login: the receipt's number and the
status code printed on it give the state in plain words, the decision's deadline and the
documents still awaited — nothing else of the person or the case (issue 23, item 7).

A wrong code and a number that does not exist get the same answer, found the same way: the
applications with that number are read (offices of one installation share numbers), each code is
compared in constant time, and a number with no application is compared against a dummy. Lookups
are counted per client address and per receipt number in the cache; past the limit the page
answers «too many attempts» without looking anything up.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import secrets

from django.conf import settings
from django.utils import timezone

from cases.models import STATUS_CODE_ALPHABET, STATUS_CODE_LENGTH, Application, InteragencyRequest
from cases.printing import missing_lines, office_obtains
from onewindow import throttle

NOT_FOUND = "Заявление не найдено. Проверьте номер расписки и код."
TOO_MANY = "Слишком много попыток, попробуйте позже."
BAD_NUMBER = "Введите номер расписки так, как он напечатан: например, 15/2026."
BAD_CODE = (
    f"Введите код с расписки: {STATUS_CODE_LENGTH} знаков, латинские буквы и цифры "
    "(например, ABCD-EFGH)."
)

# «15/2026», «№ 15/2026», «15 / 2026», «15-2026»
_RECEIPT_NUMBER = re.compile(r"^\s*(?:№\s*)?0*(\d{1,9})\s*[/\\.\-]\s*(\d{4})\s*$")
# a phone's Russian keyboard types Cyrillic look-alikes of the code's Latin capitals
_LOOKALIKES = str.maketrans("АВЕКМНРСТУХавекмнрстух", "ABEKMHPCTYXABEKMHPCTYX")
_DUMMY_CODE = "Z" * STATUS_CODE_LENGTH


def parse_receipt_number(text: str) -> tuple[int, int] | None:
    """(number, year) of «15/2026», or None when it does not read as a receipt's number."""
    match = _RECEIPT_NUMBER.match(text or "")
    if not match:
        return None
    number, year = int(match.group(1)), int(match.group(2))
    return (number, year) if number > 0 and 2000 <= year <= 2100 else None


def normalize_code(text: str) -> str | None:
    """The code as stored («ABCDEFGH») from what was typed («abcd-efgh», «ABCD EFGH»), or None
    when it cannot be one."""
    code = re.sub(r"[\s\-–—]", "", (text or "").translate(_LOOKALIKES)).upper()
    if len(code) != STATUS_CODE_LENGTH or any(c not in STATUS_CODE_ALPHABET for c in code):
        return None
    return code


def attempt_allowed(client: str | None, number: tuple[int, int]) -> bool:
    """Count one lookup for the client's address and for the receipt number; False once either
    has had STATUS_ATTEMPTS within STATUS_WINDOW_SECONDS (a fixed window from the first)."""
    keys = (f"status-page:ip:{client or '-'}", f"status-page:n:{number[0]}/{number[1]}")
    return throttle.count(
        keys, limit=settings.STATUS_ATTEMPTS, window=settings.STATUS_WINDOW_SECONDS
    )


def find_application(number: tuple[int, int], code: str) -> Application | None:
    """The application with this receipt number whose code is `code` (already normalised)."""
    candidates = list(
        Application.objects.filter(reg_number=number[0], reg_year=number[1]).values_list(
            "pk", "status_code"
        )
    ) or [(None, _DUMMY_CODE)]
    found = None
    for pk, stored in candidates:
        # every candidate is compared, a match or not: the time does not tell which
        if secrets.compare_digest(stored.encode(), code.encode()) and pk is not None:
            found = pk
    if found is None:
        return None
    return Application.objects.select_related("service", "service_version").get(pk=found)


@dataclasses.dataclass
class AwaitedRequest:
    title: str
    agency: str
    due_date: datetime.date | None
    refused: bool  # the agency did not give it: the applicant may bring it


@dataclasses.dataclass
class PublicStatus:
    """All the status page shows. Built from fields that name nobody: no name, СНИЛС, birth
    date, address, category, family or representative ever enters it."""

    number: str
    service: str
    headline: str
    explanation: str
    tone: str  # ok / info / warn / off: the colour of the headline's badge
    is_open: bool
    deadline: datetime.date
    deadline_note: str
    overdue: bool
    decision_date: datetime.date | None
    to_bring: list[str]
    requested: list[AwaitedRequest]


_HEADLINES = {
    Application.Status.ACCEPTED: (
        "Документы приняты, заявление зарегистрировано",
        "Заявление ожидает рассмотрения.",
        "info",
    ),
    Application.Status.TRANSFERRED: (
        "Заявление передано на рассмотрение",
        "Документы переданы специалистам, которые готовят решение.",
        "info",
    ),
    Application.Status.IN_REVIEW: (
        "Заявление рассматривается",
        "Специалисты проверяют документы и готовят решение.",
        "info",
    ),
    Application.Status.WITHDRAWN: (
        "Заявление отозвано",
        "Рассмотрение заявления прекращено по просьбе заявителя.",
        "off",
    ),
}


def _headline(application: Application) -> tuple[str, str, str]:
    status = application.status
    if status in _HEADLINES:
        return _HEADLINES[status]
    refused = application.was_refused
    if status == Application.Status.NOTIFIED:
        if refused:
            return (
                "Решение принято: в предоставлении услуги отказано",
                "Уведомление о решении с причинами отказа и порядком обжалования направлено.",
                "off",
            )
        return ("Решение принято: услуга предоставлена", "Уведомление о решении направлено.", "ok")
    if refused:
        return (
            "Решение принято: в предоставлении услуги отказано",
            "Причины отказа и порядок обжалования будут указаны в уведомлении о решении: его "
            "направят вам или выдадут в учреждении.",
            "off",
        )
    return (
        "Решение принято: услуга предоставлена",
        "Уведомление о решении направят вам или выдадут в учреждении.",
        "ok",
    )


def public_status(application: Application, *, today: datetime.date | None = None) -> PublicStatus:
    today = today or timezone.localdate()
    headline, explanation, tone = _headline(application)
    is_open = application.is_open
    to_bring: list[str] = []
    requested: list[AwaitedRequest] = []
    if is_open:  # a decided or withdrawn application awaits nothing
        documents = list(application.documents.select_related("required_document", "document_type"))
        to_bring = [
            line["title"]
            for line in missing_lines(
                [d for d in documents if d.status == "missing" and not office_obtains(d)]
            )
            if line["required"]
        ]
        answers = {
            r.document_id: r
            for r in InteragencyRequest.objects.filter(application=application).select_related(
                "agency"
            )
        }
        for doc in documents:
            if not office_obtains(doc) or doc.status == "obtained":
                continue
            request = answers.get(doc.pk)
            if request is not None and request.result == InteragencyRequest.Result.RECEIVED:
                continue
            requested.append(
                AwaitedRequest(
                    title=doc.title,
                    agency=request.agency.name if request else "",
                    due_date=request.due_date if request and request.is_open else None,
                    refused=request is not None and not request.is_open,
                )
            )
    version = application.service_version
    deadline_note = ""
    if version.deadline_kind == "same_day":
        deadline_note = "в день обращения"
    elif version.counts_from_last_answer and any(r.due_date for r in requested):
        deadline_note = (
            "срок отсчитывается от последнего ответа ведомств на запросы учреждения и может "
            "сдвинуться, когда ответы поступят"
        )
    return PublicStatus(
        number=application.number_display,
        service=application.service.short_title,
        headline=headline,
        explanation=explanation,
        tone=tone,
        is_open=is_open,
        deadline=application.deadline,
        deadline_note=deadline_note,
        overdue=is_open and application.deadline < today,
        decision_date=application.decision_date
        if application.status in Application.DECIDED_STATUSES
        else None,
        to_bring=to_bring,
        requested=requested,
    )
