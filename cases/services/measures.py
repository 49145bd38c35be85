"""Measures (entitlements): suspending, stopping, resuming; a confirmed death stops them all."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from cases.errors import CounterError
from cases.models import Applicant, CaseFile, Entitlement
from cases.services.applicants import archived_refusal
from onewindow.errors import save_with_actor


def change_entitlement_status(
    entitlement: Entitlement, status: str, *, actor, reason: str, on=None
) -> Entitlement:
    """Suspend, stop or resume a measure (selections and decisions use this)."""
    if status not in Entitlement.Status.values:
        raise CounterError(f"Неизвестное состояние меры «{status}».")
    if not reason.strip():
        raise CounterError("Укажите основание изменения меры.", field="reason")
    today = timezone.localdate()
    effective = on or today
    with transaction.atomic():
        entitlement = Entitlement.objects.select_for_update().get(pk=entitlement.pk)
        if status == Entitlement.Status.ACTIVE and entitlement.status != status:
            case_file = entitlement.case_file
            if case_file.status == CaseFile.Status.ARCHIVED:
                raise archived_refusal(case_file, "меру по нему не возобновить")
            if entitlement.applicant.death_date:
                raise CounterError(
                    f"Получатель умер {entitlement.applicant.death_date:%d.%m.%Y}: меру не возобновить."
                )
        if status == Entitlement.Status.STOPPED:
            _stop_from(entitlement, effective, today)
        entitlement.status = status
        entitlement.status_reason = reason.strip()[:500]
        entitlement.status_changed_on = effective
        save_with_actor(entitlement, actor)
    return entitlement


def _stop_from(entitlement: Entitlement, effective: datetime.date, today: datetime.date) -> None:
    """A stop takes effect on `effective` (the last day the measure is due); it may be learnt
    later, and the measure may even have started after it. The measure never ends before it
    starts. What was paid for the days after `effective` is the overpayment: up to today, but
    not past the measure's own end, and nothing from the day a suspension stopped the payments.
    Called before the new state is written (it reads the measure as it was)."""
    start, end = entitlement.start_date, entitlement.end_date
    paid_until = today
    if end is not None:
        paid_until = min(paid_until, end)
    if entitlement.status == Entitlement.Status.SUSPENDED:
        suspended_on = entitlement.status_changed_on or start
        paid_until = min(paid_until, suspended_on - datetime.timedelta(days=1))
    elif entitlement.status == Entitlement.Status.STOPPED:
        paid_until = start - datetime.timedelta(days=1)  # stopped already: nothing more paid
    last_due_day = max(effective, start)
    if end is None or end > last_due_day:
        entitlement.end_date = last_due_day
    overpaid_from = max(effective + datetime.timedelta(days=1), start)
    if overpaid_from <= paid_until:
        entitlement.overpaid_from, entitlement.overpaid_to = overpaid_from, paid_until
    else:
        entitlement.overpaid_from = entitlement.overpaid_to = None


IMPORTED = "перенесено из прежней системы"


def record_imported_measure(
    *,
    actor,
    case_file: CaseFile,
    service,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    reason: str = IMPORTED,
) -> tuple[Entitlement, bool]:
    """A measure carried over from another system (the register import): created in the
    person's case file, or the one of the same person, service and start updated — its end and
    state (stopped when it ended before today, else in force; a suspension stays unless the
    measure ended). Returns the measure and whether it was created."""
    if end_date is not None and end_date < start_date:
        raise CounterError("Дата окончания меры раньше даты назначения.", field="end_date")
    today = timezone.localdate()
    status = (
        Entitlement.Status.STOPPED if end_date and end_date < today else Entitlement.Status.ACTIVE
    )
    with transaction.atomic():
        measure = (
            Entitlement.objects.select_for_update()
            .filter(applicant=case_file.applicant_id, service=service, start_date=start_date)
            .first()
        )
        created = measure is None
        if created:
            measure = Entitlement(
                office=case_file.office, applicant_id=case_file.applicant_id,
                case_file=case_file, service=service, start_date=start_date,
            )  # fmt: skip
        measure.end_date = end_date
        if measure.status != Entitlement.Status.SUSPENDED or status == Entitlement.Status.STOPPED:
            measure.status = status
        measure.status_reason = measure.status_reason or reason
        save_with_actor(measure, actor)
    return measure, created


def record_death(
    applicant: Applicant, death_date: datetime.date, *, actor, source: str
) -> list[Entitlement]:
    """A confirmed death: the date (with where it came from) is written on the person, and every
    measure of theirs in force stops from that day; returns the measures stopped."""
    if death_date > timezone.localdate():
        raise CounterError("Дата смерти позже сегодняшнего дня.", field="death_date")
    with transaction.atomic():
        applicant = Applicant.objects.select_for_update().get(pk=applicant.pk)
        if death_date < applicant.birth_date:
            raise CounterError("Дата смерти раньше даты рождения.", field="death_date")
        applicant.death_date = death_date
        applicant.death_source = source.strip()[:500]
        save_with_actor(applicant, actor)
        stopped = []
        for entitlement in Entitlement.objects.filter(
            applicant=applicant,
            status__in=[Entitlement.Status.ACTIVE, Entitlement.Status.SUSPENDED],
        ).order_by("pk"):
            stopped.append(
                change_entitlement_status(
                    entitlement,
                    Entitlement.Status.STOPPED,
                    actor=actor,
                    reason=f"Смерть получателя {death_date:%d.%m.%Y} ({source})",
                    on=death_date,
                )
            )
    return stopped
