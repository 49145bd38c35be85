"""Readers of extract files: DBF, CSV, XLSX, XML, streamed record by record.

Each reader yields `(row_number, {column: value})`; `normalise_row` maps columns to our fields
through the profile's mapping or the default aliases. A file that cannot be read at all raises
`ExtractError` with the reason in Russian; a bad row is reported by the matcher, not here.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime
import io
import logging
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

from django.conf import settings

from reconciliation.encodings import (  # noqa: F401  (re-exported: the readers' encodings)
    ENCODING_CHOICES,
    ENCODING_LABELS,
    Encoding,
    detect_encoding,
    known_codec,
)
from reconciliation.errors import ExtractError

# Headers are compared without case, spaces, underscores, hyphens and dots, ё as е
# («ДатаРождения», «дата_рождения» and «Дата рождения» are one header).
FIELD_ALIASES: dict[str, list[str]] = {
    "snils": ["snils", "снилс", "ss", "npers", "страховой номер", "снилс получателя"],
    "last_name": ["last_name", "фамилия", "fam", "fa", "familia", "surname"],
    "first_name": ["first_name", "имя", "im", "name", "imya", "firstname"],
    "middle_name": ["middle_name", "отчество", "ot", "otch", "otchestvo", "patronymic"],
    "birth_date": [
        "birth_date",
        "дата рождения",
        "dr",
        "datr",
        "дата рожд",
        "др",
        "drog",
        "dat_rogd",
        "data_r",
        "dob",
        "birthdate",
    ],
    "event_date": [
        "event_date",
        "дата события",
        "date",
        "ds",
        "data",
        # what each kind of extract calls its event
        "дата смерти",
        "dsm",
        "datsm",
        "date_death",
        "death_date",
        "дата приема",
        "дата приема на работу",
        "дата трудоустройства",
        "date_work",
        "дата признания безработным",
        "дата регистрации в цзн",
        "date_unemp",
        "дата назначения пенсии",
        "date_pens",
    ],
    # the register import (manage.py import_register) adds these
    "sex": ["sex", "пол"],
    "address": ["address", "адрес"],
    "phone": ["phone", "телефон"],
    "service": ["service", "мера"],
    "start_date": ["start_date", "дата назначения"],
    "end_date": ["end_date", "дата окончания"],
}
DBF_LANGUAGE_DRIVERS = {0x26: "cp866", 0x65: "cp866", 0x01: "cp437", 0xC9: "cp1251", 0x57: "cp1251"}
DBF_VERSIONS = {0x02, 0x03, 0x04, 0x05, 0x30, 0x31, 0x43, 0x63, 0x83, 0x8B, 0xCB, 0xF5, 0xFB}
SNIFF_BYTES = 64 * 1024
FORMAT_NAMES = {"csv": "CSV", "dbf": "DBF", "xlsx": "XLSX", "xml": "XML"}

logger = logging.getLogger(__name__)


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
              xml_record: str = "record", override: str = "", first_rows: bool = False) -> Iterator[tuple[int, dict]]:  # fmt: skip
    """The records of an extract. `encoding` is the profile's (it breaks a tie of the detection);
    `override` is the encoding chosen on the preview or recorded on the run, read as it is.
    `first_rows`: only the first few will be read (the preview), so an XLSX sheet is streamed
    rather than parsed whole."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ExtractError(f"Файл не найден или недоступен: {path.name}") from exc
    if size == 0:
        raise ExtractError("Файл пуст (0 байт)")
    fmt = detect_format(path, file_format)
    if fmt == "csv":
        rows = _csv_rows(path, encoding, delimiter, override)
    elif fmt == "dbf":
        rows = _dbf_rows(path, encoding, override)
    elif fmt == "xlsx":
        rows = _xlsx_rows(path, stream=first_rows)
    elif fmt == "xml":
        rows = _xml_rows(path, xml_record or "record")
    else:
        raise ExtractError(f"Неизвестный формат «{fmt}»")
    return _guarded(rows, fmt, path)


def _guarded(rows: Iterator[tuple[int, dict]], fmt: str, path: Path) -> Iterator[tuple[int, dict]]:
    """Whatever a library raises while reading (struct.error, UnicodeDecodeError, a zip or XML
    error the readers below did not foresee) reaches the user in Russian with the place where
    reading stopped; the original goes to the server's log."""
    number = 0
    try:
        for number, row in rows:
            yield number, row
    except ExtractError:
        raise
    except Exception:
        logger.warning("Выгрузка %s не читается после записи %s", path.name, number, exc_info=True)
        where = f" после записи {number}" if number else ""
        raise ExtractError(
            f"Файл {FORMAT_NAMES.get(fmt, fmt)} повреждён и не читается{where}: получите "
            "выгрузку заново"
        ) from None


# --- Encodings ---------------------------------------------------------------------------------


def file_encoding(
    path: Path, *, file_format: str = "auto", declared: str = "", override: str = ""
) -> Encoding | None:
    """The encoding a CSV or DBF extract will be read in (None for XLSX and XML, which say it
    themselves): what the preview shows, what a run records and hands to both ways of running."""
    fmt = detect_format(path, file_format)
    if fmt not in {"csv", "dbf"}:
        return None
    if override:
        return Encoding(known_codec(override), "выбрана вручную")
    if fmt == "dbf":
        return dbf_encoding(path, declared)
    with path.open("rb") as raw:
        head = raw.read(SNIFF_BYTES)
    return detect_encoding(head, declared, complete=len(head) < SNIFF_BYTES)


# --- CSV ---------------------------------------------------------------------------------------


def csv_dialect(
    path: Path, encoding: str = "", delimiter: str = "", *, override: str = ""
) -> tuple[str, str, str]:
    """(encoding, delimiter, decoded sample of the head) of a CSV file: the encoding chosen by the
    user (`override`), else detected from the content (`detect_encoding`; the profile's
    `encoding` only breaks a tie); the delimiter from the profile or the header."""
    with path.open("rb") as raw:
        head = raw.read(SNIFF_BYTES)
    if b"\x00" in head:
        raise ExtractError("Файл не похож на CSV: в нём есть двоичные данные")
    if head.startswith(b"PK\x03\x04"):
        raise ExtractError("Файл не похож на CSV: это архив или XLSX")
    if override:
        encoding = known_codec(override)
        if encoding == "utf-8" and head.startswith(codecs.BOM_UTF8):
            encoding = "utf-8-sig"
    else:
        encoding = detect_encoding(head, encoding, complete=len(head) < SNIFF_BYTES).name
    try:
        sample = head.decode(encoding, errors="strict" if len(head) < SNIFF_BYTES else "ignore")
    except UnicodeDecodeError as exc:
        line = head[: exc.start].count(b"\n") + 1
        raise ExtractError(
            f"Файл не в кодировке {encoding} (строка {line}): выберите другую кодировку"
        ) from None
    if not delimiter:
        first_line = sample.splitlines()[0] if sample.splitlines() else ""
        counts = {d: first_line.count(d) for d in (";", ",", "\t")}
        delimiter = max(counts, key=counts.get) if any(counts.values()) else ";"
    delimiter = "\t" if delimiter in {"\\t", "tab"} else delimiter
    return encoding, delimiter, sample


def _csv_error(exc: csv.Error) -> str:
    """Python's reader speaks English: its errors in Russian. The one a real file meets most is a
    field past its limit, which a quote left open makes of the rest of the file."""
    text = str(exc)
    if "field larger than field limit" in text:
        limit = f"{csv.field_size_limit():,}".replace(",", " ")
        return f"поле длиннее {limit} символов — вероятно, кавычка в начале поля не закрыта"
    if "NUL" in text:
        return "в строке нулевой байт (NUL): файл повреждён или это не текстовый файл"
    if "new-line character" in text:
        return "перевод строки внутри поля без кавычек"
    return "строка не разбирается как CSV (кавычки или разделители не на месте)"


def _csv_rows(
    path: Path, encoding: str, delimiter: str, override: str = ""
) -> Iterator[tuple[int, dict]]:
    encoding, delimiter, _ = csv_dialect(path, encoding, delimiter, override=override)

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
                    f"Файл не в кодировке {encoding}: выберите другую кодировку"
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
                    f"Строка {number + 1}: символы не в кодировке {encoding}; выберите другую кодировку"
                ) from None
            except csv.Error as exc:
                raise ExtractError(f"Строка {number + 1}: {_csv_error(exc)}") from None

    return generate()


# --- DBF ---------------------------------------------------------------------------------------


def dbf_encoding(path: Path, declared: str = "") -> Encoding:
    """The encoding from the header's language-driver byte (offset 29): 0x26/0x65 cp866, 0xC9
    cp1251. A byte of no known code page (0x00, "unknown") leaves it to the content of the first
    records (`detect_encoding`), the profile's encoding breaking a tie (cp866 when none)."""
    with path.open("rb") as handle:
        header = handle.read(32)
        if len(header) < 32 or header[0] not in DBF_VERSIONS:
            raise ExtractError("Файл не похож на DBF: неверный заголовок")
        _dbf_complete(header, path.stat().st_size)
        byte = header[29]
        if byte in DBF_LANGUAGE_DRIVERS:
            return Encoding(
                DBF_LANGUAGE_DRIVERS[byte], f"по байту языкового драйвера DBF (0x{byte:02X})"
            )
        handle.seek(int.from_bytes(header[8:10], "little"))
        records = handle.read(SNIFF_BYTES)
    found = detect_encoding(records, declared or "cp866", complete=len(records) < SNIFF_BYTES)
    return Encoding(found.name, f"байт языкового драйвера DBF не задан (0x{byte:02X}); {found.how}")


def _dbf_complete(header: bytes, size: int) -> None:
    """The file holds what its header announces: the field descriptions and every record. A
    copy cut short (a download or a disk that ran out) fails here, not as a run of fewer rows."""
    records = int.from_bytes(header[4:8], "little")
    header_len = int.from_bytes(header[8:10], "little")
    record_len = int.from_bytes(header[10:12], "little")
    if header_len < 33 or record_len < 1:
        raise ExtractError("Файл не похож на DBF: неверный заголовок")
    if size < header_len:
        raise ExtractError(
            f"DBF обрезан: файл обрывается в описании полей ({size} байт, а одно описание полей "
            f"занимает {header_len}). Получите выгрузку заново."
        )
    whole = (size - header_len) // record_len
    if whole < records:
        partial = ", последняя неполная" if (size - header_len) % record_len > 1 else ""
        raise ExtractError(
            f"DBF обрезан: по заголовку в файле {records} записей, а целиком в нём {whole}"
            f"{partial}. Файл скопирован или выгружен не до конца — получите его заново."
        )


def _dbf_parser():
    from dbfread import FieldParser

    class Tolerant(FieldParser):
        """A value dbfread cannot take (a date «20260231», a number «12,5») comes as its text:
        the row is then invalid with its reason (`matching.parse_row`), not the whole file."""

        def parse(self, field, data):
            try:
                return super().parse(field, data)
            except ValueError:
                if field.type not in "DFN":
                    raise
                return data.decode("ascii", errors="replace").strip(" \x00")

    return Tolerant


class DbfLayout:
    """A table of character and date fields only (what the Pension Fund sends), read a record
    at a time: where each field lies in the record's bytes and how a record becomes dbfread's
    values (`values`), some ten times faster than dbfread's field by field. Each value is what
    dbfread's parser (`_dbf_parser`) makes of the same bytes — it parses whatever is not a plain
    text or a plain date itself. None for any other table (dbfread reads it)."""

    def __init__(self, table):
        fields = table.fields
        self.table = table
        self.names = [field.name for field in fields]
        self.parse = table.parserclass(table).parse
        self.codec = table.encoding
        self.size = table.header.recordlen
        # a single-byte code page: the record decoded at once, a field's characters at its
        # bytes' places (NUL and space are themselves in each)
        self.single = codecs.lookup(self.codec).name in ("cp866", "cp1251", "cp437")
        # (name, field, begin, end, is_text) in the record's order
        self.fields = []
        start = 1
        for field in fields:
            self.fields.append((field.name, field, start, start + field.length, field.type == "C"))
            start += field.length
        self.texts = [f[:4] for f in self.fields if f[4]]
        self.dates = [f[:4] for f in self.fields if not f[4]]

    @classmethod
    def of(cls, table) -> DbfLayout | None:
        fields = table.fields
        if not all(field.type in "CD" for field in fields):
            return None
        if table.header.recordlen != 1 + sum(field.length for field in fields):
            return None
        return cls(table)

    def decoded(self, record: bytes) -> str | None:
        """The whole record as text, when a single decoding gives each field's characters."""
        if self.single and len(record) == self.size:
            try:
                return record.decode(self.codec)
            except UnicodeDecodeError:
                return None
        return None

    def date(self, field, data: bytes):
        """dbfread's value of a date field: a plain ГГГГММДД at once, anything else by its parser."""
        if len(data) == 8 and data.isdigit():
            try:
                return datetime.date(int(data[:4]), int(data[4:6]), int(data[6:8]))
            except ValueError:
                pass
        return self.parse(field, data)

    def values(self, record: bytes) -> dict:
        """dbfread's record (a dict, its field order) of a record's bytes; UnicodeDecodeError
        where a text is not in the code page."""
        values = dict.fromkeys(self.names)
        decoded = self.decoded(record)
        if decoded is not None:
            for name, _, begin, end in self.texts:
                values[name] = decoded[begin:end].rstrip("\0 ")
        else:
            codec = self.codec
            for name, _, begin, end in self.texts:
                values[name] = record[begin:end].rstrip(b"\0 ").decode(codec, "strict")
        for name, field, begin, end in self.dates:
            values[name] = self.date(field, record[begin:end])
        return values

    def records(self, path: Path) -> Iterator[bytes]:
        """The bytes of each record that is not deleted, as dbfread finds them: up to the end
        mark (0x1A) or the end of the file, the last one as long as it is (a cut record)."""
        size = self.size
        chunk = size * max(1, (1 << 20) // size)  # whole records, about a megabyte
        with path.open("rb") as handle:
            handle.seek(self.table.header.headerlen)
            while True:
                block = handle.read(chunk)  # the whole chunk, short only at the end of the file
                for start in range(0, len(block), size):
                    sep = block[start : start + 1]
                    if sep == b" ":
                        yield block[start : start + size]
                    elif sep == b"\x1a":
                        return
                if len(block) < chunk:
                    return


def _dbf_records(table, path: Path) -> Iterator[dict]:
    """The records of a dbfread table, as iterating it gives them (`DbfLayout` where it can)."""
    layout = DbfLayout.of(table)
    if layout is None:
        yield from table
        return
    values = layout.values
    for record in layout.records(path):
        yield values(record)


def dbf_codec(path: Path, encoding: str, override: str = "") -> str:
    """The codec a DBF extract is read in: the run's (`override`) or the header's
    (`dbf_encoding`); the header is checked either way."""
    codec = known_codec(override) if override else dbf_encoding(path, encoding).name
    if override:
        dbf_encoding(path)  # the header is checked all the same
    return codec


def dbf_table(path: Path, codec: str):
    """dbfread's table of a DBF extract (the field descriptions read, no record yet)."""
    from dbfread import DBF

    with dbf_failures(path, codec, lambda: 0):
        return DBF(
            str(path), encoding=codec, char_decode_errors="strict",
            ignore_missing_memofile=True, parserclass=_dbf_parser(),
        )  # fmt: skip


@contextlib.contextmanager
def dbf_failures(path: Path, codec: str, read: Callable[[], int]):
    """What dbfread or a record raises, in Russian; `read()` says how many records were read."""
    import struct

    from dbfread.exceptions import DBFNotFound, MissingMemoFile

    try:
        yield
    except UnicodeDecodeError:
        number = read()
        where = f" (запись {number + 1})" if number else ""
        raise ExtractError(
            f"DBF не читается в кодировке {codec}{where}: выберите другую кодировку"
        ) from None
    except (DBFNotFound, MissingMemoFile):
        raise ExtractError("DBF ссылается на файл примечаний (.dbt/.fpt), которого нет") from None
    except (ValueError, struct.error) as exc:
        logger.warning("DBF %s: %s", path.name, exc)
        number = read()
        if "Unknown field type" in str(exc):
            reason = "в описании полей тип поля, которого DBF не знает"
        elif number:
            reason = f"запись {number + 1} не читается"
        else:
            reason = "описание полей неполное или неверное"
        raise ExtractError(f"DBF повреждён: {reason}. Получите выгрузку заново.") from None


def _dbf_rows(path: Path, encoding: str, override: str = "") -> Iterator[tuple[int, dict]]:
    codec = dbf_codec(path, encoding, override)

    def generate():
        number = 0
        table = dbf_table(path, codec)
        with dbf_failures(path, codec, lambda: number):
            for record in _dbf_records(table, path):
                number += 1
                values = {k: ("" if v is None else v) for k, v in record.items()}
                if not any(str(v).strip() for v in values.values()):
                    continue
                yield number, values

    return generate()


# --- XLSX --------------------------------------------------------------------------------------


# calamine holds the whole sheet in memory while its rows are read: some 75-90 bytes a cell
# whether the texts are shared or inline (bench/xlsx_reader.py: 1,000,000 rows of 6 columns,
# 450-515 MB above the process's own 100 MB). A sheet estimated at more than
# settings.XLSX_IN_MEMORY_MB is read by openpyxl instead, a row at a time in flat memory.
XLSX_BYTES_PER_CELL = 90
XLSX_SAMPLE = 1024 * 1024


def _xlsx_rows(path: Path, *, stream: bool = False) -> Iterator[tuple[int, dict]]:
    """The first worksheet of a book, read by python-calamine (Rust), some fifteen times faster
    than openpyxl's read-only mode: calamine parses the whole sheet before the first row is
    given, then each row becomes Python objects only when it is reached. The values are what
    openpyxl gave (`_xlsx_value`); the row numbers are the sheet's, blank rows skipped but
    counted. A sheet too large to hold is streamed by openpyxl (`_xlsx_rows_streamed`), and so is
    a sheet of which only the first rows are wanted (`stream`: the upload's preview, in the web
    process, must not parse a million rows to show ten)."""
    if not zipfile.is_zipfile(path):
        raise ExtractError("Файл не является книгой XLSX (возможно, это переименованный CSV)")
    cells = _xlsx_archive(path)
    if stream:
        return _xlsx_rows_streamed(path)
    if cells * XLSX_BYTES_PER_CELL > settings.XLSX_IN_MEMORY_MB * 1024 * 1024:
        logger.info("XLSX %s: около %s ячеек, лист читается построчно", path.name, cells)
        return _xlsx_rows_streamed(path)

    def generate():
        from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, ZipError

        try:
            workbook = CalamineWorkbook.from_path(str(path))
        except ZipError:
            raise ExtractError("Книга XLSX повреждена: архив не читается") from None
        except CalamineError as exc:
            logger.warning("XLSX %s: %r", path.name, exc)
            raise ExtractError("Книга XLSX не читается: файл повреждён или это не книга Excel") from None  # fmt: skip
        with workbook:
            names = [m.name for m in workbook.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
            if not names:
                raise ExtractError("В книге XLSX нет ни одного листа")
            try:
                sheet = workbook.get_sheet_by_name(names[0])
            except CalamineError as exc:  # the sheet's XML broken, a cell that is no value
                logger.warning("XLSX %s, лист %s: %r", path.name, names[0], exc)
                raise ExtractError(
                    f"Книга XLSX: лист «{names[0]}» не читается — в нём ячейка с неверной датой "
                    "или числом, либо лист повреждён"
                ) from None
            if sheet.start is None:  # not a cell with a value
                raise ExtractError("Книга XLSX пуста: нет строки заголовка")
            # rows above the first filled one come as rows of "" (the header is row 1, as it
            # was with openpyxl); columns left of the first filled one are left out of every row
            rows = sheet.iter_rows()
            header = [str(_xlsx_value(h)).strip() for h in next(rows)]
            if not any(header):
                raise ExtractError("Книга XLSX пуста: нет строки заголовка")
            number = 1
            for values in rows:
                number += 1
                if not any(v != "" for v in values):
                    continue
                yield (
                    number,
                    {h: _xlsx_value(v) for h, v in zip(header, values, strict=False) if h},
                )

    return generate()


def _xlsx_archive(path: Path) -> int:
    """The archive's own check, before calamine reads the parts it needs: every member's local
    header is where the directory says (a copy damaged in the middle fails here, as openpyxl
    failed on it, even where calamine would not read that member), and the book's parts are
    there. Returns the cells of the largest sheet, estimated from its first megabyte: the
    headers and that megabyte are all that is read."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            for info in archive.infolist():
                archive.open(info).close()
            if "[Content_Types].xml" not in names or "_rels/.rels" not in names:
                raise ExtractError("Файл не является книгой XLSX: в архиве нет листов книги")
            sheets = [i for i in archive.infolist() if i.filename.startswith("xl/worksheets/")]
            if not sheets:
                return 0
            largest = max(sheets, key=lambda info: info.file_size)
            with archive.open(largest) as sheet:
                sample = sheet.read(XLSX_SAMPLE)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, zlib.error):
        raise ExtractError("Книга XLSX повреждена: архив не читается") from None
    except (RuntimeError, NotImplementedError):  # encrypted, or compressed in a way zip lacks
        raise ExtractError("Книга XLSX не читается: файл повреждён или это не книга Excel") from None  # fmt: skip
    cells = len(XLSX_CELL.findall(sample))
    if not cells and largest.file_size > XLSX_SAMPLE:
        # no cell recognised in a megabyte of a large sheet: not estimated, so not held whole
        return largest.file_size
    return cells * largest.file_size // max(len(sample), 1)


# a cell element, with or without a namespace prefix (`<c r="A1">`, `<x:c r="A1">` as the .NET
# OpenXML SDK writes it)
XLSX_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s>/]")


def _xlsx_rows_streamed(path: Path) -> Iterator[tuple[int, dict]]:
    """A sheet too large for calamine's whole-sheet read (settings.XLSX_IN_MEMORY_MB): openpyxl's
    read-only mode, a row at a time in flat memory, some fifteen times slower."""
    from openpyxl import load_workbook

    def generate():
        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except zipfile.BadZipFile:
            raise ExtractError("Книга XLSX повреждена: архив не читается") from None
        except KeyError:
            raise ExtractError("Файл не является книгой XLSX: в архиве нет листов книги") from None
        except Exception as exc:
            logger.warning("XLSX %s: %r", path.name, exc)
            raise ExtractError("Книга XLSX не читается: файл повреждён или это не книга Excel") from None  # fmt: skip
        number = 1
        try:
            if not workbook.worksheets:
                raise ExtractError("В книге XLSX нет ни одного листа")
            sheet = workbook.worksheets[0]
            rows = sheet.iter_rows(values_only=True)
            header = next(rows, None)
            if not header:
                raise ExtractError("Книга XLSX пуста: нет строки заголовка")
            header = [str(h).strip() if h is not None else "" for h in header]
            if not any(header):  # the first row blank: as calamine's way says it
                raise ExtractError("Книга XLSX пуста: нет строки заголовка")
            while True:
                try:
                    values = next(rows, None)
                except ExtractError:
                    raise
                except Exception as exc:  # a cell openpyxl cannot convert (a date out of range)
                    logger.warning("XLSX %s, строка %s: %r", path.name, number + 1, exc)
                    raise ExtractError(
                        f"Книга XLSX: строка {number + 1} не читается — в ней ячейка с неверной "
                        "датой или числом, либо лист повреждён"
                    ) from None
                if values is None:
                    break
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


def _xlsx_value(value):
    """A cell as openpyxl gave it: calamine reads every number as a float (a СНИЛС typed as a
    number, 11223344595, must stay 11223344595 and not become «11223344595.0»), and a date cell
    of a whole day as a date, where openpyxl gave a datetime at midnight (an invalid row keeps
    its cells as the reader gave them: «1992-07-12 00:00:00»)."""
    kind = type(value)
    if kind is float:
        return int(value) if value.is_integer() else value
    if kind is datetime.date:
        return datetime.datetime(value.year, value.month, value.day)
    return value


# --- XML ---------------------------------------------------------------------------------------


class _Refused(Exception):
    """A DTD or an entity declaration in an XML extract: refused before anything is expanded."""


def _refuse_declarations(parser, refuse) -> None:
    """An expat parser that calls `refuse` at a DOCTYPE or any entity declaration or reference,
    before anything is expanded (as defusedxml's `forbid_dtd`)."""
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse


XML_NAME = re.compile(r"[^\W\d][\w.-]*")  # a plain element name, Cyrillic too


def _xml_rows(path: Path, record_tag: str) -> Iterator[tuple[int, dict]]:
    """The records of an XML extract, a record at a time: memory does not grow with the file.

    libxml2 (lxml's `iterparse`, in C: some three times faster than expat's handlers in Python)
    reads a file whose prolog expat has found free of any DOCTYPE (`_xml_prolog_clean`), so no
    entity is ever declared, and it is told not to resolve entities, load a DTD or use the
    network all the same. Every other file — a DOCTYPE, an error anywhere, a record element
    whose name is not a plain XML name — is read by expat (`_xml_expat_rows`), which refuses
    or names the fault as it always did; when libxml2 stops part-way, expat goes on after the
    records already given, so the records and the messages are expat's whoever reads."""
    try:
        from lxml import etree
    except ImportError:  # pragma: no cover - lxml is a dependency
        return _xml_expat_rows(path, record_tag)
    if not XML_NAME.fullmatch(record_tag or ""):
        return _xml_expat_rows(path, record_tag)

    def generate():
        if not _xml_prolog_clean(path):
            yield from _xml_expat_rows(path, record_tag)
            return
        tag = "{*}" + record_tag
        local = {}  # tag -> its local name
        number = given = 0
        try:
            context = etree.iterparse(
                str(path), events=("start", "end"), tag=tag, resolve_entities=False,
                load_dtd=False, no_network=True, huge_tree=False, remove_comments=True,
                remove_pis=True,
            )  # fmt: skip
            # records open: a record inside a record is one of its fields, as expat reads it
            depth = 0
            for event, record in context:
                if event == "start":
                    depth += 1
                    continue
                depth -= 1
                if depth:
                    continue
                number += 1
                values = {}
                for child in record:
                    name = child.tag
                    if name.__class__ is not str:
                        continue
                    key = local.get(name)
                    if key is None:
                        key = local[name] = name.rsplit("}", 1)[-1]
                    text = child.text
                    values[key] = text.strip() if text else ""
                if record.attrib:
                    values.update(record.attrib)
                # the record read: it, and whatever came before it and its elders, leave the tree
                record.clear()
                node = record
                while (parent := node.getparent()) is not None:
                    while node.getprevious() is not None:
                        del parent[0]
                    node = parent
                if any(values.values()):
                    given = number
                    yield number, values
        except Exception as exc:  # expat says what is wrong and where, or reads on
            logger.info("XML %s: libxml2 остановился (%s), файл дочитывает expat", path.name, exc)
            for found, values in _xml_expat_rows(path, record_tag):
                if found > given:
                    yield found, values
            return
        if number == 0:
            raise ExtractError(
                f"В XML нет записей <{record_tag}>: проверьте элемент записи в профиле"
            )

    return generate()


class _Root(Exception):
    """The root element began: the prolog is over."""


def _xml_prolog_clean(path: Path) -> bool:
    """expat reads the file up to its root element: True when it got there with no DOCTYPE
    and no error on the way."""
    from xml.parsers import expat

    parser = expat.ParserCreate(namespace_separator="}")

    def stop(*args):
        raise _Root

    def refuse(*args):
        raise _Refused

    _refuse_declarations(parser, refuse)
    parser.StartElementHandler = stop
    try:
        with path.open("rb") as handle:
            while block := handle.read(64 * 1024):
                parser.Parse(block, False)
    except _Root:
        return True
    except Exception:
        return False
    return False


def _xml_expat_rows(path: Path, record_tag: str) -> Iterator[tuple[int, dict]]:
    """The records of an XML extract, read by expat a block at a time and kept only until they
    are yielded: memory does not grow with the file. A DOCTYPE (and so any entity declaration,
    external or expanding) is refused the moment expat meets it, as defusedxml's `forbid_dtd`
    does; an element's text is the text before its first child, as ElementTree's `.text`."""
    from xml.parsers import expat

    def generate():
        parser = expat.ParserCreate(namespace_separator="}")
        parser.buffer_text = True
        parser.buffer_size = 64 * 1024
        done: list[tuple[int, dict]] = []
        state = {"number": 0, "depth": 0, "record": None, "text": None, "child": None, "read": 0}
        depth_of_record = [0]

        def refuse(*args):
            raise _Refused

        def local(name: str) -> str:
            return name.rsplit("}", 1)[-1]

        def start(name, attrs):
            state["depth"] += 1
            depth = state["depth"]
            if state["record"] is None:
                if local(name) == record_tag:
                    state["number"] += 1
                    state["record"] = ({}, {("{" + k if "}" in k else k): v for k, v in attrs.items()})  # fmt: skip
                    depth_of_record[0] = depth
                return
            if depth == depth_of_record[0] + 1:  # a field of the record
                state["child"] = local(name)
                state["text"] = []
                state["record"][0][state["child"]] = ""
            elif state["text"] is not None and depth == depth_of_record[0] + 2:
                # the field's text is what comes before its first element
                state["record"][0][state["child"]] = "".join(state["text"]).strip()
                state["text"] = None

        def end(name):
            depth = state["depth"]
            state["depth"] -= 1
            if state["record"] is None:
                return
            if depth == depth_of_record[0]:
                values, attrs = state["record"]
                values.update(attrs)
                state["record"] = None
                state["read"] += 1
                if any(values.values()):
                    done.append((state["number"], values))
            elif depth == depth_of_record[0] + 1 and state["text"] is not None:
                state["record"][0][state["child"]] = "".join(state["text"]).strip()
                state["text"] = None

        def data(text):
            if state["text"] is not None and state["depth"] == depth_of_record[0] + 1:
                state["text"].append(text)

        _refuse_declarations(parser, refuse)
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = data
        try:
            with path.open("rb") as handle:
                while True:
                    block = handle.read(256 * 1024)
                    parser.Parse(block, not block)
                    yield from done
                    done.clear()
                    if not block:
                        break
        except _Refused:
            raise ExtractError("XML отклонён: внешние сущности и DTD запрещены") from None
        except expat.ExpatError as exc:
            exc.position = (exc.lineno, exc.offset)
            raise ExtractError(_xml_error(exc, state["read"])) from None
        except ExtractError:
            raise
        except Exception as exc:
            logger.warning("XML %s: %r", path.name, exc)
            where = f" после записи {state['read']}" if state["read"] else ""
            raise ExtractError(f"XML не читается{where}: файл повреждён") from None
        if state["number"] == 0:
            raise ExtractError(
                f"В XML нет записей <{record_tag}>: проверьте элемент записи в профиле"
            )

    return generate()


# expat's error codes (xml.parsers.expat.errors) a damaged extract meets, in Russian
XML_ERRORS = {
    2: "синтаксическая ошибка",
    3: "файл обрывается: нет закрывающих элементов",
    4: "недопустимый символ или неверная кодировка",
    5: "незакрытый элемент",
    6: "неполный символ (файл обрывается или не в той кодировке)",
    7: "закрывающий тег не совпадает с открывающим",
    8: "повторяющийся атрибут",
    9: "лишний текст после конца документа",
    11: "неизвестная сущность (&…;)",
    14: "ссылка на недопустимый символ",
    17: "неизвестная кодировка в заголовке XML",
    18: "кодировка в заголовке XML не совпадает с содержимым",
    27: "неизвестный префикс пространства имён",
}


def _xml_error(exc, records: int) -> str:
    line, column = getattr(exc, "position", (0, 0)) or (0, 0)
    reason = XML_ERRORS.get(getattr(exc, "code", None), "ошибка разметки")
    where = f"строка {line}, позиция {column + 1}" if line else "место не определено"
    after = f"; прочитано записей: {records}" if records else ""
    return f"XML не читается: {reason} ({where}{after})"


# --- Mapping columns to fields -----------------------------------------------------------------


def column_map(columns: list[str], mapping: dict | None, wanted: list[str]) -> dict[str, str]:
    """field -> column, from the profile's mapping or the default aliases (compared by
    `header_key`: without case, spaces, underscores, hyphens and dots)."""
    by_key: dict[str, str] = {}
    for c in columns:
        by_key.setdefault(header_key(c), c)
    result = {}
    for field in wanted:
        if mapping and mapping.get(field):
            column = by_key.get(header_key(mapping[field]))
            if column is not None:
                result[field] = column
            continue
        for alias in FIELD_ALIASES.get(field, [field]):
            if header_key(alias) in by_key:
                result[field] = by_key[header_key(alias)]
                break
    return result


def header_key(name) -> str:
    return re.sub(r"[\s_\-.]+", "", str(name).strip().lower().replace("ё", "е"))


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
    for number, row in read_rows(path, first_rows=True, **options):
        if not columns:
            columns = list(row)
        rows.append((number, row))
        if len(rows) >= limit:
            break
    return columns, rows


__all__ = [
    "Encoding",
    "ExtractError",
    "column_map",
    "detect_encoding",
    "file_encoding",
    "io",
    "parse_date",
    "preview",
    "read_rows",
]
