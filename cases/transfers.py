"""Transfer of a person's case file between offices of the installation (a person who moved to
another district).

The СНИЛС is unique in the installation, so the new office cannot register the person again:
it asks for the file (`request_transfer`), the old office's chief (or a regional chief) confirms
it (`confirm_transfer`) once the person's open work there is settled, or refuses. On
confirmation the person belongs to the new office, a new case file is opened there, the old
file is marked «передано в другое учреждение» and the old office's measures stop. Every step
keeps history; the views log who looked at whose data.

Other apps add what counts as open work of a person (open selection items, say) through
`TRANSFER_GUARDS`, as `cases.services.DECISION_GUARDS` does for decisions.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import (
    Applicant,
    Application,
    CaseFile,
    CaseTransfer,
    Entitlement,
    IncomingRequest,
    InteragencyRequest,
    OutgoingRequest,
)
from cases.services import CounterError, change_entitlement_status, ensure_case_file
from onewindow.errors import save_with_actor
from onewindow.identity import full_name_key, snils_digits

# Each guard takes an applicant and the office and returns descriptions of open work there.
TRANSFER_GUARDS: list[Callable[[Applicant, object], list[str]]] = []


def open_work_of(applicant: Applicant, office) -> list[str]:
    """What is still open for the person in `office`: it is settled before the file leaves."""
    found = []
    for application in Application.objects.filter(
        applicant=applicant,
        office=office,
        status__in=[*Application.OPEN_STATUSES, *Application.TO_NOTIFY_STATUSES],
    ).order_by("pk"):
        found.append(
            f"заявление № {application.number_display} ({application.get_status_display()})"
        )
    for request in InteragencyRequest.objects.filter(
        application__applicant=applicant,
        office=office,
        result="",
        application__status__in=Application.OPEN_STATUSES,
    ).select_related("agency", "document"):
        found.append(f"межведомственный запрос в {request.agency}: {request.document.title}")
    for request in IncomingRequest.objects.filter(
        applicant=applicant, office=office, answered_on__isnull=True
    ):
        found.append(f"запрос {request.sender} № {request.sender_number} без ответа")
    for request in OutgoingRequest.objects.filter(
        applicant=applicant, office=office, answered_on__isnull=True
    ):
        found.append(f"наш запрос № {request.out_number}/{request.out_year} без ответа")
    for guard in TRANSFER_GUARDS:
        found.extend(guard(applicant, office))
    return found


def request_transfer(
    *,
    snils: str,
    stated_name: str,
    stated_birth_date: datetime.date,
    reason: str,
    new_address: str = "",
    actor,
) -> CaseTransfer:
    """The new office asks for the case file of the person the СНИЛС belongs to. The asking
    office learns nothing of the other office's file until the transfer is confirmed."""
    digits = snils_digits(snils)
    if not digits:
        raise CounterError("Укажите СНИЛС заявителя.", field="snils")
    if not stated_name.strip():
        raise CounterError("Укажите ФИО заявителя, как в документе.", field="stated_name")
    if stated_birth_date > timezone.localdate():
        raise CounterError("Дата рождения в будущем.", field="stated_birth_date")
    if not reason.strip():
        raise CounterError(
            "Укажите основание: переезд, новый адрес регистрации, заявление гражданина.",
            field="reason",
        )
    if actor.office_id is None:
        raise PermissionDenied("Учётная запись не привязана к учреждению")
    with transaction.atomic():
        applicant = Applicant.objects.select_for_update().filter(snils=digits).first()
        if applicant is None:
            raise CounterError(
                "Заявитель с этим СНИЛС ни в одном учреждении не зарегистрирован: зарегистрируйте его.",
                field="snils",
            )
        if applicant.office_id == actor.office_id:
            raise CounterError("Заявитель уже состоит на учёте в вашем учреждении.", field="snils")
        if CaseTransfer.objects.open().filter(applicant=applicant).exists():
            raise CounterError(
                "Запрос на передачу личного дела этого заявителя уже направлен и ждёт ответа.",
                field="snils",
            )
        transfer = CaseTransfer(
            applicant=applicant,
            from_office=applicant.office,
            to_office=actor.office,
            stated_name=" ".join(stated_name.split()),
            stated_birth_date=stated_birth_date,
            new_address=new_address.strip(),
            reason=reason.strip(),
            requested_by=actor,
            requested_at=timezone.now(),
        )
        try:
            with transaction.atomic():
                save_with_actor(transfer, actor)
        except IntegrityError:
            raise CounterError(
                "Запрос на передачу личного дела этого заявителя уже направлен и ждёт ответа.",
                field="snils",
            ) from None
    return transfer


def stated_data_match(transfer: CaseTransfer) -> bool:
    """Whether what the asking office was told matches the file (name and birth date)."""
    applicant = transfer.applicant
    return (
        full_name_key(*_split_name(transfer.stated_name)) == applicant.name_key
        and transfer.stated_birth_date == applicant.birth_date
    )


def _split_name(name: str) -> tuple[str, str, str]:
    parts = name.split()
    return (parts[0] if parts else "", parts[1] if len(parts) > 1 else "", " ".join(parts[2:]))


def may_decide(transfer: CaseTransfer, user) -> bool:
    return user.has_perm("cases.confirm_casetransfer") and (
        user.office_id == transfer.from_office_id or user.sees_all_offices
    )


def _lock_open(transfer: CaseTransfer) -> CaseTransfer:
    transfer = CaseTransfer.objects.select_for_update().get(pk=transfer.pk)
    if not transfer.is_open:
        raise CounterError(f"Запрос уже рассмотрен: {transfer.get_status_display()}.")
    return transfer


def confirm_transfer(
    transfer: CaseTransfer, *, actor, measures_stop_on: datetime.date | None = None
) -> CaseTransfer:
    if not may_decide(transfer, actor):
        raise PermissionDenied("Передачу подтверждает главный специалист прежнего учреждения")
    today = timezone.localdate()
    stop_on = measures_stop_on or today
    with transaction.atomic():
        transfer = _lock_open(transfer)
        applicant = Applicant.objects.select_for_update().get(pk=transfer.applicant_id)
        if applicant.office_id != transfer.from_office_id:
            raise CounterError("Заявитель уже состоит на учёте в другом учреждении.")
        blockers = open_work_of(applicant, transfer.from_office)
        if blockers:
            raise CounterError(
                "Сначала завершите открытые дела заявителя: " + "; ".join(blockers) + "."
            )
        measures = Entitlement.objects.filter(
            applicant=applicant,
            office=transfer.from_office,
            status__in=[Entitlement.Status.ACTIVE, Entitlement.Status.SUSPENDED],
        ).order_by("pk")
        for measure in measures:
            change_entitlement_status(
                measure,
                Entitlement.Status.STOPPED,
                actor=actor,
                reason=f"Переезд: личное дело передано в {transfer.to_office}",
                on=stop_on,
            )
        old = CaseFile.objects.filter(office=transfer.from_office, applicant=applicant).first()
        if old is not None and old.status in (CaseFile.Status.ACTIVE, CaseFile.Status.CLOSED):
            old.status = CaseFile.Status.TRANSFERRED
            old.closed_on = old.closed_on or today
            save_with_actor(old, actor)
        applicant.office = transfer.to_office
        if transfer.new_address:
            applicant.reg_address = transfer.new_address
        save_with_actor(applicant, actor)
        new = ensure_case_file(applicant, actor=actor, on=today)
        transfer.status = CaseTransfer.Status.DONE
        transfer.decided_by = actor
        transfer.decided_at = timezone.now()
        transfer.measures_stopped_on = stop_on if measures else None
        transfer.old_case_file = old
        transfer.new_case_file = new
        save_with_actor(transfer, actor)
    return transfer


def refuse_transfer(transfer: CaseTransfer, *, actor, reason: str) -> CaseTransfer:
    if not may_decide(transfer, actor):
        raise PermissionDenied("Отказать в передаче может главный специалист прежнего учреждения")
    if not reason.strip():
        raise CounterError("Укажите причину отказа.", field="reason")
    with transaction.atomic():
        transfer = _lock_open(transfer)
        transfer.status = CaseTransfer.Status.REFUSED
        transfer.refusal_reason = reason.strip()
        transfer.decided_by = actor
        transfer.decided_at = timezone.now()
        save_with_actor(transfer, actor)
    return transfer


def may_cancel(transfer: CaseTransfer, user) -> bool:
    return user.has_perm("cases.add_casetransfer") and (
        user.office_id == transfer.to_office_id or user.sees_all_offices
    )


def cancel_transfer(transfer: CaseTransfer, *, actor) -> CaseTransfer:
    if not may_cancel(transfer, actor):
        raise PermissionDenied("Отозвать запрос может специалист учреждения, которое его направило")
    with transaction.atomic():
        transfer = _lock_open(transfer)
        transfer.status = CaseTransfer.Status.CANCELLED
        transfer.decided_by = actor
        transfer.decided_at = timezone.now()
        save_with_actor(transfer, actor)
    return transfer
