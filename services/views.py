"""Thin views of the catalogue: the searchable list, a service with its checklist and history,
the memo PDF, and the admin's regulation loading (upload -> preview -> confirm)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from onewindow.pdf import pdf_response, render_pdf
from services.forms import RegulationConfirmForm, RegulationUploadForm
from services.models import Ground, RegulationLoad, Service, ServiceVersion
from services.regulations import RegulationFileError, StalePreviewError
from services.services import confirm_regulation_load, preview_regulation_file, search_services


def _on_date(request) -> datetime.date:
    value = request.GET.get("date")
    if value:
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            messages.warning(request, f"Неверная дата «{value}»: показано на сегодня.")
    return timezone.localdate()


@login_required
def service_list(request):
    today = timezone.localdate()
    query = request.GET.get("q", "").strip()
    services = Service.objects.prefetch_related(
        Prefetch(
            "versions",
            queryset=ServiceVersion.objects.filter(effective_from__lte=today)
            .annotate(doc_count=Count("documents"))
            .order_by("-effective_from"),
            to_attr="started_versions",
        )
    )
    results = search_services(query, services, limit=100)
    for service in results:
        service.current = next((v for v in service.started_versions if v.is_in_force(today)), None)
    # «Требуют проверки»: services whose version in force says what could not be confirmed
    unverified = [s for s in results if s.current is not None and s.current.unverified]
    to_check = request.GET.get("check") == "1"
    if to_check:
        results = unverified
    template = (
        "services/service_list.html#results" if request.htmx else "services/service_list.html"
    )
    return render(
        request,
        template,
        {
            "services": results,
            "query": query,
            "today": today,
            "to_check": to_check,
            "unverified_count": len(unverified),
        },
    )


def checklist_rows(documents) -> list[dict]:
    """The checklist as shown: a «one of» group is one row holding its members."""
    rows: list[dict] = []
    groups: dict[int, dict] = {}
    for doc in documents:
        if doc.group is None:
            rows.append({"doc": doc, "members": [doc]})
        elif doc.group in groups:
            groups[doc.group]["members"].append(doc)
        else:
            groups[doc.group] = {"doc": doc, "members": [doc], "group": True}
            rows.append(groups[doc.group])
    return rows


def _service_context(request, code: str) -> dict:
    service = get_object_or_404(Service, code=code)
    on_date = _on_date(request)
    version = service.version_on(on_date)
    documents = []
    grounds: dict[str, list] = {}
    conditions = []
    if version is not None:
        documents = list(version.documents.select_related("document_type").order_by("order", "id"))
        for ground in version.grounds.all():
            grounds.setdefault(ground.kind, []).append(ground)
        conditions = list(version.conditions.all())
    versions = list(
        service.versions.select_related("regulation", "load").order_by("-effective_from")
    )
    ended = None
    if version is None:  # the last version before the date: why the service is not in force
        ended = next((v for v in versions if v.effective_to and v.effective_to < on_date), None)
    return {
        "service": service,
        "version": version,
        "ended": ended,
        "on_date": on_date,
        "today": timezone.localdate(),
        "documents": documents,
        "rows": checklist_rows(documents),
        "brought": checklist_rows([d for d in documents if not d.interagency]),
        "requested": checklist_rows([d for d in documents if d.interagency]),
        "grounds": [
            (Ground.Kind(kind).label, grounds[kind])
            for kind in Ground.Kind.values
            if kind in grounds
        ],
        "refuse_acceptance": grounds.get(Ground.Kind.REFUSE_ACCEPTANCE, []),
        "refuse": grounds.get(Ground.Kind.REFUSE, []),
        "conditions": conditions,
        "versions": versions,
    }


@login_required
def service_detail(request, code: str):
    return render(request, "services/service_detail.html", _service_context(request, code))


@login_required
def service_memo(request, code: str):
    context = _service_context(request, code)
    context["office"] = request.user.office
    if context["version"] is None:
        messages.error(
            request, f"На {context['on_date']:%d.%m.%Y} услуга не действует: памятки нет."
        )
        return redirect("services:detail", code=code)
    pdf = render_pdf("services/memo_pdf.html", context)
    return pdf_response(pdf, f"Памятка {context['service'].code}.pdf")


@login_required
@permission_required("services.view_regulationload", raise_exception=True)
def load_list(request):
    loads = RegulationLoad.objects.select_related("uploaded_by", "applied_by", "regulation")
    page = Paginator(loads, 30).get_page(request.GET.get("page"))
    return render(request, "services/load_list.html", {"page": page})


@login_required
@permission_required("services.add_regulationload", raise_exception=True)
@require_http_methods(["GET", "POST"])
def upload_regulation(request):
    bound = request.method == "POST"
    form = RegulationUploadForm(request.POST if bound else None, request.FILES if bound else None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            load = preview_regulation_file(upload.read(), upload.name, actor=request.user)
        except RegulationFileError as exc:
            errors = exc.errors
        else:
            if load is None:
                messages.info(request, f"Файл «{upload.name}»: изменений нет, ничего не записано.")
                return redirect("services:upload")
            messages.info(
                request,
                f"Файл «{upload.name}» прочитан: проверьте изменения и нажмите «Применить».",
            )
            return redirect("services:load", pk=load.pk)
    return render(request, "services/upload.html", {"form": form, "errors": errors})


@login_required
@permission_required("services.view_regulationload", raise_exception=True)
@require_http_methods(["GET", "POST"])
def load_detail(request, pk: int):
    load = get_object_or_404(
        RegulationLoad.objects.select_related("uploaded_by", "applied_by"), pk=pk
    )
    form = RegulationConfirmForm(request.POST if request.method == "POST" else None)
    errors: list[str] = []
    if request.method == "POST":
        if not request.user.has_perm("services.add_regulationload"):
            raise PermissionDenied("Применять изменения может только администратор")
        if form.is_valid():
            allow_past = form.cleaned_data["allow_past"]
            if load.diff.get("backdated") and not allow_past:
                form.add_error(
                    "allow_past",
                    "Изменение вступает в силу задним числом: подтвердите это отметкой.",
                )
            else:
                try:
                    confirm_regulation_load(load, actor=request.user, allow_past=allow_past)
                except (RegulationFileError, StalePreviewError) as exc:
                    errors = getattr(exc, "errors", None) or [str(exc)]
                else:
                    messages.success(request, "Изменения применены.")
                    return redirect("services:load", pk=load.pk)
    return render(
        request,
        "services/load_detail.html",
        {"load": load, "form": form, "errors": errors, "diff": load.diff},
    )
