import datetime

import pytest

from cases.models import Entitlement
from services.models import Service
from tests.factories import ApplicantFactory


def grant(applicant, code, specialist=None):
    from cases.services import ensure_case_file

    case_file = ensure_case_file(applicant, actor=specialist)
    return Entitlement.objects.create(
        office=applicant.office, applicant=applicant, case_file=case_file,
        service=Service.objects.get(code=code), start_date=datetime.date(2025, 1, 1),
    )  # fmt: skip


@pytest.fixture
def recipients(office, catalogue, specialist):
    D = datetime.date
    people = {
        "a": ApplicantFactory(office=office, snils="11223344595", last_name="Алексеева", first_name="Анна",
                              middle_name="Петровна", sex="F", birth_date=D(1990, 5, 1)),
        "b": ApplicantFactory(office=office, snils="", last_name="Борисова", first_name="Вера",
                              middle_name="Ивановна", sex="F", birth_date=D(1992, 7, 12)),
        "c": ApplicantFactory(office=office, snils="12345678964", last_name="Сидоров", first_name="Олег",
                              middle_name="", birth_date=D(1950, 1, 2)),
        "d1": ApplicantFactory(office=office, snils="", last_name="Козлова", first_name="Мария",
                               middle_name="Олеговна", sex="F", birth_date=D(1991, 3, 3)),
        "d2": ApplicantFactory(office=office, snils="", last_name="Козлова", first_name="Мария",
                               middle_name="Олеговна", sex="F", birth_date=D(1991, 3, 3)),
        "f": ApplicantFactory(office=office, snils="", last_name="Фёдорова", first_name="Светлана",
                              middle_name="Юрьевна", sex="F", birth_date=D(1988, 8, 8)),
    }  # fmt: skip
    grant(people["a"], "unemployed-mothers", specialist)
    # the childcare allowance for the uninsured is retired since 01.01.2023: a measure granted in
    # 2025 is the unemployed mothers' compensation, matched by the same extract profiles
    grant(people["b"], "unemployed-mothers", specialist)
    grant(people["c"], "food-subsidy", specialist)
    grant(people["d1"], "unemployed-mothers", specialist)
    grant(people["d2"], "unemployed-mothers", specialist)
    grant(people["f"], "unemployed-mothers", specialist)
    return people


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.RECONCILIATION_INBOX = tmp_path / "inbox"


@pytest.fixture
def another_worker():
    """`with another_worker(run_id):` a live worker of another process holds the run: on
    PostgreSQL its own connection takes the advisory lock (a session's own locks are
    re-entrant), on SQLite its own open file takes the flock."""
    import contextlib

    from django.db import connection

    from reconciliation import liveness

    @contextlib.contextmanager
    def holding(run_id: int):
        if connection.vendor != "postgresql":
            with liveness.hold(run_id) as taken:
                assert taken
                yield
            return
        import psycopg2

        other = psycopg2.connect(**connection.get_connection_params())
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s, %s)", [liveness.NAMESPACE, run_id])
            yield
        finally:
            # released before the session ends: its backend ends a moment after the close, and
            # the test goes on at once (a killed worker's backend is waited for in test_interrupted)
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock_all()")
            other.close()

    return holding
