"""What a destroyed case file leaves in the reception's records, erased (`onewindow.erasure`).

The file's own records go whatever happens to the person: its applications lose their
representatives, notes and reasons, their documents and interagency requests are deleted, the
requests and transfers of the office about the person lose their content. A person with no other
live file or measure is anonymised: the card, the categories, and every history row of them."""

from __future__ import annotations

import datetime

from django.db.models import Q

from cases.models import (
    Applicant,
    ApplicantCategory,
    Application,
    ApplicationDocument,
    ApplicationEvent,
    Booking,
    CaseFile,
    CaseTransfer,
    Entitlement,
    IncomingRequest,
    InteragencyRequest,
    NameKey,
    OutgoingRequest,
)
from onewindow import erasure
from onewindow.identity import full_name_key, normalize_name

ANONYMOUS = "Обезличено"
ANONYMOUS_BIRTH = datetime.date(1900, 1, 1)

# The card of an anonymised person: every identifying field, on the row and its history.
ANONYMOUS_CARD = {
    "snils": "", "last_name": ANONYMOUS, "first_name": ANONYMOUS, "middle_name": "",
    "birth_date": ANONYMOUS_BIRTH, "birth_place": "", "id_series": "", "id_number": "",
    "id_issued_by": "", "id_issued_date": None, "id_unit_code": "", "reg_address": "",
    "actual_address": "", "phone": "", "email": "", "death_source": "", "is_anonymised": True,
    "name_key": full_name_key(ANONYMOUS, ANONYMOUS), "last_name_key": full_name_key(ANONYMOUS, ""),
    "initials": full_name_key(ANONYMOUS, "")[:1],
}  # fmt: skip


def erase_file_records(subjects: list[erasure.Subject]) -> None:
    for subject in subjects:
        _erase_file_records(subject)


def _erase_file_records(subject: erasure.Subject) -> None:
    person, office = subject.applicant, subject.office
    # the file's own history may quote a typed reason («Возвращено из архива: …»)
    erasure.erase_rows(CaseFile, subject.case_file_ids, subject=subject, values={})
    applications = list(
        Application.objects.filter(case_file_id__in=subject.case_file_ids).values_list(
            "pk", flat=True
        )
    )
    # the interagency requests hold the file's documents (PROTECT): they go first
    requests = InteragencyRequest.objects.filter(application_id__in=applications)
    if requests.exists():
        subject.destroyed("ответы на межведомственные запросы")
    erasure.delete_rows(InteragencyRequest, requests.values_list("pk", flat=True), subject=subject,
                        history_values={"response_note": ""})  # fmt: skip
    documents = ApplicationDocument.objects.filter(application_id__in=applications)
    if documents.exists():
        subject.destroyed("документы личного дела")
    erasure.delete_rows(ApplicationDocument, documents.values_list("pk", flat=True), subject=subject,
                        redact_fields=["title"])  # fmt: skip
    if applications:
        subject.destroyed("заявления и сведения о представителях")
    erasure.erase_rows(
        Application, applications, subject=subject,
        values={"representative_name": "", "representative_document": "", "representative_authority": "", "note": ""},
        redact_fields=["refusal_reason", "withdrawal_reason"],
    )  # fmt: skip
    ApplicationEvent.objects.filter(application_id__in=applications).update(note="")
    measures = Entitlement.objects.filter(case_file_id__in=subject.case_file_ids)
    erasure.erase_rows(Entitlement, measures.values_list("pk", flat=True), subject=subject, values={},
                       redact_fields=["status_reason"])  # fmt: skip

    # Requests about the person: this office's, or everyone's when the person goes altogether.
    scope = Q() if subject.anonymise else Q(office=office)
    incoming = set(
        IncomingRequest.objects.filter(scope, applicant=person).values_list("pk", flat=True)
    )
    if person.snils:
        incoming |= set(
            IncomingRequest.objects.filter(scope, subject_snils=person.snils).values_list(
                "pk", flat=True
            )
        )
    incoming |= {
        r.pk
        for r in IncomingRequest.objects.filter(scope, applicant__isnull=True, subject_birth_date=person.birth_date)
        if full_name_key(*[*r.subject_name.split(), "", ""][:3]) == person.name_key
    }  # fmt: skip
    outgoing = set(
        OutgoingRequest.objects.filter(scope, applicant=person).values_list("pk", flat=True)
    )
    if subject.anonymise:  # the other office's copy of our request about them
        incoming |= set(
            IncomingRequest.objects.filter(outgoing_id__in=outgoing).values_list("pk", flat=True)
        )
    if incoming or outgoing:
        subject.destroyed("запросы о гражданине и ответы на них")
    _erase_request_texts(IncomingRequest, incoming, subject, {
        "subject_name": ANONYMOUS, "subject_birth_date": None, "subject_snils": "",
    })  # fmt: skip
    _erase_request_texts(OutgoingRequest, outgoing, subject, {})

    transfers = CaseTransfer.objects.filter(applicant=person)
    if not subject.anonymise:
        transfers = transfers.filter(
            Q(old_case_file_id__in=subject.case_file_ids) | Q(new_case_file_id__in=subject.case_file_ids)
            | Q(from_office=office) | Q(to_office=office)
        )  # fmt: skip
    erasure.erase_rows(
        CaseTransfer, transfers.values_list("pk", flat=True), subject=subject,
        values={"stated_name": ANONYMOUS, "stated_birth_date": ANONYMOUS_BIRTH, "new_address": ""},
        redact_fields=["reason", "refusal_reason"],
    )  # fmt: skip


def _erase_request_texts(model, ids, subject, values: dict) -> None:
    """The request stays (numbers, dates, who answered); what it asked and answered goes."""
    for obj in model._base_manager.filter(pk__in=ids).only("pk", "answer", "attachments"):
        row = {**values, "question": erasure.ERASED, "attachments": ""}
        row["answer"] = erasure.ERASED if obj.answer else ""
        erasure.erase_rows(model, [obj.pk], subject=subject, values=row)


# A booking's visitor as the erasers and the retention leave it (the booking stays: its day, group,
# status and code are the queue's statistics).
ERASED_VISITOR = {"visitor_name": ANONYMOUS, "visitor_phone": ""}


def erase_bookings(subjects: list[erasure.Subject]) -> None:
    for subject in subjects:
        _erase_bookings(subject)


def _erase_bookings(subject: erasure.Subject) -> None:
    """The queue's bookings of the person: the name and phone named on the phone go, on the
    rows and their history. Those linked to the card: this office's, or every office's when the
    person goes altogether; then also the bookings no card was linked to that name them (the
    same full name, or the same phone). A booking already erased by its retention is skipped."""
    person = subject.applicant
    scope = Q() if subject.anonymise else Q(office=subject.office)
    ids = set(Booking.objects.filter(scope, applicant=person).values_list("pk", flat=True))
    if subject.anonymise:
        phone = _phone_digits(person.phone)
        unlinked = Booking.objects.filter(applicant__isnull=True).exclude(**ERASED_VISITOR)
        for pk, name, booked_phone in unlinked.values_list("pk", "visitor_name", "visitor_phone"):
            if _names_person(name, person) or (phone and _phone_digits(booked_phone) == phone):
                ids.add(pk)
    if ids:
        subject.destroyed("предварительная запись в очередь: ФИО и телефон посетителя")
    erasure.erase_rows(Booking, sorted(ids), subject=subject, values=ERASED_VISITOR)


def _names_person(name: str, person) -> bool:
    """Does a name said on the phone name `person`? The form asks for the surname and the first
    name: «Иванов Иван», «Иван Иванов» and «Иванов Иван Иванович» all name Иванов Иван Иванович
    (case, ё and hyphens folded); a patronymic given must be theirs."""
    words = [normalize_name(word) for word in name.split()]
    last, first = normalize_name(person.last_name), normalize_name(person.first_name)
    middle = normalize_name(person.middle_name)
    if not last or not first or len(words) not in (2, 3):
        return False
    if len(words) == 3:
        return words in ([last, first, middle], [first, middle, last])
    return words in ([last, first], [first, last])


def _phone_digits(value: str) -> str:
    """The ten digits of a Russian number however it was written («8 (927) 555-12-34»)."""
    digits = "".join(ch for ch in value or "" if ch.isdigit())
    return digits[-10:] if len(digits) >= 10 else ""


def anonymise_people(subjects: list[erasure.Subject]) -> None:
    for subject in subjects:
        _anonymise(subject)


def _anonymise(subject: erasure.Subject) -> None:
    """The person has no other live file or measure: the card and categories go, history too."""
    if not subject.anonymise:
        return
    person = subject.applicant
    categories = list(person.categories.values_list("pk", flat=True))
    if categories:
        subject.destroyed("сведения о льготных категориях и подтверждающих документах")
    erasure.delete_rows(ApplicantCategory, categories, subject=subject,
                        history_values={"document": erasure.ERASED, "valid_from": None, "valid_to": None})  # fmt: skip
    subject.destroyed(
        "фамилия, имя, отчество; дата и место рождения; СНИЛС; документ, удостоверяющий личность; "
        "адреса; телефон, электронная почта"
    )
    old_key = person.last_name_key
    erasure.erase_rows(Applicant, [person.pk], subject=subject, values=ANONYMOUS_CARD)
    # the surname index keeps a surname only while someone has it
    if old_key and not Applicant.objects.filter(last_name_key=old_key).exists():
        NameKey.objects.filter(key=old_key).delete()


def register() -> None:
    erasure.register(
        "cases.file_records",
        erase_file_records,
        models=["cases.application", "cases.applicationdocument", "cases.applicationevent",
                "cases.interagencyrequest", "cases.entitlement", "cases.incomingrequest",
                "cases.outgoingrequest", "cases.casetransfer", "cases.casefile"],
        order=20,
    )  # fmt: skip
    erasure.register("cases.queue_bookings", erase_bookings, models=["cases.booking"], order=30)
    erasure.register(
        "cases.anonymise", anonymise_people,
        models=["cases.applicant", "cases.applicantcategory", "cases.namekey"], order=80,
    )  # fmt: skip
    erasure.no_personal_data(
        {
            "cases.benefitcategory": "справочник категорий",
            "cases.agency": "справочник ведомств",
            "cases.requestkind": "справочник видов запросов",
            "cases.organisation": "организации-заявители (юридические лица: ИНН, ОГРН, адрес)",
            "cases.servicegroup": "справочник групп услуг электронной очереди",
            "cases.window": "окна приёма (номер, группы, специалист)",
            "cases.openinghours": "часы приёма учреждения",
            "cases.prioritycategory": "справочник категорий внеочередного обслуживания",
            "cases.ticket": "талон очереди: номер, группа, моменты; заявитель — только ссылкой",
        }
    )
