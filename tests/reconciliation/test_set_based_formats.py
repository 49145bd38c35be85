"""Every format goes the set-based way on PostgreSQL (issue 22): DBF (cp866, cp1251), XLSX, XML
and the CSV files COPY cannot read itself are read by the Python path's readers and streamed into
COPY. Side by side with the Python way: the same counts, items and evidence, invalid rows with
their reasons and data, ambiguous rows; the dry run says what a run says; progress is reported
while a file loads; a bad file fails with its reason and leaves no working table."""

import datetime
import io
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import connection

from onewindow.models import Job
from reconciliation import fastpath, services
from reconciliation.models import (
    AmbiguousRow,
    ExtractProfile,
    InvalidRow,
    ReconciliationRun,
    Selection,
)
from tests.reconciliation.files import MIXED_ROWS, run_outcome, write_mixed

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the set-based path runs on PostgreSQL"
    ),
]
FORMATS = [("csv", "cp1251"), ("dbf", "cp866"), ("dbf", "cp1251"), ("xlsx", ""), ("xml", "")]


def working_tables() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE tablename ~ '^rc[0-9]+_'")
        return [name for (name,) in cursor.fetchall()]


@pytest.fixture
def set_based(monkeypatch):
    """The runs the set-based way finished (not fallen back to the Python way)."""
    finished = []
    original = fastpath.execute

    def spy(*args, **kwargs):
        result = original(*args, **kwargs)
        finished.append(result)
        return result

    monkeypatch.setattr(fastpath, "execute", spy)
    return finished


def both_ways(path, settings, profile_name="czn-employment") -> dict:
    profile = ExtractProfile.objects.get(name=profile_name)
    results = {}
    for way in ("python", "sql"):
        settings.RECONCILE_SQL = way == "sql"
        run = services.create_run(path, profile=profile, force=True)
        assert fastpath.usable(run) is (way == "sql")
        run = services.execute_run(run.pk)
        assert run.status == "done", run.error
        results[way] = run_outcome(run)
        Selection.history.all().delete()
        AmbiguousRow.objects.all().delete()
        Selection.objects.all().delete()
    return results


@pytest.mark.parametrize(("fmt", "encoding"), FORMATS)
def test_every_format_gives_on_the_set_based_way_what_the_python_way_gives(
    recipients, tmp_path, settings, set_based, fmt, encoding
):
    path = write_mixed(tmp_path / f"mixed.{fmt}", fmt, encoding=encoding or "cp866")
    results = both_ways(path, settings)
    assert len(set_based) == 1 and set_based[0] is not None  # set-based, not fallen back
    assert results["sql"] == results["python"]
    counts = results["sql"]["counts"]
    # the whitespace-only row is a blank line of CSV and DBF, a row of an XLSX sheet's text
    # (the reader keeps it: invalid) and of an XML record (stripped: skipped)
    blank_rows = {"csv": 2, "dbf": 2, "xlsx": 1, "xml": 2}[fmt]
    assert counts["rows_total"] == len(MIXED_ROWS) - blank_rows
    # strangers on a recipient's number: «snils_only»; b's name on c's number: ambiguous
    # (files.MIXED_ROWS)
    assert counts["rows_invalid"] >= 8 and counts["snils_only"] == 2, counts
    assert counts["ambiguous"] == 2, counts
    assert counts["selections"] == 3, counts
    invalid = {row: (reason, data) for row, reason, data in results["sql"]["invalid"]}
    first = 2 if fmt in ("csv", "xlsx") else 1  # a header line, or none (DBF, XML)
    # the row with no date of birth that exists: the same number as the Python way's
    assert (
        invalid[first + 6][0] == "поле «Дата рождения»: неверная дата «31.02.1950»" or fmt == "dbf"
    )
    if fmt == "dbf":
        assert invalid[first + 6][0] == "поле «Дата рождения»: неверная дата «19500231»"
    a = recipients["a"].pk
    evidence = results["sql"]["items"][a][5]
    # a's own rows, and a stranger's on a's number, kept as «совпал только СНИЛС»
    assert all(e["birth_date"] in ("", "1990-05-01") or e["step"] == "snils_only" for e in evidence)
    assert any(e["step"] == "snils_only" for e in evidence)


def test_an_xlsx_snils_typed_as_a_number_and_dates_as_dates(
    recipients, tmp_path, settings, set_based
):
    rows = [["11223344595", "Алексеева", "Анна", "Петровна", "01.05.1990", "01.11.2026"],
            ["", "Борисова", "Вера", "Ивановна", "12.07.1992", "31.02.2026"]]  # fmt: skip
    results = both_ways(write_mixed(tmp_path / "n.xlsx", "xlsx", rows), settings)
    assert results["sql"] == results["python"] and len(set_based) == 1
    item = results["sql"]["items"][recipients["a"].pk]
    assert item[5][0]["snils"] == "11223344595" and item[3] == datetime.date(2026, 11, 1)
    [(number, reason, data)] = results["sql"]["invalid"]
    assert number == 3 and reason == "поле «Дата события»: неверная дата «31.02.2026»"
    assert data["Дата рождения"] == "1992-07-12 00:00:00"  # the cell as the reader gave it


def test_dry_run_goes_the_set_based_way_and_says_what_a_run_says(
    recipients, tmp_path, settings, set_based, capsys
):
    settings.RECONCILE_SQL = True
    path = write_mixed(tmp_path / "d.dbf", "dbf")
    call_command("reconcile", str(path), "--source", "czn", "--kind", "employment", "--dry-run")
    dry = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert len(set_based) == 1 and set_based[0] is not None
    assert not ReconciliationRun.objects.exists() and not Selection.objects.exists()
    assert not InvalidRow.objects.exists() and not AmbiguousRow.objects.exists()
    assert not working_tables()
    call_command("reconcile", str(path), "--source", "czn", "--kind", "employment")
    real = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert dry == real and dry["selections"] == 3
    settings.RECONCILE_SQL = False
    python = services.dry_run(path, profile=ExtractProfile.objects.get(name="czn-employment"))
    assert python == dry


@pytest.mark.django_db(transaction=True)
def test_progress_is_seen_while_the_run_s_transaction_is_open(
    recipients, tmp_path, settings, monkeypatch
):
    """The set-based run works in one transaction; its progress (rows read, step) is written
    through a connection of its own, so another session (the run's page) sees it meanwhile."""
    import psycopg2

    from reconciliation import copyable

    settings.RECONCILE_SQL = True
    monkeypatch.setattr(copyable.RowStream, "CHUNK", 64)  # a chunk a row or two
    original = copyable.RowStream.__init__
    monkeypatch.setattr(
        copyable.RowStream,
        "__init__",
        lambda self, *a, **kw: original(self, *a, **{**kw, "every": 5}),
    )
    rows = MIXED_ROWS * 2
    path = write_mixed(tmp_path / "p.dbf", "dbf", rows)
    run = services.create_run(path, profile=ExtractProfile.objects.get(name="czn-employment"))
    page = psycopg2.connect(**connection.get_connection_params())
    page.autocommit = True
    reports, seen = [], []

    def listener(done, total, step):
        reports.append((done, total, step))
        with page.cursor() as cursor:  # what the run's page reads at this moment
            cursor.execute(
                "SELECT progress, total, step FROM onewindow_job WHERE id = %s", [run.job_id]
            )
            seen.append(cursor.fetchone())
            cursor.execute("SELECT count(*) FROM pg_tables WHERE tablename ~ '^rc[0-9]+_'")
            assert cursor.fetchone()[0] == 0  # the working tables are the transaction's own

    try:
        run = services.execute_run(run.pk, listener=listener)
    finally:
        page.close()
    assert run.status == "done", run.error
    steps = [step for _, _, step in reports]
    assert steps[0] == "загрузка" and steps[-2:] == ["сопоставление", "запись результатов"]
    loading = [(done, total) for done, total, step in reports if step == "загрузка"]
    records = len(rows)  # the DBF's header announces them: the total
    assert loading == [(0, 0), *((n, records) for n in range(5, records + 1, 5)), (records - 4, records)]  # fmt: skip
    # every report was seen by the other session at once
    assert seen == [(done, total, step) for done, total, step in reports]
    assert Job.objects.get(pk=run.job_id).step == "запись результатов"


def test_the_run_page_shows_the_step_and_the_rows_read(client, specialist, recipients, tmp_path):
    """What a report wrote is what the run's page (and its polled fragment) says meanwhile."""
    from django.urls import reverse

    path = write_mixed(tmp_path / "w.xml", "xml")
    run = services.create_run(path, profile=ExtractProfile.objects.get(name="czn-employment"),
                              office=specialist.office)  # fmt: skip
    Job.objects.filter(pk=run.job_id).update(status="running", progress=150000, total=0, step="загрузка")  # fmt: skip
    client.force_login(specialist)
    for headers in ({}, {"HX-Request": "true"}):
        html = client.get(reverse("reconciliation:run", args=[run.pk]), headers=headers).content.decode()  # fmt: skip
        assert 'этап: <span id="run-step">загрузка</span> · обработано строк: 150000' in html
    Job.objects.filter(pk=run.job_id).update(step="запись результатов")
    html = client.get(reverse("reconciliation:run", args=[run.pk])).content.decode()
    assert 'этап: <span id="run-step">запись результатов</span>' in html


def test_the_command_line_prints_the_progress(recipients, tmp_path, settings):
    settings.RECONCILE_SQL = True
    path = write_mixed(tmp_path / "c.xml", "xml")
    err = io.StringIO()
    call_command("reconcile", str(path), "--source", "czn", "--kind", "employment", stdout=io.StringIO(), stderr=err)  # fmt: skip
    lines = err.getvalue().splitlines()
    run = ReconciliationRun.objects.get()
    assert lines[0] == f"Сверка № {run.pk} — загрузка"
    assert f"Сверка № {run.pk} — сопоставление: прочитано строк {run.counts['rows_total']}" in lines
    assert lines[-1].startswith(f"Сверка № {run.pk} — запись результатов")


def _dbf(tmp_path, rows=MIXED_ROWS[:3]) -> bytes:
    return write_mixed(tmp_path / "src.dbf", "dbf", rows).read_bytes()


def _long_csv(tmp_path) -> bytes:
    """UTF-8 for its first 64 KiB (what the detection reads), then a cp1251 byte in row 3001."""
    lines = ["СНИЛС;Фамилия;Имя;Отчество;Дата рождения;Дата события"]
    lines += [f";Иванов;Иван;;01.01.{1900 + i % 100};" for i in range(3000)]
    return ("\n".join(lines) + "\n").encode("utf-8") + "Петров;Пётр;;;\n".encode("cp1251")


def _xml_records(count: int) -> str:
    return "".join(f"<record><FAM>Иванов{i}</FAM><IM>Иван</IM><DR>01.01.1950</DR></record>" for i in range(count))  # fmt: skip


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
    + "]><extract><record><FAM>&lol9;</FAM></record></extract>"
)  # fmt: skip

# fmt: off
BAD_FILES = {
    "0 bytes": ("e.dbf", lambda tmp: b"", "Файл пуст (0 байт)"),
    "DBF damaged header": ("h.dbf", lambda tmp: b"not a dbf file at all, just text" * 3, "Файл не похож на DBF: неверный заголовок"),
    "DBF announces more records": (
        "m.dbf", lambda tmp: (lambda d: d[:4] + (500).to_bytes(4, "little") + d[8:])(_dbf(tmp)),
        "DBF обрезан: по заголовку в файле 500 записей, а целиком в нём 3"),
    "DBF cut in a record": ("c.dbf", lambda tmp: _dbf(tmp)[:-30], "DBF обрезан"),
    "DBF in another encoding": ("u.dbf", lambda tmp: _dbf(tmp), "DBF не читается в кодировке utf-8: выберите другую кодировку"),
    "CSV in another encoding, far down": ("l.csv", _long_csv, "символы не в кодировке utf-8; выберите другую кодировку"),
    "XLSX that is a renamed CSV": ("r.xlsx", lambda tmp: "СНИЛС;Фамилия\n1;2\n".encode("cp1251"), "Файл не является книгой XLSX (возможно, это переименованный CSV)"),
    "XLSX cut short": ("t.xlsx", lambda tmp: write_mixed(tmp / "s.xlsx", "xlsx").read_bytes()[:3000], "XLSX"),
    "XML external entity": (
        "x.xml", lambda tmp: b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><extract><record><FAM>&x;</FAM></record></extract>',
        "XML отклонён: внешние сущности и DTD запрещены"),
    "XML billion laughs": ("b.xml", lambda tmp: BILLION_LAUGHS.encode(), "XML отклонён: внешние сущности и DTD запрещены"),
    "XML cut short after many records": (
        "k.xml", lambda tmp: ("<extract>" + _xml_records(3000)).encode()[:-7],
        "XML не читается: незакрытый элемент (строка 1, позиция 208891; прочитано записей: 2999)"),
}
# fmt: on


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_fails_the_set_based_run_with_its_reason_and_leaves_nothing(
    recipients, tmp_path, settings, monkeypatch, case
):
    settings.RECONCILE_SQL = True
    name, content, message = BAD_FILES[case]
    path = tmp_path / name
    path.write_bytes(content(tmp_path))
    tried = []
    original = fastpath.execute

    def spy(*args, **kwargs):
        tried.append(True)
        return original(*args, **kwargs)

    monkeypatch.setattr(fastpath, "execute", spy)
    args = ["reconcile", str(path), "--source", "czn", "--kind", "employment"]
    if "another encoding" in case:
        args += ["--encoding", "utf-8"]
    with pytest.raises(CommandError, match="не выполнена") as info:
        call_command(*args, stdout=io.StringIO(), stderr=io.StringIO())
    assert message in str(info.value)
    run = ReconciliationRun.objects.get()
    assert run.status == "failed" and message in run.error
    assert tried or case == "0 bytes"  # the set-based way read it (a 0-byte file: before it)
    assert not Selection.objects.exists() and not InvalidRow.objects.exists()
    assert not AmbiguousRow.objects.exists() and not Selection.history.exists()
    assert not working_tables()


# --- Memory: a large DBF in a process of its own ------------------------------------------------

LARGE = 200_000
PEAK = (
    "import resource, subprocess, sys; code = subprocess.call(sys.argv[1:]); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(code)"
)


def letters(i: int) -> str:
    return "".join("абвгдежзиклмнопрстуфхцчшэюя"[(i // 27**k) % 27] for k in range(4))


def large_dbf(path):
    """LARGE records, as a day of a region's deaths might hold with a damaged export: most with a
    wrong СНИЛС (invalid rows the run keeps with their data), the rest people nobody knows, and
    the suite's people at the start."""
    import struct

    fields = [("NPERS", "C", 14), ("FAM", "C", 30), ("IM", "C", 30), ("OT", "C", 30), ("DR", "D", 8), ("DS", "D", 8)]  # fmt: skip
    record_len = 1 + sum(length for _, _, length in fields)
    header_len = 32 + 32 * len(fields) + 1
    with path.open("wb") as out:
        out.write(struct.pack("<BBBBIHH", 0x03, 126, 11, 1, LARGE, header_len, record_len))
        out.write(b"\x00" * 17 + bytes([0x26]) + b"\x00\x00")
        for name, kind, length in fields:
            out.write(name.encode().ljust(11, b"\x00") + kind.encode() + b"\x00" * 4 + bytes([length, 0]) + b"\x00" * 14)  # fmt: skip
        out.write(b"\r")
        for i in range(LARGE):
            if i == 0:
                values = ["112-233-445 95", "Алексеева", "Анна", "Петровна", "19900501", "20261101"]
            elif i % 10 < 7:  # a wrong check number and no first name: an invalid row
                values = [f"{100000000 + i:09d} 00", "Ошибкин" + letters(i), "", "", "19500101", "20261101"]  # fmt: skip
            else:
                values = ["", "Неизвестный" + letters(i), "Пётр", "", f"19{30 + i % 60}0101", "20261101"]  # fmt: skip
            out.write(b" " + b"".join(v.encode("cp866").ljust(n, b" ")[:n] for v, (_, _, n) in zip(values, fields, strict=True)))  # fmt: skip
        out.write(b"\x1a")
    return path


def peak_megabytes(path, settings, tmp_path, way: str) -> tuple[float, dict]:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"  # fmt: skip
    env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(settings.MEDIA_ROOT),
           "VAR_DIR": str(tmp_path / "var"), "RECONCILE_SQL": "1" if way == "sql" else "0",
           "CELERY_BROKER_URL": "", "DEBUG": "0"}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-c", PEAK, sys.executable, "manage.py", "reconcile", str(path),
         "--source", "pfr", "--kind", "deaths", "--force"],
        cwd=django_settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    return int(lines[-1]) / 1024, json.loads(lines[-2])


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_large_dbf_takes_far_less_memory_the_set_based_way(recipients, tmp_path, settings):
    path = large_dbf(tmp_path / "large.dbf")
    python, python_counts = peak_megabytes(path, settings, tmp_path, "python")
    sql, sql_counts = peak_megabytes(path, settings, tmp_path, "sql")
    print(f"peak RSS: Python way {python:.0f} MB, set-based way {sql:.0f} MB")
    assert sql_counts == python_counts
    # most of the wrong numbers are wrong (one in a hundred has a right check number by chance)
    assert sql_counts["rows_total"] == LARGE and sql_counts["rows_invalid"] > LARGE * 6 // 10
    assert sql_counts["selections"] == 1
    assert sql < python / 2, (sql, python)
    assert not working_tables()
