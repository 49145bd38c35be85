"""Queue benchmark: a simulated day of the electronic queue on PostgreSQL (issue 23, «Benchmark»).

    make bench-queue
    BENCH_QUEUE_TICKETS=1500 BENCH_QUEUE_DAY_SECONDS=180 make bench-queue

On a separate database (BENCH_DATABASE_URL, the same as the other benchmarks) an office with
30 windows and four service groups lives through one working day (09:00–18:00, the last ticket
at 17:20) compressed into BENCH_QUEUE_DAY_SECONDS of real time. The clock every service reads
(`django.utils.timezone.now`) runs that much faster, so the tickets' moments are the simulated
ones. A kiosk thread issues 1,500 tickets through `issue_ticket` at random moments of the day;
30 window threads (each its own database connection, each a specialist at their window) loop
`call_next_ticket` → `start_ticket` → `finish_ticket` (1 in 20 visitors does not come:
`mark_no_show`), a visit lasting 8 simulated minutes on average; 10 display threads refresh the
hall display as its view does (`display_board` and the board's template partial) every 2
simulated seconds, but not more often than every BENCH_QUEUE_POLL_FLOOR_MS of real time
(the 2 s of a display at this speed would be a few milliseconds).

The baseline, in the same run, is the same day on a second office with the same threads doing
the bare SQL: `SELECT … FOR UPDATE SKIP LOCKED LIMIT 1` + `UPDATE` for the call, and the board's
four reads as raw SQL for a refresh. Printed: p50/p95 of «call next» and of a display refresh,
the ratios, tickets called twice (from the windows' own lists and from the database: the
ticket's `call_count` and its history, each ticket called once by one window) and the targets
(p95 ≤ 50 ms for both; zero double calls). Then the day's wait statistics and the queue report
of a month of the office (22 days of such tickets) computed in PostgreSQL and in Python.
"""

from __future__ import annotations

import datetime
import io
import multiprocessing
import os
import pickle
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# bench/http.py is named like the standard library's `http`: this folder goes to the end of
# the import path (Python puts a script's own folder first), so `http` is the standard one.
_BENCH = str(ROOT / "bench")
sys.path[:] = [p for p in sys.path if p and str(Path(p).resolve()) != _BENCH] + [_BENCH]

import counter  # noqa: E402  (the bench database)

TICKETS = int(os.environ.get("BENCH_QUEUE_TICKETS", "1500"))
WINDOWS = int(os.environ.get("BENCH_QUEUE_WINDOWS", "30"))
DISPLAYS = int(os.environ.get("BENCH_QUEUE_DISPLAYS", "10"))
DAY_SECONDS = float(os.environ.get("BENCH_QUEUE_DAY_SECONDS", "180"))
# a real display refreshes every 2 s (10 displays: 5 a second); at the day's speed 2 simulated
# seconds are milliseconds, so a display refreshes at most every POLL_FLOOR_MS of real time
POLL_FLOOR_MS = float(os.environ.get("BENCH_QUEUE_POLL_FLOOR_MS", "500"))
# a specialist with nobody waiting looks again after a simulated minute, at most twice a second
IDLE_FLOOR_MS = float(os.environ.get("BENCH_QUEUE_IDLE_FLOOR_MS", "500"))
MONTH_DAYS = int(os.environ.get("BENCH_QUEUE_MONTH_DAYS", "22"))
# each window, display and the kiosk a process of its own (as gunicorn's workers are), or all of
# them threads of this one process (where they queue on the interpreter lock)
PROCESSES = os.environ.get("BENCH_QUEUE_WORKERS", "processes") != "threads"
FORK = multiprocessing.get_context("fork")
SEED = 23

OPENS, CLOSES, LAST_TICKET_MINUTES = datetime.time(9), datetime.time(18), 40
POLL_SIM_SECONDS = 2.0
VISIT_MINUTES = 7.0  # on average, after a minute to come up to the window
NO_SHOW_SHARE = 0.05
GROUPS = [("А", "Пособия на детей", 40), ("Б", "Ветераны, льготы", 35),
          ("В", "Справки и удостоверения", 15), ("Г", "Выдача документов, архив", 10)]  # fmt: skip
TARGET_MS = 50.0


class SimClock:
    """The simulated day's clock: stands at the opening until started, then runs `speed` times
    faster than the real one."""

    def __init__(self, start: datetime.datetime, speed: float):
        self.start, self.speed = start, speed
        self.real_start: float | None = None
        # a backlog served after closing stays on the same day (the windows are held for it)
        self.last = start.replace(hour=23, minute=59, second=59)

    def run(self) -> None:
        self.real_start = time.perf_counter()

    def now(self) -> datetime.datetime:
        if self.real_start is None:
            return self.start
        elapsed = (time.perf_counter() - self.real_start) * self.speed
        return min(self.last, self.start + datetime.timedelta(seconds=elapsed))

    def sleep(self, sim_seconds: float) -> None:
        time.sleep(max(0.0, sim_seconds / self.speed))

    def sleep_until(self, moment: datetime.datetime) -> None:
        self.sleep((moment - self.now()).total_seconds())


def percentile(values: list[float], q: float) -> float:
    return counter.percentile(values, q) if values else float("nan")


def bench_day(real_today: datetime.date) -> datetime.date:
    from onewindow import workdays

    day = real_today
    while not workdays.is_working_day(day) or workdays.is_pre_holiday(day):
        day -= datetime.timedelta(days=1)
    return day


def setup_office(code: str, name: str, day: datetime.date):
    """The office, its hours, 30 windows (each serving two groups) and their specialists, a
    kiosk account; the day's tickets of an earlier run removed."""
    from django.contrib.auth.models import Group

    from cases.models import OpeningHours, ServiceGroup, Ticket, Window
    from onewindow import roles
    from onewindow.models import Office, User

    office, _ = Office.objects.get_or_create(
        code=code, defaults={"name": f"ГКУ «ЦСЗН ({name})»", "short_name": f"ЦСЗН ({name})"}
    )
    Ticket.history.filter(office_id=office.pk, day=day).delete()
    Ticket.objects.filter(office=office, day=day).delete()
    groups = []
    for order, (letter, title, _) in enumerate(GROUPS, start=1):
        group, _ = ServiceGroup.objects.get_or_create(
            letter=letter, defaults={"title": title, "order": order * 10}
        )
        groups.append(group)
    for weekday in range(7):
        OpeningHours.objects.update_or_create(
            office=office, weekday=weekday,
            defaults={"opens_at": OPENS, "closes_at": CLOSES, "last_ticket_minutes": LAST_TICKET_MINUTES},
        )  # fmt: skip
    specialist_role = Group.objects.get(name=roles.SPECIALIST)
    pairs = []
    for number in range(1, WINDOWS + 1):
        window, _ = Window.objects.get_or_create(office=office, number=number)
        window.specialist, window.specialist_on = None, None
        window.save()
        window.groups.set([groups[number % 4], groups[(number + 1) % 4]])
        user, _ = User.objects.get_or_create(
            username=f"{code}-window-{number:02d}",
            defaults={"office": office, "last_name": "Окно", "first_name": str(number)},
        )
        user.groups.add(specialist_role)
        pairs.append((window, User.objects.get(pk=user.pk)))
    kiosk = counter.bench_user(office, f"{code}-kiosk", roles.KIOSK, last_name="Киоск")
    return office, groups, pairs, kiosk


def arrivals(day: datetime.date, groups) -> list[tuple[datetime.datetime, object, bool]]:
    from django.utils import timezone

    rnd = random.Random(SEED)
    opens = timezone.make_aware(datetime.datetime.combine(day, OPENS))
    last = timezone.make_aware(datetime.datetime.combine(day, CLOSES)) - datetime.timedelta(
        minutes=LAST_TICKET_MINUTES + 1
    )
    span = (last - opens).total_seconds()
    weights = [share for _, _, share in GROUPS]
    moments = sorted(
        opens + datetime.timedelta(seconds=rnd.random() * span) for _ in range(TICKETS)
    )
    return [(m, rnd.choices(groups, weights)[0], rnd.random() < 0.03) for m in moments]


# --- The threads --------------------------------------------------------------------------------


class Run:
    """One simulated day: the threads, their timings and what each window called."""

    def __init__(self, clock: SimClock, office, pairs, kiosk, plan, *, raw: bool):
        self.clock, self.office, self.pairs, self.kiosk, self.plan = (
            clock,
            office,
            pairs,
            kiosk,
            plan,
        )
        self.raw = raw
        self.lock = threading.Lock()
        self.calls: list[float] = []
        self.empty_calls: list[float] = []
        self.refreshes: list[float] = []
        self.board_data: list[float] = []
        self.called_by: dict[int, list[int]] = {}
        events = FORK if PROCESSES else threading
        self.kiosk_done = events.Event()
        self.stop = events.Event()
        self.errors: list[str] = []
        self.outbox = Path(tempfile.mkdtemp(prefix="bench-queue-"))

    FIGURES = ("calls", "empty_calls", "refreshes", "board_data", "called_by", "errors")

    def guarded(self, target, *args):
        """A worker: a process forked from this one (its own connection, its own interpreter
        lock), which leaves its figures in a file of the outbox when it ends; or a thread."""
        from django.db import connection

        def body():
            try:
                target(*args)
            except Exception as exc:  # a worker's failure is told, not swallowed
                with self.lock:
                    self.errors.append(f"{target.__name__}: {exc!r}")
                self.stop.set()
            finally:
                connection.close()
                if PROCESSES:
                    figures = {name: getattr(self, name) for name in self.FIGURES}
                    (self.outbox / f"{os.getpid()}.pickle").write_bytes(pickle.dumps(figures))

        if PROCESSES:
            return FORK.Process(target=body, daemon=True)
        return threading.Thread(target=body, daemon=True)

    def gather(self) -> None:
        """The processes' figures, put together in this one."""
        for path in sorted(self.outbox.glob("*.pickle")):
            figures = pickle.loads(path.read_bytes())
            for name in ("calls", "empty_calls", "refreshes", "board_data", "errors"):
                getattr(self, name).extend(figures[name])
            for window, tickets in figures["called_by"].items():
                self.called_by.setdefault(window, []).extend(tickets)
            path.unlink()
        self.outbox.rmdir()

    def kiosk_loop(self):
        from cases.services import queue

        category = self.priority_category()
        for moment, group, priority in self.plan:
            if self.stop.is_set():
                break
            self.clock.sleep_until(moment)
            queue.issue_ticket(
                office=self.office, group=group, actor=self.kiosk,
                priority_category=category if priority else None, now=moment,
            )  # fmt: skip
        self.kiosk_done.set()

    def priority_category(self):
        from cases.models import PriorityCategory

        category, _ = PriorityCategory.objects.get_or_create(title="Инвалиды I и II групп")
        return category

    def window_loop(self, window, user, seed: int):
        from cases.errors import QueueError

        rnd = random.Random(seed)
        mine = self.called_by.setdefault(window.pk, [])
        groups = list(window.groups.values_list("pk", flat=True))
        while not self.stop.is_set():
            started = time.perf_counter()
            try:
                ticket_id = self.call_next(window, user, groups)
            except QueueError:
                ticket_id = None
            elapsed = (time.perf_counter() - started) * 1000
            if ticket_id is None:
                with self.lock:
                    self.empty_calls.append(elapsed)
                if self.kiosk_done.is_set():
                    return
                time.sleep(max(60 / self.clock.speed, IDLE_FLOOR_MS / 1000))
                continue
            with self.lock:
                self.calls.append(elapsed)
            mine.append(ticket_id)
            if rnd.random() < NO_SHOW_SHARE:
                self.clock.sleep(120)
                self.step("no_show", ticket_id, window, user)
                continue
            self.clock.sleep(60)
            self.step("start", ticket_id, window, user)
            self.clock.sleep(60 * min(40.0, max(2.0, rnd.expovariate(1 / VISIT_MINUTES))))
            self.step("finish", ticket_id, window, user)

    def call_next(self, window, user, groups) -> int | None:
        if not self.raw:
            from cases.services import queue

            return queue.call_next_ticket(window, actor=user).pk
        from django.db import connection, transaction

        now = self.clock.now()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM cases_ticket WHERE office_id = %s AND day = %s "
                "AND status = 'waiting' AND (target_window_id = %s OR "
                "(target_window_id IS NULL AND group_id = ANY(%s))) "
                "ORDER BY target_window_id IS NOT NULL DESC, priority_category_id IS NOT NULL DESC, "
                "redirected_at IS NOT NULL DESC, issued_at, id "
                "LIMIT 1 FOR UPDATE SKIP LOCKED",
                [self.office.pk, now.date(), window.pk, groups],
            )
            row = cursor.fetchone()
            if row is None:
                return None
            cursor.execute(
                "UPDATE cases_ticket SET status = 'called', window_id = %s, served_by_id = %s, "
                "target_window_id = NULL, called_at = COALESCE(called_at, %s), "
                "last_called_at = %s, call_count = call_count + 1 WHERE id = %s",
                [window.pk, user.pk, now, now, row[0]],
            )
        return row[0]

    def step(self, action: str, ticket_id: int, window, user) -> None:
        now = self.clock.now()
        if self.raw:
            from django.db import connection

            sql = {
                "no_show": "UPDATE cases_ticket SET status = 'no_show', no_show_at = %s WHERE id = %s",
                "start": "UPDATE cases_ticket SET status = 'serving', started_at = %s WHERE id = %s",
                "finish": "UPDATE cases_ticket SET status = 'done', finished_at = %s WHERE id = %s",
            }[action]
            with connection.cursor() as cursor:
                cursor.execute(sql, [now, ticket_id])
            return
        from cases.models import Ticket
        from cases.services import queue

        ticket = Ticket.objects.get(pk=ticket_id)
        step = {"no_show": queue.mark_no_show, "start": queue.start_ticket,
                "finish": queue.finish_ticket}[action]  # fmt: skip
        step(ticket, window, actor=user)

    def display_loop(self, offset: float):
        from django.template.loader import render_to_string

        from cases.services import queue

        interval = max(POLL_SIM_SECONDS / self.clock.speed, POLL_FLOOR_MS / 1000)
        time.sleep(offset * interval)
        while not self.stop.is_set():
            began = time.perf_counter()
            if self.raw:
                self.raw_board()
                data = time.perf_counter()
            else:
                board = queue.display_board(self.office)
                data = time.perf_counter()
                render_to_string(
                    "cases/queue/display.html#board", {"office": self.office, "board": board}
                )
            done = time.perf_counter()
            with self.lock:
                self.board_data.append((data - began) * 1000)
                self.refreshes.append((done - began) * 1000)
            time.sleep(max(0.0, interval - (done - began)))

    def raw_board(self) -> None:
        from django.db import connection

        day, office = self.clock.now().date(), self.office.pk
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT t.id, t.letter, t.number, w.number FROM cases_ticket t "
                "LEFT JOIN cases_window w ON w.id = t.window_id WHERE t.office_id = %s "
                "AND t.day = %s AND t.status = 'called' ORDER BY t.last_called_at DESC, t.id DESC "
                "LIMIT 8",
                [office, day],
            )
            calling = [row[0] for row in cursor.fetchall()]
            cursor.execute(
                "SELECT t.letter, t.number, w.number FROM cases_ticket t "
                "LEFT JOIN cases_window w ON w.id = t.window_id WHERE t.office_id = %s "
                "AND t.day = %s AND t.last_called_at IS NOT NULL AND t.status <> 'waiting' "
                "AND NOT (t.id = ANY(%s)) ORDER BY t.last_called_at DESC, t.id DESC LIMIT 6",
                [office, day, calling],
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT group_id, count(*) FROM cases_ticket WHERE office_id = %s AND day = %s "
                "AND status = 'waiting' GROUP BY group_id",
                [office, day],
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT max(last_called_at), sum(call_count) FROM cases_ticket "
                "WHERE office_id = %s AND day = %s",
                [office, day],
            )
            cursor.fetchall()

    def go(self) -> float:
        from django.db import connections

        from cases.services import queue

        for window, user in self.pairs:
            queue.take_window(window, actor=user)
        if PROCESSES:
            connections.close_all()  # a forked process opens its own
        threads = [self.guarded(self.kiosk_loop)]
        threads += [
            self.guarded(self.window_loop, window, user, SEED + i)
            for i, (window, user) in enumerate(self.pairs)
        ]
        displays = [self.guarded(self.display_loop, i / DISPLAYS) for i in range(DISPLAYS)]
        started = time.perf_counter()
        self.clock.run()
        for thread in threads + displays:
            thread.start()
        for thread in threads:
            thread.join(timeout=DAY_SECONDS * 4)
        self.stop.set()
        for thread in displays:
            thread.join(timeout=10)
        elapsed = time.perf_counter() - started
        if PROCESSES:
            self.gather()
        return elapsed


def double_calls(run: Run, day: datetime.date) -> dict:
    """Tickets called by more than one window: from the windows' own lists, and from the
    database (a ticket's call count, and its history: more than one «called» state or window)."""
    from django.db import connection

    taken = Counter(pk for pks in run.called_by.values() for pk in pks)
    result = {"threads": sum(1 for n in taken.values() if n > 1), "called": len(taken)}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM cases_ticket WHERE office_id = %s AND day = %s AND call_count > 1",
            [run.office.pk, day],
        )
        result["call_count"] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM (SELECT id FROM cases_historicalticket WHERE office_id = %s "
            "AND day = %s AND status = 'called' GROUP BY id "
            "HAVING count(*) > 1 OR count(DISTINCT window_id) > 1) AS twice",
            [run.office.pk, day],
        )
        result["history"] = cursor.fetchone()[0] if not run.raw else None
        cursor.execute(
            "SELECT status, count(*) FROM cases_ticket WHERE office_id = %s AND day = %s "
            "GROUP BY status",
            [run.office.pk, day],
        )
        result["statuses"] = dict(cursor.fetchall())
    return result


def month_of_tickets(office, day: datetime.date) -> list[datetime.date]:
    """The bench day's tickets copied onto the month's other working days (set-based), for the
    report of a month; returns the days."""
    from django.db import connection

    from onewindow import workdays

    days, current = [], day
    while len(days) < MONTH_DAYS - 1:
        current -= datetime.timedelta(days=1)
        if workdays.is_working_day(current):
            days.append(current)
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM cases_ticket WHERE office_id = %s AND day <> %s", [office.pk, day]
        )
        for other in days:
            shift = day - other
            cursor.execute(
                "INSERT INTO cases_ticket (office_id, day, group_id, letter, number, status, "
                "window_id, served_by_id, issued_at, called_at, last_called_at, call_count, "
                "started_at, finished_at, no_show_at) SELECT office_id, %s, group_id, letter, number, "
                "status, window_id, served_by_id, issued_at - %s, called_at - %s, "
                "last_called_at - %s, call_count, started_at - %s, finished_at - %s, no_show_at - %s "
                "FROM cases_ticket WHERE office_id = %s AND day = %s",
                [other, *[shift] * 6, office.pk, day],
            )
        cursor.execute("ANALYZE cases_ticket")
    return days


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # progress shows when the output is a file
    counter.ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    call_command("load_catalogue", stdout=io.StringIO())

    day = bench_day(timezone.localdate())
    opens = timezone.make_aware(datetime.datetime.combine(day, OPENS))
    closes = timezone.make_aware(datetime.datetime.combine(day, CLOSES))
    speed = (closes - opens).total_seconds() / DAY_SECONDS
    poll_ms = max(POLL_SIM_SECONDS / speed * 1000, POLL_FLOOR_MS)
    print(
        f"База: {counter.BENCH_URL}; день {day:%d.%m.%Y} 09:00–18:00 за {DAY_SECONDS:.0f} с "
        f"(×{speed:.0f}); талонов {TICKETS}, окон {WINDOWS}, табло {DISPLAYS} "
        f"(обновление каждые {POLL_SIM_SECONDS:.0f} с модельного времени, не чаще {poll_ms:.0f} мс)"
    )
    results = {}
    for raw, code, name in [(False, "bench-queue", "очередь"), (True, "bench-queue-sql", "SQL")]:
        clock = SimClock(opens, speed)
        timezone.now = clock.now  # every service reads this clock (not a test: no time-machine)
        office, groups, pairs, kiosk = setup_office(code, name, day)
        run = Run(clock, office, pairs, kiosk, arrivals(day, groups), raw=raw)
        elapsed = run.go()
        if run.errors:
            print("ОШИБКИ потоков:", *run.errors[:5], sep="\n  ")
        results[raw] = (run, elapsed, double_calls(run, day))
        print(f"  {name}: день прошёл за {elapsed:.0f} с, модельное время {clock.now():%H:%M}")

    run, elapsed, twice = results[False]
    base, base_elapsed, base_twice = results[True]
    print(f"\nДень через сервисы: {elapsed:.0f} с; день голым SQL: {base_elapsed:.0f} с")
    print(f"  талоны по состояниям: {twice['statuses']}; вызвано окнами: {twice['called']}")
    rows = [
        ("«Вызвать следующего»", run.calls, base.calls),
        ("Обновление табло (данные + шаблон)", run.refreshes, base.refreshes),
        ("  из них данные табло", run.board_data, base.board_data),
    ]
    print(
        f"\n  {'мс':<36} {'n':>6} {'p50':>7} {'p95':>7} {'SQL p50':>8} {'SQL p95':>8} {'отношение p95':>14}"
    )
    for title, ours, theirs in rows:
        p95, base_p95 = percentile(ours, 0.95), percentile(theirs, 0.95)
        print(
            f"  {title:<36} {len(ours):>6} {statistics.median(ours):7.2f} {p95:7.2f} "
            f"{statistics.median(theirs):8.2f} {base_p95:8.2f} {p95 / base_p95:14.2f}"
        )
    if run.empty_calls:
        print(
            f"  «Никто не ожидает»: {len(run.empty_calls)} нажатий, p95 {percentile(run.empty_calls, 0.95):.2f} мс"
        )
    doubles = max(twice["threads"], twice["call_count"], twice["history"] or 0)
    print(
        f"\nВызваны дважды: по спискам окон {twice['threads']}, по числу вызовов в базе "
        f"{twice['call_count']}, по истории талонов {twice['history']} "
        f"(голый SQL: {base_twice['threads']}, {base_twice['call_count']})"
    )
    call_p95, refresh_p95 = percentile(run.calls, 0.95), percentile(run.refreshes, 0.95)
    checks = [
        (
            f"p95 «Вызвать следующего» ≤ {TARGET_MS:.0f} мс",
            call_p95 <= TARGET_MS,
            f"{call_p95:.1f} мс",
        ),
        (
            f"p95 обновления табло ≤ {TARGET_MS:.0f} мс",
            refresh_p95 <= TARGET_MS,
            f"{refresh_p95:.1f} мс",
        ),
        ("ни один талон не вызван дважды", doubles == 0, str(doubles)),
    ]
    print("\nЦели:")
    for title, met, value in checks:
        print(f"  {title}: {value} — {'выполнена' if met else 'НЕ выполнена'}")

    # the day's wait statistics and the month's report, in the database and in Python
    from cases import queue_stats
    from cases.models import Ticket
    from onewindow.report_parts import Period

    timezone.now = lambda: closes + datetime.timedelta(hours=1)
    figures = queue_stats.wait_figures(Ticket.objects.filter(office=run.office, day=day))[None]
    print(
        f"\nОжидание за модельный день: медиана {figures.median_wait} мин, 90% — {figures.p90_wait} "
        f"мин, в пределах нормы {figures.within_norm_share}%, ушли без обслуживания {figures.left}, "
        f"медиана приёма {figures.median_service} мин"
    )
    days = month_of_tickets(run.office, day)
    period = Period(min(days), day, run.office.pk)
    month = Ticket.objects.filter(period.office_q(), period.dates("day"))
    count = month.count()
    for title, in_database in [("в PostgreSQL (percentile_cont)", True), ("в Python", False)]:
        times = []
        for _ in range(5):
            started = time.perf_counter()
            queue_stats.wait_figures(month, key="group", in_database=in_database)
            queue_stats.wait_figures(month, in_database=in_database)
            times.append((time.perf_counter() - started) * 1000)
        print(
            f"Отчёт «Электронная очередь» за {len(days) + 1} рабочих дней ({count} талонов) {title}: медиана {statistics.median(times):.0f} мс"
        )


if __name__ == "__main__":
    main()
