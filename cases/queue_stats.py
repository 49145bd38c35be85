"""The waiting-time norm: how long visitors waited and how many were served, for the chief's
dashboard (now and the day) and the queue report (a period, per group).

A wait runs from `wait_started()` to the ticket's first call (`called_at`). It is one SQL
expression, the only place the start of a wait is defined: every figure here reads it, in the
database and in Python alike. A pre-booked ticket waits from the later of its issue and its booked
time (a visitor who came early for a 10:15 booking and was called at 10:17 waited 2 minutes).

Percentiles are continuous (linear interpolation between the two nearest waits, SQL's
`percentile_cont`): computed by PostgreSQL in the same grouped query as the counts, and in Python
over the called tickets' waits on SQLite (the local and test database).
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Min,
    Q,
    Value,
)
from django.db.models.functions import Coalesce, Greatest
from django.db.models.lookups import LessThan
from django.utils import timezone

from cases.models import Booking, Ticket, Window
from cases.services.queue import day_hours, missed_bookings

Status = Ticket.Status


def wait_norm() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.QUEUE_WAIT_NORM_MINUTES)


def wait_started():
    """The moment a ticket's wait starts, as an SQL expression over `Ticket`: its issue, or for a
    visitor who booked and came early, the booked time (coming early is no wait of ours)."""
    return Greatest(F("issued_at"), Coalesce(F("booked_for"), F("issued_at")))


def wait_expression():
    """A called ticket's wait: its first call less the start of its wait."""
    return ExpressionWrapper(F("called_at") - wait_started(), output_field=DurationField())


def service_expression():
    """A finished visit's length: its finish less its start."""
    return ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())


class PercentileCont(Aggregate):
    """PostgreSQL's `percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)`."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


def percentile_cont(values: Iterable[float], fraction: float) -> float | None:
    """The same as SQL's `percentile_cont`: the value at position fraction × (n − 1) of the
    sorted values, interpolated linearly between its neighbours; None for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    position = fraction * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _minutes(value) -> float | None:
    if value is None:
        return None
    if isinstance(value, datetime.timedelta):
        value = value.total_seconds()
    return round(value / 60, 1)


@dataclass
class WaitFigures:
    """The figures of a set of tickets (a day, a period, a group). Waits in minutes."""

    issued: int = 0
    called: int = 0
    served: int = 0
    no_show: int = 0
    uncalled: int = 0  # never called by closing
    within_norm: int = 0
    beyond_norm: int = 0  # not called yet (or never) and waiting longer than the norm
    median_wait: float | None = None
    p90_wait: float | None = None
    median_service: float | None = None

    @property
    def left(self) -> int:
        """Left without service: called and did not come, or never called by closing."""
        return self.no_show + self.uncalled

    @property
    def judged(self) -> int:
        return self.called + self.beyond_norm

    @property
    def within_norm_share(self) -> float | None:
        """Per cent of visitors called within the norm, among those whose wait is known to be
        within or beyond it (a ticket still waiting less than the norm is not judged yet)."""
        if not self.judged:
            return None
        return round(100 * self.within_norm / self.judged, 1)


def _closed_days(tickets, now: datetime.datetime) -> Q:
    """The tickets of days whose reception is over at `now`: every day before today, and today
    for the offices closed by now (a ticket still waiting there was never called)."""
    today = timezone.localdate(now)
    closed = Q(day__lt=today)
    office_ids = tickets.filter(day=today).values_list("office_id", flat=True).distinct()
    from onewindow.models import Office

    for office in Office.objects.filter(pk__in=list(office_ids)):
        hours = day_hours(office, today)
        if hours is None or now >= hours.closes:
            closed |= Q(day=today, office_id=office.pk)
    return closed


def wait_figures(
    tickets, *, key: str | None = None, now=None, in_database: bool | None = None
) -> dict:
    """The figures of `tickets` ({value of `key`: WaitFigures}; key None: {None: WaitFigures}),
    in one grouped query (two on SQLite, whose percentiles are computed in Python;
    `in_database=False` takes the Python way on PostgreSQL too, for the benchmark)."""
    now = now or timezone.now()
    norm = wait_norm()
    called = Q(called_at__isnull=False)
    waiting = Q(status=Status.WAITING)
    closed = _closed_days(tickets, now)
    counts = {
        "issued": Count("pk"),
        "called": Count("pk", filter=called),
        "served": Count("pk", filter=Q(status=Status.DONE)),
        "no_show": Count("pk", filter=Q(status=Status.NO_SHOW)),
        "uncalled": Count("pk", filter=waiting & Q(called_at__isnull=True) & closed),
        "within_norm": Count("pk", filter=called & Q(called_at__lte=wait_started() + norm)),
        # a ticket not called yet whose wait has passed the norm already (or ended at closing)
        "beyond_norm": Count(
            "pk",
            filter=Q(called_at__isnull=True)
            & waiting
            & (closed | Q(LessThan(wait_started(), Value(now - norm)))),
        ),
    }
    if in_database is None:
        in_database = connection.vendor == "postgresql"
    if in_database:
        wait, service = wait_expression(), service_expression()
        finished = Q(finished_at__isnull=False, started_at__isnull=False, status=Status.DONE)
        counts |= {
            "median_wait": PercentileCont(wait, 0.5, filter=called),
            "p90_wait": PercentileCont(wait, 0.9, filter=called),
            "median_service": PercentileCont(service, 0.5, filter=finished),
        }
    if key is None:
        rows = [{key: None, **tickets.aggregate(**counts)}]
    else:
        rows = list(tickets.values(key).annotate(**counts).order_by())
    result = {}
    for row in rows:
        figures = WaitFigures(**{name: row[name] for name in counts})
        for name in ("median_wait", "p90_wait", "median_service"):
            setattr(figures, name, _minutes(getattr(figures, name)))
        result[row[key] if key else None] = figures
    if not in_database:
        _percentiles_in_python(tickets, key, result)
    return result


def _percentiles_in_python(tickets, key: str | None, result: dict) -> None:
    waits: dict = defaultdict(list)
    services: dict = defaultdict(list)
    fields = [key] if key else []
    rows = (
        tickets.filter(called_at__isnull=False)
        .annotate(wait=wait_expression(), service=service_expression())
        .values_list(*fields, "wait", "service", "status")
        .order_by()
    )
    for row in rows:
        group = row[0] if key else None
        wait, service, status = row[-3:]
        waits[group].append(wait.total_seconds())
        if status == Status.DONE and service is not None:
            services[group].append(service.total_seconds())
    for group, figures in result.items():
        figures.median_wait = _minutes(percentile_cont(waits[group], 0.5))
        figures.p90_wait = _minutes(percentile_cont(waits[group], 0.9))
        figures.median_service = _minutes(percentile_cont(services[group], 0.5))


@dataclass
class BookingFigures:
    """The pre-booking of a set of bookings (a day, a period, a group)."""

    booked: int = 0  # booked and not cancelled
    checked_in: int = 0  # came and took their ticket at the kiosk
    missed: int = 0  # never checked in by the end of the slot's grace
    cancelled: int = 0

    @classmethod
    def total(cls, parts: Iterable[BookingFigures]) -> BookingFigures:
        """The sum of the groups' figures (counts add up: no query for the total)."""
        total = cls()
        for part in parts:
            for name in ("booked", "checked_in", "missed", "cancelled"):
                setattr(total, name, getattr(total, name) + getattr(part, name))
        return total


def booking_figures(bookings, *, key: str | None = None, now=None) -> dict:
    """{value of `key`: BookingFigures} of `bookings` in one grouped query. A booking past its
    slot and grace that nobody checked in counts as missed whether or not the periodic task has
    marked it «не пришёл» yet (`missed_bookings`): the figures do not depend on when it ran."""
    now = now or timezone.now()
    counts = {
        "booked": Count("pk", filter=~Q(status=Booking.Status.CANCELLED)),
        "checked_in": Count("pk", filter=Q(status=Booking.Status.CHECKED_IN)),
        "missed": Count("pk", filter=missed_bookings(now)),
        "cancelled": Count("pk", filter=Q(status=Booking.Status.CANCELLED)),
    }
    if key is None:
        rows = [{key: None, **bookings.aggregate(**counts)}]
    else:
        rows = list(bookings.values(key).annotate(**counts).order_by())
    return {
        row[key] if key else None: BookingFigures(**{n: row[n] for n in counts}) for row in rows
    }


# --- Now -------------------------------------------------------------------------------------


@dataclass
class QueueNow:
    waiting: int
    longest_wait: int | None  # whole minutes the longest-waiting visitor has waited
    windows_open: int


def queue_now(office_q: Q, *, now=None) -> QueueNow:
    """The hall at this moment: who waits, the longest wait so far, windows with a specialist."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    waiting = Ticket.objects.filter(office_q, day=today, status=Status.WAITING)
    row = waiting.aggregate(n=Count("pk"), earliest=Min(wait_started()))
    longest = None
    if row["earliest"] is not None:
        longest = max(0, int((now - row["earliest"]).total_seconds() // 60))
    windows = Window.objects.active().filter(office_q, specialist_on=today).count()
    return QueueNow(row["n"], longest, windows)
