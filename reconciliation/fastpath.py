"""Set-based reconciliation of an extract of any format on PostgreSQL.

The Python path (`services.cascade.match_rows`) reads every record and looks it up in an in-memory index
of all recipients: right everywhere, but a million rows take minutes. Here the file goes into an
UNLOGGED working table of the run's transaction (`raw`: `rn`, c0..cN) and the cascade runs as
joins that PostgreSQL spreads over parallel workers:

0. loading (`_load_direct`, `_load_stream`): a CSV file COPY reads exactly as Python's reader
   does is read by COPY itself; every other file — DBF, XLSX, XML, a CSV with stray quotes or a
   short row — is read by the Python path's own reader (`readers.read_rows`, a record at a time)
   and streamed into COPY as CSV text (`copyable.RowStream`): constant memory, the same records,
   row numbers (`rn + 1`) and values as the Python path (a DBF or XLSX date as ДД.ММ.ГГГГ, a
   number as `str()` gives it). A file the reader cannot read fails the run with its reason;
1. one pass over the file finds step (a) for the bulk of it straight from the loaded text (a
   СНИЛС of digits, spaces and hyphens equal to a recipient's number with a right check number)
   and trims the records the later steps and the evidence need; a second pass takes those apart
   by the rules of `matching.parse_row` (names folded by `lower()`, or by `translate` where the
   database's locale does not fold Cyrillic). A record that is not regular (other characters,
   other date forms, an impossible date) goes through `parse_row` itself, a batch at a time, so
   odd records get exactly the Python path's result and message;
2. (a) for those odd records, (b) name key + birth date, (c) Levenshtein distance <= 2 on the
   name key among people born the same day (`fuzzystrmatch`), each step only for records the
   earlier ones left. A СНИЛС match stands only when the surname (up to a typo) or the birth date
   agrees (`CORROBORATED`, as `matching.corroborates`): the first pass keeps every found record
   whose birth date is not the person's, and the second settles them — «совпал только СНИЛС»
   (`snils_only`), or ambiguous when the record's name and birth date are another recipient's;
3. items, evidence, merging into open items, owners and the history rows are INSERT ... SELECT.

The run reports its progress — the records read while the file loads, then each step
(`LOADING`, `MATCHING`, `WRITING`) — through `onewindow.jobs`, which writes it on a connection
of its own, so the run's page sees it while this transaction is open. The dry run
(`services.dry_run`) runs all of this and rolls it back.

Only what PostgreSQL cannot take (no `fuzzystrmatch`, another date format of the profile, a NUL
character in a value, no right to create the working table) raises `Unavailable`, and the run
goes the Python way. Both paths give the same counts and items (tested side by side for every
format).
"""

from __future__ import annotations

import itertools
import logging
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from onewindow import jobs
from onewindow.identity import SNILS_UNCHECKED_MAX
from onewindow.models import Job
from reconciliation.copyable import (  # noqa: F401  (usable: the runs ask fastpath)
    PG_ENCODINGS,
    CountingReader,
    RowStream,
    Unavailable,
    dbf_lines,
    dialect,
    safe_for_copy,
    usable,
)
from reconciliation.matching import (
    FUZZY_MAX_DISTANCE,
    NO_IDENTITY,
    WRONG_SNILS,
    check_columns,
    corroborates,
    parse_row,
)
from reconciliation.models import AmbiguousRow, ReconciliationRun, Selection
from reconciliation.readers import ExtractError, column_map, dbf_codec, detect_format, read_rows

logger = logging.getLogger(__name__)

UPPER = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯABCDEFGHIJKLMNOPQRSTUVWXYZё-"
LOWER = "абвгдеежзийклмнопрстуфхцчшщъыьэюяabcdefghijklmnopqrstuvwxyzе "
LOOKALIKE_LATIN, LOOKALIKE_CYRILLIC = "aebcohkmptxy", "аевсонкмртху"  # = identity.LOOKALIKES
SNILS_CHARS = r"^[0-9 -]*$"
# A regular record: СНИЛС of digits, spaces and hyphens; names of letters, spaces, hyphens,
# apostrophes and dots; dates ДД.ММ.ГГГГ or ГГГГ-ММ-ДД or nothing (fields joined by «|»).
_NAME = r"[A-Za-zА-Яа-яЁё'' .-]*"
_DMY = r"[0-9]{2}\.[0-9]{2}\.[0-9]{4}"
_ISO = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"


def _regular(date_format: str) -> str:
    """The pattern of a regular record; with the profile's «%d.%m.%Y» ISO dates are not."""
    date = rf" *({_DMY}|{_ISO})? *" if not date_format else rf" *({_DMY})? *"
    return rf"^[0-9 -]*\|{_NAME}\|{_NAME}\|{_NAME}\|{date}\|{date}$"


class Tables:
    """The run's working tables: UNLOGGED (no WAL), so that PostgreSQL can read them with parallel
    workers, which it never does for temporary tables. They are created inside the run's
    transaction, so nobody else sees them and a rollback or a killed worker leaves nothing
    behind; the run drops them before it commits."""

    NAMES = ("raw", "affected", "norm", "rows", "odd", "m_snils", "m_only", "m_name", "m_fuzzy", "items", "owners")  # fmt: skip

    def __init__(self, run_id: int):
        self.prefix = f"rc{int(run_id)}_"

    def __getattr__(self, name: str) -> str:
        if name not in self.NAMES:
            raise AttributeError(name)
        return self.prefix + name

    def drop(self) -> str:
        return "DROP TABLE IF EXISTS " + ", ".join(self.prefix + n for n in self.NAMES)

    @property
    def matches(self) -> str:
        """Steps (a)-(c) for the records the first join left, and the records only a СНИЛС
        matched: (row_number, step, ids)."""
        return (
            f"(SELECT * FROM {self.m_snils} UNION ALL SELECT * FROM {self.m_only} UNION ALL "
            f"SELECT * FROM {self.m_name} UNION ALL SELECT * FROM {self.m_fuzzy})"
        )


# For the run's transaction only: memory for the hash joins and sorts; no JIT compilation (it
# costs more than it saves on these one-off statements); small samples when the working tables
# are analysed; dates written as ISO text.
SESSION = [
    "SET LOCAL work_mem = '256MB'",
    "SET LOCAL parallel_tuple_cost = 0.01",
    "SET LOCAL jit = off",
    "SET LOCAL default_statistics_target = 10",
    "SET LOCAL datestyle = 'ISO, DMY'",
]
# A record needs no Python when the row is valid by these SQL terms (`matching.parse_row`).
VALID = "(r.snils_ok OR (r.named AND r.birth IS NOT NULL))"
# A СНИЛС match stands (`matching.corroborates`): the record has neither a surname nor a birth
# date, or its birth date is the person's, or its folded surname is within two edits of theirs
# (the lengths first: `levenshtein_less_equal` refuses strings over 255 characters).
CORROBORATED = (
    "(({surname} = '' AND {birth} IS NULL) OR coalesce({birth} = {person_birth}, false) "
    "OR ({surname} <> '' AND CASE WHEN abs(length({surname}) - length({person_surname})) <= "
    f"{FUZZY_MAX_DISTANCE} THEN levenshtein_less_equal({{surname}}, {{person_surname}}, "
    f"{FUZZY_MAX_DISTANCE}) <= {FUZZY_MAX_DISTANCE} ELSE false END))"
)


def _clean(col: str) -> str:
    return f"btrim(coalesce({col}, ''))"


def _snils_ok(digits: str) -> str:
    """SQL: `digits` (digits only) are eleven with a right check number: the weighted sum of the
    first nine mod 101, 0 for 100 (onewindow.identity.snils_error); numbers up to 001-001-998
    carry none."""
    total = " + ".join(f"substr({digits}, {i}, 1)::int * {10 - i}" for i in range(1, 10))
    return (
        f"CASE WHEN length({digits}) <> 11 THEN false "
        f"WHEN substr({digits}, 1, 9)::int <= {SNILS_UNCHECKED_MAX} THEN true "
        f"ELSE ({total}) % 101 % 100 = substr({digits}, 10, 2)::int END"
    )


def _folder(cursor):
    """Lower case with ё -> е, as `onewindow.text.normalize_text` does for the letters a regular row
    may hold: `lower()` when the database's character type folds Cyrillic (C.UTF-8, ru_RU), else
    an explicit `translate` (slower, independent of the locale)."""
    cursor.execute("SELECT lower('ЁЯIЖ') = 'ёяiж'")
    # then Latin look-alikes to Cyrillic, as `onewindow.identity.normalize_name` does
    if cursor.fetchone()[0]:
        return lambda x: (
            f"translate(replace(replace(lower({x}), 'ё', 'е'), '-', ' '), "
            f"'{LOOKALIKE_LATIN}', '{LOOKALIKE_CYRILLIC}')"
        )
    return lambda x: (
        f"translate(translate({x}, '{UPPER}', '{LOWER}'), '{LOOKALIKE_LATIN}', '{LOOKALIKE_CYRILLIC}')"
    )


def _scope(run: ReconciliationRun) -> str:
    return "NOT a.is_anonymised" + (
        f" AND a.office_id = {int(run.office_id)}" if run.office_id else ""
    )


def _affected(cursor, t: Tables, profile) -> None:
    """Recipients holding an active measure the extract's kind affects, with those measures."""
    codes = "" if "*" in profile.services else "AND s.code = ANY(%s)"
    cursor.execute(
        f"""
        CREATE UNLOGGED TABLE {t.affected} AS
        SELECT e.applicant_id, to_jsonb(array_agg(DISTINCT s.code::text COLLATE "C" ORDER BY s.code::text COLLATE "C")) AS services
        FROM cases_entitlement e JOIN services_service s ON s.id = e.service_id
        WHERE e.status = 'active' {codes}
        GROUP BY e.applicant_id
        """,
        [] if not codes else [list(profile.services)],
    )
    cursor.execute(f"ANALYZE {t.affected}")


def _real_date(y: str, m: str, d: str) -> str:
    """SQL: these year, month and day (integers) make a date that exists."""
    days = f"CASE {m} WHEN 2 THEN CASE WHEN {y} % 4 = 0 AND ({y} % 100 <> 0 OR {y} % 400 = 0) THEN 29 ELSE 28 END WHEN 4 THEN 30 WHEN 6 THEN 30 WHEN 9 THEN 30 WHEN 11 THEN 30 ELSE 31 END"  # fmt: skip
    return f"({y} >= 1 AND {m} BETWEEN 1 AND 12 AND {d} BETWEEN 1 AND {days})"


def _readable_date(value: str, date_format: str) -> str:
    """SQL: `value` (trimmed text) is empty or a date `services.parse_date` reads as the same
    day, ДД.ММ.ГГГГ (or ГГГГ-ММ-ДД without the profile's format). Anything else is left to
    Python (`_odd_rows`), which says what is wrong."""
    dmy = _real_date(f"substr({value}, 7, 4)::int", f"substr({value}, 4, 2)::int", f"substr({value}, 1, 2)::int")  # fmt: skip
    iso = _real_date(f"substr({value}, 1, 4)::int", f"substr({value}, 6, 2)::int", f"substr({value}, 9, 2)::int")  # fmt: skip
    return (
        f"CASE WHEN {value} = '' THEN true WHEN {value} ~ '^{_DMY}$' THEN {dmy} "
        + (f"WHEN {value} ~ '^{_ISO}$' THEN {iso} " if not date_format else "")
        + "ELSE false END"
    )


def _normalise(
    cursor,
    t: Tables,
    field,
    columns: list[str],
    scope: str,
    fold,
    regular: str,
    date_format: str,
    *,
    blank_lines: bool = True,
) -> None:
    """Two passes, each one statement that PostgreSQL runs with parallel workers, each computing
    a costly expression once per record.

    `norm`, over the whole file: step (a) for the bulk of it, straight from the loaded text (a
    СНИЛС of digits, spaces and hyphens equal to a recipient's number with a right check number:
    `applicant_id`). It keeps only what the later steps need: the records nobody was found for
    (blank ones flagged), the found records of affected people (their evidence) and the found
    records whose birth date is not written as the person's (their surname must agree), with the
    fields trimmed, the person's surname and birth date (`a_last`, `a_birth`) and the record
    tested against one pattern (`ok`); the other found records are counted from what COPY
    loaded: their birth date agrees, so their СНИЛС match stands.

    `rows`: those records taken apart by the rules of `matching.parse_row`. A record that is not
    regular (other characters, other date forms, an impossible date) is replaced by Python's
    reading of it (`_odd_rows`)."""
    snils = field("snils")
    blank = "btrim(concat(" + ", ".join(f"w.{c}" for c in columns) + "), E' \\t\\r\\n') = ''"
    if not blank_lines:  # the reader skipped them already: every record counts
        blank = "false"
    fields = ("snils", "last_name", "first_name", "middle_name", "birth_date", "event_date")
    record = " || '|' || ".join(f"coalesce({field(name)}, '')" for name in fields)

    def trim(name: str) -> str:
        value = _clean(field(name))
        if name.endswith("_date"):  # ДД.ММ.ГГГГ as ГГГГ-ММ-ДД: the second pass reads one form
            dmy = f"substr({value}, 7, 4) || '-' || substr({value}, 4, 2) || '-' || substr({value}, 1, 2)"
            value = f"CASE WHEN substr({value}, 3, 1) = '.' THEN {dmy} ELSE {value} END"
        return f"{value} AS {name[0]}"

    trimmed = ", ".join(trim(name) for name in fields)  # s, l, f, m, b, e
    digits = f"replace(replace({snils}, ' ', ''), '-', '')"
    # The check number is tested on joined pairs only, where the number is known to be digits;
    # so is the event date: a record whose date is unreadable is an invalid row (Python says why).
    join = (
        f"LEFT JOIN cases_applicant a ON a.snils = {digits} AND a.snils <> '' AND {scope} "
        f"AND CASE WHEN {snils} ~ '{SNILS_CHARS}' THEN {_snils_ok('a.snils')} ELSE false END "
        f"AND {_readable_date(_clean(field('event_date')), date_format)}"
        if snils != "NULL::text"
        else "LEFT JOIN cases_applicant a ON false"
    )
    # A million index lookups, or sorting both sides by a collation, lose to one hash table.
    # The birth date is the person's exactly as Python would read it (ДД.ММ.ГГГГ, or ISO without
    # the profile's format): a text comparison, cheap enough for every found record.
    born = _clean(field("birth_date"))
    same_birth = f"{born} = to_char(a.birth_date, 'DD.MM.YYYY')" + (
        f" OR {born} = a.birth_date::text" if not date_format else ""
    )
    cursor.execute("SET LOCAL enable_nestloop = off")
    cursor.execute("SET LOCAL enable_mergejoin = off")
    cursor.execute(
        f"""
        CREATE UNLOGGED TABLE {t.norm} AS
        SELECT w.rn, a.id AS applicant_id, a.office_id, x.applicant_id IS NOT NULL AS affected, {trimmed},
               ({record}) ~ '{regular}' AS ok,
               a.id IS NULL AND {blank} AS blank, a.last_name_key AS a_last, a.birth_date AS a_birth
        FROM {t.raw} w {join}
        LEFT JOIN {t.affected} x ON x.applicant_id = a.id
        WHERE a.id IS NULL OR x.applicant_id IS NOT NULL OR NOT ({same_birth})
        """
    )
    cursor.execute("SET LOCAL enable_nestloop = on")
    cursor.execute("SET LOCAL enable_mergejoin = on")

    def day(x: str) -> str:  # a date that exists, else NULL (the record is then not regular)
        y, m, d = f"substr({x}, 1, 4)::int", f"substr({x}, 6, 2)::int", f"substr({x}, 9, 2)::int"
        return f"CASE WHEN ok AND {x} <> '' AND {_real_date(y, m, d)} THEN make_date({y}, {m}, {d}) END"  # fmt: skip

    # the three names folded, hyphens made spaces, runs of spaces made one (onewindow.identity)
    folded = fold("l || ' ' || f || ' ' || m")
    # a found record's СНИЛС stands, or only the СНИЛС matched (then its name key is wanted:
    # are its name and birth date another recipient's?)
    corroborated = CORROBORATED.format(surname="surname", birth="birth", person_surname="a_last", person_birth="a_birth")  # fmt: skip
    cursor.execute(
        f"""
        CREATE UNLOGGED TABLE {t.rows} AS
        SELECT row_number, by_snils, applicant_id, office_id, regular, has_birth, has_event, raw_snils,
               digits, snils_ok, named,
               CASE WHEN regular AND (applicant_id IS NULL OR NOT {corroborated}) AND l <> '' AND f <> ''
                    THEN btrim(regexp_replace({folded}, '  +', ' ', 'g')) ELSE '' END AS name_key,
               full_name, birth, event, reason, surname, a_last, a_birth,
               applicant_id IS NOT NULL AND NOT {corroborated} AS snils_only
        FROM (
            SELECT rn + 1 AS row_number, applicant_id IS NOT NULL AS by_snils, applicant_id, office_id, ok AS regular,
                   b <> '' AS has_birth, e <> '' AS has_event,
                   s AS raw_snils, replace(replace(s, ' ', ''), '-', '') AS digits,
                   CASE WHEN applicant_id IS NOT NULL THEN true WHEN NOT ok OR s = '' THEN false
                        ELSE {_snils_ok("replace(replace(s, ' ', ''), '-', '')")} END AS snils_ok,
                   l <> '' AND f <> '' AS named, l, f, m,
                   concat_ws(' ', nullif(l, ''), nullif(f, ''), nullif(m, '')) AS full_name,
                   {day("b")} AS birth, {day("e")} AS event, NULL::text AS reason,
                   CASE WHEN ok AND applicant_id IS NOT NULL
                        THEN btrim(regexp_replace({fold("l")}, '  +', ' ', 'g')) ELSE '' END AS surname,
                   a_last, a_birth
            FROM {t.norm}
            WHERE NOT blank
        ) q
        """
    )


ODD = (
    "NOT regular OR (has_birth AND birth IS NULL) OR (has_event AND event IS NULL) "
    # all six fields empty: blank or invalid by what else the record holds (a no-break space)
    "OR (raw_snils = '' AND full_name = '' AND NOT has_birth AND NOT has_event)"
)
ODD_BATCH = 5000


def _odd_rows(
    cursor, t: Tables, header, mapping, profile, columns, *, blank_lines: bool = True
) -> None:
    """The records that are not regular: Python reads them with the Python path's own function,
    so their results and messages are the same. They are read through a server-side cursor and
    written back a batch at a time: a file of odd records only takes no more memory."""
    from psycopg2.extras import execute_values

    cursor.execute(f"CREATE UNLOGGED TABLE {t.odd} (LIKE {t.rows})")
    values = ", ".join(f"w.{c}" for c in columns)
    reader = connection.connection.cursor(name=f"{t.odd}_read")
    reader.itersize = ODD_BATCH
    reader.execute(
        f"SELECT r.row_number, r.applicant_id, r.office_id, r.a_last, r.a_birth, {values} FROM {t.rows} r "
        f"JOIN {t.raw} w ON w.rn = r.row_number - 1 WHERE {ODD} ORDER BY r.row_number"
    )
    found = False
    while batch := reader.fetchmany(ODD_BATCH):
        found = True
        odd = []
        for number, applicant, office, person_surname, person_birth, *cells in batch:
            row = dict(zip(header, ("" if v is None else v for v in cells), strict=True))
            if blank_lines and not any(str(v).strip() for v in row.values()):
                continue  # a blank record: skipped, not counted
            parsed = parse_row({k: row.get(c, "") for k, c in mapping.items()}, number, profile.date_format)  # fmt: skip
            # `snils_ok` and `named` make VALID agree with Python's verdict (a reason means invalid)
            valid = parsed["reason"] is None
            only = applicant is not None and not corroborates(parsed["surname_key"], parsed["birth"], person_surname, person_birth)  # fmt: skip
            odd.append((number, applicant is not None, applicant, office, True, False, False, parsed["raw_snils"],
                        parsed["digits"], parsed["snils_ok"] and valid, valid, parsed["name_key"],
                        parsed["name"], parsed["birth"], parsed["event"], parsed["reason"],
                        parsed["surname_key"], person_surname, person_birth, only))  # fmt: skip
        if odd:
            execute_values(cursor, f"INSERT INTO {t.odd} VALUES %s", odd, page_size=2000)
    reader.close()
    if found:
        cursor.execute(f"DELETE FROM {t.rows} WHERE {ODD}")
        cursor.execute(f"INSERT INTO {t.rows} SELECT * FROM {t.odd}")


FIELDS = ["snils", "last_name", "first_name", "middle_name", "birth_date", "event_date"]
DATE_FIELDS = ("birth_date", "event_date")
# The steps of a run as its progress names them (`Job.step`, the run's page, the CLI).
LOADING, MATCHING, WRITING = "загрузка", "сопоставление", "запись результатов"


class Loaded:
    """What is in the working table `raw`: the header (c0..cN), the field -> column mapping,
    how many records, and whether blank lines may be there (a file COPY read itself: the
    Python reader skips them) or not (the reader skipped them: every record counts)."""

    def __init__(self, header: list[str], mapping: dict, copied: int, *, streamed: bool, dates=()):
        self.header, self.mapping, self.copied = header, mapping, copied
        self.streamed = streamed
        self.dates = set(dates)  # columns whose own text is kept in o<K> (`RowStream`)

    @property
    def columns(self) -> list[str]:
        return [f"c{i}" for i in range(len(self.header))]


def execute(run: ReconciliationRun, job: Job | None, *, progress=None) -> dict | None:
    """Run the whole reconciliation in the current transaction; returns the counts (or None when
    another attempt of the run's job took it over). Without a job (a dry run) nothing is locked:
    the caller rolls the transaction back.

    `progress(done, total=0, step=None)` hears the records read while the file loads (every
    50 000) and each step's name."""
    profile = run.profile
    path = Path(run.file_path)
    report = progress or (lambda done, total=0, step=None: None)
    t = Tables(run.pk)
    with connection.cursor() as cursor:
        for statement in SESSION:
            cursor.execute(statement)
        cursor.execute(t.drop())  # left by an earlier attempt in this same outer transaction
        report(0, 0, LOADING)
        loaded = _load_direct(cursor, t, run, path, report) or _load_stream(cursor, t, run, path, report)  # fmt: skip
        header, mapping, copied = loaded.header, loaded.mapping, loaded.copied
        position = {name: index for index, name in enumerate(header)}  # a repeated name: the last
        col = {field: f"c{position[column]}" for field, column in mapping.items()}
        columns = loaded.columns

        def field(name: str) -> str:
            return f"w.{col[name]}" if name in col else "NULL::text"

        report(copied, 0, MATCHING)
        scope = _scope(run)
        _affected(cursor, t, profile)
        _normalise(cursor, t, field, columns, scope, _folder(cursor), _regular(profile.date_format), profile.date_format, blank_lines=not loaded.streamed)  # fmt: skip
        _odd_rows(cursor, t, header, mapping, profile, columns, blank_lines=not loaded.streamed)
        cursor.execute(f"ANALYZE {t.rows}")
        counts = _match(cursor, t, scope, copied)
        if counts["rows_total"] == 0:
            raise ExtractError("В файле нет ни одной записи")
        report(copied, 0, WRITING)
        # its job's row: this attempt holds it, or none writes (taken after the last report: a
        # report goes through a connection of its own, which would wait for this lock)
        if job is not None and not jobs.lock_current(job):
            return None
        counts["selections"] = _write_items(cursor, t, run, profile)
        if counts["rows_invalid"]:
            _write_invalid(cursor, t, run, loaded)
        if counts["ambiguous"]:
            _write_ambiguous(cursor, t, run)
        run.finish(counts)
        cursor.execute(t.drop())
    return counts


def _load_direct(cursor, t: Tables, run: ReconciliationRun, path: Path, report) -> Loaded | None:
    """A CSV file COPY reads exactly as Python's reader does, read by COPY itself; None for any
    other file, or when COPY refuses this one (a bad byte, a short row): it is streamed then."""
    profile = run.profile
    if detect_format(path, profile.file_format) != "csv":
        return None
    try:
        encoding, delimiter, header = dialect(path, profile, run.encoding)
    except Unavailable:
        return None
    if not safe_for_copy(path, delimiter):
        return None
    mapping = column_map(header, profile.columns, FIELDS)
    try:
        check_columns(mapping, header)
    except ExtractError:
        return None  # the reader says so, or that the file has no records
    columns = [f"c{i}" for i in range(len(header))]
    try:  # a role without CREATE on the schema, a bad byte, a short or long row
        with transaction.atomic(), path.open("rb") as handle:
            cursor.execute(
                f"CREATE UNLOGGED TABLE {t.raw} (rn bigint GENERATED ALWAYS AS IDENTITY, "
                + ", ".join(f"{c} text" for c in columns)
                + ")"
            )
            cursor.copy_expert(
                f"COPY {t.raw} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, HEADER true, "
                f"DELIMITER {_literal(delimiter)}, ENCODING '{PG_ENCODINGS[encoding]}')",
                CountingReader(handle, lambda done: report(done, 0, LOADING)),
                size=1024 * 1024,
            )
            copied = cursor.rowcount
    except Exception as exc:
        logger.info("Сверка № %s: COPY не читает файл сам (%s), он читается построчно", run.pk, exc)
        return None
    return Loaded(header, mapping, copied, streamed=False)


def _load_stream(cursor, t: Tables, run: ReconciliationRun, path: Path, report) -> Loaded:
    """Any file: read by the Python path's reader, a record at a time, and handed to COPY as CSV
    text (`RowStream`). A file the reader cannot read fails here with its reason
    (`ExtractError`), as on the Python path; the caller's transaction takes the working table
    away with everything else."""
    profile = run.profile
    rows = read_rows(
        path, file_format=profile.file_format, encoding=profile.encoding,
        delimiter=profile.delimiter, xml_record=profile.xml_record, override=run.encoding,
    )  # fmt: skip
    first = next(rows, None)
    if first is None:
        raise ExtractError("В файле нет ни одной записи")
    header = [str(name) for name in first[1]]
    mapping = column_map(header, profile.columns, FIELDS)
    check_columns(mapping, header)  # as the Python path says it
    position = {name: index for index, name in enumerate(header)}
    dates = {position[mapping[f]] for f in DATE_FIELDS if f in mapping}
    others = {position[c] for f, c in mapping.items() if f not in DATE_FIELDS}
    if dates & others:  # one column read as a date and as a name or a number
        raise Unavailable("один столбец — и дата, и другое поле")
    total = _records_announced(path, profile)
    stream = RowStream(
        itertools.chain([first], rows), header, dates,
        progress=lambda done: report(done, total, LOADING),
    )  # fmt: skip
    if detect_format(path, profile.file_format) == "dbf":
        stream.lines = dbf_lines(stream, path, dbf_codec(path, profile.encoding, run.encoding))
        if stream.lines is not None:
            rows.close()
    names = stream.columns
    try:
        with transaction.atomic():
            cursor.execute(
                f"CREATE UNLOGGED TABLE {t.raw} (rn bigint, "
                + ", ".join(f"{c} text" for c in names[1:])
                + ")"
            )
            cursor.copy_expert(
                f"COPY {t.raw} ({', '.join(names)}) FROM STDIN WITH (FORMAT csv, ENCODING 'UTF8')",
                stream,
                size=RowStream.CHUNK,
            )
            copied = cursor.rowcount
    except Exception as exc:
        if isinstance(stream.error, ExtractError | Unavailable):
            raise stream.error from None
        if stream.error is not None:
            raise stream.error from exc
        raise Unavailable(str(exc)) from exc
    report(copied, total, LOADING)
    return Loaded(header, mapping, copied, streamed=True, dates=dates)


def _records_announced(path: Path, profile) -> int:
    """The number of records a DBF's header announces (the progress's total); 0 for others."""
    try:
        if detect_format(path, profile.file_format) == "dbf":
            with path.open("rb") as handle:
                return int.from_bytes(handle.read(8)[4:8], "little")
    except (ExtractError, OSError):
        pass
    return 0


def _literal(value: str) -> str:
    return "E'" + value.replace("\\", "\\\\").replace("'", "\\'").replace("\t", "\\t") + "'"


def _match(cursor, t: Tables, scope: str, copied: int) -> dict:
    """Steps (a)-(c) for the rows the first join left, each only for rows the earlier ones left;
    the rows only a СНИЛС matched, with whoever else their name and birth date are; then the
    counts."""
    rest = f"NOT r.by_snils AND {VALID}"
    corroborated = CORROBORATED.format(surname="r.surname", birth="r.birth", person_surname="a.last_name_key", person_birth="a.birth_date")  # fmt: skip
    cursor.execute(  # odd rows Python read (a no-break space in the number, say)
        f"CREATE UNLOGGED TABLE {t.m_snils} AS SELECT r.row_number, "
        f"CASE WHEN {corroborated} THEN 'snils' ELSE 'snils_only' END::text AS step, ARRAY[a.id] AS ids, a.office_id "
        f"FROM {t.rows} r JOIN cases_applicant a ON a.snils = r.digits AND a.snils <> '' AND {scope} "
        f"WHERE {rest} AND r.snils_ok"
    )
    # Only the СНИЛС matched: the person, and the recipients the record's name and birth date
    # are (step (b)); one of them is a «совпал только СНИЛС» item, more an ambiguous row.
    cursor.execute(
        f"""
        CREATE UNLOGGED TABLE {t.m_only} AS
        SELECT o.row_number, 'snils_only'::text AS step,
               ARRAY(SELECT o.applicant_id UNION SELECT a.id FROM cases_applicant a
                     WHERE r.name_key <> '' AND r.birth IS NOT NULL AND a.name_key = r.name_key
                     AND a.birth_date = r.birth AND {scope} ORDER BY 1) AS ids,
               o.office_id
        FROM (SELECT row_number, applicant_id, office_id FROM {t.rows} WHERE by_snils AND snils_only
              UNION ALL SELECT row_number, ids[1], office_id FROM {t.m_snils} WHERE step = 'snils_only') o
        JOIN {t.rows} r USING (row_number)
        """
    )
    cursor.execute(
        f"CREATE UNLOGGED TABLE {t.m_name} AS "
        f"SELECT r.row_number, 'name_dob'::text AS step, array_agg(a.id ORDER BY a.id) AS ids, min(a.office_id) AS office_id FROM {t.rows} r "
        f"JOIN cases_applicant a ON a.name_key = r.name_key AND a.birth_date = r.birth AND {scope} "
        f"WHERE {rest} AND r.name_key <> '' AND r.birth IS NOT NULL "
        f"AND NOT EXISTS (SELECT 1 FROM {t.m_snils} m WHERE m.row_number = r.row_number) GROUP BY r.row_number"
    )
    cursor.execute(
        f"CREATE UNLOGGED TABLE {t.m_fuzzy} AS "
        f"SELECT r.row_number, 'probable'::text AS step, array_agg(a.id ORDER BY a.id) AS ids, min(a.office_id) AS office_id FROM {t.rows} r "
        f"JOIN cases_applicant a ON a.birth_date = r.birth AND {scope} AND length(a.name_key) <= 255 "
        # the lengths first (a CASE keeps the planner from putting the distance before them)
        "AND CASE WHEN abs(length(a.name_key) - length(r.name_key)) <= 2 "
        "THEN levenshtein_less_equal(a.name_key, r.name_key, 2) <= 2 ELSE false END "
        f"WHERE {rest} AND r.name_key <> '' AND r.birth IS NOT NULL AND length(r.name_key) <= 255 "
        f"AND NOT EXISTS (SELECT 1 FROM {t.m_snils} m WHERE m.row_number = r.row_number) "
        f"AND NOT EXISTS (SELECT 1 FROM {t.m_name} m WHERE m.row_number = r.row_number) GROUP BY r.row_number"
    )
    cursor.execute(f"DELETE FROM {t.m_snils} WHERE step = 'snils_only'")  # they are in m_only
    # the records found by СНИЛС are those the first pass did not leave without a person
    cursor.execute(f"SELECT count(*) FROM {t.norm} WHERE applicant_id IS NULL")
    by_snils = copied - cursor.fetchone()[0]
    cursor.execute(
        f"""
        SELECT count(*), count(*) FILTER (WHERE NOT {VALID}),
               count(*) FILTER (WHERE m.step = 'snils' AND cardinality(m.ids) = 1),
               count(*) FILTER (WHERE m.step = 'name_dob' AND cardinality(m.ids) = 1),
               count(*) FILTER (WHERE m.step = 'probable' AND cardinality(m.ids) = 1),
               count(*) FILTER (WHERE m.step = 'snils_only' AND cardinality(m.ids) = 1),
               count(*) FILTER (WHERE cardinality(m.ids) > 1),
               count(*) FILTER (WHERE {VALID} AND m.row_number IS NULL),
               count(*) FILTER (WHERE r.by_snils)
        FROM {t.rows} r LEFT JOIN {t.matches} m USING (row_number)
        WHERE NOT r.by_snils OR r.snils_only
        """
    )
    keys = ["rows_total", "rows_invalid", "matched_snils", "matched_name_dob", "probable", "snils_only", "ambiguous", "unmatched"]  # fmt: skip
    values = [int(v) for v in cursor.fetchone()]
    counts = dict(zip(keys, values[:-1], strict=True))
    # found by СНИЛС in the first pass, and the match stands (the others are counted above)
    confirmed = by_snils - values[-1]
    counts["rows_total"] += confirmed
    counts["matched_snils"] += confirmed
    return counts


# as `cascade.MATCH_RANK`; rank 2 and above need confirmation (`cascade.UNCONFIRMED`)
RANK = "(CASE {0} WHEN 'snils' THEN 0 WHEN 'name_dob' THEN 1 WHEN 'probable' THEN 2 ELSE 3 END)"
STEP = "(ARRAY['snils', 'name_dob', 'probable', 'snils_only'])[i.rank + 1]"  # the match of an item's rank


def _write_items(cursor, t: Tables, run: ReconciliationRun, profile) -> int:
    """Items for matched people with an affected active measure: new ones, or evidence added to
    the open item of the same person and kind, each with its history row. Returns how many
    items were touched."""
    # "now" is the application's clock, not the database's: history and the items carry the same
    # moment as everything else the run writes (and the tests' frozen clock).
    params = {"run": run.pk, "kind": run.kind, "source": run.source, "action": profile.action,
              "user": run.created_by_id, "now": timezone.now()}  # fmt: skip
    cursor.execute(
        f"""
        CREATE UNLOGGED TABLE {t.items} AS
        SELECT g.*, x.services
        FROM (
            SELECT applicant_id, min(office_id) AS office_id, min(rank) AS rank,
                   jsonb_agg(evidence) AS evidence, min(event) AS event_date
            FROM (
                SELECT h.applicant_id, h.office_id, {RANK.format("h.step")} AS rank, r.event,
                       jsonb_build_object('row', r.row_number,
                           'snils', CASE WHEN r.snils_ok THEN r.digits ELSE r.raw_snils END,
                           'name', r.full_name, 'birth_date', coalesce(r.birth::text, ''),
                           'event_date', coalesce(r.event::text, ''), 'step', h.step, 'run', %(run)s) AS evidence
                FROM (SELECT row_number, applicant_id, office_id, 'snils'::text AS step FROM {t.rows} WHERE by_snils AND NOT snils_only
                      UNION ALL SELECT row_number, ids[1], office_id, step FROM {t.matches} m WHERE cardinality(ids) = 1) h
                JOIN {t.affected} x USING (applicant_id)
                JOIN {t.rows} r USING (row_number)
                -- the evidence in file order: the aggregate takes its input in this order (an
                -- ORDER BY inside jsonb_agg would sort every item's rows on their own)
                ORDER BY h.applicant_id, h.row_number
            ) hits
            GROUP BY applicant_id
        ) g
        JOIN {t.affected} x USING (applicant_id)
        """,
        params,
    )
    touched = cursor.rowcount
    if not touched:
        return 0
    cursor.execute(f"ANALYZE {t.items}")
    history = _history_insert()
    _merge_into_open_items(cursor, t, params, history)
    # What is left in items is new. (Asking "no open item yet?" inside the INSERT would scan the
    # rows that very statement adds, for every row, where the table's statistics say it is empty.)
    _owners(cursor, t)
    _insert_new_items(cursor, t, params, history)
    return touched


def _history_insert() -> str:
    """INSERT of history rows for the selections a statement returns (`{source}`), of a
    change `{kind}` (`+` created, `~` changed), at the run's moment by its user."""
    columns = ", ".join(f.column for f in Selection._meta.concrete_fields)
    return (
        f"INSERT INTO {Selection.history.model._meta.db_table} ({columns}, history_date, "
        f"history_change_reason, history_type, history_user_id) "
        f"SELECT {columns}, %(now)s, NULL, '{{kind}}', %(user)s FROM {{source}}"
    )


def _merge_into_open_items(cursor, t: Tables, params: dict, history: str) -> None:
    """Evidence added to the open item of the same person and kind (the best match kept, the
    services joined), with a history row each; those people leave the items table."""
    cursor.execute(
        f"""
        WITH changed AS (
            UPDATE reconciliation_selection s SET
                evidence = s.evidence || i.evidence,
                match = CASE WHEN i.rank < {RANK.format("s.match")} THEN {STEP} ELSE s.match END,
                needs_confirmation = CASE WHEN i.rank < {RANK.format("s.match")} THEN i.rank >= 2 ELSE s.needs_confirmation END,
                services = (SELECT to_jsonb(array_agg(DISTINCT x COLLATE "C" ORDER BY x COLLATE "C")) FROM jsonb_array_elements_text(s.services || i.services) x),
                run_id = %(run)s, updated_at = %(now)s
            FROM {t.items} i
            WHERE i.applicant_id = s.applicant_id AND s.status = 'open' AND s.kind = %(kind)s
            RETURNING s.*
        ), changed_history AS (
            {history.format(kind="~", source="changed")}
        )
        DELETE FROM {t.items} i USING changed c WHERE c.applicant_id = i.applicant_id
        """,
        params,
    )


def _owners(cursor, t: Tables) -> None:
    """Who works each person's case: the specialist of their latest application, else the one
    who opened their case file (an imported register), while that user is active."""
    cursor.execute(
        f"""
        CREATE UNLOGGED TABLE {t.owners} AS
        SELECT DISTINCT ON (p.applicant_id) p.applicant_id, p.specialist_id AS user_id
        FROM {t.items} i JOIN cases_application p ON p.applicant_id = i.applicant_id
        JOIN onewindow_user u ON u.id = p.specialist_id AND u.is_active
        ORDER BY p.applicant_id, p.registered_at DESC
        """
    )
    cursor.execute(
        f"""
        INSERT INTO {t.owners}
        SELECT DISTINCT ON (c.applicant_id) c.applicant_id, c.opened_by_id
        FROM {t.items} i JOIN cases_casefile c ON c.applicant_id = i.applicant_id
        JOIN onewindow_user u ON u.id = c.opened_by_id AND u.is_active
        WHERE NOT EXISTS (SELECT 1 FROM {t.owners} o WHERE o.applicant_id = i.applicant_id)
        ORDER BY c.applicant_id, c.number DESC
        """
    )


def _insert_new_items(cursor, t: Tables, params: dict, history: str) -> None:
    """The items left are new: inserted with their owner, each with its history row."""
    cursor.execute(
        f"""
        WITH created AS (
            INSERT INTO reconciliation_selection (office_id, run_id, applicant_id, kind, source, match,
                needs_confirmation, event_date, evidence, suggested_action, services, status, outcome,
                note, assigned_to_id, created_at, updated_at)
            SELECT i.office_id, %(run)s, i.applicant_id, %(kind)s, %(source)s, {STEP}, i.rank >= 2,
                   i.event_date, i.evidence, %(action)s, i.services, 'open', '', '', o.user_id, %(now)s, %(now)s
            FROM {t.items} i LEFT JOIN {t.owners} o ON o.applicant_id = i.applicant_id
            RETURNING *
        )
        {history.format(kind="+", source="created")}
        """,
        params,
    )


def _write_invalid(cursor, t: Tables, run: ReconciliationRun, loaded: Loaded) -> None:
    before, after = WRONG_SNILS.split("{}")
    wrong_snils = f"'{before}' || r.raw_snils || '{after}'"  # the texts hold no quote
    if loaded.streamed:
        # the record's own columns and texts (`RowStream`): a date as the reader gave it, a
        # column it lacks left out, the columns beyond the header added
        values = [f"coalesce(w.o{i}, w.c{i})" if i in loaded.dates else f"w.c{i}" for i in range(len(loaded.header))]  # fmt: skip
    else:
        values = [f"coalesce(w.c{i}, '')" for i in range(len(loaded.header))]
    pairs = [
        f"{_literal(name)}, {value}" for name, value in zip(loaded.header, values, strict=True)
    ]
    # jsonb_build_object takes 100 arguments at most: a wide file's columns fifty at a time
    data = " || ".join(f"jsonb_build_object({', '.join(pairs[i : i + 50])})" for i in range(0, len(pairs), 50))  # fmt: skip
    if loaded.streamed:
        data = f"jsonb_strip_nulls({data}) || coalesce(w.extra::jsonb, '{{}}'::jsonb)"
    cursor.execute(  # no bound parameters: a «%» in a column name stays as it is
        "INSERT INTO reconciliation_invalidrow (run_id, row_number, reason, data) "
        f"SELECT {int(run.pk)}, r.row_number, left(coalesce(r.reason, CASE WHEN r.raw_snils <> '' "
        f"THEN {wrong_snils} ELSE '{NO_IDENTITY}' END), 500), "
        f"{data} FROM {t.rows} r JOIN {t.raw} w ON w.rn = r.row_number - 1 "
        f"WHERE NOT {VALID} ORDER BY r.row_number"
    )


def _write_ambiguous(cursor, t: Tables, run: ReconciliationRun) -> None:
    cursor.execute(
        "SELECT r.row_number, m.step, m.ids, r.raw_snils, r.digits, r.snils_ok, r.full_name, r.birth, r.event "
        f"FROM {t.matches} m JOIN {t.rows} r USING (row_number) WHERE cardinality(m.ids) > 1 ORDER BY r.row_number"
    )
    rows = cursor.fetchall()
    if not rows:
        return
    from cases.models import Applicant

    first = {r[2][0] for r in rows}
    office_of = dict(Applicant.objects.filter(pk__in=first).values_list("id", "office_id"))
    for number, step, ids, raw, digits, ok, name, birth, event in rows:
        evidence = {"row": number, "snils": digits if ok else raw, "name": name,
                    "birth_date": birth.isoformat() if birth else "", "event_date": event.isoformat() if event else ""}  # fmt: skip
        row = AmbiguousRow.objects.create(
            office_id=run.office_id or office_of[ids[0]], run=run, row_number=number, data=evidence, step=step
        )  # fmt: skip
        row.candidates.set(ids)
