"""Every write of the archive: taking a case file in, temporary issue and return, moving.

Each function runs in one transaction with history; refusals are `ArchiveError` with a Russian
message and the form field they belong to."""

from __future__ import annotations

import datetime
import re

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from archive.models import (
    ArchivedFile,
    DestructionAct,
    DestructionItem,
    FileIssue,
    Location,
    RetentionRule,
)
from cases.models import (
    Applicant,
    Application,
    CaseFile,
    Entitlement,
    IncomingRequest,
    InteragencyRequest,
    OutgoingRequest,
)
from onewindow import work, workdays
from onewindow.db import lock_rows
from onewindow.errors import DomainError, save_with_actor
from onewindow.names import name_in
from onewindow.text import counted, counted_in_words, natural_key, plural, quoted

DEFAULT_ISSUE_DAYS = 1

# Files no longer on the archive's shelves: destroyed, or returned into work.
GONE = (ArchivedFile.Status.DESTROYED, ArchivedFile.Status.WITHDRAWN)


class ArchiveError(DomainError):
    """A refusal in the archive."""


_save = save_with_actor


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


# Applications still someone's work: open, or decided with the applicant not yet notified.
UNFINISHED_APPLICATIONS = (
    *Application.OPEN_STATUSES,
    Application.Status.GRANTED,
    Application.Status.REFUSED,
)


def open_work(case_file: CaseFile) -> list[str]:
    """What keeps a case file in work, one Russian phrase per kind: open applications by number,
    measures not stopped by service, unanswered requests, and the open work other apps register
    for the person (selections). Empty: the file may go into the archive."""
    person = case_file.applicant
    found = []
    applications = (
        Application.objects.filter(case_file=case_file, status__in=UNFINISHED_APPLICATIONS)
        .select_related("service")
        .order_by("reg_year", "reg_number")
    )
    if applications:
        found.append(
            "незавершённые заявления: "
            + ", ".join(
                f"№ {a.number_display} ({a.service.short_title}, {a.get_status_display()})"
                for a in applications
            )
        )
    measures = (
        Entitlement.objects.filter(case_file=case_file)
        .exclude(status=Entitlement.Status.STOPPED)
        .select_related("service")
        .order_by("service__short_title", "pk")
    )
    if measures:
        found.append(
            "действующие или приостановленные меры: "
            + ", ".join(f"{m.service.short_title} ({m.get_status_display()})" for m in measures)
        )
    requests = [
        f"межведомственный запрос {quoted(r.document.title)} (заявление № {r.application.number_display})"
        for r in InteragencyRequest.objects.filter(
            application__case_file=case_file,
            application__status__in=UNFINISHED_APPLICATIONS,
            result="",
        ).select_related("document", "application")
    ]
    requests += [
        f"запрос {r.sender} № {r.sender_number} от {r.sender_date:%d.%m.%Y}"
        for r in IncomingRequest.objects.filter(
            applicant=person, office=case_file.office, answered_on__isnull=True
        )
    ]
    requests += [
        f"наш запрос № {r.out_number}/{r.out_year} в {r.to_office}"
        for r in OutgoingRequest.objects.filter(
            applicant=person, office=case_file.office, answered_on__isnull=True
        ).select_related("to_office")
    ]
    if requests:
        found.append("запросы без ответа: " + ", ".join(requests))
    # Work other apps register (selections, and any kind added later) that names the person.
    for kind in work.KINDS.values():
        if kind.model._meta.app_label in {"cases", "archive"}:
            continue
        if not any(f.name == "applicant" for f in kind.model._meta.get_fields()):
            continue
        scope = {"applicant": person}
        if any(f.name == "office" for f in kind.model._meta.get_fields()):
            scope["office"] = case_file.office  # another office's work is none of this file's
        items = list(kind.model._default_manager.filter(kind.open_filter, **scope)[:10])
        if items:
            found.append(
                f"{kind.title.lower()} в работе: {len(items)} ({', '.join(map(str, items))})"
            )
    return found


def _records(case_file: CaseFile):
    """(date, what) of every dated record of the file: applications, decisions, notices,
    measures, answers to requests. The file's крайние даты must cover them."""
    yield case_file.opened_on, "личное дело заведено"
    for a in Application.objects.filter(case_file=case_file):
        yield a.registered_on, f"заявление № {a.number_display} зарегистрировано"
        if a.decision_date:
            yield a.decision_date, f"решение по заявлению № {a.number_display}"
        if a.notified_on:
            yield a.notified_on, f"заявитель уведомлён о решении по заявлению № {a.number_display}"
    for m in Entitlement.objects.filter(case_file=case_file).select_related("service"):
        yield m.start_date, f"мера {quoted(m.service.short_title)} назначена"
        if m.end_date:
            yield m.end_date, f"мера {quoted(m.service.short_title)} выплачивалась по"
        if m.status_changed_on:
            yield (
                m.status_changed_on,
                f"мера {quoted(m.service.short_title)} {m.get_status_display()}",
            )
    for r in InteragencyRequest.objects.filter(
        application__case_file=case_file, response_on__isnull=False
    ).select_related("document"):
        yield r.response_on, f"ответ на межведомственный запрос {quoted(r.document.title)}"


def check_file_dates(case_file: CaseFile, data: dict) -> None:
    """The крайние даты and the deregistration date against the file's own records: a typo must
    not end a file before it began, in the future, or years early (which would make it eligible
    for destruction)."""
    today = timezone.localdate()
    start, end = data["start_date"], data["end_date"]
    event = data.get("event_date")
    if start > end:
        raise ArchiveError("Крайние даты: начало позже конца.", field="end_date")
    if end > today:
        raise ArchiveError(
            f"Крайние даты: конец ({end:%d.%m.%Y}) позже сегодняшнего дня.", field="end_date"
        )
    birth = case_file.applicant.birth_date
    if birth and start < birth:
        raise ArchiveError(
            f"Крайние даты: начало ({start:%d.%m.%Y}) раньше даты рождения получателя "
            f"({birth:%d.%m.%Y}). Проверьте дату.",
            field="start_date",
        )
    if end < case_file.opened_on:
        raise ArchiveError(
            f"Крайние даты: конец ({end:%d.%m.%Y}) раньше, чем заведено личное дело "
            f"({case_file.opened_on:%d.%m.%Y}).",
            field="end_date",
        )
    records = [(day, what) for day, what in _records(case_file) if day and day <= today]
    if records:
        # the latest record; of records on one day, the one that comes last in the file
        _, (last_day, last_what) = max(enumerate(records), key=lambda pair: (pair[1][0], pair[0]))
        if end < last_day:
            raise ArchiveError(
                f"Крайние даты: конец ({end:%d.%m.%Y}) раньше последней записи личного дела — "
                f"{last_what} {last_day:%d.%m.%Y}. Проверьте дату.",
                field="end_date",
            )
    if event is None:
        return
    if event > today:
        raise ArchiveError(
            f"Дата снятия с учёта ({event:%d.%m.%Y}) позже сегодняшнего дня.", field="event_date"
        )
    if event < start:
        raise ArchiveError(
            f"Дата снятия с учёта ({event:%d.%m.%Y}) раньше начала крайних дат ({start:%d.%m.%Y}).",
            field="event_date",
        )
    stops = [
        (m.end_date or m.status_changed_on, m.service.short_title)
        for m in Entitlement.objects.filter(
            case_file=case_file, status=Entitlement.Status.STOPPED
        ).select_related("service")
        if m.end_date or m.status_changed_on
    ]
    if stops:
        last_stop, service = max(stops)
        if event < last_stop:
            raise ArchiveError(
                f"Дата снятия с учёта ({event:%d.%m.%Y}) раньше прекращения меры {quoted(service)} "
                f"({last_stop:%d.%m.%Y}): срок хранения отсчитывался бы раньше времени.",
                field="event_date",
            )


def file_title(applicant) -> str:
    """The title of a case file as its cover and the inventory give it: the kind of file and the
    person in the genitive («Личное дело получателя мер социальной поддержки Григорьева Олега
    Семёновича»)."""
    return f"Личное дело получателя мер социальной поддержки {name_in(applicant, 'genitive')}"


def register_file(case_file: CaseFile, data: dict, *, actor) -> ArchivedFile:
    """Take a case file into the archive: only a file nobody works on (no open application,
    no measure that has not stopped, no request waiting for an answer), with крайние даты that
    agree with its records. A file returned into work earlier is taken in again on its record."""
    rule: RetentionRule = data["retention_rule"]
    location: Location = data["location"]
    if location.office_id != case_file.office_id:
        raise ArchiveError("Место хранения другого учреждения.", field="location")
    with transaction.atomic():
        # The person's row first, as the counter locks it before registering an application:
        # an application cannot slip in between this check and the archiving.
        Applicant.objects.select_for_update().filter(pk=case_file.applicant_id).first()
        case_file = CaseFile.objects.select_for_update().get(pk=case_file.pk)
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
        check_file_dates(case_file, data)
        Location.objects.select_for_update().filter(pk=location.pk).first()
        check_box(location)
        event_date = data.get("event_date") or data["end_date"]
        item = previous or ArchivedFile(office=case_file.office, case_file=case_file)
        item.archive_number = data["archive_number"].strip()
        item.nomenclature_index = data.get("nomenclature_index") or rule.nomenclature_index or "—"
        item.year = data["end_date"].year
        item.volumes = data.get("volumes") or 1
        item.sheets = data["sheets"]
        item.title = data.get("title") or file_title(case_file.applicant)
        item.start_date, item.end_date, item.event_date = (
            data["start_date"],
            data["end_date"],
            event_date,
        )
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
                _save(item, actor)
        except IntegrityError:
            raise ArchiveError(
                f"Архивный номер «{item.archive_number}» уже занят.", field="archive_number"
            ) from None
        case_file.status = CaseFile.Status.ARCHIVED
        case_file.closed_on = case_file.closed_on or timezone.localdate()
        _save(case_file, actor)
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
        _save(item, actor)
        case_file = CaseFile.objects.select_for_update().get(pk=item.case_file_id)
        case_file.status = CaseFile.Status.ACTIVE
        case_file.closed_on = None
        case_file._change_reason = f"Возвращено из архива: {reason}"
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
        _save(item, actor)
    return item


# --- Presence checks ------------------------------------------------------------------------------


from archive.models import InventoryCheck, InventoryCheckExtra, InventoryCheckItem  # noqa: E402

SCAN_PREFIX = re.compile(r"^ARCH:[^:]+:")


def start_check(
    *,
    actor,
    order_number: str,
    order_date,
    commission,
    locations=(),
    years=(),
    chair=None,
    place: str = "",
) -> InventoryCheck:
    """`chair`: the commission's chair, one of its members (the first member when not given);
    `place`: where the check is held (the office's address and the archive's rooms when empty)."""
    members = list(commission)
    if len({m.pk for m in members}) < 3:
        raise ArchiveError("Комиссия — не меньше трёх человек.", field="commission")
    if chair is not None and chair.pk not in {m.pk for m in members}:
        raise ArchiveError("Председатель комиссии — один из её членов: отметьте его в составе.",
                           field="chair")  # fmt: skip
    if any(m.office_id != actor.office_id or not m.is_active for m in members):
        raise ArchiveError(
            "В комиссию входят действующие сотрудники этого учреждения.", field="commission"
        )
    if not order_number.strip():
        raise ArchiveError("Укажите номер приказа.", field="order_number")
    files = ArchivedFile.objects.filter(office=actor.office).exclude(status__in=GONE)
    if locations:
        boxes = set()
        frontier = [loc.pk for loc in locations]
        while frontier:  # every box below the chosen places
            boxes.update(frontier)
            frontier = list(
                Location.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
            )
        files = files.filter(location_id__in=boxes)
    if years:
        files = files.filter(year__in=list(years))
    if not files.exists():
        raise ArchiveError(
            "В выбранных местах и годах нет дел: проверять нечего.", field="locations"
        )
    place = (place or "").strip() or check_place(actor.office, locations, files)
    with transaction.atomic():
        today = timezone.localdate()
        check = InventoryCheck(office=actor.office, order_number=order_number.strip(), order_date=order_date,
                               years=sorted(set(years)), started_on=today, created_by=actor,
                               number=next_number(actor.office, "presence_check", today.year),
                               chair=chair or members[0], place=place[:500])  # fmt: skip
        _save(check, actor)
        check.commission.set(members)
        check.locations.set(list(locations))
        InventoryCheckItem.objects.bulk_create(
            [InventoryCheckItem(inventory=check, archived_file=f) for f in files]
        )
    return check


def check_place(office, locations, files) -> str:
    """«г. Волгоград, ул. …; архивное помещение 101»: the office's address and the rooms that
    hold the checked files."""
    rooms = []
    boxes = Location.objects.filter(pk__in=files.values("location_id").distinct())
    for box in boxes.select_related("parent__parent__parent"):
        node = box
        while node.parent_id is not None and node.kind != Location.Kind.ROOM:
            node = node.parent
        if node.kind == Location.Kind.ROOM and node.name not in rooms:
            rooms.append(node.name)
    room_text = (
        f"архивное помещение {', '.join(sorted(rooms))}"
        if len(rooms) == 1
        else f"архивные помещения {', '.join(sorted(rooms))}"
        if rooms
        else "архив учреждения"
    )
    return "; ".join(part for part in (office.address, room_text) if part)


# Letters that look alike in the Latin and Cyrillic alphabets: a number typed on the wrong
# keyboard layout («A-2026-0004» with a Latin A) is the same number.
_LATIN_TO_CYRILLIC = str.maketrans("ABCEHKMOPTXY", "АВСЕНКМОРТХУ")
_CYRILLIC_TO_LATIN = str.maketrans("АВСЕНКМОРТХУ", "ABCEHKMOPTXY")


# The case file's number as printed on it and on the counter's pages: «ЛД-000003»; typed also
# «лд 3», «LD-3», or «KL-3» (the same keys in the Latin layout).
CASE_FILE_NUMBER_RE = re.compile(r"^(?:лд|ld|kl)[\s\-№.]*0*(\d{1,9})$", re.IGNORECASE)
_MAX_NUMBER_WIDTH = 8


def case_file_number(text: str) -> int | None:
    """The case file's number when `text` is it in its printed form («ЛД-000003»), else None."""
    if m := CASE_FILE_NUMBER_RE.match((text or "").strip()):
        return int(m.group(1))
    return None


def number_variants(number: str) -> list[str]:
    """The forms an archive number may be stored in, whatever the case and layout it was
    typed in, with or without the leading zeros of its last digits («4», «004», «А-0004»)."""
    forms = [number]
    for text in (number.upper(), number.lower()):
        up = text.upper()
        for layout in (up.translate(_LATIN_TO_CYRILLIC), up.translate(_CYRILLIC_TO_LATIN)):
            forms += [layout, layout.lower()] if text.islower() else [layout]
        forms.append(text)
    padded = []
    for form in forms:
        if m := re.fullmatch(r"(.*?)(\d+)", form):
            prefix, digits = m.groups()
            core = digits.lstrip("0") or "0"
            widths = range(len(core), max(_MAX_NUMBER_WIDTH, len(digits)) + 1)
            padded += [prefix + core.zfill(width) for width in widths]
    return list(dict.fromkeys(forms + padded))


def archive_number_q(text: str) -> Q:
    """The files `text` names: by archive number in any of its forms, or by the case file's
    printed number («ЛД-000003»)."""
    query = Q(archive_number__in=number_variants(text))
    if (number := case_file_number(text)) is not None:
        query |= Q(case_file__number=number)
    return query


def scan(check: InventoryCheck, code: str, *, actor) -> tuple[str, str]:
    """Mark a file found by its scanned or typed number. Returns (kind, Russian message): kind is
    found | again | extra | unknown."""
    number = SCAN_PREFIX.sub("", (code or "").strip())
    if not number:
        return "unknown", "Пустой код: отсканируйте ярлык ещё раз."
    with transaction.atomic():
        check = InventoryCheck.objects.select_for_update().get(pk=check.pk)
        if check.status != InventoryCheck.Status.IN_PROGRESS:
            return "unknown", "Проверка уже завершена."
        by_number = archive_number_q(number)
        in_check = check.items.filter(
            archived_file__in=ArchivedFile.objects.filter(office=check.office).filter(by_number)
        )
        item = in_check.select_related("archived_file").first()
        if item is not None:
            if item.found:
                return (
                    "again",
                    f"№ {item.archived_file.archive_number} уже отмечено ({timezone.localtime(item.found_at):%H:%M}).",
                )
            item.found, item.found_at, item.found_by = True, timezone.now(), actor
            item.save(update_fields=["found", "found_at", "found_by"])
            return (
                "found",
                f"№ {item.archived_file.archive_number} — найдено: {item.archived_file.title}",
            )
        known = ArchivedFile.objects.filter(office=check.office).filter(by_number).first()
        _, created = InventoryCheckExtra.objects.get_or_create(
            inventory=check, scanned=number, defaults={"archived_file": known}
        )
        if not created:
            return "again", f"№ {number} уже отмечено как лишнее."
        if known is not None:
            return (
                "extra",
                f"№ {number} есть в архиве, но не входит в эту проверку ({known.location.path}): отмечено как лишнее.",
            )
        return "unknown", f"№ {number} в архиве не числится: отложите дело и отметьте его в акте."


def technical_errors(numbers: list[str]) -> list[str]:
    """Skipped numbers and letter-suffixed numbers in a run of archive numbers."""
    errors = []
    plain = []
    for number in numbers:
        match = re.fullmatch(r"(.*?)(\d+)([а-яa-z]*)", number.strip(), flags=re.I)
        if not match:
            continue
        prefix, digits, suffix = match.groups()
        if suffix:
            errors.append(f"литерный номер {number}")
        plain.append((prefix, int(digits), len(digits)))
    by_prefix: dict[str, list[int]] = {}
    widths: dict[str, int] = {}
    for prefix, value, width in plain:
        by_prefix.setdefault(prefix, []).append(value)
        widths[prefix] = width
    for prefix, values in by_prefix.items():
        present = sorted(set(values))
        for missing in range(present[0], present[-1]):
            if missing not in present:
                errors.append(f"пропущен номер {prefix}{missing:0{widths[prefix]}d}")
    return errors


def finish_check(
    check: InventoryCheck, *, actor, condition: str = "", condition_notes: str = ""
) -> dict:
    """`condition`: the physical condition of the checked files as the act records it
    («удовлетворительное» when not given), `condition_notes`: which files need repair and why."""
    with transaction.atomic():
        check = InventoryCheck.objects.select_for_update().get(pk=check.pk)
        if check.status != InventoryCheck.Status.IN_PROGRESS:
            raise ArchiveError("Проверка уже завершена.")
        check.condition = (condition or "").strip()[:100] or check.condition or "удовлетворительное"
        check.condition_notes = (condition_notes or "").strip()
        today = timezone.localdate()
        for item in check.items.select_related("archived_file"):
            archived = item.archived_file
            archived.last_checked_on = today
            if not item.found and archived.status == ArchivedFile.Status.IN_ARCHIVE:
                archived.status = ArchivedFile.Status.NOT_FOUND
            elif item.found and archived.status == ArchivedFile.Status.NOT_FOUND:
                archived.status = ArchivedFile.Status.IN_ARCHIVE
            _save(archived, actor)
        check.status = InventoryCheck.Status.FINISHED
        check.finished_on = today
        _save(check, actor)
    return check_result(check)


def check_result(check: InventoryCheck) -> dict:
    items = list(check.items.select_related("archived_file__location"))
    issued = [
        i for i in items if not i.found and i.archived_file.status == ArchivedFile.Status.ISSUED
    ]
    # each issued-out file with its open issue: who holds it and until when
    open_issues = {
        issue.archived_file_id: issue
        for issue in FileIssue.objects.filter(
            archived_file_id__in=[i.archived_file_id for i in issued], returned_on__isnull=True
        ).select_related("issued_to")
    }
    for i in issued:
        i.issue = open_issues.get(i.archived_file_id)
    return {
        "listed": items,
        "present": [i for i in items if i.found],
        "not_found": [i for i in items if not i.found and i not in issued],
        "issued": issued,
        "extras": list(check.extras.select_related("archived_file")),
        "errors": technical_errors([i.archived_file.archive_number for i in items]),
    }


# --- Destruction ----------------------------------------------------------------------------------

from django.core.exceptions import PermissionDenied  # noqa: E402

from archive.models import PersonalDataDestruction  # noqa: E402
from onewindow import erasure  # noqa: E402
from onewindow.names import CASES, decline  # noqa: E402
from onewindow.numbering import next_number  # noqa: E402


def eligible_files(office, act_date: datetime.date):
    """Files whose retention ended by 1 January of the act's year; never permanent files, files
    issued out or under a legal hold, files of a person with a live measure, or files already in
    another act."""
    first_of_year = datetime.date(act_date.year, 1, 1)
    live_people = Entitlement.objects.exclude(status=Entitlement.Status.STOPPED).values(
        "applicant_id"
    )
    in_acts = DestructionItem.objects.exclude(act__status=DestructionAct.Status.EXECUTED).values(
        "archived_file_id"
    )
    return (
        ArchivedFile.objects.filter(
            office=office,
            status=ArchivedFile.Status.IN_ARCHIVE,
            legal_hold=False,
            retention_rule__permanent=False,
            eligible_from__isnull=False,
            eligible_from__lte=first_of_year,
        )
        .exclude(case_file__applicant_id__in=live_people)
        .exclude(pk__in=in_acts)
        .select_related("retention_rule")
        .order_by("year", "nomenclature_index", "archive_number")
    )


def draft_act(*, actor, act_date: datetime.date) -> DestructionAct:
    if not actor.has_perm("archive.add_destructionact"):
        raise PermissionDenied("Акт составляет архивариус")
    with transaction.atomic():
        files = list(lock_rows(eligible_files(actor.office, act_date)))
        if not files:
            raise ArchiveError(
                f"Нет дел, срок хранения которых истёк к 01.01.{act_date.year}: акт составлять не из чего.",
                field="act_date",
            )
        act = DestructionAct(office=actor.office, number=next_number(actor.office, "destruction", act_date.year),
                             act_date=act_date, compiled_by=actor)  # fmt: skip
        # the header cites the same lists the retention rules (and each line) cite
        bases = list(dict.fromkeys(f.retention_rule.act_basis for f in files))
        act.basis = "; ".join(bases)[:500] or act.basis
        _save(act, actor)
        DestructionItem.objects.bulk_create(
            [
                DestructionItem(
                    act=act,
                    archived_file=f,
                    title=f.title,
                    dates=f.dates_display,
                    year=f.year,
                    inventory=f"опись за {f.year} г.",
                    index=f.nomenclature_index,
                    retention=f.retention_rule.act_reference,
                )
                for f in files
            ]
        )
    return act


def agree_act(
    act: DestructionAct, *, actor, protocol_number: str, protocol_date: datetime.date
) -> DestructionAct:
    if not actor.has_perm("archive.agree_destructionact"):
        raise PermissionDenied("Согласование ЭК вносит главный специалист")
    if not protocol_number.strip() or protocol_date is None:
        raise ArchiveError("Укажите номер и дату протокола ЭК.", field="protocol_number")
    with transaction.atomic():
        act = DestructionAct.objects.select_for_update().get(pk=act.pk)
        if act.status != DestructionAct.Status.DRAFT:
            raise ArchiveError(f"Акт уже {act.get_status_display()}.")
        act.protocol_number, act.protocol_date, act.agreed_by = (
            protocol_number.strip(),
            protocol_date,
            actor,
        )
        act.status = DestructionAct.Status.AGREED
        _save(act, actor)
    return act


def approve_act(act: DestructionAct, *, actor) -> DestructionAct:
    if not actor.has_perm("archive.approve_destructionact"):
        raise PermissionDenied("Акт утверждает директор")
    with transaction.atomic():
        act = DestructionAct.objects.select_for_update().get(pk=act.pk)
        if act.status == DestructionAct.Status.DRAFT:
            raise ArchiveError("Акт ещё не согласован экспертной комиссией.")
        if act.status != DestructionAct.Status.AGREED:
            raise ArchiveError(f"Акт уже {act.get_status_display()}.")
        act.status, act.approved_by, act.approved_on = (
            DestructionAct.Status.APPROVED,
            actor,
            timezone.localdate(),
        )
        _save(act, actor)
    return act


def check_destruction_record(act: DestructionAct, record: dict) -> dict:
    """The record of destruction the act carries (Правила хранения, приказ Росархива № 77): the
    method, the weight or volume, and for paper handed to a recycler its waybill; the date is
    neither before the approval nor in the future. Returns the cleaned record."""
    today = timezone.localdate()
    method = (record.get("method") or "").strip()
    if method not in DestructionAct.Method.values:
        raise ArchiveError("Выберите способ уничтожения дел.", field="method")
    volume = (record.get("volume") or "").strip()
    if not volume:
        raise ArchiveError(
            "Укажите массу или объём уничтоженных дел (например, «3,5 кг»).", field="volume"
        )
    destroyed_on = record.get("destroyed_on") or today
    if destroyed_on > today:
        raise ArchiveError(
            f"Дата уничтожения ({destroyed_on:%d.%m.%Y}) позже сегодняшнего дня.",
            field="destroyed_on",
        )
    if act.approved_on and destroyed_on < act.approved_on:
        raise ArchiveError(
            f"Дата уничтожения ({destroyed_on:%d.%m.%Y}) раньше утверждения акта "
            f"({act.approved_on:%d.%m.%Y}).",
            field="destroyed_on",
        )
    recycler = (record.get("recycler") or "").strip()
    number = (record.get("handover_number") or "").strip()
    handover_date = record.get("handover_date")
    if method == DestructionAct.Method.RECYCLING:
        if not recycler:
            raise ArchiveError("Укажите организацию, которой дела переданы на переработку.",
                               field="recycler")  # fmt: skip
        if not number or handover_date is None:
            raise ArchiveError("Укажите номер и дату накладной о передаче дел на переработку.",
                               field="handover_number")  # fmt: skip
        if handover_date > today:
            raise ArchiveError(f"Дата накладной ({handover_date:%d.%m.%Y}) позже сегодняшнего дня.",
                               field="handover_date")  # fmt: skip
    return {"method": method, "volume": volume, "destroyed_on": destroyed_on, "recycler": recycler,
            "handover_number": number, "handover_date": handover_date}  # fmt: skip


# Information-system side of a personal-data destruction: what the erasers do (onewindow.erasure).
IS_METHOD = (
    "удаление записей и обезличивание сведений о субъекте в базе данных, включая историю изменений"
)


def execute_act(act: DestructionAct, *, actor, record: dict) -> PersonalDataDestruction:
    """The files were destroyed: erase what they held in every app (`onewindow.erasure`) — the
    documents, requests and notes of the file, its title in the archive and in the acts, the
    access log's mentions; a person with no other live file or measure is anonymised, history
    included. The personal-data destruction act alone names the subjects (приказ РКН № 179)."""
    if not actor.has_perm("archive.execute_destructionact"):
        raise PermissionDenied("Уничтожение отмечает архивариус")
    with transaction.atomic():
        act = DestructionAct.objects.select_for_update().get(pk=act.pk)
        if act.status != DestructionAct.Status.APPROVED:
            raise ArchiveError("Уничтожить можно только по утверждённому директором акту.")
        done = check_destruction_record(act, record)
        destroyed_on = done["destroyed_on"]
        reason = f"истечение сроков хранения (акт о выделении к уничтожению № {act.number} от {act.act_date:%d.%m.%Y})"
        files_of: dict[int, list[ArchivedFile]] = {}
        for item in act.items.select_related("archived_file__case_file__applicant"):
            archived = item.archived_file
            if archived.status == ArchivedFile.Status.ISSUED:
                raise ArchiveError(
                    f"Дело № {archived.archive_number} выдано: уничтожение невозможно, пока оно не возвращено."
                )
            if archived.legal_hold:
                raise ArchiveError(
                    f"На дело № {archived.archive_number} наложен запрет уничтожения "
                    f"({archived.legal_hold_reason or 'без основания'}): уничтожение невозможно."
                )
            files_of.setdefault(archived.case_file.applicant_id, []).append(archived)
        records, subjects, event_log = [], [], []
        now = timezone.now()
        who = actor.full_name or actor.get_username()
        if getattr(actor, "position", ""):
            who = f"{who}, {actor.position}"
        people = Applicant.objects.filter(pk__in=files_of).order_by("last_name", "first_name", "pk")
        for applicant in people:
            archived_files = files_of[applicant.pk]
            subject = _subject(applicant, archived_files, act=act, actor=actor)
            subjects.append(subject)
            records.append({
                "id": applicant.pk,
                "full_name": applicant.full_name,
                "birth_date": f"{applicant.birth_date:%d.%m.%Y}" if applicant.birth_date else "",
                "snils": applicant.snils_masked,
                "files": [f"№ {f.archive_number} ({f.case_file.number_display})" for f in archived_files],
                "sheets": sum(f.sheets for f in archived_files),
                "anonymised": subject.anonymise,
            })  # fmt: skip
            for archived in archived_files:
                archived.status = ArchivedFile.Status.DESTROYED
                archived._change_reason = f"Уничтожено по акту № {act.number}"
                _save(archived, actor)
        erasure.erase(subjects)
        for subject, record in zip(subjects, records, strict=True):
            record["categories"] = subject.categories
            record["what"] = (
                "персональные данные уничтожены, запись о гражданине обезличена"
                if subject.anonymise
                else "уничтожены документы и сведения дела; гражданин состоит на учёте по другому делу или мере, "
                "его учётная запись сохранена"
            )
            event_log.append({
                "at": erasure.local_stamp(now), "event": "Уничтожение персональных данных",
                "subject": record["full_name"], "birth_date": record["birth_date"], "snils": record["snils"],
                "categories": "; ".join(subject.categories), "what": record["what"], "who": who,
                "username": actor.get_username(), "reason": reason,
            })  # fmt: skip
        act.status, act.executed_by, act.executed_on = (
            DestructionAct.Status.EXECUTED,
            actor,
            destroyed_on,
        )
        act.destruction_method, act.destruction_volume = done["method"], done["volume"]
        act.recycler, act.handover_number, act.handover_date = (
            done["recycler"], done["handover_number"], done["handover_date"],
        )  # fmt: skip
        _save(act, actor)
        _forget_rendered_acts(act)
        files = sum(len(r["files"]) for r in records)
        sheets = sum(r["sheets"] for r in records)
        paper = act.get_destruction_method_display()
        if act.recycler:
            paper += f" ({act.recycler}, накладная № {act.handover_number} от {act.handover_date:%d.%m.%Y})"
        pd = PersonalDataDestruction.objects.create(
            office=act.office, act=act, destroyed_on=destroyed_on, destroyed_by=actor, subjects=records,
            number=next_number(act.office, "pd_destruction", destroyed_on.year),
            data_categories="фамилия, имя, отчество; дата и место рождения; СНИЛС; реквизиты документа, удостоверяющего "
            "личность; адреса; телефон, электронная почта; сведения о льготных категориях; документы личного дела",
            media=f"бумажные личные дела: {counted(files, 'дело,дела,дел')}, {counted(sheets, 'лист,листа,листов')}; "
            "информационная система «Одно окно» (база данных)",
            method=f"бумажные носители — {paper}; информационная система — {IS_METHOD}",
            reason=reason,
            event_log=event_log, keep_until=datetime.date(destroyed_on.year + 3, destroyed_on.month, min(destroyed_on.day, 28)),
        )  # fmt: skip
    return pd


def _subject(
    applicant: Applicant, archived_files: list[ArchivedFile], *, act, actor
) -> erasure.Subject:
    """The person as the erasers see them: their needles read before anything is erased, and
    whether they go altogether (no other file that is not destroyed, no live measure)."""
    destroyed_ids = [f.pk for f in archived_files]
    live = (
        applicant.case_files.exclude(archived__status=ArchivedFile.Status.DESTROYED)
        .exclude(archived__pk__in=destroyed_ids)
        .exists()
        or Entitlement.objects.filter(applicant=applicant)
        .exclude(status=Entitlement.Status.STOPPED)
        .exists()
    )
    declined = [
        decline(applicant.last_name, first, middle, applicant.sex, case)
        for case in CASES
        for first, middle in ((applicant.first_name, applicant.middle_name), ("", ""))
    ]
    documents = list(applicant.categories.values_list("document", flat=True))
    documents += list(
        applicant.categories.model.history.filter(applicant_id=applicant.pk).values_list(
            "document", flat=True
        )
    )
    strong, weak = erasure.needles_for(applicant, declined=declined, documents=documents)
    return erasure.Subject(
        applicant=applicant, office=archived_files[0].office, case_file_ids=[f.case_file_id for f in archived_files],
        anonymise=not live, actor=actor, reason=f"Уничтожение по акту № {act.number} от {act.act_date:%d.%m.%Y}",
        needles=strong, weak_needles=weak,
    )  # fmt: skip


# --- Inventory list (опись дел) -----------------------------------------------------------------

from archive.models import Inventory, InventoryItem  # noqa: E402

INVENTORY_STATUSES = [
    ArchivedFile.Status.IN_ARCHIVE,
    ArchivedFile.Status.ISSUED,
    ArchivedFile.Status.NOT_FOUND,
    ArchivedFile.Status.DESTROYED,
]


def inventory_files(office, year: int, group: str, index: str = ""):
    """The files a list of `year` and retention `group` takes: every file of the archive of that
    year (a file issued out, not found or destroyed included; a file returned into work is not
    the archive's), in the order of the nomenclature and the archive numbers."""
    rules = [r.pk for r in RetentionRule.objects.all() if Inventory.group_of(r) == group]
    files = ArchivedFile.objects.filter(
        office=office, year=year, retention_rule_id__in=rules, status__in=INVENTORY_STATUSES
    )
    if index:
        files = files.filter(nomenclature_index=index)
    return files.select_related("retention_rule").order_by("nomenclature_index", "archive_number")


def destroyed_marks(file_ids) -> dict[int, str]:
    """«уничтожено, акт № 3 от 24.11.2026» for each destroyed file among `file_ids`."""
    items = DestructionItem.objects.filter(
        archived_file_id__in=list(file_ids),
        archived_file__status=ArchivedFile.Status.DESTROYED,
        act__status=DestructionAct.Status.EXECUTED,
    ).select_related("act")
    return {
        i.archived_file_id: f"уничтожено, акт № {i.act.number} от {i.act.act_date:%d.%m.%Y}"
        for i in items
    }


def compile_inventory(*, actor, year, group: str, index: str = "") -> Inventory:
    """Draw the list up: the rows are written as the files are now and stay so."""
    if not actor.has_perm("archive.add_inventory"):
        raise PermissionDenied("Опись составляет архивариус")
    if group not in Inventory.Group.values:
        raise ArchiveError("Выберите срок хранения дел описи.", field="group")
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ArchiveError("Укажите год дел описи числом, например 2018.", field="year") from None
    index = (index or "").strip()
    today = timezone.localdate()
    with transaction.atomic():
        files = sorted(
            inventory_files(actor.office, year, group, index),
            key=lambda f: (f.nomenclature_index, natural_key(f.archive_number)),
        )
        if not files:
            raise ArchiveError(
                f"Нет дел {Inventory.Group(group).label} за {year} год"
                + (f" с индексом {index}" if index else "")
                + ": опись составлять не из чего.",
                field="year",
            )
        inventory = Inventory(office=actor.office, number=next_number(actor.office, "inventory", today.year),
                              year=year, group=group, index=index, compiled_by=actor, compiled_on=today)  # fmt: skip
        _save(inventory, actor)
        marks = destroyed_marks(f.pk for f in files)
        InventoryItem.objects.bulk_create(
            [
                InventoryItem(
                    inventory=inventory,
                    position=n,
                    archived_file=f,
                    archive_number=f.archive_number,
                    index=f.nomenclature_index,
                    title=f.title,
                    dates=f.dates_display,
                    sheets=f.sheets,
                    retention=f.retention_rule.act_reference,
                    note=marks.get(f.pk, "")
                    if f.status == ArchivedFile.Status.DESTROYED
                    else (
                        f.get_status_display() if f.status == ArchivedFile.Status.NOT_FOUND else ""
                    ),
                )
                for n, f in enumerate(files, start=1)
            ]
        )
    return inventory


def inventory_rows(inventory: Inventory) -> list[InventoryItem]:
    """The rows as compiled, each with `mark`: the note, and for a file destroyed since, the act."""
    items = list(inventory.items.all())
    marks = destroyed_marks(i.archived_file_id for i in items)
    for item in items:
        mark = marks.get(item.archived_file_id, "")
        item.mark = "; ".join(p for p in (item.note, mark if mark != item.note else "") if p)
    return items


def inventory_closing(items) -> dict:
    """The closing entry: how many files, numbers from–to, letter-suffixed and skipped archive
    numbers («В данный раздел описи внесено 12 (двенадцать) дел с № 1 по № 12 …»)."""
    errors = technical_errors([i.archive_number for i in items])
    letters = [e.removeprefix("литерный номер ") for e in errors if e.startswith("литерный")]
    skipped = [e.removeprefix("пропущен номер ") for e in errors if e.startswith("пропущен")]
    return {
        "count": len(items),
        "count_words": counted_in_words(len(items), "дело,дела,дел", "n"),
        "first": items[0].position if items else 0,
        "last": items[-1].position if items else 0,
        "letters": ", ".join(letters) or "нет",
        "skipped": ", ".join(skipped) or "нет",
    }


# --- Cover, label and substitute card ---------------------------------------------------------


class FileDocument:
    """What a case file's cover, label and substitute card print, read in one place: the
    structural unit (the departments deciding the file's measures), the archival cipher (the
    inventory and the file's number in it, once the file is described) and «На N листах»."""

    def __init__(
        self, item: ArchivedFile, *, unit: str = "", described: InventoryItem | None = None
    ):
        self.item, self.unit, self.described = item, unit, described

    @property
    def sheets_phrase(self) -> str:
        text = f"На {self.item.sheets} {plural(self.item.sheets, 'листе,листах,листах')}"
        if self.item.volumes > 1:
            text += f" ({self.item.volumes} {plural(self.item.volumes, 'том,тома,томов')})"
        return text

    @property
    def cipher(self) -> str:
        """«Оп. № 3 за 2018 г., д. № 12; арх. № 2018-0005» (an office archive assigns no fund
        number: the inventory and the number in it, and the archive number the labels scan)."""
        parts = []
        if self.described is not None:
            inv = self.described.inventory
            parts.append(f"оп. № {inv.number} за {inv.year} г., д. № {self.described.position}")
        parts.append(f"арх. № {self.item.archive_number}")
        text = "; ".join(parts)
        return text[0].upper() + text[1:]


def file_documents(items, *, refuse_destroyed: bool = True) -> list[FileDocument]:
    """The printable requisites of `items`, in three queries whatever their number. A destroyed
    file has no label, cover or card: ArchiveError names it."""
    items = list(items)
    destroyed = [i.archive_number for i in items if i.status == ArchivedFile.Status.DESTROYED]
    if destroyed and refuse_destroyed:
        raise ArchiveError(
            f"Дело № {', '.join(destroyed)} уничтожено: ярлык и обложку уничтоженного дела не печатают."
            if len(destroyed) == 1
            else f"Дела № {', '.join(destroyed)} уничтожены: ярлыки и обложки уничтоженных дел не печатают."
        )
    units: dict[int, list[str]] = {}
    for case_file_id, department in (
        Entitlement.objects.filter(case_file_id__in=[i.case_file_id for i in items])
        .exclude(service__department="")
        .order_by("service__department")
        .values_list("case_file_id", "service__department")
        .distinct()
    ):
        units.setdefault(case_file_id, []).append(department)
    described: dict[int, InventoryItem] = {}
    for row in (
        InventoryItem.objects.filter(archived_file_id__in=[i.pk for i in items])
        .select_related("inventory")
        .order_by("inventory__compiled_on", "inventory_id")
    ):
        described[row.archived_file_id] = row  # the latest inventory wins
    return [
        FileDocument(
            i, unit="; ".join(units.get(i.case_file_id, [])), described=described.get(i.pk)
        )
        for i in items
    ]


def erase_archive_records(subjects: list[erasure.Subject]) -> None:
    for subject in subjects:
        _erase_archive_records(subject)


def _erase_archive_records(subject: erasure.Subject) -> None:
    """The destroyed file's own records in the archive: its title (on the record, its labels and
    covers, every act that lists it), the reasons of its holds and returns, its issues' purposes."""
    files = list(
        ArchivedFile.objects.filter(case_file_id__in=subject.case_file_ids).values_list(
            "pk", flat=True
        )
    )
    subject.destroyed("заголовки и учётные записи дел в архиве")
    erasure.erase_rows(ArchivedFile, files, subject=subject, values={},
                       redact_fields=["title", "legal_hold_reason", "withdrawal_reason"])  # fmt: skip
    issues = FileIssue.objects.filter(archived_file_id__in=files).values_list("pk", flat=True)
    erasure.erase_rows(FileIssue, issues, subject=subject, values={}, redact_fields=["purpose"])
    erasure.redact_rows(DestructionItem.objects.filter(archived_file_id__in=files), ["title", "note"],
                        subject.needles, subject.weak_needles)  # fmt: skip
    # the inventory keeps the row (a record of what was), without the person's name
    erasure.redact_rows(InventoryItem.objects.filter(archived_file_id__in=files), ["title", "note"],
                        subject.needles, subject.weak_needles)  # fmt: skip


def _forget_rendered_acts(act: DestructionAct) -> None:
    """A destruction act rendered earlier by a worker names the people: the file goes (on
    commit), the page renders the act anew."""
    from pathlib import Path

    from django.conf import settings

    from onewindow.models import Job

    for job in Job.objects.filter(kind="archive.render_act", params__act=act.pk):
        name = (job.result or {}).get("file")
        if not name:
            continue
        path = Path(settings.MEDIA_ROOT) / name
        transaction.on_commit(lambda path=path: path.unlink(missing_ok=True))
        Job.objects.filter(pk=job.pk).update(result={**job.result, "file": ""})


def register_erasure() -> None:
    erasure.register(
        "archive.files", erase_archive_records,
        models=["archive.archivedfile", "archive.fileissue", "archive.destructionitem",
                "archive.inventoryitem"], order=10,
    )  # fmt: skip
    erasure.no_personal_data({
        "archive.retentionrule": "справочник сроков хранения", "archive.location": "места хранения",
        "archive.inventorycheck": "приказ и комиссия (сотрудники)",
        "archive.inventorycheckitem": "отметки о наличии (ссылки на дела)",
        "archive.inventorycheckextra": "отсканированные архивные номера",
        "archive.destructionact": "реквизиты акта",
        "archive.inventory": "реквизиты описи (год, номер, составитель)",
        "archive.personaldatadestruction": "акт об уничтожении ПД: единственное место, где субъекты названы (приказ РКН № 179)",
    })  # fmt: skip
