"""The visitor's name and phone on a booking do not outlive their purpose: they go with the
person's file when a destruction act erases it (rows and history), and every booking loses them
QUEUE_BOOKING_KEEP_DAYS after its day (the nightly task, or `manage.py queue_bookings erase`)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases import services
from cases.models import Booking
from onewindow import erasure
from tests.archive.rich_file import execute_destruction, table_leaks
from tests.cases.queue_hall import at, build_hall

pytestmark = pytest.mark.django_db

ERASED = {"visitor_name": "Обезличено", "visitor_phone": ""}


def book(hall, actor, starts_at, name, phone, applicant=None):
    return services.book_slot(
        office=hall.office, group=hall.children, starts_at=starts_at, visitor_name=name,
        visitor_phone=phone, applicant=applicant, actor=actor,
    )  # fmt: skip


def visitor(booking) -> dict:
    booking.refresh_from_db()
    return {"visitor_name": booking.visitor_name, "visitor_phone": booking.visitor_phone}


def history_values(booking) -> set:
    return set(booking.history.values_list("visitor_name", "visitor_phone"))


# --- With the person's file ------------------------------------------------------------------------


def test_destroying_the_file_erases_the_persons_bookings_and_their_history(
    client, rich_file, office, specialist, archivist, chief, director
):
    person = rich_file["person"]
    hall = build_hall(office)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    linked = book(hall, specialist, at(tomorrow, 9), "Тиховодов Евлампий", "+7 917 555-44-33",
                  applicant=person)  # fmt: skip
    services.cancel_booking(linked, actor=specialist)  # a second history row
    # booked on the phone before anyone linked a card: by the full name, and by the phone alone
    by_name = book(
        hall, specialist, at(tomorrow, 9, 15), "тиховодов евлампий никодимович", "9270000001"
    )
    by_phone = book(hall, specialist, at(tomorrow, 9, 30), "Тиховодова Марфа", "8 (917) 555-44-33")
    # the form asks for the surname and the first name: said either way round, without a patronymic
    short = book(hall, specialist, at(tomorrow, 10), "Евлампий Тиховодов", "9270000002")
    other = book(hall, specialist, at(tomorrow, 9, 45), "Сидоров Пётр", "9275551234")
    assert "cases_booking" in table_leaks() and "cases_historicalbooking" in table_leaks()

    execute_destruction(client, archivist, chief, director)

    assert table_leaks() == {}
    for booking in (linked, by_name, by_phone, short):
        assert visitor(booking) == ERASED
        assert history_values(booking) == {("Обезличено", "")}
    # the booking stays: its day, code, status and the card it was linked to
    assert (linked.status, linked.applicant_id) == ("cancelled", person.pk)
    assert linked.history.count() == 3  # booked, cancelled, erased
    erased = linked.history.order_by("history_date", "history_id").last()
    assert erased.history_user == archivist and erased.history_change_reason.startswith(
        "Уничтожение по акту № "
    )
    # somebody else's booking is not touched
    assert visitor(other) == {"visitor_name": "Сидоров Пётр", "visitor_phone": "+7 927 555-12-34"}


def test_a_person_who_stays_loses_only_this_offices_linked_bookings(
    rich_file, office, other_office, specialist, other_specialist
):
    """Their file of this office goes, they live on elsewhere: bookings of this office linked to
    their card are erased; another office's booking and an unlinked one are kept."""
    from cases.erasure import erase_bookings

    person = rich_file["person"]
    hall = build_hall(office)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    ours = book(hall, specialist, at(tomorrow, 9), "Тиховодов Евлампий", "9175554433", person)
    unlinked = book(hall, specialist, at(tomorrow, 9, 15), "Тиховодов Евлампий", "9175554433")
    theirs = Booking.objects.create(
        office=other_office, group=hall.children, day=tomorrow, starts_at=at(tomorrow, 9),
        visitor_name="Тиховодов Евлампий", visitor_phone="+7 917 555-44-33", applicant=person,
        code="222222", booked_by=other_specialist, booked_at=timezone.now(),
    )  # fmt: skip
    subject = erasure.Subject(
        applicant=person, office=office, case_file_ids=[], anonymise=False, actor=specialist,
        reason="Уничтожение по акту № 1",
    )  # fmt: skip
    erase_bookings([subject])
    assert visitor(ours) == ERASED and history_values(ours) == {("Обезличено", "")}
    assert visitor(unlinked)["visitor_name"] == "Тиховодов Евлампий"
    assert visitor(theirs)["visitor_phone"] == "+7 917 555-44-33"
    assert subject.objects == {"cases.booking": {ours.pk}}
    assert "предварительная запись в очередь: ФИО и телефон посетителя" in subject.categories


def test_bookings_are_declared_to_the_erasure_registry():
    assert "cases.booking" in erasure.covered_models()
    assert "cases.booking" not in erasure.NO_PERSONAL_DATA


# --- The retention -------------------------------------------------------------------------------


@pytest.fixture
def hall(office, catalogue):
    return build_hall(office)


def booked_on(hall, actor, day: datetime.date, freeze_now, name="Петрова Анна", hour=10):
    """A booking of `day` made the working day before (the clock comes back to the frozen
    moment after)."""
    freeze_now(at(day - datetime.timedelta(days=1), 9).replace(tzinfo=None))
    try:
        return book(hall, actor, at(day, hour), name, "9275551234")
    finally:
        freeze_now(datetime.datetime(2026, 11, 24, 10, 0))


def test_the_nightly_task_erases_name_and_phone_of_bookings_past_the_retention(
    hall, specialist, freeze_now, settings
):
    from cases.tasks import erase_past_bookings

    settings.QUEUE_BOOKING_KEEP_DAYS = 30
    old = booked_on(hall, specialist, datetime.date(2026, 10, 23), freeze_now, "Старая Запись")
    services.cancel_booking(old, actor=specialist)
    edge = booked_on(hall, specialist, datetime.date(2026, 10, 26), freeze_now, "Месяц Ровно")
    recent = booked_on(hall, specialist, datetime.date(2026, 11, 20), freeze_now, "Недавняя Запись")
    freeze_now(datetime.datetime(2026, 11, 25, 3, 50))  # the beat's hour; 30 days after 26.10

    assert erase_past_bookings.delay().get() == 1

    assert visitor(old) == ERASED
    assert history_values(old) == {("Обезличено", "")}  # booked, cancelled, erased
    last = old.history.order_by("history_date", "history_id").last()
    assert last.history_user is None and "истёк срок хранения" in last.history_change_reason
    old.refresh_from_db()
    assert (old.status, old.day, old.code) == ("cancelled", datetime.date(2026, 10, 23), old.code)
    assert visitor(edge)["visitor_name"] == "Месяц Ровно"
    assert visitor(recent)["visitor_name"] == "Недавняя Запись"
    # idempotent: a second run (a redelivered task) erases nothing and writes no history
    assert erase_past_bookings.delay().get() == 0
    assert old.history.count() == 3

    # the next night the booking of 26.10 is past 30 days too
    freeze_now(datetime.datetime(2026, 11, 26, 3, 50))
    out = io.StringIO()
    call_command("queue_bookings", "erase", stdout=out)
    assert out.getvalue().strip() == "ФИО и телефон уничтожены в записях старше 30 дн.: 1."
    assert visitor(edge) == ERASED and visitor(recent)["visitor_name"] == "Недавняя Запись"


def test_the_retention_is_a_setting(hall, specialist, freeze_now, settings):
    recent = booked_on(hall, specialist, datetime.date(2026, 11, 20), freeze_now)
    settings.QUEUE_BOOKING_KEEP_DAYS = 3
    assert services.erase_past_bookings() == 1
    assert visitor(recent) == ERASED


def test_the_beat_runs_the_retention_nightly():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["queue-erase-past-bookings"]
    assert entry["task"] == "cases.erase_past_bookings"
    assert entry["schedule"].hour == {3}
