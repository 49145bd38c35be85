"""Pre-booking in the queue: slots from the windows, refusals with the reason, the check-in at
the kiosk with the code, and booked tickets called at their time between the out-of-turn ones
and the walk-ins."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.errors import LateForBooking, QueueError
from cases.models import Booking, Ticket, Window
from cases.services import queue
from onewindow.models import AccessLog
from tests.cases.queue_hall import at, build_hall, kiosk_user

pytestmark = pytest.mark.django_db

D = datetime.date
T = datetime.datetime


@pytest.fixture
def hall(office, catalogue):
    return build_hall(office)


@pytest.fixture
def kiosk(office):
    return kiosk_user(office)


def book(hall, actor, group=None, starts_at=None, **kwargs):
    return services.book_slot(
        office=hall.office,
        group=group or hall.children,
        starts_at=starts_at,
        visitor_name=kwargs.pop("visitor_name", "Петрова Анна Сергеевна"),
        visitor_phone=kwargs.pop("visitor_phone", "8 (927) 555-12-34"),
        actor=actor,
        **kwargs,
    )


# --- Slots --------------------------------------------------------------------------------------


def test_slots_fill_the_hours_and_hold_as_many_as_windows_serve_the_group(hall):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)  # Wednesday 25.11
    children = queue.day_slots(hall.office, hall.children, tomorrow)
    # 08:30 … 16:45: every slot starts before the last ticket (16:50)
    assert [f"{s.starts:%H:%M}" for s in children[:2]] == ["08:30", "08:45"]
    assert f"{children[-1].starts:%H:%M}" == "16:45" and len(children) == 34
    assert {s.capacity for s in children} == {2}  # windows 1 and 2 serve А
    veterans = queue.day_slots(hall.office, hall.veterans, tomorrow)
    assert {s.capacity for s in veterans} == {1}  # only window 2 serves Б

    third = Window.objects.create(office=hall.office, number=3)
    third.groups.set([hall.veterans])
    hall.veterans.slot_minutes = 30
    hall.veterans.save()
    veterans = queue.day_slots(hall.office, hall.veterans, tomorrow)
    assert [f"{s.starts:%H:%M}" for s in veterans][-2:] == ["16:00", "16:30"]
    assert len(veterans) == 17 and {s.capacity for s in veterans} == {2}
    # today: only the slots still ahead (it is 10:00)
    assert (
        f"{queue.day_slots(hall.office, hall.children, timezone.localdate())[0].starts:%H:%M}"
        == "10:15"
    )
    # Saturday and a holiday: none
    assert queue.day_slots(hall.office, hall.children, D(2026, 11, 28)) == []
    assert queue.day_slots(hall.office, hall.children, D(2026, 12, 31)) == []


def test_a_booking_takes_a_place_of_its_slot(hall, specialist):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    booking = book(hall, specialist, starts_at=at(tomorrow, 9, 0))
    assert len(booking.code) == 6 and set(booking.code) <= set(queue.BOOKING_CODE_ALPHABET)
    assert booking.visitor_phone == "+7 927 555-12-34" and booking.booked_by == specialist
    assert booking.history.count() == 1 and booking.history.get().history_user == specialist
    slot = next(
        s
        for s in queue.day_slots(hall.office, hall.children, tomorrow)
        if s.starts.hour == 9 and s.starts.minute == 0
    )
    assert (slot.capacity, slot.booked, slot.free) == (2, 1, 1)
    services.cancel_booking(booking, actor=specialist)
    slot = next(
        s
        for s in queue.day_slots(hall.office, hall.children, tomorrow)
        if s.starts.hour == 9 and s.starts.minute == 0
    )
    assert slot.free == 2
    with pytest.raises(QueueError, match="уже отменена: отменить нельзя"):
        services.cancel_booking(booking, actor=specialist)


# --- Refusals -----------------------------------------------------------------------------------


def test_a_full_slot_is_refused_with_the_reason(hall, specialist):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    book(hall, specialist, hall.veterans, at(tomorrow, 9, 0))
    with pytest.raises(
        QueueError, match=r"Интервал 25\.11\.2026 09:00 уже занят: записаны все 1"
    ) as refusal:
        book(hall, specialist, hall.veterans, at(tomorrow, 9, 0), visitor_name="Другой")
    assert refusal.value.field == "starts_at"
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    "moment, reason",
    [
        (T(2026, 11, 28, 10, 0), r"28\.11\.2026 приёма нет: выходной или праздничный день"),
        (T(2027, 1, 5, 10, 0), r"05\.01\.2027 приёма нет"),  # the New Year holidays
        (T(2026, 11, 24, 9, 0), r"Время 24\.11\.2026 09:00 уже прошло"),
        (T(2026, 11, 24, 10, 0), r"уже прошло"),  # the very moment
        (T(2026, 11, 25, 16, 50), r"записывают не позже 16:50 \(время последнего талона\)"),
        (T(2026, 11, 25, 8, 0), r"приём с 08:30 до 17:30"),
        (T(2026, 11, 25, 10, 20), r"Запись — на начало интервала: с 08:30 каждые 15 мин"),
        (T(2027, 6, 1, 10, 0), r"не дальше чем на 60 дней вперёд"),
    ],
)
def test_closed_days_past_times_and_hours_are_refused_with_the_reason(
    hall, specialist, moment, reason
):
    with pytest.raises(QueueError, match=reason) as refusal:
        book(hall, specialist, starts_at=timezone.make_aware(moment))
    assert refusal.value.field == "starts_at"
    assert not Booking.objects.exists()


def test_a_shortened_pre_holiday_day_takes_bookings_until_its_last_ticket(
    hall, specialist, freeze_now
):
    freeze_now(T(2026, 11, 2, 9, 0))
    with pytest.raises(
        QueueError, match=r"03\.11\.2026 приём с 08:30 до 16:30; записывают не позже 15:50"
    ):
        book(hall, specialist, starts_at=timezone.make_aware(T(2026, 11, 3, 16, 0)))
    assert (
        f"{queue.day_slots(hall.office, hall.children, D(2026, 11, 3))[-1].starts:%H:%M}" == "15:45"
    )


def test_visitor_name_phone_and_group_are_checked(hall, specialist, other_office):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(QueueError, match="Укажите, кто придёт") as refusal:
        book(hall, specialist, starts_at=at(tomorrow, 9), visitor_name="  ")
    assert refusal.value.field == "visitor_name"
    with pytest.raises(QueueError, match="Телефон: 10 цифр") as refusal:
        book(hall, specialist, starts_at=at(tomorrow, 9), visitor_phone="12-34")
    assert refusal.value.field == "visitor_phone"
    hall.veterans.windows.clear()
    with pytest.raises(QueueError, match="На группу «Ветераны, льготы» здесь не записывают"):
        book(hall, specialist, hall.veterans, at(tomorrow, 9))
    assert not Booking.objects.exists()


# --- Check-in at the kiosk ----------------------------------------------------------------------


def test_check_in_with_the_code_issues_a_ticket_linked_to_the_booking(hall, specialist, kiosk):
    today = timezone.localdate()
    booking = book(hall, specialist, starts_at=at(today, 10, 30))
    typed = booking.code.lower().translate(str.maketrans("авекмнрстх", "abekmhpctx"))
    ticket = services.check_in(office=hall.office, code=f" {typed[:3]}-{typed[3:]} ", actor=kiosk)
    assert ticket.booking == booking and ticket.code == "А-001"
    assert timezone.localtime(ticket.booked_for).strftime("%H:%M") == "10:30"
    booking.refresh_from_db()
    assert booking.status == "checked_in" and booking.checked_in_at is not None
    # a second tap of the same code gives the same ticket
    assert services.check_in(office=hall.office, code=booking.code, actor=kiosk).pk == ticket.pk
    assert Ticket.objects.count() == 1


def test_a_wrong_cancelled_or_other_offices_code_gets_one_neutral_answer(
    hall, specialist, kiosk, other_office
):
    today = timezone.localdate()
    cancelled = book(hall, specialist, starts_at=at(today, 10, 30))
    services.cancel_booking(cancelled, actor=specialist)
    neutral = "Запись с таким кодом не найдена. Проверьте код или возьмите обычный талон."
    for code in ("ХХХХХХ", "", "<script>", cancelled.code):
        with pytest.raises(QueueError) as refusal:
            services.check_in(office=hall.office, code=code, actor=kiosk)
        assert refusal.value.message == neutral
    ours = book(hall, specialist, starts_at=at(today, 10, 45))
    with pytest.raises(QueueError) as refusal:
        services.check_in(office=other_office, code=ours.code, actor=kiosk)
    assert refusal.value.message == neutral
    assert not Ticket.objects.exists()


def test_too_early_says_when_and_too_late_offers_a_walk_in_ticket(
    hall, specialist, kiosk, freeze_now
):
    today = timezone.localdate()
    booking = book(hall, specialist, starts_at=at(today, 11, 0))
    with pytest.raises(QueueError, match=r"Ваша запись — на 11:00\. Отметиться можно с 10:30"):
        services.check_in(office=hall.office, code=booking.code, actor=kiosk)
    tomorrow = book(hall, specialist, starts_at=at(today + datetime.timedelta(days=1), 9, 0))
    with pytest.raises(QueueError, match=r"Ваша запись — на 25\.11\.2026 в 09:00"):
        services.check_in(office=hall.office, code=tomorrow.code, actor=kiosk)
    freeze_now(T(2026, 11, 24, 11, 16))
    with pytest.raises(LateForBooking, match="прошло более 15 минут назад") as late:
        services.check_in(office=hall.office, code=booking.code, actor=kiosk)
    assert late.value.group == hall.children
    assert not Ticket.objects.exists()
    booking.refresh_from_db()
    assert booking.status == "booked"


def test_a_booked_visitor_checks_in_after_the_last_walk_in_ticket(
    hall, specialist, kiosk, freeze_now
):
    today = timezone.localdate()
    booking = book(hall, specialist, starts_at=at(today, 16, 45))
    freeze_now(T(2026, 11, 24, 16, 55))  # walk-in tickets ended at 16:50
    with pytest.raises(QueueError, match="окончена в 16:50"):
        services.issue_ticket(office=hall.office, group=hall.children, actor=kiosk)
    ticket = services.check_in(office=hall.office, code=booking.code, actor=kiosk)
    assert ticket.booking == booking


# --- The order of the call ----------------------------------------------------------------------


def test_priority_then_booked_at_their_time_then_first_come(hall, specialist, kiosk, freeze_now):
    services.take_window(hall.window1, actor=specialist)
    today = timezone.localdate()
    booking = book(hall, specialist, starts_at=at(today, 10, 30))
    first = services.issue_ticket(office=hall.office, group=hall.children, actor=kiosk)  # 10:00
    freeze_now(T(2026, 11, 24, 10, 5))
    second = services.issue_ticket(office=hall.office, group=hall.children, actor=kiosk)
    freeze_now(T(2026, 11, 24, 10, 10))
    booked = services.check_in(office=hall.office, code=booking.code, actor=kiosk)
    third = services.issue_ticket(office=hall.office, group=hall.children, actor=kiosk)

    # 10:10: the booked time has not come (it goes ahead from 10:25) — first come
    called = services.call_next_ticket(hall.window1, actor=specialist)
    assert called.pk == first.pk
    services.finish_ticket(called, hall.window1, actor=specialist)

    freeze_now(T(2026, 11, 24, 10, 20))
    priority = services.issue_ticket(
        office=hall.office, group=hall.children, actor=kiosk, priority_category=hall.disabled
    )
    freeze_now(T(2026, 11, 24, 10, 26))
    assert [t.pk for t in queue.waiting_for(hall.window1)] == [
        priority.pk, booked.pk, second.pk, third.pk,
    ]  # fmt: skip
    order = []
    for _ in range(4):
        ticket = services.call_next_ticket(hall.window1, actor=specialist)
        order.append(ticket.pk)
        services.finish_ticket(ticket, hall.window1, actor=specialist)
    assert order == [priority.pk, booked.pk, second.pk, third.pk]


def test_a_booked_ticket_past_its_grace_waits_as_a_walk_in(hall, specialist, kiosk, freeze_now):
    services.take_window(hall.window1, actor=specialist)
    today = timezone.localdate()
    booking = book(hall, specialist, starts_at=at(today, 10, 15))
    walk_in = services.issue_ticket(office=hall.office, group=hall.children, actor=kiosk)  # 10:00
    freeze_now(T(2026, 11, 24, 10, 5))
    booked = services.check_in(office=hall.office, code=booking.code, actor=kiosk)
    freeze_now(T(2026, 11, 24, 10, 14))  # inside the grace: ahead of the earlier walk-in
    assert [t.pk for t in queue.waiting_for(hall.window1)] == [booked.pk, walk_in.pk]
    freeze_now(T(2026, 11, 24, 10, 31))  # 16 minutes after the slot: by the check-in time
    assert [t.pk for t in queue.waiting_for(hall.window1)] == [walk_in.pk, booked.pk]


# --- Pages --------------------------------------------------------------------------------------


def test_bookings_page_shows_free_slots_and_books_with_the_code(client, hall, specialist):
    client.force_login(specialist)
    page = client.get(reverse("queue:bookings"), {"day": "2026-11-25"}).content.decode()
    assert "Предварительная запись на 25.11.2026" in page
    assert "08:30 <small>своб. 2/2</small>" in page
    response = client.post(
        reverse("queue:bookings"),
        {"group": hall.veterans.pk, "day": "2026-11-25", "time": "09:00",
         "visitor_name": "Иванов Иван", "visitor_phone": "9275551234"},
        follow=True,
    )  # fmt: skip
    booking = Booking.objects.get()
    html = response.content.decode()
    assert f"Код записи: {booking.code}" in html
    assert "09:00 <small>занято</small>" in html  # Б: one window, one place
    assert "Иванов Иван" in html and "+7 927 555-12-34" in html
    log = AccessLog.objects.get(event="view_list", user=specialist)
    assert log.detail == f"показаны: {booking.pk}"


def test_bookings_form_refuses_a_full_slot_and_a_closed_day_at_the_field(client, hall, specialist):
    client.force_login(specialist)
    form = {"group": hall.veterans.pk, "day": "2026-11-25", "time": "09:00",
            "visitor_name": "Иванов Иван", "visitor_phone": "9275551234"}  # fmt: skip
    client.post(reverse("queue:bookings"), form)
    full = client.post(reverse("queue:bookings"), {**form, "visitor_name": "Второй"})
    assert full.status_code == 400
    assert "Интервал 25.11.2026 09:00 уже занят" in full.content.decode()
    closed = client.post(reverse("queue:bookings"), {**form, "day": "2026-11-28"})
    assert closed.status_code == 400
    assert "28.11.2026 приёма нет" in closed.content.decode()
    past = client.post(reverse("queue:bookings"), {**form, "day": "2026-11-24"})
    assert "уже прошло" in past.content.decode()
    bad = client.post(reverse("queue:bookings"), {**form, "time": "девять"})
    assert "Время в виде ЧЧ:ММ." in bad.content.decode()
    assert Booking.objects.count() == 1


def test_cancel_from_the_page_and_another_offices_booking_is_404(
    client, hall, specialist, other_specialist
):
    booking = book(hall, specialist, starts_at=at(D(2026, 11, 25), 9))
    client.force_login(other_specialist)
    assert client.post(reverse("queue:booking_cancel", args=[booking.pk])).status_code == 404
    assert AccessLog.objects.filter(user=other_specialist, result="refused").exists()
    client.force_login(specialist)
    response = client.post(reverse("queue:booking_cancel", args=[booking.pk]), follow=True)
    assert f"Запись {booking.code} (Петрова Анна Сергеевна) отменена." in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == "cancelled"


def test_the_kiosk_checks_in_with_the_code_and_a_wrong_one_is_neutral(
    client, hall, specialist, kiosk
):
    booking = book(hall, specialist, starts_at=at(timezone.localdate(), 10, 30))
    client.force_login(kiosk)
    assert "У меня запись" in client.get(reverse("queue:kiosk")).content.decode()
    page = client.get(reverse("queue:kiosk_booking")).content.decode()
    assert 'data-key="7"' in page and 'data-key="Х"' in page
    wrong = client.post(reverse("queue:kiosk_booking"), {"code": "222222"})
    assert wrong.status_code == 400
    assert "Запись с таким кодом не найдена" in wrong.content.decode()
    assert not Ticket.objects.exists()
    done = client.post(reverse("queue:kiosk_booking"), {"code": booking.code})
    ticket = Ticket.objects.get()
    assert done["Location"] == f"/queue/kiosk/tickets/{ticket.pk}/?print=1"
    shown = client.get(done["Location"]).content.decode()
    assert "По записи на 10:30" in shown and "А-001" in shown


def test_a_late_visitor_is_offered_a_walk_in_ticket_at_the_kiosk(
    client, hall, specialist, kiosk, freeze_now
):
    booking = book(hall, specialist, starts_at=at(timezone.localdate(), 10, 15))
    freeze_now(T(2026, 11, 24, 10, 40))
    client.force_login(kiosk)
    late = client.post(reverse("queue:kiosk_booking"), {"code": booking.code})
    html = late.content.decode()
    assert late.status_code == 409 and "запись уже не действует" in html
    assert "Взять обычный талон: Пособия на детей" in html
    assert not Ticket.objects.exists()


def test_who_opens_the_bookings_page(client, hall, specialist, chief, director, kiosk):
    for user, code in ((specialist, 200), (chief, 200), (director, 403), (kiosk, 403)):
        client.force_login(user)
        assert client.get(reverse("queue:bookings")).status_code == code, user.username
