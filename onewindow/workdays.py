"""The Russian production calendar: working days, deadlines in working days.

Holidays, transferred days off and working Saturdays come from the `holidays` package
(`holidays.RU`, its `weekend_workdays`); `CalendarOverride` rows (edited by the admin) win over
it for decrees the package does not know yet. Years are cached; saving an override clears the
cache.
"""

from __future__ import annotations

import datetime
import time
from functools import lru_cache

import holidays

MAX_SPAN_DAYS = 366 * 5


@lru_cache(maxsize=32)
def _package_year(year: int) -> tuple[dict[datetime.date, str], frozenset[datetime.date]]:
    calendar = holidays.RU(years=year, language="ru")
    return dict(calendar.items()), frozenset(getattr(calendar, "weekend_workdays", ()))


# Overrides are re-read at most once a minute per process: an edit made in another process
# (another gunicorn worker, the Celery worker) is seen within that time.
OVERRIDES_TTL_SECONDS = 60
_overrides_cache: dict[int, tuple[float, dict[datetime.date, tuple[bool, str]]]] = {}


def _overrides(year: int) -> dict[datetime.date, tuple[bool, str]]:
    cached = _overrides_cache.get(year)
    if cached is None or time.monotonic() - cached[0] > OVERRIDES_TTL_SECONDS:
        from onewindow.models import CalendarOverride

        rows = {
            row.date: (row.is_working, row.reason)
            for row in CalendarOverride.objects.filter(date__year=year)
        }
        cached = (time.monotonic(), rows)
        _overrides_cache[year] = cached
    return cached[1]


def clear_cache(**kwargs) -> None:
    _overrides_cache.clear()


def day_info(day: datetime.date) -> tuple[bool, str]:
    """(is working, why) for one day."""
    override = _overrides(day.year).get(day)
    if override is not None:
        is_working, reason = override
        return is_working, reason
    holiday_names, working_weekends = _package_year(day.year)
    if day in holiday_names:
        return False, holiday_names[day]
    if day in working_weekends:
        return True, "рабочий день (перенос выходного)"
    if day.weekday() >= 5:
        return False, "выходной"
    return True, ""


def is_working_day(day: datetime.date) -> bool:
    return day_info(day)[0]


def is_pre_holiday(day: datetime.date) -> bool:
    """A working day before a non-working public holiday (ТК РФ ст. 95): shortened by an hour.
    A day off moved from a weekend («Выходной (перенесено …)», «… (выходной)») is not a holiday
    and shortens nothing; an override that makes the holiday a working day cancels it."""
    if not is_working_day(day):
        return False
    following = day + datetime.timedelta(days=1)
    if following in _overrides(following.year):
        return False
    name = _package_year(following.year)[0].get(following)
    return name is not None and "выходной" not in name.lower()


PRE_HOLIDAY_SHORTENING = datetime.timedelta(hours=1)


def next_working_day(day: datetime.date) -> datetime.date:
    """`day` itself when it is a working day, else the first working day after it."""
    for _ in range(MAX_SPAN_DAYS):
        if is_working_day(day):
            return day
        day += datetime.timedelta(days=1)
    raise ValueError("В календаре нет рабочих дней в ближайшие пять лет")


def add_working_days(day: datetime.date, n: int) -> datetime.date:
    """The n-th working day after `day` (`day` itself is not counted; n=0 gives the next
    working day on or after `day`). A start on a non-working day counts from the next working
    day, as for an application received on a day off."""
    if n < 0:
        raise ValueError("Число рабочих дней не может быть отрицательным")
    current = next_working_day(day)
    remaining = n
    while remaining:
        current += datetime.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days in (start, end]: how many working days pass from `start` to `end`.
    Negative when `end` is before `start` (e.g. days overdue)."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    current = start
    while current < end:
        current += datetime.timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count


def month_days(year: int, month: int) -> list[dict]:
    """Every day of a month with its status, for the calendar page."""
    first = datetime.date(year, month, 1)
    days = []
    current = first
    while current.month == month:
        working, reason = day_info(current)
        override = current in _overrides(year)
        days.append({"date": current, "working": working, "reason": reason, "override": override})
        current += datetime.timedelta(days=1)
    return days


class WorkdayIndex:
    """Working days between many pairs of dates at the cost of one pass over the span: reports
    count working days to a decision for every decision of a period (`between` is two lookups,
    not a walk through the calendar for each pair). Dates outside the span are walked as
    `working_days_between` does."""

    def __init__(self, start: datetime.date, end: datetime.date):
        self.start = start
        self.end = end
        self._count: dict[datetime.date, int] = {}
        count = 0
        current = start
        while current <= end:
            if current != start and is_working_day(current):
                count += 1
            self._count[current] = count
            current += datetime.timedelta(days=1)

    def between(self, start: datetime.date, end: datetime.date) -> int:
        """As `working_days_between(start, end)`."""
        if start in self._count and end in self._count:
            return self._count[end] - self._count[start]
        return working_days_between(start, end)


# --- The admin's overrides (a new decree the package does not know yet) ------------------------


class CalendarError(Exception):
    """A refused override, with the field it concerns."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


def add_override(*, day: datetime.date, is_working: bool, reason: str, actor):
    """Make `day` working or non-working whatever `holidays.RU` says, with history; every
    process sees it within OVERRIDES_TTL_SECONDS (this one at once)."""
    from django.core.exceptions import PermissionDenied
    from django.db import transaction

    from onewindow.models import CalendarOverride

    if not actor.has_perm("onewindow.add_calendaroverride"):
        raise PermissionDenied("Исключения календаря вносит администратор")
    reason = " ".join((reason or "").split())
    if not reason:
        raise CalendarError("Укажите основание (постановление, приказ).", field="reason")
    with transaction.atomic():
        if CalendarOverride.objects.select_for_update().filter(date=day).exists():
            raise CalendarError("На эту дату исключение уже внесено.", field="date")
        override = CalendarOverride(date=day, is_working=is_working, reason=reason)
        override._history_user = actor
        override.save()  # the cache is cleared by the model's post_save (onewindow/apps.py)
    return override


def remove_override(override, *, actor) -> None:
    from django.core.exceptions import PermissionDenied

    if not actor.has_perm("onewindow.delete_calendaroverride"):
        raise PermissionDenied("Исключения календаря удаляет администратор")
    override._history_user = actor
    override.delete()
