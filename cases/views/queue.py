"""The electronic queue's pages: the kiosk (a touch screen in the hall, on a kiosk account), the
ticket it prints (80 mm), the hall display (on a display account) and the specialist's window
panel on the counter page. Thin: parse, call `cases.services.queue`, render."""

from __future__ import annotations

import datetime
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.errors import LateForBooking, QueueError, TooManyAttempts
from cases.forms.queue import BookingForm
from cases.models import Booking, PriorityCategory, ServiceGroup, Ticket, Window
from cases.services import queue
from onewindow.audit import client_ip, get_for_user_or_404, log_access, shown
from onewindow.pdf import pdf_response, render_pdf

# --- The kiosk ----------------------------------------------------------------------------------


def _office(request):
    office = request.user.office
    if office is None:
        raise Http404("Учётной записи не назначено учреждение")
    return office


def _category(value) -> PriorityCategory | None:
    if not value:
        return None
    try:
        return PriorityCategory.objects.filter(is_active=True).get(pk=int(value))
    except (ValueError, PriorityCategory.DoesNotExist):
        return None


def _kiosk_context(request, *, category=None, error: str = "") -> dict:
    office = _office(request)
    return {
        "office": office,
        "state": queue.kiosk_state(office),
        "groups": list(queue.kiosk_groups(office)),
        "category": category,
        "has_categories": PriorityCategory.objects.filter(is_active=True).exists(),
        "token": uuid.uuid4(),
        "error": error,
    }


@login_required
@permission_required("cases.use_kiosk", raise_exception=True)
@require_GET
def kiosk(request):
    context = _kiosk_context(request, category=_category(request.GET.get("category")))
    return render(request, "cases/queue/kiosk.html", context)


@login_required
@permission_required("cases.use_kiosk", raise_exception=True)
@require_GET
def kiosk_status(request):
    """The kiosk's buttons and its state, fetched every half minute: the page closes itself at
    the last-ticket time and opens in the morning without anybody touching it."""
    context = _kiosk_context(request, category=_category(request.GET.get("category")))
    response = render(request, "cases/queue/kiosk.html#groups", context)
    response["X-Queue-Part"] = "kiosk"
    return response


@login_required
@permission_required("cases.use_kiosk", raise_exception=True)
@require_GET
def kiosk_priority(request):
    categories = PriorityCategory.objects.filter(is_active=True)
    return render(
        request,
        "cases/queue/kiosk_priority.html",
        {"office": _office(request), "categories": categories},
    )


@login_required
@permission_required("cases.use_kiosk", raise_exception=True)
@require_POST
def kiosk_take(request):
    office = _office(request)
    category = _category(request.POST.get("category"))
    try:
        group = ServiceGroup.objects.get(pk=int(request.POST.get("group", "")))
        token = uuid.UUID(request.POST.get("token", ""))
    except (ValueError, ServiceGroup.DoesNotExist):
        context = _kiosk_context(request, category=category, error="Выберите услугу на экране.")
        return render(request, "cases/queue/kiosk.html", context, status=400)
    try:
        ticket = queue.issue_ticket(
            office=office, group=group, actor=request.user, priority_category=category, token=token
        )
    except QueueError as exc:
        context = _kiosk_context(request, category=category, error=exc.message)
        return render(request, "cases/queue/kiosk.html", context, status=409)
    return redirect(reverse("queue:ticket", args=[ticket.pk]) + "?print=1")


@login_required
@permission_required("cases.use_kiosk", raise_exception=True)
@require_http_methods(["GET", "POST"])
def kiosk_booking(request):
    """«У меня запись»: the booking code typed on the big keypad → the booked visitor's ticket.
    A wrong code gets one neutral answer; a late visitor is offered a walk-in ticket."""
    office = _office(request)
    keys = sorted(queue.BOOKING_CODE_ALPHABET, key=lambda ch: (not ch.isdigit(), ch))
    context = {"office": office, "code": "", "error": "", "late_group": None, "keys": keys}
    if request.method == "POST":
        code = request.POST.get("code", "")
        context["code"] = queue.normalize_booking_code(code)
        try:
            ticket = queue.check_in(
                office=office, code=code, actor=request.user, client=client_ip(request)
            )
        except LateForBooking as exc:
            context.update(error=exc.message, late_group=exc.group, token=uuid.uuid4())
            return render(request, "cases/queue/kiosk_booking.html", context, status=409)
        except TooManyAttempts as exc:
            context.update(error=exc.message, code="")
            return render(request, "cases/queue/kiosk_booking.html", context, status=429)
        except QueueError as exc:
            context["error"] = exc.message
            return render(request, "cases/queue/kiosk_booking.html", context, status=400)
        return redirect(reverse("queue:ticket", args=[ticket.pk]) + "?print=1")
    return render(request, "cases/queue/kiosk_booking.html", context)


def _ticket_for(request, pk: int) -> Ticket:
    ticket = get_for_user_or_404(request, Ticket.objects.select_related("group", "office"), pk=pk)
    if ticket.day != timezone.localdate():
        raise Http404("Талон не сегодняшний")
    return ticket


@login_required
@permission_required("cases.use_kiosk", raise_exception=True)
@require_GET
def ticket_page(request, pk: int):
    """The ticket as an 80 mm print page; the kiosk prints it at once (Chromium's
    --kiosk-printing sends it to the receipt printer without a dialog) and goes back."""
    ticket = _ticket_for(request, pk)
    return render(
        request,
        "cases/queue/ticket.html",
        {
            "ticket": ticket,
            "outlook": queue.ticket_outlook(ticket),
            "autoprint": request.GET.get("print") == "1",
        },
    )


@login_required
@permission_required("cases.use_kiosk", raise_exception=True)
@require_GET
def ticket_pdf(request, pk: int):
    ticket = _ticket_for(request, pk)
    pdf = render_pdf(
        "cases/queue/ticket_pdf.html",
        {"ticket": ticket, "outlook": queue.ticket_outlook(ticket)},
    )
    return pdf_response(pdf, f"талон-{ticket.code}.pdf")


# --- Pre-booking (the specialist on the phone) ---------------------------------------------------

# the service's fields as the form names them
BOOKING_FORM_FIELDS = {"starts_at": "time", "applicant": None}


def _day(value: str | None) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        return timezone.localdate()


@login_required
@permission_required("cases.view_booking", raise_exception=True)
@require_http_methods(["GET", "POST"])
def bookings(request):
    """The day's slots per group with what is free, the form to book, the day's bookings."""
    user = request.user
    office = _office(request)
    groups = queue.booking_groups(office)
    day = _day(request.POST.get("day") if request.method == "POST" else request.GET.get("day"))
    if request.method == "POST":
        if not user.has_perm("cases.add_booking"):
            raise PermissionDenied
        form = BookingForm(request.POST, groups=groups)
        if form.is_valid():
            data = form.cleaned_data
            day = data["day"]
            starts_at = datetime.datetime.combine(
                day, data["time"], tzinfo=timezone.get_current_timezone()
            )
            try:
                booking = queue.book_slot(
                    office=office,
                    group=data["group"],
                    starts_at=starts_at,
                    visitor_name=data["visitor_name"],
                    visitor_phone=data["visitor_phone"],
                    actor=user,
                )
            except QueueError as exc:
                form.add_error(BOOKING_FORM_FIELDS.get(exc.field, exc.field), exc.message)
            else:
                messages.success(
                    request,
                    f"{booking.visitor_name} записан(а) на {day:%d.%m.%Y} в "
                    f"{timezone.localtime(booking.starts_at):%H:%M} («{booking.group.title}»). "
                    f"Код записи: {booking.code} — продиктуйте его посетителю.",
                )
                return redirect(f"{reverse('queue:bookings')}?day={day:%Y-%m-%d}")
    else:
        initial = {"day": day}
        group = groups.filter(pk=_int(request.GET.get("group"))).first()
        if group is not None:
            initial["group"] = group
        if request.GET.get("time"):
            initial["time"] = request.GET["time"]
        form = BookingForm(initial=initial, groups=groups)
    hours = queue.day_hours(office, day)
    table = [(group, queue.day_slots(office, group, day, hours=hours)) for group in groups]
    queue.mark_missed_bookings(office=office)  # the page shows «не пришёл» without waiting for beat
    day_bookings = list(
        Booking.objects.for_user(user)
        .filter(day=day)
        .select_related("group", "booked_by")
        .order_by("starts_at", "pk")
    )
    if day_bookings:
        log_access(
            request,
            event="view_list",
            subject_repr=f"предварительная запись на {day:%d.%m.%Y}",
            detail=shown(day_bookings),
        )
    full = user.has_perm("cases.view_full_identity")
    for booking in day_bookings:
        booking.phone_shown = (
            booking.visitor_phone if full else queue.mask_phone(booking.visitor_phone)
        )
    return render(
        request,
        "cases/queue/bookings.html",
        {
            "day": day,
            "previous_day": day - datetime.timedelta(days=1),
            "next_day": day + datetime.timedelta(days=1),
            "hours": hours,
            "table": table,
            "form": form,
            "bookings": day_bookings,
            "can_book": user.has_perm("cases.add_booking"),
        },
        status=400 if form.errors else 200,
    )


@login_required
@permission_required("cases.change_booking", raise_exception=True)
@require_POST
def booking_cancel(request, pk: int):
    booking = get_for_user_or_404(request, Booking.objects.all(), event=None, pk=pk)
    try:
        queue.cancel_booking(booking, actor=request.user)
    except QueueError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Запись {booking.code} ({booking.visitor_name}) отменена.")
    return redirect(f"{reverse('queue:bookings')}?day={booking.day:%Y-%m-%d}")


# --- The hall display ---------------------------------------------------------------------------


@login_required
@permission_required("cases.view_queue_display", raise_exception=True)
@require_GET
def display(request):
    office = _office(request)
    return render(
        request,
        "cases/queue/display.html",
        {"office": office, "board": queue.display_board(office)},
    )


@login_required
@permission_required("cases.view_queue_display", raise_exception=True)
@require_GET
def display_board(request):
    office = _office(request)
    response = render(
        request,
        "cases/queue/display.html#board",
        {"office": office, "board": queue.display_board(office)},
    )
    response["X-Queue-Part"] = "board"
    return response


# --- The specialist's window (a panel of the counter page) -------------------------------------


def window_context(user, *, error: str = "", note: str = "") -> dict:
    office_windows = Window.objects.active().filter(office_id=user.office_id)
    window = queue.window_of(user)
    ticket = queue.current_ticket(window) if window else None
    context = {
        "windows": list(office_windows.select_related("specialist").prefetch_related("groups")),
        "window": window,
        "ticket": ticket,
        "error": error,
        "note": note,
        "today": timezone.localdate(),
    }
    if window is not None:
        context["waiting"] = queue.waiting_for(window).count()
        context["groups"] = list(ServiceGroup.objects.filter(is_active=True))
    if ticket is not None:
        context["applications"] = list(ticket.applications.order_by("pk"))
    return context


@login_required
@permission_required("cases.serve_queue", raise_exception=True)
@require_GET
def window_panel(request):
    return render(request, "cases/queue/window.html", window_context(request.user))


@login_required
@permission_required("cases.serve_queue", raise_exception=True)
@require_GET
def window_waiting(request):
    """How many wait for the specialist's window (the panel asks every 15 seconds)."""
    window = queue.window_of(request.user)
    return HttpResponse(str(queue.waiting_for(window).count()) if window else "—")


WINDOW_ACTIONS = {
    "recall": (queue.recall_ticket, "Талон {code} вызван повторно."),
    "start": (queue.start_ticket, "Приём по талону {code} начат."),
    "no-show": (queue.mark_no_show, "Талон {code}: посетитель не явился."),
    "finish": (queue.finish_ticket, "Приём по талону {code} завершён."),
}


@login_required
@permission_required("cases.serve_queue", raise_exception=True)
@require_POST
def window_action(request, action: str):
    user = request.user
    note = error = ""
    try:
        if action == "take":
            window = get_object_or_404(
                Window.objects.for_user(user), pk=_int(request.POST.get("window"))
            )
            queue.take_window(window, actor=user)
            note = f"Вы за окном {window.number}."
        elif action == "leave":
            queue.leave_window(actor=user)
            note = "Окно освобождено."
        else:
            window = queue.window_of(user)
            if window is None:
                raise QueueError("Сначала выберите окно.")
            if action == "call-next":
                ticket = queue.call_next_ticket(window, actor=user)
                note = f"Вызван талон {ticket.code}."
            elif action == "call":
                ticket = _ticket(request, user)
                queue.call_ticket(ticket, window, actor=user)
                note = f"Вызван талон {ticket.code}."
            elif action == "redirect":
                ticket = _ticket(request, user)
                group = ServiceGroup.objects.filter(pk=_int(request.POST.get("group"))).first()
                target = (
                    Window.objects.for_user(user)
                    .filter(pk=_int(request.POST.get("target_window")))
                    .first()
                )
                queue.redirect_ticket(ticket, window, actor=user, group=group, target_window=target)
                where = f"в окно {target.number}" if target else f"в группу «{group.title}»"
                note = f"Талон {ticket.code} направлен {where}."
            elif action in WINDOW_ACTIONS:
                step, text = WINDOW_ACTIONS[action]
                ticket = step(_ticket(request, user), window, actor=user)
                note = text.format(code=ticket.code)
            else:
                raise Http404("Нет такого действия")
    except QueueError as exc:
        error = exc.message
    if request.htmx:
        return render(
            request, "cases/queue/window.html", window_context(user, error=error, note=note)
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, note)
    return redirect("cases:counter")


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _ticket(request, user) -> Ticket:
    ticket = Ticket.objects.for_user(user).filter(pk=_int(request.POST.get("ticket"))).first()
    if ticket is None:
        raise QueueError("Талон не найден.")
    return ticket
