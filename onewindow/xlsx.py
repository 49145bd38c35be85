"""Spreadsheets the site gives out: one writer, so every export is safe the same way.

Every text is written as a text cell, never as a formula: a surname «=HYPERLINK(…)» read from a
register, or a free-text index, stays the text it was. openpyxl would otherwise store any string
starting with «=» as a formula and «#N/A» as an error value. Texts starting with a character a
spreadsheet reads as the start of a formula (= + - @, tab, CR, LF; OWASP «CSV injection») also
get Excel's quote prefix, so editing the cell in Excel does not turn it into one either; the value
itself is not changed. Numbers and dates stay typed (dates shown as ДД.ММ.ГГГГ).

    return xlsx_response("journal.xlsx", "Журнал", rows, columns=[Column("№", 10), ...],
                         caption="Журнал регистрации заявлений за …")
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone

# openpyxl is imported where a workbook is built: the views importing this module stay light.

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
MAX_TEXT = 32767  # Excel's limit for one cell


@dataclass(frozen=True)
class Column:
    title: str
    width: float | None = None


def text_cell(sheet, value: str, *, bold: bool = False):
    """A cell that is text whatever the text says."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    value = ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_TEXT]
    cell = WriteOnlyCell(sheet)
    cell.value = value  # inferred as a formula or an error for some texts: forced back below
    cell.data_type = "s"
    if value.startswith(FORMULA_START):
        cell.quotePrefix = True
    if bold:
        cell.font = Font(bold=True)
    return cell


def cell_for(sheet, value):
    """A typed cell: numbers and dates as such, anything else as text (`text_cell`)."""
    from openpyxl.cell import WriteOnlyCell

    if value is None or isinstance(value, bool | int | float | Decimal):
        return WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.make_naive(value)
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    return text_cell(sheet, str(value))


def xlsx_bytes(
    sheet_title: str,
    rows: Iterable[Sequence],
    *,
    columns: Sequence[Column | str] = (),
    caption: str | Sequence[str] = "",
    landscape: bool = False,
) -> bytes:
    """One sheet: optional caption lines, a bold header of `columns`, then `rows`.

    Printed, the header row repeats on every page and the columns fit the page's width (any
    number of pages down); `landscape` turns the page for wide registers."""
    return workbook_bytes(
        [Sheet(sheet_title, rows, columns=columns, caption=caption, landscape=landscape)]
    )


@dataclass
class Sheet:
    """One sheet of a workbook (`workbook_bytes`). `total` is a last row in bold (a report's
    «Итого»); `freeze_header` keeps the captions and the header row in view while scrolling."""

    title: str
    rows: Iterable[Sequence]
    columns: Sequence[Column | str] = ()
    caption: str | Sequence[str] = ""
    landscape: bool = False
    total: Sequence | None = None
    freeze_header: bool = False


INVALID_SHEET_CHARS = str.maketrans({c: " " for c in "[]:*?/\\"})


def sheet_title(title: str, used: set[str]) -> str:
    """A sheet name Excel accepts (31 characters, none of []:*?/\\), unique in the workbook."""
    base = " ".join(title.translate(INVALID_SHEET_CHARS).split())[:31] or "Лист"
    name, number = base, 2
    while name.casefold() in used:
        suffix = f" ({number})"
        name, number = base[: 31 - len(suffix)] + suffix, number + 1
    used.add(name.casefold())
    return name


def workbook_bytes(sheets: Iterable[Sheet]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    used: set[str] = set()
    for spec in sheets:
        sheet = workbook.create_sheet(sheet_title(spec.title, used))
        columns = [c if isinstance(c, Column) else Column(c) for c in spec.columns]
        for index, column in enumerate(columns, start=1):
            if column.width:
                sheet.column_dimensions[get_column_letter(index)].width = column.width
        # set before the first row: a write-only sheet writes its properties with the first row
        if spec.landscape:
            sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = "9"  # A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        captions = [spec.caption] if isinstance(spec.caption, str) else list(spec.caption)
        captions = [line for line in captions if line]
        if columns:
            header_row = len(captions) + 1
            sheet.print_title_rows = f"{header_row}:{header_row}"
            if spec.freeze_header:
                sheet.freeze_panes = f"A{header_row + 1}"
        for line in captions:
            sheet.append([text_cell(sheet, line)])
        if columns:
            sheet.append([text_cell(sheet, column.title, bold=True) for column in columns])
        for row in spec.rows:
            sheet.append([cell_for(sheet, value) for value in row])
        if spec.total is not None:
            cells = [cell_for(sheet, value) for value in spec.total]
            for cell in cells:
                cell.font = Font(bold=True)
            sheet.append(cells)
    if not used:  # a workbook has at least one sheet
        workbook.create_sheet("Лист")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(
    filename: str, sheet_title: str, rows: Iterable[Sequence], **kwargs
) -> HttpResponse:
    """The workbook as a download; `filename` in ASCII (the browsers' common denominator)."""
    response = HttpResponse(xlsx_bytes(sheet_title, rows, **kwargs), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
