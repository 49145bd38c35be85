"""Role fixtures: a specialist, a chief, an archivist, an admin, a director of one office, and a
specialist of another office (healthchecks' alice/bob/charlie)."""

import datetime
import io
import os

import pytest
import time_machine

from onewindow import roles
from tests.archive.rich_file import rich_file  # noqa: F401  (shared fixtures)
from tests.factories import OfficeFactory, make_user
from tests.fixtures import (  # noqa: F401  (shared by the tests of several apps)
    archive_in_every_state,
    box,
    closed_file,
    office_at_work,
    recipients,
)

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from the test
# body are still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "secret-pass-123"


@pytest.fixture
def office(db):
    return OfficeFactory(
        code="krasnooktyabrsky",
        name="ГКУ «Центр социальной защиты населения по Краснооктябрьскому району Волгограда»",
        short_name="ЦСЗН Краснооктябрьского района",
    )


@pytest.fixture
def other_office(db):
    return OfficeFactory(
        code="tsentralny",
        name="ГКУ «Центр социальной защиты населения по Центральному району Волгограда»",
        short_name="ЦСЗН Центрального района",
    )


@pytest.fixture
def specialist(office):
    return make_user(roles.SPECIALIST, office, "specialist", last_name="Петрова")


@pytest.fixture
def chief(office):
    return make_user(roles.CHIEF, office, "chief", last_name="Смирнова", first_name="Елена")


@pytest.fixture
def archivist(office):
    return make_user(roles.ARCHIVIST, office, "archivist", last_name="Волкова")


@pytest.fixture
def reg_admin(office):
    return make_user(roles.ADMIN, office, "regadmin", last_name="Орлов", first_name="Дмитрий")


@pytest.fixture
def director(office):
    return make_user(roles.DIRECTOR, office, "director", last_name="Сергеева")


@pytest.fixture
def other_specialist(other_office):
    return make_user(roles.SPECIALIST, other_office, "specialist2", last_name="Никитина")


@pytest.fixture
def other_chief(other_office):
    return make_user(roles.CHIEF, other_office, "chief2", last_name="Кузнецова")


@pytest.fixture(autouse=True)
def eager_celery_unless_real_worker(request):
    """Tasks run in-process in tests; only tests marked celery_worker talk to the broker."""
    from onewindow.celery import app

    if request.node.get_closest_marker("celery_worker"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def fresh_calendar_cache():
    """Calendar overrides are cached per process; a rolled-back test must not leak them."""
    from onewindow import workdays

    workdays.clear_cache()
    yield
    workdays.clear_cache()


@pytest.fixture(autouse=True)
def fresh_cache():
    """Django's cache (cached permissions, throttles) starts empty: ids are reused between
    rolled-back tests, and a set cached for one test's user must not reach the next's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(frozen_clock, django_db_setup, django_db_blocker):
    """The shipped catalogue is loaded once into the test database (tests roll back around it)."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("load_catalogue", stdout=io.StringIO())


@pytest.fixture
def catalogue(db):
    """The shipped catalogue; reloaded when a transactional test has flushed the database."""
    from django.core.management import call_command

    from services.models import Service

    if not Service.objects.exists():
        call_command("load_catalogue", stdout=io.StringIO())
    return Service.objects.all()


# The one frozen moment of the suite: Tuesday 24.11.2026, 10:00 in the office's time zone. Every
# clock the code and its libraries read (timezone.now, date.today, time.time, django-axes,
# Celery's eager tasks, file dates) is moved there by time-machine, whatever the machine's date.
FROZEN_AT = datetime.datetime(2026, 11, 24, 10, 0)


def _aware(moment: datetime.datetime) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


@pytest.fixture(scope="session", autouse=True)
def frozen_clock():
    """The session (collection aside) runs at the frozen moment: the catalogue loaded once for
    the test database sees the same day as the tests."""
    with time_machine.travel(_aware(FROZEN_AT), tick=False):
        yield


@pytest.fixture
def freeze_now():
    """Move every clock to another moment for this test: freeze_now(datetime). Time stands
    still there until the next call; the test's end puts the clock back."""
    travels = []

    def freeze(moment: datetime.datetime):
        aware = _aware(moment)
        travel = time_machine.travel(aware, tick=False)
        travel.start()
        travels.append(travel)
        return aware

    yield freeze
    for travel in reversed(travels):
        travel.stop()


@pytest.fixture(autouse=True)
def on_a_working_day(freeze_now):
    """Dates at the counter depend on the production calendar: tests run on Tuesday
    24.11.2026, 10:00, unless they freeze another moment themselves."""
    freeze_now(FROZEN_AT)


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
