"""The electronic queue: the office's hours for a day, tickets from the kiosk, the specialist's
window (call, call again, no-show, redirect, start, finish) and what the hall display shows.

Every step is one transaction and keeps the ticket's moments (issued, called, started,
finished, no-show) with history. Two windows pressing «Вызвать следующего» at the same moment
never get the same ticket: the candidate is taken with SELECT … FOR UPDATE SKIP LOCKED on
PostgreSQL (the other window takes the next one instead of waiting), and SQLite runs every
write transaction alone (`transaction_mode = IMMEDIATE`). A ticket is then changed only by the
window that holds it.

Extension points: `call_order` is the one place the order of the call lives (pre-booked tickets
at their time go between the out-of-turn ones and the walk-ins); the day's statistics read the
ticket's moments and need nothing from here.
"""

from __future__ import annotations

import datetime
import math
import secrets
import statistics
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    Max,
    Q,
    Sum,
    Value,
    When,
)
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from cases.erasure import ERASED_VISITOR
from cases.errors import LateForBooking, QueueError, TooManyAttempts
from cases.models import (
    BOOKING_CODE_ALPHABET,
    BOOKING_CODE_LENGTH,
    Applicant,
    Application,
    Booking,
    OpeningHours,
    PriorityCategory,
    ServiceGroup,
    Ticket,
    Window,
)
from onewindow import throttle, workdays
from onewindow.errors import save_with_actor
from onewindow.models import Office
from onewindow.numbering import next_number

Status = Ticket.Status
CURRENT = (Status.CALLED, Status.SERVING)
DISPLAY_RECENT = 6  # how many past calls the hall display lists
OWN_ESTIMATE_MIN_SAMPLES = 3  # finished visits of a group today before its own pace is used


# --- Opening hours ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayHours:
    """An office's reception on one day, in local time."""

    day: datetime.date
    opens: datetime.datetime
    closes: datetime.datetime
    last_ticket: datetime.datetime
    shortened: bool  # a pre-holiday day, an hour shorter


def day_hours(office: Office, day: datetime.date) -> DayHours | None:
    """The hours of `day`, or None when the office is closed: a day off of the production
    calendar, or a weekday without hours. A working Saturday (moved from a weekday) keeps the
    Friday's hours unless Saturday has its own; a pre-holiday day closes an hour earlier."""
    if not workdays.is_working_day(day):
        return None
    rows = {row.weekday: row for row in OpeningHours.objects.filter(office=office)}
    row = rows.get(day.weekday())
    if row is None and day.weekday() >= 5:
        row = rows.get(4)
    if row is None:
        return None
    zone = timezone.get_current_timezone()
    opens = datetime.datetime.combine(day, row.opens_at, tzinfo=zone)
    closes = datetime.datetime.combine(day, row.closes_at, tzinfo=zone)
    shortened = workdays.is_pre_holiday(day)
    if shortened:
        closes = max(opens, closes - workdays.PRE_HOLIDAY_SHORTENING)
    last_ticket = max(opens, closes - datetime.timedelta(minutes=row.last_ticket_minutes))
    return DayHours(day, opens, closes, last_ticket, shortened)


@dataclass(frozen=True)
class KioskState:
    """Whether the kiosk issues tickets now, and why not."""

    open: bool
    message: str
    hours: DayHours | None


def kiosk_state(office: Office, now: datetime.datetime | None = None) -> KioskState:
    now = timezone.localtime(now or timezone.now())
    hours = day_hours(office, now.date())
    if hours is None:
        following = _next_open_day(office, now.date())
        return KioskState(False, "Сегодня приёма нет." + following, None)
    if now < hours.opens:
        return KioskState(
            False, f"Приём начнётся в {hours.opens:%H:%M}. Талоны выдаются с этого времени.", hours
        )
    if now >= hours.last_ticket:
        closes = f"Приём сегодня до {hours.closes:%H:%M}"
        if hours.shortened:
            closes += " (предпраздничный день)"
        return KioskState(
            False,
            f"Выдача талонов на сегодня окончена в {hours.last_ticket:%H:%M}. {closes}."
            + _next_open_day(office, now.date()),
            hours,
        )
    text = f"Талоны выдаются до {hours.last_ticket:%H:%M}, приём до {hours.closes:%H:%M}"
    if hours.shortened:
        text += " (предпраздничный день)"
    return KioskState(True, text + ".", hours)


def _next_open_day(office: Office, day: datetime.date) -> str:
    for offset in range(1, 15):
        candidate = day + datetime.timedelta(days=offset)
        hours = day_hours(office, candidate)
        if hours is not None:
            return f" Следующий приём: {candidate:%d.%m.%Y} с {hours.opens:%H:%M}."
    return ""


# --- The kiosk ----------------------------------------------------------------------------------


def kiosk_groups(office: Office):
    """The groups the office's active windows serve, in the kiosk's order."""
    return (
        ServiceGroup.objects.filter(is_active=True, windows__office=office, windows__is_active=True)
        .distinct()
        .order_by("order", "letter")
    )


def issue_ticket(
    *,
    office: Office,
    group: ServiceGroup,
    actor,
    priority_category: PriorityCategory | None = None,
    token: uuid.UUID | str | None = None,
    now: datetime.datetime | None = None,
    booking: Booking | None = None,
) -> Ticket:
    """A ticket of `group` at `office`, numbered per group, office and day («А-015»).

    The same `token` (the kiosk form's, a double tap) gives back the ticket of the first tap.
    Refused after the last-ticket time, on a closed day, for a group no window of the office
    serves, for an out-of-turn category no longer in force."""
    key = uuid.UUID(str(token)) if token else None
    if key is not None:
        existing = Ticket.objects.filter(office=office, kiosk_token=key).first()
        if existing is not None:
            return existing
    now = timezone.localtime(now or timezone.now())
    state = kiosk_state(office, now)
    # a booked visitor checks in up to the slot's grace, even past the last walk-in ticket
    if not state.open and not (booking and state.hours and now < state.hours.closes):
        raise QueueError(state.message)
    if not group.is_active or not kiosk_groups(office).filter(pk=group.pk).exists():
        raise QueueError(f"Талоны группы «{group.title}» в этом учреждении не выдаются.")
    if priority_category is not None and not priority_category.is_active:
        raise QueueError(f"Категория «{priority_category.title}» больше не действует.")
    day = now.date()
    try:
        with transaction.atomic():
            number = next_number(office, f"queue-{group.letter}-{day:%m%d}", day.year)
            ticket = Ticket(
                office=office,
                day=day,
                group=group,
                letter=group.letter,
                number=number,
                priority_category=priority_category,
                issued_at=now,
                kiosk_token=key,
                booking=booking,
                booked_for=booking.starts_at if booking else None,
            )
            save_with_actor(ticket, actor)
    except IntegrityError:
        again = Ticket.objects.filter(office=office, kiosk_token=key).first() if key else None
        if again is None:
            raise
        return again
    return ticket


@dataclass(frozen=True)
class Outlook:
    ahead: int
    wait_minutes: int


def ticket_outlook(ticket: Ticket) -> Outlook:
    """People before `ticket` in its group's queue and the expected wait: their number times
    the group's pace (today's median visit once there are a few, else the group's norm), shared
    by the windows serving the group today."""
    waiting = Ticket.objects.of_day(ticket.office_id, ticket.day).waiting().exclude(pk=ticket.pk)
    if ticket.target_window_id:
        same = waiting.filter(target_window_id=ticket.target_window_id)
    else:
        same = waiting.filter(group_id=ticket.group_id, target_window__isnull=True)
    earlier = Q(issued_at__lt=ticket.issued_at) | Q(issued_at=ticket.issued_at, pk__lt=ticket.pk)
    if ticket.is_priority:
        before = Q(priority_category__isnull=False) & earlier
    else:
        before = Q(priority_category__isnull=False) | Q(redirected_at__isnull=False) | earlier
    ahead = same.filter(before).count()
    windows = Window.objects.active().filter(office_id=ticket.office_id, groups=ticket.group_id)
    staffed = windows.filter(specialist_on=ticket.day).count() or windows.count() or 1
    pace = _group_pace(ticket)
    return Outlook(ahead, math.ceil(ahead * pace / staffed))


def _group_pace(ticket: Ticket) -> float:
    visits = Ticket.objects.of_day(ticket.office_id, ticket.day).filter(
        group_id=ticket.group_id,
        status=Status.DONE,
        started_at__isnull=False,
        finished_at__isnull=False,
    )
    minutes = [
        (finished - started).total_seconds() / 60
        for started, finished in visits.values_list("started_at", "finished_at")[:200]
    ]
    if len(minutes) >= OWN_ESTIMATE_MIN_SAMPLES:
        return max(1.0, statistics.median(minutes))
    return float(ticket.group.service_minutes)


# --- The specialist's window --------------------------------------------------------------------


def window_of(user, day: datetime.date | None = None) -> Window | None:
    """The window `user` sits at today."""
    day = day or timezone.localdate()
    return Window.objects.held_by(user, day).first()


def current_ticket(window: Window) -> Ticket | None:
    """The ticket the window has called or is serving."""
    return (
        Ticket.objects.filter(window=window, status__in=CURRENT).order_by("-last_called_at").first()
    )


def take_window(window: Window, *, actor) -> Window:
    """`actor` sits at `window` today (leaving the window they sat at before). A window another
    specialist sits at today is refused while it still has a visitor."""
    today = timezone.localdate()
    if window.office_id != actor.office_id or not window.is_active:
        raise QueueError("Это окно недоступно.", field="window")
    with transaction.atomic():
        window = Window.objects.select_for_update().get(pk=window.pk)
        holder = window.specialist if window.specialist_on == today else None
        if holder is not None and holder != actor and current_ticket(window) is not None:
            raise QueueError(
                f"За окном {window.number} сегодня работает {holder.short_name}, у него посетитель.",
                field="window",
            )
        for previous in (
            Window.objects.select_for_update().held_by(actor, today).exclude(pk=window.pk)
        ):
            _release(previous, actor)
        window.specialist, window.specialist_on = actor, today
        save_with_actor(window, actor)
    return window


def leave_window(*, actor) -> None:
    today = timezone.localdate()
    with transaction.atomic():
        for window in Window.objects.select_for_update().held_by(actor, today):
            _release(window, actor)


def _release(window: Window, actor) -> None:
    if current_ticket(window) is not None:
        raise QueueError(
            f"У окна {window.number} есть вызванный посетитель: завершите приём или отметьте неявку.",
            field="window",
        )
    window.specialist, window.specialist_on = None, None
    save_with_actor(window, actor)


def call_order(window: Window) -> list[str]:
    """The order of the call. Tickets sent to this very window first, then out-of-turn ones,
    then booked tickets whose time has come (within the grace: `QUEUE_BOOKING_CALL_BEFORE`
    minutes before the slot to `QUEUE_BOOKING_GRACE` after it; the earlier slot first), then
    those redirected from another window (they have waited already), then first come. A booked
    visitor who came late waits as a walk-in, by the time of the check-in."""
    return ["-for_window", "-priority", "-booked_due", "due_slot", "-redirected", "issued_at", "pk"]


def booking_call_window() -> tuple[datetime.timedelta, datetime.timedelta]:
    """How long before and after its slot a booked ticket goes ahead of the walk-ins."""
    before = getattr(settings, "QUEUE_BOOKING_CALL_BEFORE", 5)
    grace = getattr(settings, "QUEUE_BOOKING_GRACE", 15)
    return datetime.timedelta(minutes=before), datetime.timedelta(minutes=grace)


def waiting_for(window: Window, day: datetime.date | None = None):
    """The tickets `window` may call now, in the order of the call."""
    day = day or timezone.localdate()
    now = timezone.now()
    before, grace = booking_call_window()
    due = Q(booked_for__isnull=False, booked_for__lte=now + before, booked_for__gte=now - grace)
    # the window's groups as a subquery: one round trip less for every call
    groups = ServiceGroup.objects.filter(is_active=True, windows=window.pk).values("pk")
    return (
        Ticket.objects.of_day(window.office_id, day)
        .waiting()
        .filter(Q(target_window=window) | Q(target_window__isnull=True, group_id__in=groups))
        .annotate(
            for_window=Case(
                When(target_window=window, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            priority=Case(
                When(priority_category__isnull=False, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            booked_due=Case(
                When(due, then=Value(True)), default=Value(False), output_field=BooleanField()
            ),
            due_slot=Case(When(due, then=F("booked_for")), default=None),
            redirected=Case(
                When(redirected_at__isnull=False, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .order_by(*call_order(window))
    )


def _own_window(window: Window, actor, *, free: bool = False) -> Window:
    """The window locked for this step; only the specialist sitting at it acts for it. With
    `free`, a window that has a visitor already is refused — read by a statement of its own
    after the lock is granted: a subquery of the locking statement would see the data as it
    stood before waiting for the lock, so a double press would call two visitors."""
    window = Window.objects.select_for_update().get(pk=window.pk)
    if window.specialist_id != actor.pk or window.specialist_on != timezone.localdate():
        raise QueueError(
            f"Вы не работаете за окном {window.number}: сначала выберите окно.", field="window"
        )
    busy = current_ticket(window) if free else None
    if busy is not None:
        raise QueueError(
            f"У окна уже есть посетитель — талон {busy.code}: завершите приём, отметьте неявку "
            "или перенаправьте его."
        )
    return window


def call_next_ticket(window: Window, *, actor) -> Ticket:
    """Call the first ticket in the order of the call to `window`."""
    now = timezone.now()
    with transaction.atomic():
        window = _own_window(window, actor, free=True)
        ticket = waiting_for(window).select_for_update(skip_locked=True, of=("self",)).first()
        if ticket is None:
            raise QueueError("Никто не ожидает: в очереди к этому окну нет талонов.")
        _mark_called(ticket, window, actor, now)
    return ticket


def call_ticket(ticket: Ticket, window: Window, *, actor) -> Ticket:
    """Call a particular waiting ticket (out of order: the visitor came up to the window). A
    ticket another window has called already is refused."""
    now = timezone.now()
    with transaction.atomic():
        window = _own_window(window, actor, free=True)
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if ticket.office_id != window.office_id or ticket.day != timezone.localdate():
            raise QueueError("Талон не из сегодняшней очереди этого учреждения.")
        if ticket.status != Status.WAITING:
            raise QueueError(_taken_message(ticket))
        _mark_called(ticket, window, actor, now)
    return ticket


def _taken_message(ticket: Ticket) -> str:
    where = f" окном {ticket.window.number}" if ticket.window_id else ""
    return (
        f"Талон {ticket.code} уже {ticket.get_status_display()}{where}: вызвать его снова нельзя."
    )


def _mark_called(ticket: Ticket, window: Window, actor, now: datetime.datetime) -> None:
    ticket.status = Status.CALLED
    ticket.window = window
    ticket.target_window = None
    ticket.served_by = actor
    ticket.called_at = ticket.called_at or now
    ticket.last_called_at = now
    ticket.call_count += 1
    save_with_actor(ticket, actor)


def _held_ticket(ticket: Ticket, window: Window, actor, *, allowed=CURRENT) -> Ticket:
    """`ticket` locked, as long as this window holds it in one of the `allowed` states."""
    window = _own_window(window, actor)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.window_id != window.pk or ticket.status not in CURRENT:
        raise QueueError(f"Талон {ticket.code} не у вашего окна: действие не выполнено.")
    if ticket.status not in allowed:
        raise QueueError(f"Талон {ticket.code} уже {ticket.get_status_display()}.")
    return ticket


def recall_ticket(ticket: Ticket, window: Window, *, actor) -> Ticket:
    """Call the same visitor again (the display shows it and chimes once more)."""
    with transaction.atomic():
        ticket = _held_ticket(ticket, window, actor, allowed=(Status.CALLED,))
        ticket.last_called_at = timezone.now()
        ticket.call_count += 1
        save_with_actor(ticket, actor)
    return ticket


def start_ticket(ticket: Ticket, window: Window, *, actor) -> Ticket:
    """The visitor has come to the window: the reception starts."""
    with transaction.atomic():
        ticket = _held_ticket(ticket, window, actor)
        if ticket.status == Status.CALLED:
            ticket.status = Status.SERVING
            ticket.started_at = timezone.now()
            save_with_actor(ticket, actor)
    return ticket


def mark_no_show(ticket: Ticket, window: Window, *, actor) -> Ticket:
    with transaction.atomic():
        ticket = _held_ticket(ticket, window, actor, allowed=(Status.CALLED,))
        ticket.status = Status.NO_SHOW
        ticket.no_show_at = timezone.now()
        save_with_actor(ticket, actor)
    return ticket


def finish_ticket(ticket: Ticket, window: Window, *, actor) -> Ticket:
    """The visit is over. A visit whose start was not marked started when it was called."""
    with transaction.atomic():
        ticket = _held_ticket(ticket, window, actor)
        now = timezone.now()
        ticket.started_at = ticket.started_at or ticket.last_called_at or now
        ticket.finished_at = now
        ticket.status = Status.DONE
        save_with_actor(ticket, actor)
    return ticket


def redirect_ticket(
    ticket: Ticket,
    window: Window,
    *,
    actor,
    group: ServiceGroup | None = None,
    target_window: Window | None = None,
) -> Ticket:
    """Send the visitor to another group's queue or to a particular window. The ticket keeps
    its number and goes ahead of the walk-ins there (the visitor has waited once already)."""
    if (group is None) == (target_window is None):
        raise QueueError("Выберите группу услуг или окно, куда направить посетителя.")
    with transaction.atomic():
        ticket = _held_ticket(ticket, window, actor)
        if target_window is not None:
            if target_window.office_id != ticket.office_id or not target_window.is_active:
                raise QueueError("Такого окна в учреждении нет.", field="target_window")
            if target_window.pk == window.pk:
                raise QueueError("Посетитель уже у этого окна.", field="target_window")
            ticket.target_window = target_window
        else:
            if not group.is_active:
                raise QueueError(f"Группа «{group.title}» не действует.", field="group")
            ticket.group = group
            ticket.target_window = None
        ticket.status = Status.WAITING
        ticket.window = None
        ticket.redirected_at = timezone.now()
        save_with_actor(ticket, actor)
    return ticket


# --- The visit and the counter's records --------------------------------------------------------


def _serving_ticket(actor) -> Ticket | None:
    window = window_of(actor)
    return current_ticket(window) if window is not None else None


def link_ticket_applicant(applicant: Applicant, *, actor) -> Ticket | None:
    """The specialist opened `applicant`'s card while a visitor is at their window: the
    ticket's visitor is this person (the first one opened; the reception counts as started)."""
    ticket = _serving_ticket(actor)
    if ticket is None or applicant.office_id != ticket.office_id:
        return None
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        changed = False
        if ticket.applicant_id is None:
            ticket.applicant = applicant
            changed = True
        if ticket.status == Status.CALLED:
            ticket.status, ticket.started_at = Status.SERVING, timezone.now()
            changed = True
        if changed:
            save_with_actor(ticket, actor)
    return ticket


def link_ticket_application(application: Application, *, actor) -> Ticket | None:
    """An application registered during a visit belongs to the visit's ticket."""
    ticket = link_ticket_applicant(application.applicant, actor=actor)
    if ticket is not None:
        ticket.applications.add(application)
    return ticket


# --- Pre-booking ----------------------------------------------------------------------------------

NO_BOOKING = "Запись с таким кодом не найдена. Проверьте код или возьмите обычный талон."
TOO_MANY_CODES = (
    "Слишком много попыток ввести код записи. Подождите несколько минут или возьмите обычный талон."
)
LATIN_TO_CYRILLIC = str.maketrans("ABEKMHOPCTXY", "АВЕКМНОРСТХУ")


@dataclass(frozen=True)
class Slot:
    starts: datetime.datetime
    ends: datetime.datetime
    capacity: int
    booked: int

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.booked)


def booking_days_ahead() -> int:
    """How far ahead one may book (`QUEUE_BOOKING_DAYS_AHEAD`, 60 days by default)."""
    return getattr(settings, "QUEUE_BOOKING_DAYS_AHEAD", 60)


def slot_capacity(office: Office, group: ServiceGroup) -> int:
    """Visitors one slot takes: one per active window of the office serving the group."""
    return Window.objects.active().filter(office=office, groups=group).count()


def booking_groups(office: Office):
    """The groups one may book: those the office's windows serve (the kiosk's)."""
    return kiosk_groups(office)


def day_slots(
    office: Office,
    group: ServiceGroup,
    day: datetime.date,
    *,
    now: datetime.datetime | None = None,
    hours: DayHours | None = None,
) -> list[Slot]:
    """The slots of `group` on `day` still ahead: from the opening every `slot_minutes` while
    a slot starts before the last-ticket time; none on a closed day. Each with its capacity and
    the visitors booked into it."""
    now = timezone.localtime(now or timezone.now())
    if not now.date() <= day <= now.date() + datetime.timedelta(days=booking_days_ahead()):
        return []
    hours = hours or day_hours(office, day)
    if hours is None:
        return []
    capacity = slot_capacity(office, group)
    booked = dict(
        Booking.objects.active()
        .filter(office=office, group=group, day=day)
        .values_list("starts_at")
        .annotate(n=Count("pk"))
        .values_list("starts_at", "n")
    )
    step = datetime.timedelta(minutes=group.slot_minutes)
    slots, start = [], hours.opens
    while start < hours.last_ticket:
        if start > now:
            slots.append(Slot(start, start + step, capacity, booked.get(start, 0)))
        start += step
    return slots


def _booking_refusal(
    office: Office, group: ServiceGroup, starts_at: datetime.datetime, now: datetime.datetime
) -> str | None:
    """Why `starts_at` cannot be booked for `group`, or None."""
    if starts_at <= now:
        shown = f" {timezone.localtime(starts_at):%d.%m.%Y %H:%M}" if starts_at.year > 1 else ""
        return f"Время{shown} уже прошло: выберите время впереди."
    ahead = booking_days_ahead()
    if starts_at - now > datetime.timedelta(days=ahead):
        return f"Записывают не дальше чем на {ahead} дней вперёд."
    local = timezone.localtime(starts_at)
    hours = day_hours(office, local.date())
    if hours is None:
        return (
            f"{local:%d.%m.%Y} приёма нет: выходной или праздничный день по производственному "
            "календарю, или для этого дня недели не заданы часы приёма."
        )
    if local < hours.opens or local >= hours.last_ticket:
        return (
            f"{local:%d.%m.%Y} приём с {hours.opens:%H:%M} до {hours.closes:%H:%M}; записывают "
            f"не позже {hours.last_ticket:%H:%M} (время последнего талона)."
        )
    offset = (local - hours.opens).total_seconds() / 60
    if offset % group.slot_minutes:
        return (
            f"Запись — на начало интервала: с {hours.opens:%H:%M} каждые {group.slot_minutes} мин "
            "(например, 09:00, 09:15)."
        )
    return None


def _booking_code() -> str:
    return "".join(secrets.choice(BOOKING_CODE_ALPHABET) for _ in range(BOOKING_CODE_LENGTH))


def normalize_booking_code(value: str) -> str:
    """A code as typed: case, spaces, dashes and Latin look-alikes do not matter."""
    text = "".join(ch for ch in str(value or "").upper() if ch.isalnum())
    return text.translate(LATIN_TO_CYRILLIC).replace("Ё", "Е")[: BOOKING_CODE_LENGTH + 4]


def _phone(value: str) -> str:
    digits = "".join(ch for ch in value if ch.isdigit())
    if len(digits) == 11 and digits[0] in "78":
        digits = "7" + digits[1:]
    elif len(digits) == 10:
        digits = "7" + digits
    else:
        raise QueueError(
            "Телефон: 10 цифр номера (с 8 или +7 впереди или без них).", field="visitor_phone"
        )
    return f"+7 {digits[1:4]} {digits[4:7]}-{digits[7:9]}-{digits[9:]}"


def mask_phone(value: str) -> str:
    """«+7 ••• •••-•5-67»: the last digits, enough to confirm with the caller."""
    digits = "".join(ch for ch in value if ch.isdigit())
    return f"+7 ••• •••-••-{digits[-2:]}" if len(digits) >= 4 else "•••"


def book_slot(
    *,
    office: Office,
    group: ServiceGroup,
    starts_at: datetime.datetime,
    visitor_name: str,
    visitor_phone: str,
    actor,
    applicant: Applicant | None = None,
    now: datetime.datetime | None = None,
) -> Booking:
    """Book a visitor for the slot of `group` starting at `starts_at`. Refused, with the reason
    at its field: a closed day, a past time, outside the hours or after the last-ticket time,
    a full slot, a group the office does not serve."""
    now = timezone.localtime(now or timezone.now())
    name = " ".join(str(visitor_name or "").split())
    if not name:
        raise QueueError("Укажите, кто придёт: фамилию и имя посетителя.", field="visitor_name")
    if len(name) > 200:
        raise QueueError("Имя посетителя — не длиннее 200 знаков.", field="visitor_name")
    phone = _phone(str(visitor_phone or ""))
    if applicant is not None and applicant.office_id != office.pk:
        raise QueueError("Заявитель другого учреждения.", field="applicant")
    if not group.is_active or not booking_groups(office).filter(pk=group.pk).exists():
        raise QueueError(f"На группу «{group.title}» здесь не записывают.", field="group")
    refusal = _booking_refusal(office, group, starts_at, now)
    if refusal:
        raise QueueError(refusal, field="starts_at")
    starts_at = timezone.localtime(starts_at)
    for _attempt in range(10):
        try:
            with transaction.atomic():
                # one booking of a group at a time: the count below stays true until commit
                ServiceGroup.objects.select_for_update().get(pk=group.pk)
                taken = (
                    Booking.objects.active()
                    .filter(office=office, group=group, starts_at=starts_at)
                    .count()
                )
                capacity = slot_capacity(office, group)
                if taken >= capacity:
                    raise QueueError(
                        f"Интервал {starts_at:%d.%m.%Y %H:%M} уже занят: записаны все {capacity} "
                        "мест(а). Выберите другое время.",
                        field="starts_at",
                    )
                booking = Booking(
                    office=office,
                    group=group,
                    day=starts_at.date(),
                    starts_at=starts_at,
                    visitor_name=name,
                    visitor_phone=phone,
                    applicant=applicant,
                    code=_booking_code(),
                    booked_by=actor,
                    booked_at=now,
                )
                save_with_actor(booking, actor)
            return booking
        except IntegrityError:
            continue  # the code was taken: draw another
    raise QueueError("Не удалось выдать код записи: повторите.")


def cancel_booking(booking: Booking, *, actor) -> Booking:
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status != Booking.Status.BOOKED:
            raise QueueError(
                f"Запись {booking.code} уже {booking.get_status_display()}: отменить нельзя."
            )
        booking.status = Booking.Status.CANCELLED
        booking.cancelled_at = timezone.now()
        save_with_actor(booking, actor)
    return booking


def check_in_limits() -> tuple[int, int]:
    """Wrong booking codes allowed per kiosk and per client address, and the window in seconds
    (`QUEUE_CHECKIN_ATTEMPTS`, `QUEUE_CHECKIN_WINDOW_SECONDS`)."""
    return (
        getattr(settings, "QUEUE_CHECKIN_ATTEMPTS", 10),
        getattr(settings, "QUEUE_CHECKIN_WINDOW_SECONDS", 300),
    )


def _check_in_keys(office: Office, actor, client: str | None) -> list[str]:
    keys = [f"kiosk-code:kiosk:{office.pk}:{getattr(actor, 'pk', None) or '-'}"]
    if client:
        keys.append(f"kiosk-code:ip:{client}")
    return keys


def check_in(
    *,
    office: Office,
    code: str,
    actor,
    now: datetime.datetime | None = None,
    client: str | None = None,
) -> Ticket:
    """The booked visitor at the kiosk: the code → a ticket of the booking's group, linked to
    it and called at the slot's time. A wrong code, another office's, a cancelled booking — one
    neutral answer, counted per kiosk (`actor`, of `office`) and per `client` address: past
    `check_in_limits()` every code from there is refused for a while, before any lookup (a
    guesser cannot go on enumerating; other kiosks and addresses are not affected). Earlier
    than `QUEUE_BOOKING_CHECKIN_EARLY` minutes before the slot: come back then; after the
    grace: the booking is lost, a walk-in ticket is offered."""
    now = timezone.localtime(now or timezone.now())
    keys = _check_in_keys(office, actor, client)
    limit, window = check_in_limits()
    if throttle.exhausted(keys, limit=limit):
        raise TooManyAttempts(TOO_MANY_CODES, field="code")
    key = normalize_booking_code(code)
    booking = Booking.objects.filter(office=office, code=key).select_related("group").first()
    if booking is None or booking.status == Booking.Status.CANCELLED:
        throttle.count(keys, limit=limit, window=window)
        raise QueueError(NO_BOOKING, field="code")
    starts = timezone.localtime(booking.starts_at)
    if booking.status == Booking.Status.CHECKED_IN:
        return booking.ticket
    early = datetime.timedelta(minutes=getattr(settings, "QUEUE_BOOKING_CHECKIN_EARLY", 30))
    _, grace = booking_call_window()
    # past its grace, whether or not the periodic task has marked it «не пришёл» yet
    if booking.status == Booking.Status.NO_SHOW or now > starts + grace:
        when = f"{starts:%H:%M}" if booking.day == now.date() else f"{starts:%d.%m.%Y %H:%M}"
        raise LateForBooking(
            f"Время вашей записи ({when}) прошло более {int(grace.total_seconds() // 60)} "
            "минут назад, и запись уже не действует. Возьмите обычный талон — вас вызовут "
            "в общей очереди.",
            booking.group,
        )
    if booking.day != now.date():
        raise QueueError(
            f"Ваша запись — на {starts:%d.%m.%Y} в {starts:%H:%M}. Приходите в этот день.",
            field="code",
        )
    if now < starts - early:
        raise QueueError(
            f"Ваша запись — на {starts:%H:%M}. Отметиться можно с {starts - early:%H:%M}; "
            "подойдите к киоску в это время или возьмите обычный талон.",
            field="code",
        )
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status == Booking.Status.CHECKED_IN:
            return booking.ticket
        if booking.status != Booking.Status.BOOKED:  # cancelled or marked missed meanwhile
            raise QueueError(NO_BOOKING, field="code")
        ticket = issue_ticket(
            office=office, group=booking.group, actor=actor, booking=booking, now=now
        )
        booking.status = Booking.Status.CHECKED_IN
        booking.checked_in_at = now
        save_with_actor(booking, actor)
    return ticket


def missed_bookings(now: datetime.datetime | None = None) -> Q:
    """Bookings never checked in whose check-in has closed (the slot's start and the grace,
    `booking_call_window()`, are past): marked «не пришёл», or still to be marked. The one
    definition the periodic task, the check-in and the statistics share."""
    _, grace = booking_call_window()
    now = now or timezone.now()
    return Q(status=Booking.Status.NO_SHOW) | Q(
        status=Booking.Status.BOOKED, starts_at__lt=now - grace
    )


def mark_missed_bookings(
    *, office: Office | None = None, now: datetime.datetime | None = None
) -> int:
    """Bookings still «записан» whose check-in has closed become «не пришёл» (one history
    record each). Run every few minutes by beat, and by the bookings page and the API before
    they list a day; idempotent. Returns how many were marked."""
    now = now or timezone.now()
    _, grace = booking_call_window()
    minutes = int(grace.total_seconds() // 60)
    late = Booking.objects.filter(status=Booking.Status.BOOKED, starts_at__lt=now - grace)
    if office is not None:
        late = late.filter(office=office)
    if not late.exists():  # the usual case: no write transaction (a page reads this)
        return 0
    with transaction.atomic():
        # a visitor checking in at this moment holds the row: skip it, the next run sees it
        rows = list(late.select_for_update(skip_locked=True).order_by("pk"))
        if not rows:
            return 0
        for row in rows:
            row.status = Booking.Status.NO_SHOW
        bulk_update_with_history(
            rows, Booking, ["status"], batch_size=500,
            default_change_reason=f"не отметился на киоске в течение {minutes} мин после начала интервала",
        )  # fmt: skip
    return len(rows)


def booking_keep_days() -> int:
    """How many days after its day a booking keeps the visitor's name and phone
    (`QUEUE_BOOKING_KEEP_DAYS`, 30 by default)."""
    return getattr(settings, "QUEUE_BOOKING_KEEP_DAYS", 30)


def erase_past_bookings(*, now: datetime.datetime | None = None) -> int:
    """The nightly retention: a booking whose day is more than `booking_keep_days()` days past
    loses the visitor's name and phone (they served only to reach the visitor about it), on the
    row and on its history; the booking stays for the statistics. Linked to a card or not.
    Idempotent: an erased booking is not touched again. Returns how many were erased."""
    today = timezone.localdate(now or timezone.now())
    cutoff = today - datetime.timedelta(days=booking_keep_days())
    reason = f"истёк срок хранения ФИО и телефона посетителя ({booking_keep_days()} дн. после дня записи)"
    with transaction.atomic():
        rows = list(
            Booking.objects.select_for_update()
            .filter(day__lt=cutoff)
            .exclude(**ERASED_VISITOR)
            .order_by("pk")
        )
        if not rows:
            return 0
        ids = [row.pk for row in rows]
        Booking.history.filter(id__in=ids).update(**ERASED_VISITOR)
        for row in rows:
            for name, value in ERASED_VISITOR.items():
                setattr(row, name, value)
        # one history record each, naming why (the system acts: no user)
        bulk_update_with_history(
            rows, Booking, list(ERASED_VISITOR), batch_size=500, default_change_reason=reason
        )
    return len(rows)


# --- The hall display ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Board:
    calling: list  # tickets called and not yet at the window, newest call first
    recent: list  # the last calls before them
    waiting: list  # (group, how many wait)
    signature: str  # changes with every call or repeated call: the display chimes


def display_board(office: Office, day: datetime.date | None = None) -> Board:
    day = day or timezone.localdate()
    today = Ticket.objects.of_day(office.pk, day).select_related("window")
    calling = list(today.filter(status=Status.CALLED).order_by("-last_called_at", "-pk")[:8])
    recent = list(
        today.filter(last_called_at__isnull=False)
        .exclude(pk__in=[t.pk for t in calling])
        .exclude(status=Status.WAITING)
        .order_by("-last_called_at", "-pk")[:DISPLAY_RECENT]
    )
    # the waiting per group and the signature of the calls, in one pass over the day's tickets
    per_group = list(
        Ticket.objects.of_day(office.pk, day)
        .order_by()
        .values("group_id")
        .annotate(
            n=Count("pk", filter=Q(status=Status.WAITING)),
            latest=Max("last_called_at"),
            calls=Sum("call_count"),
        )
    )
    counts = {row["group_id"]: row["n"] for row in per_group}
    waiting = [(group, counts.get(group.pk, 0)) for group in kiosk_groups(office)]
    latest = max((row["latest"] for row in per_group if row["latest"]), default=None)
    calls = sum(row["calls"] or 0 for row in per_group)
    stamp = latest.timestamp() if latest else 0
    return Board(calling, recent, waiting, f"{stamp:.3f}-{calls}")
