"""Periods of the catalogue's rules: the kinds of days, counting them (ГК РФ ст. 191–193 and
the production calendar), and a service version's deadlines and window to apply.

`VersionPeriods` is the part of `ServiceVersion` that turns its period fields into dates and
words: the decision's deadline, the notice and payment periods, the window to apply."""

from __future__ import annotations

import calendar
import datetime

from django.db import models

from onewindow import workdays
from onewindow.text import counted


class DayKind(models.TextChoices):
    WORKING = "working", "рабочие дни"
    CALENDAR = "calendar", "календарные дни"
    SAME_DAY = "same_day", "в день обращения"


class DeadlineStart(models.TextChoices):
    REGISTRATION = "registration", "со дня регистрации заявления"
    LAST_ANSWER = "last_answer", "со дня поступления последнего ответа на межведомственный запрос"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (earlier when negative); the month's last day when it has
    no such day (ГК РФ ст. 192: 31.08 + 6 months = 28.02 or 29.02)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


def count_days(start: datetime.date, days: int, kind: str) -> datetime.date:
    """The last day of a period of `days` of `kind` counted from `start` (the day of the
    event is not counted). A calendar period ending on a day off ends on the next working
    day (ГК РФ ст. 193); «в день обращения» is `start` itself."""
    if kind == DayKind.SAME_DAY:
        return start
    if kind == DayKind.CALENDAR:
        return workdays.next_working_day(start + datetime.timedelta(days=days))
    return workdays.add_working_days(start, days)


def days_display(days: int | None, kind: str) -> str:
    """«10 рабочих дней», «30 календарных дней», «в день обращения»."""
    if kind == DayKind.SAME_DAY:
        return "в день обращения"
    noun = "рабочий день,рабочих дня,рабочих дней"
    if kind == DayKind.CALENDAR:
        noun = "календарный день,календарных дня,календарных дней"
    return counted(days or 0, noun)


class VersionPeriods:
    """The rules of a version's periods, as the counter and the decision apply them (mixed
    into `ServiceVersion`, whose fields they read)."""

    def decision_deadline(self, start: datetime.date) -> datetime.date:
        """The decision's deadline counted from `start` (the registration date, or the day
        the last interagency answer came when the regulation counts from it)."""
        return count_days(start, self.deadline_days, self.deadline_kind)

    @property
    def deadline_display(self) -> str:
        """«10 рабочих дней», «30 календарных дней со дня поступления последнего ответа …»."""
        text = days_display(self.deadline_days, self.deadline_kind)
        if (
            self.deadline_from == DeadlineStart.LAST_ANSWER
            and self.deadline_kind != DayKind.SAME_DAY
        ):
            text += " " + DeadlineStart.LAST_ANSWER.label
        return text

    @property
    def counts_from_last_answer(self) -> bool:
        return (
            self.deadline_from == DeadlineStart.LAST_ANSWER
            and self.deadline_kind != DayKind.SAME_DAY
        )

    def notice_deadline(
        self, decided_on: datetime.date, default_working_days: int
    ) -> datetime.date:
        if self.notice_days is None:
            return workdays.add_working_days(decided_on, default_working_days)
        return count_days(decided_on, self.notice_days, self.notice_kind)

    @property
    def notice_display(self) -> str:
        return days_display(self.notice_days, self.notice_kind) if self.notice_days else ""

    def payment_deadline(self, decided_on: datetime.date) -> datetime.date | None:
        if self.payment_days is None:
            return None
        return count_days(decided_on, self.payment_days, self.payment_kind)

    @property
    def payment_display(self) -> str:
        return days_display(self.payment_days, self.payment_kind) if self.payment_days else ""

    @property
    def has_window(self) -> bool:
        return bool(self.apply_within_months or self.apply_within_days)

    def last_day_to_apply(self, event_date: datetime.date) -> datetime.date | None:
        if self.apply_within_months:
            return add_months(event_date, self.apply_within_months)
        if self.apply_within_days:
            return event_date + datetime.timedelta(days=self.apply_within_days)
        return None

    @property
    def window_display(self) -> str:
        """«в течение 6 месяцев со дня рождения ребёнка»."""
        if self.apply_within_months:
            span = counted(self.apply_within_months, "месяца,месяцев,месяцев")
        elif self.apply_within_days:
            span = counted(self.apply_within_days, "дня,дней,дней")
        else:
            return ""
        return f"в течение {span}" + (f" со дня {self.apply_event}" if self.apply_event else "")

    @property
    def event_label(self) -> str:
        """The counter's field for the event the window runs from: «Дата рождения ребёнка»."""
        return f"Дата {self.apply_event}" if self.apply_event else "Дата события"
