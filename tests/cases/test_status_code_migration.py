"""Migration 0022 on a database that already holds applications: each gets its own status code
from the receipt's alphabet (a callable default on AddField would have given all one code)."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from cases.models import STATUS_CODE_ALPHABET

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("cases", "0020_field_rules")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_applications_registered_before_get_a_code_each(catalogue):
    old = _migrate(BEFORE + [n for n in _latest() if n[0] in ("onewindow", "services")])
    try:
        Office = old.get_model("onewindow", "Office")
        User = old.get_model("onewindow", "User")
        Applicant = old.get_model("cases", "Applicant")
        CaseFile = old.get_model("cases", "CaseFile")
        Application = old.get_model("cases", "Application")
        Version = old.get_model("services", "ServiceVersion")
        assert "status_code" not in {f.name for f in Application._meta.fields}

        office = Office.objects.create(code="k1", name="ЦСЗН К", short_name="ЦСЗН К")
        user = User.objects.create(username="kod", office=office)
        version = Version.objects.filter(service__code="asp").order_by("pk").first()
        now = timezone.now()
        rows = []
        for n in range(1, 6):
            person = Applicant.objects.create(
                office=office, last_name=f"Кодов{n}", first_name="Иван", sex="M",
                birth_date=datetime.date(1950, 1, n), name_key=f"кодов{n} иван",
                last_name_key=f"кодов{n}",
            )  # fmt: skip
            case_file = CaseFile.objects.create(
                office=office, applicant=person, number=n, opened_on=datetime.date(2026, 11, 2)
            )
            rows.append(
                Application.objects.create(
                    office=office, applicant=person, case_file=case_file, service=version.service,
                    service_version=version, received_at=now, registered_at=now,
                    registered_on=datetime.date(2026, 11, 2), reg_year=2026, reg_number=n,
                    deadline=datetime.date(2026, 11, 16), specialist=user, accepted_by=user,
                ).pk
            )  # fmt: skip
    finally:
        _migrate(_latest())

    from cases.models import Application

    codes = list(Application.objects.filter(pk__in=rows).values_list("status_code", flat=True))
    assert len(codes) == 5 and len(set(codes)) == 5
    for code in codes:
        assert len(code) == 8 and set(code) <= set(STATUS_CODE_ALPHABET)
