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
import statistics
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Case, Count, Max, Q, Sum, Value, When
from django.utils import timezone

from cases.errors import QueueError
from cases.models import (
    Applicant,
    Application,
    OpeningHours,
    PriorityCategory,
    ServiceGroup,
    Ticket,
    Window,
)
from onewindow import workdays
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
    if not state.open:
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
    then those redirected from another window (they have waited already), then first come.
    Pre-booking puts the booked tickets due now after the out-of-turn ones here."""
    return ["-for_window", "-priority", "-redirected", "issued_at", "pk"]


def waiting_for(window: Window, day: datetime.date | None = None):
    """The tickets `window` may call now, in the order of the call."""
    day = day or timezone.localdate()
    groups = list(window.groups.filter(is_active=True).values_list("pk", flat=True))
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
            redirected=Case(
                When(redirected_at__isnull=False, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .order_by(*call_order(window))
    )


def _own_window(window: Window, actor) -> Window:
    """The window locked for this step; only the specialist sitting at it acts for it."""
    window = Window.objects.select_for_update().get(pk=window.pk)
    if window.specialist_id != actor.pk or window.specialist_on != timezone.localdate():
        raise QueueError(
            f"Вы не работаете за окном {window.number}: сначала выберите окно.", field="window"
        )
    return window


def _refuse_while_busy(window: Window) -> None:
    busy = current_ticket(window)
    if busy is not None:
        raise QueueError(
            f"У окна уже есть посетитель — талон {busy.code}: завершите приём, отметьте неявку "
            "или перенаправьте его."
        )


def call_next_ticket(window: Window, *, actor) -> Ticket:
    """Call the first ticket in the order of the call to `window`."""
    now = timezone.now()
    with transaction.atomic():
        window = _own_window(window, actor)
        _refuse_while_busy(window)
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
        window = _own_window(window, actor)
        _refuse_while_busy(window)
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
    counts = dict(
        today.waiting().values_list("group_id").annotate(n=Count("pk")).values_list("group_id", "n")
    )
    waiting = [(group, counts.get(group.pk, 0)) for group in kiosk_groups(office)]
    latest = today.aggregate(latest=Max("last_called_at"), calls=Sum("call_count"))
    stamp = latest["latest"].timestamp() if latest["latest"] else 0
    return Board(calling, recent, waiting, f"{stamp:.3f}-{latest['calls'] or 0}")
