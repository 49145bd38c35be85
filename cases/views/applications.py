"""Applications: choosing the service, the checklist, the application's page, its lifecycle steps,
the receipt and the notice."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cases import decisions, printing, services
from cases.forms import (
    ApplicationForm,
    TransitionForm,
)
from cases.models import (
    Applicant,
    Application,
)
from cases.views.common import refusal_message, sees_full_identity, show_refusal
from onewindow.audit import get_for_user_or_404
from onewindow.pdf import pdf_response, render_pdf
from services.models import Ground, Service
from services.services import search_services

# --- Applications -----------------------------------------------------------------------------


@login_required
@permission_required("cases.add_application", raise_exception=True)
def apply_choose_service(request, pk: int):
    applicant = get_for_user_or_404(request, Applicant.objects.all(), pk=pk)
    query = request.GET.get("q", "").strip()
    today = timezone.localdate()
    found = []
    for service in search_services(query, Service.objects.filter(is_active=True), limit=40):
        version = service.version_on(today)
        # in a deceased person's file only what their death gives rise to (burial) is accepted
        if version and (version.on_death or not applicant.death_date):
            found.append(service)
    template = "cases/apply_choose.html#services" if request.htmx else "cases/apply_choose.html"
    archived = services.archived_case_file(applicant)
    refusal = (
        refusal_message(
            request, services.archived_refusal(archived, "новое заявление по нему не принимается")
        )
        if archived
        else ""
    )
    return render(
        request,
        template,
        {"applicant": applicant, "services": found, "query": query, "archived_refusal": refusal},
    )


@login_required
@permission_required("cases.add_application", raise_exception=True)
@require_http_methods(["GET", "POST"])
def apply_form(request, pk: int, code: str):
    applicant = get_for_user_or_404(request, Applicant.objects.all(), event="view_applicant", pk=pk)
    service = get_object_or_404(Service, code=code)
    now = timezone.now()
    try:
        registered_on, version = services.version_for_registration(service, now)
    except services.CounterError as exc:
        messages.error(request, exc.message)
        return redirect("cases:apply", pk=applicant.pk)
    archived = services.archived_case_file(applicant)
    if archived is not None:  # said before the checklist is filled, not after
        messages.error(
            request,
            refusal_message(
                request,
                services.archived_refusal(archived, "новое заявление по нему не принимается"),
            ),
        )
        return redirect("cases:applicant", pk=applicant.pk)
    if applicant.death_date and not version.on_death:
        messages.error(
            request,
            f"{applicant.full_name} {applicant.died_word} {applicant.death_date:%d.%m.%Y}: заявление на эту услугу "
            "принять нельзя.",
        )
        return redirect("cases:apply", pk=applicant.pk)
    form = ApplicationForm(
        request.POST if request.method == "POST" else None,
        version=version,
        applied_on=timezone.localdate(now),
        # a service arising from the death: its window runs from the death the card records
        event_date=applicant.death_date if version.on_death else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.register_application(
                applicant,
                service,
                actor=request.user,
                marks=form.marks(),
                idempotency_key=form.cleaned_data["idempotency_key"],
                received_at=now,
                representative=form.representative(),
                consent_given=form.cleaned_data.get("consent_given", False),
                note=form.cleaned_data.get("note", ""),
                intake=form.intake(),
            )
        except services.CounterError as exc:
            show_refusal(form, exc, refusal_message(request, exc))
        else:
            messages.success(
                request,
                f"Заявление № {application.number_display} зарегистрировано. Срок решения — "
                f"{application.deadline:%d.%m.%Y}. Распечатайте расписку.",
            )
            return redirect("cases:application", pk=application.pk)
    return render(
        request,
        "cases/apply_form.html",
        {
            "applicant": applicant,
            "service": service,
            "version": version,
            "form": form,
            "registered_on": registered_on,
            "deadline": version.decision_deadline(registered_on),
            "refuse_acceptance": version.grounds_of("refuse_acceptance"),
            "off_day": registered_on != timezone.localdate(now),
        },
    )


def _application(request, pk: int, event: str | None = "view_application") -> Application:
    queryset = Application.objects.select_related(
        "applicant",
        "service",
        "service_version__regulation",
        "specialist",
        "accepted_by",
        "case_file",
        "office",
        "organisation",
    )
    return get_for_user_or_404(request, queryset, event=event, pk=pk)


@login_required
@permission_required("cases.view_application", raise_exception=True)
def application_detail(request, pk: int):
    application = _application(request, pk)
    transitions = services.available_transitions(application, request.user)
    version = application.service_version
    today = timezone.localdate()
    return render(
        request,
        "cases/application_detail.html",
        {
            "application": application,
            "version": version,
            # an application keeps the version it was accepted under, ended or not
            "version_ended": version.effective_to is not None and version.effective_to < today,
            "version_end": version.effective_to + datetime.timedelta(days=1)
            if version.effective_to
            else None,
            "refuse_grounds": version.grounds_of(Ground.Kind.REFUSE)
            if any(name == "refuse" for name, _ in transitions)
            else [],
            "documents": application.documents.select_related("required_document"),
            "events": application.events.select_related("actor"),
            "transitions": transitions,
            "form": TransitionForm(),
            "today": today,
            "full_identity": sees_full_identity(request.user),
            "entitlements": application.entitlements.all(),
            "interagency": application.interagency_requests.select_related("agency", "document"),
            "open_requests": application.interagency_requests.filter(result="").count(),
        },
    )


@login_required
@permission_required("cases.view_application", raise_exception=True)
@require_POST
def application_transition(request, pk: int, action: str):
    application = _application(request, pk, event=None)
    form = TransitionForm(request.POST)
    if action not in services.TRANSITIONS:
        messages.error(request, "Неизвестное действие.")
        return redirect("cases:application", pk=pk)
    if not request.user.has_perm(services.TRANSITIONS[action]["perm"]):
        raise PermissionDenied(f"Недостаточно прав: «{services.TRANSITIONS[action]['title']}»")
    if not form.is_valid():
        messages.error(
            request,
            "Исправьте поля решения: "
            + "; ".join(e for errors in form.errors.values() for e in errors),
        )
        return redirect("cases:application", pk=pk)
    try:
        services.transition(application, action, actor=request.user, **form.cleaned_data)
    except services.CounterError as exc:
        messages.error(request, refusal_message(request, exc))
    else:
        messages.success(request, f"Выполнено: {services.TRANSITIONS[action]['title'].lower()}.")
    return redirect("cases:application", pk=pk)


@login_required
@permission_required("cases.view_application", raise_exception=True)
def application_receipt(request, pk: int):
    application = _application(request, pk, event="print_document")
    return pdf_response(
        printing.receipt_pdf(application, request), printing.receipt_file_name(application)
    )


@login_required
@permission_required("cases.view_application", raise_exception=True)
def application_notice(request, pk: int):
    application = _application(request, pk, event="print_document")
    if application.status not in Application.DECIDED_STATUSES:
        messages.error(request, "Уведомление печатается после решения по заявлению.")
        return redirect("cases:application", pk=pk)
    numbered = services.number_notice(application, actor=request.user)
    application.notice_number, application.notice_date, application.decision_number = (
        numbered.notice_number,
        numbered.notice_date,
        numbered.decision_number,
    )
    refused = application.was_refused
    regulation = application.service_version.regulation
    context = {
        "application": application,
        "office": application.office,
        "refused": refused,
        "version": application.service_version,
        "grounds": [
            decisions.ground_citation(ground, regulation)
            for ground in (application.refusal_grounds if refused else [])
        ],
        "entitlement": None if refused else application.entitlements.order_by("pk").first(),
        **printing.document_names(application),
    }
    pdf = render_pdf("cases/notice_pdf.html", context)
    return pdf_response(pdf, f"Уведомление {application.reg_number}-{application.reg_year}.pdf")
