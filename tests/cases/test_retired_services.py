"""Services that left the regional authority (issue 17): the ОСАГО compensation (paid by the
Pension/Social Fund from 01.01.2022) and the childcare allowance for the uninsured (part of the
federal unified allowance from 01.01.2023) are retired, not deleted."""

import datetime
import io

import pytest
from django.core.management import call_command

from cases import services
from cases.models import Application
from services.models import Service
from tests.factories import counter_marks

pytestmark = pytest.mark.django_db


def _register(applicant, service, version, specialist):
    marks = counter_marks(version)
    return services.register_application(
        applicant, service, actor=specialist, marks=marks, consent_given=True
    )


@pytest.mark.parametrize(
    ("code", "last_day", "title"),
    [
        ("osago-disabled", datetime.date(2021, 12, 31), "Компенсация инвалидам страховой премии по ОСАГО"),
        ("childcare-uninsured", datetime.date(2022, 12, 31), "Пособие по уходу за ребёнком неработающим и уволенным"),
    ],
)  # fmt: skip
def test_a_retired_service_is_refused_after_its_date_and_an_earlier_application_keeps_its_version(
    code, last_day, title, specialist, applicant, freeze_now
):
    service = Service.objects.get(code=code)
    freeze_now(datetime.datetime.combine(last_day - datetime.timedelta(days=7), datetime.time(10)))
    version = service.version_on(last_day)
    accepted = _register(applicant, service, version, specialist)
    assert accepted.service_version == version

    freeze_now(datetime.datetime(2026, 11, 24, 10, 0))
    with pytest.raises(services.CounterError) as refused:
        _register(applicant, service, version, specialist)
    assert refused.value.message == (
        f"Услуга «{title}» не действует на 24.11.2026: заявление по ней принять нельзя."
    )
    assert Application.objects.count() == 1

    # the day after the last day is already refused; loading the catalogue again changes nothing
    freeze_now(datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time(10)))
    with pytest.raises(services.CounterError, match="не действует на"):
        _register(applicant, service, version, specialist)
    call_command("load_catalogue", stdout=io.StringIO())
    accepted.refresh_from_db()
    assert accepted.service_version_id == version.pk
    assert accepted.service_version.effective_to == last_day
    assert accepted.service_version.documents.count() == version.documents.count()
