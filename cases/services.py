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

from cases import intake as intake_rules
from cases.decisions import clauses_display, regulation_genitive
from cases.errors import CounterError
from cases.models import (
    Applicant,
    Application,
    ApplicationDocument,
    ApplicationEvent,
    CaseFile,
    Entitlement,
    Organisation,
)
from cases.requests import open_interagency_requests
from onewindow import workdays
from onewindow.errors import save_with_actor
from onewindow.identity import full_name_key, snils_digits
from onewindow.numbering import next_number
from onewindow.text import quoted
from services.models import Ground, RequiredDocument, Service, ServiceVersion

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
                    _save(organisation, actor)
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
            _save(organisation, actor)
    return organisation


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
    representative = representative or Representative()
    intake = intake or Intake()
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
    if intake.organisation is not None and not representative.kind:
        # an organisation acts through a person: by power of attorney unless said otherwise
        representative = Representative(
            Application.RepresentativeKind.PROXY,
            representative.name,
            representative.document,
            representative.authority,
        )
    _refuse_for_deceased(applicant, version, representative)
    lines = list(version.documents.select_related("document_type").order_by("order", "id"))
    checklist = {rd.pk: rd for rd in lines}
    marked = {m.required_document.pk: m for m in marks}
    unknown = set(marked) - set(checklist)
    if unknown:
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
    incomplete = resolution.incomplete

    Mark = ApplicationDocument.Status
    for pk, rd in checklist.items():
        mark = marked.get(pk)
        if resolution.lines[pk].status != Mark.BROUGHT:
            continue
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
    eligibility = [
        {"text": c.text, "clause": c.clause, "confirmed": c.pk in intake.confirmed_conditions}
        for c in version.conditions.all()
    ]
    asks_family = family_kinds(lines)

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
            organisation = (
                find_or_register_organisation(intake.organisation, actor=actor)
                if intake.organisation is not None
                else None
            )
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
                deadline=version.decision_deadline(registered_on),
                accepted_by=actor,
                specialist=actor,
                incomplete=incomplete,
                consent_given=consent_given if version.requires_consent else False,
                representative_kind=representative.kind,
                representative_name=representative.name.strip(),
                representative_document=representative.document.strip(),
                representative_authority=representative.authority.strip(),
                organisation=organisation,
                applicant_category=facts.category or "",
                family_children=intake.family_children if "children" in asks_family else None,
                family_adults=intake.family_adults if "adults" in asks_family else None,
                event_date=intake.event_date if version.has_window else None,
                eligibility=eligibility,
                idempotency_key=key,
                note=note,
            )
            _save(application, actor)
            documents = []
            for order, (pk, rd) in enumerate(checklist.items(), start=1):
                mark = marked.get(pk) or DocumentMark(rd, Mark.NOT_REQUIRED)
                line = resolution.lines[pk]
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
            bulk_create_with_history(documents, ApplicationDocument, default_user=actor)
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
    grounds: list[int] | None = None,
) -> Application:
    """Move the application one step of its lifecycle. A refusal names the grounds of the
    application's version that it rests on (`grounds`: ids of its `refuse` grounds; at least one
    when the version has any), `reason` explaining it; a version without grounds (an older
    one) is refused with the reason alone."""
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
        version = application.service_version
        picked: list[Ground] = []
        if name == "refuse":
            picked = _refusal_grounds(version, grounds or [], reason)
            # the act as cited on the day of the decision: a reprint says the same
            act = regulation_genitive(version.regulation)
            application.refusal_grounds = [
                {"clause": g.clause, "text": g.text, "act": act} for g in picked
            ]
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
            application.notice_due = version.notice_deadline(today, NOTICE_WORKING_DAYS)
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
            application.payment_due = (
                None if application.service.issues_document else version.payment_deadline(today)
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
                    picked and f"основания отказа: {clauses_display(application.refusal_grounds)}",
                    reason,
                    override_reason and f"решение при открытых запросах: {override_reason}",
                )
                if part
            ),
        )
    return application


def _refusal_grounds(version: ServiceVersion, ids: list, reason: str) -> list[Ground]:
    """The version's refuse grounds the refusal picked, in the regulation's order. A ground of
    another version (a page opened before a regulation change, a forged form) is refused; so is
    a refusal without a ground when the version has grounds, or without a reason when it has
    none."""
    available = {g.pk: g for g in version.grounds_of(Ground.Kind.REFUSE)}
    try:
        wanted = {int(i) for i in ids}
    except (TypeError, ValueError):
        wanted = {None}
    if wanted - set(available):
        raise CounterError(
            "Выбрано основание отказа, которого нет в регламенте редакции услуги этого заявления "
            f"({version.period_display}): обновите страницу и отметьте основания из списка.",
            field="grounds",
        )
    if available and not wanted:
        raise CounterError(
            "Отметьте хотя бы одно основание отказа из регламента услуги (пункт и текст "
            "основания); пояснение пишется дополнительно.",
            field="grounds",
        )
    if not available and not reason.strip():
        raise CounterError("Укажите причину отказа.", field="reason")
    return [g for pk, g in available.items() if pk in wanted]


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
