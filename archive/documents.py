"""The archive's long documents: the destruction act and the inventory list (опись), as registers
(`onewindow.registers`): one column list serves the WeasyPrint template and the fast renderer."""

from __future__ import annotations

from onewindow.names import NBSP, initials, split_name
from onewindow.registers import Column, Register, render_register


def signature_name(person) -> str:
    """«И.\u00a0О.\u00a0Фамилия», as a signature is typed under a document: a user or a free-text
    «Фамилия Имя Отчество» (the office's director)."""
    if not person:
        return ""
    if isinstance(person, str):
        last, first, middle = split_name(person)
    else:
        last, first, middle = (
            person.last_name,
            person.first_name,
            getattr(person, "middle_name", ""),
        )
    return NBSP.join(p for p in (initials(first, middle), last) if p)


DESTRUCTION_COLUMNS = [
    Column("№ п/п", 12, "center"),
    Column("Заголовок дела"),
    Column("Крайние даты", 22),
    Column("Номера описей (номенклатур)", 25),
    Column("Индекс дела", 16),
    Column("Количество дел", 21, "center"),
    Column("Сроки хранения и номера статей по перечню", 30),
    Column("Примечание", 22),
]

INVENTORY_COLUMNS = [
    Column("№ п/п", 12, "center"),
    Column("Индекс дела", 14),
    Column("Архивный номер", 19),
    Column("Заголовок дела"),
    Column("Крайние даты", 21),
    Column("Срок хранения, статья перечня", 20),
    Column("Количество листов", 17, "center"),
    Column("Примечание", 23),
]


def destruction_register(items) -> Register:
    return Register(
        DESTRUCTION_COLUMNS,
        [
            [str(n), i.title, i.dates, i.inventory, i.index, str(i.count), i.retention, i.note]
            for n, i in enumerate(items, start=1)
        ],
        landscape=True,
    )


def inventory_register(items) -> Register:
    """`items`: the inventory's rows with their `mark` (`archive.services.inventory_rows`)."""
    return Register(
        INVENTORY_COLUMNS,
        [
            [
                str(i.position),
                i.index,
                i.archive_number,
                i.title,
                i.dates,
                i.retention,
                str(i.sheets),
                i.mark,
            ]
            for i in items
        ],
    )


def act_basis(items, fallback: str = "") -> str:
    """The header's legal basis: the lists the retention rules of the act's files rest on (the
    same rules each line cites), in a stable order."""
    bases = []
    for item in items:
        basis = item.archived_file.retention_rule.act_basis
        if basis not in bases:
            bases.append(basis)
    return "; ".join(bases) or fallback


def destruction_act_context(act) -> dict:
    items = list(act.items.select_related("archived_file__retention_rule"))
    return {
        "act": act,
        "basis": act_basis(items, act.basis),
        "office": act.office,
        "years": sorted({item.year for item in items}),
        "total": sum(i.count for i in items),
        "register": destruction_register(items),
    }


def destruction_act_pdf(act, *, progress=None) -> bytes:
    context = destruction_act_context(act)
    return render_register(
        "archive/destruction_act_pdf.html", context, context["register"], progress=progress
    )


def inventory_context(inventory) -> dict:
    from archive.services import inventory_closing, inventory_rows

    items = inventory_rows(inventory)
    return {
        "inventory": inventory,
        "office": inventory.office,
        "compiler": inventory.compiled_by,
        "compiler_sign": signature_name(inventory.compiled_by),
        "director_sign": signature_name(inventory.office.director_name),
        "closing": inventory_closing(items),
        "register": inventory_register(items),
    }


def inventory_pdf(inventory, *, progress=None) -> bytes:
    """The saved list with its approval block, closing entry and compiler."""
    context = inventory_context(inventory)
    return render_register(
        "archive/inventory_pdf.html", context, context["register"], progress=progress
    )
