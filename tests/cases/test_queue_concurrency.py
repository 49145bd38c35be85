"""Windows pressing «Вызвать следующего» at the same moment, on PostgreSQL with real threads."""

import threading

import pytest
from django.db import connection, connections

from cases import services
from cases.errors import QueueError
from cases.models import Ticket
from onewindow import roles
from tests.cases.queue_hall import build_hall, kiosk_user
from tests.factories import make_user

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="нужен PostgreSQL: SQLite пишет по одному"
    ),
]

WINDOWS = 4


def run_together(targets):
    errors = []
    barrier = threading.Barrier(len(targets))

    def wrap(target):
        try:
            barrier.wait()
            target()
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=wrap, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.fixture
def busy_hall(office, catalogue):
    from cases.models import Window

    hall = build_hall(office)
    windows = []
    for number in range(1, WINDOWS + 1):
        window, _ = Window.objects.get_or_create(office=office, number=number)
        window.groups.set([hall.children])
        specialist = make_user(roles.SPECIALIST, office, f"window{number}")
        services.take_window(window, actor=specialist)
        windows.append((window, specialist))
    return hall, windows


def test_windows_pressing_at_once_never_get_the_same_ticket(busy_hall):
    hall, windows = busy_hall
    kiosk = kiosk_user(hall.office)
    for _ in range(WINDOWS):
        services.issue_ticket(office=hall.office, group=hall.children, actor=kiosk)
    called = {}

    def press(window, specialist):
        return lambda: called.setdefault(
            window.number, services.call_next_ticket(window, actor=specialist).pk
        )

    errors = run_together([press(w, s) for w, s in windows])
    assert errors == []
    assert len(called) == WINDOWS and len(set(called.values())) == WINDOWS
    assert set(Ticket.objects.values_list("status", flat=True)) == {"called"}
    assert all(t.call_count == 1 for t in Ticket.objects.all())


def test_a_day_of_calls_from_four_windows_calls_every_ticket_once(busy_hall):
    hall, windows = busy_hall
    kiosk = kiosk_user(hall.office)
    tickets = 40
    for _ in range(tickets):
        services.issue_ticket(office=hall.office, group=hall.children, actor=kiosk)
    served = []

    def work(window, specialist):
        def loop():
            while True:
                try:
                    ticket = services.call_next_ticket(window, actor=specialist)
                except QueueError:
                    return  # nobody waiting any more
                served.append(ticket.pk)
                services.finish_ticket(ticket, window, actor=specialist)

        return loop

    errors = run_together([work(w, s) for w, s in windows])
    assert errors == []
    assert len(served) == tickets and len(set(served)) == tickets
    assert Ticket.objects.filter(status="done", call_count=1).count() == tickets
    # every ticket entered «called» exactly once in its history
    for ticket in Ticket.objects.all():
        states = list(ticket.history.order_by("history_date").values_list("status", flat=True))
        assert states == ["waiting", "called", "done"], ticket.code


def test_windows_pressing_at_once_take_the_booked_tickets_first_and_each_once(
    busy_hall, freeze_now
):
    import datetime

    from django.utils import timezone

    hall, windows = busy_hall
    kiosk = kiosk_user(hall.office)
    for _ in range(WINDOWS):
        services.issue_ticket(office=hall.office, group=hall.children, actor=kiosk)
    slot = datetime.datetime.combine(
        timezone.localdate(), datetime.time(10, 15), tzinfo=timezone.get_current_timezone()
    )
    booked = set()
    for n in range(WINDOWS):
        booking = services.book_slot(
            office=hall.office, group=hall.children, starts_at=slot, visitor_name=f"Записанный {n}",
            visitor_phone="9275551234", actor=windows[0][1],
        )  # fmt: skip
        booked.add(services.check_in(office=hall.office, code=booking.code, actor=kiosk).pk)
    freeze_now(datetime.datetime(2026, 11, 24, 10, 12))
    called = {}

    def press(window, specialist):
        return lambda: called.setdefault(
            window.number, services.call_next_ticket(window, actor=specialist).pk
        )

    errors = run_together([press(w, s) for w, s in windows])
    assert errors == []
    assert set(called.values()) == booked


def test_a_double_press_at_one_window_calls_one_visitor(busy_hall):
    """Two «Вызвать следующего» of the same window at once (a double click, two tabs, a retried
    request): the second waits for the window's lock and then finds its visitor called."""
    hall, windows = busy_hall
    kiosk = kiosk_user(hall.office)
    for _ in range(3):
        services.issue_ticket(office=hall.office, group=hall.children, actor=kiosk)
    window, specialist = windows[0]
    called = []

    def press():
        called.append(services.call_next_ticket(window, actor=specialist).pk)

    for _ in range(5):  # the race is a matter of timing: pressed together several times
        called.clear()
        errors = run_together([press, press])
        assert len(called) == 1, called
        assert len(errors) == 1 and isinstance(errors[0], QueueError)
        assert "У окна уже есть посетитель" in errors[0].message
        assert Ticket.objects.filter(window=window, status__in=("called", "serving")).count() == 1
        ticket = Ticket.objects.get(pk=called[0])
        services.finish_ticket(ticket, window, actor=specialist)
        if not Ticket.objects.filter(status="waiting").exists():
            for _ in range(2):
                services.issue_ticket(office=hall.office, group=hall.children, actor=kiosk)
