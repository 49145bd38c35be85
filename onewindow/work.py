"""Open work assigned to a person, across the apps: what "My work" lists, what a handover moves,
and what must be handed over before a user is deactivated.

Each app registers its kinds of work:

    register(WorkKind("application", "Заявления", Application, "specialist",
                      open_filter=Q(status__in=[...]), due_field="deadline"))
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet


@dataclass(frozen=True)
class WorkKind:
    code: str
    title: str
    model: type
    user_field: str
    open_filter: Q = field(default_factory=Q)
    due_field: str = ""
    url_name: str = ""  # reverse(url_name, args=[pk]) opens an item
    select_related: tuple[str, ...] = ()

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
