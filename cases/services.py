"""Every write of the reception: registering applicants, opening case files, registering
applications against the checklist, moving them through their lifecycle, granting measures.

Each function runs in one transaction and takes the acting user as `actor`; history records who
(django-simple-history reads `_history_user`), and lifecycle steps are written as events.
Views, the API, commands and tasks call these functions; none writes the models directly.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from cases.models import (
    Applicant,
    Application,
    ApplicationDocument,
    ApplicationEvent,
    CaseFile,
    Entitlement,
)
from onewindow import workdays
from onewindow.errors import DomainError, save_with_actor
from onewindow.identity import full_name_key, snils_digits
from onewindow.numbering import next_number
from onewindow.text import quoted
from services.models import RequiredDocument, Service, ServiceVersion


class CounterError(DomainError):
    """A refusal at the counter."""


_save = save_with_actor


# --- Applicants -------------------------------------------------------------------------------

APPLICANT_FIELDS = [
    "snils", "last_name", "first_name", "middle_name", "sex", "birth_date", "birth_place",
    "id_doc_type", "id_series", "id_number", "id_issued_by", "id_issued_date", "id_unit_code",
    "reg_address", "actual_address", "phone", "email",
]  # fmt: skip


def find_snils_owner(snils: str, *, exclude_pk: int | None = None) -> Applicant | None:
    digits = snils_digits(snils)
    if not digits:
        return None
    qs = Applicant.objects.filter(snils=digits)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.select_related("office").first()


def find_namesakes(data: dict, office, *, exclude_pk: int | None = None):
    """Applicants of the office with the same normalised full name and birth date."""
    key = full_name_key(data["last_name"], data["first_name"], data.get("middle_name", ""))
    qs = Applicant.objects.filter(office=office, name_key=key, birth_date=data["birth_date"])
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return list(qs)


def register_applicant(data: dict, *, actor, office=None) -> Applicant:
    """Register a new applicant. Refuses a СНИЛС that already belongs to someone."""
    office = office or actor.office
    data = {**data, "snils": snils_digits(data.get("snils", ""))}
    with transaction.atomic():
        owner = find_snils_owner(data["snils"])
        if owner is not None:
            raise _snils_taken(owner, actor, data)
        applicant = Applicant(
            office=office,
            created_by=actor,
            **{k: data.get(k, "") for k in APPLICANT_FIELDS if k in data},
        )
        try:
            with transaction.atomic():
                _save(applicant, actor)
        except IntegrityError:
            owner = find_snils_owner(data["snils"])
            raise _snils_taken(owner, actor, data) from None
    return applicant


def _snils_taken(owner: Applicant | None, actor, data: dict | None = None) -> CounterError:
    from urllib.parse import urlencode

    from django.urls import reverse

    if owner is None:
        return CounterError("Заявитель с этим СНИЛС уже зарегистрирован.", field="snils")
    if owner.office_id == getattr(actor, "office_id", None) or getattr(
        actor, "sees_all_offices", False
    ):
        return CounterError(
            f"Заявитель с этим СНИЛС уже зарегистрирован: {owner.full_name}, "
            f"{owner.birth_date:%d.%m.%Y} г. р. Откройте его карточку.",
            field="snils",
            link=reverse("cases:applicant", args=[owner.pk]),
        )
    # The person moved here from another district: the file is asked for, not duplicated.
    data = data or {}
    query = {"snils": owner.snils}
    name = " ".join(data.get(k, "") for k in ("last_name", "first_name", "middle_name")).strip()
    if name:
        query["name"] = name
    if data.get("birth_date"):
        query["birth_date"] = data["birth_date"].isoformat()
    if data.get("reg_address"):
        query["address"] = data["reg_address"]
    return CounterError(
        f"Заявитель с этим СНИЛС состоит на учёте в другом учреждении ({owner.office}). "
        "Если он переехал в ваш район, запросите передачу его личного дела.",
        field="snils",
        link=reverse("cases:transfer_new") + "?" + urlencode(query),
        link_title="Запросить передачу личного дела",
    )


def update_applicant(applicant: Applicant, data: dict, *, actor) -> Applicant:
    data = {**data, "snils": snils_digits(data.get("snils", applicant.snils))}
    with transaction.atomic():
        applicant = Applicant.objects.select_for_update().get(pk=applicant.pk)
        owner = find_snils_owner(data["snils"], exclude_pk=applicant.pk)
        if owner is not None:
            raise _snils_taken(owner, actor)
        for key in APPLICANT_FIELDS:
            if key in data:
                setattr(applicant, key, data[key])
        _save(applicant, actor)
    return applicant


def set_applicant_category(
    applicant: Applicant, category, document: str, *, actor, valid_from=None, valid_to=None
):
    from cases.models import ApplicantCategory

    with transaction.atomic():
        item, _ = ApplicantCategory.objects.get_or_create(
            applicant=applicant, category=category, defaults={"document": document}
        )
        item.document, item.valid_from, item.valid_to = document, valid_from, valid_to
        _save(item, actor)
    return item


def remove_applicant_category(item, *, actor) -> None:
    item._history_user = actor
    item.delete()


# --- Case files -------------------------------------------------------------------------------


def archived_case_file(applicant: Applicant) -> CaseFile | None:
    """The person's case file in their office when it is in the archive."""
    return CaseFile.objects.filter(
        office=applicant.office, applicant=applicant, status=CaseFile.Status.ARCHIVED
    ).first()


def archived_refusal(case_file: CaseFile, what: str) -> CounterError:
    """An archived case file takes no new work until the archivist returns it into work. The
    link is by URL name: cases does not import the archive."""
    from django.urls import NoReverseMatch, reverse

    try:
        link = reverse("archive:case_file", args=[case_file.pk])
    except NoReverseMatch:
        link = None
    return CounterError(
        f"Личное дело {case_file.number_display} передано в архив: {what}. Попросите архивариуса "
        "вернуть его в работу («Архив» → дело → «Вернуть из архива», с основанием).",
        link=link,
    )


def ensure_case_file(applicant: Applicant, *, actor, on: datetime.date | None = None) -> CaseFile:
    """The applicant's case file in their office, opened (and numbered) when there is none.
    Joins the caller's transaction (registration) or opens its own."""
    with transaction.atomic():
        return _ensure_case_file(applicant, actor=actor, on=on)


def _ensure_case_file(applicant: Applicant, *, actor, on: datetime.date | None) -> CaseFile:
    existing = CaseFile.objects.filter(office=applicant.office, applicant=applicant).first()
    if existing is not None:
        # a closed file, or one sent to another office and now back, is opened again
        if existing.status in (CaseFile.Status.CLOSED, CaseFile.Status.TRANSFERRED):
            existing.status = CaseFile.Status.ACTIVE
            existing.closed_on = None
            _save(existing, actor)
        return existing
    case_file = CaseFile(
        office=applicant.office,
        applicant=applicant,
        number=next_number(applicant.office, "casefile"),
        opened_on=on or timezone.localdate(),
        opened_by=actor,
    )
    _save(case_file, actor)
    return case_file


# --- Applications -----------------------------------------------------------------------------


@dataclass
class DocumentMark:
    """How the specialist marked one line of the checklist."""

    required_document: RequiredDocument
    status: str  # ApplicationDocument.Status
    form: str = ""
    sheets: int | None = None
    copies: int | None = None  # None: as many as the checklist asks
    original_returned: bool = False


@dataclass
class Representative:
    kind: str = ""
    name: str = ""
    document: str = ""
    authority: str = ""


def version_for_registration(
    service: Service, received_at: datetime.datetime
) -> tuple[datetime.date, ServiceVersion]:
    """The registration date (the next working day when received on a day off) and the
    service version in force on it; CounterError when none is."""
    registered_on = workdays.next_working_day(timezone.localdate(received_at))
    version = service.version_on(registered_on)
    if version is None:
        raise CounterError(
            f"Услуга {quoted(service.short_title)} не действует на {registered_on:%d.%m.%Y}: "
            "заявление по ней принять нельзя.",
            field="service",
        )
    return registered_on, version


def register_application(
    applicant: Applicant,
    service: Service,
    *,
    actor,
    marks: list[DocumentMark],
    idempotency_key: uuid.UUID | str | None = None,
    received_at: datetime.datetime | None = None,
    representative: Representative | None = None,
    consent_given: bool = False,
    note: str = "",
) -> Application:
    """Accept and register an application in the journal.

    The same `idempotency_key` (a repeated POST, a double click) returns the application
    already registered instead of a second one — to its author only: the key is looked up
    among the applications this actor registered in the applicant's office, so a key copied
    from someone else is an ordinary fresh key and reveals nothing. The checklist comes from the version of the
    service in force on the registration date; the deadline counts the version's working days
    from that date through the production calendar."""
    received_at = received_at or timezone.now()
    representative = representative or Representative()
    key = uuid.UUID(str(idempotency_key)) if idempotency_key else uuid.uuid4()

    own_key = Application.objects.filter(
        office_id=applicant.office_id, accepted_by=actor, idempotency_key=key
    )
    existing = own_key.first()
    if existing is not None:
        return existing

    registered_on, version = version_for_registration(service, received_at)
    _refuse_for_deceased(applicant, version, representative)
    checklist = {rd.pk: rd for rd in version.documents.select_related("document_type")}
    marked = {m.required_document.pk: m for m in marks}
    unknown = set(marked) - set(checklist)
    if unknown:
        raise CounterError(
            "Отмечены документы не из перечня действующей редакции услуги: обновите страницу."
        )
    missing_lines = [rd for pk, rd in checklist.items() if pk not in marked]
    if missing_lines:
        raise CounterError(f"Не отмечен документ «{missing_lines[0].document_type.title}».")

    incomplete = False
    Mark = ApplicationDocument.Status
    for pk, rd in checklist.items():
        mark = marked[pk]
        office_obtains = rd.interagency or rd.document_type.interagency
        if mark.status not in {Mark.BROUGHT, Mark.REQUESTED, Mark.MISSING, Mark.NOT_REQUIRED}:
            raise CounterError(
                f"{quoted(rd.document_type.title)}: отметьте, представлен ли документ.",
                field=f"doc_{pk}_status",
            )
        if mark.status == Mark.REQUESTED and not office_obtains:
            raise CounterError(
                f"{quoted(rd.document_type.title)}: этот документ учреждение не запрашивает, его представляет заявитель.",
                field=f"doc_{pk}_status",
            )
        if mark.status == Mark.MISSING and office_obtains:
            # 210-ФЗ ст. 7: what another agency holds is requested by the office, never
            # demanded of the applicant.
            raise CounterError(
                f"{quoted(rd.document_type.title)}: этот документ учреждение получает по межведомственному "
                "запросу — отметьте «запрашивает учреждение» (или «представлен», если заявитель принёс его сам).",
                field=f"doc_{pk}_status",
            )
        if mark.status == Mark.NOT_REQUIRED and rd.required:
            raise CounterError(
                f"{quoted(rd.document_type.title)} — обязательный документ: «не требуется» к нему не относится.",
                field=f"doc_{pk}_status",
            )
        if mark.status == ApplicationDocument.Status.BROUGHT and (
            mark.sheets is None or mark.sheets < 1
        ):
            raise CounterError(
                f"{quoted(rd.document_type.title)}: число листов — целое число не меньше 1.",
                field=f"doc_{pk}_sheets",
            )
        if (
            mark.status == ApplicationDocument.Status.BROUGHT
            and mark.copies is not None
            and not (1 <= mark.copies <= 99)
        ):
            raise CounterError(
                f"{quoted(rd.document_type.title)}: число экземпляров — целое число от 1 до 99.",
                field=f"doc_{pk}_copies",
            )
        if mark.status == ApplicationDocument.Status.MISSING and rd.required:
            if not version.allow_incomplete:
                raise CounterError(
                    f"{quoted(rd.document_type.title)} — обязательный документ. Регламент не допускает приём "
                    "при неполном комплекте: примите заявление, когда документ будет представлен.",
                    field=f"doc_{pk}_status",
                )
            incomplete = True
    if version.requires_consent and not consent_given:
        raise CounterError(
            "Для этой услуги нужно согласие на обработку персональных данных: отметьте, что оно подписано.",
            field="consent_given",
        )
    if representative.kind:
        if not representative.name.strip():
            raise CounterError("Укажите ФИО представителя.", field="representative_name")
        if not representative.authority.strip():
            raise CounterError(
                "Укажите документ, подтверждающий полномочия представителя.",
                field="representative_authority",
            )

    try:
        with transaction.atomic():
            # Serialise registrations for one person: two counters cannot both register the
            # same service for them (the partial unique constraint is the last line). What was
            # read before the lock may be stale (a transfer or a death confirmed meanwhile).
            fresh = Applicant.objects.select_for_update().get(pk=applicant.pk)
            if fresh.office_id != applicant.office_id or (
                fresh.office_id != actor.office_id and not actor.sees_all_offices
            ):
                raise CounterError(
                    "Заявитель только что передан на учёт в другое учреждение: заявление здесь не принимается."
                )
            applicant = fresh
            _refuse_for_deceased(applicant, version, representative)
            duplicate = (
                Application.objects.open().filter(applicant=applicant, service=service).first()
            )
            if duplicate is not None:
                raise CounterError(
                    f"У заявителя уже есть незавершённое заявление на эту услугу: № {duplicate.number_display} "
                    f"от {duplicate.registered_on:%d.%m.%Y}.",
                    field="service",
                )
            archived = archived_case_file(applicant)
            if archived is not None:
                raise archived_refusal(archived, "новое заявление по нему не принимается")
            case_file = ensure_case_file(applicant, actor=actor, on=registered_on)
            office = applicant.office
            application = Application(
                office=office,
                applicant=applicant,
                case_file=case_file,
                service=service,
                service_version=version,
                received_at=received_at,
                registered_on=registered_on,
                registered_at=timezone.now(),
                reg_year=registered_on.year,
                reg_number=next_number(office, "application", registered_on.year),
                deadline=workdays.add_working_days(registered_on, version.deadline_days),
                accepted_by=actor,
                specialist=actor,
                incomplete=incomplete,
                consent_given=consent_given if version.requires_consent else False,
                representative_kind=representative.kind,
                representative_name=representative.name.strip(),
                representative_document=representative.document.strip(),
                representative_authority=representative.authority.strip(),
                idempotency_key=key,
                note=note,
            )
            _save(application, actor)
            documents = []
            for order, (pk, rd) in enumerate(checklist.items(), start=1):
                mark = marked[pk]
                documents.append(
                    ApplicationDocument(
                        application=application,
                        required_document=rd,
                        document_type=rd.document_type,
                        title=rd.document_type.title,
                        required=rd.required,
                        status=mark.status,
                        form=(mark.form or rd.form)
                        if mark.status == ApplicationDocument.Status.BROUGHT
                        else "",
                        sheets=mark.sheets
                        if mark.status == ApplicationDocument.Status.BROUGHT
                        else None,
                        copies=(mark.copies or rd.copies)
                        if mark.status == ApplicationDocument.Status.BROUGHT
                        else rd.copies,
                        # only an original can be handed back
                        original_returned=mark.original_returned
                        and mark.status == ApplicationDocument.Status.BROUGHT
                        and (mark.form or rd.form) != RequiredDocument.Form.COPY,
                        order=order,
                    )
                )
            bulk_create_with_history(documents, ApplicationDocument, default_user=actor)
            from cases.requests import open_interagency_requests

            open_interagency_requests(application, actor=actor)
            ApplicationEvent.objects.create(
                application=application,
                actor=actor,
                to_status=Application.Status.ACCEPTED,
                note="принято и зарегистрировано"
                + (" при неполном комплекте документов" if incomplete else ""),
            )
    except IntegrityError:
        again = own_key.first()
        if again is not None:
            return again
        duplicate = Application.objects.open().filter(applicant=applicant, service=service).first()
        if duplicate is not None:
            raise CounterError(
                f"У заявителя уже есть незавершённое заявление на эту услугу: № {duplicate.number_display}.",
                field="service",
            ) from None
        raise
    return application


def _refuse_for_deceased(applicant: Applicant, version: ServiceVersion, representative) -> None:
    if not applicant.death_date:
        return
    died = f"{applicant.full_name} {applicant.died_word} {applicant.death_date:%d.%m.%Y}"
    if not version.on_death:
        raise CounterError(
            f"{died} ({applicant.death_source or 'сведения о смерти внесены'}): заявление на эту "
            "услугу принять нельзя. В деле умершего принимаются только заявления по услугам в связи "
            "со смертью (например, пособие на погребение) — от представителя.",
            field="service",
        )
    if not representative.kind:
        raise CounterError(
            f"{died}: заявление подаёт представитель (супруг, родственник, лицо, взявшее на себя "
            "погребение) — укажите его.",
            field="representative_kind",
        )


# --- Lifecycle --------------------------------------------------------------------------------

S = Application.Status

TRANSITIONS: dict[str, dict] = {
    "transfer": {"from": {S.ACCEPTED}, "to": S.TRANSFERRED, "perm": "cases.change_application", "title": "Передать в отдел"},
    "review": {"from": {S.TRANSFERRED}, "to": S.IN_REVIEW, "perm": "cases.change_application", "title": "Принять к рассмотрению"},
    "grant": {"from": {S.TRANSFERRED, S.IN_REVIEW}, "to": S.GRANTED, "perm": "cases.decide_application", "title": "Решение: назначить"},
    "refuse": {"from": {S.TRANSFERRED, S.IN_REVIEW}, "to": S.REFUSED, "perm": "cases.decide_application", "title": "Решение: отказать"},
    "notify": {"from": {S.GRANTED, S.REFUSED}, "to": S.NOTIFIED, "perm": "cases.change_application", "title": "Заявитель уведомлён"},
    "withdraw": {"from": {S.ACCEPTED, S.TRANSFERRED, S.IN_REVIEW}, "to": S.WITHDRAWN, "perm": "cases.change_application", "title": "Отозвано заявителем"},
}  # fmt: skip

# Checks other apps add (e.g. open interagency requests block a decision); each returns an
# error message or None.
DECISION_GUARDS: list = []

# The applicant is told of the decision within this many working days of it (210-ФЗ and the
# regulations: «в течение 5 рабочих дней со дня принятия решения»); until then the application
# stays in its specialist's work.
NOTICE_WORKING_DAYS = 5


def available_transitions(application: Application, user) -> list[tuple[str, str]]:
    return [
        (name, spec["title"])
        for name, spec in TRANSITIONS.items()
        if application.status in spec["from"] and user.has_perm(spec["perm"])
    ]


def _number_notice(application: Application, day: datetime.date) -> None:
    if application.notice_number is None:
        application.notice_number = next_number(application.office, "notice", day.year)
        application.notice_date = day


def _number_decision(application: Application) -> None:
    """The decision's number in the office's register of decisions, in the year of its date."""
    if application.decision_number is None and application.decision_date is not None:
        application.decision_number = next_number(
            application.office, "decision", application.decision_date.year
        )


def number_notice(application: Application, *, actor) -> Application:
    """The outgoing number of the decision's notice and the decision's own number: given with
    the decision; a decision made before they were numbered gets them when its notice is first
    printed (once: every reprint says the same)."""
    if application.notice_number is not None and application.decision_number is not None:
        return application
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.notice_number is None or (
            application.decision_number is None and application.decision_date is not None
        ):
            _number_notice(application, timezone.localdate())
            _number_decision(application)
            application._history_user = actor
            application.save(update_fields=["notice_number", "notice_date", "decision_number"])
    return application


def transition(
    application: Application,
    name: str,
    *,
    actor,
    note: str = "",
    reason: str = "",
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    amount: Decimal | None = None,
    override_reason: str = "",
) -> Application:
    from django.core.exceptions import PermissionDenied

    spec = TRANSITIONS.get(name)
    if spec is None:
        raise CounterError(f"Неизвестное действие «{name}».")
    if not actor.has_perm(spec["perm"]):
        raise PermissionDenied(f"Недостаточно прав: «{spec['title']}»")
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status not in spec["from"]:
            raise CounterError(
                f"Действие «{spec['title']}» невозможно: заявление в состоянии «{application.get_status_display()}»."
            )
        today = timezone.localdate()
        if name == "refuse":
            if not reason.strip():
                raise CounterError("Укажите причину отказа.", field="reason")
            application.refusal_reason = reason.strip()
        if name == "withdraw":
            if not reason.strip():
                raise CounterError(
                    "Укажите, как заявитель отозвал заявление (дата, основание).", field="reason"
                )
            application.withdrawal_reason = reason.strip()
        if name in {"grant", "refuse"} and application.case_file.status == CaseFile.Status.ARCHIVED:
            raise archived_refusal(application.case_file, "решение по заявлению не принимается")
        if name in {"grant", "refuse"}:
            for guard in DECISION_GUARDS:
                message = guard(application, actor=actor, override_reason=override_reason)
                if message:
                    raise CounterError(message, field="override_reason")
        if name in {"grant", "refuse"}:
            application.decision_date = today
            application.notice_due = workdays.add_working_days(today, NOTICE_WORKING_DAYS)
            _number_decision(application)
            _number_notice(application, today)
        if name == "grant":
            start = start_date or today
            if end_date and end_date < start:
                raise CounterError("Дата окончания меры раньше даты начала.", field="end_date")
            if amount is not None and amount <= 0:
                raise CounterError("Размер выплаты — положительная сумма в рублях.", field="amount")
            if application.service.issues_document and (amount is not None or end_date):
                raise CounterError(
                    "По этой услуге выдаётся документ (справка, удостоверение): размер и срок "
                    "выплаты не указываются.",
                    field="amount" if amount is not None else "end_date",
                )
            applicant = application.applicant
            if applicant.death_date and not application.service_version.on_death:
                raise CounterError(
                    f"{applicant.full_name} {applicant.died_word} {applicant.death_date:%d.%m.%Y}: меру назначить нельзя. "
                    "Примите решение об отказе.",
                )
            Entitlement.objects.create(
                office=application.office,
                applicant=application.applicant,
                case_file=application.case_file,
                service=application.service,
                application=application,
                start_date=start,
                end_date=end_date,
                amount=amount,
            )
        if name == "notify":
            application.notified_on = today
        previous = application.status
        application.status = spec["to"]
        _save(application, actor)
        ApplicationEvent.objects.create(
            application=application,
            actor=actor,
            from_status=previous,
            to_status=spec["to"],
            note="; ".join(
                part
                for part in (
                    note,
                    reason,
                    override_reason and f"решение при открытых запросах: {override_reason}",
                )
                if part
            ),
        )
    return application


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
        _save(entitlement, actor)
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
        _save(applicant, actor)
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


# --- Reassigning applications (the chief, from the journal) ---------------------------------

TAKES_APPLICATIONS = "cases.change_application"


def reassign_applications(applications, to_user, *, actor, note: str = ""):
    """Give the selected applications (open, or decided and not yet notified) to another
    specialist of their office: one transaction, all or nothing; each gets an event and a
    history row naming who moved it. Returns `onewindow.reassign.Reassigned`."""
    from onewindow.names import name_in
    from onewindow.reassign import REASSIGNS, reassign_rows

    ids = [getattr(item, "pk", item) for item in applications]
    working = (*Application.OPEN_STATUSES, *Application.TO_NOTIFY_STATUSES)

    def event(application, previous) -> None:
        text = f"Передано {name_in(to_user, 'dative', short=True)}" + (
            f" (было у {name_in(previous, 'genitive', short=True)})" if previous else ""
        )
        ApplicationEvent.objects.create(
            application=application, actor=actor, from_status=application.status,
            to_status=application.status, note=text + (f": {note}" if note else ""),
        )  # fmt: skip

    with transaction.atomic():
        rows = Application.objects.select_for_update().filter(pk__in=ids).order_by("pk")
        return reassign_rows(
            rows,
            field="specialist", to_user=to_user, actor=actor, permission=REASSIGNS,
            takes_work=TAKES_APPLICATIONS, note=note,
            is_open=lambda a: a.status in working,
            title=lambda a: f"заявление № {a.number_display} ({a.get_status_display()})",
            on_moved=event,
        )  # fmt: skip
