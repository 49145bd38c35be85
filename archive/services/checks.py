"""Presence checks (проверка наличия): the list of files to check, scanning labels, the result
and its act; the archive numbers as they are typed or scanned."""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from archive.models import (
    ArchivedFile,
    FileIssue,
    InventoryCheck,
    InventoryCheckExtra,
    InventoryCheckItem,
    Location,
)
from archive.services.common import GONE, ArchiveError
from onewindow.errors import save_with_actor
from onewindow.numbering import next_number

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
        save_with_actor(check, actor)
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
            save_with_actor(archived, actor)
        check.status = InventoryCheck.Status.FINISHED
        check.finished_on = today
        save_with_actor(check, actor)
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
