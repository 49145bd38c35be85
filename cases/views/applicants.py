"""The applicant's card: registering and editing the person, their categories and measures; the
case file."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cases import services
from cases.forms import (
    ApplicantForm,
    CategoryForm,
)
from cases.models import (
    Applicant,
    ApplicantCategory,
    CaseFile,
    CaseTransfer,
    Entitlement,
)
from cases.views.common import sees_full_identity
from onewindow.audit import get_for_user_or_404, log_access
from onewindow.forms import show_invalid
from onewindow.http import with_messages
from onewindow.identity import snils_digits
from onewindow.text import quoted

# --- Applicants -------------------------------------------------------------------------------


def _prefill_from_query(query: str) -> dict:
    """«Новый заявитель» from the search box: carry over what was typed."""
    query = (query or "").strip()
    digits = snils_digits(query)
    if len(digits) == 11 and not any(ch.isalpha() for ch in query):
        return {"snils": query}
    words = [w for w in query.replace(".", " ").split() if w.isalpha()]
    names = [w.capitalize() for w in words if len(w) > 1]
    return dict(zip(["last_name", "first_name", "middle_name"], names, strict=False))


@login_required
@permission_required("cases.add_applicant", raise_exception=True)
@require_http_methods(["GET", "POST"])
def applicant_new(request):
    if request.method == "POST":
        form = ApplicantForm(request.POST)
    else:
        form = ApplicantForm(initial=_prefill_from_query(request.GET.get("q", "")))
    namesakes = []
    snils_link = snils_link_title = None
    if request.method == "POST" and form.is_valid():
        data = services.applicant_fields(form.cleaned_data)
        namesakes = services.find_namesakes(
            office=request.user.office,
            last_name=data["last_name"],
            first_name=data["first_name"],
            middle_name=data.get("middle_name", ""),
            birth_date=data["birth_date"],
        )
        if namesakes and not request.POST.get("confirm_namesake"):
            form.add_error(
                None,
                "Заявитель с такими же ФИО и датой рождения уже зарегистрирован. Проверьте, не он ли это.",
            )
        else:
            try:
                applicant = services.register_applicant(actor=request.user, **data)
            except services.CounterError as exc:
                form.add_error(exc.field, exc.message)
                snils_link, snils_link_title = exc.link, exc.link_title
            except ValidationError as exc:  # the model's rules (the form runs them too)
                show_invalid(form, exc)
            else:
                messages.success(request, f"Заявитель {applicant.full_name} зарегистрирован.")
                return redirect("cases:applicant", pk=applicant.pk)
    return render(
        request,
        "cases/applicant_form.html",
        {
            "form": form,
            "namesakes": namesakes,
            "snils_link": snils_link,
            "snils_link_title": snils_link_title,
            "is_new": True,
        },
    )


def _applicant_context(request, applicant: Applicant) -> dict:
    today = timezone.localdate()
    applications = list(
        applicant.applications.for_user(request.user)
        .select_related("service", "specialist", "accepted_by")
        .order_by("-registered_at")
    )
    return {
        "applicant": applicant,
        "full_identity": sees_full_identity(request.user),
        "categories": applicant.categories.select_related("category"),
        "case_files": CaseFile.objects.for_user(request.user).filter(applicant=applicant),
        "applications": applications,
        "entitlements": Entitlement.objects.for_user(request.user)
        .filter(applicant=applicant)
        .select_related("service"),
        "category_form": CategoryForm(),
        "today": today,
    }


@login_required
@permission_required("cases.view_applicant", raise_exception=True)
def applicant_detail(request, pk: int):
    applicant = get_for_user_or_404(request, Applicant.objects.all(), event="view_applicant", pk=pk)
    if request.user.has_perm("cases.serve_queue"):
        # a visitor called to the specialist's window: the ticket is this person's visit
        services.link_ticket_applicant(applicant, actor=request.user)
    return render(request, "cases/applicant_detail.html", _applicant_context(request, applicant))


@login_required
@permission_required("cases.change_applicant", raise_exception=True)
@require_http_methods(["GET", "POST"])
def applicant_edit(request, pk: int):
    applicant = get_for_user_or_404(request, Applicant.objects.all(), event="view_applicant", pk=pk)
    form = ApplicantForm(request.POST if request.method == "POST" else None, instance=applicant)
    snils_link = snils_link_title = None
    if request.method == "POST" and form.is_valid():
        try:
            services.update_applicant(
                applicant, actor=request.user, **services.applicant_fields(form.cleaned_data)
            )
        except services.CounterError as exc:
            form.add_error(exc.field, exc.message)
            snils_link, snils_link_title = exc.link, exc.link_title
        except ValidationError as exc:  # the model's rules (the form runs them too)
            show_invalid(form, exc)
        else:
            messages.success(request, "Изменения сохранены.")
            return redirect("cases:applicant", pk=applicant.pk)
    return render(
        request,
        "cases/applicant_form.html",
        {
            "form": form,
            "applicant": applicant,
            "snils_link": snils_link,
            "snils_link_title": snils_link_title,
            "is_new": False,
        },
    )


@login_required
@permission_required("cases.change_applicant", raise_exception=True)
@require_POST
def applicant_category_add(request, pk: int):
    applicant = get_for_user_or_404(request, Applicant.objects.all(), pk=pk)
    form = CategoryForm(request.POST)
    if form.is_valid():
        services.set_applicant_category(
            applicant, form.cleaned_data["category"], form.cleaned_data["document"],
            actor=request.user, valid_to=form.cleaned_data.get("valid_to"),
        )  # fmt: skip
        messages.success(request, f"Категория «{form.cleaned_data['category']}» добавлена.")
        return redirect("cases:applicant", pk=applicant.pk)
    log_access(request, event="view_applicant", subject=applicant)
    context = _applicant_context(request, applicant)
    context["category_form"] = form
    return render(request, "cases/applicant_detail.html", context, status=400)


@login_required
@permission_required("cases.change_applicant", raise_exception=True)
@require_POST
def applicant_category_remove(request, pk: int, item_pk: int):
    applicant = get_for_user_or_404(request, Applicant.objects.all(), pk=pk)
    item = get_object_or_404(ApplicantCategory, pk=item_pk, applicant=applicant)
    services.remove_applicant_category(item, actor=request.user)
    messages.success(request, f"Категория «{item.category}» удалена.")
    return redirect("cases:applicant", pk=applicant.pk)


@login_required
@permission_required("cases.change_entitlement", raise_exception=True)
@require_POST
def entitlement_status(request, pk: int):
    """The chief suspends, stops or resumes a measure, with the reason."""
    entitlement = get_for_user_or_404(
        request, Entitlement.objects.select_related("applicant"), pk=pk
    )
    status = request.POST.get("status", "")
    try:
        day = datetime.date.fromisoformat(request.POST["on"]) if request.POST.get("on") else None
    except ValueError:
        messages.error(request, "Неверная дата.")
        return redirect("cases:applicant", pk=entitlement.applicant_id)
    with_messages(
        request,
        lambda: services.change_entitlement_status(
            entitlement, status, actor=request.user, reason=request.POST.get("reason", ""), on=day
        ),
        lambda changed: f"Мера {quoted(str(changed.service))}: {changed.get_status_display()}.",
    )
    return redirect("cases:applicant", pk=entitlement.applicant_id)


# --- Case files -------------------------------------------------------------------------------


@login_required
@permission_required("cases.view_casefile", raise_exception=True)
def casefile_detail(request, pk: int):
    """The case file: the person, the applications, the measures. Its heavy parts — the
    documents of every application and the card's history — come on demand (`?part=documents`,
    `?part=history`: the page's «Документы заявлений» and «История изменений» load them when
    opened), so the page costs the same whatever the file holds."""
    part = request.GET.get("part", "")
    queryset = CaseFile.objects.select_related("applicant", "opened_by")
    case_file = get_for_user_or_404(request, queryset, event="view_casefile", pk=pk)
    applications = case_file.applications.select_related("service").order_by(
        "-registered_on", "-pk"
    )
    applicant = case_file.applicant
    history = applicant.history.select_related("history_user")
    transfer = None
    if (
        case_file.status == CaseFile.Status.TRANSFERRED
        and applicant.office_id != case_file.office_id
    ):
        # The person is another office's now: this office keeps its file as it was handed over,
        # and sees nothing of what the new office writes since.
        transfer = (
            CaseTransfer.objects.filter(old_case_file=case_file, status=CaseTransfer.Status.DONE)
            .select_related("to_office")
            .order_by("pk")
            .last()
        )
        if transfer is not None:
            history = history.filter(history_date__lte=transfer.decided_at)
            applicant = applicant.history.as_of(transfer.decided_at)
    context = {"case_file": case_file, "applicant": applicant, "transfer": transfer}
    if part == "documents":
        context["applications"] = applications.prefetch_related("documents")
        return render(request, "cases/casefile_detail.html#documents", context)
    if part == "history":
        context["history"] = history[:50]
        return render(request, "cases/casefile_detail.html#history", context)
    return render(
        request,
        "cases/casefile_detail.html",
        {
            **context,
            "applications": applications.annotate(documents_count=Count("documents")),
            "entitlements": case_file.entitlements.select_related("service"),
            "full_identity": sees_full_identity(request.user),
            "today": timezone.localdate(),
        },
    )
