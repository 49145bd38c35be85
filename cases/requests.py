"""Writes of requests with deadlines: interagency requests for documents, incoming requests from
other districts and regions, and requests between offices of this installation.

All due dates are in working days through the production calendar; every write is one
transaction with history."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from cases.errors import CounterError
from cases.models import (
    Agency,
    Applicant,
    Application,
    ApplicationDocument,
    ApplicationEvent,
    IncomingRequest,
    InteragencyRequest,
    OutgoingRequest,
    RequestKind,
)
from onewindow import roles, workdays
from onewindow.errors import save_with_actor
from onewindow.identity import full_name_key, snils_digits
from onewindow.numbering import next_number
from onewindow.text import normalize_text

# Who may be the executor of an incoming request: whoever may answer it.
ANSWERS_REQUESTS = "cases.change_incomingrequest"

DEFAULT_AGENCY = "Ведомство, в распоряжении которого находится документ"


def agency_for(document_type) -> Agency:
    name = (document_type.issuing_agency or DEFAULT_AGENCY).strip()[:300]
    # «Органы ЗАГС» of an older catalogue and «органы ЗАГС» of today are one agency
    key = normalize_text(name)
    for agency in Agency.objects.all():
        if normalize_text(agency.name) == key:
            return agency
    agency, _ = Agency.objects.get_or_create(name=name)
    return agency


def open_interagency_requests(
    application: Application, *, actor, sent_on: datetime.date | None = None
) -> list[InteragencyRequest]:
    """One request per document the office obtains itself; called when the application is
    registered (the requests go out the same working day)."""
    sent_on = sent_on or application.registered_on
    created = []
    for document in application.documents.filter(
        status=ApplicationDocument.Status.REQUESTED
    ).select_related("document_type"):
        if InteragencyRequest.objects.filter(document=document).exists():
            continue
        agency = agency_for(document.document_type)
        request = InteragencyRequest(
            office=application.office,
            application=application,
            document=document,
            agency=agency,
            sent_on=sent_on,
            due_date=workdays.add_working_days(sent_on, agency.response_days),
            handled_by=application.specialist,
        )
        save_with_actor(request, actor)
        created.append(request)
    return created


def record_interagency_response(
    request: InteragencyRequest, *, actor, result: str, response_on: datetime.date, note: str = ""
) -> InteragencyRequest:
    if result not in {
        InteragencyRequest.Result.RECEIVED,
        InteragencyRequest.Result.REFUSED,
        InteragencyRequest.Result.NO_ANSWER,
    }:
        raise CounterError(
            "Выберите результат: документ получен, отказ или ответ не поступил.", field="result"
        )
    with transaction.atomic():
        # The application first, then the request: the order a handover locks them in (the
        # answer may move the application's deadline).
        list(
            Application.objects.select_for_update()
            .filter(pk=request.application_id)
            .values_list("pk", flat=True)
        )
        request = (
            InteragencyRequest.objects.select_for_update()
            .select_related("document")
            .get(pk=request.pk)
        )
        if not request.is_open:
            raise CounterError(
                f"Ответ на этот запрос уже записан {request.response_on:%d.%m.%Y}: «{request.get_result_display()}».",
                field="result",
            )
        if response_on < request.sent_on:
            raise CounterError("Дата ответа раньше даты направления запроса.", field="response_on")
        if response_on > timezone.localdate():
            raise CounterError("Дата ответа не может быть в будущем.", field="response_on")
        request.result = result
        request.response_on = response_on
        request.response_note = note.strip()[:500]
        save_with_actor(request, actor)
        if result == InteragencyRequest.Result.RECEIVED:
            document = request.document
            document.status = ApplicationDocument.Status.OBTAINED
            save_with_actor(document, actor)
        recount_deadline_from_last_answer(request.application_id, actor=actor)
    return request


def recount_deadline_from_last_answer(application_id: int, *, actor) -> Application | None:
    """Where the regulation counts the decision's deadline from the last interagency answer,
    the answer to the last open request moves the deadline there (never earlier than it was),
    with an event saying so. Returns the application when its deadline moved."""
    application = (
        Application.objects.select_for_update()
        .select_related("service_version")
        .get(pk=application_id)
    )
    version = application.service_version
    if not version.counts_from_last_answer or not application.is_open:
        return None
    requests = list(application.interagency_requests.all())
    if any(r.is_open for r in requests):
        return None
    answered = [
        r.response_on
        for r in requests
        if r.response_on
        and r.result in (InteragencyRequest.Result.RECEIVED, InteragencyRequest.Result.REFUSED)
    ]
    if not answered:
        return None  # no agency answered: nothing to count from
    deadline = version.decision_deadline(max(answered))
    if deadline <= application.deadline:
        return None
    application.deadline = deadline
    save_with_actor(application, actor)
    ApplicationEvent.objects.create(
        application=application,
        actor=actor,
        from_status=application.status,
        to_status=application.status,
        note="срок принятия решения пересчитан от даты последнего ответа на межведомственный "
        f"запрос: до {deadline:%d.%m.%Y}",
    )
    return application


def open_requests_guard(
    application: Application, *, actor, override_reason: str = ""
) -> str | None:
    """A decision waits for the answers to interagency requests, unless the chief overrides it."""
    pending = application.interagency_requests.filter(result="").count()
    if not pending:
        return None
    if override_reason.strip() and actor.has_perm("cases.override_interagency"):
        return None
    if override_reason.strip():
        return "Решение при открытых запросах может принять только главный специалист."
    return (
        f"По заявлению открыто межведомственных запросов: {pending}. Дождитесь ответов "
        "или укажите основание решения без них (главный специалист)."
    )


# --- Incoming requests from other districts and regions ----------------------------------------


def find_subject(office, name: str, birth_date=None, snils: str = "") -> Applicant | None:
    digits = snils_digits(snils)
    if digits:
        found = Applicant.objects.filter(office=office, snils=digits).first()
        if found:
            return found
    parts = name.split()
    if len(parts) >= 2 and birth_date:
        key = full_name_key(parts[0], parts[1], " ".join(parts[2:]))
        return Applicant.objects.filter(office=office, name_key=key, birth_date=birth_date).first()
    return None


def register_incoming_request(
    *,
    actor,
    office=None,
    kind: RequestKind,
    sender: str,
    sender_number: str,
    sender_date: datetime.date,
    received_on: datetime.date,
    subject_name: str,
    question: str,
    sender_office=None,
    sender_address: str = "",
    subject_birth_date: datetime.date | None = None,
    subject_snils: str = "",
    applicant: Applicant | None = None,
    due_date: datetime.date | None = None,
    assigned_to=None,
    outgoing: OutgoingRequest | None = None,
) -> IncomingRequest:
    """Register a request that came in from another district or region: numbered, its due
    date counted in working days from `received_on` (unless given), the subject found among the
    office's applicants (unless given), assigned to `assigned_to` or the actor. The model's
    field rules (the subject's СНИЛС with its check number, names, dates) raise
    `ValidationError` by field; the rules of the reception, `CounterError`."""
    office = office or actor.office
    if sender_date > received_on:
        raise CounterError("Дата запроса позже даты поступления.", field="sender_date")
    if received_on > timezone.localdate():
        raise CounterError("Дата поступления не может быть в будущем.", field="received_on")
    due = due_date or workdays.add_working_days(received_on, kind.due_days)
    if due < received_on:
        raise CounterError("Срок ответа раньше даты поступления запроса.", field="due_date")
    assignee = assigned_to or actor
    if not roles.can_take_work(assignee, ANSWERS_REQUESTS, office):
        raise CounterError(
            f"{assignee.short_name} не может быть исполнителем: исполнитель — действующий "
            "специалист этого учреждения, который отвечает на запросы.",
            field="assigned_to",
        )
    request = IncomingRequest(
        office=office,
        kind=kind,
        sender=sender,
        sender_office=sender_office,
        sender_address=(sender_address or "").strip()
        or (sender_office.address if sender_office else ""),
        sender_number=sender_number,
        sender_date=sender_date,
        received_on=received_on,
        subject_name=subject_name,
        subject_birth_date=subject_birth_date,
        subject_snils=snils_digits(subject_snils),
        applicant=applicant
        or find_subject(office, subject_name, subject_birth_date, subject_snils),
        question=question,
        due_date=due,
        assigned_to=assignee,
        outgoing=outgoing,
    )
    request.full_clean(
        exclude=[f.name for f in IncomingRequest._meta.fields if f.name not in SUBJECT_FIELDS],
        validate_unique=False,
        validate_constraints=False,
    )
    with transaction.atomic():
        save_with_actor(request, actor)
    return request


# what a request says about its subject: checked by the model's rules (`register_incoming_request`)
SUBJECT_FIELDS = ("sender", "sender_number", "subject_name", "subject_birth_date", "subject_snils",
                  "question")  # fmt: skip


def answer_incoming_request(
    request: IncomingRequest, *, actor, answer: str, attachments: str = "", answered_on=None
) -> IncomingRequest:
    answered_on = answered_on or timezone.localdate()
    if not answer.strip():
        raise CounterError("Напишите текст ответа.", field="answer")
    with transaction.atomic():
        request = IncomingRequest.objects.select_for_update().get(pk=request.pk)
        if not request.is_open:
            raise CounterError(
                f"На этот запрос уже ответили {request.answered_on:%d.%m.%Y}, исх. № {request.out_number_display}.",
                field="answer",
            )
        if answered_on < request.received_on:
            raise CounterError("Дата ответа раньше даты поступления запроса.", field="answered_on")
        request.answer = answer.strip()
        request.attachments = attachments.strip()
        request.answered_on = answered_on
        request.answered_by = actor
        request.out_year = answered_on.year
        request.out_number = next_number(request.office, "outgoing", answered_on.year)
        save_with_actor(request, actor)
        if request.outgoing_id:
            # The answer goes back to the office that asked, through this installation.
            outgoing = OutgoingRequest.objects.select_for_update().get(pk=request.outgoing_id)
            outgoing.answer = request.answer
            outgoing.attachments = request.attachments
            outgoing.answered_on = answered_on
            outgoing.answer_number = request.out_number_display
            save_with_actor(outgoing, actor)
    return request


def send_request_to_office(
    *, actor, to_office, kind: RequestKind, applicant: Applicant, question: str
) -> OutgoingRequest:
    """Ask another office of this installation about one of our applicants. The other office
    receives an incoming request carrying only what the question needs."""
    if to_office.pk == actor.office_id:
        raise CounterError("Запрос направляется в другое учреждение.", field="to_office")
    if not question.strip():
        raise CounterError("Напишите, что запрашивается.", field="question")
    today = timezone.localdate()
    with transaction.atomic():
        outgoing = OutgoingRequest(
            office=actor.office,
            to_office=to_office,
            kind=kind,
            applicant=applicant,
            question=question.strip(),
            sent_on=today,
            out_year=today.year,
            out_number=next_number(actor.office, "outgoing", today.year),
            created_by=actor,
            handled_by=actor,
            due_date=workdays.add_working_days(today, kind.due_days),
        )
        save_with_actor(outgoing, actor)
        # whoever may answer requests there (the same rule as the «Исполнитель» list), the chief first
        takers = roles.may_take_work(ANSWERS_REQUESTS, to_office)
        assignee = takers.filter(groups__name=roles.CHIEF).first() or takers.first()
        if assignee is None:
            raise CounterError(
                f"В учреждении «{to_office}» нет действующих сотрудников, которые отвечают на запросы.",
                field="to_office",
            )
        register_incoming_request(
            actor=actor,
            office=to_office,
            kind=kind,
            sender=actor.office.name,
            sender_office=actor.office,
            sender_number=f"{outgoing.out_number}/{outgoing.out_year}",
            sender_date=today,
            received_on=today,
            subject_name=applicant.full_name,
            subject_birth_date=applicant.birth_date,
            subject_snils=applicant.snils,
            question=outgoing.question,
            assigned_to=assignee,
            outgoing=outgoing,
        )
    return outgoing


# --- Reassigning requests (the chief, from «Запросы») ---------------------------------------

HANDLES_INTERAGENCY = "cases.change_interagencyrequest"


def reassign_requests(kind: str, requests, to_user, *, actor, note: str = ""):
    """Give the selected open interagency (`kind="interagency"`) or incoming (`"incoming"`)
    requests to another specialist of their office, with history; all or nothing. Returns
    `onewindow.reassign.Reassigned`."""
    from onewindow.reassign import REASSIGNS, ReassignError, reassign_rows

    ids = [getattr(item, "pk", item) for item in requests]
    if kind == "interagency":
        model, field, takes = InteragencyRequest, "handled_by", HANDLES_INTERAGENCY

        def is_open(item) -> bool:
            return not item.result and item.application.status in Application.OPEN_STATUSES

        def title(item) -> str:
            return f"запрос в {item.agency} ({item.document.title})"

        related = ("application", "agency", "document")
    elif kind == "incoming":
        model, field, takes = IncomingRequest, "assigned_to", ANSWERS_REQUESTS

        def is_open(item) -> bool:
            return item.answered_on is None

        def title(item) -> str:
            return f"запрос {item.sender} № {item.sender_number}"

        related = ()
    else:
        raise ReassignError("Передать можно межведомственные и входящие запросы.", field="items")
    with transaction.atomic():
        locked = list(model.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        # read what the checks name apart from the lock (PostgreSQL locks no joined rows)
        shown = {row.pk: row for row in model.objects.filter(pk__in=ids).select_related(*related)}
        for row in locked:
            for name in related:
                setattr(row, name, getattr(shown[row.pk], name))
        return reassign_rows(
            locked, field=field, to_user=to_user, actor=actor, permission=REASSIGNS,
            takes_work=takes, note=note, is_open=is_open, title=title,
        )  # fmt: skip
