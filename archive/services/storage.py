"""Storage and issue: taking a case file in, returning it into work, temporary issue and
return, moving, the legal hold, and the places of storage.

Each function runs in one transaction with history; refusals are `ArchiveError` with a Russian
message and the form field they belong to."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from archive.models import (
    ArchivedFile,
    DestructionAct,
    DestructionItem,
    FileIssue,
    Location,
    RetentionRule,
)
from archive.services.common import GONE, ArchiveError
from archive.services.intake import check_file_dates, file_title, open_work
from cases import archiving
from cases.models import CaseFile
from onewindow import workdays
from onewindow.errors import save_with_actor

DEFAULT_ISSUE_DAYS = 1


def check_box(location: Location, *, extra: int = 1) -> None:
    if location.kind != Location.Kind.BOX:
        raise ArchiveError(f"«{location.path}» — не короб: дела кладут в короб.", field="location")
    if location.capacity is not None:
        placed = location.files.exclude(status__in=GONE).count()
        if placed + extra > location.capacity:
            raise ArchiveError(
                f"Короб «{location.path}» заполнен: {placed} из {location.capacity} дел.",
                field="location",
            )


def register_by_number(
    *,
    actor,
    case_number: int,
    archive_number: str,
    retention_rule: RetentionRule,
    location: Location,
    start_date: datetime.date,
    end_date: datetime.date,
    sheets: int,
    event_date: datetime.date | None = None,
    volumes: int | None = None,
    nomenclature_index: str = "",
    title: str = "",
) -> ArchivedFile:
    """Take in the case file of number `case_number` among those the actor sees (the other
    arguments as `register_file`'s)."""
    case_file = (
        CaseFile.objects.for_user(actor)
        .filter(number=case_number)
        .select_related("applicant")
        .first()
    )
    if case_file is None:
        raise ArchiveError(
            f"Личного дела ЛД-{case_number:06d} в учреждении нет.", field="case_number"
        )
    return register_file(
        case_file, actor=actor, archive_number=archive_number, retention_rule=retention_rule,
        location=location, start_date=start_date, end_date=end_date, sheets=sheets,
        event_date=event_date, volumes=volumes, nomenclature_index=nomenclature_index, title=title,
    )  # fmt: skip


def register_file(
    case_file: CaseFile,
    *,
    actor,
    archive_number: str,
    retention_rule: RetentionRule,
    location: Location,
    start_date: datetime.date,
    end_date: datetime.date,
    sheets: int,
    event_date: datetime.date | None = None,
    volumes: int | None = None,
    nomenclature_index: str = "",
    title: str = "",
) -> ArchivedFile:
    """Take a case file into the archive: only a file nobody works on (no open application,
    no measure that has not stopped, no request waiting for an answer), with крайние даты that
    agree with its records (`event_date`, the deregistration date, is `end_date` when not
    given). A file returned into work earlier is taken in again on its record."""
    rule, location = retention_rule, location
    if location.office_id != case_file.office_id:
        raise ArchiveError("Место хранения другого учреждения.", field="location")
    with transaction.atomic():
        # the person's row first, as the counter locks it: no application slips in meanwhile
        case_file = archiving.lock_for_archiving(case_file)
        previous = ArchivedFile.objects.filter(case_file=case_file).first()
        if previous is not None and previous.status == ArchivedFile.Status.DESTROYED:
            raise ArchiveError(f"Дело № {previous.archive_number} уничтожено.")
        if previous is not None and previous.status != ArchivedFile.Status.WITHDRAWN:
            raise ArchiveError(f"Дело уже в архиве под № {previous.archive_number}.")
        busy = open_work(case_file)
        if busy:
            raise ArchiveError(
                f"Личное дело {case_file.number_display} ещё в работе, в архив его не принять: "
                + "; ".join(busy)
                + ".",
                field="case_number",
            )
        check_file_dates(case_file, start_date=start_date, end_date=end_date, event_date=event_date)
        Location.objects.select_for_update().filter(pk=location.pk).first()
        check_box(location)
        event_date = event_date or end_date
        item = previous or ArchivedFile(office=case_file.office, case_file=case_file)
        item.archive_number = archive_number.strip()
        item.nomenclature_index = nomenclature_index or rule.nomenclature_index or "—"
        item.year = end_date.year
        item.volumes = volumes or 1
        item.sheets = sheets
        item.title = title or file_title(case_file.applicant)
        item.start_date, item.end_date, item.event_date = start_date, end_date, event_date
        item.retention_rule = rule
        item.eligible_from = rule.eligible_from(event_date)
        item.location = location
        item.status = ArchivedFile.Status.IN_ARCHIVE
        item.registered_by = actor
        if previous is not None:
            item.registered_at = timezone.now()
            item._change_reason = "Принято в архив повторно"
        try:
            with transaction.atomic():
                save_with_actor(item, actor)
        except IntegrityError:
            raise ArchiveError(
                f"Архивный номер «{item.archive_number}» уже занят.", field="archive_number"
            ) from None
        archiving.mark_archived(case_file, actor=actor)
    return item


def withdraw_file(item: ArchivedFile, *, actor, reason: str) -> ArchivedFile:
    """«Вернуть из архива»: the case file goes back into work (a new application, a decision).
    The archive record stays, saying who returned the file, when and why; the case file is
    active again and its history names the archivist."""
    reason = (reason or "").strip()
    if not reason:
        raise ArchiveError(
            "Укажите основание возврата из архива (например, новое заявление № …).",
            field="reason",
        )
    with transaction.atomic():
        item = ArchivedFile.objects.select_for_update().select_related("case_file").get(pk=item.pk)
        if item.status == ArchivedFile.Status.ISSUED:
            raise ArchiveError("Дело выдано во временное пользование: сначала примите его обратно.")
        if item.status != ArchivedFile.Status.IN_ARCHIVE:
            raise ArchiveError(
                f"Вернуть в работу можно дело, которое находится в архиве, а это дело — "
                f"{item.get_status_display()}."
            )
        act = (
            DestructionItem.objects.filter(archived_file=item)
            .exclude(act__status=DestructionAct.Status.EXECUTED)
            .select_related("act")
            .first()
        )
        if act is not None:
            raise ArchiveError(
                f"Дело включено в {act.act} ({act.act.get_status_display()}): "
                "вернуть его в работу нельзя, пока акт не исполнен."
            )
        item.status = ArchivedFile.Status.WITHDRAWN
        item.withdrawn_on = timezone.localdate()
        item.withdrawn_by = actor
        item.withdrawal_reason = reason
        item._change_reason = f"Возвращено из архива в работу: {reason}"
        save_with_actor(item, actor)
        archiving.return_from_archive(item.case_file_id, actor=actor, reason=reason)
    return item


def issue_file(
    item: ArchivedFile, *, actor, to_user, purpose: str, due_back: datetime.date | None = None
) -> FileIssue:
    today = timezone.localdate()
    if not purpose.strip():
        raise ArchiveError("Укажите цель выдачи.", field="purpose")
    if to_user.office_id != item.office_id or not to_user.is_active:
        raise ArchiveError(
            "Дело выдаётся действующему сотруднику этого учреждения.", field="to_user"
        )
    due_back = due_back or workdays.add_working_days(today, DEFAULT_ISSUE_DAYS)
    if due_back < today:
        raise ArchiveError("Срок возврата раньше даты выдачи.", field="due_back")
    with transaction.atomic():
        item = ArchivedFile.objects.select_for_update().get(pk=item.pk)
        if item.status == ArchivedFile.Status.ISSUED:
            current = (
                item.issues.filter(returned_on__isnull=True).select_related("issued_to").first()
            )
            who = (
                f" ({current.issued_to.short_name}, до {current.due_back:%d.%m.%Y})"
                if current
                else ""
            )
            raise ArchiveError(f"Дело уже выдано{who}.")
        if item.status != ArchivedFile.Status.IN_ARCHIVE:
            raise ArchiveError(f"Дело нельзя выдать: {item.get_status_display()}.")
        issue = FileIssue(office=item.office, archived_file=item, issued_to=to_user, purpose=purpose.strip(),
                          issued_on=today, due_back=due_back, issued_by=actor)  # fmt: skip
        save_with_actor(issue, actor)
        item.status = ArchivedFile.Status.ISSUED
        save_with_actor(item, actor)
    return issue


def return_file(issue: FileIssue, *, actor, returned_on: datetime.date | None = None) -> FileIssue:
    returned_on = returned_on or timezone.localdate()
    with transaction.atomic():
        issue = (
            FileIssue.objects.select_for_update().select_related("archived_file").get(pk=issue.pk)
        )
        if issue.returned_on:
            raise ArchiveError(f"Дело уже возвращено {issue.returned_on:%d.%m.%Y}.")
        if returned_on < issue.issued_on:
            raise ArchiveError("Дата возврата раньше даты выдачи.", field="returned_on")
        issue.returned_on = returned_on
        issue.received_by = actor
        save_with_actor(issue, actor)
        item = issue.archived_file
        item.status = ArchivedFile.Status.IN_ARCHIVE
        save_with_actor(item, actor)
    return issue


def move_file(item: ArchivedFile, location: Location, *, actor) -> ArchivedFile:
    with transaction.atomic():
        item = ArchivedFile.objects.select_for_update().get(pk=item.pk)
        if item.status == ArchivedFile.Status.ISSUED:
            raise ArchiveError(
                "Дело выдано: переместить его можно после возврата.", field="location"
            )
        if location.office_id != item.office_id:
            raise ArchiveError("Место хранения другого учреждения.", field="location")
        check_box(location)
        item.location = location
        save_with_actor(item, actor)
    return item


def set_legal_hold(item: ArchivedFile, *, hold: bool, reason: str = "", actor) -> ArchivedFile:
    """Forbid destroying the file (a court case, an inspection) or lift the ban; the reason is
    kept with the file and in its history."""
    reason = (reason or "").strip()
    with transaction.atomic():
        item = ArchivedFile.objects.select_for_update().get(pk=item.pk)
        if item.status == ArchivedFile.Status.DESTROYED:
            raise ArchiveError("Дело уничтожено: запрет уничтожения не ставится.")
        if item.status == ArchivedFile.Status.WITHDRAWN:
            raise ArchiveError("Дело возвращено из архива в работу: запрет уничтожения не нужен.")
        if hold and not reason:
            raise ArchiveError(
                "Укажите основание запрета (например, запрос суда, № и дата).", field="reason"
            )
        if hold == item.legal_hold:
            raise ArchiveError(
                "Запрет уничтожения уже установлен." if hold else "Запрета уничтожения нет."
            )
        item.legal_hold = hold
        item.legal_hold_reason = reason if hold else ""
        item._change_reason = (
            f"Запрет уничтожения: {reason}"
            if hold
            else f"Запрет уничтожения снят{': ' + reason if reason else ''}"
        )
        save_with_actor(item, actor)
    return item


def create_location(
    *, actor, kind: str, name: str, parent: Location | None = None, capacity: int | None = None
) -> Location:
    """A place of storage in the actor's office: a room, a rack in a room, a shelf on a rack, a
    box on a shelf; its designation unique where it stands."""
    if not actor.has_perm("archive.add_location"):
        raise PermissionDenied("Недостаточно прав")
    if kind != Location.Kind.ROOM and parent is None:
        raise ArchiveError(
            "Укажите, куда входит это место (стеллаж — в помещение, полка — в стеллаж, короб — на полку).",
            field="parent",
        )
    if parent is not None and parent.office_id != actor.office_id:
        raise ArchiveError("Место хранения другого учреждения.", field="parent")
    with transaction.atomic():
        if Location.objects.filter(office=actor.office, parent=parent, name=name).exists():
            raise ArchiveError("Такое обозначение здесь уже есть.", field="name")
        location = Location(
            office=actor.office, parent=parent, kind=kind, name=name, capacity=capacity
        )
        save_with_actor(location, actor)
    return location
