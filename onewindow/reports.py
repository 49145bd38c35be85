"""Reports for a period and an office: the registry of their parts, forming and storing them,
and the monthly report of the director.

`onewindow` imports no app: each app computes its own part with aggregate queries and registers
it from its AppConfig.ready, as apps register their kinds of work in `onewindow.work`:

    reports.register(reports.ReportPart("services", "Предоставление государственных услуг",
                                         compute_services, order=10))
    reports.register_person_figures(reports.PersonFigures("cases", columns, per_person, order=10))

A part's `compute(period)` returns `Table`s: a label column and figures (numbers, never texts
of numbers). The part «Работа специалистов» is put together here from every app's
`PersonFigures` (a mapping user id -> figures), so one row per person spans the apps.

A formed report keeps its figures as JSON (`Report.data`); the page, the XLSX and the PDF are
drawn from them (`onewindow/report_views.py`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from onewindow.report_parts import (  # noqa: F401  (the registry, re-exported for the apps)
    CHART_ORDER,
    CHARTS,
    DATA_VERSION,
    EARLIEST,
    MAX_PERIOD_YEARS,
    MONTHS_GENITIVE,
    MONTHS_NOMINATIVE,
    PARTS,
    PERSON_FIGURES,
    SUMMARY,
    SUMMARY_TITLE,
    Column,
    Period,
    PersonFigures,
    ReportError,
    ReportPart,
    Table,
    charts_for,
    kind_choices,
    kind_title,
    median,
    parts,
    period_phrase,
    register,
    register_chart,
    register_person_figures,
    report_title,
    total_row,
)

# --- «Работа специалистов»: every app's figures per person --------------------------------------


def _specialists(period: Period) -> list[Table]:
    from onewindow.models import User

    sources = sorted(PERSON_FIGURES.values(), key=lambda f: (f.order, f.code))
    columns = [Column("person", "Сотрудник", 32, kind="text")]
    per_person: dict[int, dict] = {}
    for source in sources:
        columns += source.columns
        for user_id, figures in source.compute(period).items():
            if user_id is not None:
                per_person.setdefault(user_id, {}).update(figures)
    people = User.objects.filter(pk__in=per_person).only(
        "last_name", "first_name", "middle_name", "username", "position"
    )
    people = sorted(people, key=lambda u: (u.last_name, u.first_name, u.middle_name, u.pk))
    rows = []
    for person in people:
        figures = per_person[person.pk]
        row = [person.full_name or person.username]
        for column in columns[1:]:
            value = figures.get(column.key)
            row.append(value if value is not None or not column.summed else 0)
        rows.append(row)
    return [
        Table(
            "specialists",
            "Нагрузка и соблюдение сроков по специалистам",
            columns,
            rows,
            sheet="Специалисты",
            note="«В работе» и «просрочено» — на конец периода; заявления считаются за "
            "ответственным специалистом (после передачи дел — за тем, кому переданы).",
        )
    ]


register(ReportPart("specialists", "Работа специалистов", _specialists, order=20))


def _specialist_chart(data: dict) -> list[dict]:
    """Workload per specialist at the end of the period: applications and selection items in
    work, one bar per person (the longest first)."""
    from onewindow.charts import report_table_chart

    return report_table_chart(
        data, "specialists", title="Нагрузка специалистов на конец периода",
        keys=["in_progress", "selections_open"], kind="stacked_hbar", limit=15,
    )  # fmt: skip


register_chart(_specialist_chart, order=20)


# --- Computing and forming ----------------------------------------------------------------------


def compute_figures(kind: str, period: Period) -> dict:
    """The figures of a report as JSON: its sections, each with its tables and totals."""
    chosen = parts() if kind == SUMMARY else [PARTS[kind]]
    sections = [
        {
            "code": part.code,
            "title": part.title,
            "tables": [table.with_total().as_json() for table in part.compute(period)],
        }
        for part in chosen
    ]
    return {"version": DATA_VERSION, "sections": sections}


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def validate_period(start: datetime.date, end: datetime.date) -> None:
    """A period a report can be formed for; refuses with a message at the field."""
    today = timezone.localdate()
    if start < EARLIEST:
        raise ReportError(
            f"Дата начала периода раньше {EARLIEST:%d.%m.%Y}: за это время данных в системе нет.",
            field="period_start",
        )
    if end < start:
        raise ReportError(
            f"Дата окончания периода ({end:%d.%m.%Y}) раньше даты начала ({start:%d.%m.%Y}).",
            field="period_end",
        )
    if end >= add_years(start, MAX_PERIOD_YEARS):
        raise ReportError(
            "Период длиннее пяти лет: сформируйте отчёт за период не длиннее пяти лет "
            f"(с {start:%d.%m.%Y} — не позже {add_years(start, MAX_PERIOD_YEARS) - datetime.timedelta(days=1):%d.%m.%Y}).",
            field="period_end",
        )
    if end > today:
        raise ReportError(
            f"Дата окончания периода позже сегодняшнего дня ({today:%d.%m.%Y}): за будущие дни "
            "данных ещё нет.",
            field="period_end",
        )


def visible_offices(user):
    """The offices whose reports a user may form and read: every office for a user who sees
    all (the director of the installation), else their own."""
    from onewindow.models import Office

    if user is None or not user.is_authenticated:
        return Office.objects.none()
    if user.sees_all_offices:
        return Office.objects.all()
    return Office.objects.filter(pk=user.office_id)


def may_report_on(user, office) -> bool:
    """`office` None: every office (only for a user who sees all)."""
    if office is None:
        return user.sees_all_offices
    return visible_offices(user).filter(pk=office.pk).exists()


def form_report(
    kind: str,
    *,
    office,
    start: datetime.date,
    end: datetime.date,
    actor,
):
    """Form a report by hand and keep it (with history)."""
    from onewindow.models import Report

    if not actor.has_perm("onewindow.form_report"):
        raise PermissionDenied("Отчёты формируют главный специалист и директор.")
    if kind != SUMMARY and kind not in PARTS:
        raise ReportError("Выберите вид отчёта из списка.", field="kind")
    if not may_report_on(actor, office):
        raise PermissionDenied("Отчёт по этому учреждению вам недоступен.")
    validate_period(start, end)
    data = compute_figures(kind, Period(start, end, office.pk if office else None))
    report = Report(
        kind=kind, office=office, period_start=start, period_end=end, formed_by=actor, data=data
    )
    report._history_user = actor
    with transaction.atomic():
        report.save()
    return report


# --- The monthly report of the director --------------------------------------------------------


def first_working_day_of_month(day: datetime.date) -> datetime.date:
    from onewindow import workdays

    return workdays.next_working_day(day.replace(day=1))


def previous_month(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    end = day.replace(day=1) - datetime.timedelta(days=1)
    return end.replace(day=1), end


def form_monthly_reports(today: datetime.date | None = None) -> list:
    """On the first working day of a month (the production calendar's), the summary report of
    the month before for every office and for all offices; any other day nothing. Run twice, it
    forms each report once: the unique constraints and `get_or_create` hold even against a
    second process running at the same moment. Returns the reports formed by this call."""
    from onewindow.models import Office, Report

    today = today or timezone.localdate()
    if today != first_working_day_of_month(today):
        return []
    start, end = previous_month(today)
    formed = []
    for office in [None, *Office.objects.filter(is_active=True).order_by("pk")]:
        lookup = {
            "kind": SUMMARY,
            "office": office,
            "period_start": start,
            "period_end": end,
            "automatic": True,
        }
        if Report.objects.filter(**lookup).exists():
            continue  # formed already: the figures are not computed again
        data = compute_figures(SUMMARY, Period(start, end, office.pk if office else None))
        with transaction.atomic():
            report, created = Report.objects.get_or_create(**lookup, defaults={"data": data})
        if created:
            formed.append(report)
    return formed


def latest_monthly_notice(user) -> list[dict]:
    """Home page notice: this month's monthly report waits for the director and the chief."""
    from django.urls import reverse

    from onewindow.models import Report

    if not user.is_authenticated or not user.has_perm("onewindow.view_report"):
        return []
    today = timezone.localdate()
    start, end = previous_month(today)
    reports = Report.objects.for_user(user).filter(
        automatic=True, period_start=start, period_end=end
    )
    # the director of the installation is shown the report of all offices, a chief their own
    if user.sees_all_offices:
        reports = reports.filter(office__isnull=True)
    else:
        reports = reports.filter(office_id=user.office_id)
    report = reports.order_by("-pk").first()
    if report is None:
        return []
    return [
        {
            "text": f"Сформирован ежемесячный отчёт {period_phrase(start, end)}: откройте «Отчёты».",
            "url": reverse("report", args=[report.pk]),
        }
    ]


DIRECTOR_REPORTS = 12  # rows on the director's page; «Все отчёты» leads to the rest


def director_reports(request, scope) -> dict:
    """The director's page, «Отчёты»: the monthly reports of the office picked (or of every
    office the director may read), newest first, and the reports formed by hand after them."""
    from onewindow.models import Report

    user = request.user
    if not user.has_perm("onewindow.view_report"):
        return {"reports": [], "reports_more": False}
    listing = Report.objects.for_user(user).select_related("office", "formed_by")
    if scope.office is not None:
        listing = listing.filter(office=scope.office)
    listing = listing.order_by("-automatic", "-period_start", "-formed_at", "-pk")
    shown = list(listing[: DIRECTOR_REPORTS + 1])
    return {"reports": shown[:DIRECTOR_REPORTS], "reports_more": len(shown) > DIRECTOR_REPORTS}


# --- What the page, the XLSX and the PDF show --------------------------------------------------


@dataclass
class Signatory:
    position: str
    name: str = ""


@dataclass
class ReportView:
    """A stored report ready to be drawn: the figures and what its head and foot say."""

    report: object
    title: str
    scope: str
    period: str
    formed: str
    header_office: object | None
    signatories: list[Signatory] = field(default_factory=list)
    sections: list[dict] = field(default_factory=list)
    charts: list[dict] = field(default_factory=list)


def signatories(office) -> list[Signatory]:
    """The chief specialist and the director of the office, for the signature lines (blank names
    when the report covers every office and nobody's office heads it)."""
    from onewindow import roles
    from onewindow.models import User
    from onewindow.names import signature_name

    if office is None:
        return [Signatory("Главный специалист"), Signatory("Директор")]
    staff = list(
        User.objects.filter(
            office=office, is_active=True, groups__name__in=[roles.CHIEF, roles.DIRECTOR]
        )
        .order_by("pk")
        .values("pk", "last_name", "first_name", "middle_name", "position", "groups__name")
    )

    def first(role: str):
        for person in staff:
            if person["groups__name"] == role:
                return person
        return None

    chief = first(roles.CHIEF)
    director = first(roles.DIRECTOR)

    def name_of(person) -> str:
        if person is None:
            return ""
        full = " ".join(
            p for p in (person["last_name"], person["first_name"], person["middle_name"]) if p
        )
        return signature_name(full)

    position = (chief or {}).get("position") or "Главный специалист"
    return [
        # a position as the user typed it («главный специалист сектора…») heads its line
        Signatory(position[:1].upper() + position[1:], name_of(chief)),
        Signatory(
            "Директор",
            signature_name(office.director_name) if office.director_name else name_of(director),
        ),
    ]


def view_of(report) -> ReportView:
    header_office = report.office or (report.formed_by.office if report.formed_by else None)
    formed_at = timezone.localtime(report.formed_at)
    data = report.data or {}
    return ReportView(
        report=report,
        title=report.title,
        scope=report.office.name if report.office_id else "По всем учреждениям",
        period=f"с {report.period_start:%d.%m.%Y} по {report.period_end:%d.%m.%Y}",
        formed=f"{formed_at:%d.%m.%Y %H:%M}"
        + (
            f", {report.formed_by.short_name}"
            if report.formed_by
            else ", автоматически (ежемесячный отчёт)"
        ),
        header_office=header_office,
        signatories=signatories(header_office),
        sections=data.get("sections", []),
        charts=charts_for(data),
    )


def typed_rows(table: dict, rows: Iterable[Sequence]) -> list[list]:
    """Rows of a stored table with its dates as dates again (JSON keeps them as ISO text)."""
    dates = [i for i, c in enumerate(table["columns"]) if c.get("kind") == "date"]
    result = []
    for row in rows:
        row = list(row)
        for i in dates:
            if isinstance(row[i], str) and row[i]:
                row[i] = datetime.date.fromisoformat(row[i])
        result.append(row)
    return result


def xlsx_of(view: ReportView) -> bytes:
    """Every table on its own sheet: captions, a frozen header row, set widths, the figures as
    numbers and the total row in bold."""
    from onewindow.xlsx import Column as XColumn
    from onewindow.xlsx import Sheet, workbook_bytes

    sheets = []
    for section in view.sections:
        for table in section["tables"]:
            columns = [XColumn(c["title"], c.get("width")) for c in table["columns"]]
            caption = [
                view.title,
                view.scope,
                f"Период: {view.period}",
                f"Сформирован: {view.formed}",
                # «Селекции: создано, …» already names its section; a lone table is its section
                table["title"]
                if table["title"].startswith(section["title"])
                else f"{section['title']}: {table['title']}",
            ]
            sheets.append(
                Sheet(
                    table.get("sheet") or table["title"],
                    typed_rows(table, table["rows"]),
                    columns=columns,
                    caption=caption,
                    total=typed_rows(table, [table["total"]])[0] if table.get("total") else None,
                    landscape=len(columns) > 6,
                    freeze_header=True,
                )
            )
    return workbook_bytes(sheets)
