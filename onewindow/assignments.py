"""Поручения: the chief's instructions to the office's specialists.

Every write is here, with its actor, in one transaction, leaving a history record that names who
and why: `give_assignment`, `complete_assignment` (the assignee, with a note of what was done),
`cancel_assignment` and `reassign_assignment` (the chief). Open assignments are work of the
assignee (`onewindow.work`, kind «assignment»): «Мои дела» lists them, a handover moves them.

An assignment may concern a record of an app: the app registers the models that can be linked
(`register_target`) from its AppConfig.ready, so this layer imports no app.

Due dates: a number of working days from today (the production calendar), or a date. A date in
the past or on a non-working day is refused, naming the next working day: the chief chose that
date, so the system does not move it silently.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from onewindow import erasure, roles, workdays
from onewindow.errors import DomainError
from onewindow.handover import TAKES_WORK
from onewindow.models import Assignment, Office
from onewindow.numbering import next_number

GIVE = "onewindow.give_assignment"
VIEW = "onewindow.view_assignment"
# who may be given an assignment: whoever may be handed work over (specialists, chiefs), so a
# handover never moves an assignment to someone who could not have been given it
TAKES_ASSIGNMENTS = TAKES_WORK

MAX_DAYS = 120  # working days: about half a year
MAX_AHEAD_DAYS = 366
TEXT_MAX = 2000
NOTE_MAX = 2000


class AssignmentError(DomainError):
    """A refused write of an assignment."""


# --- What an assignment may concern --------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    model: type
    url_name: str
    select_related: tuple[str, ...] = ()
    describe: Callable | None = None

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    def title(self, obj) -> str:
        if self.describe is not None:
            return self.describe(obj)
        return getattr(obj, "work_title", None) or str(obj)

    def url(self, obj) -> str:
        try:
            return reverse(self.url_name, args=[obj.pk])
        except NoReverseMatch:
            return ""

    def queryset(self):
        queryset = self.model._default_manager.all()
        return queryset.select_related(*self.select_related) if self.select_related else queryset


TARGETS: dict[str, Target] = {}


def register_target(
    model, *, url_name: str, select_related=(), describe: Callable | None = None
) -> None:
    """Let an app say which of its records an assignment may concern (from AppConfig.ready).
    The model must belong to an office (`office`) and have `objects.for_user`."""
    target = Target(model, url_name, tuple(select_related), describe)
    TARGETS[target.label] = target


def target_of(obj) -> Target | None:
    return TARGETS.get(obj._meta.label_lower) if obj is not None else None


def about_key(obj) -> str:
    """The value of `?about=` that links a new assignment to `obj`: «cases.application:15»."""
    return f"{obj._meta.label_lower}:{obj.pk}"


def parse_about(value: str) -> tuple[Target, int] | None:
    """(target, pk) of an `?about=` value; None when empty; AssignmentError when it names
    nothing an assignment may concern."""
    value = (value or "").strip()
    if not value:
        return None
    label, _, pk = value.rpartition(":")
    target = TARGETS.get(label.lower())
    if target is None or not pk.isdigit():
        raise AssignmentError("Поручение не может касаться такой записи.", field="about")
    return target, int(pk)


def describe(assignment: Assignment) -> dict | None:
    """{"title", "url"} of the record the assignment concerns; None when it concerns none; a
    record destroyed meanwhile says so."""
    if assignment.content_type_id is None:
        return None
    obj = assignment.about
    target = target_of(obj)
    if obj is None or target is None:
        return {"title": erasure.ERASED, "url": ""}
    return {"title": target.title(obj), "url": target.url(obj)}


def with_about(queryset):
    """`queryset` with the linked records fetched in one query per kind of record."""
    if not TARGETS:
        return queryset
    return queryset.prefetch_related(
        GenericPrefetch("about", [target.queryset() for target in TARGETS.values()])
    )


# --- Who and when ------------------------------------------------------------------------------


def assignees(office: Office):
    return roles.may_take_work(TAKES_ASSIGNMENTS, office)


def may_give(user) -> bool:
    return user is not None and user.has_perm(GIVE)


def may_see(user, assignment: Assignment) -> bool:
    return user.pk in (assignment.assignee_id, assignment.given_by_id) or user.has_perm(VIEW)


def overdue_days(assignment: Assignment, today: datetime.date) -> int:
    """Working days past the due date: open and late (up to today), or done late (up to the
    day it was done); 0 when on time."""
    if assignment.status == Assignment.Status.OPEN:
        end = today
    elif assignment.status == Assignment.Status.DONE and assignment.done_at:
        end = timezone.localdate(assignment.done_at)
    else:
        return 0
    if end <= assignment.due_date:
        return 0
    return workdays.working_days_between(assignment.due_date, end)


def due_date_for(
    *,
    days: int | None = None,
    due_date: datetime.date | None = None,
    today: datetime.date | None = None,
) -> datetime.date:
    """The due date: `days` working days after today, or `due_date` itself when it is a
    working day from today on. Exactly one of them."""
    today = today or timezone.localdate()
    if days is not None and due_date is not None:
        raise AssignmentError(
            "Укажите срок одним способом: числом рабочих дней или датой.", field="due_date"
        )
    if days is None and due_date is None:
        raise AssignmentError(
            "Укажите срок исполнения: через сколько рабочих дней или дату.", field="days"
        )
    if days is not None:
        if not 1 <= days <= MAX_DAYS:
            raise AssignmentError(f"Срок — от 1 до {MAX_DAYS} рабочих дней.", field="days")
        return workdays.add_working_days(today, days)
    if due_date < today:
        raise AssignmentError(
            f"Срок {due_date:%d.%m.%Y} уже прошёл: укажите сегодняшнюю или более позднюю дату.",
            field="due_date",
        )
    if due_date > today + datetime.timedelta(days=MAX_AHEAD_DAYS):
        raise AssignmentError("Срок поручения — не дальше чем через год.", field="due_date")
    working, why = workdays.day_info(due_date)
    if not working:
        nearest = workdays.next_working_day(due_date)
        raise AssignmentError(
            f"{due_date:%d.%m.%Y} — нерабочий день ({why}): укажите рабочий день, "
            f"например {nearest:%d.%m.%Y}.",
            field="due_date",
        )
    return due_date


def _check_assignee(assignee, office: Office, *, actor) -> None:
    if assignee is None:
        raise AssignmentError("Выберите исполнителя.", field="assignee")
    if assignee.pk == actor.pk:
        raise AssignmentError("Поручение даётся другому сотруднику, не себе.", field="assignee")
    if not roles.can_take_work(assignee, TAKES_ASSIGNMENTS, office):
        raise AssignmentError(
            f"{assignee.short_name} не может быть исполнителем: исполнитель — действующий "
            "специалист вашего учреждения.",
            field="assignee",
        )


def _check_chief(actor, assignment: Assignment | None = None) -> None:
    if not may_give(actor):
        raise PermissionDenied("Давать, передавать и отменять поручения может главный специалист")
    if (
        assignment is not None
        and actor.office_id != assignment.office_id
        and not actor.sees_all_offices
    ):
        raise PermissionDenied("Поручение другого учреждения")


def _text(value: str, *, field: str, empty: str, limit: int, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise AssignmentError(empty, field=field)
    if len(value) > limit:
        raise AssignmentError(f"{what} длиннее {limit} знаков: сократите.", field=field)
    return value


def _locked_open(assignment: Assignment) -> Assignment:
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.status == Assignment.Status.DONE:
        raise AssignmentError(
            f"Поручение уже выполнено {timezone.localtime(locked.done_at):%d.%m.%Y}."
        )
    if locked.status == Assignment.Status.CANCELLED:
        raise AssignmentError(
            f"Поручение отменено {timezone.localtime(locked.cancelled_at):%d.%m.%Y}: "
            f"{locked.cancel_reason}"
        )
    return locked


def _save(assignment: Assignment, actor, reason: str) -> None:
    assignment._history_user = actor
    assignment._change_reason = reason
    assignment.save()


# --- The writes ----------------------------------------------------------------------------------


def give_assignment(
    *,
    actor,
    assignee,
    text: str,
    days: int | None = None,
    due_date: datetime.date | None = None,
    about=None,
) -> Assignment:
    """The chief gives `assignee` an instruction, due in `days` working days or on `due_date`,
    optionally concerning the record `about` (of the same office)."""
    _check_chief(actor)
    office = actor.office
    if office is None:
        raise AssignmentError("Учётная запись не привязана к учреждению: дать поручение нельзя.")
    text = _text(text, field="text", empty="Напишите текст поручения.", limit=TEXT_MAX,
                 what="Текст поручения")  # fmt: skip
    _check_assignee(assignee, office, actor=actor)
    today = timezone.localdate()
    due = due_date_for(days=days, due_date=due_date, today=today)
    if about is not None:
        if target_of(about) is None:
            raise AssignmentError("Поручение не может касаться такой записи.", field="about")
        if getattr(about, "office_id", None) != office.pk:
            raise AssignmentError(
                "Поручение может касаться только записи вашего учреждения.", field="about"
            )
    with transaction.atomic():
        assignment = Assignment(
            office=office,
            year=today.year,
            number=next_number(office, "assignment", today.year),
            given_by=actor,
            assignee=assignee,
            text=text,
            due_date=due,
            about=about,
        )
        _save(assignment, actor, "поручение дано")
    return assignment


def complete_assignment(assignment: Assignment, *, actor, note: str) -> Assignment:
    """The assignee marks the assignment done, saying what was done."""
    if actor.pk != assignment.assignee_id:
        raise PermissionDenied("Отметить выполнение может только исполнитель поручения")
    note = _text(note, field="note", empty="Напишите, что сделано: без этого поручение не закрывается.",
                 limit=NOTE_MAX, what="Отметка о выполнении")  # fmt: skip
    with transaction.atomic():
        assignment = _locked_open(assignment)
        if actor.pk != assignment.assignee_id:  # reassigned meanwhile
            raise PermissionDenied("Отметить выполнение может только исполнитель поручения")
        assignment.status = Assignment.Status.DONE
        assignment.done_at = timezone.now()
        assignment.done_note = note
        _save(assignment, actor, "выполнено")
    return assignment


def cancel_assignment(assignment: Assignment, *, actor, reason: str) -> Assignment:
    _check_chief(actor, assignment)
    reason = _text(reason, field="reason", empty="Укажите, почему поручение отменяется.",
                   limit=500, what="Причина отмены")  # fmt: skip
    with transaction.atomic():
        assignment = _locked_open(assignment)
        assignment.status = Assignment.Status.CANCELLED
        assignment.cancelled_at = timezone.now()
        assignment.cancelled_by = actor
        assignment.cancel_reason = reason
        _save(assignment, actor, "отменено")
    return assignment


def reassign_assignment(assignment: Assignment, *, actor, assignee) -> Assignment:
    """The chief gives an open assignment to another specialist."""
    _check_chief(actor, assignment)
    with transaction.atomic():
        assignment = _locked_open(assignment)
        if assignee is not None and assignee.pk == assignment.assignee_id:
            raise AssignmentError("Поручение уже у этого исполнителя.", field="assignee")
        _check_assignee(assignee, assignment.office, actor=actor)
        previous = assignment.assignee
        assignment.assignee = assignee
        _save(assignment, actor, f"исполнитель: {previous.short_name} → {assignee.short_name}")
    return assignment


# --- Destroying a person's data -------------------------------------------------------------------


def erase_assignments(subjects: list[erasure.Subject]) -> None:
    """An assignment about a record a destruction erased loses its text and notes (they are
    about the person); any assignment that names a person who goes altogether has the name
    replaced. The assignment itself stays: who gave it to whom, when, due and done."""
    for subject in subjects:
        ids = set()
        for label, object_ids in subject.objects.items():
            if label not in TARGETS or not object_ids:
                continue
            app_label, model = label.split(".")
            content_type = ContentType.objects.filter(app_label=app_label, model=model).first()
            if content_type is None:
                continue
            ids |= set(
                Assignment.objects.filter(
                    content_type=content_type, object_id__in=list(object_ids)
                ).values_list("pk", flat=True)
            )
        if ids:
            subject.destroyed("поручения сотрудникам по делам гражданина")
        erasure.erase_rows(
            Assignment, sorted(ids), subject=subject,
            values={"text": erasure.ERASED, "done_note": "", "cancel_reason": ""},
        )  # fmt: skip
    strong, weak = erasure.gone(subjects)
    if strong:
        fields = ["text", "done_note", "cancel_reason"]
        changed = erasure.redact_rows(Assignment.objects.all(), fields, strong, weak)
        erasure.redact_rows(
            Assignment.history.all(), [*fields, "history_change_reason"], strong, weak
        )
        for subject in subjects:
            if subject.anonymise:
                subject.touched("onewindow.assignment", changed)


# after the apps' erasers (they say which records they touched), before the shared records
erasure.register(
    "onewindow.assignments", erase_assignments, models=["onewindow.assignment"], order=85
)
