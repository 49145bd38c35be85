"""Reports for a period and an office: the figures on a known data set, the XLSX and the PDF, the
monthly beat task, bad input, office scoping and a query bound.

The data set lives in October 2026, before the suite's frozen day (Tuesday 24.11.2026): every
date is derived from that moment, and each write happens with the clock moved to its own day
(the services stamp what they write with the current time)."""

from __future__ import annotations

import datetime
import io
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from archive.models import (
    DestructionAct,
    DestructionItem,
    FileIssue,
)
from cases import services
from cases.models import Agency, IncomingRequest, InteragencyRequest, RequestKind
from onewindow import reports, roles, workdays
from onewindow.models import AccessLog, Report
from reconciliation.models import ExtractProfile, ReconciliationRun, Selection
from services.models import Ground, Service
from tests.conftest import FROZEN_AT
from tests.factories import ApplicantFactory, ArchivedFileFactory, counter_marks, make_user
from tests.pdf_utils import pdf_text

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = FROZEN_AT.date()  # Tuesday 24.11.2026
# October 2026: the month before the frozen one
OCT_START = TODAY.replace(month=10, day=1)
OCT_END = TODAY.replace(month=10, day=31)


def oct_(day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(OCT_START.year, 10, day, hour, 0)


# --- Building the data set ----------------------------------------------------------------------


class Desk:
    """Writes through the counter's services with the clock at each write's own moment."""

    def __init__(self, freeze_now, chief):
        self.freeze_now = freeze_now
        self.chief = chief

    def register(self, applicant, code: str, at: datetime.datetime, actor):
        self.freeze_now(at)
        service = Service.objects.get(code=code)
        version = service.version_on(at.date())
        marks = counter_marks(version, bring_all=True)
        return services.register_application(
            applicant, service, actor=actor, marks=marks, consent_given=True,
            idempotency_key=uuid.uuid4(), received_at=timezone.make_aware(at),
        )  # fmt: skip

    def decide(self, application, name: str, at: datetime.datetime):
        self.freeze_now(at)
        services.transition(application, "transfer", actor=self.chief)
        extra = {}
        if name == "refuse":
            # on the regulation's first ground alone (no free-text reason), as the counter
            # refuses when the version has grounds
            grounds = application.service_version.grounds_of("refuse")
            extra = {"grounds": [grounds[0].pk]} if grounds else {"reason": "Нет права на меру"}
        return services.transition(application, name, actor=self.chief, **extra)

    def withdraw(self, application, at: datetime.datetime):
        self.freeze_now(at)
        return services.transition(
            application, "withdraw", actor=self.chief, reason="Заявление об отзыве"
        )


def person(office, n: int, **kwargs):
    return ApplicantFactory(office=office, snils="", last_name=f"Заявитель{n}", **kwargs)


@pytest.fixture
def colleague(office):
    return make_user(roles.SPECIALIST, office, "ivanova", last_name="Иванова", first_name="Ольга")


@pytest.fixture
def october(office, other_office, specialist, colleague, chief, other_specialist, other_chief,
            catalogue, freeze_now):  # fmt: skip
    """The known data set: applications, requests, selections and archive movements of October
    2026 (and a few just outside it) in the office, and one application of another office."""
    desk = Desk(freeze_now, chief)
    edv = "edv-veterans"  # a decision within 10 working days
    apps = {
        # registered 01.10, granted 05.10: 2 working days, in time
        "a1": desk.register(person(office, 1), edv, oct_(1), specialist),
        # registered 01.10, refused 30.10: 21 working days, late (due 15.10)
        "a2": desk.register(person(office, 2), edv, oct_(1), specialist),
        # registered 02.10, withdrawn 06.10
        "a3": desk.register(person(office, 3), edv, oct_(2), specialist),
        # registered 20.10, still open; due 03.11: in progress, not overdue on 31.10
        "a4": desk.register(person(office, 4), edv, oct_(20), specialist),
        # registered 09.09, granted 02.10: 17 working days, late (due 23.09)
        "a5": desk.register(person(office, 5), edv, datetime.datetime(2026, 9, 9, 10), specialist),
        # registered 25.09, still open; due 09.10: in progress and overdue on 31.10
        "a6": desk.register(person(office, 6), edv, datetime.datetime(2026, 9, 25, 10), specialist),
        # registered 28.10, granted 05.11: in progress on 31.10
        "a7": desk.register(person(office, 7), edv, oct_(28), specialist),
        # another service, another specialist: registered 12.10, granted 16.10 (4 working days)
        "b1": desk.register(person(office, 8), "food-subsidy", oct_(12), colleague),
        # November: outside the period
        "n1": desk.register(
            person(office, 9), edv, datetime.datetime(2026, 11, 10, 10), specialist
        ),
    }
    desk.decide(apps["a1"], "grant", oct_(5))
    # the regulation gives a refusal ground: the refusal rests on it alone
    Ground.objects.create(
        version=apps["a2"].service_version, kind=Ground.Kind.REFUSE, clause="пункт 2.8.1",
        text="отсутствие у заявителя права на меру социальной поддержки",
    )  # fmt: skip
    desk.decide(apps["a2"], "refuse", oct_(30))
    desk.withdraw(apps["a3"], oct_(6))
    desk.decide(apps["a5"], "grant", oct_(2))
    desk.decide(apps["b1"], "grant", oct_(16))
    desk.decide(apps["a7"], "grant", datetime.datetime(2026, 11, 5, 10))
    # another office: must not appear in this office's report
    other_desk = Desk(freeze_now, other_chief)
    apps["c1"] = other_desk.register(person(other_office, 10), edv, oct_(5), other_specialist)
    other_desk.decide(apps["c1"], "grant", oct_(7))

    freeze_now(FROZEN_AT)
    # Interagency requests (to the Social Fund; answers due in 5 working days)
    agency = Agency.objects.get_or_create(name="Социальный фонд России")[0]
    documents = list(apps["a1"].documents.all()[:2]) + list(apps["a2"].documents.all()[:2])
    for document, (sent, due, result, answered) in zip(documents, [
        (OCT_START, D(2026, 10, 8), "received", D(2026, 10, 7)),  # in time
        (OCT_START, D(2026, 10, 8), "received", D(2026, 10, 12)),  # late
        (D(2026, 10, 20), D(2026, 10, 27), "", None),  # no answer by 31.10, overdue
        (D(2026, 10, 26), D(2026, 11, 2), "", None),  # no answer by 31.10, not yet due
    ], strict=True):  # fmt: skip
        InteragencyRequest.objects.create(
            office=office, application=document.application, document=document, agency=agency,
            sent_on=sent, due_date=due, result=result, response_on=answered, handled_by=specialist,
        )  # fmt: skip
    # Incoming requests from other districts
    kind = RequestKind.objects.order_by("pk").first()
    for n, (received, due, answered) in enumerate([
        (OCT_START, D(2026, 10, 15), D(2026, 10, 10)),  # in time
        (D(2026, 10, 5), D(2026, 10, 19), D(2026, 10, 21)),  # late
        (D(2026, 10, 28), D(2026, 11, 11), None),  # open, not yet due
    ]):  # fmt: skip
        IncomingRequest.objects.create(
            office=office, kind=kind, sender="ЦСЗН по Кировскому району", sender_number=f"{n}-1",
            sender_date=received, received_on=received, subject_name="Сидоров Пётр Петрович",
            question="Сведения о мерах", due_date=due, assigned_to=specialist,
            answered_on=answered, answered_by=specialist if answered else None,
            out_year=answered.year if answered else None, out_number=n + 1 if answered else None,
        )  # fmt: skip

    # Selections: a run of this office, a regional run (every office), another office's run
    profile = ExtractProfile.objects.get(name="pfr-deaths")

    def run(office_, day, counts):
        made = ReconciliationRun.objects.create(
            office=office_, profile=profile, source="pfr", kind="deaths", file_name="d.dbf",
            file_path="/tmp/d.dbf", sha256=uuid.uuid4().hex, status="done", counts=counts,
        )  # fmt: skip
        finished = timezone.make_aware(oct_(day, 3))
        ReconciliationRun.objects.filter(pk=made.pk).update(finished_at=finished)
        return made

    counts = {"rows_total": 100, "rows_invalid": 2, "matched_snils": 5, "matched_name_dob": 2,
              "probable": 1, "ambiguous": 1, "unmatched": 89, "selections": 3}  # fmt: skip
    own_run = run(office, 3, counts)
    run(None, 4, {**counts, "rows_total": 50, "unmatched": 39})
    run(other_office, 5, {**counts, "rows_total": 1000})

    def item(n, created, worked=None, outcome=""):
        made = Selection.objects.create(
            office=office, run=own_run, applicant=person(office, 100 + n), kind="deaths",
            source="pfr", match="snils", evidence=[], suggested_action="stop", services=["edv-veterans"],
            status="done" if worked else "open", outcome=outcome, assigned_to=specialist,
            worked_by=specialist if worked else None,
        )  # fmt: skip
        Selection.objects.filter(pk=made.pk).update(
            created_at=timezone.make_aware(created),
            worked_at=timezone.make_aware(worked) if worked else None,
        )

    item(1, oct_(3), oct_(10), "stopped")
    item(2, oct_(3), oct_(12), "false_match")
    item(3, oct_(3))  # open at the end
    item(4, oct_(3), datetime.datetime(2026, 11, 3, 10), "suspended")  # open on 31.10
    item(5, datetime.datetime(2026, 9, 20, 10), oct_(2), "suspended")  # created before

    # Archive: files taken in, issued, returned (one late), overdue; one act executed
    def archived(n, taken_in):
        # the benefit-recipient rule: eligible for destruction from 01.01.2025
        return ArchivedFileFactory(
            actor=specialist, applicant=person(office, 200 + n), archive_number=f"А-{n}",
            title=f"Личное дело {n}", end_date=D(2019, 1, 1),
            registered_at=timezone.make_aware(taken_in),
        )  # fmt: skip

    files = [archived(n, oct_(1 + n)) for n in range(4)]
    archived(9, datetime.datetime(2026, 9, 1, 10))  # before the period
    for archived_file, (issued, due, returned) in zip(files, [
        (D(2026, 10, 5), D(2026, 10, 9), D(2026, 10, 8)),  # returned in time
        (D(2026, 10, 5), D(2026, 10, 9), D(2026, 10, 14)),  # returned late
        (D(2026, 10, 6), D(2026, 10, 20), None),  # overdue on 31.10
    ], strict=False):  # fmt: skip
        FileIssue.objects.create(
            office=office, archived_file=archived_file, issued_to=specialist, purpose="проверка",
            issued_on=issued, due_back=due, returned_on=returned, issued_by=specialist,
        )  # fmt: skip
    act = DestructionAct.objects.create(
        office=office, number=3, act_date=D(2026, 10, 1), status="executed", compiled_by=specialist,
        executed_by=specialist, executed_on=D(2026, 10, 22),
    )  # fmt: skip
    DestructionItem.objects.create(
        act=act, archived_file=files[3], title="Личное дело 3", dates="2015–2019", year=2019, inventory="1",
        index="07-15", retention="5 лет, ст. 900",
    )  # fmt: skip
    return apps


def table(data: dict, code: str) -> dict:
    for section in data["sections"]:
        for found in section["tables"]:
            if found["code"] == code:
                return found
    raise AssertionError(f"no table {code}")


def as_dicts(found: dict) -> dict[str, dict]:
    keys = [c["key"] for c in found["columns"]]
    rows = {row[0]: dict(zip(keys, row, strict=True)) for row in found["rows"]}
    rows["Итого"] = dict(zip(keys, found["total"], strict=True))
    return rows


def october_report(office, kind=reports.SUMMARY) -> dict:
    return reports.compute_figures(kind, reports.Period(OCT_START, OCT_END, office.pk))


# --- Figures ------------------------------------------------------------------------------------


def test_services_figures_of_a_known_month(october, office):
    refused = october["a2"]
    refused.refresh_from_db()
    assert refused.refusal_grounds and not refused.refusal_reason  # a ground alone: refused
    rows = as_dicts(table(october_report(office), "services"))
    edv = Service.objects.get(code="edv-veterans").short_title
    food = Service.objects.get(code="food-subsidy").short_title
    assert set(rows) == {edv, food, "Итого"}  # the other office's application is not here
    assert rows[edv] == {
        "service": edv, "accepted": 5, "granted": 2, "refused": 1, "withdrawn": 1,
        "in_progress": 3, "overdue": 1, "late": 2, "median": 17.0,
    }  # fmt: skip
    assert rows[food] | {"service": ""} == {
        "service": "", "accepted": 1, "granted": 1, "refused": 0, "withdrawn": 0,
        "in_progress": 0, "overdue": 0, "late": 0, "median": 4.0,
    }  # fmt: skip
    # the total's median is of all decisions (2, 4, 17, 21), not a sum of medians
    assert rows["Итого"] == {
        "service": "Итого", "accepted": 6, "granted": 3, "refused": 1, "withdrawn": 1,
        "in_progress": 3, "overdue": 1, "late": 2, "median": 10.5,
    }  # fmt: skip


def test_days_to_decision_are_working_days_of_the_production_calendar(october):
    # the hand-counted figures of the data set, checked against the calendar itself
    assert workdays.working_days_between(D(2026, 10, 1), D(2026, 10, 30)) == 21
    assert workdays.working_days_between(D(2026, 9, 9), D(2026, 10, 2)) == 17
    # across the November holiday (04.11) and a New Year's span the index agrees with the walk
    index = workdays.WorkdayIndex(D(2026, 10, 20), D(2027, 1, 20))
    for start, end in [(D(2026, 10, 30), D(2026, 11, 5)), (D(2026, 12, 30), D(2027, 1, 12))]:
        assert index.between(start, end) == workdays.working_days_between(start, end)
    assert index.between(D(2026, 10, 30), D(2026, 11, 5)) == 3  # 02.11, 03.11, 05.11


def test_report_of_all_offices_adds_the_other_office(october, office, other_office):
    data = reports.compute_figures(reports.SUMMARY, reports.Period(OCT_START, OCT_END, None))
    rows = as_dicts(table(data, "services"))
    edv = Service.objects.get(code="edv-veterans").short_title
    assert rows[edv]["accepted"] == 6 and rows[edv]["granted"] == 3
    archive = as_dicts(table(data, "archive"))
    assert set(archive) == {office.short_name, "Итого"}


def test_specialists_workload_and_timeliness(october, office, specialist, colleague, chief):
    rows = as_dicts(table(october_report(office), "specialists"))
    assert rows[specialist.full_name] | {"person": ""} == {
        "person": "", "accepted": 5, "decided": 3, "decided_late": 2, "in_progress": 3,
        "overdue": 1, "answers": 2, "answers_late": 1, "selections_worked": 3,
        "selections_open": 2,
    }  # fmt: skip
    assert rows[colleague.full_name]["accepted"] == 1
    assert rows[colleague.full_name]["decided"] == 1
    assert rows[colleague.full_name]["selections_open"] == 0
    assert chief.full_name not in rows  # the chief decided, but is nobody's responsible here
    assert rows["Итого"]["accepted"] == 6


def test_requests_figures(october, office):
    data = october_report(office)
    inter = as_dicts(table(data, "interagency"))["Социальный фонд России"]
    assert (inter["sent"], inter["on_time"], inter["late"], inter["open"], inter["overdue"]) == (
        4, 1, 1, 2, 1,
    )  # fmt: skip
    incoming = as_dicts(table(data, "incoming"))["Итого"]
    assert (incoming["received"], incoming["on_time"], incoming["late"], incoming["open"]) == (
        3, 1, 1, 1,
    )  # fmt: skip
    assert incoming["overdue"] == 0


def test_selection_figures_per_source_and_kind(october, office):
    data = october_report(office)
    received = as_dicts(table(data, "selection_rows"))["ПФР (СФР): смерть получателей"]
    # this office's run and the regional one; another office's run is not counted
    assert (received["runs"], received["rows_total"], received["matched_snils"]) == (2, 150, 10)
    assert received["unmatched"] == 89 + 39
    items = as_dicts(table(data, "selection_items"))["ПФР (СФР): смерть получателей"]
    assert items["created"] == 4
    assert items["worked"] == 3  # two of October's items and the September one
    assert (items["out_stopped"], items["out_suspended"], items["out_false_match"]) == (1, 1, 1)
    assert items["open"] == 2  # one still open, one worked out only in November


def test_archive_movements(october, office):
    data = october_report(office)
    row = as_dicts(table(data, "archive"))[office.short_name]
    assert row == {
        "office": office.short_name, "taken_in": 4, "issued": 3, "returned": 2,
        "returned_late": 1, "overdue": 1, "withdrawn": 0, "destroyed": 1,
    }  # fmt: skip
    acts = table(data, "destruction_acts")
    assert acts["rows"] == [["№ 3", office.short_name, "2026-10-01", "2026-10-22", 1]]


def test_an_empty_period_is_a_report_of_zeros(office, catalogue):
    data = reports.compute_figures(
        reports.SUMMARY, reports.Period(D(2024, 1, 1), D(2024, 1, 31), office.pk)
    )
    services_table = table(data, "services")
    assert services_table["rows"] == []
    assert services_table["total"][1:8] == [0] * 7 and services_table["total"][8] is None
    assert [section["code"] for section in data["sections"]] == [
        "services", "specialists", "selections", "requests", "queue", "archive",
    ]  # fmt: skip


def test_the_query_count_does_not_grow_with_the_data(
    october, office, specialist, catalogue, freeze_now, chief
):
    period = reports.Period(OCT_START, OCT_END, office.pk)
    with CaptureQueriesContext(connection) as first:
        reports.compute_figures(reports.SUMMARY, period)
    desk = Desk(freeze_now, chief)
    for n in range(12):
        application = desk.register(
            person(office, 300 + n), "edv-veterans", oct_(6 + n), specialist
        )
        desk.decide(application, "grant" if n % 2 else "refuse", oct_(20 + n % 5))
    freeze_now(FROZEN_AT)
    with CaptureQueriesContext(connection) as second:
        data = reports.compute_figures(reports.SUMMARY, period)
    assert as_dicts(table(data, "services"))["Итого"]["accepted"] == 18
    assert len(second) == len(first)
    assert len(first) <= 36  # a few aggregate queries per part (the queue: tickets and bookings)


# --- Forming, the page, the XLSX and the PDF ----------------------------------------------------


def form_post(client, **overrides):
    data = {"kind": "summary", "period_start": "2026-10-01", "period_end": "2026-10-31"}
    data.update(overrides)
    return client.post(reverse("reports"), data)


def test_chief_forms_a_report_and_reads_it_as_page_xlsx_and_pdf(client, chief, office, october):
    client.force_login(chief)
    response = form_post(client, office=str(office.pk))
    report = Report.objects.get()
    assert response["Location"] == reverse("report", args=[report.pk])
    assert (report.office, report.formed_by, report.automatic) == (office, chief, False)
    assert (report.period_start, report.period_end) == (OCT_START, OCT_END)
    assert report.history.get().history_user == chief
    page = client.get(response["Location"]).content.decode()
    assert "Сводный отчёт за октябрь 2026 г." in page
    assert "Предоставление государственных услуг" in page and "10,5" in page

    # XLSX: a sheet per table, numbers as numbers, the total right, the header frozen
    response = client.get(reverse("report_xlsx", args=[report.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Услуги"]
    header_row = next(
        row for row in range(1, 10) if sheet.cell(row=row, column=1).value == "Услуга"
    )
    assert sheet.freeze_panes == f"A{header_row + 1}"
    assert sheet.column_dimensions["A"].width == 48
    headers = [cell.value for cell in sheet[header_row]]
    body = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=header_row + 1)]
    total = body[-1]
    assert total[0] == "Итого"
    accepted = headers.index("Принято заявлений")
    assert all(isinstance(row[accepted], int) for row in body)
    assert sum(row[accepted] for row in body[:-1]) == total[accepted] == 6
    assert total[headers.index("Медиана срока решения, рабочих дней")] == 10.5
    assert set(book.sheetnames) >= {"Услуги", "Специалисты", "Архив", "Акты уничтожения"}
    # each sheet says once which section and table it holds
    captions = [c.value for row in book["Услуги"].iter_rows(max_row=6) for c in row if c.value]
    assert "Предоставление государственных услуг" in captions
    selections = [c.value for r in book["Селекции — отработка"].iter_rows(max_row=6) for c in r]
    assert "Селекции: создано, отработано по результатам, в работе" in selections
    acts = book["Акты уничтожения"]
    dates = next(row for row in acts.iter_rows(values_only=True) if row and row[0] == "№ 3")
    assert dates[2] == datetime.datetime(2026, 10, 1)  # a date cell, not the text of one

    # PDF: the office's head, the period, the date of forming, the figures, the signatures
    response = client.get(reverse("report_pdf", args=[report.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert office.name in text
    assert "СВОДНЫЙ ОТЧЁТ ЗА ОКТЯБРЬ 2026 Г." in text  # a document's heading is in capitals
    assert "Период: с 01.10.2026 по 31.10.2026" in text
    assert "Дата формирования: 24.11.2026 10:00" in text
    assert "Главный специалист" in text and "Е. С. Смирнова" in text.replace("\u00a0", " ")
    assert "Директор" in text and "О. В. Сергеева" in text.replace("\u00a0", " ")
    assert "Итого 6 3 1 1 3 1 2 10,5" in text
    assert AccessLog.objects.filter(event="print_document", subject_id=str(report.pk)).exists()


def test_stored_figures_do_not_change_when_the_data_does(client, chief, office, october):
    client.force_login(chief)
    form_post(client, office=str(office.pk))
    report = Report.objects.get()
    before = report.data
    # an answer that came on 30.10 is recorded only now: a new report sees it, the formed one
    # keeps what it said
    from cases.requests import record_interagency_response

    late_one = InteragencyRequest.objects.get(sent_on=D(2026, 10, 20))
    record_interagency_response(
        late_one, actor=chief, result="received", response_on=D(2026, 10, 30)
    )
    form_post(client, office=str(office.pk))
    report.refresh_from_db()
    assert report.data == before
    newer = Report.objects.exclude(pk=report.pk).get()
    assert as_dicts(table(newer.data, "interagency"))["Итого"]["late"] == 2
    assert as_dicts(table(report.data, "interagency"))["Итого"]["late"] == 1
    page = client.get(reverse("report", args=[report.pk])).content.decode()
    assert page.count("Межведомственные запросы") >= 1


# --- The monthly beat task ----------------------------------------------------------------------


def test_monthly_reports_are_formed_once_on_the_first_working_day(
    office, other_office, freeze_now, catalogue
):
    from onewindow.tasks import form_monthly_reports

    # 01.11.2026 is a Sunday: the first working day of November is Monday 02.11
    freeze_now(datetime.datetime(2026, 11, 1, 6, 15))
    assert form_monthly_reports() == 0
    freeze_now(datetime.datetime(2026, 11, 2, 6, 15))
    assert form_monthly_reports() == 3  # each office and all offices
    assert form_monthly_reports() == 0  # run twice: formed once
    monthly = Report.objects.filter(automatic=True)
    assert monthly.count() == 3
    assert {r.office_id for r in monthly} == {office.pk, other_office.pk, None}
    assert {(r.period_start, r.period_end) for r in monthly} == {(OCT_START, OCT_END)}
    assert all(r.formed_by is None and r.kind == "summary" for r in monthly)
    freeze_now(datetime.datetime(2026, 11, 3, 6, 15))
    assert form_monthly_reports() == 0


def test_monthly_report_waits_for_the_new_year_holidays(office, freeze_now, catalogue):
    from onewindow.tasks import form_monthly_reports

    for day in (1, 9):  # holidays and a Saturday: nothing
        freeze_now(datetime.datetime(2027, 1, day, 6, 15))
        assert form_monthly_reports() == 0
    freeze_now(datetime.datetime(2027, 1, 11, 6, 15))  # Monday 11.01.2027
    assert form_monthly_reports() == 2
    report = Report.objects.get(office=office)
    assert (report.period_start, report.period_end) == (D(2026, 12, 1), D(2026, 12, 31))


def test_a_second_process_cannot_form_the_monthly_report_twice(office, catalogue):
    from django.db import IntegrityError, transaction

    fields = {
        "kind": "summary",
        "period_start": OCT_START,
        "period_end": OCT_END,
        "automatic": True,
    }
    Report.objects.create(office=office, **fields)
    Report.objects.create(office=None, **fields)
    for office_ in (office, None):
        with pytest.raises(IntegrityError), transaction.atomic():
            Report.objects.create(office=office_, **fields)
    # by hand, the same period may be formed again (a corrected month)
    Report.objects.create(office=office, **{**fields, "automatic": False})
    Report.objects.create(office=office, **{**fields, "automatic": False})


def test_the_monthly_report_waits_on_the_directors_page(
    client, director, office, freeze_now, catalogue
):
    from onewindow.tasks import form_monthly_reports

    freeze_now(datetime.datetime(2026, 11, 2, 6, 15))
    form_monthly_reports()
    freeze_now(datetime.datetime(2026, 11, 2, 9, 0))
    client.force_login(director)
    home = client.get(reverse("home")).content.decode()
    report = Report.objects.get(office=office, automatic=True)
    assert "Сформирован ежемесячный отчёт за октябрь 2026 г." in home
    assert reverse("report", args=[report.pk]) in home
    page = client.get(reverse("reports")).content.decode()
    assert "Сводный отчёт за октябрь 2026 г." in page and "(ежемесячный)" in page
    assert reverse("report_pdf", args=[report.pk]) in page
    assert reverse("report_xlsx", args=[report.pk]) in page
    # the director's own page lists it with its page, XLSX and PDF
    desk = client.get(reverse("director")).content.decode()
    assert "Сводный отчёт за октябрь 2026 г." in desk and "(ежемесячный)" in desk
    for name in ("report", "report_xlsx", "report_pdf"):
        assert reverse(name, args=[report.pk]) in desk


def test_the_directors_page_lists_only_reports_of_the_office_picked_and_visible(
    client, director, office, other_office, chief, other_chief, catalogue
):
    mine = reports.form_report(
        kind=reports.SUMMARY, start=OCT_START, end=OCT_END, office=office, actor=chief
    )
    theirs = reports.form_report(
        kind=reports.SUMMARY, start=OCT_START, end=OCT_END, office=other_office,
        actor=other_chief,
    )  # fmt: skip
    client.force_login(director)
    desk = client.get(reverse("director")).content.decode()
    assert reverse("report", args=[mine.pk]) in desk
    # the director of this office reads figures of every office, not another office's reports
    assert reverse("report", args=[theirs.pk]) not in desk
    assert client.get(reverse("report", args=[theirs.pk])).status_code == 404


def test_a_director_without_reports_is_told_when_the_monthly_one_comes(client, director, office):
    client.force_login(director)
    desk = client.get(reverse("director")).content.decode()
    assert "ежемесячный отчёт формируется автоматически в первый рабочий день месяца" in desk


# --- Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"period_start": "2026-10-31", "period_end": "2026-10-01"},
            "Дата окончания периода (01.10.2026) раньше даты начала (31.10.2026).",
        ),
        (
            {"period_start": "2020-01-01", "period_end": "2025-01-01"},
            "Период длиннее пяти лет",
        ),
        (
            {"period_start": "31/10/2026"},
            "Дата начала периода: введите дату в формате ДД.ММ.ГГГГ",
        ),
        ({"period_end": "2026-13-45"}, "Дата окончания периода: введите дату в формате"),
        ({"period_end": ""}, "Укажите дату окончания периода."),
        (
            {"period_end": "2026-12-31"},
            "Дата окончания периода позже сегодняшнего дня (24.11.2026)",
        ),
        ({"kind": "salaries"}, "Выберите вид отчёта из списка."),
        ({"office": ""}, "Выберите учреждение."),
        ({"office": "abc"}, "Выберите учреждение из списка."),
    ],
)
def test_bad_input_is_refused_at_its_field(client, chief, office, overrides, message):
    client.force_login(chief)
    response = form_post(client, **{"office": str(office.pk), **overrides})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'class="field-error"' in page
    assert not Report.objects.exists()


def test_five_years_exactly_is_accepted(client, chief, office, catalogue):
    client.force_login(chief)
    response = form_post(client, office=str(office.pk), period_start="01.01.2021",
                         period_end="31.12.2025")  # fmt: skip
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.period_start, report.period_end) == (D(2021, 1, 1), D(2025, 12, 31))


def test_an_empty_period_forms_a_report_of_zeros(client, chief, office, catalogue):
    client.force_login(chief)
    response = form_post(client, office=str(office.pk), period_start="2024-02-01",
                         period_end="2024-02-29")  # fmt: skip
    report = Report.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "За период данных нет." in page
    assert as_dicts(table(report.data, "services"))["Итого"]["accepted"] == 0
    text = pdf_text(client.get(reverse("report_pdf", args=[report.pk])).content)
    assert "Период: с 01.02.2024 по 29.02.2024" in text and "Итого 0 0 0" in text


def test_another_offices_report_cannot_be_formed_404_and_logged(
    client, chief, office, other_office, catalogue
):
    client.force_login(chief)
    response = form_post(client, office=str(other_office.pk))
    assert response.status_code == 404
    assert not Report.objects.exists()
    refusal = AccessLog.objects.get(event="forbidden", result="refused")
    assert refusal.user == chief and refusal.subject_office == other_office
    # a user of one office may not ask for all offices either
    response = form_post(client, office="")
    assert response.status_code == 200 and "Выберите учреждение." in response.content.decode()


def test_another_offices_report_is_404_and_logged(client, chief, other_chief, other_office):
    report = Report.objects.create(
        kind="summary", office=other_office, period_start=OCT_START, period_end=OCT_END
    )
    all_offices = Report.objects.create(
        kind="summary", office=None, period_start=OCT_START, period_end=OCT_END
    )
    client.force_login(chief)
    for name in ("report", "report_xlsx", "report_pdf"):
        assert client.get(reverse(name, args=[report.pk])).status_code == 404
    assert client.get(reverse("report", args=[all_offices.pk])).status_code == 404
    refused = AccessLog.objects.filter(
        user=chief, result="refused", subject_type="onewindow.report"
    )
    assert refused.count() == 4
    assert refused.filter(subject_office=other_office).count() == 3
    listing = client.get(reverse("reports")).content.decode()
    assert reverse("report", args=[report.pk]) not in listing
    client.force_login(other_chief)
    assert client.get(reverse("report", args=[report.pk])).status_code == 200


def test_the_director_who_sees_all_offices_forms_one_for_all(
    client, office, other_office, catalogue
):
    from django.contrib.auth.models import Permission

    regional = make_user(roles.DIRECTOR, office, "regional", last_name="Региональная")
    regional.user_permissions.add(Permission.objects.get(codename="view_all_offices"))
    client.force_login(regional)
    page = client.get(reverse("reports")).content.decode()
    assert "Все учреждения" in page and other_office.short_name in page
    response = form_post(client, office="")
    report = Report.objects.get()
    assert report.office is None and response.status_code == 302
    response = form_post(client, office=str(other_office.pk))
    assert Report.objects.filter(office=other_office).exists()


def test_specialist_gets_403_with_a_russian_message(client, specialist, office, catalogue):
    report = Report.objects.create(
        kind="summary", office=office, period_start=OCT_START, period_end=OCT_END
    )
    client.force_login(specialist)
    for url in (reverse("reports"), reverse("report", args=[report.pk]),
                reverse("report_pdf", args=[report.pk])):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 403
        assert "Отчёты доступны главному специалисту и директору." in response.content.decode()
    response = form_post(client, office=str(office.pk))
    assert response.status_code == 403 and not Report.objects.filter(formed_by=specialist).exists()
    assert "Отчёты" not in [item["title"] for item in _nav(client)]


def _nav(client):
    response = client.get(reverse("home"))
    return response.context["nav_items"]


def test_reports_are_in_the_navigation_of_the_chief_and_the_director(client, chief, director):
    for user in (chief, director):
        client.force_login(user)
        assert "Отчёты" in [item["title"] for item in _nav(client)]


def test_every_part_is_registered_by_its_app():
    assert [part.code for part in reports.parts()] == [
        "services", "specialists", "selections", "requests", "queue", "archive",
    ]  # fmt: skip
    assert set(reports.PERSON_FIGURES) == {"cases", "selections"}


def test_a_registered_chart_is_drawn_on_the_page_and_in_the_pdf(client, chief, office, catalogue):
    """The hook the charts module (pygal SVG) plugs into: a chart source registered with
    `reports.register_chart` is shown above the tables on the page and inside the PDF."""

    def intake_chart(data):
        total = table(data, "services")["total"][1]
        svg = (
            '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="120">'
            f'<rect x="10" y="10" width="{20 + total * 10}" height="40" fill="#1f4e8c"/>'
            f'<text x="10" y="90" font-size="16">Принято заявлений: {total}</text></svg>'
        )
        return [{"title": "Приём заявлений", "svg": svg}]

    reports.register_chart(intake_chart)
    try:
        client.force_login(chief)
        response = form_post(client, office=str(office.pk))
        page = client.get(response["Location"]).content.decode()
        assert 'alt="Приём заявлений"' in page and "data:image/svg+xml;base64," in page
        report = Report.objects.get()
        text = pdf_text(client.get(reverse("report_pdf", args=[report.pk])).content)
        assert "Принято заявлений: 0" in text  # the SVG drawn inside the PDF
    finally:
        reports.CHARTS.remove(intake_chart)


def test_the_report_draws_its_charts_from_its_own_figures(client, chief, office, october):
    """Every app draws charts of its part (pygal SVG inside the page and the PDF): the services,
    the specialists' workload, the selection items, the archive's movements; each SVG is valid
    XML and carries the figures of the table it draws."""
    from onewindow.charts import svg_values

    report = reports.form_report(
        kind=reports.SUMMARY, start=OCT_START, end=OCT_END, office=office, actor=chief
    )
    charts = {chart["title"]: chart for chart in reports.view_of(report).charts}
    assert list(charts) == [
        "Услуги: принято, назначено, отказано (первые 10)",
        "Межведомственные запросы по ведомствам",
        "Нагрузка специалистов на конец периода",
        "Селекции: создано и отработано",
        "Движение дел архива",
    ]
    services_table = as_dicts(table(report.data, "services"))
    edv = Service.objects.get(code="edv-veterans").short_title
    food = Service.objects.get(code="food-subsidy").short_title
    # every figure of the three series, for both services (pygal draws them in its own order)
    values = svg_values(charts["Услуги: принято, назначено, отказано (первые 10)"]["svg"])
    assert sorted(values) == sorted(
        services_table[name][key]
        for name in (edv, food)
        for key in ("accepted", "granted", "refused")
    )
    assert sorted(values) == [0, 1, 1, 1, 2, 5]
    archive_row = as_dicts(table(report.data, "archive"))["Итого"]
    assert sorted(svg_values(charts["Движение дел архива"]["svg"])) == sorted(
        archive_row[key] for key in ("taken_in", "issued", "returned", "destroyed")
    )

    client.force_login(chief)
    page = client.get(reverse("report", args=[report.pk])).content.decode()
    for title in charts:
        assert f'alt="{title}"' in page
    text = pdf_text(client.get(reverse("report_pdf", args=[report.pk])).content)
    assert "Нагрузка специалистов на конец периода" in text
    assert edv[:30] in text  # a label of the chart (and of its table)


def test_an_empty_report_has_no_empty_charts(office, chief, catalogue):
    report = reports.form_report(
        kind=reports.SUMMARY, start=OCT_START, end=OCT_END, office=office, actor=chief
    )
    assert reports.view_of(report).charts == []


def test_the_chief_s_position_heads_the_signature_line_as_a_title(office, chief):
    chief.position = "главный специалист сектора «Одно окно»"
    chief.save(update_fields=["position"])
    lines = reports.signatories(office)
    assert lines[0].position == "Главный специалист сектора «Одно окно»"
    assert lines[1].position == "Директор"
