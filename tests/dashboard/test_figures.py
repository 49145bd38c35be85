"""The dashboard's figures on a known office, and every figure's link: it opens the list behind
it narrowed to exactly those records."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from onewindow import dashboard
from tests.dashboard.builders import make_application, make_selection

pytestmark = pytest.mark.django_db


def scope_of(user, office=None, day=None):
    today = timezone.localdate()
    offices = [office or user.office]
    return dashboard.Scope(
        user=user, offices=offices, office=offices[0], today=today, day=day or today
    )


def figures(board) -> dict:
    return {
        (section.key, figure.label): figure
        for section in board.sections
        for figure in section.figures
    }


def value(board, key: str, prefix: str) -> int:
    found = [f for (k, label), f in figures(board).items() if k == key and label.startswith(prefix)]
    assert len(found) == 1, (key, prefix, list(figures(board)))
    return found[0].value


def test_figures_of_a_known_office(chief, known_office):
    board = dashboard.build(scope_of(chief))
    # intake: 24.11 (today), this week from Monday 23.11, this month from 01.11; the other
    # office's application of today is not counted
    assert [value(board, "intake", p) for p in ("сегодня", "за неделю", "за месяц")] == [1, 2, 5]
    # deadlines: overdue 20.11 and 23.11; due by the 3rd working day (27.11): 26.11 and 27.11;
    # decided 12.11 after its deadline of 10.11 (the one decided in time is not counted)
    assert value(board, "deadlines", "просрочено") == 2
    assert value(board, "deadlines", "истекает") == 2
    assert value(board, "deadlines", "решения позже срока") == 1
    # requests: an answered one and one of a decided application wait for nothing
    assert value(board, "requests", "межведомственные: ждут") == 3
    assert value(board, "requests", "межведомственные: просрочен") == 1
    assert value(board, "requests", "из других районов: не отвечены") == 2
    assert value(board, "requests", "из других районов: просрочены") == 1
    # selections in working days; 21.11 (Saturday) is a working day by the override
    assert value(board, "selections", "в работе") == 5
    assert value(board, "selections", "более 10") == 1
    assert value(board, "selections", "ждут подтверждения") == 1
    assert value(board, "selections", "отработано на этой неделе") == 1
    ages = next(c for c in board.charts if c.key == "selections_age").series[0][1]
    assert ages == [2, 2, 1]
    # archive
    assert value(board, "archive", "выдано") == 2
    assert value(board, "archive", "не возвращено") == 1
    assert value(board, "archive", "не найдено") == 2
    assert (
        value(board, "archive", "можно уничтожить с 2026") == 2
    )  # not the destroyed, not the held
    assert value(board, "archive", "акты на согласовании") == 1
    assert value(board, "archive", "акты на утверждении") == 1
    # assignments: none given in this office yet
    assert value(board, "assignments", "открыто") == 0
    assert value(board, "assignments", "просрочено") == 0


def test_ages_count_working_days_across_the_transferred_saturday(chief, known_office):
    """19.11 is 4 working days ago with Saturday 21.11 working (3 without it); 10.11 is 11 (10)."""
    from onewindow.models import CalendarOverride
    from onewindow.workdays import clear_cache

    board = dashboard.build(scope_of(chief))
    table = next(s for s in board.sections if s.key == "selections").tables[0]
    deaths = next(row for row in table.rows if row.label == "смерть получателей")
    assert [cell.value for cell in deaths.cells[:4]] == [4, 2, 1, 1]
    CalendarOverride.objects.all().delete()
    clear_cache()
    board = dashboard.build(scope_of(chief))
    table = next(s for s in board.sections if s.key == "selections").tables[0]
    deaths = next(row for row in table.rows if row.label == "смерть получателей")
    assert [cell.value for cell in deaths.cells[:4]] == [4, 3, 1, 0]


def test_ageing_and_due_dates_skip_the_holiday_of_4_november(
    client, chief, specialist, office, catalogue, freeze_now
):
    freeze_now(datetime.datetime(2026, 11, 6, 10, 0))  # Friday after the holiday
    # found Monday 02.11: 3 working days ago (03, 05, 06), not 4 — the 4th was a holiday
    make_selection(office, created="02.11.2026", user=specialist, last_name="Понедельникова")
    make_selection(office, created="30.10.2026", user=specialist, last_name="Пятничная")
    board = dashboard.build(scope_of(chief))
    ages = next(c for c in board.charts if c.key == "selections_age").series[0][1]
    assert ages == [1, 1, 0]
    freeze_now(datetime.datetime(2026, 11, 2, 10, 0))  # Monday before the holiday
    # the 3rd working day after 02.11 is 06.11 (03, 05, 06): due on 06.11 is «истекает»
    make_application(office, registered="02.11.2026", deadline="06.11.2026", accepted_by=specialist)
    make_application(office, registered="02.11.2026", deadline="09.11.2026", accepted_by=specialist)
    board = dashboard.build(scope_of(chief))
    assert value(board, "deadlines", "истекает") == 1


# --- links: each figure opens exactly its records -----------------------------------------------

ROW_LINKS = {
    "/cases/journal/": r'href="/cases/applications/(\d+)/"',
    "/selections/": r'href="/selections/(\d+)/"',
    "/archive/": r'href="/archive/files/(\d+)/"',
    "/archive/acts/": r'href="/archive/acts/(\d+)/"',
    "/assignments/": r'href="/assignments/(\d+)/"',
}


def listed(client, url: str) -> list[int]:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    path = url.split("?")[0]
    if path == "/cases/requests/":
        kind = re.search(r"kind=(\w+)", url)
        pattern = rf'href="/cases/{kind.group(1) if kind else "interagency"}/(\d+)/"'
    else:
        pattern = ROW_LINKS[path]
    if path == "/archive/":
        html = html.split('<table class="table">', 1)[1]  # not the overdue banner above it
    return [int(pk) for pk in dict.fromkeys(re.findall(pattern, html))]


def linked_figures(board) -> list:
    found = []
    for section in board.sections:
        found += [(section.title, f) for f in section.figures]
        for table in section.tables:
            for row in [*table.rows, *([table.total] if table.total else [])]:
                found += [(f"{table.caption}: {row.label}", f) for f in row.cells]
    for row in board.workload.rows:
        found += [(f"нагрузка: {row.label}", f) for f in row.cells]
    return [(where, f) for where, f in found if f.url]


def test_every_figure_links_to_exactly_its_records(client, chief, known_office):
    board = dashboard.build(scope_of(chief))
    client.force_login(chief)
    checked = 0
    for where, figure in linked_figures(board):
        ids = listed(client, figure.url)
        assert len(ids) == figure.value, (
            f"{where} «{figure.label}»: {figure.value} → {figure.url} lists {len(ids)}"
        )
        checked += 1
    assert checked > 40
    for chart in board.charts:
        for row in chart.rows:
            if row["url"]:
                assert len(listed(client, row["url"])) == sum(row["values"]), (chart.key, row)
    # and exactly the records, for the figures a chief acts on
    apps, sel, files = (
        known_office["applications"],
        known_office["selections"],
        known_office["files"],
    )
    marks = figures(board)
    assert set(listed(client, marks[("deadlines", "просрочено")].url)) == {
        apps["overdue"].pk,
        apps["old_overdue"].pk,
    }
    soon = next(
        f for (k, label), f in marks.items() if k == "deadlines" and label.startswith("истекает")
    )
    assert set(listed(client, soon.url)) == {apps["monday_soon"].pk, apps["saturday_soon"].pk}
    late = next(f for (k, label), f in marks.items() if label.startswith("решения позже"))
    assert listed(client, late.url) == [apps["late"].pk]
    assert listed(client, marks[("selections", "более 10 рабочих дней")].url) == [sel["tenth"].pk]
    assert listed(client, marks[("selections", "отработано на этой неделе")].url) == [
        sel["worked"].pk
    ]
    assert listed(client, marks[("archive", "не возвращено в срок")].url) == [files["out_late"].pk]
    assert set(listed(client, marks[("archive", "можно уничтожить с 2026 года")].url)) == {
        files["eligible"].pk,
        files["eligible_missing"].pk,
    }
    assert listed(client, marks[("archive", "акты на утверждении у директора")].url) == [
        known_office["acts"]["agreed"].pk
    ]


def test_the_page_shows_the_figures_as_links(client, chief, known_office):
    client.force_login(chief)
    html = client.get(reverse("home")).content.decode()
    assert "Сводка: ЦСЗН Краснооктябрьского района" in html
    overdue = re.search(
        r'<a href="([^"]+)"><span class="figure-value">2</span> <span class="figure-label">просрочено</span>',
        html,
    )
    assert overdue and "overdue=1" in overdue.group(1)
    assert "Нагрузка по специалистам" in html and "Поручения" in html


# --- a bounded number of queries ------------------------------------------------------------------


def _populate(office, specialist, count: int) -> None:
    for n in range(count):
        make_application(
            office,
            registered="23.11.2026",
            deadline="20.11.2026" if n % 2 else "27.11.2026",
            accepted_by=specialist,
            last_name=f"Объёмов{n:03d}",
            code="asp" if n % 3 else "edv-veterans",
        )
        make_selection(office, created="10.11.2026", user=specialist, last_name=f"Селекцов{n:03d}")


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return len(queries)


def test_the_dashboard_reads_as_many_queries_for_30_records_as_for_1(
    client, chief, specialist, office, catalogue, django_assert_max_num_queries
):
    client.force_login(chief)
    _populate(office, specialist, 1)
    client.get(reverse("dashboard"))  # warm the calendar's cache
    few = _queries(client)
    _populate(office, specialist, 29)
    with django_assert_max_num_queries(few):
        response = client.get(reverse("dashboard"))
    assert (
        '<span class="figure-value">30</span> <span class="figure-label">за неделю'
        in response.content.decode()
    )
    assert _queries(client) == few
    assert few <= 40, few
