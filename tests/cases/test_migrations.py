"""The migrations of this change applied to a database that already holds work (CI's database is
empty, an office's is not): who accepted each application, when decided ones are to be
notified, who follows our requests up."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("cases", "0006_namekey_fill")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_existing_applications_and_requests_are_filled_in(catalogue):
    # only the cases migrations go back: the apps it depends on keep their current schema (and
    # the state that describes it, or their newer NOT NULL columns would refuse the old rows)
    old = _migrate(BEFORE + [n for n in _latest() if n[0] in ("onewindow", "services")])
    try:
        Office = old.get_model("onewindow", "Office")
        User = old.get_model("onewindow", "User")
        Applicant = old.get_model("cases", "Applicant")
        CaseFile = old.get_model("cases", "CaseFile")
        Application = old.get_model("cases", "Application")
        Event = old.get_model("cases", "ApplicationEvent")
        Outgoing = old.get_model("cases", "OutgoingRequest")
        RequestKind = old.get_model("cases", "RequestKind")
        Version = old.get_model("services", "ServiceVersion")

        office = Office.objects.create(code="m1", name="ЦСЗН 1", short_name="ЦСЗН 1")
        other = Office.objects.create(code="m2", name="ЦСЗН 2", short_name="ЦСЗН 2")
        accepted, substitute = (
            User.objects.create(username=name, office=office) for name in ("acc", "sub")
        )
        version = Version.objects.filter(service__code="asp").order_by("pk").first()
        now = timezone.now()
        rows = []
        for n, status in enumerate(["accepted", "granted", "refused", "notified"], start=1):
            person = Applicant.objects.create(
                office=office, last_name=f"Миграцев{n}", first_name="Иван", sex="M",
                birth_date=datetime.date(1950, 1, n), name_key=f"миграцев{n} иван",
                last_name_key=f"миграцев{n}",
            )  # fmt: skip
            case_file = CaseFile.objects.create(
                office=office, applicant=person, number=n, opened_on=datetime.date(2026, 11, 2)
            )
            # handed over: the specialist field names the substitute now
            application = Application.objects.create(
                office=office, applicant=person, case_file=case_file, service=version.service,
                service_version=version, status=status, received_at=now, registered_at=now,
                registered_on=datetime.date(2026, 11, 2), reg_year=2026, reg_number=n,
                deadline=datetime.date(2026, 11, 16), specialist=substitute,
                decision_date=datetime.date(2026, 11, 20) if status != "accepted" else None,
            )  # fmt: skip
            Event.objects.create(application=application, actor=accepted, to_status="accepted")
            rows.append(application.pk)
        Outgoing.objects.create(
            office=office, to_office=other, kind=RequestKind.objects.create(code="m", title="М", due_days=3),
            applicant=Applicant.objects.get(last_name="Миграцев1"), question="?",
            sent_on=datetime.date(2026, 11, 20), out_year=2026, out_number=1, created_by=accepted,
        )  # fmt: skip
    finally:
        _migrate(_latest())

    from cases.models import Application, OutgoingRequest

    applications = {a.pk: a for a in Application.objects.filter(pk__in=rows)}
    assert {a.accepted_by.username for a in applications.values()} == {"acc"}
    assert {a.specialist.username for a in applications.values()} == {"sub"}
    due = {a.status: a.notice_due for a in applications.values()}
    # Fri 20.11.2026 + 5 working days
    assert due == {
        "accepted": None, "granted": datetime.date(2026, 11, 27),
        "refused": datetime.date(2026, 11, 27), "notified": None,
    }  # fmt: skip
    request = OutgoingRequest.objects.get(out_number=1, office__code="m1")
    assert request.handled_by.username == "acc"
    assert request.due_date == datetime.date(2026, 11, 25)  # Fri + 3 working days
