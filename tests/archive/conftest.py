import datetime

import pytest

from archive.models import ArchivedFile, Location, RetentionRule
from cases.models import Entitlement
from cases.services import change_entitlement_status, ensure_case_file
from services.models import Service
from tests.factories import ApplicantFactory

D = datetime.date


@pytest.fixture
def box(office):
    room = Location.objects.create(office=office, kind="room", name="101")
    rack = Location.objects.create(office=office, kind="rack", name="1", parent=room)
    shelf = Location.objects.create(office=office, kind="shelf", name="2", parent=rack)
    return Location.objects.create(office=office, kind="box", name="К-15", parent=shelf, capacity=2)


@pytest.fixture
def closed_file(office, archivist, catalogue):
    person = ApplicantFactory(office=office, snils="", last_name="Архивов")
    case_file = ensure_case_file(person, actor=archivist, on=D(2018, 1, 1))
    measure = Entitlement.objects.create(office=office, applicant=person, case_file=case_file,
                                         service=Service.objects.get(code="asp"), start_date=D(2018, 1, 1))  # fmt: skip
    change_entitlement_status(
        measure, "stopped", actor=archivist, reason="снят с учёта", on=D(2020, 6, 30)
    )
    return case_file


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
