"""The archive's part of the reports: files taken in, issued, returned, overdue, returned into
work and destroyed by act, per office; and the acts executed in the period. Aggregate queries
only; registered from ArchiveConfig.ready."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, F, Q

from archive.models import ArchivedFile, DestructionAct, DestructionItem, FileIssue
from onewindow import reports
from onewindow.charts import report_table_chart
from onewindow.models import Office
from onewindow.reports import Column, Period, Table

MOVEMENT_COLUMNS = [
    Column("office", "Учреждение", 36, kind="text"),
    Column("taken_in", "Принято в архив"),
    Column("issued", "Выдано во временное пользование"),
    Column("returned", "Возвращено"),
    Column("returned_late", "из них с опозданием"),
    Column("overdue", "Не возвращено в срок на конец периода"),
    Column("withdrawn", "Возвращено из архива в работу"),
    Column("destroyed", "Уничтожено по актам"),
]
ACT_COLUMNS = [
    Column("act", "Акт о выделении к уничтожению", 36, kind="text"),
    Column("office", "Учреждение", 30, kind="text"),
    Column("act_date", "Дата акта", 12, kind="date"),
    Column("executed_on", "Дела уничтожены", 14, kind="date"),
    Column("files", "Дел"),
]


def archive_part(period: Period) -> list[Table]:
    executed = DestructionAct.objects.filter(
        period.office_q(), period.dates("executed_on"), status=DestructionAct.Status.EXECUTED
    )
    offices = _movements(period, executed)
    acts = list(
        executed.annotate(files=Count("items"))
        .values("office", "number", "act_date", "executed_on", "files")
        .order_by("office", "executed_on", "number")
    )
    names = dict(
        Office.objects.filter(pk__in=set(offices) | {a["office"] for a in acts})
        .values_list("pk", "short_name")
        .order_by()
    )
    rows = [
        [names.get(pk, "—")] + [offices[pk].get(c.key, 0) for c in MOVEMENT_COLUMNS[1:]]
        for pk in sorted(offices, key=lambda pk: names.get(pk, ""))
    ]
    act_rows = [
        [f"№ {a['number']}", names.get(a["office"], "—"), a["act_date"].isoformat(), a["executed_on"].isoformat(), a["files"]]
        for a in acts
    ]  # fmt: skip
    return [
        Table(
            "archive",
            "Движение дел архива",
            MOVEMENT_COLUMNS,
            rows,
            sheet="Архив",
            note="«Не возвращено в срок» — дела, выданные и не возвращённые к последнему дню "
            "периода после срока возврата.",
        ),
        Table(
            "destruction_acts",
            "Уничтожение дел по актам",
            ACT_COLUMNS,
            act_rows,
            sheet="Акты уничтожения",
        ),
    ]


def _movements(period: Period, executed) -> dict[int, dict]:
    """The counts of the movement table by office id: files taken in, returned into work, issued,
    returned (and late), overdue at the period's end, destroyed by the acts `executed`."""
    offices: dict[int, dict] = defaultdict(dict)

    def count(key: str, rows, office: str = "office") -> None:
        for row in rows.values(office).annotate(n=Count("pk")).order_by():
            offices[row[office]][key] = row["n"]

    offices_q = period.office_q()
    count("taken_in", ArchivedFile.objects.filter(offices_q, period.moments("registered_at")))
    count("withdrawn", ArchivedFile.objects.filter(offices_q, period.dates("withdrawn_on")))
    count("issued", FileIssue.objects.filter(offices_q, period.dates("issued_on")))
    for row in (
        FileIssue.objects.filter(offices_q, period.dates("returned_on"))
        .values("office")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(returned_on__gt=F("due_back"))))
        .order_by()
    ):
        offices[row["office"]].update(returned=row["n"], returned_late=row["late"])
    # out on the period's last day, past the date it was due back
    count(
        "overdue",
        FileIssue.objects.filter(offices_q, issued_on__lte=period.end, due_back__lt=period.end)
        .filter(Q(returned_on__isnull=True) | Q(returned_on__gt=period.end)),
    )  # fmt: skip
    count(
        "destroyed",
        DestructionItem.objects.filter(act__in=executed.values("pk")),
        office="act__office",
    )
    return offices


def charts(data: dict) -> list[dict]:
    """The report's chart of the archive's movements per office."""
    return report_table_chart(
        data, "archive", title="Движение дел архива",
        keys=["taken_in", "issued", "returned", "destroyed"],
    )  # fmt: skip


def register() -> None:
    reports.register_chart(charts, order=50)
    reports.register(reports.ReportPart("archive", "Архив", archive_part, order=50))
