"""What the set-based way (`reconciliation/fastpath.py`) can take, and how a file gets into its
working table.

`usable`: PostgreSQL with `fuzzystrmatch` and the profile's date format ДД.ММ.ГГГГ (or none) —
whatever the file's format. Two ways in:

- a CSV file in an encoding COPY knows, which COPY reads exactly as Python's reader does
  (`dialect`, `safe_for_copy`), is read by COPY itself;
- every other file — DBF, XLSX, XML, a CSV COPY would read otherwise — is read by the Python
  path's own reader (`readers.read_rows`, a record at a time) and handed to COPY as CSV text by
  `RowStream`, a chunk at a time: memory stays the same whatever the file's size, and the rows,
  their numbers and their values are the Python path's.

`Unavailable` sends the run the Python way: only where the database cannot hold a value (a NUL
character) or refuses the working table.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from django.conf import settings
from django.db import connection

from reconciliation.models import ReconciliationRun
from reconciliation.readers import ExtractError, csv_dialect, detect_format

PG_ENCODINGS = {"utf-8": "UTF8", "utf-8-sig": "UTF8", "cp1251": "WIN1251", "cp866": "WIN866"}


class Unavailable(Exception):
    """This run cannot take the set-based path; the Python path takes it."""


def usable(run: ReconciliationRun) -> bool:
    if not getattr(settings, "RECONCILE_SQL", True) or connection.vendor != "postgresql":
        return False
    profile = run.profile
    try:
        detect_format(Path(run.file_path), profile.file_format)
    except ExtractError:
        return False  # the Python path says so
    if profile.date_format not in ("", "%d.%m.%Y"):
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'fuzzystrmatch'")
        return cursor.fetchone() is not None


def dialect(path: Path, profile, override: str = "") -> tuple[str, str, list[str]]:
    """(Python encoding, delimiter, header) as the Python reader would find them: the same
    detection, or the run's recorded encoding (`override`), for COPY's ENCODING."""
    try:
        encoding, delimiter, sample = csv_dialect(
            path, profile.encoding, profile.delimiter, override=override
        )
    except ExtractError:
        raise Unavailable from None  # the Python path says what is wrong with the file
    if not sample or encoding not in PG_ENCODINGS:
        raise Unavailable
    try:
        header = next(csv.reader(io.StringIO(sample), delimiter=delimiter))
    except (StopIteration, csv.Error):
        raise Unavailable from None
    header = [h.strip().lstrip("\ufeff") for h in header]
    if len(header) < 2 or any("\n" in h or "\r" in h for h in header):
        raise Unavailable
    return encoding, delimiter, header


def quoting(delimiter: str) -> re.Pattern:
    """A line whose every field is either without quotes or quoted whole (inner quotes doubled):
    COPY and Python's reader read such a line alike."""
    d = re.escape(delimiter.encode("ascii"))
    field = rb'(?:"(?:[^"]|"")*"|[^"' + d + rb"\r\n]*)"
    return re.compile(field + rb"(?:" + d + field + rb")*\r?\n?")


def safe_for_copy(path: Path, delimiter: str) -> bool:
    """COPY ends the data at a line holding only «\\.», and takes a quote inside an unquoted field
    as the start of a quoted part where Python's reader keeps it as a character (О"Брайен); such
    files go the Python way. Files quoted whole or in part (1C, Excel) are checked line by line;
    a quoted field across lines goes the Python way too."""
    quoted = False
    tail = b""
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(4 * 1024 * 1024), b""):
            block = tail + chunk
            quoted = quoted or b'"' in chunk
            if b"\n\\.\n" in block or b"\n\\.\r" in block or block.startswith((b"\\.\n", b"\\.\r")):
                return False
            tail = block[-4:]
    if tail.endswith(b"\n\\.") or tail == b"\\.":
        return False
    if not quoted:
        return True
    if not delimiter.isascii() or delimiter in '"\r\n':
        return False
    line = quoting(delimiter)
    between = b'"' + delimiter.encode("ascii") + b'"'
    with path.open("rb") as handle:
        for number, text in enumerate(handle):
            if number == 0:
                text = text.removeprefix(b"\xef\xbb\xbf")  # a BOM before the quoted header
            if b'"' not in text:
                continue
            # every field quoted, no quote inside (1C): between the first and the last quote,
            # only the two around each delimiter; anything else is checked by the pattern
            bare = text.rstrip(b"\r\n")
            inner = bare[1:-1]
            if len(bare) >= 2 and bare[:1] == b'"' == bare[-1:] and inner.count(b'"') == 2 * inner.count(between):  # fmt: skip
                continue
            if not line.fullmatch(text):
                return False
    return True


def day_text(value: datetime.date) -> str:
    """A date as ДД.ММ.ГГГГ: what `readers.parse_date` reads as the same day, with or without the
    profile's «%d.%m.%Y» (a date of a year before 1000 keeps four digits)."""
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


def _quoted(value: str) -> str:
    return '"' + (value.replace('"', '""') if '"' in value else value) + '"'


class RowStream:
    """The records of a reader (`(row_number, {column: value})`) as COPY's CSV input, for
    `cursor.copy_expert`: read a chunk at a time, never the whole file.

    A line is `rn, c0..cN, o<K>.., extra`: `rn` the record's number less one (the working table's
    `rn + 1` is the row number, as for a file COPY reads itself); `cK` the text of the header's
    K-th column as `matching.parse_row` reads it: `str(value)`, or a date (DBF, XLSX) in a date
    column as ДД.ММ.ГГГГ; `oK` the cell's own text (`str(value)`) where a date was so written,
    for the invalid row's data; `extra` the columns a record has beyond the header (an XML
    record with other elements) as JSON. A column the record lacks is NULL (unquoted), an empty
    value an empty string (quoted): the invalid row's data holds the record's own columns.

    The header is the first record's columns, as the Python path maps them. Whatever the reader
    raises (a damaged file: `ExtractError`) is kept in `error` for the caller: psycopg2 turns an
    exception in `read` into a cancelled COPY."""

    CHUNK = 256 * 1024

    def __init__(self, rows: Iterator[tuple[int, dict]], header: list[str], dates: set[int], *,
                 progress: Callable[[int], None] | None = None, every: int = 50_000):  # fmt: skip
        self.rows = rows
        # the records' lines when they are made straight from the file (`dbf_lines`): the same
        # lines `_line` makes of the reader's records
        self.lines: Iterator[tuple[int, str]] | None = None
        self.header = header
        self.dates = sorted(dates)
        self.known = set(header)
        self.ordered = tuple(header)
        self.separators = 2 * (len(header) - 1)  # the quotes of the «","» between the columns
        self.tail = "," * (len(self.dates) + 1) + "\n"  # no date's own text, no extra columns
        self.progress = progress
        self.every = every
        self.count = 0
        self.error: BaseException | None = None
        self.finished = False

    @property
    def columns(self) -> list[str]:
        """The working table's columns this stream fills, in its order."""
        return ["rn", *(f"c{i}" for i in range(len(self.header))), *(f"o{i}" for i in self.dates), "extra"]  # fmt: skip

    def _line(self, number: int, row: dict) -> str:
        # the usual record (XML, CSV): the header's columns in its order, every value a text
        # without a quote — then no column is NULL, no date is a date and nothing is extra
        if len(row) == len(self.header) and self.ordered == tuple(row):
            try:
                joined = '","'.join(row.values())
            except TypeError:  # a date or a number: taken column by column below
                joined = None
            if joined is not None and joined.count('"') == self.separators:  # no quote inside
                return f'{number - 1},"{joined}"{self.tail}'
        return self._line_by_column(number, row)

    def _line_by_column(self, number: int, row: dict) -> str:
        get = row.get
        values = [get(key) for key in self.header]
        present = 0
        originals = []
        for index in self.dates:
            value = values[index]
            if isinstance(value, datetime.date):
                originals.append(_quoted(str(value)))
                values[index] = day_text(value)
            else:
                originals.append("")
        fields = [str(number - 1)]
        for value in values:
            if value is None:
                fields.append("")
                continue
            present += 1
            fields.append(_quoted(value if value.__class__ is str else str(value)))
        fields.extend(originals)
        if len(row) > present:  # columns the header does not name
            extra = {k: str(v) for k, v in row.items() if k not in self.known}
            fields.append(_quoted(json.dumps(extra, ensure_ascii=False)))
        else:
            fields.append("")
        return ",".join(fields) + "\n"

    def read(self, size: int = -1) -> bytes:
        if self.finished:
            return b""
        parts: list[str] = []
        length = 0
        try:
            lines = self.lines if self.lines is not None else ((number, self._line(number, row)) for number, row in self.rows)  # fmt: skip
            for _, line in lines:
                parts.append(line)
                length += len(line)
                self.count += 1
                if self.progress is not None and self.count % self.every == 0:
                    self.progress(self.count)
                if length >= self.CHUNK:
                    break
            else:
                self.finished = True
            text = "".join(parts)
            if "\x00" in text:  # PostgreSQL's text cannot hold it: the Python way takes the file
                raise Unavailable("символ NUL в значении")
            return text.encode("utf-8")
        except BaseException as exc:
            self.error = exc
            raise


class CountingReader:
    """A file handed to COPY as it is, counting its lines as COPY reads it: the progress of a file
    COPY reads itself (lines, less the header; a quoted field across lines counts each)."""

    def __init__(self, handle, progress: Callable[[int], None] | None = None, every: int = 50_000):
        self.handle = handle
        self.progress = progress
        self.every = every
        self.lines = 0
        self.said = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.handle.read(size)
        self.lines += chunk.count(b"\n")
        if self.progress is not None and self.lines - 1 - self.said >= self.every:
            self.said = (self.lines - 1) // self.every * self.every
            self.progress(self.said)
        return chunk


def dbf_lines(stream: RowStream, path: Path, codec: str) -> Iterator[tuple[int, str]] | None:
    """A DBF of character and date fields in a single-byte code page (`readers.DbfLayout`) as
    `(row_number, line)`, each line what `RowStream._line` makes of the record the reader gives,
    made straight from the record's bytes: the record decoded once, each text sliced out, a
    date's two texts (ДД.ММ.ГГГГ and its own) kept by its bytes, not made anew for each record.
    A record that is not so plain (a byte the code page lacks, a record cut short) is read by
    the reader's own code (`DbfLayout.values`). None for any other DBF: the reader's records
    are then formatted one by one. Errors are the reader's (`dbf_failures`, `_guarded`)."""
    from reconciliation.readers import DbfLayout, _guarded, dbf_failures, dbf_table

    table = dbf_table(path, codec)
    layout = DbfLayout.of(table)
    if layout is None or not layout.single or layout.names != stream.header:
        return None
    dates = set(stream.dates)
    plan = [(is_text, index in dates, field, begin, end)
            for index, (_, field, begin, end, is_text) in enumerate(layout.fields)]  # fmt: skip
    caches: dict[int, dict] = {}

    def date_texts(field, data: bytes, is_date: bool) -> tuple[str, str | None, bool]:
        """(cK, oK or None, not blank) of a date field's bytes."""
        value = layout.date(field, data)
        value = "" if value is None else value
        if is_date and isinstance(value, datetime.date):
            return '"' + day_text(value) + '"', _quoted(str(value)), True
        text = value if value.__class__ is str else str(value)
        return _quoted(text), "" if is_date else None, bool(text.strip())

    def generate():
        number = 0  # the record being read (the records read: one less, as the reader says)
        with dbf_failures(path, codec, lambda: number - 1):
            for record in layout.records(path):
                number += 1
                decoded = layout.decoded(record)
                if decoded is None:  # the reader's own way, and its errors
                    values = {k: ("" if v is None else v) for k, v in layout.values(record).items()}  # fmt: skip
                    if any(str(v).strip() for v in values.values()):
                        yield number, stream._line(number, values)
                    continue
                quote = '"' in decoded
                fields = [str(number - 1)]
                originals = []
                filled = False
                for is_text, is_date, field, begin, end in plan:
                    if is_text:
                        value = decoded[begin:end].rstrip("\0 ")
                        if value and not filled:
                            filled = not value.isspace()
                        fields.append('"' + (value.replace('"', '""') if quote else value) + '"')
                        if is_date:
                            originals.append("")
                        continue
                    cache = caches.setdefault(begin, {})
                    data = record[begin:end]
                    texts = cache.get(data)
                    if texts is None:
                        if len(cache) > 65_536:  # memory stays bounded whatever the file
                            cache.clear()
                        texts = cache[data] = date_texts(field, data, is_date)
                    fields.append(texts[0])
                    if is_date:
                        originals.append(texts[1])
                    filled = filled or texts[2]
                if filled:
                    fields.extend(originals)
                    fields.append("")
                    yield number, ",".join(fields) + "\n"

    return _guarded(generate(), "dbf", path)
