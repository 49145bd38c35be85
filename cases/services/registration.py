"""Registering an application against the checklist of the service version in force: the
intake facts, the organisation that applies, the documents marked, the journal number."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from cases import intake as intake_rules
from cases.errors import CounterError
from cases.models import (
    Applicant,
    Application,
    ApplicationDocument,
    ApplicationEvent,
    Organisation,
)
from cases.requests import open_interagency_requests
from cases.services.applicants import archived_case_file, archived_refusal, ensure_case_file
from cases.services.queue import link_ticket_application
from onewindow import workdays
from onewindow.errors import save_with_actor
from onewindow.numbering import next_number
from onewindow.text import quoted
from services.models import RequiredDocument, Service, ServiceVersion


@dataclass
class DocumentMark:
    """How the specialist marked one line of the checklist."""

    required_document: RequiredDocument
    status: str  # ApplicationDocument.Status
    form: str = ""
    sheets: int | None = None
    copies: int | None = None  # None: as many as the checklist asks
    original_returned: bool = False
    issued_on: datetime.date | None = None  # asked of documents with a validity period


@dataclass
class Representative:
    kind: str = ""
    name: str = ""
    document: str = ""
    authority: str = ""


@dataclass
class OrganisationDetails:
    """An organisation that applies: found by its ИНН, registered when new."""

    inn: str
    ogrn: str = ""
    name: str = ""
    address: str = ""


@dataclass
class Intake:
    """What the counter learnt besides the marks; the version's rules say which of it is needed."""

    applicant_category: str = ""
    family_children: int | None = None
    family_adults: int | None = None  # adult members, the applicant included
    event_date: datetime.date | None = None  # the window to apply runs from it
    confirmed_conditions: frozenset[int] = frozenset()  # EligibilityCondition pks ticked
    organisation: OrganisationDetails | None = None


MAX_FAMILY = 99


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


def family_kinds(lines) -> set[str]:
    """Which counts of the family the checklist needs: {"children", "adults"}."""
    kinds: set[str] = set()
    for rd in lines:
        if rd.per_member in (RequiredDocument.PerMember.CHILD, RequiredDocument.PerMember.MEMBER):
            kinds.add("children")
        if rd.per_member in (RequiredDocument.PerMember.ADULT, RequiredDocument.PerMember.MEMBER):
            kinds.add("adults")
    return kinds


def intake_facts(
    version: ServiceVersion,
    lines: list[RequiredDocument],
    intake: Intake,
    representative: Representative,
    applied_on: datetime.date,
) -> intake_rules.Facts:
    """The facts the checklist depends on, checked against the version's rules; the first
    wrong one refuses (CounterError at its field)."""
    organisation = intake.organisation
    if organisation is not None and not version.accepts_organisations:
        raise CounterError(
            f"По услуге {quoted(version.service.short_title)} заявления от организаций не "
            "принимаются.",
            field="is_organisation",
        )
    if organisation is None and not version.accepts_citizens:
        raise CounterError(
            f"По услуге {quoted(version.service.short_title)} заявление подаёт организация: "
            "укажите её ИНН и наименование.",
            field="is_organisation",
        )
    if organisation is not None:
        for name, problem in (
            ("org_inn", intake_rules.inn_problem(organisation.inn)),
            ("org_ogrn", intake_rules.ogrn_problem(organisation.ogrn)),
        ):
            if problem:
                raise CounterError(problem, field=name)
        if not representative.name.strip():
            raise CounterError(
                "Организация обращается через представителя: укажите его ФИО.",
                field="representative_name",
            )
        if not representative.authority.strip():
            raise CounterError(
                "Укажите документ, подтверждающий полномочия представителя организации "
                "(доверенность, приказ о назначении руководителя).",
                field="representative_authority",
            )
    category = intake.applicant_category.strip()
    if category and category not in (version.applicant_categories or []):
        raise CounterError(
            f"Категории {quoted(category)} нет среди категорий заявителей услуги: выберите из списка.",
            field="applicant_category",
        )
    if not category and any(rd.for_categories for rd in lines):
        raise CounterError(
            "Выберите категорию заявителя: от неё зависит перечень документов.",
            field="applicant_category",
        )
    needed = family_kinds(lines)
    for kind, value, what in (
        ("children", intake.family_children, "Число детей в семье"),
        ("adults", intake.family_adults, "Число совершеннолетних членов семьи"),
    ):
        if kind in needed and value is None:
            raise CounterError(
                f"Укажите {what[:1].lower()}{what[1:]}: по нему считаются документы.",
                field=f"family_{kind}",
            )
        if value is not None and not 0 <= value <= MAX_FAMILY:
            raise CounterError(
                f"{what} — целое число от 0 до {MAX_FAMILY}.", field=f"family_{kind}"
            )
    problem = intake_rules.event_date_problem(version, intake.event_date, applied_on)
    if problem:
        raise CounterError(problem, field="event_date")
    return intake_rules.Facts(
        representative=bool(representative.kind) or organisation is not None,
        organisation=organisation is not None,
        category=category or None,
        children=intake.family_children,
        adults=intake.family_adults,
    )


def find_or_register_organisation(details: OrganisationDetails, *, actor) -> Organisation:
    """The organisation with this ИНН, its name, ОГРН and address brought up to date from
    what is given (history keeps the old ones); registered when there is none."""
    inn = details.inn.strip()
    for name, problem in (
        ("org_inn", intake_rules.inn_problem(inn)),
        ("org_ogrn", intake_rules.ogrn_problem(details.ogrn)),
    ):
        if problem:
            raise CounterError(problem, field=name)
    given = {
        "name": " ".join(details.name.split()),
        "ogrn": details.ogrn.strip(),
        "address": " ".join(details.address.split()),
    }
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().filter(inn=inn).first()
        if organisation is None:
            if not given["name"]:
                raise CounterError(
                    f"Организации с ИНН {inn} в системе нет: укажите её полное наименование.",
                    field="org_name",
                )
            organisation = Organisation(inn=inn, **given)
            try:
                with transaction.atomic():
                    save_with_actor(organisation, actor)
            except IntegrityError:  # registered at another counter meanwhile
                organisation = Organisation.objects.select_for_update().get(inn=inn)
            else:
                return organisation
        if given["ogrn"] and organisation.ogrn and given["ogrn"] != organisation.ogrn:
            raise CounterError(
                f"ИНН {inn} в системе принадлежит организации {organisation.name} с ОГРН "
                f"{organisation.ogrn}, а указан ОГРН {given['ogrn']}: сверьте ИНН и ОГРН с "
                "выпиской из ЕГРЮЛ.",
                field="org_ogrn",
            )
        changed = [k for k, v in given.items() if v and getattr(organisation, k) != v]
        for key in changed:
            setattr(organisation, key, given[key])
        if changed:
            save_with_actor(organisation, actor)
    return organisation


@dataclass
class _Checklist:
    """The checklist of the version with the specialist's marks, resolved by its rules."""

    lines: dict  # RequiredDocument pk → RequiredDocument, in the checklist's order
    marked: dict  # RequiredDocument pk → DocumentMark
    facts: intake_rules.Facts
    resolution: intake_rules.Resolution


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
    intake: Intake | None = None,
) -> Application:
    """Accept and register an application in the journal.

    The same `idempotency_key` (a repeated POST, a double click) returns the application
    already registered instead of a second one — to its author only: the key is looked up
    among the applications this actor registered in the applicant's office, so a key copied
    from someone else is an ordinary fresh key and reveals nothing. The checklist comes from the version of the
    service in force on the registration date, with its rules (cases.intake): who needs which
    line, «one of» groups, per-member counts, how recent a document must be, the window to
    apply. The deadline is the version's (working, calendar or same-day) from that date."""
    received_at = received_at or timezone.now()
    intake = intake or Intake()
    representative = _acting_representative(representative or Representative(), intake)
    key = uuid.UUID(str(idempotency_key)) if idempotency_key else uuid.uuid4()

    own_key = Application.objects.filter(
        office_id=applicant.office_id, accepted_by=actor, idempotency_key=key
    )
    existing = own_key.first()
    if existing is not None:
        return existing

    registered_on, version = version_for_registration(service, received_at)
    # The day the person came: time limits count to it (it is the registration date unless
    # the office received them on a day off).
    applied_on = timezone.localdate(received_at)
    _refuse_for_deceased(applicant, version, representative)
    checklist = _checked_checklist(version, marks, intake, representative, applied_on)
    _check_consent_and_representative(version, consent_given, representative)
    try:
        with transaction.atomic():
            applicant = _locked_applicant(applicant, service, version, representative, actor=actor)
            organisation = (
                find_or_register_organisation(intake.organisation, actor=actor)
                if intake.organisation is not None
                else None
            )
            application = Application(
                applicant=applicant,
                case_file=ensure_case_file(applicant, actor=actor, on=registered_on),
                service=service,
                service_version=version,
                received_at=received_at,
                registered_on=registered_on,
                accepted_by=actor,
                specialist=actor,
                incomplete=checklist.resolution.incomplete,
                consent_given=consent_given if version.requires_consent else False,
                organisation=organisation,
                idempotency_key=key,
                note=note,
            )
            _fill_application(application, checklist, intake, representative)
            _save_registered(application, checklist, actor=actor)
            # registered during a visit from the queue: the visit's ticket names it
            link_ticket_application(application, actor=actor)
    except IntegrityError:
        again = own_key.first()
        if again is not None:
            return again
        duplicate = _open_duplicate(applicant, service)
        if duplicate is not None:
            raise _duplicate_refusal(duplicate, dated=False) from None
        raise
    return application


def _save_registered(application: Application, checklist: _Checklist, *, actor) -> None:
    """The new application saved with its documents, its interagency requests and its event."""
    save_with_actor(application, actor)
    bulk_create_with_history(
        _document_lines(application, checklist), ApplicationDocument, default_user=actor
    )
    open_interagency_requests(application, actor=actor)
    ApplicationEvent.objects.create(
        application=application,
        actor=actor,
        to_status=Application.Status.ACCEPTED,
        note="принято и зарегистрировано"
        + (" при неполном комплекте документов" if application.incomplete else ""),
    )


def _acting_representative(representative: Representative, intake: Intake) -> Representative:
    """An organisation acts through a person: by power of attorney unless said otherwise."""
    if intake.organisation is None or representative.kind:
        return representative
    return Representative(
        Application.RepresentativeKind.PROXY,
        representative.name,
        representative.document,
        representative.authority,
    )


def _checked_checklist(
    version: ServiceVersion,
    marks: list[DocumentMark],
    intake: Intake,
    representative: Representative,
    applied_on: datetime.date,
) -> _Checklist:
    """The version's checklist resolved against the marks and the intake facts; the first
    unknown, unmarked or wrong line refuses (CounterError at its field)."""
    lines = list(version.documents.select_related("document_type").order_by("order", "id"))
    checklist = {rd.pk: rd for rd in lines}
    marked = {m.required_document.pk: m for m in marks}
    if set(marked) - set(checklist):
        raise CounterError(
            "Отмечены документы не из перечня действующей редакции услуги: обновите страницу."
        )
    facts = intake_facts(version, lines, intake, representative, applied_on)
    resolution = intake_rules.resolve(
        version, lines, {pk: m.status for pk, m in marked.items()}, facts
    )
    if resolution.unmarked:
        raise CounterError(f"Не отмечен документ «{resolution.unmarked[0].title}».")
    if resolution.problems:
        problem = resolution.problems[0]
        raise CounterError(problem.message, field=problem.field)
    for pk, rd in checklist.items():
        if resolution.lines[pk].status == ApplicationDocument.Status.BROUGHT:
            _check_brought(rd, marked.get(pk), applied_on)
    return _Checklist(checklist, marked, facts, resolution)


def _check_brought(rd: RequiredDocument, mark: DocumentMark, applied_on: datetime.date) -> None:
    """A document brought: its sheets, copies and (when it has a validity period) issue date."""
    pk = rd.pk
    if mark.sheets is None or mark.sheets < 1:
        raise CounterError(
            f"{quoted(rd.document_type.title)}: число листов — целое число не меньше 1.",
            field=f"doc_{pk}_sheets",
        )
    if mark.copies is not None and not (1 <= mark.copies <= 99):
        raise CounterError(
            f"{quoted(rd.document_type.title)}: число экземпляров — целое число от 1 до 99.",
            field=f"doc_{pk}_copies",
        )
    problem = intake_rules.issue_date_problem(rd, mark.issued_on, applied_on)
    if problem:
        raise CounterError(problem, field=f"doc_{pk}_issued_on")


def _check_consent_and_representative(
    version: ServiceVersion, consent_given: bool, representative: Representative
) -> None:
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


def _locked_applicant(
    applicant: Applicant,
    service: Service,
    version: ServiceVersion,
    representative: Representative,
    *,
    actor,
) -> Applicant:
    """The applicant locked for the registration, checked again under the lock.

    Serialises registrations for one person: two counters cannot both register the same
    service for them (the partial unique constraint is the last line). What was read before
    the lock may be stale (a transfer or a death confirmed meanwhile)."""
    fresh = Applicant.objects.select_for_update().get(pk=applicant.pk)
    if fresh.office_id != applicant.office_id or (
        fresh.office_id != actor.office_id and not actor.sees_all_offices
    ):
        raise CounterError(
            "Заявитель только что передан на учёт в другое учреждение: заявление здесь не принимается."
        )
    _refuse_for_deceased(fresh, version, representative)
    duplicate = _open_duplicate(fresh, service)
    if duplicate is not None:
        raise _duplicate_refusal(duplicate, dated=True)
    archived = archived_case_file(fresh)
    if archived is not None:
        raise archived_refusal(archived, "новое заявление по нему не принимается")
    return fresh


def _open_duplicate(applicant: Applicant, service: Service) -> Application | None:
    """The applicant's open application for the service, if there is one."""
    return Application.objects.open().filter(applicant=applicant, service=service).first()


def _duplicate_refusal(duplicate: Application, *, dated: bool) -> CounterError:
    on = f" от {duplicate.registered_on:%d.%m.%Y}" if dated else ""
    return CounterError(
        "У заявителя уже есть незавершённое заявление на эту услугу: "
        f"№ {duplicate.number_display}{on}.",
        field="service",
    )


def _fill_application(
    application: Application,
    checklist: _Checklist,
    intake: Intake,
    representative: Representative,
) -> None:
    """The journal number, the deadline and what the intake told, on a new application."""
    version = application.service_version
    office = application.applicant.office
    registered_on = application.registered_on
    asks_family = family_kinds(checklist.lines.values())
    application.office = office
    application.registered_at = timezone.now()
    application.reg_year = registered_on.year
    application.reg_number = next_number(office, "application", registered_on.year)
    application.deadline = version.decision_deadline(registered_on)
    application.representative_kind = representative.kind
    application.representative_name = representative.name.strip()
    application.representative_document = representative.document.strip()
    application.representative_authority = representative.authority.strip()
    application.applicant_category = checklist.facts.category or ""
    if "children" in asks_family:
        application.family_children = intake.family_children
    if "adults" in asks_family:
        application.family_adults = intake.family_adults
    application.event_date = intake.event_date if version.has_window else None
    application.eligibility = [
        {"text": c.text, "clause": c.clause, "confirmed": c.pk in intake.confirmed_conditions}
        for c in version.conditions.all()
    ]


def _document_lines(application: Application, checklist: _Checklist) -> list[ApplicationDocument]:
    """The application's documents: every line of the checklist as resolved."""
    Mark = ApplicationDocument.Status
    documents = []
    for order, (pk, rd) in enumerate(checklist.lines.items(), start=1):
        mark = checklist.marked.get(pk) or DocumentMark(rd, Mark.NOT_REQUIRED)
        line = checklist.resolution.lines[pk]
        brought = line.status == Mark.BROUGHT
        form = mark.form or rd.form
        documents.append(
            ApplicationDocument(
                application=application,
                required_document=rd,
                document_type=rd.document_type,
                title=rd.document_type.title,
                required=rd.required,
                status=line.status,
                form=form if brought else "",
                sheets=mark.sheets if brought else None,
                copies=(mark.copies or rd.copies) if brought else rd.copies,
                quantity=line.quantity if line.status != Mark.NOT_REQUIRED else 1,
                issued_on=mark.issued_on if brought and rd.valid_months else None,
                # only an original can be handed back
                original_returned=mark.original_returned
                and brought
                and form != RequiredDocument.Form.COPY,
                order=order,
            )
        )
    return documents


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
