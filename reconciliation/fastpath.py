"""Set-based reconciliation of a CSV extract on PostgreSQL.

The Python path (`services.match_rows`) reads every record and looks it up in an in-memory index
of all recipients: right everywhere, but a million rows take most of a minute. Here the file is
streamed into a temporary table with COPY and the cascade runs as joins:

1. regular rows (СНИЛС of digits, spaces and hyphens; names of letters, spaces, hyphens,
   apostrophes and dots; dates ДД.ММ.ГГГГ or ГГГГ-ММ-ДД that exist) are normalised in SQL by the
   same rules as `onewindow.identity` (the letter case is folded by `translate`, not by the
   database's locale); every other row goes through `services.parse_row` in Python, so odd rows
   get exactly the Python path's result and message;
2. (a) СНИЛС, (b) name key + birth date, (c) Levenshtein distance ≤ 2 on the name key among
   people born the same day (`fuzzystrmatch`), each step only for rows the earlier ones left;
3. items, evidence, merging into open items, owners and the history rows are INSERT … SELECT.

Whatever this path cannot take (another format or date format, a COPY error such as a bad byte
or a short row, no `fuzzystrmatch`) raises `Unavailable`, and the run goes the Python way, which
reports bad input row by row. Both paths give the same counts and items (tested side by side).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from reconciliation.models import AmbiguousRow, ReconciliationRun, Selection
from reconciliation.readers import ExtractError, column_map, csv_dialect, detect_format

PG_ENCODINGS = {"utf-8": "UTF8", "utf-8-sig": "UTF8", "cp1251": "WIN1251", "cp866": "WIN866"}
UPPER = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯABCDEFGHIJKLMNOPQRSTUVWXYZё-"
LOWER = "абвгдеежзийклмнопрстуфхцчшщъыьэюяabcdefghijklmnopqrstuvwxyzе "
NAMES_CHARS = r"^[A-Za-zА-Яа-яЁё'' .|-]*$"  # the three names joined by «|»
SNILS_CHARS = r"^[0-9 -]*$"
DMY = r"^[0-9]{2}\.[0-9]{2}\.[0-9]{4}$"
ISO = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


DROP_TEMP = "DROP TABLE IF EXISTS pg_temp.rc_raw, pg_temp.rc_norm, pg_temp.rc_rows, pg_temp.rc_match, pg_temp.rc_items"


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


def _dialect(path: Path, profile) -> tuple[str, str, list[str]]:
    """(Python encoding, delimiter, header) as the Python reader would find them."""
    try:
        encoding, delimiter, sample = csv_dialect(path, profile.encoding, profile.delimiter)
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


def _safe_for_copy(path: Path) -> bool:
    """COPY ends the data at a line holding only «\\.»; such a file goes the Python way."""
    tail = b""
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(4 * 1024 * 1024), b""):
            block = tail + chunk
            if b"\n\\.\n" in block or b"\n\\.\r" in block or block.startswith(b"\\.\n"):
                return False
            tail = block[-4:]
    return not tail.endswith(b"\n\\.")


def _clean(col: str) -> str:
    return f"btrim(coalesce({col}, ''))"


def _name(col: str) -> str:
    return f"btrim(regexp_replace(translate({_clean(col)}, '{UPPER}', '{LOWER}'), ' +', ' ', 'g'))"


def _date(col: str) -> str:
    value = _clean(col)
    return (
        f"CASE WHEN {value} ~ '{DMY}' THEN make_date(substr({value}, 7, 4)::int, substr({value}, 4, 2)::int, substr({value}, 1, 2)::int)"
        f" WHEN {value} ~ '{ISO}' THEN make_date(substr({value}, 1, 4)::int, substr({value}, 6, 2)::int, substr({value}, 9, 2)::int) END"
    )


def _date_regular(col: str) -> str:
    """Empty, or a date that exists in one of the two forms (nested CASE: no make_date on
    31.02)."""
    value = _clean(col)

    def exists(y: str, m: str, d: str) -> str:
        return (
            f"CASE WHEN {y} BETWEEN 1 AND 9999 AND {m} BETWEEN 1 AND 12 AND {d} >= 1 THEN "
            f"{d} <= extract(day from make_date({y}, {m}, 1) + interval '1 month - 1 day') ELSE false END"
        )

    dmy = exists(f"substr({value}, 7, 4)::int", f"substr({value}, 4, 2)::int", f"substr({value}, 1, 2)::int")  # fmt: skip
    iso = exists(f"substr({value}, 1, 4)::int", f"substr({value}, 6, 2)::int", f"substr({value}, 9, 2)::int")  # fmt: skip
    return f"(CASE WHEN {value} = '' THEN true WHEN {value} ~ '{DMY}' THEN {dmy} WHEN {value} ~ '{ISO}' THEN {iso} ELSE false END)"


def _snils_ok(digits: str) -> str:
    total = " + ".join(f"substr({digits}, {i}, 1)::int * {10 - i}" for i in range(1, 10))
    check = f"(CASE WHEN ({total}) < 100 THEN ({total}) WHEN ({total}) IN (100, 101) THEN 0 WHEN ({total}) % 101 = 100 THEN 0 ELSE ({total}) % 101 END)"  # fmt: skip
    return (
        f"(CASE WHEN length({digits}) <> 11 THEN false WHEN substr({digits}, 1, 9)::int <= 1001998 THEN true "
        f"ELSE {check} = substr({digits}, 10, 2)::int END)"
    )


def _folder(cursor):
    """Lower case with ё -> е, as `onewindow.text.normalize_text` does for the letters a regular row
    may hold: `lower()` when the database's character type folds Cyrillic (C.UTF-8, ru_RU), else
    an explicit `translate` (slower, independent of the locale)."""
    cursor.execute("SELECT lower('ЁЯIЖ') = 'ёяiж'")
    if cursor.fetchone()[0]:
        return lambda x: f"replace(replace(lower({x}), 'ё', 'е'), '-', ' ')"
    return lambda x: f"translate({x}, '{UPPER}', '{LOWER}')"


def _normalise(cursor, field, columns: list[str], fold) -> None:
    """rc_norm: every non-blank record, trimmed, with its dates taken apart and a `regular` flag;
    rc_rows: the regular ones normalised. Each level is fenced (OFFSET 0) so PostgreSQL computes
    an expression once instead of pasting it into every place that uses it."""
    blank = "btrim(concat(" + ", ".join(columns) + "), E' \\t\\r\\n') = ''"
    trimmed = ", ".join(
        f"{_clean(field(name))} AS {alias}"
        for name, alias in (("snils", "s"), ("last_name", "l"), ("first_name", "f"), ("middle_name", "m"), ("birth_date", "b"), ("event_date", "e"))
    )  # fmt: skip

    def shape(x: str) -> str:  # 1: ДД.ММ.ГГГГ, 2: ГГГГ-ММ-ДД, 0: anything else
        return f"CASE WHEN {x} ~ '{DMY}' THEN 1 WHEN {x} ~ '{ISO}' THEN 2 ELSE 0 END AS {x}shape"

    def parts(x: str, prefix: str) -> str:
        return (
            f"CASE {x}shape WHEN 1 THEN substr({x}, 7, 4)::int WHEN 2 THEN substr({x}, 1, 4)::int END AS {prefix}y, "
            f"CASE {x}shape WHEN 1 THEN substr({x}, 4, 2)::int WHEN 2 THEN substr({x}, 6, 2)::int END AS {prefix}m, "
            f"CASE {x}shape WHEN 1 THEN substr({x}, 1, 2)::int WHEN 2 THEN substr({x}, 9, 2)::int END AS {prefix}d"
        )

    def day(prefix: str) -> str:  # the date, or NULL; 31.02 gives 03.03 here and fails the check
        return (
            f"CASE WHEN {prefix}y BETWEEN 1 AND 9999 AND {prefix}m BETWEEN 1 AND 12 AND {prefix}d BETWEEN 1 AND 31 "
            f"THEN make_date({prefix}y, {prefix}m, 1) + ({prefix}d - 1) END"
        )

    def date_ok(x: str, prefix: str) -> str:
        return f"({x} = '' OR ({prefix}date IS NOT NULL AND extract(month from {prefix}date) = {prefix}m))"

    cursor.execute(
        f"""
        CREATE TEMP TABLE rc_norm ON COMMIT DROP AS
        SELECT rn, s, l, f, m, bdate AS birth, edate AS event,
               s ~ '{SNILS_CHARS}' AND (l || '|' || f || '|' || m) ~ '{NAMES_CHARS}'
               AND {date_ok("b", "b")} AND {date_ok("e", "e")} AS regular
        FROM (
            SELECT *, {day("b")} AS bdate, {day("e")} AS edate
            FROM (
                SELECT rn, s, l, f, m, b, e, {parts("b", "b")}, {parts("e", "e")}
                FROM (
                    SELECT *, {shape("b")}, {shape("e")}
                    FROM (SELECT rn, {trimmed} FROM rc_raw WHERE NOT ({blank}) OFFSET 0) trimmed
                    OFFSET 0
                ) shaped
                OFFSET 0
            ) split
            OFFSET 0
        ) dated
        """
    )
    total = " + ".join(f"substr(digits, {i}, 1)::int * {10 - i}" for i in range(1, 10))
    cursor.execute(
        "CREATE TEMP TABLE rc_rows (row_number bigint, raw_snils text, digits text, "
        "snils_ok boolean, name_key text, full_name text, birth date, event date, reason text) ON COMMIT DROP"
    )
    cursor.execute(
        f"""
        INSERT INTO rc_rows
        SELECT row_number, s, digits, snils_ok, name_key, full_name, birth, event,
               CASE WHEN snils_ok OR (l <> '' AND f <> '' AND birth IS NOT NULL) THEN NULL
                    WHEN s <> '' THEN 'поле «СНИЛС»: неверный номер «' || s || '»'
                    ELSE 'нет ни верного СНИЛС, ни фамилии, имени и даты рождения' END
        FROM (
            SELECT *, CASE WHEN length(digits) <> 11 THEN false
                           WHEN substr(digits, 1, 9)::int <= 1001998 THEN true
                           ELSE (CASE WHEN t < 100 THEN t WHEN t IN (100, 101) THEN 0
                                      WHEN t % 101 = 100 THEN 0 ELSE t % 101 END) = substr(digits, 10, 2)::int
                      END AS snils_ok
            FROM (
                SELECT rn + 1 AS row_number, s, l, f, birth, event, digits,
                       CASE WHEN length(digits) = 11 THEN {total} END AS t,
                       concat_ws(' ', nullif(l, ''), nullif(f, ''), nullif(m, '')) AS full_name,
                       CASE WHEN l <> '' AND f <> '' THEN concat_ws(' ', {", ".join(f"nullif({_squash(fold(x))}, '')" for x in ("l", "f", "m"))}) ELSE '' END AS name_key
                FROM (SELECT *, replace(replace(s, ' ', ''), '-', '') AS digits FROM rc_norm WHERE regular OFFSET 0) d
                OFFSET 0
            ) summed
        ) checked
        """
    )


def _squash(x: str) -> str:
    """Repeated spaces to one and none at the ends (a hyphen became a space)."""
    return f"btrim(CASE WHEN strpos({x}, '  ') > 0 THEN regexp_replace({x}, ' +', ' ', 'g') ELSE {x} END)"


def execute(run: ReconciliationRun, token: str, *, progress=None) -> dict | None:
    """Run the whole reconciliation in the current transaction; returns the counts (or None when
    another attempt took the run over)."""
    profile = run.profile
    path = Path(run.file_path)
    if not _safe_for_copy(path):
        raise Unavailable
    encoding, delimiter, header = _dialect(path, profile)
    mapping = column_map(header, profile.columns, ["snils", "last_name", "first_name", "middle_name", "birth_date", "event_date"])  # fmt: skip
    from reconciliation.services import check_columns

    check_columns(mapping, header)
    position = {name: index for index, name in enumerate(header)}  # a repeated name: the last
    col = {field: f"c{position[column]}" for field, column in mapping.items()}
    columns = [f"c{i}" for i in range(len(header))]

    def field(name: str) -> str:
        return col.get(name, "NULL::text")

    with connection.cursor() as cursor:
        locked = ReconciliationRun.objects.select_for_update().get(pk=run.pk)
        if locked.attempt != token or locked.status != ReconciliationRun.Status.RUNNING:
            return None
        # Room for the hash joins and, before this session's first temporary table, for the
        # temporary tables themselves (a later change has no effect, and raises nothing).
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL temp_buffers = '1GB'")
        # ON COMMIT DROP clears them, unless this runs inside an outer transaction (tests, a
        # second run in one request): drop our own temporary tables first and last.
        cursor.execute(DROP_TEMP)
        cursor.execute(
            "CREATE TEMP TABLE rc_raw (rn bigint GENERATED ALWAYS AS IDENTITY, "
            + ", ".join(f"{c} text" for c in columns)
            + ") ON COMMIT DROP"
        )
        try:
            with transaction.atomic(), path.open("rb") as handle:
                cursor.copy_expert(
                    f"COPY rc_raw ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, HEADER true, "
                    f"DELIMITER {_literal(delimiter)}, ENCODING '{PG_ENCODINGS[encoding]}')",
                    handle,
                )
        except Exception as exc:  # a bad byte, a short or long row, a stray quote
            raise Unavailable(str(exc)) from exc

        fold = _folder(cursor)
        _normalise(cursor, field, columns, fold)
        # The other rows (odd characters, other date forms, impossible dates): Python decides,
        # with the Python path's own function, so their results and messages are the same.
        cursor.execute(
            f"SELECT n.rn + 1, {', '.join('w.' + c for c in columns)} FROM rc_norm n JOIN rc_raw w USING (rn) "
            "WHERE NOT n.regular ORDER BY n.rn"
        )
        odd = []
        from reconciliation.services import parse_row

        for number, *values in cursor.fetchall():
            row = dict(zip(header, ("" if v is None else v for v in values), strict=True))
            if not any(str(v).strip() for v in row.values()):
                continue
            parsed = parse_row({k: row.get(c, "") for k, c in mapping.items()}, number, profile.date_format)  # fmt: skip
            odd.append((number, parsed["raw_snils"], parsed["digits"], parsed["snils_ok"], parsed["name_key"],
                        parsed["name"], parsed["birth"], parsed["event"], parsed["reason"]))  # fmt: skip
        if odd:
            from psycopg2.extras import execute_values

            execute_values(cursor, "INSERT INTO rc_rows VALUES %s", odd, page_size=2000)
        cursor.execute("ANALYZE rc_rows")
        counts = _match(cursor, run)
        if counts["rows_total"] == 0:
            raise ExtractError("В файле нет ни одной записи")
        counts["selections"] = _write_items(cursor, run, profile)
        _write_invalid(cursor, run, header)
        _write_ambiguous(cursor, run)
        locked.counts = counts
        locked.progress = counts["rows_total"]
        locked.total = counts["rows_total"]
        locked.status = ReconciliationRun.Status.DONE
        locked.finished_at = timezone.now()
        locked.save(update_fields=["counts", "progress", "total", "status", "finished_at"])
        cursor.execute(DROP_TEMP)
    return counts


def _literal(value: str) -> str:
    return "E'" + value.replace("\\", "\\\\").replace("'", "\\'").replace("\t", "\\t") + "'"


def _match(cursor, run: ReconciliationRun) -> dict:
    people = "cases_applicant a"
    scope = "NOT a.is_anonymised" + (
        f" AND a.office_id = {int(run.office_id)}" if run.office_id else ""
    )
    cursor.execute(
        "CREATE TEMP TABLE rc_match (row_number bigint, step text, ids int[]) ON COMMIT DROP"
    )
    cursor.execute(
        f"INSERT INTO rc_match SELECT r.row_number, 'snils', ARRAY[a.id] FROM rc_rows r "
        f"JOIN {people} ON a.snils = r.digits AND {scope} WHERE r.reason IS NULL AND r.snils_ok"
    )
    cursor.execute(
        f"INSERT INTO rc_match SELECT r.row_number, 'name_dob', array_agg(a.id ORDER BY a.id) FROM rc_rows r "
        f"JOIN {people} ON a.name_key = r.name_key AND a.birth_date = r.birth AND {scope} "
        "WHERE r.reason IS NULL AND r.name_key <> '' AND r.birth IS NOT NULL "
        "AND NOT EXISTS (SELECT 1 FROM rc_match m WHERE m.row_number = r.row_number) GROUP BY r.row_number"
    )
    cursor.execute(
        f"INSERT INTO rc_match SELECT r.row_number, 'probable', array_agg(a.id ORDER BY a.id) FROM rc_rows r "
        f"JOIN {people} ON a.birth_date = r.birth AND {scope} AND length(a.name_key) <= 255 "
        "AND abs(length(a.name_key) - length(r.name_key)) <= 2 "
        "AND levenshtein_less_equal(a.name_key, r.name_key, 2) <= 2 "
        "WHERE r.reason IS NULL AND r.name_key <> '' AND r.birth IS NOT NULL AND length(r.name_key) <= 255 "
        "AND NOT EXISTS (SELECT 1 FROM rc_match m WHERE m.row_number = r.row_number) GROUP BY r.row_number"
    )
    cursor.execute(
        """
        SELECT count(*),
               count(*) FILTER (WHERE r.reason IS NOT NULL),
               count(*) FILTER (WHERE m.step = 'snils' AND cardinality(m.ids) = 1),
               count(*) FILTER (WHERE m.step = 'name_dob' AND cardinality(m.ids) = 1),
               count(*) FILTER (WHERE m.step = 'probable' AND cardinality(m.ids) = 1),
               count(*) FILTER (WHERE cardinality(m.ids) > 1),
               count(*) FILTER (WHERE r.reason IS NULL AND m.row_number IS NULL)
        FROM rc_rows r LEFT JOIN rc_match m USING (row_number)
        """
    )
    keys = ["rows_total", "rows_invalid", "matched_snils", "matched_name_dob", "probable", "ambiguous", "unmatched"]  # fmt: skip
    return dict(zip(keys, cursor.fetchone(), strict=True))


RANK = "(CASE {0} WHEN 'snils' THEN 0 WHEN 'name_dob' THEN 1 ELSE 2 END)"


def _write_items(cursor, run: ReconciliationRun, profile) -> int:
    """Items for matched people with an affected active measure: new ones, or evidence added to
    the open item of the same person and kind. Returns how many items were touched."""
    codes = "" if "*" in profile.services else "AND s.code = ANY(%(codes)s)"
    params = {"run": run.pk, "kind": run.kind, "codes": list(profile.services), "source": run.source,
              "action": profile.action, "user": run.created_by_id}  # fmt: skip
    cursor.execute(
        f"""
        CREATE TEMP TABLE rc_items ON COMMIT DROP AS
        WITH affected AS MATERIALIZED (
            SELECT e.applicant_id, to_jsonb(array_agg(DISTINCT s.code::text ORDER BY s.code::text)) AS services
            FROM cases_entitlement e JOIN services_service s ON s.id = e.service_id
            WHERE e.status = 'active' {codes}
            GROUP BY e.applicant_id
        ), hits AS MATERIALIZED (
            SELECT m.row_number, m.ids[1] AS applicant_id, m.step, a.services
            FROM rc_match m JOIN affected a ON a.applicant_id = m.ids[1]
            WHERE cardinality(m.ids) = 1
        )
        SELECT h.applicant_id, min({RANK.format("h.step")}) AS rank,
               jsonb_agg(jsonb_build_object('row', r.row_number,
                   'snils', CASE WHEN r.snils_ok THEN r.digits ELSE r.raw_snils END,
                   'name', r.full_name, 'birth_date', coalesce(to_char(r.birth, 'YYYY-MM-DD'), ''),
                   'event_date', coalesce(to_char(r.event, 'YYYY-MM-DD'), ''),
                   'step', h.step, 'run', %(run)s) ORDER BY h.row_number) AS evidence,
               min(r.event) AS event_date, h.services
        FROM hits h JOIN rc_rows r USING (row_number)
        GROUP BY h.applicant_id, h.services
        """,
        params,
    )
    cursor.execute("SELECT count(*) FROM rc_items")
    touched = cursor.fetchone()[0]
    if not touched:
        return 0
    step = "(ARRAY['snils', 'name_dob', 'probable'])[i.rank + 1]"
    cursor.execute(
        "SELECT s.id FROM reconciliation_selection s JOIN rc_items i ON i.applicant_id = s.applicant_id "
        "WHERE s.status = 'open' AND s.kind = %(kind)s FOR UPDATE OF s",
        params,
    )
    cursor.execute(
        f"""
        UPDATE reconciliation_selection s SET
            evidence = s.evidence || i.evidence,
            match = CASE WHEN i.rank < {RANK.format("s.match")} THEN {step} ELSE s.match END,
            needs_confirmation = CASE WHEN i.rank < {RANK.format("s.match")} THEN i.rank = 2 ELSE s.needs_confirmation END,
            services = (SELECT to_jsonb(array_agg(DISTINCT x ORDER BY x)) FROM jsonb_array_elements_text(s.services || i.services) x),
            run_id = %(run)s, updated_at = now()
        FROM rc_items i
        WHERE i.applicant_id = s.applicant_id AND s.status = 'open' AND s.kind = %(kind)s
        RETURNING s.id
        """,
        params,
    )
    updated = [row[0] for row in cursor.fetchall()]
    cursor.execute(
        f"""
        WITH owners AS MATERIALIZED (
            SELECT DISTINCT ON (p.applicant_id) p.applicant_id, p.specialist_id AS user_id
            FROM rc_items i JOIN cases_application p ON p.applicant_id = i.applicant_id
            JOIN onewindow_user u ON u.id = p.specialist_id AND u.is_active
            ORDER BY p.applicant_id, p.registered_at DESC
        ), openers AS MATERIALIZED (
            SELECT DISTINCT ON (f.applicant_id) f.applicant_id, f.opened_by_id AS user_id
            FROM rc_items i JOIN cases_casefile f ON f.applicant_id = i.applicant_id
            JOIN onewindow_user u ON u.id = f.opened_by_id AND u.is_active
            ORDER BY f.applicant_id, f.id
        )
        INSERT INTO reconciliation_selection (office_id, run_id, applicant_id, kind, source, match,
            needs_confirmation, event_date, evidence, suggested_action, services, status, outcome,
            note, assigned_to_id, created_at, updated_at)
        SELECT a.office_id, %(run)s, i.applicant_id, %(kind)s, %(source)s, {step}, i.rank = 2,
               i.event_date, i.evidence, %(action)s, i.services, 'open', '', '',
               coalesce(o.user_id, f.user_id), now(), now()
        FROM rc_items i JOIN cases_applicant a ON a.id = i.applicant_id
        LEFT JOIN owners o ON o.applicant_id = i.applicant_id
        LEFT JOIN openers f ON f.applicant_id = i.applicant_id
        WHERE NOT EXISTS (SELECT 1 FROM reconciliation_selection s
                          WHERE s.applicant_id = i.applicant_id AND s.status = 'open' AND s.kind = %(kind)s)
        RETURNING id
        """,
        params,
    )
    created = [row[0] for row in cursor.fetchall()]
    _history(cursor, created, "+", run.created_by_id)
    _history(cursor, updated, "~", run.created_by_id)
    return touched


def _history(cursor, ids: list[int], kind: str, user_id: int | None) -> None:
    """The history rows django-simple-history would have written for these items."""
    if not ids:
        return
    columns = [f.column for f in Selection._meta.concrete_fields]
    table = Selection.history.model._meta.db_table
    cursor.execute(
        f"INSERT INTO {table} ({', '.join(columns)}, history_date, history_change_reason, history_type, history_user_id) "
        f"SELECT {', '.join(columns)}, now(), NULL, %s, %s FROM reconciliation_selection WHERE id = ANY(%s)",
        [kind, user_id, ids],
    )


def _write_invalid(cursor, run: ReconciliationRun, header: list[str]) -> None:
    pairs = ", ".join(
        f"{_literal(name)}, coalesce(w.c{index}, '')" for index, name in enumerate(header)
    )
    cursor.execute(  # no bound parameters: a «%» in a column name stays as it is
        "INSERT INTO reconciliation_invalidrow (run_id, row_number, reason, data) "
        f"SELECT {int(run.pk)}, r.row_number, left(r.reason, 500), jsonb_build_object({pairs}) "
        "FROM rc_rows r JOIN rc_raw w ON w.rn + 1 = r.row_number WHERE r.reason IS NOT NULL ORDER BY r.row_number"
    )


def _write_ambiguous(cursor, run: ReconciliationRun) -> None:
    cursor.execute(
        "SELECT r.row_number, m.step, m.ids, r.raw_snils, r.digits, r.snils_ok, r.full_name, r.birth, r.event "
        "FROM rc_match m JOIN rc_rows r USING (row_number) WHERE cardinality(m.ids) > 1 ORDER BY r.row_number"
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
