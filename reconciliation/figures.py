"""The selections' figures for the dashboard (`onewindow.dashboard`): open items by kind and by
age in working days, worked out this week, probable matches to confirm; open items per person.

Two queries whatever the number of items: ages are date ranges worked out from the production
calendar first (`earliest_day_aged_at_most`), then counted with conditional aggregates. The
worklist filters with the same `age_q` and `worked_this_week_q`, so a figure and its list agree.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from onewindow.dashboard import (
    Chart,
    Figure,
    Row,
    Scope,
    Section,
    Table,
    WorkloadSource,
    earliest_day_aged_at_most,
)
from reconciliation.models import Kind, Selection

VIEW = "reconciliation.view_selection"
LIST = "reconciliation:worklist"

# (filter value, title, upper bound of the age in working days or None)
AGE_BUCKETS = [
    ("0-3", "0–3 раб. дня", 3),
    ("4-10", "4–10 раб. дней", 10),
    ("11-", "более 10", None),
]


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def age_bounds(today: datetime.date) -> dict[str, tuple[datetime.datetime | None, datetime.datetime | None]]:  # fmt: skip
    """Per bucket: (found at or after, found before) as moments, from the working days."""
    three = _start_of(earliest_day_aged_at_most(today, 3))
    ten = _start_of(earliest_day_aged_at_most(today, 10))
    return {"0-3": (three, None), "4-10": (ten, three), "11-": (None, ten)}


def age_q(bucket: str, today: datetime.date) -> Q:
    """Items found `bucket` working days ago ("0-3", "4-10", "11-")."""
    since, before = age_bounds(today).get(bucket, (None, None))
    q = Q()
    if since is not None:
        q &= Q(created_at__gte=since)
    if before is not None:
        q &= Q(created_at__lt=before)
    return q


def worked_this_week_q(today: datetime.date) -> Q:
    monday = today - datetime.timedelta(days=today.weekday())
    return Q(status=Selection.Status.DONE, worked_at__gte=_start_of(monday))


def selections_section(scope: Scope) -> Section:
    today = scope.today
    open_items = Selection.objects.filter(scope.where(), status=Selection.Status.OPEN)
    buckets = {key: Count("id", filter=age_q(key, today)) for key, _, _ in AGE_BUCKETS}
    rows = {
        row["kind"]: row
        for row in open_items.values("kind")
        .annotate(
            total=Count("id"),
            confirm=Count("id", filter=Q(needs_confirmation=True)),
            **{f"age_{key.replace('-', '_')}": count for key, count in buckets.items()},
        )
        .order_by("kind")
    }
    worked = Selection.objects.filter(scope.where()).filter(worked_this_week_q(today)).count()

    def link(**params) -> str:
        return scope.link(LIST, VIEW, status="open", whose="all", **params)

    def total(name: str) -> int:
        return sum(row[name] for row in rows.values())

    table_rows = []
    for kind, title in Kind.choices:
        row = rows.get(kind)
        if row is None:
            continue
        cells = [Figure("в работе", row["total"], link(kind=kind))]
        for key, label, _ in AGE_BUCKETS:
            value = row[f"age_{key.replace('-', '_')}"]
            cells.append(Figure(label, value, link(kind=kind, age=key) if value else "", alarm=key == "11-"))  # fmt: skip
        cells.append(Figure("подтвердить", row["confirm"], link(kind=kind, confirm=1) if row["confirm"] else ""))  # fmt: skip
        table_rows.append(Row(title, cells))
    ages = [total(f"age_{key.replace('-', '_')}") for key, _, _ in AGE_BUCKETS]
    totals = Row(
        "Итого",
        [Figure("в работе", total("total"), link())]
        + [
            Figure(label, value, link(age=key) if value else "", alarm=key == "11-")
            for (key, label, _), value in zip(AGE_BUCKETS, ages, strict=True)
        ]
        + [Figure("подтвердить", total("confirm"), link(confirm=1) if total("confirm") else "")],
    )
    return Section(
        "selections",
        "Селекции",
        figures=[
            Figure("в работе", total("total"), link()),
            Figure("более 10 рабочих дней", ages[2], link(age="11-"), alarm=True),
            Figure("ждут подтверждения совпадения", total("confirm"), link(confirm=1), alarm=True),
            Figure(
                "отработано на этой неделе",
                worked,
                scope.link(LIST, VIEW, status="done", whose="all", worked="week"),
            ),
        ],
        tables=[
            Table(
                "Селекции в работе по видам сведений и возрасту (в рабочих днях)",
                "Вид сведений",
                ["В работе", *(label for _, label, _ in AGE_BUCKETS), "Подтвердить"],
                table_rows,
                total=totals if table_rows else None,
            )
        ],
        charts=[
            Chart(
                "selections_age",
                "Селекции в работе по возрасту, рабочих дней",
                [label for _, label, _ in AGE_BUCKETS],
                [("Селекции", ages)],
                label_header="Возраст",
                urls=[link(age=key) for key, _, _ in AGE_BUCKETS],
            )
        ],
        note=f"На {today:%d.%m.%Y}; возраст — рабочие дни с того дня, как селекция найдена.",
    )


def open_per_person(scope: Scope) -> dict[int, int]:
    rows = (
        Selection.objects.filter(scope.where(), status=Selection.Status.OPEN, assigned_to__isnull=False)
        .values("assigned_to")
        .annotate(n=Count("id"))
        .order_by()
    )  # fmt: skip
    return {row["assigned_to"]: row["n"] for row in rows}


def register() -> None:
    from onewindow import dashboard

    dashboard.register_section("selections", selections_section, order=40)
    dashboard.register_workload(
        WorkloadSource(
            "selections",
            "Селекции",
            open_per_person,
            lambda scope, pk: scope.link(LIST, VIEW, status="open", whose="all", assignee=pk),
            order=30,
        )
    )
