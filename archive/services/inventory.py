"""The inventory list (опись дел) and what a file's cover, label and substitute card print."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from archive.models import (
    ArchivedFile,
    DestructionAct,
    DestructionItem,
    Inventory,
    InventoryItem,
    RetentionRule,
)
from archive.services.checks import technical_errors
from archive.services.common import ArchiveError
from cases.models import Entitlement
from onewindow.errors import save_with_actor
from onewindow.numbering import next_number
from onewindow.text import counted_in_words, natural_key, plural

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
        save_with_actor(inventory, actor)
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
