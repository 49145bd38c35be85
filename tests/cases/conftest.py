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
