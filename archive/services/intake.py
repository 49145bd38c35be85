"""What a case file must be to go into the archive: nobody's work any more, and крайние даты
that agree with its records."""

from __future__ import annotations

import datetime

from django.utils import timezone

from archive.services.common import ArchiveError
from cases.models import (
    Application,
    CaseFile,
    Entitlement,
    IncomingRequest,
    InteragencyRequest,
    OutgoingRequest,
)
from onewindow import work
from onewindow.names import name_in
from onewindow.text import quoted

# Applications still someone's work: open, or decided with the applicant not yet notified.
UNFINISHED_APPLICATIONS = (
    *Application.OPEN_STATUSES,
    Application.Status.GRANTED,
    Application.Status.REFUSED,
)


def open_work(case_file: CaseFile) -> list[str]:
    """What keeps a case file in work, one Russian phrase per kind: open applications by number,
    measures not stopped by service, unanswered requests, and the open work other apps register
    for the person (selections). Empty: the file may go into the archive."""
    person = case_file.applicant
    found = []
    applications = (
        Application.objects.filter(case_file=case_file, status__in=UNFINISHED_APPLICATIONS)
        .select_related("service")
        .order_by("reg_year", "reg_number")
    )
    if applications:
        found.append(
            "незавершённые заявления: "
            + ", ".join(
                f"№ {a.number_display} ({a.service.short_title}, {a.get_status_display()})"
                for a in applications
            )
        )
    measures = (
        Entitlement.objects.filter(case_file=case_file)
        .exclude(status=Entitlement.Status.STOPPED)
        .select_related("service")
        .order_by("service__short_title", "pk")
    )
    if measures:
        found.append(
            "действующие или приостановленные меры: "
            + ", ".join(f"{m.service.short_title} ({m.get_status_display()})" for m in measures)
        )
    requests = [
        f"межведомственный запрос {quoted(r.document.title)} (заявление № {r.application.number_display})"
        for r in InteragencyRequest.objects.filter(
            application__case_file=case_file,
            application__status__in=UNFINISHED_APPLICATIONS,
            result="",
        ).select_related("document", "application")
    ]
    requests += [
        f"запрос {r.sender} № {r.sender_number} от {r.sender_date:%d.%m.%Y}"
        for r in IncomingRequest.objects.filter(
            applicant=person, office=case_file.office, answered_on__isnull=True
        )
    ]
    requests += [
        f"наш запрос № {r.out_number}/{r.out_year} в {r.to_office}"
        for r in OutgoingRequest.objects.filter(
            applicant=person, office=case_file.office, answered_on__isnull=True
        ).select_related("to_office")
    ]
    if requests:
        found.append("запросы без ответа: " + ", ".join(requests))
    # Work other apps register (selections, and any kind added later) that names the person.
    for kind in work.KINDS.values():
        if kind.model._meta.app_label in {"cases", "archive"}:
            continue
        if not any(f.name == "applicant" for f in kind.model._meta.get_fields()):
            continue
        scope = {"applicant": person}
        if any(f.name == "office" for f in kind.model._meta.get_fields()):
            scope["office"] = case_file.office  # another office's work is none of this file's
        items = list(kind.model._default_manager.filter(kind.open_filter, **scope)[:10])
        if items:
            found.append(
                f"{kind.title.lower()} в работе: {len(items)} ({', '.join(map(str, items))})"
            )
    return found


def _records(case_file: CaseFile):
    """(date, what) of every dated record of the file: applications, decisions, notices,
    measures, answers to requests. The file's крайние даты must cover them."""
    yield case_file.opened_on, "личное дело заведено"
    for a in Application.objects.filter(case_file=case_file):
        yield a.registered_on, f"заявление № {a.number_display} зарегистрировано"
        if a.decision_date:
            yield a.decision_date, f"решение по заявлению № {a.number_display}"
        if a.notified_on:
            yield a.notified_on, f"заявитель уведомлён о решении по заявлению № {a.number_display}"
    for m in Entitlement.objects.filter(case_file=case_file).select_related("service"):
        yield m.start_date, f"мера {quoted(m.service.short_title)} назначена"
        if m.end_date:
            yield m.end_date, f"мера {quoted(m.service.short_title)} выплачивалась по"
        if m.status_changed_on:
            yield (
                m.status_changed_on,
                f"мера {quoted(m.service.short_title)} {m.get_status_display()}",
            )
    for r in InteragencyRequest.objects.filter(
        application__case_file=case_file, response_on__isnull=False
    ).select_related("document"):
        yield r.response_on, f"ответ на межведомственный запрос {quoted(r.document.title)}"


def check_file_dates(
    case_file: CaseFile,
    *,
    start_date: datetime.date,
    end_date: datetime.date,
    event_date: datetime.date | None = None,
) -> None:
    """The крайние даты and the deregistration date against the file's own records: a typo must
    not end a file before it began, in the future, or years early (which would make it eligible
    for destruction)."""
    today = timezone.localdate()
    start, end, event = start_date, end_date, event_date
    if start > end:
        raise ArchiveError("Крайние даты: начало позже конца.", field="end_date")
    if end > today:
        raise ArchiveError(
            f"Крайние даты: конец ({end:%d.%m.%Y}) позже сегодняшнего дня.", field="end_date"
        )
    birth = case_file.applicant.birth_date
    if birth and start < birth:
        raise ArchiveError(
            f"Крайние даты: начало ({start:%d.%m.%Y}) раньше даты рождения получателя "
            f"({birth:%d.%m.%Y}). Проверьте дату.",
            field="start_date",
        )
    if end < case_file.opened_on:
        raise ArchiveError(
            f"Крайние даты: конец ({end:%d.%m.%Y}) раньше, чем заведено личное дело "
            f"({case_file.opened_on:%d.%m.%Y}).",
            field="end_date",
        )
    records = [(day, what) for day, what in _records(case_file) if day and day <= today]
    if records:
        # the latest record; of records on one day, the one that comes last in the file
        _, (last_day, last_what) = max(enumerate(records), key=lambda pair: (pair[1][0], pair[0]))
        if end < last_day:
            raise ArchiveError(
                f"Крайние даты: конец ({end:%d.%m.%Y}) раньше последней записи личного дела — "
                f"{last_what} {last_day:%d.%m.%Y}. Проверьте дату.",
                field="end_date",
            )
    if event is None:
        return
    if event > today:
        raise ArchiveError(
            f"Дата снятия с учёта ({event:%d.%m.%Y}) позже сегодняшнего дня.", field="event_date"
        )
    if event < start:
        raise ArchiveError(
            f"Дата снятия с учёта ({event:%d.%m.%Y}) раньше начала крайних дат ({start:%d.%m.%Y}).",
            field="event_date",
        )
    stops = [
        (m.end_date or m.status_changed_on, m.service.short_title)
        for m in Entitlement.objects.filter(
            case_file=case_file, status=Entitlement.Status.STOPPED
        ).select_related("service")
        if m.end_date or m.status_changed_on
    ]
    if stops:
        last_stop, service = max(stops)
        if event < last_stop:
            raise ArchiveError(
                f"Дата снятия с учёта ({event:%d.%m.%Y}) раньше прекращения меры {quoted(service)} "
                f"({last_stop:%d.%m.%Y}): срок хранения отсчитывался бы раньше времени.",
                field="event_date",
            )


def file_title(applicant) -> str:
    """The title of a case file as its cover and the inventory give it: the kind of file and the
    person in the genitive («Личное дело получателя мер социальной поддержки Григорьева Олега
    Семёновича»)."""
    return f"Личное дело получателя мер социальной поддержки {name_in(applicant, 'genitive')}"
