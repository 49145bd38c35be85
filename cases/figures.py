"""The counter's figures for the dashboard (`onewindow.dashboard`): intake, deadlines, requests,
open work per person, and the data of two charts.

Each section reads a fixed number of queries (conditional aggregates, grouped by service,
person or agency), whatever the number of applications; each figure links to the journal or to
«Запросы» narrowed by the same conditions those lists apply (`cases.forms.JournalFilterForm`,
`cases.views.requests._request_querysets`), so a figure and its list agree.
"""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.utils import timezone

from cases import queue_stats
from cases.forms import JournalFilterForm
from cases.models import Application, Booking, IncomingRequest, InteragencyRequest, Ticket
from onewindow import workdays
from onewindow.dashboard import (
    Chart,
    Figure,
    Row,
    Scope,
    Section,
    Table,
    WorkloadSource,
    last_working_days,
)
from onewindow.names import short_name

JOURNAL, VIEW_JOURNAL = "cases:journal", "cases.view_application"
REQUESTS, VIEW_REQUESTS = "cases:requests", "cases.view_incomingrequest"
CHART_WORKING_DAYS = 30
TOP_SERVICES = 10


def _iso(day) -> str:
    return day.isoformat()


def _person(row: dict, prefix: str) -> str:
    return (
        short_name(
            row[f"{prefix}__last_name"], row[f"{prefix}__first_name"], row[f"{prefix}__middle_name"]
        )
        or "—"
    )


def _names(prefix: str) -> list[str]:
    return [prefix, f"{prefix}__last_name", f"{prefix}__first_name", f"{prefix}__middle_name"]


# --- Intake -------------------------------------------------------------------------------------


def intake_section(scope: Scope) -> Section:
    day, week, month = scope.day, scope.week_start, scope.month_start
    since = min(week, month)
    accepted = Application.objects.filter(scope.where(), registered_on__range=(since, day))
    counts = {
        "today": Count("id", filter=Q(registered_on=day)),
        "week": Count("id", filter=Q(registered_on__gte=week)),
        "month": Count("id", filter=Q(registered_on__gte=month)),
    }
    totals = accepted.aggregate(**counts)
    by_service = list(
        accepted.values("service", "service__short_title")
        .annotate(**counts)
        .order_by("service__short_title")
    )
    by_person = list(accepted.values(*_names("accepted_by")).annotate(**counts).order_by("accepted_by__last_name", "accepted_by"))  # fmt: skip
    # a past day chosen on the dashboard is named by its date, not «сегодня»
    on_day = "сегодня" if day == scope.today else f"за {day:%d.%m.%Y}"
    periods = [("today", on_day, day), ("week", "за неделю", week), ("month", "за месяц", month)]

    def link(start, **params) -> str:
        return scope.link(JOURNAL, VIEW_JOURNAL, date_from=_iso(start), date_to=_iso(day), **params)

    def cells(row: dict, **params) -> list[Figure]:
        return [
            Figure(title, row[key], link(start, **params) if row[key] else "")
            for key, title, start in periods
        ]

    service_rows = [
        Row(row["service__short_title"], cells(row, service=row["service"]))
        for row in by_service
        if row["month"] or row["week"] or row["today"]
    ]
    person_rows = [Row(_person(row, "accepted_by"), cells(row, accepted_by=row["accepted_by"])) for row in by_person]  # fmt: skip
    first = f"Сегодня, {day:%d.%m}" if day == scope.today else f"День {day:%d.%m.%Y}"
    columns = [first, f"Неделя с {week:%d.%m}", f"Месяц с {month:%d.%m}"]
    top = sorted(by_service, key=lambda row: (-row["month"], row["service__short_title"]))
    top = [row for row in top if row["month"]][:TOP_SERVICES]
    return Section(
        "intake",
        "Приём заявлений",
        figures=[Figure(title, totals[key], link(start)) for key, title, start in periods],
        tables=[
            Table(
                "Принято заявлений по услугам",
                "Услуга",
                columns,
                service_rows,
                total=Row("Итого", cells(totals)) if service_rows else None,
            ),
            Table("Принято заявлений по специалистам", "Принял", columns, person_rows),
        ],
        charts=[
            intake_chart(scope),
            Chart(
                "top_services",
                f"Услуги месяца: больше всего заявлений с {month:%d.%m.%Y}",
                [row["service__short_title"] for row in top],
                [("Заявления", [row["month"] for row in top])],
                kind="hbar",
                label_header="Услуга",
                urls=[link(month, service=row["service"]) for row in top],
            ),
        ],
        note=f"За {day:%d.%m.%Y}, неделю и месяц по этот день.",
    )


def intake_chart(scope: Scope) -> Chart:
    days = last_working_days(scope.day, CHART_WORKING_DAYS)
    counts = dict(
        Application.objects.filter(scope.where(), registered_on__range=(days[0], scope.day))
        .values_list("registered_on")
        .annotate(n=Count("id"))
        .order_by()
    )
    return Chart(
        "intake_days",
        f"Приём по рабочим дням: последние {len(days)}",
        [f"{d:%d.%m}" for d in days],
        [("Заявления", [counts.get(d, 0) for d in days])],
        kind="bar",
        label_header="День",
        urls=[scope.link(JOURNAL, VIEW_JOURNAL, date_from=_iso(d), date_to=_iso(d)) for d in days],
    )


# --- Deadlines ----------------------------------------------------------------------------------


def soon_last_day(scope: Scope):
    return workdays.add_working_days(scope.today, JournalFilterForm.SOON_WORKING_DAYS)


def open_by_specialist(scope: Scope) -> list[dict]:
    """Open applications per responsible specialist: all, overdue, due soon (one query, shared
    by the deadlines table and the workload)."""

    def compute():
        today, last = scope.today, soon_last_day(scope)
        return list(
            Application.objects.filter(scope.where(), status__in=Application.OPEN_STATUSES)
            .values(*_names("specialist"))
            .annotate(
                total=Count("id"),
                overdue=Count("id", filter=Q(deadline__lt=today)),
                soon=Count("id", filter=Q(deadline__gte=today, deadline__lte=last)),
            )
            .order_by("specialist__last_name", "specialist")
        )

    return scope.cached("cases.open_by_specialist", compute)


def deadlines_section(scope: Scope) -> Section:
    today, last = scope.today, soon_last_day(scope)
    month_start, month_end = scope.month_start, scope.month_end
    per_person = open_by_specialist(scope)
    overdue = sum(row["overdue"] for row in per_person)
    soon = sum(row["soon"] for row in per_person)
    late = Application.objects.filter(
        scope.where(),
        status__in=Application.DECIDED_STATUSES,
        decision_date__range=(month_start, month_end),
        decision_date__gt=F("deadline"),
    ).count()

    def link(**params) -> str:
        return scope.link(JOURNAL, VIEW_JOURNAL, all_dates=1, **params)

    rows = [
        Row(
            _person(row, "specialist"),
            [
                Figure(
                    "просрочено",
                    row["overdue"],
                    link(overdue=1, specialist=row["specialist"]) if row["overdue"] else "",
                    alarm=True,
                ),
                Figure(
                    "истекает",
                    row["soon"],
                    link(due="soon", specialist=row["specialist"]) if row["soon"] else "",
                ),
            ],
        )
        for row in per_person
        if row["overdue"] or row["soon"]
    ]
    return Section(
        "deadlines",
        "Сроки решений",
        figures=[
            Figure("просрочено", overdue, link(overdue=1), alarm=True),
            Figure(f"истекает в ближайшие 3 рабочих дня (по {last:%d.%m})", soon, link(due="soon")),
            Figure(
                f"решения позже срока за {month_start:%m.%Y}",
                late,
                link(due="late", decided_from=_iso(month_start), decided_to=_iso(month_end)),
                alarm=True,
            ),
        ],
        tables=[
            Table(
                "Открытые заявления по срокам, по исполнителям",
                "Исполнитель",
                ["Просрочено", "Истекает за 3 рабочих дня"],
                rows,
            )
        ]
        if rows
        else [],
        note=f"На {today:%d.%m.%Y}; сроки в рабочих днях производственного календаря.",
    )


# --- Requests -----------------------------------------------------------------------------------

AWAITED = Q(result="", application__status__in=Application.OPEN_STATUSES)


def requests_section(scope: Scope) -> Section:
    today = scope.today
    by_agency = list(
        InteragencyRequest.objects.filter(scope.where(), AWAITED)
        .values("agency", "agency__name")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_date__lt=today)))
        .order_by("agency__name")
    )
    incoming = IncomingRequest.objects.filter(scope.where(), answered_on__isnull=True).aggregate(
        open=Count("id"), overdue=Count("id", filter=Q(due_date__lt=today))
    )

    def link(kind: str, show: str, **params) -> str:
        return scope.link(REQUESTS, VIEW_REQUESTS, kind=kind, show=show, **params)

    open_total = sum(row["open"] for row in by_agency)
    overdue_total = sum(row["overdue"] for row in by_agency)
    rows = [
        Row(
            row["agency__name"],
            [
                Figure("открыто", row["open"], link("interagency", "open", agency=row["agency"])),
                Figure(
                    "просрочено",
                    row["overdue"],
                    link("interagency", "overdue", agency=row["agency"]) if row["overdue"] else "",
                    alarm=True,
                ),
            ],
        )
        for row in by_agency
    ]
    return Section(
        "requests",
        "Запросы",
        figures=[
            Figure("межведомственные: ждут ответа", open_total, link("interagency", "open")),
            Figure(
                "межведомственные: просрочен ответ",
                overdue_total,
                link("interagency", "overdue"),
                alarm=True,
            ),
            Figure("из других районов: не отвечены", incoming["open"], link("incoming", "open")),
            Figure(
                "из других районов: просрочены",
                incoming["overdue"],
                link("incoming", "overdue"),
                alarm=True,
            ),
        ],
        tables=[
            Table(
                "Межведомственные запросы по ведомствам",
                "Ведомство",
                ["Ждут ответа", "Просрочен ответ"],
                rows,
                total=Row(
                    "Итого",
                    [
                        Figure("открыто", open_total, link("interagency", "open")),
                        Figure(
                            "просрочено", overdue_total, link("interagency", "overdue"), alarm=True
                        ),
                    ],
                )
                if rows
                else None,
            )
        ],
        note=f"На {today:%d.%m.%Y}.",
    )


# --- The queue ---------------------------------------------------------------------------------


def _whole(value: float | None) -> int | None:
    return None if value is None else round(value)


def queue_section(scope: Scope) -> Section:
    """The hall now (who waits, the longest wait so far, windows open) and the day (median and
    90th percentile wait, share called within the norm, left without service)."""
    norm = queue_stats.wait_norm()
    norm_minutes = int(norm.total_seconds() // 60)
    now = queue_stats.queue_now(scope.where())
    day = queue_stats.wait_figures(Ticket.objects.filter(scope.where(), day=scope.day))[None]
    booked = queue_stats.booking_figures(Booking.objects.filter(scope.where(), day=scope.day))[None]
    on = "сегодня" if scope.day == scope.today else f"за {scope.day:%d.%m.%Y}"
    share = day.within_norm_share
    figures = [
        Figure("ожидают сейчас", now.waiting),
        Figure(
            "дольше всех ждёт сейчас",
            now.longest_wait,
            alarm=now.longest_wait is not None and now.longest_wait > norm_minutes,
            unit="мин",
        ),
        Figure("окон открыто", now.windows_open),
        Figure(f"талонов выдано {on}", day.issued),
        Figure(f"медиана ожидания {on}", _whole(day.median_wait), unit="мин"),
        Figure(f"90% ждали не дольше, {on}", _whole(day.p90_wait), unit="мин"),
        Figure(
            f"вызваны в пределах {norm_minutes} мин",
            _whole(share),
            unit="%",
        ),
        Figure(f"ушли без обслуживания {on}", day.left, alarm=True),
        Figure(f"не пришли по записи {on}", booked.missed),
    ]
    return Section(
        "queue",
        "Электронная очередь",
        figures=figures,
        note=f"Сейчас — на {timezone.localtime():%H:%M}; за день — {scope.day:%d.%m.%Y}. "
        f"Норма ожидания — {norm_minutes} мин от выдачи талона до вызова. Ушли без "
        "обслуживания — не явились на вызов и не вызваны до конца приёма. Не пришли по записи — "
        "записанные заранее, кто не отметился на киоске до конца льготного времени.",
    )


# --- Open work per person -----------------------------------------------------------------------


def applications_per_person(scope: Scope) -> dict[int, int]:
    return {row["specialist"]: row["total"] for row in open_by_specialist(scope)}


def interagency_per_person(scope: Scope) -> dict[int, int]:
    rows = (
        InteragencyRequest.objects.filter(scope.where(), AWAITED)
        .values_list("handled_by")
        .annotate(n=Count("id"))
        .order_by()
    )
    return dict(rows)


def incoming_per_person(scope: Scope) -> dict[int, int]:
    rows = (
        IncomingRequest.objects.filter(scope.where(), answered_on__isnull=True)
        .values_list("assigned_to")
        .annotate(n=Count("id"))
        .order_by()
    )
    return dict(rows)


def register() -> None:
    from onewindow import dashboard

    dashboard.register_section("intake", intake_section, order=10)
    dashboard.register_section("deadlines", deadlines_section, order=20)
    dashboard.register_section("requests", requests_section, order=30)
    dashboard.register_section("queue", queue_section, order=15)
    dashboard.register_workload(
        WorkloadSource(
            "applications", "Заявления", applications_per_person,
            lambda scope, pk: scope.link(JOURNAL, VIEW_JOURNAL, all_dates=1, status="open", specialist=pk),
            order=10,
        )
    )  # fmt: skip
    dashboard.register_workload(
        WorkloadSource(
            "interagency",
            "Межведомственные запросы",
            interagency_per_person,
            lambda scope, pk: scope.link(
                REQUESTS, VIEW_REQUESTS, kind="interagency", show="open", specialist=pk
            ),
            order=20,
        )
    )
    dashboard.register_workload(
        WorkloadSource(
            "incoming",
            "Запросы из других районов",
            incoming_per_person,
            lambda scope, pk: scope.link(
                REQUESTS, VIEW_REQUESTS, kind="incoming", show="open", specialist=pk
            ),
            order=25,
        )
    )
