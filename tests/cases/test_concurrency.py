"""Several counters registering at the same moment, on PostgreSQL with real threads."""

import threading
import uuid

import pytest
from django.db import connection, connections
from django.utils import timezone

from cases import services
from cases.models import Application, CaseFile
from services.models import Service
from tests.factories import ApplicantFactory, counter_marks

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="нужен PostgreSQL: SQLite пишет по одному"
    ),
]


def marks_for(version):
    return counter_marks(version)


def run_in_threads(targets):
    errors = []
    barrier = threading.Barrier(len(targets))

    def wrap(target):
        try:
            barrier.wait()
            target()
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=wrap, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_numbers_have_no_gaps_or_duplicates_under_concurrent_counters(
    office, specialist, catalogue
):
    service = Service.objects.get(code="edv-veterans")
    version = service.version_on(timezone.localdate())
    people = [ApplicantFactory(office=office, snils="", last_name=f"Тестов{i}") for i in range(12)]

    def register(person):
        return lambda: services.register_application(
            person, service, actor=specialist, marks=marks_for(version)
        )

    errors = run_in_threads([register(p) for p in people])
    assert errors == []
    numbers = sorted(Application.objects.values_list("reg_number", flat=True))
    assert numbers == list(range(1, 13))
    files = sorted(CaseFile.objects.values_list("number", flat=True))
    assert files == list(range(1, 13))


def test_two_counters_registering_the_same_person_and_service_write_once(
    office, specialist, chief, catalogue
):
    service = Service.objects.get(code="edv-veterans")
    version = service.version_on(timezone.localdate())
    person = ApplicantFactory(office=office, snils="")

    def register(actor):
        return lambda: services.register_application(
            person, service, actor=actor, marks=marks_for(version), idempotency_key=uuid.uuid4()
        )

    errors = run_in_threads([register(specialist), register(chief)])
    assert Application.objects.count() == 1
    assert CaseFile.objects.count() == 1
    assert len(errors) == 1 and isinstance(errors[0], services.CounterError)
    assert "уже есть незавершённое заявление на эту услугу" in errors[0].message
