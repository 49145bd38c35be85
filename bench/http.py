"""HTTP benchmark of the counter: the application as in production (gunicorn, DEBUG=0) on the
counter benchmark's database, driven by wrk.

    make bench-http                              # 1,000,000 applicants (bench/counter.py fills them)
    BENCH_APPLICANTS=100000 make bench-http
    BENCH_WORKERS=4 BENCH_THREADS=2 BENCH_SECONDS=20 make bench-http

`make bench-http` installs wrk (Debian's package) when it is missing. The script fills (or reuses)
the bench database, starts gunicorn with BENCH_WORKERS sync workers (BENCH_THREADS threads each:
the gthread worker when > 1), signs the bench specialist in, and drives for BENCH_SECONDS each,
with 1 and 50 connections:

* the anonymous login page — the stack's ceiling on this machine;
* the as-you-type search (the htmx partial): a mix of СНИЛС, «Фамилия И.О.», surname fragments
  and case-file numbers, every one of which finds people (so every request writes its
  access-log row);
* the case-file page (`/cases/files/<id>/`) of people with applications and measures;
* the receipt PDF.

For each it prints requests per second, p50/p95/p99, errors (non-2xx and socket errors), and
queries per request — from PostgreSQL's own statistics (transactions committed on the database
during the run, each statement outside a transaction being one) and, for the same requests in
this process, counted by Django. In the same run it calls the same views in-process (the Django
test client, DEBUG off) and prints the ratio of the HTTP p50 at one connection to the in-process
p50. Last, the access-log check: rows written by the searches against the searches served.

Targets (issue 21, this 2-core machine, 1,000,000 applicants): search ≥ 400 req/s and at least a
third of the login page's rate, p99 ≤ 300 ms at 50 connections, p95 ≤ 15 ms at 1 connection,
≤ 4 queries per keystroke; case file ≥ 80 req/s at 50 connections, p95 ≤ 40 ms at 1 connection;
no errors; every search that showed people logged.
"""

# ruff: noqa: E402  (the standard library is imported after the import path is set right)
from __future__ import annotations

import sys
from pathlib import Path

# This file is named like the standard library's `http`: the script's own folder goes to the end
# of the import path, so that `http.cookiejar` and `urllib.request` find the standard one.
_BENCH = str(Path(__file__).resolve().parent)
sys.path[:] = [p for p in sys.path if p and str(Path(p).resolve()) != _BENCH]
sys.path.append(_BENCH)

import http.cookiejar
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import counter

PORT = int(os.environ.get("BENCH_PORT", "8099"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
THREADS = int(os.environ.get("BENCH_THREADS", "1"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "15"))
CONNECTIONS = [int(c) for c in os.environ.get("BENCH_CONNECTIONS", "1,50").split(",")]
PASSWORD = "bench-http-password-2026"
BASE = f"http://127.0.0.1:{PORT}"

WRK_SCRIPT = """
local paths = {}
for line in io.lines("%(paths)s") do paths[#paths + 1] = line end
local i = 0
%(headers)s
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
local failed = 0
response = function(status, headers, body)
  if status >= 400 then failed = failed + 1 end
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %%d, "seconds": %%.3f, "socket_errors": %%d, "status_errors": %%d, "p50": %%.3f, "p95": %%.3f, "p99": %%.3f}\\n',
    summary.requests, summary.duration / 1e6, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


def server_env() -> dict:
    return {
        **os.environ,
        "DATABASE_URL": counter.BENCH_URL,
        "DEBUG": "0",
        "HTTPS": "0",
        "SECRET_KEY": "bench-http-secret-key-not-for-production-0123456789abcdef",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CELERY_BROKER_URL": "",
        "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/3"),
        "LOG_LEVEL": "WARNING",
    }


ACCESS_LOG = Path(tempfile.gettempdir()) / f"bench-http-access-{PORT}.log"


def searches_answered() -> int:
    """Searches gunicorn answered with 200, by its own access log (a request wrk gave up on at the
    end of a run is still answered, and logged by the application)."""
    if not ACCESS_LOG.exists():
        return 0
    pattern = re.compile(r'"GET /cases/\?q=\S* HTTP/1\.1" 200 ')
    with ACCESS_LOG.open(encoding="utf-8", errors="replace") as log:
        return sum(1 for line in log if pattern.search(line))


def start_server() -> subprocess.Popen:
    ACCESS_LOG.unlink(missing_ok=True)
    worker = ["--worker-class", "gthread", "--threads", str(THREADS)] if THREADS > 1 else []
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "onewindow.wsgi", "--bind", f"127.0.0.1:{PORT}",
         "--workers", str(WORKERS), *worker, "--preload", "--log-level", "warning",
         "--backlog", "2048", "--access-logfile", str(ACCESS_LOG)],
        cwd=ROOT, env=server_env(), start_new_session=True,
    )  # fmt: skip
    for _ in range(200):
        try:
            urllib.request.urlopen(f"{BASE}/login/", timeout=1).read()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("gunicorn не запустился")


def stop_server(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def sign_in(username: str) -> str:
    """The session cookie of a real sign-in through the login form (CSRF and all)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{BASE}/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode(
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(
        f"{BASE}/login/", data=body, headers={"Referer": f"{BASE}/login/"}
    )
    opener.open(request).read()
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        raise SystemExit("вход специалиста не удался")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def committed() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()"
        )
        return cursor.fetchone()[0]


def settle_stats() -> None:
    """pg_stat_database is updated by the backends when they are idle: give them a moment."""
    time.sleep(1.2)


def wrk(
    paths: list[str], connections: int, headers: dict[str, str], *, seconds: int = SECONDS
) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="bench-http-"))
    try:
        (folder / "paths.txt").write_text("\n".join(paths) + "\n")
        lines = "\n".join(f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items())
        script = folder / "mix.lua"
        script.write_text(WRK_SCRIPT % {"paths": folder / "paths.txt", "headers": lines})
        threads = min(connections, 2)
        output = subprocess.run(
            ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s",
             "--timeout", "10s", "-s", str(script), BASE],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    result = json.loads(output.split("RESULT ", 1)[1].splitlines()[0])
    result["rps"] = result["requests"] / result["seconds"]
    result["errors"] = result["socket_errors"] + result["status_errors"]
    return result


def in_process(
    paths: list[str], username: str, headers: dict[str, str], samples: int = 200
) -> dict:
    """The same requests through Django in this process (no server, no network)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from onewindow.models import User

    client = Client(**{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()})
    if username:
        client.force_login(User.objects.get(username=username))
    times, queries = [], []
    for i in range(samples):
        path = paths[i % len(paths)]
        with CaptureQueriesContext(connection) as seen:
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        queries.append(len(seen.captured_queries))
    times.sort()
    return {"p50": statistics.median(times), "p95": times[int(len(times) * 0.95) - 1],
            "queries": statistics.median(queries)}  # fmt: skip


def search_mix(office, count: int = 400) -> list[str]:
    """Queries a person at the counter types, each finding people: СНИЛС as printed,
    «Фамилия И.О.», the first letters of a surname, a case-file number."""
    from cases.models import Applicant, CaseFile

    rnd = random.Random(21)
    max_id = (
        Applicant.objects.filter(office=office).order_by("-pk").values_list("pk", flat=True).first()
    )
    ids = rnd.sample(range(1, max_id + 1), count * 2)
    people = list(
        Applicant.objects.filter(office=office, pk__in=ids).exclude(snils="")
        .values("id", "snils", "last_name", "initials")[:count]
    )  # fmt: skip
    files = dict(
        CaseFile.objects.filter(applicant_id__in=[p["id"] for p in people]).values_list(
            "applicant_id", "number"
        )
    )
    queries = []
    for n, p in enumerate(people):
        kind = n % 4
        if kind == 0:
            s = p["snils"]
            queries.append(f"{s[:3]}-{s[3:6]}-{s[6:9]} {s[9:]}")
        elif kind == 1 and len(p["initials"]) == 2:
            queries.append(
                f"{p['last_name']} {p['initials'][0].upper()}.{p['initials'][1].upper()}."
            )
        elif kind == 2:
            queries.append(p["last_name"][: rnd.randrange(4, 7)])
        elif p["id"] in files:
            queries.append(f"ЛД-{files[p['id']]:06d}")
        else:
            queries.append(p["last_name"])
    return [f"/cases/?q={urllib.parse.quote(q)}" for q in queries]


def case_file_paths(office, count: int = 200) -> list[str]:
    from django.db.models import Count

    from cases.models import CaseFile

    files = (
        CaseFile.objects.filter(office=office)
        .annotate(n=Count("applications"))
        .filter(n__gte=2)
        .order_by("pk")
        .values_list("pk", flat=True)[:count]
    )
    return [f"/cases/files/{pk}/" for pk in files]


def receipt_paths(office, count: int = 50) -> list[str]:
    from cases.models import Application

    ids = (
        Application.objects.filter(office=office)
        .order_by("pk")
        .values_list("pk", flat=True)[:count]
    )
    return [f"/cases/applications/{pk}/receipt.pdf" for pk in ids]


def main() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("нужен wrk: make bench-http ставит его сам (пакет Debian wrk)")
    os.environ.update(
        {
            k: v
            for k, v in server_env().items()
            if k in ("DEBUG", "HTTPS", "SECRET_KEY", "ALLOWED_HOSTS", "CACHE_URL")
        }
    )
    counter.ensure_database()
    import django

    django.setup()
    import io

    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]  # the in-process client's «testserver»

    from django.core.management import call_command

    from onewindow.models import AccessLog, Office

    call_command("migrate", verbosity=0)
    call_command("load_catalogue", stdout=io.StringIO())
    office, _ = Office.objects.get_or_create(
        code="bench", defaults={"name": "ГКУ «ЦСЗН (бенчмарк)»", "short_name": "ЦСЗН (бенчмарк)"}
    )
    specialist = counter.bench_specialist(office)
    specialist.set_password(PASSWORD)
    specialist.save(update_fields=["password"])
    print(f"База: {counter.BENCH_URL}; заявителей {counter.N_APPLICANTS}")
    counter.fill(office, specialist)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")

    searches, files, receipts = search_mix(office), case_file_paths(office), receipt_paths(office)
    print(
        f"gunicorn: {WORKERS} процесс(а), потоков {THREADS}; по {SECONDS} с на замер; wrk, соединений {CONNECTIONS}"
    )
    server = start_server()
    try:
        cookie = sign_in(specialist.username)
        htmx = {"Cookie": cookie, "HX-Request": "true"}
        plain = {"Cookie": cookie}
        cases = [
            ("страница входа (аноним)", ["/login/"], {}, ""),
            ("поиск по мере набора (htmx)", searches, htmx, specialist.username),
            ("личное дело", files, plain, specialist.username),
            ("расписка PDF", receipts, plain, specialist.username),
        ]
        for _, paths, headers, _ in cases:  # every worker's imports, caches and templates
            wrk(paths, 4, headers, seconds=2)
        results = {}
        logged_before = AccessLog.objects.filter(event="search", user=specialist).count()
        answered_before = searches_answered()
        for title, paths, headers, _user in cases:
            for connections in CONNECTIONS:
                settle_stats()
                before = committed()
                result = wrk(paths, connections, headers)
                settle_stats()
                result["db_per_request"] = (committed() - before) / max(result["requests"], 1)
                results[(title, connections)] = result
        settle_stats()
        logged = AccessLog.objects.filter(event="search", user=specialist).count() - logged_before
        searches_served = searches_answered() - answered_before
    finally:
        stop_server(server)

    local = {}
    for title, paths, headers, user in cases:
        local[title] = in_process(paths, user, {k: v for k, v in headers.items() if k != "Cookie"},
                                  samples=40 if "PDF" in title else 200)  # fmt: skip

    print(
        f"\n{'запрос':<30} {'соед.':>5} {'запр/с':>8} {'p50 мс':>8} {'p95 мс':>8} {'p99 мс':>8} {'ошибок':>7} {'БД/запр':>8}"
    )
    for (title, connections), r in results.items():
        print(
            f"{title:<30} {connections:>5} {r['rps']:8.1f} {r['p50']:8.1f} {r['p95']:8.1f} {r['p99']:8.1f} {r['errors']:>7} {r['db_per_request']:8.2f}"
        )
    print(
        f"\n{'в процессе (тот же запрос)':<30} {'p50 мс':>8} {'p95 мс':>8} {'SQL/запр':>9} {'HTTP p50 / в процессе':>22}"
    )
    for title, _, _, _ in cases:
        one = results[(title, CONNECTIONS[0])]
        print(
            f"{title:<30} {local[title]['p50']:8.1f} {local[title]['p95']:8.1f} {local[title]['queries']:9.0f} {one['p50'] / local[title]['p50']:22.2f}"
        )

    login50 = results[("страница входа (аноним)", CONNECTIONS[-1])]
    search1 = results[("поиск по мере набора (htmx)", CONNECTIONS[0])]
    search50 = results[("поиск по мере набора (htmx)", CONNECTIONS[-1])]
    file1 = results[("личное дело", CONNECTIONS[0])]
    file50 = results[("личное дело", CONNECTIONS[-1])]
    print(
        f"\nЖурнал доступа: поисков обслужено {searches_served}, записей «Поиск заявителя» {logged}"
    )
    checks = [
        ("поиск ≥ 400 запр/с при 50 соединениях", search50["rps"] >= 400, f"{search50['rps']:.0f}"),
        (
            "поиск ≥ 1/3 страницы входа",
            search50["rps"] >= login50["rps"] / 3,
            f"{search50['rps'] / login50['rps']:.2f}",
        ),
        ("поиск p99 ≤ 300 мс при 50", search50["p99"] <= 300, f"{search50['p99']:.0f} мс"),
        ("поиск p95 ≤ 15 мс при 1", search1["p95"] <= 15, f"{search1['p95']:.1f} мс"),
        (
            "≤ 4 SQL на нажатие",
            local["поиск по мере набора (htmx)"]["queries"] <= 4,
            f"{local['поиск по мере набора (htmx)']['queries']:.0f}",
        ),
        ("личное дело ≥ 80 запр/с при 50", file50["rps"] >= 80, f"{file50['rps']:.0f}"),
        ("личное дело p95 ≤ 40 мс при 1", file1["p95"] <= 40, f"{file1['p95']:.1f} мс"),
        (
            "без ошибок",
            all(r["errors"] == 0 for r in results.values()),
            str(sum(r["errors"] for r in results.values())),
        ),
        ("каждый поиск в журнале", logged == searches_served, f"{logged} из {searches_served}"),
    ]
    print("\nЦели:")
    for text, ok, value in checks:
        print(f"  {'да ' if ok else 'НЕТ'} {text}: {value}")


if __name__ == "__main__":
    main()
