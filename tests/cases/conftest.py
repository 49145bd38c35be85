import datetime

import pytest

from tests.factories import ApplicantFactory


@pytest.fixture
def applicant(office, catalogue):
    return ApplicantFactory(office=office, snils="11223344595")


@pytest.fixture
def other_applicant(other_office, catalogue):
    return ApplicantFactory(
        office=other_office, snils="12345678964", last_name="Сидоров", first_name="Пётр",
        middle_name="Петрович", birth_date=datetime.date(1960, 1, 2),
    )  # fmt: skip


@pytest.fixture
def freeze_now(monkeypatch):
    """Pin "now" for registration dates: freeze_now(datetime)."""
    from django.utils import timezone

    def freeze(moment: datetime.datetime):
        aware = timezone.make_aware(moment) if timezone.is_naive(moment) else moment
        monkeypatch.setattr(timezone, "now", lambda: aware)
        return aware

    return freeze
