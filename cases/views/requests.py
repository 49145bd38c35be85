"""Requests with deadlines: interagency requests, incoming requests from other districts and
regions, and requests to other offices of this installation. Thin views over `cases.requests`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
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
    RequestFilterForm,
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
from cases.views.common import show_refusal
from onewindow.audit import get_for_user_or_404, log_access, shown
from onewindow.forms import show_invalid
from onewindow.lists import paginate_list
from onewindow.pdf import pdf_response, render_pdf

# (tab, title, sorts, default sort): one paginated table per kind of request
REQUEST_TABS = {
    "interagency": ("Межведомственные запросы", {
        "document": "document__title", "agency": "agency__name", "application": ("application__reg_year", "application__reg_number"),
        "sent": "sent_on", "due": "due_date", "result": "result", "specialist": ("handled_by__last_name", "handled_by__first_name"),
    }, "due"),
    "incoming": ("Из других районов и регионов", {
        "sender": "sender", "received": "received_on", "subject": "subject_name", "due": "due_date",
        "specialist": ("assigned_to__last_name", "assigned_to__first_name"), "answered": "answered_on",
    }, "due"),
    "outgoing": ("Наши запросы в другие учреждения", {
        "number": ("out_year", "out_number"), "to": "to_office__name", "sent": "sent_on", "due": "due_date",
        "answered": "answered_on",
    }, "-sent"),
    "transfers": ("Передача личных дел", {
        "name": "stated_name", "from": "from_office__name", "to": "to_office__name",
        "requested": "requested_at", "status": "status",
    }, "-requested"),
}  # fmt: skip
REQUESTS_PAGE = 50


def _request_querysets(user, data: dict, today) -> dict:
    """Each tab's requests narrowed by the filters (`data`: the form's cleaned data)."""
    show = data.get("show") or "open"
    start, end = data.get("date_from"), data.get("date_to")
    agency, specialist = data.get("agency"), data.get("specialist")
    interagency = InteragencyRequest.objects.for_user(user).select_related(
        "agency", "document", "application__applicant", "handled_by"
    )
    incoming = IncomingRequest.objects.for_user(user).select_related(
        "kind", "assigned_to", "applicant"
    )
    outgoing = OutgoingRequest.objects.for_user(user).select_related(
        "to_office", "applicant", "kind"
    )
    transfers = CaseTransfer.objects.for_user(user).select_related(
        "from_office", "to_office", "requested_by"
    )
    # a request is awaited while its application is: one withdrawn or decided waits for nothing
    awaited = Q(result="", application__status__in=Application.OPEN_STATUSES)
    if show == "overdue":
        interagency = interagency.filter(awaited, due_date__lt=today)
        incoming = incoming.filter(answered_on__isnull=True, due_date__lt=today)
        outgoing = outgoing.filter(answered_on__isnull=True, due_date__lt=today)
        transfers = transfers.open()
    elif show == "open":
        interagency = interagency.filter(awaited)
        incoming = incoming.filter(answered_on__isnull=True)
        outgoing = outgoing.filter(answered_on__isnull=True)
        transfers = transfers.open()
    elif show == "answered":
        interagency = interagency.exclude(result="")
        incoming = incoming.filter(answered_on__isnull=False)
        outgoing = outgoing.filter(answered_on__isnull=False)
        transfers = transfers.exclude(status=CaseTransfer.Status.REQUESTED)
    if start:
        interagency = interagency.filter(sent_on__gte=start)
        incoming = incoming.filter(received_on__gte=start)
        outgoing = outgoing.filter(sent_on__gte=start)
        transfers = transfers.filter(requested_at__date__gte=start)
    if end:
        interagency = interagency.filter(sent_on__lte=end)
        incoming = incoming.filter(received_on__lte=end)
        outgoing = outgoing.filter(sent_on__lte=end)
        transfers = transfers.filter(requested_at__date__lte=end)
    office = data.get("office")
    if office:
        interagency = interagency.filter(office=office)
        incoming = incoming.filter(office=office)
        outgoing = outgoing.filter(office=office)
        transfers = transfers.filter(Q(from_office=office) | Q(to_office=office))
    if agency:  # only interagency requests go to an agency
        interagency = interagency.filter(agency=agency)
        incoming, outgoing, transfers = incoming.none(), outgoing.none(), transfers.none()
    if specialist:
        interagency = interagency.filter(handled_by=specialist)
        incoming = incoming.filter(assigned_to=specialist)
        outgoing = outgoing.filter(handled_by=specialist)
        transfers = transfers.filter(requested_by=specialist)
    return {
        "interagency": interagency,
        "incoming": incoming,
        "outgoing": outgoing,
        "transfers": transfers,
    }


@login_required
@permission_required("cases.view_incomingrequest", raise_exception=True)
def request_list(request):
    today = timezone.localdate()
    form = RequestFilterForm(request.GET, user=request.user)
    data = form.cleaned_data if form.is_valid() else {}
    tab = request.GET.get("kind", "")
    if tab not in REQUEST_TABS:
        tab = "interagency"
    querysets = _request_querysets(request.user, data, today)
    if not form.is_valid():
        querysets = {key: qs.none() for key, qs in querysets.items()}
    title, sorts, default = REQUEST_TABS[tab]
    listing = paginate_list(
        request, querysets[tab], sorts=sorts, default=default, per_page=REQUESTS_PAGE
    )
    counts = {key: qs.count() for key, qs in querysets.items()}
    tabs = []
    for key, (tab_title, _, _) in REQUEST_TABS.items():
        params = request.GET.copy()
        for name in ("kind", "page", "sort"):
            params.pop(name, None)
        params["kind"] = key
        tabs.append(
            {"key": key, "title": tab_title, "count": counts[key], "query": params.urlencode()}
        )
    rows = listing.items
    if tab == "interagency":
        people = [item.application.applicant_id for item in rows]
    elif tab in ("incoming", "outgoing"):
        people = [item.applicant_id for item in rows if item.applicant_id]
    else:
        people = []
    show = data.get("show") or "open"
    log_access(
        request,
        event="view_list",
        subject_repr=f"Запросы ({show}"
        + (f", {title.lower()}" if tab != "interagency" else "")
        + (f", стр. {listing.page.number}" if listing.page.number > 1 else "")
        + ")",
        detail=shown(dict.fromkeys(people)),
    )
    template = "cases/requests.html#results" if request.htmx else "cases/requests.html"
    return render(
        request,
        template,
        {
            "form": form,
            "tab": tab,
            "tabs": tabs,
            "title": title,
            "rows": listing,
            "show": show,
            "today": today,
            "reassign": _reassign_form(request.user, tab, data.get("office")),
        },
    )


def _reassign_form(user, tab: str, office):
    """The chief's «Передать отмеченные» on the interagency and incoming tabs."""
    from onewindow.forms import reassign_form
    from onewindow.reassign import REASSIGNS

    takes = {"interagency": svc.HANDLES_INTERAGENCY, "incoming": svc.ANSWERS_REQUESTS}.get(tab)
    return reassign_form(user, REASSIGNS, takes, office) if takes else None


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
                show_refusal(form, exc)
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
            item = svc.register_incoming_request(actor=request.user, **data)
        except CounterError as exc:
            show_refusal(form, exc)
        except ValidationError as exc:  # the model's rules (the form checks them too)
            show_invalid(form, exc)
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
            show_refusal(form, exc)
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
        IncomingRequest.objects.select_related("office", "answered_by", "sender_office"),
        event="print_document",
        pk=pk,
    )
    if item.is_open:
        messages.error(request, "Письмо печатается после того, как ответ записан.")
        return redirect("cases:incoming", pk=pk)
    # an office of this installation: its address as it is now, if the request did not give one
    address = item.sender_address or (item.sender_office.address if item.sender_office else "")
    pdf = render_pdf(
        "cases/answer_letter_pdf.html", {"item": item, "office": item.office, "address": address}
    )
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
            show_refusal(form, exc)
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
