"""A booked visitor who never checks in: past the slot's start and the grace the booking is
«не пришёл» — marked by the periodic task (and by the bookings page before it lists the day),
counted the same by the statistics whether or not the task has run yet."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from cases import queue_stats, services
from cases.errors import LateForBooking
from cases.models import Booking, Ticket
from onewindow.models import Report
from tests.cases.queue_hall import at, build_hall, kiosk_user

pytestmark = pytest.mark.django_db

T = datetime.datetime
TODAY = datetime.date(2026, 11, 24)


@pytest.fixture
def hall(office, catalogue):
    return build_hall(office)


@pytest.fixture
def kiosk(office):
    return kiosk_user(office)


def book(hall, actor, starts_at, group=None, name="Петрова Анна"):
    return services.book_slot(
        office=hall.office, group=group or hall.children, starts_at=starts_at,
        visitor_name=name, visitor_phone="9275551234", actor=actor,
    )  # fmt: skip


def status_of(booking) -> str:
    booking.refresh_from_db()
    return booking.status


def figures(office, day=TODAY):
    return queue_stats.booking_figures(Booking.objects.filter(office=office, day=day))[None]


def test_the_task_marks_a_booking_missed_only_after_the_grace(hall, specialist, freeze_now):
    from cases.tasks import mark_missed_bookings

    booking = book(hall, specialist, at(TODAY, 10, 30))
    later = book(hall, specialist, at(TODAY, 11, 0))
    freeze_now(T(2026, 11, 24, 10, 45))  # the slot's start + 15 minutes: still in time
    assert mark_missed_bookings.delay().get() == 0
    assert status_of(booking) == "booked"

    freeze_now(T(2026, 11, 24, 10, 46))
    assert mark_missed_bookings.delay().get() == 1
    assert (status_of(booking), status_of(later)) == ("no_show", "booked")
    last = booking.history.order_by("history_date", "history_id").last()
    assert last.status == "no_show" and last.history_user is None
    assert last.history_change_reason == (
        "не отметился на киоске в течение 15 мин после начала интервала"
    )
    # idempotent: a second run marks nothing and writes no history
    assert mark_missed_bookings.delay().get() == 0
    assert booking.history.count() == 2


def test_checked_in_and_cancelled_bookings_are_never_missed(hall, specialist, kiosk, freeze_now):
    came = book(hall, specialist, at(TODAY, 10, 15))
    cancelled = book(hall, specialist, at(TODAY, 10, 15))
    services.cancel_booking(cancelled, actor=specialist)
    services.check_in(office=hall.office, code=came.code, actor=kiosk)
    freeze_now(T(2026, 11, 24, 17, 30))  # closing
    assert services.mark_missed_bookings() == 0
    assert (status_of(came), status_of(cancelled)) == ("checked_in", "cancelled")


def test_the_grace_is_the_call_windows(hall, specialist, freeze_now, settings):
    settings.QUEUE_BOOKING_GRACE = 5
    booking = book(hall, specialist, at(TODAY, 10, 30))
    freeze_now(T(2026, 11, 24, 10, 36))
    assert services.mark_missed_bookings() == 1 and status_of(booking) == "no_show"


def test_the_statistics_count_a_missed_booking_before_and_after_the_task(
    hall, specialist, kiosk, freeze_now
):
    missed = book(hall, specialist, at(TODAY, 10, 15))
    came = book(hall, specialist, at(TODAY, 10, 30))
    book(hall, specialist, at(TODAY, 11, 0), hall.veterans)  # still ahead
    gone = book(hall, specialist, at(TODAY, 11, 0))
    services.cancel_booking(gone, actor=specialist)
    freeze_now(T(2026, 11, 24, 10, 25))
    services.check_in(office=hall.office, code=came.code, actor=kiosk)

    freeze_now(T(2026, 11, 24, 10, 31))  # 10:15 + 15 minutes have passed; the task has not run
    before = figures(hall.office)
    assert (before.booked, before.checked_in, before.missed, before.cancelled) == (3, 1, 1, 1)
    assert status_of(missed) == "booked"
    assert services.mark_missed_bookings() == 1
    assert figures(hall.office) == before

    per_group = queue_stats.booking_figures(
        Booking.objects.filter(office=hall.office, day=TODAY), key="group"
    )
    assert (per_group[hall.children.pk].missed, per_group[hall.veterans.pk].missed) == (1, 0)
    # at closing the 11:00 booking nobody came for is missed as well, task or no task
    freeze_now(T(2026, 11, 24, 17, 30))
    assert figures(hall.office).missed == 2


def test_a_visitor_who_comes_after_the_task_is_offered_a_walk_in_ticket(
    client, hall, specialist, kiosk, freeze_now
):
    booking = book(hall, specialist, at(TODAY, 10, 15))
    freeze_now(T(2026, 11, 24, 10, 40))
    services.mark_missed_bookings()
    with pytest.raises(LateForBooking, match=r"Время вашей записи \(10:15\) прошло более 15"):
        services.check_in(office=hall.office, code=booking.code, actor=kiosk)
    client.force_login(kiosk)
    late = client.post(reverse("queue:kiosk_booking"), {"code": booking.code})
    assert late.status_code == 409
    assert "Взять обычный талон: Пособия на детей" in late.content.decode()
    # a booking of a past day: the same, with its date
    freeze_now(T(2026, 11, 25, 9, 0))
    with pytest.raises(LateForBooking, match=r"\(24\.11\.2026 10:15\)"):
        services.check_in(office=hall.office, code=booking.code, actor=kiosk)
    assert not Ticket.objects.exists()


def test_the_bookings_page_shows_a_missed_booking_without_waiting_for_the_task(
    client, hall, specialist, freeze_now
):
    booking = book(hall, specialist, at(TODAY, 10, 15))
    freeze_now(T(2026, 11, 24, 10, 31))
    client.force_login(specialist)
    page = client.get(reverse("queue:bookings"), {"day": "2026-11-24"}).content.decode()
    assert "не пришёл" in page
    assert status_of(booking) == "no_show"


def test_the_queue_report_and_the_dashboard_count_missed_bookings(
    client, hall, specialist, chief, kiosk, freeze_now
):
    came = book(hall, specialist, at(TODAY, 10, 15))
    book(hall, specialist, at(TODAY, 10, 30))  # nobody came
    book(hall, specialist, at(TODAY, 10, 30), hall.veterans)  # nobody came, no ticket of Б
    freeze_now(T(2026, 11, 24, 10, 10))
    services.check_in(office=hall.office, code=came.code, actor=kiosk)
    freeze_now(T(2026, 11, 25, 9, 0))  # the next morning; the task never ran
    client.force_login(chief)

    page = client.get(reverse("dashboard"), {"day": "2026-11-24"}).content.decode()
    start = page.index('id="dash-queue"')
    block = page[start : page.index("</section>", start)]
    assert (
        '<span class="figure-value">2</span> <span class="figure-label">не пришли по записи за 24.11.2026'
        in block
    )

    client.post(
        reverse("reports"),
        {"kind": "queue", "period_start": "24.11.2026", "period_end": "24.11.2026", "office": str(hall.office.pk)},
    )  # fmt: skip
    table = Report.objects.get().data["sections"][0]["tables"][0]
    by_label = {row[0]: row for row in table["rows"]}
    # issued, …, booked, missed: group Б had bookings and no ticket, and still has its row
    assert by_label["А — Пособия на детей"][1] == 1
    assert by_label["А — Пособия на детей"][-2:] == [2, 1]
    assert by_label["Б — Ветераны, льготы"][1] == 0
    assert by_label["Б — Ветераны, льготы"][-2:] == [1, 1]
    assert table["total"][-2:] == [3, 2]


def test_the_command_and_the_beat_mark_missed_bookings(hall, specialist, freeze_now):
    from django.conf import settings

    booking = book(hall, specialist, at(TODAY, 10, 15))
    freeze_now(T(2026, 11, 24, 12, 0))
    out = io.StringIO()
    call_command("queue_bookings", "missed", stdout=out)
    assert out.getvalue().strip() == "Отмечено «не пришёл»: 1."
    assert status_of(booking) == "no_show"
    entry = settings.CELERY_BEAT_SCHEDULE["queue-missed-bookings"]
    assert entry["task"] == "cases.mark_missed_bookings"
    assert entry["schedule"].minute == set(range(0, 60, 5))
