"""Gapless per-office numbering: the next journal or case-file number."""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction

from onewindow.models import Office, Sequence


def next_number(office: Office, name: str, year: int = 0) -> int:
    """Take the next number; must run inside the transaction that uses it."""
    if not connection.in_atomic_block:
        raise RuntimeError("next_number() must be called inside transaction.atomic()")
    if not Sequence.objects.filter(office=office, name=name, year=year).exists():
        try:
            with transaction.atomic():
                Sequence.objects.create(office=office, name=name, year=year)
        except IntegrityError:
            pass  # another counter created it at the same moment
    sequence = Sequence.objects.select_for_update().get(office=office, name=name, year=year)
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    return sequence.last_value
