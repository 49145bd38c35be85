"""Open work assigned to a person, across the apps: what "My work" lists, what a handover moves,
and what must be handed over before a user is deactivated.

Each app registers its kinds of work:

    register(WorkKind("application", "Заявления", Application, "specialist",
                      open_filter=Q(status__in=[...]), due_field="deadline"))
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Count, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
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

    def overdue_q(self, today: datetime.date) -> Q:
        """The items due before `today` as a filter: the same rule as `due_of(obj) < today`,
        so that a count in SQL agrees with the rows a page flags."""
        if not self.due_field:
            return Q(pk__in=[])
        # the latest day the item can be due (or, with `due_days`, arrive) and be overdue today
        last = today - datetime.timedelta(days=1)
        if self.due_days:
            for _ in range(workdays.MAX_SPAN_DAYS):
                if workdays.add_working_days(last, self.due_days) < today:
                    break
                last -= datetime.timedelta(days=1)
        if isinstance(self.model._meta.get_field(self.due_field), models.DateTimeField):
            next_day = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time())
            return Q(**{f"{self.due_field}__lt": timezone.make_aware(next_day)})
        return Q(**{f"{self.due_field}__lte": last})

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


def open_counts(
    user, today: datetime.date | None = None, *, overdue: bool = True
) -> dict[str, tuple[int, int]]:
    """{code: (open, overdue)} of every kind of a person's work, in one query whatever the
    number of kinds (the counter's strip; the navigation's badge on every page, which needs no
    overdue figures: `overdue=False` counts them as 0 and leaves the calendar alone)."""
    from django.contrib.auth import get_user_model

    if user is None or user.pk is None or not KINDS:
        return {code: (0, 0) for code in KINDS}
    today = today or timezone.localdate()
    annotations = {}
    for index, kind in enumerate(KINDS.values()):
        # the person's id as a literal, not a reference to the outer row: the planner then
        # knows whose rows these are (a chief with few among a specialist's millions)
        items = kind.model._default_manager.filter(kind.open_filter, **{kind.user_field: user.pk})
        annotations[f"open_{index}"] = _count(items, kind.user_field)
        if overdue:
            annotations[f"overdue_{index}"] = _count(
                items.filter(kind.overdue_q(today)), kind.user_field
            )
    row = (
        get_user_model()
        ._base_manager.filter(pk=user.pk)
        .order_by()
        .annotate(**annotations)
        .values(*annotations)
        .first()
    ) or {}
    return {
        code: (row.get(f"open_{index}", 0), row.get(f"overdue_{index}", 0))
        for index, code in enumerate(KINDS)
    }


def _count(items: QuerySet, user_field: str):
    grouped = items.order_by().values(user_field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(grouped[:1]), 0, output_field=models.IntegerField())


BADGE_CAP = 99  # the navigation shows «99+» beyond this: it never counts a person's millions


def open_work_badge(user) -> str:
    """The «Мои дела» badge on every page: the person's open work, counted up to BADGE_CAP per
    kind in one query (each kind's rows read with LIMIT), so a page costs the same for someone
    with three open applications and for someone with three hundred thousand."""
    from django.db import connection

    if user is None or user.pk is None or not KINDS:
        return ""
    parts, params = [], []
    for kind in KINDS.values():
        items = kind.model._default_manager.filter(kind.open_filter, **{kind.user_field: user.pk})
        sql, item_params = items.order_by().values("pk")[: BADGE_CAP + 1].query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted)")
        params.extend(item_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        total = sum(cursor.fetchone())
    if not total:
        return ""
    return f"{BADGE_CAP}+" if total > BADGE_CAP else str(total)


def open_work_count(user) -> int:
    return sum(open_ for open_, _ in open_counts(user, overdue=False).values())
