"""Dashboard benchmark: the chief's dashboard on the counter benchmark's database.

    make bench-dashboard                      # 1,000,000 applicants, 2,000,000 applications
    BENCH_APPLICANTS=100000 make bench-dashboard

On the counter benchmark's database (bench/counter.py fills it with COPY; BENCH_DATABASE_URL),
with open applications, decisions, interagency and incoming requests, selection items and
archive files added in proportion, it measures p50/p95 of the whole dashboard page through the
Django test client (queries, template, charts) against the same aggregates run as raw SQL in the
same run (the SQL the page sent, captured once, replayed on a cursor). Targets: p95 <= 300 ms and
ratio <= 2. Then the monthly report of the previous month (issue 18, item 3) the way the chief
forms it: the form posted through the client (every part's figures computed and stored) and the
report's page that follows (tables and charts), against the report's reads replayed as raw SQL.
Target: <= 2 s.
"""

from __future__ import annotations

import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# bench/http.py is named like the standard library's `http`: this folder goes to the end of
# the import path (Python puts a script's own folder first), so `http` is the standard one.
_BENCH = str(ROOT / "bench")
sys.path[:] = [p for p in sys.path if p and str(Path(p).resolve()) != _BENCH] + [_BENCH]

import counter  # noqa: E402  (the bench database and its fill)

SAMPLES = int(os.environ.get("BENCH_SAMPLES", "60"))
REPORT_SAMPLES = int(os.environ.get("BENCH_REPORT_SAMPLES", "7"))
SHARE = int(os.environ.get("BENCH_DASHBOARD_SHARE", "20"))  # 1 in SHARE applicants has an item


def extra(office, specialist, chief) -> None:
    """Open work and history around today, in proportion to the applicants (idempotent)."""
    from django.db import connection
    from django.utils import timezone

    from archive.models import ArchivedFile
    from reconciliation.models import ExtractProfile, ReconciliationRun, Selection

    if Selection.objects.filter(office=office).exists():
        print("дополнительные данные уже есть")
        return
    started = time.perf_counter()
    today = timezone.localdate()
    with connection.cursor() as cursor:
        # the last 60 days: moved to around today, one in three still open (one per person
        # and service), the rest decided — some after their deadline
        cursor.execute(
            "UPDATE cases_application SET registered_on = %s - (id %% 60)::int, "
            "received_at = (%s - (id %% 60)::int)::timestamp + interval '10 hours', "
            "registered_at = (%s - (id %% 60)::int)::timestamp + interval '10 hours', "
            "deadline = %s - (id %% 60)::int + 14 WHERE id %% 30 = 0",
            [today, today, today, today],
        )
        cursor.execute(
            "UPDATE cases_application SET status = 'accepted' WHERE id IN ("
            " SELECT DISTINCT ON (applicant_id, service_id) id FROM cases_application"
            " WHERE id %% 90 = 0 ORDER BY applicant_id, service_id, id)",
            [],
        )
        cursor.execute(
            "UPDATE cases_application SET decision_date = deadline - 5 + (id %% 9)::int "
            "WHERE status IN ('granted', 'refused', 'notified') AND decision_date IS NULL",
            [],
        )
        print(f"  заявления: открытые и решения за {time.perf_counter() - started:.1f} с")
        profile = ExtractProfile.objects.filter(kind="deaths").first()
        run = ReconciliationRun.objects.create(
            office=office, profile=profile, source=profile.source, kind=profile.kind,
            file_name="bench.csv", file_path="", sha256="0" * 64, status="done",
        )  # fmt: skip
        cursor.execute(
            "INSERT INTO reconciliation_selection (office_id, run_id, applicant_id, kind, source, match, "
            "needs_confirmation, event_date, evidence, suggested_action, services, status, outcome, note, "
            "assigned_to_id, created_at, updated_at, worked_at, worked_by_id) "
            "SELECT office_id, %s, id, 'deaths', 'pfr', 'snils', id %% 17 = 0, NULL, '[]', 'stop', '[\"asp\"]', "
            " CASE WHEN id %% 3 = 0 THEN 'open' ELSE 'done' END, CASE WHEN id %% 3 = 0 THEN '' ELSE 'no_action' END, '', "
            " %s, now() - (id %% 40)::int * interval '1 day', now(), "
            " CASE WHEN id %% 3 = 0 THEN NULL ELSE now() - (id %% 20)::int * interval '1 day' END, %s "
            "FROM cases_applicant WHERE office_id = %s AND id %% %s = 0",
            [run.pk, specialist.pk, specialist.pk, office.pk, SHARE],
        )
        print(f"  селекции: за {time.perf_counter() - started:.1f} с")
        cursor.execute(
            "INSERT INTO cases_agency (name, response_days) VALUES ('СФР (бенчмарк)', 5) "
            "ON CONFLICT (name) DO NOTHING"
        )
        cursor.execute("SELECT id FROM cases_agency WHERE name = 'СФР (бенчмарк)'")
        agency = cursor.fetchone()[0]
        cursor.execute("SELECT id FROM services_documenttype ORDER BY id LIMIT 1")
        doctype = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO cases_applicationdocument (application_id, document_type_id, title, required, "
            'status, form, sheets, copies, quantity, issued_on, original_returned, "order") '
            "SELECT id, %s, 'Справка (бенчмарк)', true, 'requested', '', NULL, 1, 1, NULL, false, 0 "
            "FROM cases_application WHERE office_id = %s AND (status = 'accepted' OR id %% 60 = 0)",
            [doctype, office.pk],
        )
        cursor.execute(
            "INSERT INTO cases_interagencyrequest (office_id, application_id, document_id, agency_id, sent_on, "
            "due_date, result, response_on, response_note, handled_by_id) "
            "SELECT a.office_id, a.id, d.id, %s, a.registered_on, a.registered_on + 7, "
            " CASE WHEN a.status = 'accepted' THEN '' ELSE 'received' END, NULL, '', %s "
            "FROM cases_applicationdocument d JOIN cases_application a ON a.id = d.application_id "
            "WHERE d.title = 'Справка (бенчмарк)'",
            [agency, specialist.pk],
        )
        print(f"  межведомственные запросы: за {time.perf_counter() - started:.1f} с")
        cursor.execute("SELECT id FROM cases_requestkind ORDER BY id LIMIT 1")
        kind = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO cases_incomingrequest (office_id, kind_id, sender, sender_address, sender_number, "
            "sender_date, received_on, subject_name, subject_snils, question, due_date, assigned_to_id, "
            "answer, attachments, answered_on) "
            "SELECT office_id, %s, 'ЦСЗН (бенчмарк)', '', id::text, %s - (id %% 300)::int, %s - (id %% 300)::int, "
            " last_name, '', 'Сведения', %s - (id %% 300)::int + 10, %s, '', '', "
            " CASE WHEN id %% 300 < 20 THEN NULL ELSE %s - (id %% 300)::int + 5 END "
            "FROM cases_applicant WHERE office_id = %s AND id %% %s = 0",
            [kind, today, today, today, specialist.pk, today, office.pk, SHARE * 5],
        )
        from archive.models import Location, RetentionRule

        box, _ = Location.objects.get_or_create(
            office=office, parent=None, name="Бенч", defaults={"kind": "box"}
        )
        rule = RetentionRule.objects.get(code="benefit-recipient")
        if not ArchivedFile.objects.filter(office=office).exists():
            cursor.execute(
                "INSERT INTO archive_archivedfile (office_id, case_file_id, archive_number, nomenclature_index, "
                "year, volumes, sheets, title, start_date, end_date, event_date, retention_rule_id, eligible_from, "
                "location_id, status, legal_hold, legal_hold_reason, last_checked_on, registered_by_id, "
                "registered_at, withdrawn_on, withdrawn_by_id, withdrawal_reason) "
                "SELECT office_id, id, 'Б' || id, '07-15', 2019, 1, 20, 'Личное дело', DATE '2012-01-01', "
                " DATE '2019-12-31', DATE '2019-12-31', %s, make_date(2024 + (id %% 5)::int, 1, 1), %s, "
                " CASE WHEN id %% 97 = 0 THEN 'not_found' ELSE 'in_archive' END, false, '', NULL, %s, now(), NULL, NULL, '' "
                "FROM cases_casefile WHERE office_id = %s AND id %% %s = 0",
                [rule.pk, box.pk, chief.pk, office.pk, SHARE * 2],
            )
        cursor.execute(
            "ANALYZE cases_application; ANALYZE reconciliation_selection; ANALYZE cases_interagencyrequest; "
            "ANALYZE cases_incomingrequest; ANALYZE archive_archivedfile"
        )
    print(f"дополнительные данные за {time.perf_counter() - started:.1f} с")


TABLES = [
    "cases_applicant", "cases_casefile", "cases_application", "cases_applicationdocument",
    "cases_interagencyrequest", "cases_incomingrequest", "reconciliation_selection",
    "archive_archivedfile", "onewindow_assignment",
]  # fmt: skip


def vacuum() -> None:
    """VACUUM (ANALYZE) the tables the dashboard reads, as autovacuum keeps a live database (it is
    off on the bench machine): without the visibility map no index-only scan is possible and a
    freshly filled table reads several times slower than in production."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    print(f"VACUUM (ANALYZE) за {time.perf_counter() - started:.1f} с")


def reads_of(queries: list[dict]) -> list[str]:
    """The reads (the aggregates) of what a request sent; its own writes (the access log, the
    session, the report's row) are not replayed: an INSERT run again would add rows to the
    chained access log."""
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]


def against_raw_sql(request, statements: list[str], samples: int):
    """p50/p95 in ms of `request()` through the client, and of its reads replayed on a cursor,
    taken in turns in the same run."""
    from django.db import connection

    whole, raw = [], []
    for _ in range(samples):
        started = time.perf_counter()
        request()
        whole.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()
        raw.append((time.perf_counter() - started) * 1000)
    return (
        (counter.percentile(whole, 0.5), counter.percentile(whole, 0.95)),
        (counter.percentile(raw, 0.5), counter.percentile(raw, 0.95)),
    )


def main() -> None:
    counter.ensure_database()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from onewindow import roles
    from onewindow.models import Office, User

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    call_command("load_catalogue", stdout=io.StringIO())
    office, _ = Office.objects.get_or_create(
        code="bench", defaults={"name": "ГКУ «ЦСЗН (бенчмарк)»", "short_name": "ЦСЗН (бенчмарк)"}
    )
    specialist = counter.bench_specialist(office)
    chief = counter.bench_user(
        office, "bench-chief", roles.CHIEF, last_name="Главная", first_name="Елена"
    )
    print(
        f"База: {counter.BENCH_URL}; заявителей {counter.N_APPLICANTS}, заявлений {counter.N_APPLICATIONS}"
    )
    counter.fill(office, specialist)
    extra(office, specialist, chief)
    vacuum()
    import gc

    gc.collect()
    gc.freeze()

    client = Client()
    client.force_login(User.objects.get(pk=chief.pk))
    url = "/dashboard/"
    for _ in range(3):  # warm: the calendar, the templates, the connection
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    page_queries = list(captured.captured_queries)  # the next request resets the log
    statements = reads_of(page_queries)

    def one_page():
        assert client.get(url).status_code == 200

    (p50, p95), (r50, r95) = against_raw_sql(one_page, statements, SAMPLES)
    ratio = p95 / r95 if r95 else float("inf")
    print(
        f"\nСводка главного специалиста ({SAMPLES} запросов, {len(statements)} SQL-запросов на страницу):"
    )
    print(f"  страница целиком: p50 {p50:.1f} мс, p95 {p95:.1f} мс")
    print(f"  те же запросы сырым SQL: p50 {r50:.1f} мс, p95 {r95:.1f} мс")
    print(f"  отношение p95: {ratio:.2f}")
    slow = sorted(page_queries, key=lambda q: -float(q["time"]))[:3]
    print(
        "  самые долгие запросы страницы: "
        + "; ".join(f"{float(q['time']) * 1000:.0f} мс" for q in slow)
    )
    ok = p95 <= 300 and ratio <= 2
    print("Цели (p95 ≤ 300 мс, отношение ≤ 2):", "выполнены" if ok else "НЕ выполнены")
    monthly_report(client, office, chief)


def monthly_report(client, office, chief) -> None:
    """The previous month's summary report: formed through the form and shown, as the chief does."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from onewindow import reports
    from onewindow.models import Report

    start, end = reports.previous_month(timezone.localdate())
    form = {
        "kind": reports.SUMMARY,
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "office": str(office.pk),
    }

    def form_and_show():
        response = client.post("/reports/", form)
        assert response.status_code == 302, response.content[:500]
        page = client.get(response["Location"])
        assert page.status_code == 200
        return page

    form_and_show()  # warm
    with CaptureQueriesContext(connection) as captured:
        form_and_show()
    reads = reads_of(captured.captured_queries)
    (p50, p95), (r50, r95) = against_raw_sql(form_and_show, reads, REPORT_SAMPLES)
    Report.objects.filter(formed_by=chief, automatic=False).delete()
    ratio = p95 / r95 if r95 else float("inf")
    print(
        f"\nЕжемесячный сводный отчёт {reports.period_phrase(start, end)} ({REPORT_SAMPLES} раз: "
        f"форма, расчёт всех разделов, страница с диаграммами; {len(reads)} SQL-чтений):"
    )
    print(f"  сформировать и показать: p50 {p50:.0f} мс, p95 {p95:.0f} мс")
    print(f"  те же чтения сырым SQL: p50 {r50:.0f} мс, p95 {r95:.0f} мс")
    print(f"  отношение p95: {ratio:.2f}")
    print("Цель (отчёт ≤ 2 с):", "выполнена" if p95 <= 2000 else "НЕ выполнена")


if __name__ == "__main__":
    main()
