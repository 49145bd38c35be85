"""The counter's parts of the reports: services provided, requests, and each specialist's
applications and answers. Aggregate queries only (a few per part, whatever the office's size);
registered into `onewindow.reports` from CasesConfig.ready."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Exists, F, OuterRef, Q

from cases.models import (
    Agency,
    Application,
    ApplicationEvent,
    IncomingRequest,
    InteragencyRequest,
    RequestKind,
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


def services_part(period: Period) -> list[Table]:
    figures: dict[int, dict] = defaultdict(dict)
    accepted = (
        Application.objects.filter(period.office_q(), period.dates("registered_on"))
        .values("service")
        .annotate(n=Count("pk"))
    )
    for row in accepted:
        figures[row["service"]]["accepted"] = row["n"]

    # One row per service and pair of dates: the working days to a decision are counted once
    # per pair, through one pass over the calendar.
    decided = (
        _decisions(period)
        .values("service", "registered_on", "decision_date")
        .annotate(
            n=Count("pk"),
            refused=Count("pk", filter=REFUSED),
            late=Count("pk", filter=LATE),
        )
        .order_by()
    )
    decided = list(decided)
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

    withdrawn = (
        Application.objects.filter(period.office_q(), status=S.WITHDRAWN)
        .filter(events__to_status=S.WITHDRAWN, events__at__gte=period.start_at)
        .filter(events__at__lt=period.end_before)
        .values("service")
        .annotate(n=Count("pk", distinct=True))
    )
    for row in withdrawn:
        figures[row["service"]]["withdrawn"] = row["n"]

    in_progress = (
        _in_progress_at_end(period)
        .values("service")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=Q(deadline__lt=period.end)))
        .order_by()
    )
    for row in in_progress:
        figures[row["service"]]["in_progress"] = row["n"]
        figures[row["service"]]["overdue"] = row["overdue"]

    from services.models import Service

    titles = dict(
        Service.objects.filter(pk__in=figures).values_list("pk", "short_title").order_by()
    )
    columns = [
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
    rows = []
    for service_id in sorted(figures, key=lambda pk: titles.get(pk, "")):
        entry = figures[service_id]
        rows.append(
            [titles.get(service_id, "—")]
            + [entry.get(c.key, 0) for c in columns[1:-1]]
            + [reports.median(durations.get(service_id, []))]
        )
    table = Table(
        "services",
        "Предоставление государственных услуг",
        columns,
        rows,
        sheet="Услуги",
        note="Назначено, отказано, с нарушением срока и медиана — по решениям, принятым в "
        "периоде; срок решения — рабочие дни от регистрации до решения по производственному "
        "календарю.",
    )
    table.total = reports.total_row(columns, rows)
    table.total[-1] = reports.median(pair for pairs in durations.values() for pair in pairs)
    return [table]


def requests_part(period: Period) -> list[Table]:
    answered = [InteragencyRequest.Result.RECEIVED, InteragencyRequest.Result.REFUSED]
    inter: dict[int, dict] = defaultdict(dict)
    for row in (
        InteragencyRequest.objects.filter(period.office_q(), period.dates("sent_on"))
        .values("agency")
        .annotate(n=Count("pk"))
    ):
        inter[row["agency"]]["sent"] = row["n"]
    for row in (
        InteragencyRequest.objects.filter(period.office_q(), period.dates("response_on"))
        .values("agency")
        .annotate(
            on_time=Count("pk", filter=Q(result__in=answered, response_on__lte=F("due_date"))),
            late=Count("pk", filter=Q(result__in=answered, response_on__gt=F("due_date"))),
            no_answer=Count("pk", filter=Q(result=InteragencyRequest.Result.NO_ANSWER)),
        )
    ):
        inter[row["agency"]].update(
            on_time=row["on_time"], late=row["late"], no_answer=row["no_answer"]
        )
    for row in (
        InteragencyRequest.objects.filter(period.office_q(), sent_on__lte=period.end)
        .filter(Q(result="") | Q(response_on__gt=period.end))
        .values("agency")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=period.end)))
    ):
        inter[row["agency"]].update(open=row["open"], overdue=row["overdue"])
    agencies = dict(Agency.objects.filter(pk__in=inter).values_list("pk", "name").order_by())
    inter_columns = [
        Column("agency", "Ведомство", 40, kind="text"),
        Column("sent", "Направлено запросов"),
        Column("on_time", "Ответ получен в срок"),
        Column("late", "Ответ получен с опозданием"),
        Column("no_answer", "Ответ не поступил"),
        Column("open", "Без ответа на конец периода"),
        Column("overdue", "из них срок истёк"),
    ]
    inter_rows = [
        [agencies.get(pk, "—")] + [inter[pk].get(c.key, 0) for c in inter_columns[1:]]
        for pk in sorted(inter, key=lambda pk: agencies.get(pk, ""))
    ]

    incoming: dict[int, dict] = defaultdict(dict)
    for row in (
        IncomingRequest.objects.filter(period.office_q(), period.dates("received_on"))
        .values("kind")
        .annotate(n=Count("pk"))
    ):
        incoming[row["kind"]]["received"] = row["n"]
    for row in (
        IncomingRequest.objects.filter(period.office_q(), period.dates("answered_on"))
        .values("kind")
        .annotate(
            on_time=Count("pk", filter=Q(answered_on__lte=F("due_date"))),
            late=Count("pk", filter=Q(answered_on__gt=F("due_date"))),
        )
    ):
        incoming[row["kind"]].update(on_time=row["on_time"], late=row["late"])
    for row in (
        IncomingRequest.objects.filter(period.office_q(), received_on__lte=period.end)
        .filter(Q(answered_on__isnull=True) | Q(answered_on__gt=period.end))
        .values("kind")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=period.end)))
    ):
        incoming[row["kind"]].update(open=row["open"], overdue=row["overdue"])
    kinds = dict(RequestKind.objects.filter(pk__in=incoming).values_list("pk", "title").order_by())
    in_columns = [
        Column("kind", "Вид запроса", 40, kind="text"),
        Column("received", "Поступило запросов"),
        Column("on_time", "Ответ направлен в срок"),
        Column("late", "Ответ направлен с нарушением срока"),
        Column("open", "Без ответа на конец периода"),
        Column("overdue", "из них срок истёк"),
    ]
    in_rows = [
        [kinds.get(pk, "—")] + [incoming[pk].get(c.key, 0) for c in in_columns[1:]]
        for pk in sorted(incoming, key=lambda pk: kinds.get(pk, ""))
    ]
    return [
        Table(
            "interagency",
            "Межведомственные запросы",
            inter_columns,
            inter_rows,
            sheet="Межведомственные запросы",
            note="Срок ответа — 5 рабочих дней (210-ФЗ, ст. 7.2), если для ведомства не "
            "установлен иной.",
        ),
        Table(
            "incoming",
            "Запросы из других районов и регионов",
            in_columns,
            in_rows,
            sheet="Входящие запросы",
        ),
    ]


def person_figures(period: Period) -> dict[int, dict]:
    people: dict[int, dict] = defaultdict(dict)
    for row in (
        Application.objects.filter(period.office_q(), period.dates("registered_on"))
        .values("accepted_by")
        .annotate(n=Count("pk"))
    ):
        people[row["accepted_by"]]["accepted"] = row["n"]
    for row in (
        _decisions(period)
        .values("specialist")
        .annotate(n=Count("pk"), late=Count("pk", filter=LATE))
    ):
        people[row["specialist"]].update(decided=row["n"], decided_late=row["late"])
    for row in (
        _in_progress_at_end(period)
        .values("specialist")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=Q(deadline__lt=period.end)))
        .order_by()
    ):
        people[row["specialist"]].update(in_progress=row["n"], overdue=row["overdue"])
    for row in (
        IncomingRequest.objects.filter(period.office_q(), period.dates("answered_on"))
        .values("answered_by")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(answered_on__gt=F("due_date"))))
    ):
        people[row["answered_by"]].update(answers=row["n"], answers_late=row["late"])
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
    reports.register_person_figures(
        reports.PersonFigures("cases", PERSON_COLUMNS, person_figures, order=10)
    )
