"""Open work assigned to a person, across the apps: what "My work" lists, what a handover moves,
and what must be handed over before a user is deactivated.

Each app registers its kinds of work:

    register(WorkKind("application", "Заявления", Application, "specialist",
                      open_filter=Q(status__in=[...]), due_field="deadline"))
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from onewindow import workdays


@dataclass(frozen=True)
class WorkKind:
    code: str
    title: str
    model: type
    user_field: str
    open_filter: Q = field(default_factory=Q)
    # The field that orders the items: the due date itself, or (with `due_days`) the date or
    # moment the work arrived, the item being due that many working days later.
    due_field: str = ""
    due_days: int = 0
    url_name: str = ""  # reverse(url_name, args=[pk]) opens an item
    select_related: tuple[str, ...] = ()

    def due_of(self, obj) -> datetime.date | None:
        """The day the item is due, always a date (a moment is read in the office's zone)."""
        value = getattr(obj, self.due_field, None) if self.due_field else None
        if value is None:
            return None
        if isinstance(value, datetime.datetime):
            value = timezone.localdate(value)
        if self.due_days:
            value = workdays.add_working_days(value, self.due_days)
        return value

    def open_items(self, user) -> QuerySet:
        qs = self.model._default_manager.filter(self.open_filter, **{self.user_field: user})
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.due_field:
            qs = qs.order_by(self.due_field, "pk")
        return qs


KINDS: dict[str, WorkKind] = {}


def register(kind: WorkKind) -> None:
    KINDS[kind.code] = kind


def open_work(user) -> dict[str, QuerySet]:
    return {code: kind.open_items(user) for code, kind in KINDS.items()}


def open_work_count(user) -> int:
    return sum(items.count() for items in open_work(user).values())
