"""Reassigning selected items of work to another specialist of the same office: the one rule the
apps' services share (cases: applications and requests; reconciliation: selection items).

The app's service locks its rows, calls `reassign_rows`, and writes its own event; this module
checks who may receive the work and who may move it, sets the field with history (the actor and
a reason), all or nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from onewindow import roles
from onewindow.errors import DomainError
from onewindow.names import name_in

# Who may move other people's work: the chief (the right to hand work over).
REASSIGNS = "onewindow.add_handover"


class ReassignError(DomainError):
    """A refused reassignment."""


@dataclass(frozen=True)
class Reassigned:
    moved: int
    unchanged: int  # already with that specialist


def reassign_rows(
    rows: Iterable,
    *,
    field: str,
    to_user,
    actor,
    permission: str,
    takes_work: str,
    note: str = "",
    is_open: Callable[[object], bool],
    title: Callable[[object], str],
    on_moved: Callable[[object, object], None] | None = None,
) -> Reassigned:
    """Give every row of `rows` (locked by the caller, in its transaction) to `to_user` by
    setting `field`. Refused as a whole when the actor may not move work (`permission`), the
    receiver may not take it (`takes_work` in the row's office), or a row is no longer open.
    `on_moved(row, previous_user)` writes the app's own event."""
    rows = list(rows)
    if not actor.has_perm(permission):
        raise PermissionDenied("Передавать работу другим специалистам может главный специалист")
    if not rows:
        raise ReassignError("Отметьте, что передать.", field="items")
    if to_user is None:
        raise ReassignError("Выберите, кому передать.", field="to_user")
    receiver = name_in(to_user, "dative", short=True)
    if not to_user.is_active:
        raise ReassignError(f"{receiver} нельзя передать работу: учётная запись отключена.", field="to_user")  # fmt: skip
    closed = [title(row) for row in rows if not is_open(row)]
    if closed:
        raise ReassignError(
            "Ничего не передано: уже завершено — " + "; ".join(closed[:5])
            + (f" и ещё {len(closed) - 5}" if len(closed) > 5 else "") + ".",
            field="items",
        )  # fmt: skip
    offices = {row.office_id for row in rows}
    for office_id in offices:
        if office_id != to_user.office_id:
            raise ReassignError(
                "Передать можно только сотруднику того же учреждения.", field="to_user"
            )
        if actor.office_id != office_id and not actor.sees_all_offices:
            raise PermissionDenied("Работа другого учреждения")
    if not roles.can_take_work(to_user, takes_work, to_user.office):
        raise ReassignError(
            f"{receiver} нельзя передать эту работу: нет такой роли.", field="to_user"
        )
    moved = unchanged = 0
    reason = f"передано {receiver} главным специалистом" + (f": {note}" if note else "")
    for row in rows:
        previous_id = getattr(row, f"{field}_id")
        if previous_id == to_user.pk:
            unchanged += 1
            continue
        previous = getattr(row, field)
        setattr(row, field, to_user)
        row._history_user = actor
        row._change_reason = reason[:100]
        row.save(update_fields=[field])
        if on_moved is not None:
            on_moved(row, previous)
        moved += 1
    return Reassigned(moved=moved, unchanged=unchanged)
