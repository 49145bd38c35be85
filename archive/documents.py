"""The archive's long documents: the destruction act and the inventory list (опись), as registers
(`onewindow.registers`): one column list serves the WeasyPrint template and the fast renderer."""

from __future__ import annotations

from onewindow.registers import Column, Register, render_register

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
    Column("Индекс дела", 16),
    Column("Заголовок дела"),
    Column("Крайние даты", 22),
    Column("Количество листов", 21, "center"),
    Column("Примечание", 22),
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


def inventory_register(files) -> Register:
    from archive.models import ArchivedFile

    return Register(
        INVENTORY_COLUMNS,
        [
            [
                str(n),
                f.nomenclature_index,
                f.title,
                f.dates_display,
                str(f.sheets),
                f.get_status_display() if f.status != ArchivedFile.Status.IN_ARCHIVE else "",
            ]
            for n, f in enumerate(files, start=1)
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


def inventory_pdf(files, *, year, index, office, compiler=None, progress=None) -> bytes:
    """`compiler`: the user who draws the list up; signs it as «Составитель» with position."""
    register = inventory_register(files)
    context = {"year": year, "index": index, "office": office, "compiler": compiler}
    return render_register("archive/inventory_pdf.html", context, register, progress=progress)
