"""Many records at once for the lists' tests (copies of one registered at the counter)."""

import datetime
import uuid

from cases.models import Application, IncomingRequest, RequestKind
from onewindow.models import Sequence
from services.models import Service
from tests.factories import ApplicantFactory, ApplicationFactory


def many_applications(client, user, office, count: int, *, code="edv-veterans", **fields):
    """`count` applications of today: one registered at the counter, the rest copied from it
    (the journal only reads them). Surnames run Фамилия001, Фамилия002, …"""
    applicant = ApplicantFactory(office=office, last_name="Фамилия000")
    client.force_login(user)
    ApplicationFactory(actor=user, applicant=applicant, service=code)
    first = Application.objects.order_by("pk").last()
    service = Service.objects.get(code=code)
    people = [
        ApplicantFactory(office=office, last_name=f"Фамилия{n:03d}", first_name="Анна")
        for n in range(1, count)
    ]
    start = Application.objects.filter(office=office).order_by("-reg_number")[0].reg_number
    rows = []
    for n, person in enumerate(people, start=1):
        row = Application.objects.get(pk=first.pk)
        row.pk = None
        row.applicant = person
        row.service = service
        row.service_version = (
            first.service_version
            if code == first.service.code
            else service.version_on(first.registered_on)
        )
        row.reg_number = start + n
        row.idempotency_key = uuid.uuid4()
        for name, value in fields.items():
            setattr(row, name, value(n) if callable(value) else value)
        rows.append(row)
    Application.objects.bulk_create(rows)
    # the journal's counter moves past the copies, so the counter can register more after them
    Sequence.objects.filter(office=office, name="application", year=first.reg_year).update(
        last_value=start + len(rows)
    )
    return first.registered_on


def incoming(office, user, count: int, **fields):
    kind = RequestKind.objects.get(code="benefit-info")
    base = datetime.date(2026, 10, 1)
    IncomingRequest.objects.bulk_create(
        [
            IncomingRequest(
                office=office, kind=kind, sender="ГКУ ЦСЗН по г. Волжскому", sender_number=f"12-{n}",
                sender_date=base, received_on=base + datetime.timedelta(days=n % 50),
                subject_name=f"Запросов{n:04d} Иван", question="Сведения о получении ЕДВ",
                **{"due_date": base + datetime.timedelta(days=n % 50 + 7), "assigned_to": user,
                   **{k: v(n) if callable(v) else v for k, v in fields.items()}},
            )
            for n in range(count)
        ]
    )  # fmt: skip
