"""Fixtures that tests of several apps use (made available everywhere by tests/conftest.py)."""

import datetime

import pytest
from django.utils import timezone

from archive import services
from archive.models import FileIssue, Location, RetentionRule
from cases import services as counter
from cases import transfers
from cases.models import Application
from cases.services import change_entitlement_status, ensure_case_file
from onewindow import roles
from onewindow.assignments import give_assignment
from reconciliation.models import AmbiguousRow, ExtractProfile, ReconciliationRun
from tests.factories import (
    ApplicantFactory,
    ApplicationFactory,
    EntitlementFactory,
    IncomingRequestFactory,
    OutgoingRequestFactory,
    SelectionFactory,
    make_user,
)

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
    measure = EntitlementFactory(
        applicant=person, case_file=case_file, service="asp", start_date=D(2018, 1, 1)
    )
    change_entitlement_status(
        measure, "stopped", actor=archivist, reason="снят с учёта", on=D(2020, 6, 30)
    )
    return case_file


@pytest.fixture
def recipients(office, catalogue, specialist):
    people = {
        "a": ApplicantFactory(office=office, snils="11223344595", last_name="Алексеева", first_name="Анна",
                              middle_name="Петровна", sex="F", birth_date=D(1990, 5, 1)),
        "b": ApplicantFactory(office=office, snils="", last_name="Борисова", first_name="Вера",
                              middle_name="Ивановна", sex="F", birth_date=D(1992, 7, 12)),
        "c": ApplicantFactory(office=office, snils="12345678964", last_name="Сидоров", first_name="Олег",
                              middle_name="", birth_date=D(1950, 1, 2)),
        "d1": ApplicantFactory(office=office, snils="", last_name="Козлова", first_name="Мария",
                               middle_name="Олеговна", sex="F", birth_date=D(1991, 3, 3)),
        "d2": ApplicantFactory(office=office, snils="", last_name="Козлова", first_name="Мария",
                               middle_name="Олеговна", sex="F", birth_date=D(1991, 3, 3)),
        "f": ApplicantFactory(office=office, snils="", last_name="Фёдорова", first_name="Светлана",
                              middle_name="Юрьевна", sex="F", birth_date=D(1988, 8, 8)),
    }  # fmt: skip
    EntitlementFactory(applicant=people["a"], service="unemployed-mothers", actor=specialist)
    # the childcare allowance for the uninsured is retired since 01.01.2023: a measure granted in
    # 2025 is the unemployed mothers' compensation, matched by the same extract profiles
    EntitlementFactory(applicant=people["b"], service="unemployed-mothers", actor=specialist)
    EntitlementFactory(applicant=people["c"], service="food-subsidy", actor=specialist)
    EntitlementFactory(applicant=people["d1"], service="unemployed-mothers", actor=specialist)
    EntitlementFactory(applicant=people["d2"], service="unemployed-mothers", actor=specialist)
    EntitlementFactory(applicant=people["f"], service="unemployed-mothers", actor=specialist)
    return people


@pytest.fixture
def archive_in_every_state(office, archivist, chief, director, specialist, catalogue):
    """Files in the archive, issued (overdue), returned into work; a presence check in progress
    and a finished one; destruction acts in every state."""
    room = Location.objects.create(office=office, kind="room", name="1")
    box = Location.objects.create(office=office, kind="box", name="К-1", parent=room)
    rule = RetentionRule.objects.get(code="benefit-recipient")

    def archived(name, event=None):
        event = event or D(2019, 6, 1)
        case_file = ensure_case_file(
            ApplicantFactory(office=office, snils="", last_name=name),
            actor=archivist,
            on=D(2015, 1, 1),
        )
        return services.register_file(case_file, **{"archive_number": name, "start_date": D(2015, 1, 1),
                                                  "end_date": event, "sheets": 3, "location": box,
                                                  "retention_rule": rule}, actor=archivist)  # fmt: skip

    def act(steps):
        made = services.draft_act(actor=archivist, act_date=timezone.localdate())
        if steps > 0:
            services.agree_act(
                made, actor=chief, protocol_number="4", protocol_date=D(2026, 11, 20)
            )
        if steps > 1:
            services.approve_act(made, actor=director)
        if steps > 2:
            services.execute_act(
                made, actor=archivist, record={"method": "shredding", "volume": "2 кг"}
            )
        return made

    # an act takes every eligible file at its drafting: files are added one act at a time
    for steps, name in [
        (3, "Уничтоженов"),
        (2, "Утверждёнов"),
        (1, "Согласованов"),
        (0, "Проектов"),
    ]:
        archived(name)
        act(steps)
    archived("Хранимов", D(2024, 6, 1))
    issued = archived("Выданов", D(2024, 6, 1))
    issue = services.issue_file(issued, actor=archivist, to_user=specialist, purpose="проверка")
    FileIssue.objects.filter(pk=issue.pk).update(due_back=D(2026, 11, 20))  # overdue
    services.withdraw_file(archived("Вернулов", D(2024, 6, 1)), actor=archivist, reason="заявление")
    services.compile_inventory(actor=archivist, year=2024, group="short")  # a saved опись
    members = [archivist, chief, make_user(roles.SPECIALIST, office, "member3")]
    services.start_check(
        actor=archivist, order_number="1", order_date=D(2026, 11, 2), commission=members
    )
    done = services.start_check(actor=archivist, order_number="2", order_date=D(2026, 11, 3),
                                commission=members)  # fmt: skip
    for item in done.items.select_related("archived_file"):
        services.scan(done, item.archived_file.archive_number, actor=archivist)
    services.finish_check(done, actor=archivist)


@pytest.fixture
def office_at_work(
    office,
    other_office,
    specialist,
    chief,
    other_specialist,
    catalogue,
    archive_in_every_state,
):
    """A working office: applications in every step with their requests, a measure, a decided
    application to notify, requests in and out, selection items and an ambiguous row, a
    case-file transfer asked of this office, and the archive in every state."""
    accepted = ApplicationFactory(actor=specialist, applicant__last_name="Принятова")
    give_assignment(actor=chief, assignee=specialist, text="Проверить комплект документов",
                    days=3, about=accepted)  # fmt: skip
    decided = ApplicationFactory(actor=specialist, applicant__last_name="Решенова")
    for step in ("transfer", "review"):
        counter.transition(decided, step, actor=specialist)
    counter.transition(decided, "grant", actor=chief, override_reason="ответ получен")
    IncomingRequestFactory(actor=specialist, office=office, last_name="Запросова")
    OutgoingRequestFactory(
        actor=specialist, to_office=other_office, applicant__last_name="Исходящева"
    )
    item = SelectionFactory(office=office, assigned_to=specialist, applicant__last_name="Селекцова")
    row = AmbiguousRow.objects.create(
        office=office, run=item.run, row_number=3, step="name_dob",
        data={"name": "Двойникова Анна", "birth_date": "1990-05-01"},
    )  # fmt: skip
    row.candidates.set(
        [ApplicantFactory(office=office, snils="", last_name="Двойникова") for _ in range(2)]
    )
    ApplicantFactory(office=office, snils="12345678964", last_name="Переездова")
    transfers.request_transfer(
        snils="12345678964", stated_name="Переездова Иван Иванович",
        stated_birth_date=datetime.date(1950, 3, 15), reason="переезд", actor=other_specialist,
    )  # fmt: skip
    assert Application.objects.filter(pk__in=[accepted.pk, decided.pk]).count() == 2
    assert ReconciliationRun.objects.exists() and ExtractProfile.objects.exists()
