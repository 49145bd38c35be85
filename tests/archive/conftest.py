import datetime

import pytest

from archive.models import ArchivedFile, Location, RetentionRule
from cases.services import ensure_case_file
from tests.factories import ApplicantFactory

D = datetime.date


@pytest.fixture
def files(office, archivist, catalogue):
    room = Location.objects.create(office=office, kind="room", name="1")
    box = Location.objects.create(office=office, kind="box", name="К-9", parent=room)
    five = RetentionRule.objects.get(code="benefit-recipient")
    forever = RetentionRule.objects.get(code="rehabilitated")

    def make(name, event, rule=five, **extra):
        person = ApplicantFactory(office=office, snils="", last_name=name)
        case_file = ensure_case_file(person, actor=archivist)
        return ArchivedFile.objects.create(
            office=office, case_file=case_file, archive_number=name, nomenclature_index="07-15", year=event.year,
            sheets=5, title=f"Личное дело {name}", start_date=D(2015, 1, 1), end_date=event, event_date=event,
            retention_rule=rule, eligible_from=rule.eligible_from(event), location=box, registered_by=archivist, **extra,
        )  # fmt: skip

    return {
        "old": make("Старов", D(2020, 6, 1)),  # retention ended 2025: eligible from 01.01.2026
        "young": make("Молодов", D(2021, 3, 1)),  # eligible from 01.01.2027
        "forever": make("Вечнов", D(2000, 1, 1), rule=forever),
        "hold": make("Запретов", D(2019, 1, 1), legal_hold=True),
        "issued": make("Выданов", D(2019, 1, 1), status="issued"),
    }
