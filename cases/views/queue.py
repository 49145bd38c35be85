"""The electronic queue's pages: the kiosk (a touch screen in the hall, on a kiosk account), the
ticket it prints (80 mm), the hall display (on a display account) and the specialist's window
panel on the counter page. Thin: parse, call `cases.services.queue`, render."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cases.errors import QueueError
from cases.models import PriorityCategory, ServiceGroup, Ticket, Window
from cases.services import queue
from onewindow.audit import get_for_user_or_404
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
