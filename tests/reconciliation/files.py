"""Extract files the tests write themselves: DBF (with the language-driver byte), CSV, XLSX, XML."""

from __future__ import annotations

import csv
import datetime
import io
import struct
from pathlib import Path


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


def write_xml(path: Path, rows: list[dict], record="record") -> Path:
    body = "".join(
        f"<{record}>" + "".join(f"<{k}>{v}</{k}>" for k, v in row.items()) + f"</{record}>"
        for row in rows
    )
    path.write_text(
        f'<?xml version="1.0" encoding="utf-8"?><extract>{body}</extract>', encoding="utf-8"
    )
    return path
