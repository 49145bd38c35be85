import datetime

import pytest

from archive.models import Location, RetentionRule
from tests.factories import ArchivedFileFactory

D = datetime.date


@pytest.fixture
def files(office, archivist, catalogue):
    room = Location.objects.create(office=office, kind="room", name="1")
    box = Location.objects.create(office=office, kind="box", name="К-9", parent=room)
    five = RetentionRule.objects.get(code="benefit-recipient")
    forever = RetentionRule.objects.get(code="rehabilitated")

    def make(name, event, rule=five, **extra):
        return ArchivedFileFactory(
            actor=archivist, applicant__last_name=name, archive_number=name, end_date=event,
            retention_rule=rule, location=box, **extra,
        )  # fmt: skip

    return {
        "old": make("Старов", D(2020, 6, 1)),  # retention ended 2025: eligible from 01.01.2026
        "young": make("Молодов", D(2021, 3, 1)),  # eligible from 01.01.2027
        "forever": make("Вечнов", D(2000, 1, 1), rule=forever, start_date=D(1995, 1, 1)),
        "hold": make("Запретов", D(2019, 1, 1), legal_hold=True),
        "issued": make("Выданов", D(2019, 1, 1), status="issued"),
    }
