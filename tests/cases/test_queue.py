"""The electronic queue: tickets from the kiosk, the specialist's window, the hall display."""

import datetime
import io
import uuid
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cases import services
from cases.errors import QueueError
from cases.models import Ticket
from cases.services import queue
from onewindow import workdays
from onewindow.models import AccessLog
from tests.cases.queue_hall import build_hall, display_user, kiosk_user
from tests.factories import ApplicationFactory
from tests.pdf_utils import pdf_text

pytestmark = pytest.mark.django_db

D = datetime.date
T = datetime.datetime


@pytest.fixture
def hall(office, catalogue):
    return build_hall(office)


@pytest.fixture
def kiosk(office):
    return kiosk_user(office)


@pytest.fixture
def at_window(hall, specialist):
    """The specialist sits at window 1 (group А)."""
    services.take_window(hall.window1, actor=specialist)
    return hall.window1


def issue(hall, kiosk, group=None, **kwargs):
    return services.issue_ticket(
        office=hall.office, group=group or hall.children, actor=kiosk, **kwargs
    )


# --- Numbering and hours ------------------------------------------------------------------------


def test_tickets_are_numbered_per_group_and_start_again_the_next_day(hall, kiosk, freeze_now):
    first, second = issue(hall, kiosk), issue(hall, kiosk)
    veteran = issue(hall, kiosk, hall.veterans)
    assert [first.code, second.code, veteran.code] == ["А-001", "А-002", "Б-001"]
    assert first.day == D(2026, 11, 24) and first.issued_at is not None

    freeze_now(T(2026, 11, 25, 9, 0))
    assert issue(hall, kiosk).code == "А-001"
    assert Ticket.objects.filter(letter="А", number=1).count() == 2


def test_pre_holiday_days_come_from_the_production_calendar():
    assert workdays.is_pre_holiday(D(2026, 11, 3))  # before 4 November
    assert workdays.is_pre_holiday(D(2026, 5, 8))  # before Victory Day (a Saturday)
    assert not workdays.is_pre_holiday(D(2026, 11, 24))
    assert not workdays.is_pre_holiday(D(2026, 3, 6))  # 7 March is a Saturday, no holiday
    assert not workdays.is_pre_holiday(D(2026, 12, 30))  # 31.12.2026 is a moved day off


def test_last_ticket_on_a_shortened_pre_holiday_day_is_an_hour_earlier(hall, kiosk, freeze_now):
    hours = queue.day_hours(hall.office, D(2026, 11, 3))
    assert hours.shortened
    assert (hours.closes.time(), hours.last_ticket.time()) == (
        datetime.time(16, 30),
        datetime.time(15, 50),
    )

    freeze_now(T(2026, 11, 3, 15, 49))
    assert issue(hall, kiosk).code == "А-001"
    freeze_now(T(2026, 11, 3, 15, 50))
    with pytest.raises(QueueError, match="Выдача талонов на сегодня окончена в 15:50") as refusal:
        issue(hall, kiosk)
    assert "предпраздничный день" in refusal.value.message
    assert Ticket.objects.count() == 1

    # an ordinary Tuesday: the last ticket at 16:50
    freeze_now(T(2026, 11, 24, 16, 49))
    assert issue(hall, kiosk).code == "А-001"
    freeze_now(T(2026, 11, 24, 16, 50))
    with pytest.raises(QueueError, match="окончена в 16:50"):
        issue(hall, kiosk)


def test_closed_day_and_before_opening_issue_nothing(hall, kiosk, freeze_now):
    freeze_now(T(2026, 11, 28, 10, 0))  # Saturday
    with pytest.raises(
        QueueError, match=r"Сегодня приёма нет\. Следующий приём: 30\.11\.2026 с 08:30"
    ):
        issue(hall, kiosk)
    freeze_now(T(2026, 11, 4, 10, 0))  # a public holiday, a Wednesday
    with pytest.raises(QueueError, match="Сегодня приёма нет"):
        issue(hall, kiosk)
    freeze_now(T(2026, 11, 24, 8, 0))
    with pytest.raises(QueueError, match="Приём начнётся в 08:30"):
        issue(hall, kiosk)
    assert not Ticket.objects.exists()


def test_the_same_token_gives_back_the_first_ticket(hall, kiosk):
    token = uuid.uuid4()
    first = issue(hall, kiosk, token=token)
    again = issue(hall, kiosk, hall.veterans, token=token)
    assert again.pk == first.pk and Ticket.objects.count() == 1


def test_people_ahead_and_the_expected_wait(hall, kiosk):
    for _ in range(3):
        issue(hall, kiosk)
    issue(hall, kiosk, hall.veterans)
    fourth = issue(hall, kiosk)
    outlook = queue.ticket_outlook(fourth)
    # three before it in group А; two windows serve А (nobody at them yet): 3 × 15 / 2
    assert outlook == queue.Outlook(ahead=3, wait_minutes=23)
    priority = issue(hall, kiosk, priority_category=hall.disabled)
    assert queue.ticket_outlook(priority).ahead == 0
    assert queue.ticket_outlook(fourth).ahead == 4


# --- The specialist's window ------------------------------------------------------------------


def test_priority_tickets_are_called_first_then_first_come(hall, kiosk, specialist, at_window):
    walk_in = issue(hall, kiosk)
    later = issue(hall, kiosk)
    priority = issue(hall, kiosk, priority_category=hall.disabled)
    issue(hall, kiosk, hall.veterans)  # window 1 does not serve Б

    called = []
    for _ in range(3):
        ticket = services.call_next_ticket(at_window, actor=specialist)
        called.append(ticket.code)
        services.finish_ticket(ticket, at_window, actor=specialist)
    assert called == [priority.code, walk_in.code, later.code]
    with pytest.raises(QueueError, match="Никто не ожидает"):
        services.call_next_ticket(at_window, actor=specialist)


def test_call_with_nobody_waiting_says_so_and_changes_nothing(hall, specialist, at_window):
    with pytest.raises(QueueError, match="Никто не ожидает: в очереди к этому окну нет талонов"):
        services.call_next_ticket(at_window, actor=specialist)
    assert queue.current_ticket(at_window) is None


def test_a_ticket_called_by_another_window_cannot_be_called_again(
    hall, kiosk, specialist, chief, at_window
):
    ticket = issue(hall, kiosk)
    services.take_window(hall.window2, actor=chief)
    assert services.call_next_ticket(at_window, actor=specialist).pk == ticket.pk

    with pytest.raises(
        QueueError, match="Талон А-001 уже вызван окном 1: вызвать его снова нельзя"
    ):
        services.call_ticket(ticket, hall.window2, actor=chief)
    for step in (services.recall_ticket, services.finish_ticket, services.mark_no_show):
        with pytest.raises(QueueError, match="не у вашего окна"):
            step(ticket, hall.window2, actor=chief)
    with pytest.raises(QueueError, match="Никто не ожидает"):
        services.call_next_ticket(hall.window2, actor=chief)
    ticket.refresh_from_db()
    assert (ticket.status, ticket.window, ticket.served_by) == ("called", at_window, specialist)


def test_a_window_calls_one_visitor_at_a_time(hall, kiosk, specialist, at_window):
    issue(hall, kiosk), issue(hall, kiosk)
    services.call_next_ticket(at_window, actor=specialist)
    with pytest.raises(QueueError, match="У окна уже есть посетитель — талон А-001"):
        services.call_next_ticket(at_window, actor=specialist)


def test_only_the_specialist_at_the_window_calls_to_it(hall, kiosk, specialist, chief, at_window):
    issue(hall, kiosk)
    with pytest.raises(QueueError, match="Вы не работаете за окном 1"):
        services.call_next_ticket(at_window, actor=chief)


def test_every_moment_of_a_visit_is_kept_with_history(
    hall, kiosk, specialist, at_window, freeze_now
):
    freeze_now(T(2026, 11, 24, 9, 0))
    ticket = issue(hall, kiosk)
    freeze_now(T(2026, 11, 24, 9, 10))
    services.call_next_ticket(at_window, actor=specialist)
    freeze_now(T(2026, 11, 24, 9, 11))
    services.recall_ticket(ticket, at_window, actor=specialist)
    freeze_now(T(2026, 11, 24, 9, 12))
    services.start_ticket(ticket, at_window, actor=specialist)
    freeze_now(T(2026, 11, 24, 9, 30))
    services.finish_ticket(ticket, at_window, actor=specialist)

    ticket.refresh_from_db()
    local = {
        name: timezone.localtime(getattr(ticket, name)).strftime("%H:%M")
        for name in ("issued_at", "called_at", "last_called_at", "started_at", "finished_at")
    }
    assert local == {
        "issued_at": "09:00",
        "called_at": "09:10",
        "last_called_at": "09:11",
        "started_at": "09:12",
        "finished_at": "09:30",
    }
    assert ticket.call_count == 2 and ticket.status == "done"
    states = list(ticket.history.order_by("history_date").values_list("status", flat=True))
    assert states == ["waiting", "called", "called", "serving", "done"]
    assert ticket.history.filter(history_user=specialist).count() == 4


def test_no_show_frees_the_window(hall, kiosk, specialist, at_window):
    ticket = issue(hall, kiosk)
    services.call_next_ticket(at_window, actor=specialist)
    services.mark_no_show(ticket, at_window, actor=specialist)
    ticket.refresh_from_db()
    assert ticket.status == "no_show" and ticket.no_show_at is not None
    assert queue.current_ticket(at_window) is None


def test_redirect_to_another_group_goes_ahead_of_its_walk_ins(
    hall, kiosk, specialist, chief, at_window
):
    ticket = issue(hall, kiosk)
    veteran = issue(hall, kiosk, hall.veterans)
    services.call_next_ticket(at_window, actor=specialist)
    services.redirect_ticket(ticket, at_window, actor=specialist, group=hall.veterans)
    ticket.refresh_from_db()
    assert (ticket.status, ticket.group, ticket.code) == ("waiting", hall.veterans, "А-001")
    services.take_window(hall.window2, actor=chief)
    assert services.call_next_ticket(hall.window2, actor=chief).pk == ticket.pk
    assert veteran.status == "waiting"


def test_redirect_to_a_window_only_that_window_calls_it(hall, kiosk, specialist, chief, at_window):
    ticket = issue(hall, kiosk)
    services.call_next_ticket(at_window, actor=specialist)
    services.redirect_ticket(ticket, at_window, actor=specialist, target_window=hall.window2)
    with pytest.raises(QueueError, match="Никто не ожидает"):
        services.call_next_ticket(at_window, actor=specialist)
    services.take_window(hall.window2, actor=chief)
    assert services.call_next_ticket(hall.window2, actor=chief).pk == ticket.pk
    with pytest.raises(QueueError, match="Выберите группу услуг или окно"):
        services.redirect_ticket(ticket, hall.window2, actor=chief)


def test_the_ticket_names_the_applicant_opened_and_the_applications_registered(
    client, hall, kiosk, specialist, at_window, applicant
):
    ticket = issue(hall, kiosk)
    services.call_next_ticket(at_window, actor=specialist)
    client.force_login(specialist)
    assert client.get(reverse("cases:applicant", args=[applicant.pk])).status_code == 200
    ticket.refresh_from_db()
    assert ticket.applicant == applicant and ticket.status == "serving"

    application = ApplicationFactory(
        actor=specialist, applicant=applicant, service="child-allowance"
    )
    services.finish_ticket(ticket, at_window, actor=specialist)
    assert list(ticket.applications.all()) == [application]
    # after the visit the specialist's next registration belongs to no ticket
    later = ApplicationFactory(actor=specialist, applicant=applicant, service="edv-veterans")
    assert not later.queue_tickets.exists()


# --- Pages ------------------------------------------------------------------------------------


def test_kiosk_double_tap_issues_one_ticket(client, hall, kiosk):
    client.force_login(kiosk)
    page = client.get(reverse("queue:kiosk"))
    assert "Пособия на детей" in page.content.decode()
    form = {"group": hall.children.pk, "token": str(uuid.uuid4())}
    first = client.post(reverse("queue:kiosk_take"), form)
    second = client.post(reverse("queue:kiosk_take"), form)
    ticket = Ticket.objects.get()
    assert first["Location"] == second["Location"] == f"/queue/kiosk/tickets/{ticket.pk}/?print=1"
    shown = client.get(first["Location"]).content.decode()
    assert "А-001" in shown and "Перед вами: 0" in shown and "data-autoprint" in shown


def test_kiosk_after_the_last_ticket_time_says_so(client, hall, kiosk, freeze_now):
    freeze_now(T(2026, 11, 24, 17, 0))
    client.force_login(kiosk)
    page = client.get(reverse("queue:kiosk")).content.decode()
    assert "Выдача талонов на сегодня окончена в 16:50" in page
    assert 'name="group"' not in page
    refused = client.post(
        reverse("queue:kiosk_take"), {"group": hall.children.pk, "token": str(uuid.uuid4())}
    )
    assert refused.status_code == 409
    assert "окончена в 16:50" in refused.content.decode()
    assert not Ticket.objects.exists()


def test_kiosk_bad_input_issues_nothing_and_says_why(client, hall, kiosk):
    client.force_login(kiosk)
    for form in (
        {"group": "абв", "token": str(uuid.uuid4())},
        {"group": hall.children.pk, "token": "не-ключ"},
        {"token": str(uuid.uuid4())},
    ):
        refused = client.post(reverse("queue:kiosk_take"), form)
        assert refused.status_code == 400
        assert "Выберите услугу на экране." in refused.content.decode()
    assert not Ticket.objects.exists()


def test_window_bad_input_is_refused_with_a_message(client, hall, kiosk, specialist, at_window):
    client.force_login(specialist)
    hx = {"HX-Request": "true"}
    url = reverse("queue:window_action", args=["finish"])
    assert "Талон не найден." in client.post(url, {"ticket": "x"}, headers=hx).content.decode()
    ticket = issue(hall, kiosk)
    client.post(reverse("queue:window_action", args=["call-next"]), headers=hx)
    redirect = client.post(
        reverse("queue:window_action", args=["redirect"]),
        {"ticket": ticket.pk, "group": "", "target_window": ""},
        headers=hx,
    ).content.decode()
    assert "Выберите группу услуг или окно, куда направить посетителя." in redirect
    assert client.post(reverse("queue:window_action", args=["explode"])).status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == "called"


def test_priority_ticket_from_the_kiosk(client, hall, kiosk):
    client.force_login(kiosk)
    choice = client.get(reverse("queue:kiosk_priority")).content.decode()
    assert "Инвалиды I и II групп" in choice
    page = client.get(reverse("queue:kiosk"), {"category": hall.disabled.pk}).content.decode()
    assert "Талон вне очереди" in page
    client.post(
        reverse("queue:kiosk_take"),
        {"group": hall.children.pk, "category": hall.disabled.pk, "token": str(uuid.uuid4())},
    )
    assert Ticket.objects.get().priority_category == hall.disabled


def test_ticket_pdf_is_80_mm_wide_and_shows_the_number(client, hall, kiosk):
    ticket = issue(hall, kiosk)
    client.force_login(kiosk)
    response = client.get(reverse("queue:ticket_pdf", args=[ticket.pk]))
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    assert len(pages) == 1
    page = pages[0]
    assert round(float(page.mediabox.width) / 72 * 25.4) == 80
    text = pdf_text(response.content)
    assert "А-001" in text and "Пособия на детей" in text and "Перед вами: 0" in text


def test_ticket_print_page_is_80_mm(client, hall, kiosk):
    from django.contrib.staticfiles import finders

    ticket = issue(hall, kiosk)
    client.force_login(kiosk)
    html = client.get(reverse("queue:ticket", args=[ticket.pk])).content.decode()
    assert "А-001" in html and "css/queue.css" in html
    css = Path(finders.find("css/queue.css")).read_text(encoding="utf-8")
    assert "@page { size: 80mm" in css and ".ticket { width: 80mm" in css


@pytest.mark.parametrize(
    "account, allowed, refused",
    [
        ("kiosk", "queue:kiosk", ["cases:counter", "queue:display", "my_work", "reports"]),
        ("display", "queue:display_board", ["cases:counter", "queue:kiosk", "cases:journal"]),
    ],
)
def test_device_accounts_open_only_their_page(client, office, hall, account, allowed, refused):
    user = kiosk_user(office) if account == "kiosk" else display_user(office)
    client.force_login(user)
    assert client.get(reverse(allowed)).status_code == 200
    landing = "queue:kiosk" if account == "kiosk" else "queue:display"
    assert client.get("/")["Location"] == reverse(landing)
    for name in refused:
        response = client.get(reverse(name))
        assert response.status_code == 403, name
        assert "Недостаточно прав" in response.content.decode()
    assert AccessLog.objects.filter(user=user, result="refused").count() == len(refused)
    # the device's session outlives a restart of its browser
    assert client.session.get_expiry_age() == 30 * 86400


def test_people_do_not_use_the_kiosk(client, specialist, hall):
    client.force_login(specialist)
    assert client.get(reverse("queue:kiosk")).status_code == 403
    assert client.get(reverse("queue:display")).status_code == 403


def test_display_shows_the_called_ticket_with_its_window_and_chimes_on_recall(
    client, office, hall, kiosk, specialist, at_window
):
    display = display_user(office)
    client.force_login(display)
    empty = client.get(reverse("queue:display_board"))
    assert empty["X-Queue-Part"] == "board" and "Ожидайте вызова" in empty.content.decode()
    ticket = issue(hall, kiosk)
    services.call_next_ticket(at_window, actor=specialist)
    board = queue.display_board(office)
    html = client.get(reverse("queue:display_board")).content.decode()
    assert '<span class="board-code">А-001</span>' in html
    assert '<span class="board-window">1</span>' in html
    services.recall_ticket(ticket, at_window, actor=specialist)
    assert queue.display_board(office).signature != board.signature
    services.finish_ticket(ticket, at_window, actor=specialist)
    html = client.get(reverse("queue:display_board")).content.decode()
    assert "board-code" not in html and "<span>А-001</span><span>окно 1</span>" in html


def test_window_panel_calls_and_finishes(client, hall, kiosk, specialist):
    client.force_login(specialist)
    panel = client.get(reverse("queue:window")).content.decode()
    assert "Сесть за окно" in panel
    client.post(reverse("queue:window_action", args=["take"]), {"window": hall.window1.pk})
    empty = client.post(
        reverse("queue:window_action", args=["call-next"]), headers={"HX-Request": "true"}
    )
    assert "Никто не ожидает" in empty.content.decode()
    ticket = issue(hall, kiosk)
    called = client.post(
        reverse("queue:window_action", args=["call-next"]), headers={"HX-Request": "true"}
    ).content.decode()
    assert "Вызван талон А-001" in called and "Повторить вызов" in called
    done = client.post(reverse("queue:window_action", args=["finish"]), {"ticket": ticket.pk})
    assert done["Location"] == reverse("cases:counter")
    ticket.refresh_from_db()
    assert ticket.status == "done"


def test_bootstrap_demo_sets_up_the_hall_and_its_devices(settings, catalogue, capsys):
    from django.core.management import call_command

    from cases.models import OpeningHours, ServiceGroup, Window
    from onewindow import roles
    from onewindow.models import User

    settings.DEBUG = True
    call_command("bootstrap_demo")
    call_command("bootstrap_demo")  # twice: nothing doubles
    groups = ServiceGroup.objects.order_by("letter")
    assert [(g.letter, g.title) for g in groups] == [
        ("А", "Пособия на детей"),
        ("Б", "Ветераны, льготы"),
        ("В", "Справки и удостоверения"),
        ("Г", "Выдача документов, архив"),
    ]
    assert groups[0].services.filter(code="child-allowance").exists()
    assert Window.objects.filter(office__code="krasnooktyabrsky").count() == 4
    assert OpeningHours.objects.filter(office__code="krasnooktyabrsky").count() == 5
    assert User.objects.get(username="kiosk").has_role(roles.KIOSK)
    assert User.objects.get(username="display").has_role(roles.DISPLAY)
    assert "kiosk        / kiosk-demo" in capsys.readouterr().out


def test_window_waiting_count_for_the_panel(client, hall, kiosk, specialist, at_window):
    client.force_login(specialist)
    issue(hall, kiosk), issue(hall, kiosk), issue(hall, kiosk, hall.veterans)
    assert client.get(reverse("queue:window_waiting")).content.decode() == "2"
