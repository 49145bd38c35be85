"""The selections' part of the reports: per source and kind of extract — rows received and how
they matched, items created, worked out by outcome, open at the period's end — and each
specialist's items. Aggregate queries only; registered from ReconciliationConfig.ready."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q

from onewindow import reports
from onewindow.charts import report_table_chart
from onewindow.reports import Column, Period, Table
from reconciliation.models import Kind, ReconciliationRun, Selection, Source

OUTCOME = Selection.Outcome


def _label(source: str, kind: str) -> str:
    return (
        f"{Source(source).label}: {Kind(kind).label}"
        if source in Source.values and kind in Kind.values
        else f"{source}: {kind}"
    )


def _open_at_end(period: Period):
    """Items created by the period's end and not yet worked out then."""
    return Selection.objects.filter(period.office_q(), created_at__lt=period.end_before).filter(
        Q(worked_at__isnull=True) | Q(worked_at__gte=period.end_before)
    )


RECEIVED_COLUMNS = [
    Column("label", "Источник и вид сведений", 44, kind="text"),
    Column("runs", "Сверок"),
    Column("rows_total", "Строк получено"),
    Column("rows_invalid", "Ошибочных строк"),
    Column("matched_snils", "Совпало по СНИЛС"),
    Column("matched_name_dob", "Совпало по ФИО и дате рождения"),
    Column("probable", "Вероятных совпадений"),
    Column("snils_only", "Совпал только СНИЛС"),
    Column("ambiguous", "Неоднозначных"),
    Column("unmatched", "Без совпадения"),
]
WORK_COLUMNS = [
    Column("label", "Источник и вид сведений", 44, kind="text"),
    Column("created", "Селекций создано"),
    Column("worked", "Отработано"),
    Column(f"out_{OUTCOME.STOPPED}", "меры прекращены"),
    Column(f"out_{OUTCOME.SUSPENDED}", "меры приостановлены"),
    Column(f"out_{OUTCOME.DOCUMENTS}", "запрошены документы"),
    Column(f"out_{OUTCOME.RECALCULATE}", "нужен перерасчёт"),
    Column(f"out_{OUTCOME.NO_ACTION}", "действий не требуется"),
    Column(f"out_{OUTCOME.FALSE_MATCH}", "ложное совпадение"),
    Column("open", "В работе на конец периода"),
]


def _received(period: Period) -> dict[tuple[str, str], dict]:
    """Per source and kind: the runs finished in the period and their rows' counts summed."""
    # A run of every office (the nightly regional one) belongs to each office's report too: its
    # rows were received for all of them.
    runs = ReconciliationRun.objects.filter(
        period.moments("finished_at"), status=ReconciliationRun.Status.DONE
    )
    if period.office_id is not None:
        runs = runs.filter(Q(office__isnull=True) | Q(office_id=period.office_id))
    received: dict[tuple[str, str], dict] = defaultdict(lambda: defaultdict(int))
    # runs are few (a handful a night): their counts are summed here
    for source, kind, counts in runs.values_list("source", "kind", "counts").order_by():
        entry = received[(source, kind)]
        entry["runs"] += 1
        for key in ("rows_total", "rows_invalid", "matched_snils", "matched_name_dob", "probable", "snils_only", "ambiguous", "unmatched"):  # fmt: skip
            entry[key] += int((counts or {}).get(key) or 0)
    return received


def _items(period: Period) -> dict[tuple[str, str], dict]:
    """Per source and kind: items created, worked out (by outcome) and open at the end."""
    items: dict[tuple[str, str], dict] = defaultdict(dict)
    for row in (
        Selection.objects.filter(period.office_q(), period.moments("created_at"))
        .values("source", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        items[(row["source"], row["kind"])]["created"] = row["n"]
    outcomes = {f"out_{value}": Count("pk", filter=Q(outcome=value)) for value in OUTCOME.values}
    for row in (
        Selection.objects.filter(period.office_q(), period.moments("worked_at"))
        .values("source", "kind")
        .annotate(worked=Count("pk"), **outcomes)
        .order_by()
    ):
        items[(row["source"], row["kind"])].update(
            {k: v for k, v in row.items() if k not in ("source", "kind")}
        )
    for row in _open_at_end(period).values("source", "kind").annotate(n=Count("pk")).order_by():
        items[(row["source"], row["kind"])]["open"] = row["n"]
    return items


def _rows(figures: dict[tuple[str, str], dict], columns: list[Column]) -> list[list]:
    return [
        [_label(*key)] + [figures[key].get(c.key, 0) for c in columns[1:]]
        for key in sorted(figures)
    ]


def selections_part(period: Period) -> list[Table]:
    return [
        Table(
            "selection_rows",
            "Поступившие выгрузки и сопоставление строк",
            RECEIVED_COLUMNS,
            _rows(_received(period), RECEIVED_COLUMNS),
            sheet="Селекции — выгрузки",
            note="Сверки, завершённые в периоде; строки сверки по всем учреждениям (ночной "
            "обработки) входят в отчёт каждого учреждения.",
        ),
        Table(
            "selection_items",
            "Селекции: создано, отработано по результатам, в работе",
            WORK_COLUMNS,
            _rows(_items(period), WORK_COLUMNS),
            sheet="Селекции — отработка",
            note="«Меры прекращены» и «меры приостановлены» — селекции, по которым меры "
            "получателя прекращены или приостановлены.",
        ),
    ]


def person_figures(period: Period) -> dict[int, dict]:
    people: dict[int, dict] = defaultdict(dict)
    for row in (
        Selection.objects.filter(period.office_q(), period.moments("worked_at"))
        .values("worked_by")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        people[row["worked_by"]]["selections_worked"] = row["n"]
    for row in _open_at_end(period).values("assigned_to").annotate(n=Count("pk")).order_by():
        people[row["assigned_to"]]["selections_open"] = row["n"]
    return people


PERSON_COLUMNS = [
    Column("selections_worked", "Селекций отработано"),
    Column("selections_open", "Селекций в работе"),
]


def charts(data: dict) -> list[dict]:
    """The report's chart of selection items created and worked out, per source and kind."""
    return report_table_chart(
        data, "selection_items", title="Селекции: создано и отработано",
        keys=["created", "worked", "open"],
    )  # fmt: skip


def register() -> None:
    reports.register_chart(charts, order=30)
    reports.register(reports.ReportPart("selections", "Селекции", selections_part, order=30))
    reports.register_person_figures(
        reports.PersonFigures("selections", PERSON_COLUMNS, person_figures, order=30)
    )
