"""Small database helpers shared by the apps' services."""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet


def lock_rows(queryset: QuerySet) -> QuerySet:
    """`select_for_update` that locks only the queryset's own rows (`of=("self",)`: not the rows of
    joined tables) where the database can say so; PostgreSQL can, SQLite locks the whole file
    anyway."""
    if connection.features.has_select_for_update_of:
        return queryset.select_for_update(of=("self",))
    return queryset.select_for_update()
