from __future__ import annotations

import itertools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseServerError, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_http_methods

from onewindow import audit, navigation, workdays
from onewindow.api import errors as api_errors
from onewindow.audit import get_for_user_or_404, log_access
from onewindow.forms import AccessLogFilterForm, CalendarOverrideForm
from onewindow.jobs import enqueue_job
from onewindow.models import AccessLog, AccessLogChain, CalendarOverride, Job

ACCESS_LOG_PAGE_SIZE = 50


@login_required
def home(request):
    """The home page of the role: the director's page, the chief's dashboard, or the sections."""
    from onewindow import dashboard_views, roles

    user = request.user
    if user.has_role(roles.DIRECTOR):
        return dashboard_views.director_page(request)
    if user.has_role(roles.CHIEF) and user.has_perm("onewindow.view_office_reports"):
        return dashboard_views.dashboard_page(request)
    return render(request, "onewindow/home.html", {"notices": navigation.notices_for(user)})


@login_required
@permission_required("onewindow.view_accesslog", raise_exception=True)
def access_log(request):
    form, entries = _access_log_entries(request)
    # written first: the page shows its own viewing too, and counts stay consistent
    log_access(request, event="view_access_log", subject_repr=request.GET.urlencode()[:300])
    page = Paginator(entries, ACCESS_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "onewindow/access_log.html#results" if request.htmx else "onewindow/access_log.html"
    chain = AccessLogChain.objects.filter(pk=1).first()
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "chain": chain,
            "retention_days": settings.ACCESS_LOG_RETENTION_DAYS,
        },
    )


def _access_log_entries(request):
    users = get_user_model().objects.all()
    if not request.user.sees_all_offices:
        users = users.filter(office_id=request.user.office_id)
    form = AccessLogFilterForm(request.GET or None, users=users)
    entries = AccessLog.objects.for_user(request.user).select_related(
        "user", "office", "subject_office"
    )
    if form.is_bound and form.is_valid():
        entries = form.filter(entries)
    elif form.is_bound:
        entries = entries.none()
    return form, entries


@login_required
@permission_required("onewindow.view_accesslog", raise_exception=True)
def access_log_export(request):
    """The rows the filters select, as CSV (a person, a spreadsheet) or JSON lines (a collector)."""
    fmt = "jsonl" if request.GET.get("format") == "jsonl" else "csv"
    form, entries = _access_log_entries(request)
    if form.is_bound and not form.is_valid():
        messages.error(request, "Исправьте условия отбора: выгрузка не сделана.")
        return redirect(f"{reverse('access_log')}?{request.GET.urlencode()}")
    query = request.GET.copy()
    query.pop("format", None)
    log_access(
        request, event="export_access_log", detail=f"формат {fmt}; {query.urlencode()}"[:500]
    )
    audit.seal_pending()
    lines = audit.export_lines(entries, fmt)
    if fmt == "csv":
        lines = itertools.chain(["\ufeff"], lines)  # Excel reads UTF-8 with the mark
    response = StreamingHttpResponse(
        lines,
        content_type="application/x-ndjson; charset=utf-8"
        if fmt == "jsonl"
        else "text/csv; charset=utf-8",
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="access-log-{stamp}.{fmt}"'
    return response


@login_required
@permission_required("onewindow.view_accesslog", raise_exception=True)
@require_http_methods(["POST"])
def access_log_verify(request):
    """Check the whole chain in the background; the job page tells the result."""
    job = enqueue_job("audit.verify_chain", actor=request.user)
    return redirect("job_status", pk=job.pk)


@login_required
def job_status(request, pk: int):
    """Progress of a background job; the partial polls itself while the job runs."""
    job = get_for_user_or_404(request, Job.objects.all(), pk=pk)
    template = "onewindow/job.html#status" if request.htmx else "onewindow/job.html"
    return render(request, template, {"job": job})


MONTHS = [
    "Январь", "Февраль", "Март", "Апрель", "Май", "Июнь",
    "Июль", "Август", "Сентябрь", "Октябрь", "Ноябрь", "Декабрь",
]  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def calendar_year(request, year: int | None = None):
    """The production calendar of a year; the admin adds overrides for new decrees."""
    year = year or timezone.localdate().year
    if not 1990 <= year <= 2100:
        raise Http404("Год вне допустимого диапазона")
    form = CalendarOverrideForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not request.user.has_perm("onewindow.add_calendaroverride"):
            raise PermissionDenied("Исключения календаря вносит администратор")
        if form.is_valid():
            try:
                override = workdays.add_override(
                    day=form.cleaned_data["date"], is_working=form.cleaned_data["is_working"],
                    reason=form.cleaned_data["reason"], actor=request.user,
                )  # fmt: skip
            except workdays.CalendarError as exc:
                form.add_error(exc.field, exc.message)
            else:
                messages.success(request, f"Исключение сохранено: {override}.")
                return redirect("calendar_year", year=override.date.year)
    months = []
    total = 0
    for month in range(1, 13):
        days = workdays.month_days(year, month)
        working = sum(1 for d in days if d["working"])
        total += working
        lead = [None] * days[0]["date"].weekday()
        cells = lead + days
        cells += [None] * (-len(cells) % 7)
        weeks = [cells[i : i + 7] for i in range(0, len(cells), 7)]
        months.append({"name": MONTHS[month - 1], "weeks": weeks, "working": working})
    overrides = CalendarOverride.objects.filter(date__year=year)
    return render(
        request,
        "onewindow/calendar.html",
        {
            "year": year,
            "months": months,
            "total": total,
            "overrides": overrides,
            "form": form,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["POST"])
def calendar_override_delete(request, pk: int):
    override = get_object_or_404(CalendarOverride, pk=pk)
    year = override.date.year
    workdays.remove_override(override, actor=request.user)
    messages.success(request, f"Исключение на {override.date:%d.%m.%Y} удалено.")
    return redirect("calendar_year", year=year)


@login_required
def job_file(request, pk: int):
    """The file a job produced, to the users of its office only."""
    from pathlib import Path

    from django.conf import settings
    from django.http import FileResponse

    job = get_for_user_or_404(request, Job.objects.all(), pk=pk)
    relative = (job.result or {}).get("file")
    if job.status != Job.Status.DONE or not relative:
        raise Http404("Файл ещё не готов")
    path = (Path(settings.MEDIA_ROOT) / relative).resolve()
    if not str(path).startswith(str(Path(settings.MEDIA_ROOT).resolve())) or not path.is_file():
        raise Http404("Файл не найден")
    log_access(
        request, event="print_document", subject=job, subject_repr=job.result.get("title", "")
    )
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)


# --- Error pages: Russian, in the base layout, never a debug page ----------------------------


@requires_csrf_token
def permission_denied(request, exception=None):
    """403: "Недостаточно прав", and the refused attempt goes to the access log."""
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        log_access(
            request,
            event="forbidden",
            allowed=False,
            subject_repr=request.path[:300],
            detail=str(exception or "")[:500],
        )
    # the service's own Russian reason is shown; a library's English one is not
    reason = str(exception or "")
    if not any("а" <= ch.lower() <= "я" or ch in "ёЁ" for ch in reason):
        reason = ""
    return render(request, "403.html", {"reason": reason}, status=403)


@requires_csrf_token
def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request, exception=None):
    if _is_api(request):
        return api_errors.not_found(request)
    return render(request, "404.html", status=404)


@requires_csrf_token
def bad_request(request, exception=None):
    if _is_api(request):
        return JsonResponse(api_errors.body("malformed_request", "Запрос не разобран."), status=400)
    return render(request, "400.html", status=400)


def server_error(request):
    if _is_api(request):
        return api_errors.server_error(request)
    # No context processors here: the database or a template may be what failed.
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render())


def csrf_failure(request, reason=""):
    if _is_api(request):  # a session call of the API without its CSRF token
        return JsonResponse(
            api_errors.body(
                "permission_denied",
                "Нет CSRF-токена: вызов от имени сеанса браузера без заголовка X-CSRFToken.",
            ),
            status=403,
        )
    return render(request, "403_csrf.html", status=403)


def lockout(request, original_response=None, credentials=None):
    """django-axes lockout page: Russian, in the base layout, with the cool-off in minutes."""
    from django.conf import settings

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/lockout.html", {"lockout_minutes": minutes}, status=429)
