"""The kiosk's check-in by booking code cannot be used to enumerate codes: wrong codes are counted
per kiosk and per client address (as the status page counts its lookups), and past the limit
every code from there gets one neutral answer for a while; other kiosks are not affected."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.errors import TooManyAttempts
from cases.models import Booking, Ticket
from cases.services import queue
from onewindow import roles
from tests.cases.queue_hall import build_hall, kiosk_user
from tests.factories import make_user

pytestmark = pytest.mark.django_db

T = datetime.datetime
TOO_MANY = (
    "Слишком много попыток ввести код записи. Подождите несколько минут или возьмите обычный талон."
)


@pytest.fixture
def hall(office, catalogue, settings):
    settings.QUEUE_CHECKIN_ATTEMPTS = 3
    settings.QUEUE_CHECKIN_WINDOW_SECONDS = 600
    return build_hall(office)


@pytest.fixture
def kiosk(office):
    return kiosk_user(office)


@pytest.fixture
def second_kiosk(office):
    return make_user(roles.KIOSK, office, "kiosk2", last_name="Киоск второй")


def booking(hall, specialist, hour=10, minute=30) -> Booking:
    moment = datetime.datetime.combine(
        timezone.localdate(), datetime.time(hour, minute), tzinfo=timezone.get_current_timezone()
    )
    return services.book_slot(
        office=hall.office, group=hall.children, starts_at=moment, visitor_name="Петрова Анна",
        visitor_phone="9275551234", actor=specialist,
    )  # fmt: skip


def wrong(hall, kiosk, client="10.0.0.5", code="222222"):
    with pytest.raises(services.CounterError) as refusal:
        services.check_in(office=hall.office, code=code, actor=kiosk, client=client)
    return refusal.value


def test_past_the_limit_even_a_right_code_is_refused_there_for_a_while(
    hall, specialist, kiosk, second_kiosk, freeze_now
):
    booked = booking(hall, specialist)
    for code in ("222222", "333333", "ХХХХХХ"):
        assert wrong(hall, kiosk, code=code).message == queue.NO_BOOKING
    # the fourth attempt is not looked up: the right code gets the same refusal
    with pytest.raises(TooManyAttempts) as refusal:
        services.check_in(office=hall.office, code=booked.code, actor=kiosk, client="10.0.0.5")
    assert refusal.value.message == TOO_MANY
    assert not Ticket.objects.exists()
    # the same kiosk account from another address is refused too (the kiosk is counted)
    with pytest.raises(TooManyAttempts):
        services.check_in(office=hall.office, code=booked.code, actor=kiosk, client="10.0.0.9")
    # so is another kiosk at the guesser's address
    with pytest.raises(TooManyAttempts):
        services.check_in(
            office=hall.office, code=booked.code, actor=second_kiosk, client="10.0.0.5"
        )
    # another kiosk elsewhere checks the visitor in
    ticket = services.check_in(
        office=hall.office, code=booked.code, actor=second_kiosk, client="10.0.0.7"
    )
    assert ticket.booking == booked

    # ten minutes later the first kiosk works again
    other = booking(hall, specialist)
    freeze_now(T(2026, 11, 24, 10, 10, 1))
    assert services.check_in(office=hall.office, code=other.code, actor=kiosk, client="10.0.0.5")


def test_only_wrong_codes_count(hall, specialist, kiosk):
    early = booking(hall, specialist, 12, 0)
    for _ in range(5):  # a right code, too early: the visitor is told when, nothing is counted
        assert "Отметиться можно с 11:30" in wrong(hall, kiosk, code=early.code).message
    assert wrong(hall, kiosk).message == queue.NO_BOOKING


def test_the_kiosk_page_answers_429_with_a_neutral_message(
    client, hall, specialist, kiosk, second_kiosk
):
    booked = booking(hall, specialist)
    client.force_login(kiosk)
    url = reverse("queue:kiosk_booking")
    for code in ("222222", "333333", "444444"):
        response = client.post(url, {"code": code}, REMOTE_ADDR="10.0.0.5")
        assert response.status_code == 400
        assert "Запись с таким кодом не найдена" in response.content.decode()
    refused = client.post(url, {"code": booked.code}, REMOTE_ADDR="10.0.0.5")
    assert refused.status_code == 429
    html = refused.content.decode()
    assert TOO_MANY in html and booked.code not in html
    assert not Ticket.objects.exists()

    other = Client()
    other.force_login(second_kiosk)
    done = other.post(url, {"code": booked.code}, REMOTE_ADDR="10.0.0.7")
    assert done.status_code == 302
    assert Ticket.objects.get().booking == booked
