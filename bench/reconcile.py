"""Reconciliation benchmark: a 1,000,000-row extract against 1,000,000 recipients with 300,000
active measures, on PostgreSQL.

    make bench-reconcile
    BENCH_APPLICANTS=100000 BENCH_ROWS=100000 make bench-reconcile
    BENCH_QUOTING=all make bench-reconcile      # every field quoted, as 1C writes CSV

It reuses the database filled by bench/counter.py (filling it first if needed), grants 300,000
active measures, writes a realistic extract (most rows with a СНИЛС, some only with name and birth
date, some with a typo, some namesakes, some unknown), then times the whole run
(parse -> match -> selections written) and, in the same run, the floor: the same extract loaded
with COPY into a table and joined to recipients on СНИЛС in one SQL statement.
Targets: <= 60 s, ratio <= 3, peak memory <= 1 GB.
"""

from __future__ import annotations

import csv
import io
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# bench/http.py is named like the standard library's `http`: this folder goes to the end of
# the import path (Python puts a script's own folder first), so `http` is the standard one.
_BENCH = str(ROOT / "bench")
sys.path[:] = [p for p in sys.path if p and str(Path(p).resolve()) != _BENCH] + [_BENCH]

import counter  # noqa: E402  (sets DATABASE_URL for the bench database)

N_ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
N_MEASURES = int(os.environ.get("BENCH_MEASURES", str(max(1, counter.N_APPLICANTS * 3 // 10))))
WORK = Path(os.environ.get("BENCH_WORK", str(ROOT / "var" / "bench")))
# BENCH_QUOTING=all writes every field quoted, as 1C does
QUOTE_ALL = os.environ.get("BENCH_QUOTING", "") == "all"


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
            [*services, office.pk, max(1, counter.N_APPLICANTS // N_MEASURES), N_MEASURES],
        )
    print(f"  меры: {N_MEASURES} за {time.perf_counter() - started:.1f} с")


def write_extract(office, path: Path) -> dict:
    """The extract as ЦЗН sends it: CSV, cp1251, ';'."""
    from django.db import connection

    rnd = random.Random(2026)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT snils, last_name, first_name, middle_name, birth_date FROM cases_applicant WHERE office_id = %s "
            "ORDER BY random() LIMIT %s",
            [office.pk, N_ROWS],
        )
        people = cursor.fetchall()
    mix = {"snils": 0, "name_dob": 0, "typo": 0, "unknown": 0}
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="cp1251", newline="") as handle:
        writer = csv.writer(
            handle, delimiter=";", quoting=csv.QUOTE_ALL if QUOTE_ALL else csv.QUOTE_MINIMAL
        )
        writer.writerow(["СНИЛС", "Фамилия", "Имя", "Отчество", "Дата рождения", "Дата события"])
        for i in range(N_ROWS):
            snils, last, first, middle, born = people[i % len(people)]
            roll = rnd.random()
            event = "01.11.2026"
            if roll < 0.80 and snils:
                row = [
                    f"{snils[:3]}-{snils[3:6]}-{snils[6:9]} {snils[9:]}",
                    last,
                    first,
                    middle,
                    born.strftime("%d.%m.%Y"),
                    event,
                ]
                mix["snils"] += 1
            elif roll < 0.90:
                row = ["", last.upper(), first, middle, born.strftime("%d.%m.%Y"), event]
                mix["name_dob"] += 1
            elif roll < 0.95:
                row = ["", counter.typo(last, rnd), first, middle, born.strftime("%d.%m.%Y"), event]
                mix["typo"] += 1
            else:
                row = [
                    "",
                    "Неизвестнов",
                    rnd.choice(counter.MALE_NAMES),
                    "",
                    f"{rnd.randint(1, 28):02d}.01.19{rnd.randint(30, 99)}",
                    event,
                ]
                mix["unknown"] += 1
            writer.writerow(row)
    return mix


def checkpoint() -> None:
    """Each timed part starts with no dirty pages of the previous one to write (and so pays the
    full-page images of the pages it changes itself first, as after any checkpoint)."""
    from django.db import DatabaseError, connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
    except DatabaseError:  # a role without the right: the figures are just noisier
        pass


def floor(path: Path) -> tuple[float, int]:
    """COPY the extract into a table and join it to recipients on СНИЛС in one statement, with
    the memory and settings the run gets (reconciliation.fastpath.SESSION)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET work_mem = '256MB'")
        cursor.execute("SET jit = off")
    checkpoint()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_extract")
        cursor.execute(
            "CREATE UNLOGGED TABLE bench_extract (snils text, fam text, im text, ot text, dr text, ds text)"
        )
        with path.open("rb") as handle:
            cursor.copy_expert(
                "COPY bench_extract FROM STDIN WITH (FORMAT csv, DELIMITER ';', HEADER true, ENCODING 'WIN1251')",
                handle,
            )
        cursor.execute(
            # (a quoted empty field is '' where an unquoted one is NULL: nobody's empty number)
            "SELECT count(*) FROM bench_extract e JOIN cases_applicant a ON a.snils = regexp_replace(e.snils, '[^0-9]', '', 'g') AND a.snils <> '' "
            "JOIN cases_entitlement m ON m.applicant_id = a.id AND m.status = 'active'"
        )
        matched = cursor.fetchone()[0]
        cursor.execute("DROP TABLE bench_extract")
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("RESET work_mem")
        cursor.execute("RESET jit")
    return seconds, matched


def main() -> None:
    counter.ensure_database()
    import django

    django.setup()
    from django.core.management import call_command

    from onewindow.models import Office
    from reconciliation.models import ExtractProfile, ReconciliationRun

    call_command("migrate", verbosity=0)
    call_command("load_catalogue", stdout=io.StringIO())
    office, _ = Office.objects.get_or_create(
        code="bench", defaults={"name": "ГКУ «ЦСЗН (бенчмарк)»", "short_name": "ЦСЗН (бенчмарк)"}
    )
    specialist = counter.bench_specialist(office)
    print(
        f"База: {counter.BENCH_URL}; получателей {counter.N_APPLICANTS}, мер {N_MEASURES}, строк выгрузки {N_ROWS}"
    )
    counter.fill(office, specialist)
    grant_measures(office)
    path = WORK / f"czn-employment-{N_ROWS}{'-quoted' if QUOTE_ALL else ''}.csv"
    mix = write_extract(office, path)
    print(f"  выгрузка: {path.stat().st_size / 1024 / 1024:.0f} МБ, состав {mix}")

    # The earlier runs' items go in one statement each (the ORM would write a history row for
    # every one of them), so that every run starts from the same empty worklist.
    from django.db import connection

    with connection.cursor() as cursor:
        runs = "SELECT id FROM reconciliation_reconciliationrun WHERE file_name = %s"
        cursor.execute(f"DELETE FROM reconciliation_ambiguousrow_candidates WHERE ambiguousrow_id IN (SELECT id FROM reconciliation_ambiguousrow WHERE run_id IN ({runs}))", [path.name])  # fmt: skip
        cursor.execute(
            f"DELETE FROM reconciliation_ambiguousrow WHERE run_id IN ({runs})", [path.name]
        )
        cursor.execute(
            f"DELETE FROM reconciliation_invalidrow WHERE run_id IN ({runs})", [path.name]
        )
        cursor.execute(
            "DELETE FROM reconciliation_historicalselection WHERE office_id = %s", [office.pk]
        )
        cursor.execute("DELETE FROM reconciliation_selection WHERE office_id = %s", [office.pk])
        # and their space is reclaimed, so that a repeated benchmark does not insert into bloat
        cursor.execute(
            "VACUUM ANALYZE reconciliation_selection, reconciliation_historicalselection"
        )
        # The registry as a maintained database has it (autovacuum may be off on a bench
        # machine): statistics for the planner, the visibility map set. Quick once done.
        cursor.execute(
            "VACUUM ANALYZE cases_applicant, cases_casefile, cases_application, cases_entitlement, "
            "services_service, onewindow_user"
        )
    ReconciliationRun.objects.filter(file_name=path.name).delete()
    profile = ExtractProfile.objects.get(name="czn-employment")

    # The floor at its best of three (the lowest floor is the strictest ratio).
    floor_seconds, floor_matched = min(floor(path) for _ in range(3))
    # The run itself in its own process (as the worker or `manage.py reconcile` does). Its peak
    # memory is read by a small launcher: a process forked from this one would carry this
    # script's own high-water mark (the extract's people are held here) into its figure.
    import json
    import subprocess
    import tempfile

    launcher = (
        "import resource, subprocess, sys; code = subprocess.call(sys.argv[2:]); "
        "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)); "
        "sys.exit(code)"
    )
    with tempfile.NamedTemporaryFile("r", suffix=".peak") as peak_file:
        checkpoint()
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-c", launcher, peak_file.name, sys.executable, str(ROOT / "manage.py"),
             "reconcile", str(path), "--source", profile.source, "--kind", profile.kind,
             "--profile", profile.name, "--force"],
            capture_output=True, text=True, env={**os.environ, "DATABASE_URL": counter.BENCH_URL},
        )  # fmt: skip
        seconds = time.perf_counter() - started
        peak = int(peak_file.read() or 0) / 1024
    if result.returncode != 0:
        raise SystemExit(result.stdout + result.stderr)
    out = result.stdout
    counts = json.loads([line for line in out.splitlines() if line.startswith("{")][-1])
    print(f"\nСверка (manage.py reconcile): {seconds:.1f} с; итоги {counts}")
    print(
        f"Нижняя граница (COPY + соединение по СНИЛС одним запросом): {floor_seconds:.1f} с, совпало с мерами {floor_matched}"
    )
    print(f"Отношение: {seconds / floor_seconds:.2f}; пик памяти процесса сверки: {peak:.0f} МБ")
    ok = seconds <= 60 and seconds / floor_seconds <= 3 and peak <= 1024
    print("Цели (≤ 60 с, отношение ≤ 3, память ≤ 1 ГБ):", "выполнены" if ok else "НЕ выполнены")


if __name__ == "__main__":
    main()
