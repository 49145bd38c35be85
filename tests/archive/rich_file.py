"""A case file with every kind of attached record, for the erasure tests: the person's identifying
values, the fixture that builds the file, executing its destruction act, and the scan of every
table for what is left."""

import datetime
import json
import re
from urllib.parse import unquote_plus

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import reverse

from archive import services
from archive.models import ArchivedFile, FileIssue, Location, PersonalDataDestruction, RetentionRule
from cases import requests as case_requests
from cases.models import (
    Applicant,
    Application,
    BenefitCategory,
    CaseTransfer,
    Entitlement,
    IncomingRequest,
    InteragencyRequest,
    RequestKind,
)
from cases.services import change_entitlement_status, set_applicant_category
from onewindow.audit import log_access
from onewindow.models import AccessLog, Handover, HandoverItem, IdempotentRequest, Job
from onewindow.names import decline
from reconciliation.models import (
    AmbiguousRow,
    ExtractProfile,
    InvalidRow,
    ReconciliationRun,
    Selection,
)
from services.models import Service
from tests.counter import register
from tests.factories import ApplicantFactory, valid_snils

D = datetime.date


@pytest.fixture
def rich_file(
    client, office, other_office, specialist, archivist, chief, other_specialist, catalogue
):
    """A person with every kind of record the system keeps, their file archived and eligible."""
    person = ApplicantFactory(office=office, **PERSON)
    category = BenefitCategory.objects.first() or BenefitCategory.objects.create(
        code="vt", title="ветеран труда"
    )
    set_applicant_category(person, category, "Удостоверение ВТ № 000001", actor=specialist)
    set_applicant_category(person, category, CATEGORY_DOC, actor=specialist)

    client.force_login(specialist)
    register(client, person, representative_kind="proxy", representative_name="Тиховодова Марфа Ильинична",
             representative_document="паспорт 1805 123456", representative_authority="доверенность от Тиховодова Е.Н.",
             note="Тиховодов просил позвонить на +7 (917) 555-44-33")  # fmt: skip
    application = Application.objects.get(applicant=person)
    request = InteragencyRequest.objects.filter(application=application).first()
    assert request is not None, "the checklist must have a document the office requests"
    case_requests.record_interagency_response(request, actor=specialist, result="received", response_on=request.sent_on,
                                              note=f"СНИЛС {SNILS} принадлежит Тиховодову Е.Н.")  # fmt: skip
    Application.objects.filter(pk=application.pk).update(status="notified")
    measure = Entitlement.objects.create(office=office, applicant=person, case_file=application.case_file,
                                         service=Service.objects.get(code="asp"), start_date=D(2018, 1, 1))  # fmt: skip
    change_entitlement_status(
        measure,
        "stopped",
        actor=specialist,
        reason="снят с учёта: Тиховодов выбыл",
        on=D(2020, 6, 30),
    )

    kind = RequestKind.objects.first() or RequestKind.objects.create(code="info", title="сведения")
    incoming = case_requests.register_incoming_request(
        **{"kind": kind, "sender": "ЦСЗН Дзержинского района", "sender_number": "15/77", "sender_date": D(2026, 11, 20),
         "received_on": D(2026, 11, 23), "subject_name": "Тиховодов Евлампий Никодимович",
         "subject_birth_date": PERSON["birth_date"], "subject_snils": "118-273-645 " + SNILS[-2:],
         "question": "Сообщите, получал ли Тиховодов Е.Н. (паспорт 1804 771235) ЕДВ"},
        actor=specialist,
    )  # fmt: skip
    case_requests.answer_incoming_request(
        incoming, actor=specialist, answer="Тиховодов Е.Н. получал ЕДВ по 2020 г."
    )
    outgoing = case_requests.send_request_to_office(actor=specialist, to_office=other_office, kind=kind, applicant=person,
                                                    question="Проживает ли Тиховодов по ул. Тихая Заводь, д. 13?")  # fmt: skip
    their_copy = IncomingRequest.objects.get(outgoing=outgoing)
    case_requests.answer_incoming_request(
        their_copy, actor=other_specialist, answer="Тиховодов Евлампий не проживает"
    )

    transfer = CaseTransfer(applicant=person, from_office=office, to_office=other_office,
                            stated_name="Тиховодов Евлампий Никодимович", stated_birth_date=PERSON["birth_date"],
                            new_address="г. Волжский, ул. Тихая Заводь, д. 1", reason="переезд Тиховодова",
                            status="cancelled", requested_by=other_specialist, requested_at=datetime.datetime(2026, 1, 5, 10, 0, tzinfo=datetime.UTC))  # fmt: skip
    transfer._history_user = other_specialist
    transfer.save()

    profile = ExtractProfile.objects.first() or ExtractProfile.objects.create(
        name="pfr-deaths", title="СФР: смерть", source="pfr", kind="deaths")  # fmt: skip
    run = ReconciliationRun.objects.create(office=office, profile=profile, source="pfr", kind=profile.kind,
                                           file_name="deaths.csv", file_path="/tmp/none", sha256="0" * 64,
                                           status="done", error=f"строка 7: СНИЛС {SNILS} повторяется")  # fmt: skip
    evidence = [{"row": 3, "run": run.pk, "snils": SNILS, "name": "Тиховодов Евлампий Никодимович",
                 "birth_date": "1951-03-07", "event_date": "2020-06-01", "step": "snils"}]  # fmt: skip
    selection = Selection(office=office, run=run, applicant=person, kind=profile.kind, source="pfr", match="snils",
                          evidence=evidence, suggested_action="review", services=["asp"], status="done",
                          outcome="no_action", note="Тиховодов — совпадение проверено")  # fmt: skip
    selection._history_user = specialist
    selection.save()
    ambiguous = AmbiguousRow.objects.create(office=office, run=run, row_number=9, step="name_dob",
                                            data={"name": "ТИХОВОДОВ ЕВЛАМПИЙ НИКОДИМОВИЧ", "snils": ""})  # fmt: skip
    ambiguous.candidates.add(person)
    InvalidRow.objects.create(run=run, row_number=11, reason="неверный СНИЛС",
                              data={"FAM": "Тиховодов", "IM": "Евлампий", "NPERS": "118-273-645 00"})  # fmt: skip

    handover = Handover.objects.create(office=office, from_user=specialist, to_user=other_specialist, reason="leave",
                                       starts_on=D(2026, 7, 1), number=901,
                                       created_by=chief, note="в т. ч. дело Тиховодова")  # fmt: skip
    HandoverItem.objects.create(handover=handover, kind="application", object_id=application.pk,
                                description=application.work_title)  # fmt: skip
    Job.objects.create(
        kind="system.selftest", office=office, result={"note": "проверено: Тиховодов Евлампий"}
    )
    # the API's kept answer to the POST that registered them (a retry cache)
    IdempotentRequest.objects.create(user=specialist, key="k-1", endpoint="POST /api/v1/applicants/", fingerprint="0" * 64,
                                     status_code=201, response={"id": person.pk, "last_name": "Тиховодов", "snils": SNILS})  # fmt: skip
    LogEntry.objects.create(user=chief, content_type=ContentType.objects.get_for_model(Applicant),
                            object_id=str(person.pk), object_repr=str(person), action_flag=CHANGE,
                            change_message="Изменён телефон Тиховодова")  # fmt: skip

    room = Location.objects.create(office=office, kind="room", name="1")
    box = Location.objects.create(office=office, kind="box", name="К-1", parent=room)
    rule = RetentionRule.objects.get(code="benefit-recipient")
    genitive = decline(person.last_name, person.first_name, person.middle_name, "M", "genitive")
    archived = ArchivedFile(office=office, case_file=application.case_file, archive_number="А-77", nomenclature_index="07-15",
                            year=2020, sheets=12, title=f"Личное дело получателя мер социальной поддержки {genitive}",
                            start_date=D(2018, 1, 1), end_date=D(2020, 6, 30), event_date=D(2020, 6, 30), retention_rule=rule,
                            eligible_from=rule.eligible_from(D(2020, 6, 30)), location=box, registered_by=archivist,
                            legal_hold_reason="запрос суда по делу Тиховодова (снят)")  # fmt: skip
    archived._history_user = archivist
    archived.save()
    services.set_legal_hold(
        archived, hold=True, reason="запрос суда по иску Тиховодова Е.Н.", actor=archivist
    )
    services.set_legal_hold(
        archived, hold=False, reason="иск Тиховодова рассмотрен", actor=archivist
    )
    issue = FileIssue(office=office, archived_file=archived, issued_to=specialist, purpose="справка для Тиховодова Е.Н.",
                      issued_on=D(2026, 3, 2), due_back=D(2026, 3, 3), returned_on=D(2026, 3, 3), issued_by=archivist)  # fmt: skip
    issue._history_user = archivist
    issue.save()

    # views, searches and prints through the site: the access log records them
    client.get(reverse("cases:applicant", args=[person.pk]))
    client.get(reverse("cases:counter"), {"q": "Тиховодов Евлампий"})
    client.get(reverse("cases:counter"), {"q": SNILS})
    client.get(reverse("cases:application", args=[application.pk]))
    log_access(
        None, event="print_document", subject_repr=f"Справка о {person.full_name}", user=specialist
    )
    client.force_login(archivist)
    client.get(reverse("archive:list"), {"q": "тиховодов евлампий"})
    client.get(reverse("archive:file", args=[archived.pk]))
    client.get(reverse("archive:label", args=[archived.pk]))
    client.get(reverse("archive:card", args=[issue.pk]))
    assert AccessLog.objects.filter(path__contains="q=").count() >= 3
    return {"person": person, "application": application, "archived": archived, "incoming": incoming,
            "outgoing": outgoing, "their_copy": their_copy, "selection": selection}  # fmt: skip


SNILS = valid_snils("118273645")

PERSON = {
    "last_name": "Тиховодов", "first_name": "Евлампий", "middle_name": "Никодимович", "sex": "M",
    "snils": SNILS, "birth_date": D(1951, 3, 7), "birth_place": "с. Верхние Ключи",
    "id_series": "1804", "id_number": "771235", "id_issued_by": "ОВД Тракторозаводского района",
    "phone": "+7 (917) 555-44-33", "email": "tikhovodov@example.ru",
    "reg_address": "г. Волгоград, ул. Тихая Заводь, д. 13, кв. 31",
    "actual_address": "г. Волгоград, ул. Тихая Заводь, д. 13, кв. 31",
}  # fmt: skip

CATEGORY_DOC = "Удостоверение Тиховодова Е.Н. серия ВТ № 778899 от 01.02.2010"

# What must be found nowhere: word stems catch the declined forms too.
IDENTIFYING = [
    "Тиховодов", "Евлампи", "Никодимович", SNILS, "118-273-645", "771235", "555-44-33",
    "79175554433", "Тихая Заводь", "778899", "tikhovodov@", "Верхние Ключи",
]  # fmt: skip


def _decoded(text: str) -> str:
    """What a stored value says: percent-encoding and JSON escapes undone."""
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    return unquote_plus(text).casefold()


def found_in(text: str) -> list[str]:
    plain = _decoded(text)
    return [value for value in IDENTIFYING if value.casefold() in plain]


def execute_destruction(client, archivist, chief, director):
    act = services.draft_act(actor=archivist, act_date=D(2026, 11, 24))
    services.agree_act(act, actor=chief, protocol_number="7", protocol_date=D(2026, 11, 20))
    services.approve_act(act, actor=director)
    client.force_login(archivist)
    response = client.post(
        reverse("archive:act", args=[act.pk]),
        {"step": "execute", "confirm": "1", "method": "shredding", "volume": "2 кг"},
    )
    assert response.status_code == 302
    act.refresh_from_db()
    assert act.status == "executed", "the act must execute, whatever the file holds"
    return act


def table_leaks() -> dict[str, list[str]]:
    """Every table, every text value, searched through the database connection."""
    leaks: dict[str, list[str]] = {}
    keep = PersonalDataDestruction._meta.db_table
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table == keep:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, (dict, list)):
                        value = json.dumps(value, ensure_ascii=False)
                    if isinstance(value, str) and (found := found_in(value)):
                        leaks.setdefault(table, []).append(f"{found}: {value[:120]}")
    return leaks
