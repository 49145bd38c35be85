"""The waiting-time norm (issue 23, item 6): the wait statistics of a known day, the queue on the
chief's dashboard (now and the day), and the queue report as a page, an XLSX and a PDF."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cases import queue_stats, services
from cases.models import Ticket
from onewindow.models import Report
from tests.cases.queue_hall import at, build_hall
from tests.factories import make_user
from tests.pdf_utils import pdf_text

pytestmark = pytest.mark.django_db

DAY = datetime.date(
    2026, 11, 23
)  # a Monday, the day before the frozen moment: its reception is over
TODAY = datetime.date(2026, 11, 24)


def minutes(value) -> datetime.timedelta:
    return datetime.timedelta(minutes=value)


# group, wait in minutes (None: never called), status, visit in minutes
KNOWN_DAY = [
    ("А", 2, "done", 5),
    ("А", 4, "done", 7),
    ("А", 6, "no_show", None),
    ("А", 10, "done", 9),
    ("А", 14, "done", 11),
    ("А", 16, "done", 13),
    ("А", 20, "done", 15),
    ("А", 30, "done", 17),
    ("А", None, "waiting", None),
    ("А", None, "waiting", None),
    ("Б", 40, "done", 19),
    ("Б", 60, "no_show", None),
]


def make_ticket(hall, office, day, number, letter, issued, wait=None, status="waiting", visit=None):
    group = hall.children if letter == "А" else hall.veterans
    called = issued + minutes(wait) if wait is not None else None
    finished = called + minutes(visit) if visit is not None else None
    return Ticket.objects.create(
        office=office, day=day, group=group, letter=letter, number=number,
        issued_at=issued, status=status, called_at=called, last_called_at=called,
        call_count=1 if called else 0, started_at=called if visit is not None else None,
        finished_at=finished, no_show_at=called if status == "no_show" else None,
    )  # fmt: skip


@pytest.fixture
def hall(office, catalogue):
    return build_hall(office)


@pytest.fixture
def known_day(hall, office, other_office):
    for i, (letter, wait, status, visit) in enumerate(KNOWN_DAY, start=1):
        make_ticket(hall, office, DAY, i, letter, at(DAY, 9, i), wait, status, visit)
    # another office's visitor waited three hours: not ours
    make_ticket(hall, other_office, DAY, 1, "А", at(DAY, 9), 180, "done", 10)
    return hall


def test_wait_statistics_of_a_known_day(known_day, office):
    tickets = Ticket.objects.filter(office=office, day=DAY)
    total = queue_stats.wait_figures(tickets)[None]
    # waits 2 4 6 10 14 | 16 20 30 40 60: the median halfway between 14 and 16, the 90th
    # percentile a tenth of the way from 40 to 60
    assert (total.median_wait, total.p90_wait) == (15.0, 42.0)
    assert (total.issued, total.called, total.served) == (12, 10, 8)
    # left: two did not come when called, two were never called before closing
    assert (total.no_show, total.uncalled, total.left) == (2, 2, 4)
    # within 15 minutes: 5 of the 10 called and the 2 never called
    assert (total.within_norm, total.judged, total.within_norm_share) == (5, 12, 41.7)
    assert total.median_service == 12.0  # visits 5 7 … 19 minutes

    per_group = queue_stats.wait_figures(tickets, key="group")
    children, veterans = per_group[known_day.children.pk], per_group[known_day.veterans.pk]
    assert (children.median_wait, children.p90_wait, children.within_norm_share) == (
        12.0,
        23.0,
        50.0,
    )
    assert (children.issued, children.served, children.left, children.median_service) == (
        10,
        7,
        3,
        11.0,
    )
    assert (veterans.median_wait, veterans.p90_wait, veterans.within_norm_share) == (
        50.0,
        58.0,
        0.0,
    )
    assert (veterans.issued, veterans.served, veterans.left) == (2, 1, 1)


def test_python_percentile_matches_sql_percentile_cont():
    assert queue_stats.percentile_cont([], 0.5) is None
    assert queue_stats.percentile_cont([7], 0.9) == 7
    assert queue_stats.percentile_cont([1, 2, 3, 4], 0.5) == 2.5
    assert queue_stats.percentile_cont([10, 0, 20], 0.9) == pytest.approx(18.0)


def test_the_norm_is_a_setting(known_day, office, settings):
    settings.QUEUE_WAIT_NORM_MINUTES = 30
    total = queue_stats.wait_figures(Ticket.objects.filter(office=office, day=DAY))[None]
    assert total.within_norm == 8  # 2 … 30 minutes


def test_a_ticket_still_waiting_during_the_day_is_not_left_yet(hall, office, kiosk_issue):
    early = kiosk_issue(at(TODAY, 9, 20))
    kiosk_issue(at(TODAY, 9, 50))
    figures = queue_stats.wait_figures(Ticket.objects.filter(office=office, day=TODAY))[None]
    assert (figures.issued, figures.uncalled, figures.left) == (2, 0, 0)
    # the 09:20 visitor has waited 40 minutes: beyond the norm already; the 09:50 one not yet
    assert (figures.beyond_norm, figures.within_norm_share) == (1, 0.0)
    assert early.status == Ticket.Status.WAITING


@pytest.fixture
def kiosk_issue(hall, office):
    from tests.cases.queue_hall import kiosk_user

    kiosk = kiosk_user(office)

    def issue(moment):
        return services.issue_ticket(office=office, group=hall.children, actor=kiosk, now=moment)

    return issue


def dashboard_queue(page: str) -> str:
    start = page.index('id="dash-queue"')
    return page[start : page.index("</section>", start)]


def test_chief_sees_the_queue_now_and_the_day_on_the_dashboard(
    client, chief, specialist, known_day, office, kiosk_issue
):
    kiosk_issue(at(TODAY, 9, 20))
    kiosk_issue(at(TODAY, 9, 50))
    services.take_window(known_day.window1, actor=specialist)
    client.force_login(chief)

    block = dashboard_queue(client.get(reverse("dashboard")).content.decode())
    assert "Электронная очередь" in block
    assert '<span class="figure-value">2</span> <span class="figure-label">ожидают сейчас' in block
    # the longest wait (40 minutes, beyond the norm) is marked
    assert (
        'figure-warn"><span class="figure-value">40\u00a0мин</span> <span class="figure-label">дольше всех ждёт сейчас'
        in block
    )
    assert '<span class="figure-value">1</span> <span class="figure-label">окон открыто' in block

    block = dashboard_queue(
        client.get(reverse("dashboard"), {"day": "2026-11-23"}).content.decode()
    )
    assert (
        '<span class="figure-value">12</span> <span class="figure-label">талонов выдано за 23.11.2026'
        in block
    )
    assert (
        '<span class="figure-value">15\u00a0мин</span> <span class="figure-label">медиана ожидания за 23.11.2026'
        in block
    )
    assert (
        '<span class="figure-value">42\u00a0мин</span> <span class="figure-label">90% ждали не дольше, за 23.11.2026'
        in block
    )
    assert (
        '<span class="figure-value">42\u00a0%</span> <span class="figure-label">вызваны в пределах 15 мин'
        in block
    )
    assert (
        '<span class="figure-value">4</span> <span class="figure-label">ушли без обслуживания за 23.11.2026'
        in block
    )


def test_dashboard_queue_figures_are_the_office_own(client, other_office, known_day):
    other_chief = make_user("Главный специалист", other_office, "chief-other", last_name="Орлова")
    client.force_login(other_chief)
    block = dashboard_queue(
        client.get(reverse("dashboard"), {"day": "2026-11-23"}).content.decode()
    )
    # their one visitor waited 180 minutes; our twelve tickets are not counted
    assert '<span class="figure-value">1</span> <span class="figure-label">талонов выдано' in block
    assert (
        '<span class="figure-value">180\u00a0мин</span> <span class="figure-label">медиана' in block
    )


def test_dashboard_api_gives_the_queue_figures_with_units(client, chief, known_day):
    client.force_login(chief)
    data = client.get("/api/v1/dashboard/", {"day": "2026-11-23"}).json()
    queue = next(section for section in data["sections"] if section["key"] == "queue")
    median = next(f for f in queue["figures"] if f["label"].startswith("медиана ожидания"))
    assert (median["value"], median["unit"]) == (15, "мин")


def form_queue_report(client, office):
    return client.post(
        reverse("reports"),
        {"kind": "queue", "period_start": "01.11.2026", "period_end": "23.11.2026", "office": str(office.pk)},
    )  # fmt: skip


def test_queue_report_as_page_xlsx_and_pdf(client, chief, office, known_day):
    client.force_login(chief)
    response = form_queue_report(client, office)
    report = Report.objects.get()
    assert response["Location"] == reverse("report", args=[report.pk])
    assert report.office == office and report.kind == "queue"

    page = client.get(response["Location"]).content.decode()
    assert "Отчёт «Электронная очередь» за период с 01.11.2026 по 23.11.2026" in page
    assert "А — Пособия на детей" in page and "Б — Ветераны, льготы" in page
    assert "Медиана ожидания, мин" in page and "42,0" in page and "41,7" in page

    book = load_workbook(io.BytesIO(client.get(reverse("report_xlsx", args=[report.pk])).content))
    sheet = book["Очередь"]
    rows = [[c.value for c in row] for row in sheet.iter_rows() if row[0].value]
    header = next(row for row in rows if row[0] == "Группа услуг")
    body = rows[rows.index(header) + 1 :]
    by_label = {row[0]: dict(zip(header, row, strict=False)) for row in body}
    total = by_label["Итого"]
    assert (total["Выдано талонов"], total["Обслужено"], total["Ушли без обслуживания, всего"]) == (
        12,
        8,
        4,
    )
    assert (total["Медиана ожидания, мин"], total["90% ждали не дольше, мин"]) == (15.0, 42.0)
    assert (total["Вызваны в пределах нормы, %"], total["Медиана приёма, мин"]) == (41.7, 12.0)
    veterans = by_label["Б — Ветераны, льготы"]
    assert (veterans["Медиана ожидания, мин"], veterans["Не явились на вызов"]) == (50.0, 1)

    text = pdf_text(client.get(reverse("report_pdf", args=[report.pk])).content)
    assert "ОТЧЁТ «ЭЛЕКТРОННАЯ ОЧЕРЕДЬ»" in text
    assert "Пособия на детей 10 7 1 2 3 12,0 23,0 50,0 11,0" in text
    assert "Итого 12 8 2 2 4 15,0 42,0 41,7 12,0" in text


def test_queue_report_of_the_office_leaves_out_other_offices(client, other_office, known_day):
    other_chief = make_user("Главный специалист", other_office, "chief-other", last_name="Орлова")
    client.force_login(other_chief)
    form_queue_report(client, other_office)
    report = Report.objects.get()
    queue = report.data["sections"][0]["tables"][0]
    assert [row[:2] for row in queue["rows"]] == [["А — Пособия на детей", 1]]
    assert queue["total"][6] == 180.0
    # and our office is not theirs to report on
    assert form_queue_report(client, known_day.office).status_code == 404


def test_specialist_is_refused_the_queue_report(client, specialist, office, known_day):
    client.force_login(specialist)
    assert form_queue_report(client, office).status_code == 403
    assert client.get(reverse("reports")).status_code == 403
    assert not Report.objects.exists()


def test_a_booked_visitor_who_came_early_waits_from_the_booked_time(hall, office):
    """Checked in at 9:50 for 10:15, called at 10:17: two minutes of our wait, not 27."""
    ticket = make_ticket(hall, office, DAY, 1, "А", at(DAY, 9, 50), 27, "done", 5)
    Ticket.objects.filter(pk=ticket.pk).update(booked_for=at(DAY, 10, 15))
    late = make_ticket(hall, office, DAY, 2, "А", at(DAY, 10, 40), 4, "done", 5)
    Ticket.objects.filter(pk=late.pk).update(booked_for=at(DAY, 10, 15))  # came late: from issue
    total = queue_stats.wait_figures(Ticket.objects.filter(office=office, day=DAY))[None]
    assert total.median_wait == pytest.approx(3.0)  # (2 + 4) / 2
