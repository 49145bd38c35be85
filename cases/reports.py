"""The counter's parts of the reports: services provided, requests, and each specialist's
applications and answers. Aggregate queries only (a few per part, whatever the office's size);
registered into `onewindow.reports` from CasesConfig.ready."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Exists, F, OuterRef, Q

from cases import queue_stats
from cases.models import (
    Agency,
    Application,
    ApplicationEvent,
    Booking,
    IncomingRequest,
    InteragencyRequest,
    RequestKind,
    ServiceGroup,
    Ticket,
)
from onewindow import reports, workdays
from onewindow.charts import report_table_chart
from onewindow.reports import Column, Period, Table

S = Application.Status


def _in_progress_at_end(period: Period):
    """Applications registered by the period's end and neither decided nor withdrawn by then
    (an application decided later counts as in progress on the period's last day)."""
    withdrawn_by_end = ApplicationEvent.objects.filter(
        application=OuterRef("pk"), to_status=S.WITHDRAWN, at__lt=period.end_before
    )
    return (
        Application.objects.filter(period.office_q(), registered_on__lte=period.end)
        .filter(Q(decision_date__isnull=True) | Q(decision_date__gt=period.end))
        .exclude(Q(status=S.WITHDRAWN) & Exists(withdrawn_by_end))
    )


def _decisions(period: Period):
    return Application.objects.filter(period.office_q(), period.dates("decision_date"))


# A decision is a refusal when the lifecycle went to «отказано» (a refusal may rest on the
# regulation's grounds alone, without a free-text reason; a notified one no longer says which).
REFUSED = Exists(ApplicationEvent.objects.filter(application=OuterRef("pk"), to_status=S.REFUSED))
LATE = Q(decision_date__gt=F("deadline"))


def _gather(figures: dict, queryset, key: str, **aggregates) -> None:
    """Per value of `key`, the aggregates (named as the figures they fill) added to `figures`."""
    for row in queryset.values(key).annotate(**aggregates).order_by():
        figures[row[key]].update({name: row[name] for name in aggregates})


def _rows(figures: dict, titles: dict, columns: list[Column]) -> list[list]:
    """One row per key of `figures`, by its title: the title, then every column's figure."""
    return [
        [titles.get(pk, "—")] + [figures[pk].get(c.key, 0) for c in columns[1:]]
        for pk in sorted(figures, key=lambda pk: titles.get(pk, ""))
    ]


def _service_figures(period: Period) -> tuple[dict, dict]:
    """Per service: the figures of the period and the (working days, count) of its decisions."""
    figures: dict[int, dict] = defaultdict(dict)
    _gather(
        figures,
        Application.objects.filter(period.office_q(), period.dates("registered_on")),
        "service",
        accepted=Count("pk"),
    )
    # One row per service and pair of dates: the working days to a decision are counted once
    # per pair, through one pass over the calendar.
    decided = list(
        _decisions(period)
        .values("service", "registered_on", "decision_date")
        .annotate(
            n=Count("pk"),
            refused=Count("pk", filter=REFUSED),
            late=Count("pk", filter=LATE),
        )
        .order_by()
    )
    durations: dict[int, list[tuple[int, int]]] = defaultdict(list)
    if decided:
        index = workdays.WorkdayIndex(
            min(row["registered_on"] for row in decided),
            max(row["decision_date"] for row in decided),
        )
        for row in decided:
            entry = figures[row["service"]]
            entry["granted"] = entry.get("granted", 0) + row["n"] - row["refused"]
            entry["refused"] = entry.get("refused", 0) + row["refused"]
            entry["late"] = entry.get("late", 0) + row["late"]
            days = index.between(row["registered_on"], row["decision_date"])
            durations[row["service"]].append((days, row["n"]))
    _gather(
        figures,
        Application.objects.filter(period.office_q(), status=S.WITHDRAWN)
        .filter(events__to_status=S.WITHDRAWN, events__at__gte=period.start_at)
        .filter(events__at__lt=period.end_before),
        "service",
        withdrawn=Count("pk", distinct=True),
    )
    _gather(
        figures,
        _in_progress_at_end(period),
        "service",
        in_progress=Count("pk"),
        overdue=Count("pk", filter=Q(deadline__lt=period.end)),
    )
    for service_id, entry in figures.items():
        entry["median"] = reports.median(durations.get(service_id, []))
    return figures, durations


SERVICE_COLUMNS = [
    Column("service", "Услуга", 48, kind="text"),
    Column("accepted", "Принято заявлений"),
    Column("granted", "Назначено (предоставлено)"),
    Column("refused", "Отказано"),
    Column("withdrawn", "Отозвано заявителем"),
    Column("in_progress", "В работе на конец периода"),
    Column("overdue", "из них просрочено"),
    Column("late", "Решено с нарушением срока"),
    Column("median", "Медиана срока решения, рабочих дней", 18, summed=False),
]


def services_part(period: Period) -> list[Table]:
    from services.models import Service

    figures, durations = _service_figures(period)
    titles = dict(
        Service.objects.filter(pk__in=figures).values_list("pk", "short_title").order_by()
    )
    rows = _rows(figures, titles, SERVICE_COLUMNS)
    table = Table(
        "services",
        "Предоставление государственных услуг",
        SERVICE_COLUMNS,
        rows,
        sheet="Услуги",
        note="Назначено, отказано, с нарушением срока и медиана — по решениям, принятым в "
        "периоде; срок решения — рабочие дни от регистрации до решения по производственному "
        "календарю.",
    )
    table.total = reports.total_row(SERVICE_COLUMNS, rows)
    table.total[-1] = reports.median(pair for pairs in durations.values() for pair in pairs)
    return [table]


def _request_figures(
    period: Period,
    queryset,
    key: str,
    *,
    came: tuple[str, str],
    answered: str,
    answers: dict,
    unanswered: Q,
) -> dict:
    """Per value of `key`, the requests of one kind: how many came (`came`: the figure and the
    date field), how they were answered in the period (`answered`: the date field; `answers`:
    the figures) and how many stood without an answer at its end, overdue among them."""
    figures: dict[int, dict] = defaultdict(dict)
    queryset = queryset.filter(period.office_q())
    name, came_on = came
    _gather(figures, queryset.filter(period.dates(came_on)), key, **{name: Count("pk")})
    _gather(figures, queryset.filter(period.dates(answered)), key, **answers)
    _gather(
        figures,
        queryset.filter(**{f"{came_on}__lte": period.end}).filter(unanswered),
        key,
        open=Count("pk"),
        overdue=Count("pk", filter=Q(due_date__lt=period.end)),
    )
    return figures


INTERAGENCY_COLUMNS = [
    Column("agency", "Ведомство", 40, kind="text"),
    Column("sent", "Направлено запросов"),
    Column("on_time", "Ответ получен в срок"),
    Column("late", "Ответ получен с опозданием"),
    Column("no_answer", "Ответ не поступил"),
    Column("open", "Без ответа на конец периода"),
    Column("overdue", "из них срок истёк"),
]
INCOMING_COLUMNS = [
    Column("kind", "Вид запроса", 40, kind="text"),
    Column("received", "Поступило запросов"),
    Column("on_time", "Ответ направлен в срок"),
    Column("late", "Ответ направлен с нарушением срока"),
    Column("open", "Без ответа на конец периода"),
    Column("overdue", "из них срок истёк"),
]


def requests_part(period: Period) -> list[Table]:
    answered = [InteragencyRequest.Result.RECEIVED, InteragencyRequest.Result.REFUSED]
    inter = _request_figures(
        period,
        InteragencyRequest.objects.all(),
        "agency",
        came=("sent", "sent_on"),
        answered="response_on",
        answers={
            "on_time": Count("pk", filter=Q(result__in=answered, response_on__lte=F("due_date"))),
            "late": Count("pk", filter=Q(result__in=answered, response_on__gt=F("due_date"))),
            "no_answer": Count("pk", filter=Q(result=InteragencyRequest.Result.NO_ANSWER)),
        },
        unanswered=Q(result="") | Q(response_on__gt=period.end),
    )
    agencies = dict(Agency.objects.filter(pk__in=inter).values_list("pk", "name").order_by())
    incoming = _request_figures(
        period,
        IncomingRequest.objects.all(),
        "kind",
        came=("received", "received_on"),
        answered="answered_on",
        answers={
            "on_time": Count("pk", filter=Q(answered_on__lte=F("due_date"))),
            "late": Count("pk", filter=Q(answered_on__gt=F("due_date"))),
        },
        unanswered=Q(answered_on__isnull=True) | Q(answered_on__gt=period.end),
    )
    kinds = dict(RequestKind.objects.filter(pk__in=incoming).values_list("pk", "title").order_by())
    return [
        Table(
            "interagency",
            "Межведомственные запросы",
            INTERAGENCY_COLUMNS,
            _rows(inter, agencies, INTERAGENCY_COLUMNS),
            sheet="Межведомственные запросы",
            note="Срок ответа — 5 рабочих дней (210-ФЗ, ст. 7.2), если для ведомства не "
            "установлен иной.",
        ),
        Table(
            "incoming",
            "Запросы из других районов и регионов",
            INCOMING_COLUMNS,
            _rows(incoming, kinds, INCOMING_COLUMNS),
            sheet="Входящие запросы",
        ),
    ]


def person_figures(period: Period) -> dict[int, dict]:
    people: dict[int, dict] = defaultdict(dict)
    _gather(
        people,
        Application.objects.filter(period.office_q(), period.dates("registered_on")),
        "accepted_by",
        accepted=Count("pk"),
    )
    _gather(
        people,
        _decisions(period),
        "specialist",
        decided=Count("pk"),
        decided_late=Count("pk", filter=LATE),
    )
    _gather(
        people,
        _in_progress_at_end(period),
        "specialist",
        in_progress=Count("pk"),
        overdue=Count("pk", filter=Q(deadline__lt=period.end)),
    )
    _gather(
        people,
        IncomingRequest.objects.filter(period.office_q(), period.dates("answered_on")),
        "answered_by",
        answers=Count("pk"),
        answers_late=Count("pk", filter=Q(answered_on__gt=F("due_date"))),
    )
    return people


PERSON_COLUMNS = [
    Column("accepted", "Принято заявлений"),
    Column("decided", "Решений по заявлениям"),
    Column("decided_late", "из них с нарушением срока"),
    Column("in_progress", "Заявлений в работе"),
    Column("overdue", "из них просрочено"),
    Column("answers", "Ответов на входящие запросы"),
    Column("answers_late", "из них с нарушением срока"),
]


QUEUE_COLUMNS = [
    Column("group", "Группа услуг", 36, kind="text"),
    Column("issued", "Выдано талонов"),
    Column("served", "Обслужено"),
    Column("no_show", "Не явились на вызов"),
    Column("uncalled", "Не вызваны до конца приёма"),
    Column("left", "Ушли без обслуживания, всего"),
    Column("median_wait", "Медиана ожидания, мин", summed=False),
    Column("p90_wait", "90% ждали не дольше, мин", summed=False),
    Column("within_norm", "Вызваны в пределах нормы, %", summed=False),
    Column("median_service", "Медиана приёма, мин", summed=False),
    Column("booked", "Записаны заранее"),
    Column("booking_missed", "Не пришли по записи"),
]


def _queue_row(
    title: str, figures: queue_stats.WaitFigures | None, booked: queue_stats.BookingFigures | None
) -> list:
    figures = figures or queue_stats.WaitFigures()
    booked = booked or queue_stats.BookingFigures()
    return [
        title,
        figures.issued,
        figures.served,
        figures.no_show,
        figures.uncalled,
        figures.left,
        figures.median_wait,
        figures.p90_wait,
        figures.within_norm_share,
        figures.median_service,
        booked.booked,
        booked.missed,
    ]


def queue_part(period: Period) -> list[Table]:
    """The waiting-time norm per service group and in total: tickets, served, left without
    service, the median and 90th percentile wait, the share called within the norm, the median
    visit. The total's percentiles are computed over every ticket, not added up."""
    tickets = Ticket.objects.filter(period.office_q(), period.dates("day"))
    bookings = Booking.objects.filter(period.office_q(), period.dates("day"))
    per_group = queue_stats.wait_figures(tickets, key="group")
    booked = queue_stats.booking_figures(bookings, key="group")
    groups = {
        pk: (letter, f"{letter} — {title}")
        for pk, letter, title in ServiceGroup.objects.filter(pk__in=[*per_group, *booked])
        .values_list("pk", "letter", "title")
        .order_by()
    }
    rows = [
        _queue_row(groups[pk][1], per_group.get(pk), booked.get(pk))
        for pk in sorted(groups, key=lambda pk: (groups[pk][0], pk))
    ]
    total = (
        _queue_row(
            "Итого",
            queue_stats.wait_figures(tickets)[None],
            queue_stats.BookingFigures.total(booked.values()),
        )
        if rows
        else None
    )
    norm = int(queue_stats.wait_norm().total_seconds() // 60)
    return [
        Table(
            "queue",
            "Электронная очередь: ожидание и обслуживание",
            QUEUE_COLUMNS,
            rows,
            sheet="Очередь",
            total=total,
            has_total=bool(rows),
            note=f"Ожидание — от выдачи талона до первого вызова; норма — {norm} мин. Доля в "
            "пределах нормы — среди вызванных и тех, кто ждал дольше нормы и не был вызван. "
            "Приём — от начала до завершения. Группа — та, в которой талон был обслужен "
            "(после перенаправления — новая). Записаны заранее — без отменённых записей; не "
            "пришли по записи — не отметились на киоске до конца льготного времени после "
            "начала интервала (их талонов нет среди выданных).",
        )
    ]


def charts(data: dict) -> list[dict]:
    """The report's charts of services and requests (drawn from its stored tables)."""
    return [
        *report_table_chart(
            data, "services", title="Услуги: принято, назначено, отказано (первые 10)",
            keys=["accepted", "granted", "refused"],
        ),
        *report_table_chart(
            data, "interagency", title="Межведомственные запросы по ведомствам",
            keys=["sent", "on_time", "late"],
        ),
    ]  # fmt: skip


def register() -> None:
    reports.register_chart(charts, order=10)
    reports.register(
        reports.ReportPart(
            "services", "Предоставление государственных услуг", services_part, order=10
        )
    )
    reports.register(reports.ReportPart("requests", "Запросы", requests_part, order=40))
    reports.register(reports.ReportPart("queue", "Электронная очередь", queue_part, order=45))
    reports.register_person_figures(
        reports.PersonFigures("cases", PERSON_COLUMNS, person_figures, order=10)
    )
