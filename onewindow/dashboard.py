"""The chief's and the director's dashboard: figures of an office's work, each a link to the list
behind it.

`onewindow` imports no app. Each app computes its own figures (`cases/figures.py`,
`reconciliation/figures.py`, `archive/figures.py`) and registers them from its AppConfig.ready,
the way apps register their kinds of work in `onewindow.work`:

    dashboard.register_section("intake", intake_section, order=10)
    dashboard.register_workload(WorkloadSource("applications", "Заявления", counts, url))

A section provider takes a `Scope` (the offices, the day, the user) and returns a `Section`:
plain numbers and lists, computed with a bounded number of SQL queries (conditional
aggregates, never a query per row). The page (`onewindow/dashboard_views.py`) lays them out;
`onewindow/charts.py` draws the `Chart`s.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse

from onewindow import roles, workdays
from onewindow.models import Office

# --- What a provider returns ----------------------------------------------------------------


@dataclass
class Figure:
    """One number with what it counts; `url` opens exactly those records ("" — no link: the
    user may not open that list, or the list could not show exactly these)."""

    label: str
    value: int | None
    url: str = ""
    alarm: bool = False  # a non-zero value needs attention (overdue, not found)
    unit: str = ""  # «мин», «%»: shown after the value

    @property
    def shown(self) -> str:
        if self.value is None:
            return "—"
        return f"{self.value}\u00a0{self.unit}" if self.unit else str(self.value)

    @property
    def warn(self) -> bool:
        return self.alarm and bool(self.value)


@dataclass
class Row:
    label: str
    cells: list[Figure]
    url: str = ""  # the row's own link (e.g. the specialist's list), optional


@dataclass
class Table:
    caption: str
    label_header: str
    columns: list[str]
    rows: list[Row]
    total: Row | None = None


@dataclass
class Chart:
    """Data of a chart: the labels along one axis and one or more series of numbers."""

    key: str
    title: str
    labels: list[str]
    series: list[tuple[str, list[int]]]
    kind: str = "bar"  # bar | hbar | stacked_hbar | line
    label_header: str = ""
    urls: list[str] = field(default_factory=list)  # per label, for the figures table

    @property
    def rows(self) -> list[dict]:
        """The chart's figures as table rows: label, values per series, link."""
        return [
            {
                "label": label,
                "values": [values[i] for _, values in self.series],
                "url": self.urls[i] if i < len(self.urls) else "",
            }
            for i, label in enumerate(self.labels)
        ]

    @property
    def empty(self) -> bool:
        return not any(any(values) for _, values in self.series)


@dataclass
class Section:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    note: str = ""
    order: int = 50


@dataclass
class Approval:
    """Something waiting for the director's approval (an archive act, …)."""

    text: str
    url: str
    office: str = ""
    since: datetime.date | None = None


# --- The scope: which offices, which day, for whom ------------------------------------------


@dataclass
class Scope:
    user: object
    offices: list  # the Office rows counted
    office: object | None  # the office picked, None: all of `offices`
    today: datetime.date  # open work, deadlines and ages are counted as of today
    day: datetime.date  # intake (today / week / month) is counted for this day
    read_only: bool = False
    # what one provider read and another reuses (e.g. open applications per specialist)
    cache: dict = field(default_factory=dict)

    def cached(self, key: str, compute: Callable):
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]

    @property
    def office_ids(self) -> list[int]:
        return [office.pk for office in self.offices]

    def where(self, field: str = "office") -> Q:
        """The records of the scope's offices."""
        if len(self.offices) == 1:
            return Q(**{f"{field}_id": self.offices[0].pk})
        return Q(**{f"{field}_id__in": self.office_ids})

    @property
    def linkable(self) -> bool:
        """Do the lists show this user exactly the records of the scope? A user who sees every
        office narrows a list with `?office=`; anyone else sees their own office's lists only."""
        user = self.user
        if getattr(user, "sees_all_offices", False):
            return True
        return self.office is not None and self.office.pk == user.office_id

    def link(self, url_name: str, permission: str, **params) -> str:
        """The list `url_name` narrowed by `params` (and the office), when this user may open it
        and it shows exactly the scope's records; "" otherwise."""
        if not self.linkable or (permission and not self.user.has_perm(permission)):
            return ""
        if self.office is not None and getattr(self.user, "sees_all_offices", False):
            params = {"office": self.office.pk, **params}
        query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
        return reverse(url_name) + (f"?{query}" if query else "")

    # periods of the intake, from `day`
    @property
    def week_start(self) -> datetime.date:
        return self.day - datetime.timedelta(days=self.day.weekday())

    @property
    def month_start(self) -> datetime.date:
        return self.day.replace(day=1)

    @property
    def month_end(self) -> datetime.date:
        following = (self.day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        return following - datetime.timedelta(days=1)


# --- Working-day arithmetic the providers share ---------------------------------------------


def earliest_day_aged_at_most(today: datetime.date, days: int) -> datetime.date:
    """The earliest date `d` with `working_days_between(d, today) <= days`: an item that arrived
    on or after it is at most `days` working days old. Ages are monotonic in the arrival date,
    so an age bucket is a date range and the database counts it with one comparison."""
    day, count = today, 0
    for _ in range(workdays.MAX_SPAN_DAYS):
        step = count + (1 if workdays.is_working_day(day) else 0)
        if step > days:
            return day
        count = step
        day -= datetime.timedelta(days=1)
    return day


def last_working_days(day: datetime.date, count: int) -> list[datetime.date]:
    """The last `count` working days up to `day` (included when it is one), oldest first."""
    found: list[datetime.date] = []
    current = day
    for _ in range(workdays.MAX_SPAN_DAYS):
        if len(found) == count:
            break
        if workdays.is_working_day(current):
            found.append(current)
        current -= datetime.timedelta(days=1)
    return list(reversed(found))


# --- Registries -----------------------------------------------------------------------------

SECTIONS: dict[str, tuple[int, Callable[[Scope], Section]]] = {}


def register_section(key: str, provider: Callable[[Scope], Section], *, order: int = 50) -> None:
    SECTIONS[key] = (order, provider)


@dataclass(frozen=True)
class WorkloadSource:
    """Open work per person of one kind: `counts(scope)` -> {user id: number};
    `url(scope, user_id)` the list of that person's open items of this kind ("" — no link)."""

    key: str
    title: str
    counts: Callable[[Scope], dict[int, int]]
    url: Callable[[Scope, int], str]
    order: int = 50


WORKLOAD: dict[str, WorkloadSource] = {}


def register_workload(source: WorkloadSource) -> None:
    WORKLOAD[source.key] = source


# what waits for the director's approval: function(scope) -> [Approval]
APPROVALS: list[Callable[[Scope], list[Approval]]] = []

# more context for the director's page: function(request, scope) -> dict. The reports (issue 18,
# item 3) add {"reports": [...]} here; the page shows them in its «Отчёты» block.
DIRECTOR_CONTEXT: list[Callable] = []


def register_approvals(provider: Callable[[Scope], list[Approval]]) -> None:
    if provider not in APPROVALS:
        APPROVALS.append(provider)


def register_director_context(provider: Callable) -> None:
    if provider not in DIRECTOR_CONTEXT:
        DIRECTOR_CONTEXT.append(provider)


# --- Assignments (поручения, issue 18 item 4) -----------------------------------------------


def assignment_model():
    """`onewindow.models.Assignment` once it exists (another change brings it), else None."""
    from onewindow import models

    return getattr(models, "Assignment", None)


def _assignment_counts(scope: Scope) -> dict[int, tuple[int, int]]:
    """{assignee id: (open, overdue)} of the scope's offices, in one query."""
    from django.db.models import Count

    model = assignment_model()

    def compute():
        rows = (
            model.objects.filter(scope.where(), status=model.Status.OPEN)
            .values("assignee")
            .annotate(
                open=Count("pk"),
                overdue=Count("pk", filter=Q(due_date__lt=scope.today)),
            )
        )
        return {row["assignee"]: (row["open"], row["overdue"]) for row in rows}

    return scope.cached("assignments", compute)


def assignment_figures(scope: Scope) -> Section | None:
    """Open and overdue assignments, by specialist, each a link to the assignments list."""
    if assignment_model() is None:
        return None
    from onewindow.models import User

    counts = _assignment_counts(scope)
    permission = "onewindow.view_assignment"
    people = {
        user.pk: user.short_name
        for user in User.objects.filter(pk__in=list(counts)).only(
            "pk", "last_name", "first_name", "middle_name", "username"
        )
    }
    rows = [
        Row(
            people.get(pk, "—"),
            [
                Figure(
                    "открыто",
                    opened,
                    scope.link("assignments", permission, state="open", assignee=pk),
                ),
                Figure(
                    "просрочено",
                    overdue,
                    scope.link("assignments", permission, state="overdue", assignee=pk)
                    if overdue
                    else "",
                    alarm=True,
                ),
            ],
        )
        for pk, (opened, overdue) in sorted(
            counts.items(), key=lambda item: people.get(item[0], "")
        )
    ]
    total_open = sum(opened for opened, _ in counts.values())
    total_overdue = sum(overdue for _, overdue in counts.values())
    return Section(
        "assignments",
        "Поручения",
        figures=[
            Figure("открыто", total_open, scope.link("assignments", permission, state="open")),
            Figure(
                "просрочено",
                total_overdue,
                scope.link("assignments", permission, state="overdue"),
                alarm=True,
            ),
        ],
        tables=[Table("Поручения по специалистам", "Специалист", ["открыто", "просрочено"], rows)]
        if rows
        else [],
        order=90,
    )


def assignment_workload(scope: Scope) -> dict[int, int] | None:
    """Open assignments per person, for the workload chart — None while the model is absent."""
    if assignment_model() is None:
        return None
    return {pk: opened for pk, (opened, _) in _assignment_counts(scope).items()}


# --- The whole dashboard --------------------------------------------------------------------


@dataclass
class Dashboard:
    scope: Scope
    sections: list[Section]
    workload: Table
    charts: list[Chart]


def sections(scope: Scope) -> list[Section]:
    result = []
    for key, (order, provider) in sorted(SECTIONS.items(), key=lambda item: item[1][0]):
        section = provider(scope)
        section.order = order
        section.key = section.key or key
        result.append(section)
    assignments = assignment_figures(scope)
    if assignments is None:
        assignments = Section(
            "assignments",
            "Поручения",
            figures=[Figure("открыто", None), Figure("просрочено", None)],
            note="Поручения появятся в следующей версии.",
            order=90,
        )
    result.append(assignments)
    return sorted(result, key=lambda section: section.order)


def workload(scope: Scope) -> tuple[Table, Chart]:
    """Open work per person: applications + requests + selection items (+ assignments), one
    query per kind and one for the names."""
    from onewindow.models import User

    sources = sorted(WORKLOAD.values(), key=lambda source: source.order)
    per_kind = [(source, source.counts(scope)) for source in sources]
    assigned = assignment_workload(scope)
    people_ids = {pk for _, counts in per_kind for pk in counts}
    if assigned:
        people_ids |= set(assigned)
    people = {
        user.pk: user
        for user in User.objects.filter(pk__in=people_ids).only(
            "pk", "last_name", "first_name", "middle_name", "username"
        )
    }
    columns = [source.title for source in sources] + ["Поручения", "Всего"]
    rows = []
    for pk, person in people.items():
        cells = [
            Figure(source.title, counts.get(pk, 0), source.url(scope, pk) if counts.get(pk) else "")
            for source, counts in per_kind
        ]
        cells.append(Figure("Поручения", None if assigned is None else assigned.get(pk, 0)))
        total = sum(cell.value or 0 for cell in cells)
        cells.append(Figure("Всего", total))
        rows.append(Row(person.short_name, cells))
    rows.sort(key=lambda row: (-(row.cells[-1].value or 0), row.label))
    totals = [
        Figure(source.title, sum(counts.values())) for source, counts in per_kind
    ]  # fmt: skip
    totals.append(Figure("Поручения", None if assigned is None else sum(assigned.values())))
    totals.append(Figure("Всего", sum(cell.value or 0 for cell in totals)))
    table = Table(
        "Нагрузка по специалистам: открытые дела",
        "Специалист",
        columns,
        rows,
        total=Row("Итого", totals) if rows else None,
    )
    chart = Chart(
        "workload",
        "Нагрузка по специалистам",
        [row.label for row in rows],
        [  # a kind nobody has open work of would only crowd the legend
            (title, values)
            for i, title in enumerate(columns[:-1])
            if any(values := [row.cells[i].value or 0 for row in rows])
        ],
        kind="stacked_hbar",
        label_header="Специалист",
    )
    return table, chart


def visible_offices(user, *, director: bool = False) -> list[Office]:
    """The offices whose figures `user` may see: all for a user who sees every office (and for
    the director on the director's page: figures only), else their own."""
    if user.sees_all_offices or (director and user.has_role(roles.DIRECTOR)):
        return list(Office.objects.filter(is_active=True).order_by("short_name"))
    return [user.office] if user.office_id else []


def build(scope: Scope) -> Dashboard:
    parts = sections(scope)
    table, chart = workload(scope)
    charts = [chart for section in parts for chart in section.charts]
    charts.append(chart)
    return Dashboard(scope=scope, sections=parts, workload=table, charts=charts)


def approvals(scope: Scope) -> list[Approval]:
    return [item for provider in APPROVALS for item in provider(scope)]
