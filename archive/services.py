"""Every write of the archive: taking a case file in, temporary issue and return, moving.

Each function runs in one transaction with history; refusals are `ArchiveError` with a Russian
message and the form field they belong to."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from archive.models import ArchivedFile, FileIssue, Location, RetentionRule
from cases.models import CaseFile, Entitlement
from onewindow import workdays

DEFAULT_ISSUE_DAYS = 1


class ArchiveError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def _save(obj, actor) -> None:
    obj._history_user = actor
    obj.save()


def check_box(location: Location, *, extra: int = 1) -> None:
    if location.kind != Location.Kind.BOX:
        raise ArchiveError(f"«{location.path}» — не короб: дела кладут в короб.", field="location")
    if location.capacity is not None:
        placed = location.files.exclude(status=ArchivedFile.Status.DESTROYED).count()
        if placed + extra > location.capacity:
            raise ArchiveError(
                f"Короб «{location.path}» заполнен: {placed} из {location.capacity} дел.",
                field="location",
            )


def register_file(case_file: CaseFile, data: dict, *, actor) -> ArchivedFile:
    """Take a case file into the archive. All its measures must have stopped."""
    rule: RetentionRule = data["retention_rule"]
    location: Location = data["location"]
    if location.office_id != case_file.office_id:
        raise ArchiveError("Место хранения другого учреждения.", field="location")
    if data["start_date"] > data["end_date"]:
        raise ArchiveError("Крайние даты: начало позже конца.", field="end_date")
    with transaction.atomic():
        case_file = CaseFile.objects.select_for_update().get(pk=case_file.pk)
        if hasattr(case_file, "archived"):
            raise ArchiveError(f"Дело уже в архиве под № {case_file.archived.archive_number}.")
        active = Entitlement.objects.filter(case_file=case_file).exclude(
            status=Entitlement.Status.STOPPED
        )
        if active.exists():
            names = ", ".join(
                sorted({e.service.short_title for e in active.select_related("service")})
            )
            raise ArchiveError(
                f"У получателя есть действующие или приостановленные меры ({names}): дело в архив не передаётся."
            )
        Location.objects.select_for_update().filter(pk=location.pk).first()
        check_box(location)
        item = ArchivedFile(
            office=case_file.office,
            case_file=case_file,
            archive_number=data["archive_number"].strip(),
            nomenclature_index=data.get("nomenclature_index") or rule.nomenclature_index or "—",
            year=data["end_date"].year,
            volumes=data.get("volumes") or 1,
            sheets=data["sheets"],
            title=data.get("title")
            or f"Личное дело получателя мер социальной поддержки {case_file.applicant.full_name}",
            start_date=data["start_date"],
            end_date=data["end_date"],
            event_date=data.get("event_date") or data["end_date"],
            retention_rule=rule,
            eligible_from=rule.eligible_from(data.get("event_date") or data["end_date"]),
            location=location,
            registered_by=actor,
        )
        try:
            with transaction.atomic():
                _save(item, actor)
        except IntegrityError:
            raise ArchiveError(
                f"Архивный номер «{item.archive_number}» уже занят.", field="archive_number"
            ) from None
        case_file.status = CaseFile.Status.ARCHIVED
        case_file.closed_on = case_file.closed_on or timezone.localdate()
        _save(case_file, actor)
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
        _save(issue, actor)
        item.status = ArchivedFile.Status.ISSUED
        _save(item, actor)
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
        _save(issue, actor)
        item = issue.archived_file
        item.status = ArchivedFile.Status.IN_ARCHIVE
        _save(item, actor)
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
        _save(item, actor)
    return item
