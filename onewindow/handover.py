"""Handover of a specialist's open work (передача дел) and its return.

Every kind of open work registered in `onewindow.work` moves together, in one transaction: all
or nothing. A temporary handover returns what is still open at its end, with a second act."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from onewindow import roles, work
from onewindow.db import lock_rows
from onewindow.errors import DomainError
from onewindow.models import Handover, HandoverItem, User
from onewindow.names import name_in, signature_name
from onewindow.numbering import next_number

# Who may receive handed-over work: whoever works with applications (specialists, chiefs).
TAKES_WORK = "cases.change_application"


class HandoverError(DomainError):
    """A refused handover."""


def _describe(kind: work.WorkKind, obj) -> tuple[str, datetime.date | None]:
    due = kind.due_of(obj)
    return getattr(obj, "work_title", None) or f"{kind.title}: {obj}", due


def may_hand_over(actor, from_user) -> bool:
    return actor.has_perm("onewindow.add_handover") or (
        actor.pk == from_user.pk and actor.has_perm("onewindow.handover_own")
    )


def hand_over(
    *,
    actor,
    from_user: User,
    to_user: User,
    reason: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    permanent: bool = False,
    note: str = "",
    order_number: str = "",
    order_date: datetime.date | None = None,
) -> Handover:
    """Hand a person's open work over to a colleague of the office, for a period or for good,
    with an act listing every item (each app's open work, `onewindow.work`)."""
    _check_people(actor, from_user, to_user)
    order_number = (order_number or "").strip()
    ends_on = _check_terms(reason, starts_on, ends_on, permanent, order_number, order_date)
    with transaction.atomic():
        items = _locked_open_work(from_user, to_user)
        handover = Handover(
            office=from_user.office, from_user=from_user, to_user=to_user, reason=reason,
            order_number=order_number, order_date=order_date, permanent=permanent,
            starts_on=starts_on, ends_on=ends_on, number=next_number(from_user.office, "handover"),
            created_by=actor, note=note,
            status=Handover.Status.FINAL if permanent else Handover.Status.ACTIVE,
        )  # fmt: skip
        handover._history_user = actor
        handover.save()
        HandoverItem.objects.bulk_create(
            HandoverItem(handover=handover, kind=kind.code, object_id=obj.pk,
                         description=description[:500], due_date=due)
            for kind, obj, description, due in items
        )  # fmt: skip
        for kind, obj, _, _ in items:
            setattr(obj, kind.user_field, to_user)
            obj._history_user = actor
            obj.save(update_fields=[kind.user_field])
    return handover


def _check_people(actor, from_user: User, to_user: User) -> None:
    """Who may hand over, and to whom: a colleague of the same office who works cases."""
    if not may_hand_over(actor, from_user):
        raise PermissionDenied("Передать дела может главный специалист или сам специалист")
    if from_user.pk == to_user.pk:
        raise HandoverError("Нельзя передать дела самому себе.", field="to_user")
    if to_user.office_id != from_user.office_id or (
        actor.office_id != from_user.office_id and not actor.sees_all_offices
    ):
        raise HandoverError(
            "Дела передаются только сотруднику того же учреждения.", field="to_user"
        )
    if not to_user.is_active:
        raise HandoverError(
            f"{name_in(to_user, 'dative', short=True)} нельзя передать дела: учётная запись отключена.",
            field="to_user",
        )
    if not roles.can_take_work(to_user, TAKES_WORK, from_user.office):
        raise HandoverError(
            f"{name_in(to_user, 'dative', short=True)} нельзя передать дела: "
            "нет роли специалиста (не работает с заявлениями).",
            field="to_user",
        )


def _check_terms(
    reason: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    permanent: bool,
    order_number: str,
    order_date: datetime.date | None,
) -> datetime.date | None:
    """The basis, the order and the period of a handover; returns its last day (None: for good)."""
    if reason not in Handover.Reason.values:
        raise HandoverError("Укажите основание передачи.", field="reason")
    if order_number and order_date is None:
        raise HandoverError("Укажите дату приказа.", field="order_date")
    if order_date is not None and not order_number:
        raise HandoverError("Укажите номер приказа.", field="order_number")
    if permanent:
        return None
    if ends_on is None:
        raise HandoverError(
            "Укажите, по какое число передаются дела (или отметьте «окончательно»).",
            field="ends_on",
        )
    if ends_on < starts_on:
        raise HandoverError(
            "Период передачи заканчивается раньше, чем начинается.", field="ends_on"
        )
    return ends_on


def _locked_open_work(from_user: User, to_user: User) -> list[tuple]:
    """Every open item of `from_user` (kind, object, description, due day), locked; both people
    locked first in a stable order, so two handovers cannot interleave."""
    list(User.objects.select_for_update().filter(pk__in=[from_user.pk, to_user.pk]).order_by("pk"))
    items = []
    for code, queryset in work.open_work(from_user).items():
        kind = work.KINDS[code]
        for obj in lock_rows(queryset):
            description, due = _describe(kind, obj)
            items.append((kind, obj, description, due))
    if not items:
        raise HandoverError(
            f"У {name_in(from_user, 'genitive', short=True)} нет незавершённых дел: передавать нечего.",
            field="from_user",
        )
    return items


def may_see_handover(user, handover: Handover) -> bool:
    """A handover, its act and its return: the chief (who hands over) or one of its two people."""
    return user.has_perm("onewindow.add_handover") or user.pk in (
        handover.from_user_id,
        handover.to_user_id,
    )


def return_handover(handover: Handover, *, actor, automatic: bool = False) -> list[HandoverItem]:
    """End a temporary handover: what is still open and still with the substitute goes back."""
    if not automatic and not may_see_handover(actor, handover):
        raise PermissionDenied("Вернуть дела может главный специалист или участники передачи")
    with transaction.atomic():
        handover = Handover.objects.select_for_update().get(pk=handover.pk)
        if handover.permanent or handover.status != Handover.Status.ACTIVE:
            raise HandoverError("Эта передача не действует: возвращать нечего.")
        if not handover.from_user.is_active:
            raise HandoverError(
                f"Учётная запись {name_in(handover.from_user, 'genitive', short=True)} отключена: вернуть дела нельзя."
            )
        returned = []
        for item in handover.items.all():
            kind = work.KINDS.get(item.kind)
            if kind is None:
                continue
            # The item may have moved to another step of the same work meanwhile (an
            # application decided, now to be notified): it goes back while any step is open.
            obj, kind = _still_open(kind, handover.to_user, item.object_id)
            if obj is None:
                continue  # finished meanwhile, or handed on: stays where it is
            setattr(obj, kind.user_field, handover.from_user)
            obj._history_user = actor
            obj.save(update_fields=[kind.user_field])
            item.returned = True
            item.save(update_fields=["returned"])
            returned.append(item)
        handover.status = Handover.Status.RETURNED
        handover.returned_at = timezone.now()
        handover.returned_by = actor
        handover._history_user = actor
        handover.save()
    return returned


def _still_open(kind: work.WorkKind, user, pk: int):
    """The object of a handed-over item if some step of its work is still open with `user`."""
    for candidate in [
        kind,
        *(k for k in work.KINDS.values() if k.model is kind.model and k is not kind),
    ]:
        if candidate.user_field != kind.user_field:
            continue
        obj = candidate.open_items(user).filter(pk=pk).first()
        if obj is not None:
            return obj, candidate
    return None, kind


# Reasons that always follow the director's order (an illness follows a sick note instead).
ORDER_REASONS = {Handover.Reason.LEAVE, Handover.Reason.TRIP, Handover.Reason.DISMISSAL}


def approver(handover: Handover) -> tuple[str, str]:
    """(position, «И. О. Фамилия») of who approves the act. The rule: the chief specialist,
    unless the chief is a party to the handover (hands over or receives the work) — then the
    director. Nobody approves their own handover, so one person is never the receiver and the
    approver at once."""
    parties = {handover.from_user_id, handover.to_user_id}
    office = handover.office
    chief = (
        User.objects.filter(office=office, groups__name=roles.CHIEF, is_active=True)
        .exclude(pk__in=parties)
        .order_by("pk")
        .first()
    )
    if chief is not None:
        return chief.position or "Главный специалист", signature_name(chief)
    director = (
        User.objects.filter(office=office, groups__name=roles.DIRECTOR, is_active=True)
        .exclude(pk__in=parties)
        .order_by("pk")
        .first()
    )
    if director is not None:
        return "Директор", signature_name(director)
    return "Директор", signature_name(office.director_name)


def deactivation_blockers(user) -> list[str]:
    """Why a user cannot be deactivated yet: their open work, kind by kind."""
    blockers = []
    for code, queryset in work.open_work(user).items():
        count = queryset.count()
        if count:
            blockers.append(f"{work.KINDS[code].title}: {count}")
    return blockers


def deactivate_user(user, *, actor) -> None:
    blockers = deactivation_blockers(user)
    if blockers:
        raise HandoverError(
            "Нельзя отключить учётную запись: за сотрудником числятся незавершённые дела ("
            + "; ".join(blockers)
            + "). Сначала передайте их."
        )
    user.is_active = False
    user._history_user = actor
    user.save(update_fields=["is_active"])


def return_expired(*, today: datetime.date | None = None) -> list[Handover]:
    """Nightly: temporary handovers whose period has ended give back what is still open."""
    today = today or timezone.localdate()
    returned = []
    for handover in Handover.objects.filter(
        status=Handover.Status.ACTIVE, permanent=False, ends_on__lt=today
    ):
        try:
            return_handover(handover, actor=handover.created_by, automatic=True)
        except HandoverError:
            continue  # the specialist left meanwhile: the chief decides
        returned.append(handover)
    return returned
