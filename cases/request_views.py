"""Requests with deadlines: interagency requests, incoming requests from other districts and
regions, and requests to other offices of this installation. Thin views over `cases.requests`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cases import requests as svc
from cases.forms import (
    AnswerForm,
    IncomingRequestForm,
    InteragencyResponseForm,
    OutgoingRequestForm,
)
from cases.models import (
    Applicant,
    Application,
    CaseTransfer,
    IncomingRequest,
    InteragencyRequest,
    OutgoingRequest,
)
from cases.services import CounterError
from onewindow.audit import get_for_user_or_404, log_access, shown
from onewindow.pdf import pdf_response, render_pdf


@login_required
@permission_required("cases.view_incomingrequest", raise_exception=True)
def request_list(request):
    today = timezone.localdate()
    show = request.GET.get("show", "open")
    interagency = InteragencyRequest.objects.for_user(request.user).select_related(
        "agency", "document", "application__applicant", "handled_by"
    )
    incoming = IncomingRequest.objects.for_user(request.user).select_related(
        "kind", "assigned_to", "applicant"
    )
    outgoing = OutgoingRequest.objects.for_user(request.user).select_related(
        "to_office", "applicant", "kind"
    )
    transfers = CaseTransfer.objects.for_user(request.user).select_related(
        "from_office", "to_office", "requested_by"
    )
    if show != "all":
        transfers = transfers.open()
    else:
        transfers = transfers[:200]
    # a request is awaited while its application is: one withdrawn or decided waits for nothing
    awaited = Q(result="", application__status__in=Application.OPEN_STATUSES)
    if show == "overdue":
        interagency = interagency.filter(awaited, due_date__lt=today)
        incoming = incoming.filter(answered_on__isnull=True, due_date__lt=today)
        outgoing = outgoing.filter(answered_on__isnull=True)
    elif show == "open":
        interagency = interagency.filter(awaited)
        incoming = incoming.filter(answered_on__isnull=True)
        outgoing = outgoing.filter(answered_on__isnull=True)
    else:
        interagency = interagency.order_by("-sent_on")[:200]
        incoming = incoming.order_by("-received_on")[:200]
        outgoing = outgoing[:200]
    interagency, incoming, outgoing, transfers = (
        list(interagency),
        list(incoming),
        list(outgoing),
        list(transfers),
    )
    people = [item.application.applicant_id for item in interagency]
    people += [item.applicant_id for item in [*incoming, *outgoing] if item.applicant_id]
    log_access(
        request,
        event="view_list",
        subject_repr=f"Запросы ({show})",
        detail=shown(dict.fromkeys(people)),
    )
    return render(
        request,
        "cases/requests.html",
        {
            "interagency": interagency,
            "incoming": incoming,
            "outgoing": outgoing,
            "transfers": transfers,
            "show": show,
            "today": today,
        },
    )


@login_required
@permission_required("cases.view_interagencyrequest", raise_exception=True)
@require_http_methods(["GET", "POST"])
def interagency_detail(request, pk: int):
    queryset = InteragencyRequest.objects.select_related(
        "agency", "document", "application__applicant", "handled_by"
    )
    item = get_for_user_or_404(request, queryset, event="view_request", pk=pk)
    form = InteragencyResponseForm(
        request.POST if request.method == "POST" else None,
        initial={"response_on": timezone.localdate()},
    )
    if request.method == "POST":
        if not request.user.has_perm("cases.change_interagencyrequest"):
            raise PermissionDenied("Недостаточно прав")
        if form.is_valid():
            try:
                svc.record_interagency_response(item, actor=request.user, **form.cleaned_data)
            except CounterError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, "Ответ на запрос записан.")
                return redirect("cases:application", pk=item.application_id)
    return render(
        request,
        "cases/interagency_detail.html",
        {"item": item, "form": form, "today": timezone.localdate()},
    )


@login_required
@permission_required("cases.add_incomingrequest", raise_exception=True)
@require_http_methods(["GET", "POST"])
def incoming_new(request):
    form = IncomingRequestForm(
        request.POST if request.method == "POST" else None,
        office=request.user.office,
        initial={"received_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            item = svc.register_incoming_request(data, actor=request.user)
        except CounterError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request, f"Запрос зарегистрирован, срок ответа — {item.due_date:%d.%m.%Y}."
            )
            return redirect("cases:incoming", pk=item.pk)
    return render(request, "cases/incoming_form.html", {"form": form})


@login_required
@permission_required("cases.view_incomingrequest", raise_exception=True)
@require_http_methods(["GET", "POST"])
def incoming_detail(request, pk: int):
    queryset = IncomingRequest.objects.select_related(
        "kind", "assigned_to", "applicant", "sender_office", "answered_by"
    )
    item = get_for_user_or_404(request, queryset, event="view_request", pk=pk)
    form = AnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not request.user.has_perm("cases.change_incomingrequest"):
        raise PermissionDenied("Недостаточно прав")
    if request.method == "POST" and form.is_valid():
        try:
            svc.answer_incoming_request(item, actor=request.user, **form.cleaned_data)
        except CounterError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Ответ записан. Распечатайте письмо.")
            return redirect("cases:incoming", pk=item.pk)
    return render(
        request,
        "cases/incoming_detail.html",
        {"item": item, "form": form, "today": timezone.localdate()},
    )


@login_required
@permission_required("cases.view_incomingrequest", raise_exception=True)
def incoming_letter(request, pk: int):
    item = get_for_user_or_404(
        request,
        IncomingRequest.objects.select_related("office", "answered_by"),
        event="print_document",
        pk=pk,
    )
    if item.is_open:
        messages.error(request, "Письмо печатается после того, как ответ записан.")
        return redirect("cases:incoming", pk=pk)
    pdf = render_pdf("cases/answer_letter_pdf.html", {"item": item, "office": item.office})
    return pdf_response(pdf, f"Ответ {item.out_number}-{item.out_year}.pdf")


@login_required
@permission_required("cases.add_outgoingrequest", raise_exception=True)
@require_http_methods(["GET", "POST"])
def outgoing_new(request, applicant_pk: int):
    applicant = get_for_user_or_404(request, Applicant.objects.all(), pk=applicant_pk)
    form = OutgoingRequestForm(
        request.POST if request.method == "POST" else None, office=request.user.office
    )
    if request.method == "POST" and form.is_valid():
        try:
            outgoing = svc.send_request_to_office(
                actor=request.user, applicant=applicant, **form.cleaned_data
            )
        except CounterError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request,
                f"Запрос № {outgoing.out_number}/{outgoing.out_year} направлен в {outgoing.to_office}.",
            )
            return redirect("cases:outgoing", pk=outgoing.pk)
    return render(request, "cases/outgoing_form.html", {"form": form, "applicant": applicant})


@login_required
@permission_required("cases.view_outgoingrequest", raise_exception=True)
def outgoing_detail(request, pk: int):
    item = get_for_user_or_404(
        request,
        OutgoingRequest.objects.select_related("to_office", "applicant", "kind", "created_by"),
        event="view_request",
        pk=pk,
    )
    return render(request, "cases/outgoing_detail.html", {"item": item})
