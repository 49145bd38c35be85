"""Extract files the tests write themselves: DBF (with the language-driver byte), CSV, XLSX, XML."""

from __future__ import annotations

import csv
import datetime
import io
import json
import struct
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape


def write_dbf(
    path: Path, fields: list[tuple[str, str, int]], rows: list[dict], *, encoding: str, driver: int
) -> Path:
    """A dBASE III file. fields: (name, type C/D/N, length); driver: header byte 29."""
    header_len = 32 + 32 * len(fields) + 1
    record_len = 1 + sum(length for _, _, length in fields)
    today = datetime.date.today()
    out = io.BytesIO()
    out.write(
        struct.pack(
            "<BBBBIHH",
            0x03,
            today.year - 1900,
            today.month,
            today.day,
            len(rows),
            header_len,
            record_len,
        )
    )
    out.write(b"\x00" * 17 + bytes([driver]) + b"\x00\x00")
    for name, kind, length in fields:
        out.write(
            name.encode("ascii").ljust(11, b"\x00")
            + kind.encode()
            + b"\x00" * 4
            + bytes([length, 0])
            + b"\x00" * 14
        )
    out.write(b"\r")
    for row in rows:
        out.write(b" ")
        for name, kind, length in fields:
            value = row.get(name, "")
            if kind == "D":  # a date, or the text as it stands («20260231»: a damaged file)
                text = (
                    value
                    if isinstance(value, str) and value
                    else value.strftime("%Y%m%d")
                    if value
                    else " " * 8
                )
                out.write(text.encode("ascii"))
            else:
                out.write(str(value).encode(encoding)[:length].ljust(length, b" "))
    out.write(b"\x1a")
    path.write_bytes(out.getvalue())
    return path


def write_csv(
    path: Path, header: list[str], rows: list[list], *, encoding="cp1251", delimiter=";"
) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _raw_cell(ref: str, cell: tuple) -> str:
    """One <c> element. cell: (kind, value[, formula]) — «n» a number, «date» a number in a
    date format, «s» a shared string's index, «inline» an inline string (kept as written:
    `xml:space="preserve"` only when the third item says so), «formula» a formula with its
    cached number, «formula_str» with its cached text, «formula_uncached», «bool», «error»,
    «iso» an ISO 8601 date cell (t="d")."""
    kind, value, *rest = cell
    if kind == "n":
        return f'<c r="{ref}"><v>{value}</v></c>'
    if kind == "date":
        return f'<c r="{ref}" s="1"><v>{value}</v></c>'
    if kind == "s":
        return f'<c r="{ref}" t="s"><v>{value}</v></c>'
    if kind == "inline":
        space = ' xml:space="preserve"' if rest and rest[0] == "preserve" else ""
        return f'<c r="{ref}" t="inlineStr"><is><t{space}>{escape(value)}</t></is></c>'
    if kind == "formula":
        return f'<c r="{ref}"><f>{escape(rest[0])}</f><v>{value}</v></c>'
    if kind == "formula_str":
        return f'<c r="{ref}" t="str"><f>{escape(rest[0])}</f><v>{escape(value)}</v></c>'
    if kind == "formula_uncached":
        return f'<c r="{ref}"><f>{escape(value)}</f></c>'
    if kind == "bool":
        return f'<c r="{ref}" t="b"><v>{value}</v></c>'
    if kind == "error":
        return f'<c r="{ref}" t="e"><v>{value}</v></c>'
    if kind == "iso":
        return f'<c r="{ref}" t="d"><v>{value}</v></c>'
    raise ValueError(kind)


def write_raw_xlsx(
    path: Path, rows: dict[int, dict[str, tuple]], *, shared: list[str] = (), sheets: bool = True
) -> Path:
    """A book written cell by cell as Excel writes it (shared strings, cached formula values,
    dates as numbers in a date format, rows with gaps), which openpyxl cannot write: rows maps
    a sheet row number to {column letter: cell} (`_raw_cell`)."""
    body = "".join(
        f'<row r="{number}">' + "".join(_raw_cell(f"{col}{number}", c) for col, c in cells.items()) + "</row>"
        for number, cells in rows.items()
    )  # fmt: skip
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    # the used range, as Excel writes it (openpyxl pads short rows to it)
    last = max((max(cells) for cells in rows.values() if cells), default="A")
    dimension = f'<dimension ref="A1:{last}{max(rows, default=1)}"/>'
    parts = {
        "[Content_Types].xml": f'{head}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        "</Types>",
        "_rels/.rels": f'{head}<Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
        f'Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'{head}<workbook xmlns="{_MAIN}" xmlns:r="{_DOC}"><sheets>'
        + ('<sheet name="Лист1" sheetId="1" r:id="rId1"/>' if sheets else "")
        + "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": f'{head}<Relationships xmlns="{_RELS}">'
        f'<Relationship Id="rId1" Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_DOC}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId3" Type="{_DOC}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>",
        "xl/styles.xml": f'{head}<styleSheet xmlns="{_MAIN}"><fonts count="1"><font/></fonts>'
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs>'
        "</styleSheet>",
        "xl/sharedStrings.xml": f'{head}<sst xmlns="{_MAIN}" count="{len(shared)}" uniqueCount="{len(shared)}">'
        + "".join(f"<si><t>{escape(text)}</t></si>" for text in shared)
        + "</sst>",
        "xl/worksheets/sheet1.xml": f'{head}<worksheet xmlns="{_MAIN}">{dimension}<sheetData>{body}</sheetData></worksheet>',
    }  # fmt: skip
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path


def write_xml(path: Path, rows: list[dict], record="record") -> Path:
    body = "".join(
        f"<{record}>" + "".join(f"<{k}>{v}</{k}>" for k, v in row.items()) + f"</{record}>"
        for row in rows
    )
    path.write_text(
        f'<?xml version="1.0" encoding="utf-8"?><extract>{body}</extract>', encoding="utf-8"
    )
    return path


# --- The suite's extracts and what a run of one left behind ------------------------------------

HEADER = ["СНИЛС", "Фамилия", "Имя", "Отчество", "Дата рождения", "Дата события"]

EMPLOYMENT_ROWS = [
    ["112-233-445 95", "Алексеева", "Анна", "Петровна", "01.05.1990", "01.11.2026"],  # a: by СНИЛС
    ["", "БОРИСОВА", "Вера", "Ивановна", "12.07.1992", "02.11.2026"],  # b: name + birth date
    [
        "112-233-445 96",
        "Борисова",
        "Вера",
        "Ивановна",
        "12.07.1992",
        "03.11.2026",
    ],  # b again, wrong check number
    ["", "Фёдорова", "Светлана", "Юрьвна", "08.08.1988", "04.11.2026"],  # f: one typo -> probable
    ["", "Козлова", "Мария", "Олеговна", "03.03.1991", "05.11.2026"],  # two namesakes -> ambiguous
    ["", "Неизвестный", "Пётр", "", "01.01.1970", "06.11.2026"],  # unmatched
    ["", "Нетдаты", "Иван", "", "31.02.1950", ""],  # invalid: no СНИЛС, impossible date
    [
        "123-456-789 64",
        "Сидоров",
        "Олег",
        "",
        "02.01.1950",
        "07.11.2026",
    ],  # c: matched, measure not affected
    ["", "", "", "", "", ""],  # blank: skipped, not counted
]


def last_json(capsys) -> dict:
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


MIXED_ROWS = [
    *EMPLOYMENT_ROWS,
    [
        "11223344595",
        "Алексеева",
        "Анна",
        "Петровна",
        "1990-05-01",
        "2026-11-09",
    ],  # a again, ISO dates
    ["", "алексеева-", "АННА", "петровна", "01.05.1990", ""],  # hyphen, case: b-step for a
    [
        "",
        "Борисова\u00a0",
        "Вера",
        "Ивановна",
        "12.7.1992",
        "3.11.2026",
    ],  # NBSP, short date: Python
    ["", "Федорова", "Светлана", "Юрьевна", "08.08.1988", "10.11.2026"],  # е for ё: exact name
    ["abc", "", "", "", "", ""],  # invalid: a СНИЛС of letters
    ["112-233-445 00", "", "", "", "", ""],  # invalid: wrong check number, no names
    ["", "Нетимени", "", "", "01.01.1980", ""],  # invalid: no first name
    ["", "Сидоров", "Олег", "", "02.01.1950", "01.13.2026"],  # impossible event date: invalid
    ["\t", " ", "", "", "", ""],  # whitespace only: a blank record
    # found by СНИЛС straight from the file, the rest odd: Python reads its evidence
    ["112-233-445 95", "Алексеева\u00a0", "Анна", "", "31.02.1990", "13.11.2026"],
    [
        "987-654-321 83",
        "Борисова",
        "Вера",
        "Ивановна",
        "12.07.1992",
        "",
    ],  # valid, nobody's: b by name
    ["112\u00a0233\u00a0445 95", "", "", "", "", ""],  # no-break spaces in the number: a, by Python
    ["1990-05-01", "Алексеева", "Анна", "", "", ""],  # a date where the number goes: invalid
    # a day that does not exist: an invalid row with its reason, never a blank date; found by
    # СНИЛС straight from the file (a, affected; c, not), by name (b), in either date form
    ["112-233-445 95", "Алексеева", "Анна", "Петровна", "01.05.1990", "31.02.2026"],
    ["123-456-789 64", "Сидоров", "Олег", "", "02.01.1950", "31.02.2026"],
    ["", "Борисова", "Вера", "Ивановна", "12.07.1992", "2026-02-30"],
    ["112-233-445 95", "", "", "", "", "29.02.2025"],
    ["112-233-445 95", "", "", "", "", "29.02.2024"],  # a leap day: valid, a again
    # a СНИЛС match must be corroborated by the surname (up to a typo) or the birth date:
    # c's number with a stranger's data (c holds no affected measure): counted «snils_only»
    ["123-456-789 64", "Кузнецов", "Игорь", "Петрович", "02.02.1961", ""],
    # c's number with b's name and birth date: ambiguous between c and b
    ["123-456-789 64", "Борисова", "Вера", "Ивановна", "12.07.1992", ""],
    # c's number, a typo in the surname and another day: c's match stands
    ["123-456-789 64", "Сидорав", "Олег", "", "03.01.1950", ""],
    # the number of Павлова (a recipient the side-by-side test adds) with a stranger's data
    ["178-901-234 94", "Кузнецов", "Игорь", "Петрович", "02.02.1961", "14.11.2026"],
    # a's number with no-break spaces (read by Python) and a stranger's data: «snils_only»
    ["112\u00a0233\u00a0445 95", "Кузнецова", "Анна", "", "02.02.1961", ""],
]


def run_outcome(run) -> dict:
    """Everything a run left: its items with their evidence, invalid and ambiguous rows."""
    from reconciliation.models import AmbiguousRow, InvalidRow, Selection

    items = {
        s.applicant_id: (s.match, s.needs_confirmation, s.services, s.event_date, s.assigned_to_id,
                         [{k: v for k, v in e.items() if k != "run"} for e in s.evidence])
        for s in Selection.objects.filter(run=run)
    }  # fmt: skip
    invalid = list(InvalidRow.objects.filter(run=run).order_by("row_number").values_list("row_number", "reason", "data"))  # fmt: skip
    ambiguous = [
        (
            a.row_number,
            a.step,
            a.data,
            sorted(a.candidates.values_list("pk", flat=True)),
            a.office_id,
        )
        for a in AmbiguousRow.objects.filter(run=run).order_by("row_number")
    ]
    return {"counts": run.counts, "items": items, "invalid": invalid, "ambiguous": ambiguous}


# --- One extract in every format, for the side-by-side tests ----------------------------------

DBF_MIXED_FIELDS = [("NPERS", "C", 16), ("FAM", "C", 30), ("IM", "C", 30), ("OT", "C", 30),
                    ("DR", "D", 8), ("DS", "D", 8)]  # fmt: skip


def _as_date(text: str):
    """A date object where the text is a real ДД.ММ.ГГГГ or ГГГГ-ММ-ДД date, else None."""
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _dbf_date(text: str):
    """A DBF date field: a date, blank, or eight characters of a damaged date («20260231»)."""
    if not text.strip():
        return ""
    day = _as_date(text)
    if day is not None:
        return day
    digits = "".join(c for c in text if c.isdigit())
    if len(digits) == 8 and "." in text:  # ДД.ММ.ГГГГ that does not exist: as DBF keeps it
        return digits[4:] + digits[2:4] + digits[:2]
    return (digits + "00000000")[:8]


def write_mixed(path: Path, fmt: str, rows: list[list] | None = None, *, encoding: str = "cp866", quirks: bool = True) -> Path:  # fmt: skip
    """MIXED_ROWS (bad СНИЛС, bad and impossible dates, blank rows, namesakes, odd characters)
    as a file of this format, with what the format does to values: DBF dates as date fields,
    XLSX dates as dates and one СНИЛС as a number, XML records lacking an element or having
    one the first record does not."""
    rows = rows if rows is not None else MIXED_ROWS
    if fmt == "csv":
        return write_csv(path, HEADER, rows, encoding=encoding)
    if fmt == "dbf":
        records = [
            {"NPERS": r[0], "FAM": r[1], "IM": r[2], "OT": r[3], "DR": _dbf_date(r[4]), "DS": _dbf_date(r[5])}
            for r in rows
        ]  # fmt: skip
        driver = {"cp866": 0x26, "cp1251": 0xC9}[encoding]
        return write_dbf(path, DBF_MIXED_FIELDS, records, encoding=encoding, driver=driver)
    if fmt == "xlsx":
        cells = []
        for r in rows:
            row = list(r)
            if not any(v for v in row):
                cells.append([None] * len(row))  # a blank row of the sheet
                continue
            for index in (4, 5):
                day = _as_date(row[index])
                if day is not None and row[index][2:3] == ".":
                    row[index] = datetime.datetime(day.year, day.month, day.day)
            if row[0] == "11223344595":
                row[0] = 11223344595  # a СНИЛС typed as a number
            cells.append(row)
        return write_xlsx(path, HEADER, cells)
    if fmt == "xml":
        tags = ["SNILS", "FAM", "IM", "OT", "DR", "DS"]
        records = []
        for number, r in enumerate(rows):
            record = {tag: value.replace("&", "&amp;").replace("<", "&lt;") for tag, value in zip(tags, r, strict=True)}  # fmt: skip
            if number == 3 and quirks:
                del record["OT"]  # an element missing
            if number == 5 and quirks:
                record["NOTE"] = "примечание"  # an element the first record lacks
            records.append(record)
        return write_xml(path, records)
    raise ValueError(fmt)
