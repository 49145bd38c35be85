"""The counter: search -> applicant card -> new application against the checklist -> receipt.

Thin views: parse input, call `cases.services`, render. Every record is fetched through
`.for_user(request.user)` (another office's record answers 404 and is logged as refused) and
every view of a person's data is written to the access log."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from cases import decisions, services
from cases import journal as journal_list
from cases import search as counter_search
from cases.forms import (
    ApplicantForm,
    ApplicationForm,
    CategoryForm,
    TransitionForm,
)
from cases.models import (
    Applicant,
    ApplicantCategory,
    Application,
    CaseFile,
    CaseTransfer,
    Entitlement,
)
from onewindow import work
from onewindow.audit import get_for_user_or_404, log_access, shown
from onewindow.identity import snils_digits
from onewindow.lists import paginate_list
from onewindow.names import decline
from onewindow.pdf import pdf_response, render_pdf
from onewindow.qr import qr_data_uri
from onewindow.text import plural, quoted
from onewindow.xlsx import Column, xlsx_response
from services.models import Ground, Service, days_display
from services.services import search_services

# Links a refusal may carry, with the permission that opens them and their text.
REFUSAL_LINKS = {
    "/archive/": ("archive.view_archivedfile", "Открыть дело в архиве"),
}


def _with_link(request, exc: services.CounterError):
    """The refusal's message, with its link when the user may follow it (an archivist opens an
    archived file; a specialist is told whom to ask)."""
    if exc.link:
        for prefix, (perm, title) in REFUSAL_LINKS.items():
            if exc.link.startswith(prefix) and request.user.has_perm(perm):
                return format_html('{} <a href="{}">{}</a>', exc.message, exc.link, title)
    return exc.message


def sees_full_identity(user) -> bool:
    return user.has_perm("cases.view_full_identity")


# --- The counter: search ----------------------------------------------------------------------


@login_required
@permission_required("cases.view_applicant", raise_exception=True)
def counter(request):
    query = request.GET.get("q", "").strip()
    if code := counter_search.receipt_code(query):
        opened = _open_receipt_code(request, *code)
        if opened is not None:
            return opened
    hits = counter_search.search(query, request.user, limit=COUNTER_HITS + 1) if query else []
    total = len(hits)
    if total > COUNTER_HITS:
        # more than fit: how many, read up to a cap (a common surname is not counted to the end)
        total = len(counter_search.search(query, request.user, limit=COUNTER_COUNT_CAP + 1))
        hits = hits[:COUNTER_HITS]
    if hits:
        # who looked for whom: one row per search that showed people
        log_access(
            request,
            event="search",
            subject_repr=f"«{query[:60]}»: найдено {total}",
            detail=shown(hit.applicant for hit in hits),
        )
    context = {
        "query": query,
        "hits": hits,
        "more": total > len(hits),
        "total": total,
        "capped": total > COUNTER_COUNT_CAP,
        "cap": COUNTER_COUNT_CAP,
        "full_identity": sees_full_identity(request.user),
    }
    if request.htmx:  # the search box's partial: the strip stays as the page drew it
        return render(request, "cases/counter.html#results", context)
    context["strip"] = my_strip(request.user)
    return render(request, "cases/counter.html", context)


def my_strip(user) -> list[dict]:
    """The specialist's own figures over the counter, each with the list behind it: today's
    intake, what is overdue, open selection items, assignments. Two queries whatever the data:
    the intake, and every kind of work's open and overdue counts in one (`work.open_counts`)."""
    today = timezone.localdate()
    counts = work.open_counts(user, today)
    intake = (
        Application.objects.for_user(user).filter(accepted_by=user, registered_on=today).count()
    )
    day = today.isoformat()
    journal = reverse("cases:journal") + f"?date_from={day}&date_to={day}&accepted_by={user.pk}"
    my_work = reverse("my_work")
    strip = [
        {"title": "Сегодня принято мной", "count": intake, "url": journal},
        {"title": "Мои просроченные", "count": sum(late for _, late in counts.values()),
         "url": f"{my_work}?overdue=1", "alarm": True},
    ]  # fmt: skip
    if "selection" in counts:
        try:
            selections = reverse("reconciliation:worklist") + "?status=open&whose=mine"
        except NoReverseMatch:
            selections = f"{my_work}?kind=selection"
        strip.append(
            {"title": "Мои открытые селекции", "count": counts["selection"][0], "url": selections}
        )
    if "assignment" in counts:
        open_, late = counts["assignment"]
        strip.append(
            {"title": "Поручения", "count": open_, "url": f"{my_work}?kind=assignment",
             "late": late, "late_url": f"{my_work}?kind=assignment&overdue=1"}
        )  # fmt: skip
    return strip


COUNTER_HITS = 10
COUNTER_COUNT_CAP = 200


def _open_receipt_code(request, office_code: str, number: int, year: int):
    """The receipt's QR code scanned into the search box opens its application. Another
    office's code finds nothing, and the attempt is logged as refused (as any cross-office
    lookup is)."""
    try:
        application = get_for_user_or_404(
            request, Application.objects.all(), event="view_application",
            office__code=office_code, reg_number=number, reg_year=year,
        )  # fmt: skip
    except Http404:
        return None
    url = reverse("cases:application", args=[application.pk])
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


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
        data = form.cleaned_data
        namesakes = services.find_namesakes(data, request.user.office)
        if namesakes and not request.POST.get("confirm_namesake"):
            form.add_error(
                None,
                "Заявитель с такими же ФИО и датой рождения уже зарегистрирован. Проверьте, не он ли это.",
            )
        else:
            try:
                applicant = services.register_applicant(data, actor=request.user)
            except services.CounterError as exc:
                form.add_error(exc.field, exc.message)
                snils_link, snils_link_title = exc.link, exc.link_title
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
            services.update_applicant(applicant, form.cleaned_data, actor=request.user)
        except services.CounterError as exc:
            form.add_error(exc.field, exc.message)
            snils_link, snils_link_title = exc.link, exc.link_title
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
    try:
        services.change_entitlement_status(
            entitlement, status, actor=request.user, reason=request.POST.get("reason", ""), on=day
        )
    except services.CounterError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"Мера {quoted(str(entitlement.service))}: {Entitlement.Status(status).label}."
        )
    return redirect("cases:applicant", pk=entitlement.applicant_id)


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
        _with_link(
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
            _with_link(
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
            form.add_error(
                exc.field if exc.field in form.fields else None, _with_link(request, exc)
            )
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
        messages.error(request, _with_link(request, exc))
    else:
        messages.success(request, f"Выполнено: {services.TRANSITIONS[action]['title'].lower()}.")
    return redirect("cases:application", pk=pk)


def _document_names(application: Application) -> dict:
    applicant = application.applicant
    return {
        "name_genitive": decline(
            applicant.last_name,
            applicant.first_name,
            applicant.middle_name,
            applicant.sex,
            "genitive",
        ),
        "name_dative": decline(
            applicant.last_name,
            applicant.first_name,
            applicant.middle_name,
            applicant.sex,
            "dative",
        ),
    }


def _missing_lines(missing: list) -> list[dict]:
    """What was not brought, a «one of» group as one line: «Один из документов (документ,
    удостоверяющий личность): «…» или «…»»."""
    lines: list[dict] = []
    groups: dict[int, dict] = {}
    for doc in missing:
        rd = doc.required_document
        if rd is None or rd.group is None:
            lines.append({"title": doc.title, "required": doc.required})
        elif rd.group in groups:
            groups[rd.group]["members"].append(doc.title)
        else:
            groups[rd.group] = {"members": [doc.title], "required": doc.required,
                                "group_title": rd.group_title}  # fmt: skip
            lines.append(groups[rd.group])
    for group in groups.values():
        label = "Один из документов" + (
            f" ({group['group_title']})" if group["group_title"] else ""
        )
        group["title"] = f"{label}: " + " или ".join(quoted(t) for t in group["members"])
    return lines


def _deadline_text(application: Application, requests_sent: bool) -> str:
    """The decision's deadline as the receipt states it: «до 08.12.2026 (10 рабочих дней со дня
    регистрации заявления)», «в день обращения», or counted from the last interagency answer."""
    version = application.service_version
    if version.deadline_kind == "same_day":
        return f"в день обращения — {application.deadline:%d.%m.%Y}"
    if version.counts_from_last_answer and requests_sent:
        return version.deadline_display
    return (
        f"до {application.deadline:%d.%m.%Y} "
        f"({days_display(version.deadline_days, version.deadline_kind)} со дня регистрации заявления)"
    )


@login_required
@permission_required("cases.view_application", raise_exception=True)
def application_receipt(request, pk: int):
    application = _application(request, pk, event="print_document")
    documents = list(application.documents.select_related("required_document", "document_type"))
    brought = [d for d in documents if d.status == "brought"]

    def office_obtains(doc) -> bool:
        # 210-ФЗ ст. 7: what the office requests itself is never «не представлен» by the
        # applicant, however the line was marked (lines of older checklists included)
        rd = doc.required_document
        return doc.status in ("requested", "obtained") or (
            doc.status == "missing"
            and (doc.document_type.interagency or bool(rd and rd.interagency))
        )

    context = {
        "application": application,
        "office": application.office,
        "brought": brought,
        # a per-member line counts its documents (one per child, adult member, …)
        "brought_count": sum(d.quantity for d in brought),
        "brought_copies": sum(d.copies * d.quantity for d in brought),
        "deadline_text": _deadline_text(application, any(office_obtains(d) for d in documents)),
        "requested": [d for d in documents if office_obtains(d)],
        "accepted_by": application.accepted_by,
        "missing": _missing_lines(
            [d for d in documents if d.status == "missing" and not office_obtains(d)]
        ),
        "qr": qr_data_uri(f"{application.office.code}:{application.number_display}"),
        **_document_names(application),
    }
    pdf = render_pdf("cases/receipt_pdf.html", context)
    return pdf_response(pdf, f"Расписка {application.reg_number}-{application.reg_year}.pdf")


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
        **_document_names(application),
    }
    pdf = render_pdf("cases/notice_pdf.html", context)
    return pdf_response(pdf, f"Уведомление {application.reg_number}-{application.reg_year}.pdf")


# --- Case files -------------------------------------------------------------------------------


@login_required
@permission_required("cases.view_casefile", raise_exception=True)
def casefile_detail(request, pk: int):
    queryset = CaseFile.objects.select_related("applicant", "opened_by")
    case_file = get_for_user_or_404(request, queryset, event="view_casefile", pk=pk)
    applications = case_file.applications.select_related("service").prefetch_related(
        Prefetch("documents")
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
    return render(
        request,
        "cases/casefile_detail.html",
        {
            "case_file": case_file,
            "applicant": applicant,
            "transfer": transfer,
            "applications": applications,
            "entitlements": case_file.entitlements.select_related("service"),
            "history": history[:20],
            "full_identity": sees_full_identity(request.user),
            "today": timezone.localdate(),
        },
    )


# --- The registration journal -----------------------------------------------------------------


@login_required
@permission_required("cases.view_application", raise_exception=True)
def journal(request):
    form, entries, start, end = journal_list.journal_entries(request.user, request.GET)
    period = f"журнал регистрации {start:%d.%m.%Y}–{end:%d.%m.%Y}"
    output = request.GET.get("format")
    if output in {"xlsx", "pdf"} and form.is_valid():
        log_access(request, event="export", subject_repr=period)
        entries = journal_list.sorted_entries(entries, request.GET)
        if output == "xlsx":
            return _journal_xlsx(entries, start, end, request.user.office)
        return _journal_pdf(request, form, entries, start, end)
    if form.is_valid():
        log_access(request, event="view_journal", subject_repr=period)
    listing = paginate_list(
        request,
        entries,
        sorts=journal_list.SORTS,
        default=journal_list.DEFAULT_SORT,
        per_page=JOURNAL_PAGE,
    )
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    query["sort"] = listing.sort_value
    template = "cases/journal.html#results" if request.htmx else "cases/journal.html"
    return render(
        request,
        template,
        {
            "form": form,
            "entries": listing,
            "start": start,
            "end": end,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "reassign": journal_reassign_form(request.user, form),
        },
    )


def journal_reassign_form(user, form):
    """The chief's «Передать отмеченные» under the journal (the office it is narrowed to)."""
    from onewindow.forms import reassign_form
    from onewindow.reassign import REASSIGNS

    office = form.cleaned_data.get("office") if form.is_bound and form.is_valid() else None
    return reassign_form(user, REASSIGNS, services.TAKES_APPLICATIONS, office)


JOURNAL_PAGE = 50


def _journal_pdf(request, form, entries, start, end):
    """A short journal prints at once; a long one is rendered by a worker and downloaded from
    the job's page (WeasyPrint lays a row out in about 15 ms: 400 rows would hold the page 6 s)."""
    count = entries.count()
    if count > settings.JOURNAL_PDF_BACKGROUND_ROWS:
        from onewindow.jobs import enqueue_job

        query = {key: request.GET.getlist(key) for key in request.GET if key != "format"}
        job = enqueue_job("cases.render_journal", actor=request.user, params={"query": query})
        messages.info(
            request,
            f"Журнал из {count} {plural(count, 'заявления,заявлений,заявлений')} формируется в "
            "фоне; ссылка «Скачать» появится, когда он будет готов.",
        )
        return redirect("job_status", pk=job.pk)
    pdf = journal_list.journal_pdf(
        list(entries), start=start, end=end, office=request.user.office,
        filters=journal_list.filters_text(form),
    )  # fmt: skip
    return pdf_response(pdf, f"Журнал {start:%Y-%m-%d}_{end:%Y-%m-%d}.pdf")


JOURNAL_COLUMNS = [
    Column("№", 10), Column("Дата регистрации", 16), Column("Заявитель", 36),
    Column("Дата рождения", 14), Column("Услуга", 50), Column("Срок решения", 14),
    Column("Состояние, результат", 36), Column("Дата решения", 14), Column("Дата уведомления", 14),
    Column("Принял", 22), Column("Исполнитель", 22),
]  # fmt: skip


def _journal_xlsx(entries, start: datetime.date, end: datetime.date, office) -> HttpResponse:
    rows = (
        [
            app.number_display,
            app.registered_on,
            app.applicant.full_name,
            app.applicant.birth_date,
            app.service.short_title,
            app.deadline,
            app.state_display,
            app.decision_date,
            app.notified_on,
            app.accepted_by.short_name,
            app.specialist.short_name,
        ]
        for app in entries
    )
    return xlsx_response(
        f"journal-{start:%Y%m%d}-{end:%Y%m%d}.xlsx",
        "Журнал",
        rows,
        columns=JOURNAL_COLUMNS,
        caption=[
            office.name if office else "",
            f"Журнал регистрации заявлений за {start:%d.%m.%Y}–{end:%d.%m.%Y}",
        ],
        landscape=True,
    )
