"""Selections in the browser: the worklist, an item, runs (upload with a preview, progress),
and the list of ambiguous rows. Thin views over `reconciliation.services`."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min, Prefetch, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cases.models import Applicant, Entitlement
from onewindow.audit import get_for_user_or_404, log_access
from onewindow.errors import DomainError
from onewindow.http import safe_next
from onewindow.lists import paginate_list
from onewindow.models import Job
from onewindow.xlsx import xlsx_response
from reconciliation import services
from reconciliation.forms import DashboardFilters, UploadForm, WorkOutForm
from reconciliation.models import AmbiguousRow, Kind, ReconciliationRun, Selection
from reconciliation.readers import ENCODING_CHOICES, ExtractError
from services.models import Service

WORKLIST_SORTS = {
    "applicant": "applicant__name_key", "kind": "kind", "match": "match", "event": "event_date",
    "created": "created_at", "assignee": ("assigned_to__last_name", "assigned_to__first_name"),
    "status": "status",
}  # fmt: skip


@login_required
@permission_required("reconciliation.view_selection", raise_exception=True)
def worklist(request):
    items = Selection.objects.for_user(request.user).select_related("applicant", "assigned_to")
    status = request.GET.get("status", "open")
    kind = request.GET.get("kind", "")
    whose = request.GET.get(
        "whose", "mine" if not request.user.has_perm("reconciliation.assign_selection") else "all"
    )
    if status in {"open", "done"}:
        items = items.filter(status=status)
    if kind in Kind.values:
        items = items.filter(kind=kind)
    if request.GET.get("confirm") == "1":
        items = items.filter(needs_confirmation=True)
    if whose == "mine":
        items = items.filter(assigned_to=request.user)
    elif whose == "queue":
        items = items.filter(assigned_to__isnull=True)
    run = request.GET.get("run", "")
    if run.isdigit():
        items = items.filter(run_id=int(run))
    older = request.GET.get("older", "")  # days: open longer than this (10 is overdue)
    if older.isdigit() and int(older) <= 3650:
        items = items.filter(created_at__lt=timezone.now() - datetime.timedelta(days=int(older)))
    filters = DashboardFilters(request.GET, user=request.user)
    items = filters.filter(items, timezone.localdate())
    listing = paginate_list(request, items, sorts=WORKLIST_SORTS, default="-created", per_page=50)
    today = timezone.now()
    summary = (
        Selection.objects.for_user(request.user).open().values("kind")
        .annotate(count=Count("id"), oldest=Min("created_at"), confirm=Count("id", filter=Q(needs_confirmation=True)))
        .order_by("kind")
    )  # fmt: skip
    summary = [
        {
            **row,
            "title": Kind(row["kind"]).label,
            "age": (today - row["oldest"]).days if row["oldest"] else 0,
        }
        for row in summary
    ]
    ambiguous = AmbiguousRow.objects.for_user(request.user).filter(resolved=False).count()
    log_access(request, event="view_selections", subject_repr=f"селекции: {request.GET.urlencode() or 'в работе'}"[:300],
               detail=shown_people(item.applicant_id for item in listing))  # fmt: skip
    return render(
        request,
        "reconciliation/worklist.html",
        {"items": listing, "summary": summary, "status": status, "kind": kind, "whose": whose,
         "run": run, "older": older, "kinds": Kind.choices, "form": WorkOutForm(), "ambiguous": ambiguous,
         "service_titles": dict(Service.objects.values_list("code", "short_title")),
         "filters": filters, "reassign": _reassign_form(request.user, filters)},
    )  # fmt: skip


def _reassign_form(user, filters):
    from onewindow.forms import reassign_form

    office = filters.cleaned_data.get("office") if filters.is_valid() else None
    return reassign_form(user, services.ASSIGNS_SELECTIONS, services.TAKES_SELECTIONS, office)


@login_required
@require_POST
def bulk_reassign(request):
    """«Передать отмеченные» (the chief): the ticked items to another specialist."""
    from onewindow.forms import reassign_posted
    from onewindow.text import counted

    form, ids = reassign_posted(request)
    target = safe_next(request, "reconciliation:worklist")
    if not ids:
        messages.error(request, "Ничего не передано: отметьте селекции.")
        return redirect(target)
    if not form.is_valid():
        messages.error(request, "Ничего не передано: выберите, кому передать.")
        return redirect(target)
    rows = list(
        Selection.objects.for_user(request.user).filter(pk__in=ids).values_list("pk", flat=True)
    )
    if len(rows) != len(set(ids)):
        messages.error(request, "Ничего не передано: часть отмеченного не найдена.")
        return redirect(target)
    try:
        result = services.reassign_selections(rows, form.cleaned_data["to_user"], actor=request.user,
                                              note=form.cleaned_data["note"])  # fmt: skip
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if result.moved:
            messages.success(
                request, f"Передано: {counted(result.moved, 'селекция,селекции,селекций')}."
            )
        if result.unchanged:
            messages.info(request, f"Уже у этого специалиста: {result.unchanged}.")
    return redirect(target)


def shown_people(ids, limit: int = 500) -> str:
    """The access log's detail for a list: whose records were shown (applicants' ids), as many
    as fit, then how many more."""
    ids = list(dict.fromkeys(ids))
    head = f"показаны получатели ({len(ids)}): " if ids else "показаны получатели: никто"
    text = head
    for index, pk in enumerate(ids):
        part = f"{', ' if index else ''}{pk}"
        rest = f" … и ещё {len(ids) - index}"
        if len(text) + len(part) + len(rest) + 12 > limit:  # room for the largest «и ещё N»
            return text + rest
        text += part
    return text


@login_required
@permission_required("reconciliation.change_selection", raise_exception=True)
@require_POST
def bulk_work_out(request):
    form = WorkOutForm(request.POST)
    ids = [int(pk) for pk in request.POST.getlist("items") if pk.isdigit()]
    if not ids:
        messages.error(request, "Отметьте селекции для отработки.")
    elif not form.is_valid():
        messages.error(request, "Выберите результат отработки.")
    else:
        items = Selection.objects.for_user(request.user).filter(pk__in=ids)
        try:
            done = services.work_out_many(
                items,
                form.cleaned_data["outcome"],
                actor=request.user,
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:  # a refusal of the selection or of the measures it changes
            messages.error(request, f"Ничего не изменено: {exc.message}")
        else:
            skipped = []
            if done.skipped_probable:
                skipped.append(
                    f"Пропущено {done.skipped_probable}: вероятные совпадения — "
                    "подтвердите их по одному."
                )
            if done.skipped_snils_only:
                skipped.append(
                    f"Пропущено {done.skipped_snils_only}: совпал только СНИЛС — сверьте ФИО и "
                    "дату рождения на странице каждой селекции."
                )
            skipped = " ".join(skipped)
            if done.done:
                messages.success(request, f"Отработано селекций: {done.done}. {skipped}".strip())
            else:
                messages.warning(request, f"Ничего не отработано. {skipped}".strip())
    return redirect(safe_next(request, "reconciliation:worklist"))


@login_required
@permission_required("reconciliation.view_selection", raise_exception=True)
@require_http_methods(["GET", "POST"])
def item_detail(request, pk: int):
    item = get_for_user_or_404(
        request, Selection.objects.select_related("applicant", "run", "assigned_to", "worked_by"), pk=pk
    )  # fmt: skip
    if request.method == "GET":  # the person whose data the page shows
        log_access(request, event="view_applicant", subject=item.applicant,
                   detail=f"селекция № {item.pk} «{item.get_kind_display()}», сверка № {item.run_id}")  # fmt: skip
    form = WorkOutForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not request.user.has_perm("reconciliation.change_selection"):
            raise PermissionDenied("Недостаточно прав")
        if form.is_valid():
            try:
                services.work_out(
                    item,
                    form.cleaned_data["outcome"],
                    actor=request.user,
                    note=form.cleaned_data["note"],
                    event_date=form.cleaned_data.get("event_date"),
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else "outcome", exc.message)
            else:
                messages.success(request, "Селекция отработана.")
                return redirect("reconciliation:worklist")
    measures = Entitlement.objects.for_user(request.user).filter(applicant=item.applicant)
    measures = measures.select_related("service")
    if item.kind != Kind.DEATHS:  # a death stops every measure: all are shown
        measures = measures.filter(service__code__in=item.services)
    return render(
        request, "reconciliation/item.html", {"item": item, "form": form, "measures": measures}
    )


@login_required
@permission_required("reconciliation.view_reconciliationrun", raise_exception=True)
@require_http_methods(["GET", "POST"])
def runs(request):
    """Upload → preview of the first rows as parsed, in the encoding detected (the user may pick
    another and look again) → «Запустить сверку» runs the staged upload in the encoding shown.
    The preview's form names the upload by its token only (`services.start_staged`)."""
    form = UploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    preview_data = None
    if request.method == "POST":
        if not request.user.has_perm("reconciliation.add_reconciliationrun"):
            raise PermissionDenied("Недостаточно прав")
        if "staged" in request.POST:
            return _staged(request)
        if form.is_valid():
            try:
                staged, preview_data = services.stage_extract(
                    form.cleaned_data["file"], profile=form.cleaned_data["profile"],
                    actor=request.user, force=form.cleaned_data["force"],
                )  # fmt: skip
            except (ExtractError, DomainError, services.AlreadyProcessed) as exc:
                form.add_error("file", getattr(exc, "message", None) or str(exc))
            else:
                preview_data = _with_upload(request, preview_data, staged)
    return _runs_page(request, form, preview_data)


def _with_upload(request, preview_data: dict, staged) -> dict:
    if preview_data.get("rows"):  # the first rows of the extract: people's data
        log_access(request, event="view_extract", subject=staged, subject_repr=f"предпросмотр выгрузки «{staged.original_name}»"[:300],
                   detail=f"строк показано: {len(preview_data['rows'])}")  # fmt: skip
    return {**preview_data, "staged": staged.token, "profile": staged.profile,
            "file_name": staged.original_name}  # fmt: skip


def _runs_page(request, form, preview_data):
    recent = list(
        ReconciliationRun.objects.for_user(request.user).select_related("profile", "job")[:50]
    )
    return render(
        request,
        "reconciliation/runs.html",
        {
            "form": form,
            "runs": recent,
            "dead": services.interrupted(recent),  # «выполняется», but nobody runs them
            "preview": preview_data,
            "encodings": ENCODING_CHOICES.items(),
            "max_mb": settings.EXTRACT_MAX_MB,
        },
    )


def _staged(request):
    """The preview's form: «Запустить сверку», the preview again in the chosen encoding, or
    «Отмена». Only the user's own upload, by its token; anything else is «не найден»."""
    token = request.POST.get("staged", "")
    if request.POST.get("discard"):
        services.discard_staged(token=token, actor=request.user)
        messages.info(request, "Загрузка отменена: файл удалён, сверка не запускалась.")
        return redirect("reconciliation:runs")
    encoding = request.POST.get("encoding", "")
    if encoding and encoding not in ENCODING_CHOICES:
        messages.error(request, "Выберите кодировку из списка.")
        encoding = ""
        start = False
    else:
        start = bool(request.POST.get("start"))
    try:
        if start:
            run = services.start_staged(token=token, actor=request.user, encoding=encoding)
        else:
            staged, preview_data = services.preview_staged(
                token=token, actor=request.user, encoding=encoding
            )
    except services.StagedExtractError as exc:
        if exc.foreign is not None:  # a token of someone else's upload: a refusal to record
            log_access(request, event="forbidden", subject=exc.foreign, allowed=False,
                       subject_repr=f"загруженная выгрузка #{exc.foreign.pk}", detail="чужая загрузка")  # fmt: skip
        messages.error(request, exc.message)
        return redirect("reconciliation:runs")
    except services.AlreadyProcessed as exc:
        messages.error(request, str(exc))
        return redirect("reconciliation:runs")
    if start:
        if getattr(run, "resumed", False):
            messages.info(request, f"Этот файл уже обрабатывается: сверка № {run.pk}.")
        else:
            messages.success(request, f"Сверка № {run.pk} запущена.")
        return redirect("reconciliation:run", pk=run.pk)
    return _runs_page(request, UploadForm(), _with_upload(request, preview_data, staged))


@login_required
@permission_required("reconciliation.view_reconciliationrun", raise_exception=True)
def run_detail(request, pk: int):
    run = get_for_user_or_404(
        request, ReconciliationRun.objects.select_related("profile", "created_by", "job"), pk=pk
    )
    if not request.htmx:  # the polled status holds no one's data; the page lists invalid rows
        log_access(request, event="view_extract", subject=run, detail=f"ошибочных строк: {run.invalid_rows.count()}")  # fmt: skip
    template = "reconciliation/run.html#status" if request.htmx else "reconciliation/run.html"
    return render(
        request,
        template,
        {
            "run": run,
            "dead": services.interrupted([run]),
            "invalid": run.invalid_rows.all()[:50],
            "invalid_count": run.invalid_rows.count(),
        },
    )


@login_required
@permission_required("reconciliation.view_reconciliationrun", raise_exception=True)
def run_invalid_xlsx(request, pk: int):
    run = get_for_user_or_404(request, ReconciliationRun.objects.all(), pk=pk)
    log_access(request, event="export", subject=run, subject_repr=f"ошибочные строки сверки № {run.pk} ({run.file_name})",
               detail=f"XLSX, строк: {run.invalid_rows.count()}")  # fmt: skip
    rows = (
        [row.row_number, row.reason, "; ".join(f"{k}={v}" for k, v in row.data.items())]
        for row in run.invalid_rows.iterator()
    )
    return xlsx_response(
        f"run-{run.pk}-errors.xlsx",
        "Ошибки",
        rows,
        columns=["Строка", "Причина", "Данные строки"],
    )


@login_required
@permission_required("reconciliation.change_ambiguousrow", raise_exception=True)
@require_http_methods(["GET", "POST"])
def ambiguous(request):
    rows = (
        AmbiguousRow.objects.for_user(request.user)
        .filter(resolved=False)
        .select_related("run")
        # namesakes are the point of this page: the same name, then the order they were registered
        .prefetch_related(
            Prefetch(
                "candidates",
                queryset=Applicant.objects.order_by("last_name", "first_name", "middle_name", "pk"),
            )
        )
    )
    if request.method == "POST":
        row = get_for_user_or_404(
            request, AmbiguousRow.objects.all(), pk=request.POST.get("row", 0)
        )
        choice = request.POST.get("choice", "")
        chosen = row.candidates.filter(pk=choice).first() if choice.isdigit() else None
        if choice != "none" and chosen is None:
            messages.error(request, "Выберите одного из кандидатов или «никто из них».")
        else:
            created = services.resolve_ambiguous(row, chosen, actor=request.user)
            messages.success(
                request,
                "Совпадение подтверждено, создана селекция." if created else "Строка разобрана.",
            )
        return redirect("reconciliation:ambiguous")
    rows = list(rows[:200])
    log_access(request, event="view_selections", subject_repr="неоднозначные строки сверок",
               detail=shown_people(c.pk for row in rows for c in row.candidates.all()))  # fmt: skip
    return render(request, "reconciliation/ambiguous.html", {"rows": rows})


def home_notices(user) -> list[dict]:
    """For the chief's home page: runs interrupted or failed in the last week."""
    if not user.has_perm("reconciliation.assign_selection"):
        return []
    since = timezone.now() - datetime.timedelta(days=7)
    runs = list(
        ReconciliationRun.objects.for_user(user)
        .filter(
            Q(
                status=ReconciliationRun.Status.QUEUED,
                job__status__in=[Job.Status.RUNNING, Job.Status.INTERRUPTED],
            )
            | Q(status=ReconciliationRun.Status.FAILED, finished_at__gte=since)
        )
        .select_related("job")
        .order_by("-pk")[:20]
    )
    dead = services.interrupted(runs)
    notices = []
    for run in runs:
        if run.state == Job.Status.RUNNING and run.pk not in dead:
            continue
        state = run.dead_state_display if run.pk in dead else run.state_display
        text = f"Сверка № {run.pk} ({run.file_name}) {state}"
        if run.status == ReconciliationRun.Status.FAILED and not run.interrupted_at:
            text = f"Сверка № {run.pk} ({run.file_name}) не выполнена: {run.error[:150]}"
        notices.append({"text": text, "url": reverse("reconciliation:run", args=[run.pk])})
    return notices[:5]
