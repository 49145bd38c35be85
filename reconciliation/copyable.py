"""Which runs the set-based way (`reconciliation/fastpath.py`) can take: PostgreSQL with
`fuzzystrmatch`, a CSV file in an encoding COPY knows, the profile's date format, and a file that
COPY reads exactly as Python's reader does. Anything else raises `Unavailable` (or `usable` says
no) and the run goes the Python way.
"""

from __future__ import annotations

import csv
import io
import re
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
        if detect_format(Path(run.file_path), profile.file_format) != "csv":
            return False
    except ExtractError:
        return False
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
