"""The counter's application form as a person fills it, for the tests whose subject is the form
(posted through the test client). Tests that only need an application use
`tests.factories.ApplicationFactory`."""

import datetime
import uuid

from django.urls import reverse

from services.models import Service
from tests.factories import counter_marks


def checklist_post(service_code: str, day: datetime.date, **overrides) -> dict:
    """The counter's form for the service's version in force on `day`, its checklist marked the
    way a specialist satisfies it (`tests.factories.counter_marks`: what applies brought or
    requested, one document of each «one of» group), 2 sheets a brought document."""
    version = Service.objects.get(code=service_code).version_on(day)
    data = {"idempotency_key": str(uuid.uuid4())}
    for mark in counter_marks(version, sheets=2):
        pk = mark.required_document.pk
        data[f"doc_{pk}_status"] = mark.status
        data[f"doc_{pk}_form"] = mark.required_document.form
        data[f"doc_{pk}_sheets"] = "2"
        if mark.issued_on:
            data[f"doc_{pk}_issued_on"] = mark.issued_on.isoformat()
    if version.requires_consent:
        data["consent_given"] = "on"
    data.update(overrides)
    return data


def rd_of(service_code, day, doc_code):
    version = Service.objects.get(code=service_code).version_on(day)
    return version.documents.get(document_type__code=doc_code)


def register(client, applicant, code="edv-veterans", day=None, **overrides):
    from django.utils import timezone

    day = day or timezone.localdate()
    return client.post(
        reverse("cases:apply_form", args=[applicant.pk, code]),
        checklist_post(code, day, **overrides),
    )


# The applicant's registration form, filled in correctly.
VALID = {
    "snils": "112-233-445 95",
    "last_name": "Иванов",
    "first_name": "Иван",
    "middle_name": "Иванович",
    "sex": "M",
    "birth_date": "1950-03-15",
    "id_doc_type": "passport_rf",
    "id_series": "1804",
    "id_number": "123456",
    "id_issued_by": "ОУФМС",
    "id_issued_date": "2005-04-01",
    "id_unit_code": "340001",
    "reg_address": "г. Волгоград",
}


def post_new(client, **changes):
    return client.post(reverse("cases:applicant_new"), {**VALID, **changes})
