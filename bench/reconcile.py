"""Reconciliation benchmark: an extract of N rows (1,000,000 by default) against as many
recipients with 30 % of them holding an active measure, on PostgreSQL, in every extract format.

    make bench-reconcile                                  # CSV, 1,000,000 rows
    BENCH_FORMAT=dbf make bench-reconcile                 # csv | dbf | xlsx | xml | all | csv,dbf
    BENCH_APPLICANTS=20000 BENCH_FORMAT=all make bench-reconcile   # a quick run of every format
    BENCH_SCALE=1 BENCH_FORMAT=csv make bench-reconcile   # 100k, 300k, 1M rows: s/100k each
    BENCH_SCALE=1 BENCH_SIZES=20000,60000,200000 make bench-reconcile
    BENCH_QUOTING=all make bench-reconcile                # CSV with every field quoted, as 1C writes

Environment:
  BENCH_DATABASE_URL   the 1,000,000-recipient database (default that of bench/counter.py,
                       postgres://postgres@127.0.0.1:5432/onewindow_bench); another size N goes
                       to a database of its own, the same name with «_N» (filled once, reused)
  BENCH_APPLICANTS     recipients (default 1,000,000); BENCH_ROWS rows of the extract (default
                       as many as recipients); BENCH_MEASURES active measures (default 30 %)
  BENCH_FORMAT         csv (default), dbf, xlsx, xml, all, or a comma list
  BENCH_SCALE=1        one run per size of BENCH_SIZES (default 100000,300000,1000000), rows =
                       recipients, each in its own process and database; prints s/100k per size
  BENCH_DBF_DRIVER     the DBF language-driver byte: 0x26 (default) or 0x65, both cp866
  BENCH_PROFILE        the extract profile (default czn-employment, for every format, so that
                       the formats' figures are of the same work)
  BENCH_FLOORS         how many times each floor is timed, the best counting (default 3)
  BENCH_FRESH=1        write the extracts again (they are kept in BENCH_WORK, default var/bench,
                       by database, size and format, and reused)
  BENCH_QUOTING=all    every CSV field quoted

What is timed, for each format: the whole run — `manage.py reconcile` in a process of its own, as
the worker runs it (parse -> match -> selections and their history written) — and its peak
memory (the peak RSS of that process, read by a small launcher through RUSAGE_CHILDREN). Then two
floors, each at its best of BENCH_FLOORS, each after a checkpoint, with the run's own settings
(work_mem 256 MB, no JIT):
  - the old floor: the extract loaded with COPY into a table and joined to recipients on СНИЛС
    in one statement (a count);
  - the like-for-like floor: in one transaction, the extract loaded with COPY, joined to
    recipients with an active measure on СНИЛС into a table, and as many items as the run wrote
    (grouped by person, evidence as JSON) inserted with their history rows into copies of
    reconciliation_selection and its history table with the same columns, indexes, unique
    constraints and (deferred) foreign keys, committed.
  The floors load the file itself where COPY can: the CSV as it is; the DBF by slicing its
  fixed-width records into COPY's text format (the cheapest reading of a DBF there is). XLSX
  and XML have no such reading: their floors load the CSV of the same extract.
Targets (at 1,000,000 rows; a smaller run is judged on its time scaled to 1,000,000 rows — the
command's start-up as it is, the rest linearly — marked «~»):
every format <= 60 s (XLSX <= 90 s); peak memory <= 1 GB; run <= 2x the like-for-like floor for
CSV and DBF; seconds per 100k rows at the largest size within 1.3x of the smallest.
"""

from __future__ import annotations

import csv
import datetime
import json
import os
import random
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
_BENCH = str(Path(__file__).resolve().parent)
# bench/http.py would shadow the standard library's `http` (which Django imports): this folder
# goes to the end of the import path, the project's root to the front.
sys.path[:] = [p for p in sys.path if p and str(Path(p).resolve()) != _BENCH]
sys.path.insert(0, str(ROOT))
sys.path.append(_BENCH)

MILLION = 1_000_000
FORMATS = ("csv", "dbf", "xlsx", "xml")
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/onewindow_bench"
N_APPLICANTS = int(os.environ.get("BENCH_APPLICANTS", str(MILLION)))
N_ROWS = int(os.environ.get("BENCH_ROWS", str(N_APPLICANTS)))
N_MEASURES = int(os.environ.get("BENCH_MEASURES", str(max(1, N_APPLICANTS * 3 // 10))))
WORK = Path(os.environ.get("BENCH_WORK", str(ROOT / "var" / "bench")))
QUOTE_ALL = os.environ.get("BENCH_QUOTING", "") == "all"
DBF_DRIVER = int(os.environ.get("BENCH_DBF_DRIVER", "0x26"), 0)
PROFILE = os.environ.get("BENCH_PROFILE", "czn-employment")
FLOORS = max(1, int(os.environ.get("BENCH_FLOORS", "3")))
FRESH = os.environ.get("BENCH_FRESH", "") == "1"
SCALE = os.environ.get("BENCH_SCALE", "") == "1"
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "100000,300000,1000000").split(",") if s]

HEADER = ["СНИЛС", "Фамилия", "Имя", "Отчество", "Дата рождения", "Дата события"]
# DBF as the Pension Fund writes it (field names from the default aliases, readers.FIELD_ALIASES)
DBF_FIELDS = [("NPERS", "C", 14), ("FAM", "C", 40), ("IM", "C", 40), ("OT", "C", 40),
              ("DR", "D", 8), ("DS", "D", 8)]  # fmt: skip
# XML: <record> per row (the profile's xml_record), one child element per field
XML_TAGS = ["SNILS", "FAM", "IM", "OT", "DR", "DS"]
TARGET_SECONDS = {"xlsx": 90}  # every other format: 60
EVENT = datetime.date(2026, 11, 1)


def formats() -> list[str]:
    chosen = os.environ.get("BENCH_FORMAT", "csv").lower().strip()
    if chosen == "all":
        return list(FORMATS)
    names = [f.strip() for f in chosen.split(",") if f.strip()]
    wrong = [f for f in names if f not in FORMATS]
    if wrong or not names:
        raise SystemExit(f"BENCH_FORMAT: ожидается csv, dbf, xlsx, xml или all, а не {chosen!r}")
    return names


def database_for(size: int) -> str:
    """The 1,000,000-recipient database is BENCH_DATABASE_URL (bench/counter.py's); another
    size has its own, «_<size>» added to the name, so that no run refills another's."""
    base = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if size == MILLION:
        return base
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}_{size}"))


# --- The extract -------------------------------------------------------------------------------


def extract_rows(office, mix: dict):
    """The extract's records as ЦЗН or the Pension Fund would send them: most with a СНИЛС,
    some only with name and birth date, some with a typo, some unknown. The people are streamed
    from a server-side cursor in a shuffled but fixed order, the same for every format (an order
    by a hash of the id: `random()` after `setseed` differs between runs once PostgreSQL sorts
    with parallel workers, each with a seed of its own)."""
    import counter
    from django.db import connection, transaction

    rnd = random.Random(2026)
    produced = 0
    while produced < N_ROWS:
        with transaction.atomic():
            connection.ensure_connection()
            people = connection.connection.cursor(name="bench_people")
            people.itersize = 20000
            people.execute(
                "SELECT snils, last_name, first_name, middle_name, birth_date FROM cases_applicant "
                "WHERE office_id = %s ORDER BY md5(id::text || '-2026'), id LIMIT %s",
                [office.pk, N_ROWS - produced],
            )
            for snils, last, first, middle, born in people:
                roll = rnd.random()
                if roll < 0.80 and snils:
                    row = (f"{snils[:3]}-{snils[3:6]}-{snils[6:9]} {snils[9:]}", last, first, middle, born, EVENT)  # fmt: skip
                    mix["snils"] += 1
                elif roll < 0.90:
                    row = ("", last.upper(), first, middle, born, EVENT)
                    mix["name_dob"] += 1
                elif roll < 0.95:
                    row = ("", counter.typo(last, rnd), first, middle, born, EVENT)
                    mix["typo"] += 1
                else:
                    born = datetime.date(1900 + rnd.randint(30, 99), 1, rnd.randint(1, 28))
                    row = ("", "Неизвестнов", rnd.choice(counter.MALE_NAMES), "", born, EVENT)
                    mix["unknown"] += 1
                produced += 1
                yield row
            people.close()
        if produced == 0:
            raise SystemExit("В базе бенчмарка нет получателей учреждения")


def write_csv(path: Path, rows) -> None:
    """CSV, cp1251, «;», dates ДД.ММ.ГГГГ (as ЦЗН sends it)."""
    with path.open("w", encoding="cp1251", newline="", buffering=1 << 20) as handle:
        writer = csv.writer(
            handle, delimiter=";", quoting=csv.QUOTE_ALL if QUOTE_ALL else csv.QUOTE_MINIMAL
        )
        writer.writerow(HEADER)
        for snils, last, first, middle, born, event in rows:
            writer.writerow(
                [snils, last, first, middle, born.strftime("%d.%m.%Y"), event.strftime("%d.%m.%Y")]
            )


def write_dbf(path: Path, rows) -> None:
    """dBASE III, cp866, the language-driver byte (header offset 29) set, dates as D fields:
    written record by record, the record count put into the header at the end."""
    header_len = 32 + 32 * len(DBF_FIELDS) + 1
    record_len = 1 + sum(length for _, _, length in DBF_FIELDS)
    today = datetime.date.today()
    with path.open("wb", buffering=1 << 20) as out:
        out.write(struct.pack("<BBBBIHH", 0x03, today.year - 1900, today.month, today.day, 0,
                              header_len, record_len))  # fmt: skip
        out.write(b"\x00" * 17 + bytes([DBF_DRIVER]) + b"\x00\x00")
        for name, kind, length in DBF_FIELDS:
            out.write(name.encode("ascii").ljust(11, b"\x00") + kind.encode() + b"\x00" * 4
                      + bytes([length, 0]) + b"\x00" * 14)  # fmt: skip
        out.write(b"\r")
        count = 0
        widths = [length for _, _, length in DBF_FIELDS]
        for snils, last, first, middle, born, event in rows:
            texts = (snils, last, first, middle)
            out.write(
                b" "
                + b"".join(
                    t.encode("cp866")[:w].ljust(w, b" ")
                    for t, w in zip(texts, widths, strict=False)
                )
                + born.strftime("%Y%m%d").encode()
                + event.strftime("%Y%m%d").encode()
            )
            count += 1
        out.write(b"\x1a")
        out.seek(4)
        out.write(struct.pack("<I", count))


def write_xlsx(path: Path, rows) -> None:
    """XLSX (openpyxl's write-only mode, streamed to disk): the CSV's header, dates as date
    cells, the СНИЛС as text (as Excel keeps it)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Выгрузка")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)


def write_xml(path: Path, rows) -> None:
    """XML, UTF-8: <extract><record><SNILS>…</SNILS><FAM>…</FAM>…<DR>ГГГГ-ММ-ДД</DR>…</record>
    — the default profile's record element, fields named by the default aliases."""
    from xml.sax.saxutils import escape

    with path.open("w", encoding="utf-8", buffering=1 << 20) as out:
        out.write('<?xml version="1.0" encoding="utf-8"?>\n<extract>\n')
        for snils, last, first, middle, born, event in rows:
            values = (snils, escape(last), escape(first), escape(middle), born.isoformat(), event.isoformat())  # fmt: skip
            out.write(
                "<record>"
                + "".join(f"<{t}>{v}</{t}>" for t, v in zip(XML_TAGS, values, strict=True))
                + "</record>\n"
            )
        out.write("</extract>\n")


WRITERS = {"csv": write_csv, "dbf": write_dbf, "xlsx": write_xlsx, "xml": write_xml}


def extract(office, fmt: str) -> tuple[Path, dict]:
    """The extract in this format, written once per database, size and format (and reused)."""
    from django.db import connection

    database = connection.settings_dict["NAME"]
    variant = "-quoted" if fmt == "csv" and QUOTE_ALL else f"-{DBF_DRIVER:02x}" if fmt == "dbf" else ""  # fmt: skip
    path = WORK / f"{database}-{N_ROWS}{variant}.{fmt}"
    meta = path.with_name(path.name + ".json")
    if path.exists() and meta.exists() and not FRESH:
        return path, json.loads(meta.read_text())
    path.parent.mkdir(parents=True, exist_ok=True)
    mix = {"snils": 0, "name_dob": 0, "typo": 0, "unknown": 0}
    started = time.perf_counter()
    partial = path.with_name(path.name + ".part")
    WRITERS[fmt](partial, extract_rows(office, mix))
    partial.replace(path)
    meta.write_text(json.dumps(mix))
    print(f"  выгрузка {fmt.upper()} записана за {time.perf_counter() - started:.1f} с")
    return path, mix


# --- The floors --------------------------------------------------------------------------------


class DbfCopyStream:
    """A DBF's records as COPY text (tab-separated, bytes as they are, the file's code page
    named to COPY): fixed-width fields sliced and right-trimmed, nothing decoded in Python."""

    def __init__(self, path: Path):
        self.handle = path.open("rb")
        head = self.handle.read(32)
        self.left, header_len, self.record_len = struct.unpack("<IHH", head[4:12])
        self.fields = []
        offset = 1
        while True:
            descriptor = self.handle.read(32)
            if descriptor[:1] == b"\r" or len(descriptor) < 32:
                break
            self.fields.append((offset, offset + descriptor[16]))
            offset += descriptor[16]
        self.handle.seek(header_len)

    def read(self, size: int = -1) -> bytes:
        if self.left <= 0:
            return b""
        count = min(self.left, 20000)
        self.left -= count
        data = self.handle.read(count * self.record_len).replace(b"\\", b"\\\\")
        step, fields = self.record_len, self.fields
        lines = [
            b"\t".join(data[s + a : s + b].rstrip(b" ") for a, b in fields)
            for s in range(0, len(data), step)
            if data[s : s + 1] != b"*"
        ]
        return b"\n".join(lines) + b"\n"

    def close(self) -> None:
        self.handle.close()


def copy_extract(cursor, fmt: str, path: Path, csv_path: Path) -> None:
    """COPY the extract into bench_extract: the DBF through DbfCopyStream, a CSV as it is, XLSX
    and XML as the CSV of the same extract."""
    cursor.execute(
        "CREATE UNLOGGED TABLE bench_extract (rn bigint GENERATED ALWAYS AS IDENTITY, "
        "snils text, fam text, im text, ot text, dr text, ds text)"
    )
    columns = "(snils, fam, im, ot, dr, ds)"
    if fmt == "dbf":
        stream = DbfCopyStream(path)
        try:
            cursor.copy_expert(f"COPY bench_extract {columns} FROM STDIN WITH (ENCODING 'WIN866')", stream)  # fmt: skip
        finally:
            stream.close()
        return
    with (path if fmt == "csv" else csv_path).open("rb") as handle:
        cursor.copy_expert(
            f"COPY bench_extract {columns} FROM STDIN WITH (FORMAT csv, DELIMITER ';', HEADER true, ENCODING 'WIN1251')",
            handle,
            size=1 << 20,
        )


def checkpoint() -> None:
    """Each timed part starts with no dirty pages of the previous one to write (and so pays the
    full-page images of the pages it changes itself first, as after any checkpoint)."""
    from django.db import DatabaseError, connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
    except DatabaseError:  # a role without the right: the figures are just noisier
        pass


def session(cursor, on: bool) -> None:
    """The run's own settings (reconciliation.fastpath.SESSION) for the floors."""
    if on:
        cursor.execute("SET work_mem = '256MB'")
        cursor.execute("SET jit = off")
    else:
        cursor.execute("RESET work_mem")
        cursor.execute("RESET jit")


def old_floor(fmt: str, path: Path, csv_path: Path) -> tuple[float, int]:
    """COPY the extract into a table and join it to recipients on СНИЛС in one statement."""
    from django.db import connection

    with connection.cursor() as cursor:
        session(cursor, True)
    checkpoint()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_extract")
        copy_extract(cursor, fmt, path, csv_path)
        cursor.execute(
            # (a quoted empty field is '' where an unquoted one is NULL: nobody's empty number)
            "SELECT count(*) FROM bench_extract e JOIN cases_applicant a ON a.snils = regexp_replace(e.snils, '[^0-9]', '', 'g') AND a.snils <> '' "
            "JOIN cases_entitlement m ON m.applicant_id = a.id AND m.status = 'active'"
        )
        matched = cursor.fetchone()[0]
        cursor.execute("DROP TABLE bench_extract")
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        session(cursor, False)
    return seconds, matched


SCRATCH = {"bench_selection": "reconciliation_selection",
           "bench_historicalselection": "reconciliation_historicalselection"}  # fmt: skip


def scratch_tables(create: bool) -> None:
    """Copies of the items' table and its history table: the same columns, defaults, identity,
    indexes, unique and check constraints (LIKE … INCLUDING ALL) and the same foreign keys,
    deferred to the commit as Django declares them. Plain (logged) tables, as the real ones."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS " + ", ".join(SCRATCH))
        if not create:
            return
        for scratch, real in SCRATCH.items():
            cursor.execute(f"CREATE TABLE {scratch} (LIKE {real} INCLUDING ALL)")
            cursor.execute(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
                "AND contype = 'f' ORDER BY conname",
                [real],
            )
            for number, (definition,) in enumerate(cursor.fetchall()):
                cursor.execute(
                    f"ALTER TABLE {scratch} ADD CONSTRAINT {scratch}_fk{number} {definition}"
                )


def like_for_like_floor(fmt: str, path: Path, csv_path: Path, run, items: int, owner: int) -> tuple[float, int]:  # fmt: skip
    """In one transaction: COPY, the join on СНИЛС to recipients with an active measure (into
    a table, as the run's first pass), then `items` items — grouped by person, the evidence as
    JSON, assigned to the bench specialist as the run assigns each to the person's specialist —
    with their history rows, committed (the deferred foreign keys checked)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from reconciliation.models import Selection

    columns = [f.column for f in Selection._meta.concrete_fields if not f.primary_key]
    all_columns = ", ".join(f.column for f in Selection._meta.concrete_fields)
    values = {
        "office_id": "i.office_id", "run_id": "%(run)s", "applicant_id": "i.applicant_id",
        "kind": "%(kind)s", "source": "%(source)s", "match": "'snils'", "needs_confirmation": "false",
        "event_date": "NULL", "evidence": "i.evidence", "suggested_action": "%(action)s",
        "services": "'[\"unemployed-mothers\"]'::jsonb", "status": "'open'", "outcome": "''",
        "note": "''", "assigned_to_id": "%(owner)s", "created_at": "%(now)s", "updated_at": "%(now)s",
    }  # fmt: skip
    select = ", ".join(values.get(c, "NULL") for c in columns)
    params = {"run": run.pk, "kind": run.kind, "source": run.source, "action": run.profile.action,
              "user": run.created_by_id, "owner": owner, "now": timezone.now(), "items": items}  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE " + ", ".join(SCRATCH))
        session(cursor, True)
    checkpoint()
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        copy_extract(cursor, fmt, path, csv_path)
        cursor.execute(
            "CREATE UNLOGGED TABLE bench_matched AS SELECT e.*, a.id AS applicant_id, a.office_id "
            "FROM bench_extract e JOIN cases_applicant a ON a.snils = regexp_replace(e.snils, '[^0-9]', '', 'g') AND a.snils <> '' "
            "WHERE EXISTS (SELECT 1 FROM cases_entitlement m WHERE m.applicant_id = a.id AND m.status = 'active')"
        )
        matched = cursor.rowcount
        cursor.execute(
            f"""
            WITH created AS (
                INSERT INTO bench_selection ({", ".join(columns)})
                SELECT {select} FROM (
                    SELECT applicant_id, min(office_id) AS office_id,
                           jsonb_agg(jsonb_build_object('row', rn + 1, 'snils', regexp_replace(snils, '[^0-9]', '', 'g'),
                               'name', concat_ws(' ', fam, im, ot), 'birth_date', dr, 'event_date', ds,
                               'step', 'snils', 'run', %(run)s)) AS evidence
                    FROM bench_matched GROUP BY applicant_id LIMIT %(items)s
                ) i
                RETURNING *
            )
            INSERT INTO bench_historicalselection ({all_columns}, history_date, history_change_reason, history_type, history_user_id)
            SELECT {all_columns}, %(now)s, NULL, '+', %(user)s FROM created
            """,
            params,
        )
        cursor.execute("DROP TABLE bench_extract, bench_matched")
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        session(cursor, False)
        cursor.execute("SELECT count(*) FROM bench_selection")
        written = cursor.fetchone()[0]
    if written != items:  # a profile of every measure finds more people than СНИЛС alone
        print(f"  (равная нижняя граница: на СНИЛС нашлось {written} человек с мерами, а сверка записала {items} селекций)")  # fmt: skip
    return seconds, matched


# --- The run -----------------------------------------------------------------------------------


def grant_measures(office) -> None:
    from django.db import connection

    from cases.models import Entitlement
    from services.models import Service

    if Entitlement.objects.filter(office=office).count() >= N_MEASURES:
        return
    services = list(
        Service.objects.filter(
            code__in=["unemployed-mothers", "childcare-uninsured", "asp", "esp-single"]
        ).values_list("pk", flat=True)
    )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_entitlement WHERE office_id = %s", [office.pk])
        cursor.execute(
            "INSERT INTO cases_entitlement (office_id, applicant_id, case_file_id, service_id, start_date, status, status_reason) "
            "SELECT f.office_id, f.applicant_id, f.id, (ARRAY[%s, %s, %s, %s])[1 + (f.applicant_id %% 4)], DATE '2024-01-01', 'active', '' "
            "FROM cases_casefile f WHERE f.office_id = %s AND f.applicant_id %% %s = 0 LIMIT %s",
            [*services, office.pk, max(1, N_APPLICANTS // N_MEASURES), N_MEASURES],
        )
    print(f"  меры: {N_MEASURES} за {time.perf_counter() - started:.1f} с")


def clear_runs(office, file_name: str) -> None:
    """The earlier runs' items go in one statement each (the ORM would write a history row for
    every one of them), so that every run starts from the same empty worklist."""
    from django.db import connection

    from reconciliation.models import ReconciliationRun

    with connection.cursor() as cursor:
        runs = "SELECT id FROM reconciliation_reconciliationrun WHERE file_name = %s"
        cursor.execute(f"DELETE FROM reconciliation_ambiguousrow_candidates WHERE ambiguousrow_id IN (SELECT id FROM reconciliation_ambiguousrow WHERE run_id IN ({runs}))", [file_name])  # fmt: skip
        cursor.execute(f"DELETE FROM reconciliation_ambiguousrow WHERE run_id IN ({runs})", [file_name])  # fmt: skip
        cursor.execute(f"DELETE FROM reconciliation_invalidrow WHERE run_id IN ({runs})", [file_name])  # fmt: skip
        cursor.execute(
            "DELETE FROM reconciliation_historicalselection WHERE office_id = %s", [office.pk]
        )
        cursor.execute("DELETE FROM reconciliation_selection WHERE office_id = %s", [office.pk])
        # and their space is reclaimed, so that a repeated benchmark does not insert into bloat
        cursor.execute(
            "VACUUM ANALYZE reconciliation_selection, reconciliation_historicalselection"
        )
    ReconciliationRun.objects.filter(file_name=file_name).delete()


def way(run, stderr: str) -> str:
    """Which way the run went: set-based when the project's own test says this run can take it
    (`fastpath.usable`, whatever formats it accepts by then) and the run did not log a fall
    back to the Python way; else Python."""
    try:
        from reconciliation import fastpath

        usable = fastpath.usable(run)
    except Exception:  # the project moved it: say so rather than guess
        return "?"
    return "SQL" if usable and "без SQL-ускорения" not in stderr else "Python"


def startup() -> float:
    """What starting `manage.py reconcile` costs before it reads a byte (Django set up, the
    checks run, the command refusing a missing file): the best of two."""
    import counter

    times = []
    for _ in range(2):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "reconcile", str(WORK / "missing.csv"),
             "--source", "czn", "--kind", "employment"],
            capture_output=True, env={**os.environ, "DATABASE_URL": counter.BENCH_URL},
        )  # fmt: skip
        times.append(time.perf_counter() - started)
    return min(times)


LAUNCHER = (
    "import resource, subprocess, sys; code = subprocess.call(sys.argv[2:]); "
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)); "
    "sys.exit(code)"
)


def timed_run(path: Path, profile) -> dict:
    """`manage.py reconcile` in its own process (as the worker or the CLI runs it). Its peak
    memory is read by a small launcher: a process forked from this one would carry this
    script's own high-water mark into its figure."""
    import counter

    with tempfile.NamedTemporaryFile("r", suffix=".peak") as peak_file:
        checkpoint()
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-c", LAUNCHER, peak_file.name, sys.executable, str(ROOT / "manage.py"),
             "reconcile", str(path), "--source", profile.source, "--kind", profile.kind,
             "--profile", profile.name, "--force"],
            capture_output=True, text=True, env={**os.environ, "DATABASE_URL": counter.BENCH_URL},
        )  # fmt: skip
        seconds = time.perf_counter() - started
        peak = int(peak_file.read() or 0) / 1024
    if result.returncode != 0:
        raise SystemExit(f"Сверка {path.name} не выполнена:\n{result.stdout}{result.stderr}")
    counts = json.loads([line for line in result.stdout.splitlines() if line.startswith("{")][-1])
    return {"seconds": seconds, "peak_mb": peak, "counts": counts, "stderr": result.stderr}


def bench_size() -> list[dict]:
    """Every chosen format at this size (BENCH_APPLICANTS recipients, BENCH_ROWS rows)."""
    os.environ["BENCH_DATABASE_URL"] = database_for(N_APPLICANTS)
    import counter  # sets DATABASE_URL for the bench database

    counter.ensure_database()
    import io

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from onewindow.models import Office
    from reconciliation.models import ExtractProfile, ReconciliationRun

    call_command("migrate", verbosity=0)
    call_command("load_catalogue", stdout=io.StringIO())
    office, _ = Office.objects.get_or_create(
        code="bench", defaults={"name": "ГКУ «ЦСЗН (бенчмарк)»", "short_name": "ЦСЗН (бенчмарк)"}
    )
    specialist = counter.bench_specialist(office)
    print(
        f"База: {counter.BENCH_URL}; получателей {N_APPLICANTS}, мер {N_MEASURES}, строк выгрузки {N_ROWS}"
    )
    counter.fill(office, specialist)
    grant_measures(office)
    with connection.cursor() as cursor:
        # The registry as a maintained database has it (autovacuum may be off on a bench
        # machine): statistics for the planner, the visibility map set. Quick once done.
        cursor.execute(
            "VACUUM ANALYZE cases_applicant, cases_casefile, cases_application, cases_entitlement, "
            "services_service, onewindow_user"
        )
    profile = ExtractProfile.objects.get(name=PROFILE)
    chosen = formats()
    csv_path = None
    if any(f in ("xlsx", "xml") for f in chosen):  # their floors load the same extract as CSV
        csv_path, _ = extract(office, "csv")
    results = []
    overhead = startup()
    print(f"  запуск manage.py reconcile (до чтения файла): {overhead:.1f} с")
    scratch_tables(True)
    try:
        for fmt in chosen:
            path, mix = extract(office, fmt)
            csv_path = path if fmt == "csv" else csv_path
            print(
                f"\n{fmt.upper()}: {path.name}, {path.stat().st_size / 1024 / 1024:.0f} МБ, состав {mix}"
            )
            clear_runs(office, path.name)
            run = timed_run(path, profile)
            last = (
                ReconciliationRun.objects.select_related("profile")
                .filter(file_name=path.name)
                .latest("pk")
            )
            run["way"] = way(last, run.pop("stderr"))
            run["startup"] = overhead
            print(
                f"  сверка (manage.py reconcile, путь {run['way']}): {run['seconds']:.1f} с, "
                f"пик памяти {run['peak_mb']:.0f} МБ; итоги {run['counts']}"
            )
            items = int(run["counts"].get("selections", 0))
            old = min(old_floor(fmt, path, csv_path) for _ in range(FLOORS))
            new = min(
                like_for_like_floor(fmt, path, csv_path, last, items, specialist.pk)
                for _ in range(FLOORS)
            )
            floor_source = {"csv": "CSV", "dbf": "DBF"}.get(fmt, "CSV той же выгрузки")
            print(
                f"  нижняя граница (старая: COPY {floor_source} + соединение по СНИЛС): {old[0]:.1f} с, "
                f"совпало с мерами {old[1]}"
            )
            print(
                f"  нижняя граница (равная: та же + {items} селекций с историей в копиях таблиц, "
                f"одна транзакция): {new[0]:.1f} с"
            )
            results.append({
                "format": fmt, "rows": N_ROWS, "applicants": N_APPLICANTS, **run,
                "floor_old": old[0], "floor_lfl": new[0], "items": items,
            })  # fmt: skip
    finally:
        scratch_tables(False)
    return results


# --- Report ------------------------------------------------------------------------------------


def per_100k(r: dict, net: bool = False) -> float:
    """Seconds per 100,000 rows (net: without starting the command)."""
    return (r["seconds"] - (r["startup"] if net else 0)) / r["rows"] * 100_000


def report(results: list[dict]) -> bool:
    print(
        "\nИтоги (с — вся сверка, с запуском команды; пол — нижние границы; отношение — сверка / пол;"
        "\nс/100k нетто — без запуска команды):"
    )
    head = ("формат", "строк", "путь", "с", "пик RSS, МБ", "пол старый, с", "пол равный, с",
            "отн. к старому", "отн. к равному", "с/100k", "с/100k нетто")  # fmt: skip
    print("| " + " | ".join(head) + " |")
    print("|" + " --- |" * len(head))
    for r in results:
        print(
            f"| {r['format'].upper()} | {r['rows']:_} | {r['way']} | {r['seconds']:.1f} | {r['peak_mb']:.0f} "
            f"| {r['floor_old']:.1f} | {r['floor_lfl']:.1f} | {r['seconds'] / r['floor_old']:.2f} "
            f"| {r['seconds'] / r['floor_lfl']:.2f} | {per_100k(r):.2f} | {per_100k(r, True):.2f} |".replace(
                "_", " "
            )
        )
    print(
        "\nЦели (по самому большому размеру каждого формата; меньше 1 млн строк — время пересчитано"
        "\nна 1 млн: запуск команды плюс остальное, умноженное линейно, «~»):"
    )
    ok = True

    def verdict(label: str, met: bool, figure: str) -> None:
        nonlocal ok
        ok &= met
        print(f"  {label}: {figure} — {'выполнена' if met else 'НЕ выполнена'}".replace("_", " "))

    largest: dict[str, dict] = {}  # the targets are judged at each format's largest size
    for r in results:
        if r["rows"] >= largest.get(r["format"], {"rows": 0})["rows"]:
            largest[r["format"]] = r
    for r in largest.values():
        fmt, rows = r["format"].upper(), r["rows"]
        limit = TARGET_SECONDS.get(r["format"], 60)
        # starting the command costs the same at every size: only the rest grows with the rows
        at_million = r["startup"] + (r["seconds"] - r["startup"]) * MILLION / rows
        mark = "" if rows >= MILLION else "~"
        verdict(f"{fmt} {rows:_} строк: ≤ {limit} с на 1 млн строк", at_million <= limit,
                f"{mark}{at_million:.1f} с")  # fmt: skip
        verdict(f"{fmt} {rows:_} строк: пик памяти ≤ 1 ГБ", r["peak_mb"] <= 1024,
                f"{r['peak_mb']:.0f} МБ (при {rows:_} строк)")  # fmt: skip
        if r["format"] in ("csv", "dbf"):
            ratio = r["seconds"] / r["floor_lfl"]
            verdict(f"{fmt} {rows:_} строк: ≤ 2 × равной нижней границы", ratio <= 2, f"{ratio:.2f}")  # fmt: skip
    by_format: dict[str, list[dict]] = {}
    for r in results:
        by_format.setdefault(r["format"], []).append(r)
    for fmt, runs in by_format.items():
        if len({r["rows"] for r in runs}) < 2:
            continue
        runs = sorted(runs, key=lambda r: r["rows"])
        small, large = runs[0], runs[-1]
        line = "; ".join(
            f"{r['rows']:_}: {per_100k(r):.2f} (нетто {per_100k(r, True):.2f})" for r in runs
        )
        print(f"  {fmt.upper()} с/100k по размерам — {line}".replace("_", " "))
        for net, label in ((False, ""), (True, " нетто")):
            growth = per_100k(large, net) / per_100k(small, net)
            verdict(f"{fmt.upper()} с/100k{label} при {large['rows']:_} ÷ при {small['rows']:_} ≤ 1,3",
                    growth <= 1.3, f"{growth:.2f}")  # fmt: skip
    print("Цели", "выполнены" if ok else "НЕ выполнены (все или часть)")
    return ok


def main() -> None:
    if SCALE:
        results = []
        for size in SIZES:
            print(f"\n=== {size:_} строк и получателей ===".replace("_", " "), flush=True)
            with tempfile.NamedTemporaryFile("r", suffix=".json") as out:
                env = {**os.environ, "BENCH_SCALE": "0", "BENCH_APPLICANTS": str(size),
                       "BENCH_ROWS": str(size), "BENCH_RESULT": out.name}  # fmt: skip
                for name in ("BENCH_MEASURES", "BENCH_APPLICATIONS"):  # 30 % and 2x of each size
                    env.pop(name, None)
                subprocess.run([sys.executable, __file__], env=env, check=True)
                results += json.loads(out.read())
        report(results)
        return
    results = bench_size()
    if os.environ.get("BENCH_RESULT"):
        Path(os.environ["BENCH_RESULT"]).write_text(json.dumps(results))
    report(results)


if __name__ == "__main__":
    main()
