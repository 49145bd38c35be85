"""The registry of report parts and what a part returns: the period, tables and columns, the
titles of reports, and the charts drawn from a report's figures.

The models, the apps' parts and `onewindow.reports` (forming, storing, drawing) all build on this
module; it imports nothing of theirs.
"""

from __future__ import annotations

import base64
import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from onewindow.errors import DomainError

SUMMARY = "summary"
SUMMARY_TITLE = "Сводный отчёт"
MAX_PERIOD_YEARS = 5
EARLIEST = datetime.date(2000, 1, 1)
DATA_VERSION = 1

MONTHS_GENITIVE = [
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
]  # fmt: skip
MONTHS_NOMINATIVE = [
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
]  # fmt: skip


class ReportError(DomainError):
    """A refused report (a wrong period, an unknown kind)."""


# --- What a part returns ------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    width: float = 14  # in the XLSX, characters
    kind: str = "number"  # "number", "text" or "date" (kept in JSON as ДД.ММ.ГГГГ's ISO form)
    summed: bool = True  # added up in the total row (a median is not)

    @property
    def numeric(self) -> bool:
        return self.kind == "number"


@dataclass
class Table:
    """One table of a report: rows of [label, figure, figure, …] under `columns` (the first
    column is the label's)."""

    code: str
    title: str
    columns: list[Column]
    rows: list[list]
    sheet: str = ""  # the XLSX sheet's name (31 characters at most)
    total: list | None = None  # filled by `with_total` unless the part gives its own
    note: str = ""
    has_total: bool = True

    def with_total(self) -> Table:
        if self.has_total and self.total is None:
            self.total = total_row(self.columns, self.rows)
        return self

    def as_json(self) -> dict:
        return {
            "code": self.code,
            "title": self.title,
            "sheet": self.sheet or self.title[:31],
            "columns": [
                {"key": c.key, "title": c.title, "width": c.width, "kind": c.kind}
                for c in self.columns
            ],
            "rows": self.rows,
            "total": self.total if self.has_total else None,
            "note": self.note,
        }


def total_row(columns: Sequence[Column], rows: Iterable[Sequence]) -> list:
    rows = list(rows)
    total: list = ["Итого"]
    for index, column in enumerate(columns[1:], start=1):
        if column.numeric and column.summed:
            total.append(sum(row[index] or 0 for row in rows))
        else:
            total.append(None)
    return total


def median(weighted: Iterable[tuple[float, int]]) -> float | None:
    """The median of values given with their counts ((value, how many times)); None for none.
    An even count gives the mean of the two middle values."""
    pairs = sorted((value, count) for value, count in weighted if count)
    size = sum(count for _, count in pairs)
    if not size:
        return None
    wanted = [(size - 1) // 2, size // 2]  # the middle position(s), 0-based
    found: list[float] = []
    seen = 0
    for value, count in pairs:
        while wanted and wanted[0] < seen + count:
            found.append(value)
            wanted.pop(0)
        seen += count
    return round(sum(found) / len(found), 1)


# --- The period and the office a part counts --------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    office_id: int | None = None  # None: every office of the installation

    def office_q(self, field: str = "office") -> Q:
        """The records of the report's office (`field` names the office, e.g.
        "application__office"); every record for a report of all offices."""
        return Q() if self.office_id is None else Q(**{field: self.office_id})

    @property
    def start_at(self) -> datetime.datetime:
        """The first moment of the period in the office's time zone."""
        return timezone.make_aware(datetime.datetime.combine(self.start, datetime.time.min))

    @property
    def end_before(self) -> datetime.datetime:
        """The first moment after the period (moments are compared with `<`)."""
        day_after = self.end + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(day_after, datetime.time.min))

    def dates(self, field: str) -> Q:
        """A date field within the period."""
        return Q(**{f"{field}__gte": self.start, f"{field}__lte": self.end})

    def moments(self, field: str) -> Q:
        """A date-and-time field within the period."""
        return Q(**{f"{field}__gte": self.start_at, f"{field}__lt": self.end_before})


# --- The registry -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportPart:
    code: str
    title: str
    compute: Callable[[Period], list[Table]]
    order: int = 50


@dataclass(frozen=True)
class PersonFigures:
    """An app's columns of «Работа специалистов»: `compute(period)` gives
    {user id: {column key: figure}}; a person without figures here gets zeros."""

    code: str
    columns: list[Column]
    compute: Callable[[Period], dict[int, dict]]
    order: int = 50


PARTS: dict[str, ReportPart] = {}
PERSON_FIGURES: dict[str, PersonFigures] = {}

# function(report data) -> [{"title": …, "svg": …}]: charts drawn from a report's stored figures
# (each app draws its own with `onewindow.charts.report_table_chart`); the page and the PDF show
# every chart above the tables, each chart's figures being the tables themselves. Kept in the
# order of the parts they draw.
CHARTS: list[Callable[[dict], list[dict]]] = []
CHART_ORDER: dict[Callable, int] = {}


def register(part: ReportPart) -> None:
    PARTS[part.code] = part


def register_person_figures(figures: PersonFigures) -> None:
    PERSON_FIGURES[figures.code] = figures


def register_chart(source: Callable[[dict], list[dict]], *, order: int = 100) -> None:
    if source not in CHARTS:
        CHARTS.append(source)
    CHART_ORDER[source] = order
    CHARTS.sort(key=lambda chart: CHART_ORDER.get(chart, 100))


def charts_for(data: dict) -> list[dict]:
    """The charts of a report, each with its SVG as a data: URI (the page's CSP and the PDF's
    fetcher both allow data: images, nothing else from outside)."""
    charts = []
    for source in CHARTS:
        for chart in source(data):
            svg = chart["svg"].encode("utf-8")
            uri = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
            charts.append({**chart, "uri": uri})
    return charts


def parts() -> list[ReportPart]:
    return sorted(PARTS.values(), key=lambda part: (part.order, part.code))


def kind_choices() -> list[tuple[str, str]]:
    return [(SUMMARY, f"{SUMMARY_TITLE} (все разделы)")] + [(p.code, p.title) for p in parts()]


def kind_title(kind: str) -> str:
    if kind == SUMMARY:
        return SUMMARY_TITLE
    part = PARTS.get(kind)
    return f"Отчёт «{part.title}»" if part else "Отчёт"


def period_phrase(start: datetime.date, end: datetime.date) -> str:
    """«за октябрь 2026 г.» for a whole month, «за 2026 г.» for a year, else «за период с … по …»."""
    month_end = (start.replace(day=28) + datetime.timedelta(days=4)).replace(
        day=1
    ) - datetime.timedelta(days=1)
    if start.day == 1 and end == month_end:
        return f"за {MONTHS_NOMINATIVE[start.month - 1]} {start.year} г."
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return f"за {start.year} г."
    if start == end:
        return f"за {start:%d.%m.%Y}"
    return f"за период с {start:%d.%m.%Y} по {end:%d.%m.%Y}"


def report_title(kind: str, start: datetime.date, end: datetime.date) -> str:
    return f"{kind_title(kind)} {period_phrase(start, end)}"
