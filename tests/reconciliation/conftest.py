import pytest


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.RECONCILIATION_INBOX = tmp_path / "inbox"


@pytest.fixture
def another_worker():
    """`with another_worker(job_id):` a live worker of another process holds the job (a run's
    job): on PostgreSQL its own connection takes the advisory lock (a session's own locks are
    re-entrant), on SQLite its own open file takes the flock."""
    import contextlib

    from django.db import connection

    from onewindow import jobs, liveness

    @contextlib.contextmanager
    def holding(job_id: int):
        if connection.vendor != "postgresql":
            with liveness.hold(jobs.LOCKS, job_id) as taken:
                assert taken
                yield
            return
        import psycopg2

        other = psycopg2.connect(**connection.get_connection_params())
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s, %s)", [jobs.LOCKS, job_id])
            yield
        finally:
            # released before the session ends: its backend ends a moment after the close, and
            # the test goes on at once (a killed worker's backend is waited for in test_interrupted)
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock_all()")
            other.close()

    return holding
