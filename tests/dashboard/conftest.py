"""A known office for the dashboard: applications, requests, selection items and archive files
with dates around the frozen day (Tuesday 24.11.2026), the holiday of 04.11 and a transferred
working Saturday (21.11.2026, an override of the production calendar)."""

import datetime

import pytest

from onewindow import roles
from tests.dashboard.builders import NUMBERS, day, make_application, make_incoming, make_selection
from tests.factories import ApplicantFactory, ArchivedFileFactory, make_user


def make_interagency(application, agency, *, due, result="", handled_by=None):
    from cases.models import ApplicationDocument, InteragencyRequest
    from services.models import DocumentType

    document = ApplicationDocument.objects.create(
        application=application, document_type=DocumentType.objects.order_by("pk").first(),
        title=f"Справка № {next(NUMBERS)}", status="requested",
    )  # fmt: skip
    return InteragencyRequest.objects.create(
        office=application.office, application=application, document=document, agency=agency,
        sent_on=application.registered_on, due_date=day(due), result=result,
        response_on=day(due) if result else None, handled_by=handled_by or application.specialist,
    )  # fmt: skip


def make_file(office, archivist, *, number, status="in_archive", eligible_year=2030, hold=False):
    from cases.models import CaseFile

    person = ApplicantFactory(office=office, snils="", last_name="Архивов")
    # numbered by hand as the builders number theirs, so the office's counter cannot collide
    CaseFile.objects.create(
        office=office, applicant=person, number=next(NUMBERS) + 1000, opened_on=day("01.01.2010")
    )  # fmt: skip
    return ArchivedFileFactory(
        actor=archivist, applicant=person, archive_number=number, title=f"Личное дело № {number}",
        start_date=day("01.01.2010"), end_date=day("01.06.2015"), status=status,
        eligible_from=datetime.date(eligible_year, 1, 1), legal_hold=hold,
        legal_hold_reason="запрос суда" if hold else "",
    )  # fmt: skip


def issue(item, user, archivist, *, due):
    from archive.models import FileIssue

    return FileIssue.objects.create(
        office=item.office, archived_file=item, issued_to=user, purpose="работа с делом",
        issued_on=day("20.11.2026"), due_back=day(due), issued_by=archivist,
    )  # fmt: skip


@pytest.fixture
def working_saturday(db):
    """21.11.2026 is a working day by a (made-up, for the test) decree: a transferred Saturday."""
    from onewindow import workdays
    from onewindow.models import CalendarOverride

    CalendarOverride.objects.create(
        date=datetime.date(2026, 11, 21), is_working=True, reason="перенос выходного (тест)"
    )
    workdays.clear_cache()


@pytest.fixture
def colleague(office):
    return make_user(roles.SPECIALIST, office, "colleague", last_name="Иванова", first_name="Мария")


@pytest.fixture
def known_office(office, other_office, specialist, colleague, chief, archivist, other_specialist,
                 catalogue, working_saturday):  # fmt: skip
    """The known data set; returns the records by name for the assertions."""
    from cases.models import Agency

    a = {}
    a["today"] = make_application(office, accepted_by=specialist, last_name="Сегодняшний")
    a["monday_soon"] = make_application(office, code="asp", registered="23.11.2026", deadline="26.11.2026", accepted_by=colleague, last_name="Понедельников")  # fmt: skip
    a["overdue"] = make_application(office, registered="10.11.2026", deadline="20.11.2026", accepted_by=specialist, last_name="Просрочкин")  # fmt: skip
    a["late"] = make_application(office, code="donor-edv", registered="20.10.2026", deadline="10.11.2026", status="granted", decided="12.11.2026", accepted_by=colleague, last_name="Опозданов")  # fmt: skip
    a["in_time"] = make_application(office, code="asp", registered="02.11.2026", deadline="30.11.2026", status="refused", decided="16.11.2026", accepted_by=specialist, last_name="Вовремин")  # fmt: skip
    a["old_overdue"] = make_application(office, registered="15.10.2026", deadline="23.11.2026", accepted_by=colleague, last_name="Старов")  # fmt: skip
    a["saturday_soon"] = make_application(office, registered="21.11.2026", deadline="27.11.2026", accepted_by=specialist, last_name="Субботин")  # fmt: skip
    a["other_office"] = make_application(other_office, accepted_by=other_specialist, last_name="Чужаков")  # fmt: skip
    sfr = Agency.objects.create(name="Отделение СФР (тест)")
    zags = Agency.objects.create(name="ЗАГС (тест)")
    r = {
        "open": make_interagency(a["today"], sfr, due="25.11.2026"),
        "overdue": make_interagency(a["overdue"], sfr, due="20.11.2026"),
        "answered": make_interagency(a["monday_soon"], zags, due="20.11.2026", result="received"),
        "decided": make_interagency(a["late"], zags, due="01.11.2026"),
        "zags_open": make_interagency(a["monday_soon"], zags, due="30.11.2026"),
        "in_open": make_incoming(office, specialist, due="30.11.2026"),
        "in_overdue": make_incoming(office, colleague, due="19.11.2026"),
        "in_answered": make_incoming(office, specialist, due="19.11.2026", answered="18.11.2026"),
        "in_other": make_incoming(other_office, other_specialist, due="19.11.2026"),
    }
    s = {
        "today": make_selection(
            office, created="24.11.2026", user=specialist, last_name="Сегодняшнева"
        ),
        "fri": make_selection(office, created="20.11.2026", user=specialist, last_name="Пятницева"),
        "thu": make_selection(
            office, created="19.11.2026", user=colleague, confirm=True, last_name="Четвергова"
        ),
        "eleventh": make_selection(
            office, created="11.11.2026", user=None, kind="employment", last_name="Одиннадцатова"
        ),
        "tenth": make_selection(office, created="10.11.2026", user=colleague, last_name="Десятова"),
        "worked": make_selection(
            office,
            created="16.11.2026",
            user=specialist,
            status="done",
            worked="23.11.2026",
            last_name="Отработанова",
        ),
        "worked_before": make_selection(
            office,
            created="09.11.2026",
            user=specialist,
            status="done",
            worked="20.11.2026",
            last_name="Раннева",
        ),
        "other": make_selection(
            other_office, created="01.10.2026", user=other_specialist, last_name="Чужова"
        ),
    }
    f = {
        "out_late": make_file(office, archivist, number="1", status="issued"),
        "out": make_file(office, archivist, number="2", status="issued"),
        "missing": make_file(office, archivist, number="3", status="not_found"),
        "eligible": make_file(office, archivist, number="4", eligible_year=2026),
        "eligible_missing": make_file(
            office, archivist, number="5", status="not_found", eligible_year=2026
        ),
        "next_year": make_file(office, archivist, number="6", eligible_year=2027),
        "destroyed": make_file(
            office, archivist, number="7", status="destroyed", eligible_year=2026
        ),
        "held": make_file(office, archivist, number="8", eligible_year=2026, hold=True),
    }
    issue(f["out_late"], specialist, archivist, due="23.11.2026")
    issue(f["out"], colleague, archivist, due="25.11.2026")
    from archive.models import DestructionAct

    acts = {
        status: DestructionAct.objects.create(
            office=office,
            number=number,
            act_date=day("20.11.2026"),
            compiled_by=archivist,
            status=status,
            protocol_number="7" if status == "agreed" else "",
            protocol_date=day("23.11.2026") if status == "agreed" else None,
        )
        for number, status in ((1, "draft"), (2, "agreed"))
    }
    return {
        "acts": acts,
        "applications": a,
        "requests": r,
        "selections": s,
        "files": f,
        "agencies": {"sfr": sfr, "zags": zags},
    }
