"""Readers of extract files: DBF, CSV, XLSX, XML, streamed record by record.

Each reader yields `(row_number, {column: value})`; `normalise_row` maps columns to our fields
through the profile's mapping or the default aliases. A file that cannot be read at all raises
`ExtractError` with the reason in Russian; a bad row is reported by the matcher, not here.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

FIELD_ALIASES: dict[str, list[str]] = {
    "snils": ["snils", "снилс", "ss", "npers"],
    "last_name": ["last_name", "фамилия", "fam", "fa"],
    "first_name": ["first_name", "имя", "im", "name"],
    "middle_name": ["middle_name", "отчество", "ot", "otch"],
    "birth_date": ["birth_date", "дата рождения", "dr", "datr"],
    "event_date": ["event_date", "дата события", "date", "ds", "data"],
    # the register import (manage.py import_register) adds these
    "sex": ["sex", "пол"],
    "address": ["address", "адрес"],
    "phone": ["phone", "телефон"],
    "service": ["service", "мера"],
    "start_date": ["start_date", "дата назначения"],
    "end_date": ["end_date", "дата окончания"],
}
DBF_LANGUAGE_DRIVERS = {0x26: "cp866", 0x65: "cp866", 0x01: "cp437", 0xC9: "cp1251", 0x57: "cp1251"}
SNIFF_BYTES = 64 * 1024


class ExtractError(Exception):
    """The file as a whole cannot be read."""


def detect_format(path: Path, declared: str = "auto") -> str:
    if declared and declared != "auto":
        return declared
    suffix = path.suffix.lower().lstrip(".")
    if suffix in {"csv", "txt"}:
        return "csv"
    if suffix in {"dbf", "xlsx", "xml"}:
        return suffix
    raise ExtractError(
        f"Неизвестный формат файла «{path.name}»: ожидается .dbf, .csv, .xlsx или .xml"
    )


def read_rows(path: Path, *, file_format: str = "auto", encoding: str = "", delimiter: str = "",
              xml_record: str = "record") -> Iterator[tuple[int, dict]]:  # fmt: skip
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ExtractError(f"Файл не найден или недоступен: {path.name}") from exc
    if size == 0:
        raise ExtractError("Файл пуст (0 байт)")
    fmt = detect_format(path, file_format)
    if fmt == "csv":
        return _csv_rows(path, encoding, delimiter)
    if fmt == "dbf":
        return _dbf_rows(path, encoding)
    if fmt == "xlsx":
        return _xlsx_rows(path)
    if fmt == "xml":
        return _xml_rows(path, xml_record or "record")
    raise ExtractError(f"Неизвестный формат «{fmt}»")


# --- CSV ---------------------------------------------------------------------------------------


def _detect_encoding(head: bytes, declared: str) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if declared:
        return declared
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start > len(head) - 4:  # a character cut at the end of the sample
            return "utf-8"
        return "cp1251"


def csv_dialect(path: Path, encoding: str = "", delimiter: str = "") -> tuple[str, str, str]:
    """(encoding, delimiter, decoded sample of the head) of a CSV file: the encoding from a BOM,
    the profile or a UTF-8 trial (else cp1251); the delimiter from the profile or the header."""
    with path.open("rb") as raw:
        head = raw.read(SNIFF_BYTES)
    if b"\x00" in head:
        raise ExtractError("Файл не похож на CSV: в нём есть двоичные данные")
    if head.startswith(b"PK\x03\x04"):
        raise ExtractError("Файл не похож на CSV: это архив или XLSX")
    encoding = _detect_encoding(head, encoding)
    try:
        sample = head.decode(encoding, errors="strict" if len(head) < SNIFF_BYTES else "ignore")
    except (UnicodeDecodeError, LookupError) as exc:
        raise ExtractError(f"Файл не читается в кодировке {encoding}: {exc}") from None
    if not delimiter:
        first_line = sample.splitlines()[0] if sample.splitlines() else ""
        counts = {d: first_line.count(d) for d in (";", ",", "\t")}
        delimiter = max(counts, key=counts.get) if any(counts.values()) else ";"
    delimiter = "\t" if delimiter in {"\\t", "tab"} else delimiter
    return encoding, delimiter, sample


def _csv_error(exc: csv.Error) -> str:
    """Python's reader speaks English; the one error a real file meets is a field past its limit,
    which a quote left open makes of the rest of the file."""
    if "field larger than field limit" in str(exc):
        limit = f"{csv.field_size_limit():,}".replace(",", " ")
        return f"поле длиннее {limit} символов — вероятно, кавычка в начале поля не закрыта"
    return f"ошибка CSV: {exc}"


def _csv_rows(path: Path, encoding: str, delimiter: str) -> Iterator[tuple[int, dict]]:
    encoding, delimiter, _ = csv_dialect(path, encoding, delimiter)

    def generate():
        with path.open("r", encoding=encoding, newline="", errors="strict") as handle:
            reader = csv.reader(handle, delimiter=delimiter)
            try:
                header = next(reader)
            except StopIteration:
                raise ExtractError("Файл пуст: нет строки заголовка") from None
            except csv.Error as exc:
                raise ExtractError(f"Строка 1 (заголовок): {_csv_error(exc)}") from None
            except UnicodeDecodeError:
                raise ExtractError(
                    f"Файл не в кодировке {encoding}: укажите кодировку в профиле"
                ) from None
            header = [h.strip().lstrip("\ufeff") for h in header]
            if len(header) < 2:
                raise ExtractError(
                    f"В заголовке CSV один столбец: неверный разделитель «{delimiter}»?"
                )
            number = 1
            try:
                for values in reader:
                    number += 1
                    if not any(v.strip() for v in values):
                        continue
                    yield number, dict(zip(header, values, strict=False))
            except UnicodeDecodeError:
                raise ExtractError(
                    f"Строка {number + 1}: символы не в кодировке {encoding}; укажите кодировку в профиле"
                ) from None
            except csv.Error as exc:
                raise ExtractError(f"Строка {number + 1}: {_csv_error(exc)}") from None

    return generate()


# --- DBF ---------------------------------------------------------------------------------------


def dbf_encoding(path: Path, declared: str = "") -> str:
    """The encoding from the header's language-driver byte (offset 29); 0 means unknown,
    then the profile's encoding decides (cp866 when none)."""
    with path.open("rb") as handle:
        header = handle.read(32)
    if len(header) < 32 or header[0] not in {
        0x02,
        0x03,
        0x04,
        0x05,
        0x30,
        0x31,
        0x43,
        0x63,
        0x83,
        0x8B,
        0xCB,
        0xF5,
        0xFB,
    }:
        raise ExtractError("Файл не похож на DBF: неверный заголовок")
    byte = header[29]
    if byte in DBF_LANGUAGE_DRIVERS:
        return DBF_LANGUAGE_DRIVERS[byte]
    return declared or "cp866"


def _dbf_rows(path: Path, encoding: str) -> Iterator[tuple[int, dict]]:
    from dbfread import DBF
    from dbfread.exceptions import DBFNotFound, MissingMemoFile

    codec = dbf_encoding(path, encoding)

    def generate():
        try:
            table = DBF(
                str(path), encoding=codec, char_decode_errors="strict", ignore_missing_memofile=True
            )
            number = 0
            for record in table:
                number += 1
                values = {k: ("" if v is None else v) for k, v in record.items()}
                if not any(str(v).strip() for v in values.values()):
                    continue
                yield number, values
        except UnicodeDecodeError:
            raise ExtractError(
                f"DBF не читается в кодировке {codec}: укажите кодировку в профиле"
            ) from None
        except (DBFNotFound, MissingMemoFile, ValueError, struct_error()) as exc:
            raise ExtractError(f"DBF повреждён или имеет неверный заголовок: {exc}") from None

    return generate()


def struct_error():
    import struct

    return struct.error


# --- XLSX --------------------------------------------------------------------------------------


def _xlsx_rows(path: Path) -> Iterator[tuple[int, dict]]:
    if not zipfile.is_zipfile(path):
        raise ExtractError("Файл не является книгой XLSX (возможно, это переименованный CSV)")
    from openpyxl import load_workbook

    def generate():
        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:
            raise ExtractError(f"Книга XLSX не читается: {exc}") from None
        try:
            sheet = workbook.worksheets[0]
            rows = sheet.iter_rows(values_only=True)
            header = next(rows, None)
            if not header:
                raise ExtractError("Книга XLSX пуста: нет строки заголовка")
            header = [str(h).strip() if h is not None else "" for h in header]
            number = 1
            for values in rows:
                number += 1
                if not any(v not in (None, "") for v in values):
                    continue
                yield (
                    number,
                    {
                        h: ("" if v is None else v)
                        for h, v in zip(header, values, strict=False)
                        if h
                    },
                )
        finally:
            workbook.close()

    return generate()


# --- XML ---------------------------------------------------------------------------------------


def _xml_rows(path: Path, record_tag: str) -> Iterator[tuple[int, dict]]:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    def generate():
        number = 0
        try:
            for _, element in iterparse(str(path), events=("end",), forbid_dtd=True):
                tag = element.tag.rsplit("}", 1)[-1]
                if tag != record_tag:
                    continue
                number += 1
                values = {
                    child.tag.rsplit("}", 1)[-1]: (child.text or "").strip() for child in element
                }
                values.update(element.attrib)
                element.clear()
                if any(values.values()):
                    yield number, values
        except DefusedXmlException as exc:
            raise ExtractError(
                f"XML отклонён: внешние сущности и DTD запрещены ({exc.__class__.__name__})"
            ) from None
        except Exception as exc:  # ParseError and friends
            raise ExtractError(f"XML не читается: {exc}") from None
        if number == 0:
            raise ExtractError(
                f"В XML нет записей <{record_tag}>: проверьте элемент записи в профиле"
            )

    return generate()


# --- Mapping columns to fields -----------------------------------------------------------------


def column_map(columns: list[str], mapping: dict | None, wanted: list[str]) -> dict[str, str]:
    """field -> column, from the profile's mapping or the default aliases (case-insensitive)."""
    by_lower = {c.strip().lower(): c for c in columns}
    result = {}
    for field in wanted:
        if mapping and mapping.get(field):
            column = by_lower.get(str(mapping[field]).strip().lower())
            if column is not None:
                result[field] = column
            continue
        for alias in FIELD_ALIASES.get(field, [field]):
            if alias in by_lower:
                result[field] = by_lower[alias]
                break
    return result


def parse_date(value, fmt: str = "") -> datetime.date | None:
    """DBF dates, ДД.ММ.ГГГГ, ISO, or the profile's format; None when empty; ValueError when wrong."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    formats = [fmt] if fmt else ["%d.%m.%Y", "%Y-%m-%d", "%Y%m%d", "%d/%m/%Y"]
    for pattern in formats:
        try:
            return datetime.datetime.strptime(
                text[:10] if pattern == "%Y-%m-%d" else text, pattern
            ).date()
        except ValueError:
            continue
    raise ValueError(f"неверная дата «{text}»")


def preview(path: Path, *, limit: int = 10, **options) -> tuple[list[str], list[tuple[int, dict]]]:
    rows = []
    columns: list[str] = []
    for number, row in read_rows(path, **options):
        if not columns:
            columns = list(row)
        rows.append((number, row))
        if len(rows) >= limit:
            break
    return columns, rows


__all__ = ["ExtractError", "column_map", "io", "parse_date", "preview", "read_rows"]
