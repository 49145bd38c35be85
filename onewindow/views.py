from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from onewindow.audit import get_for_user_or_404, log_access
from onewindow.forms import AccessLogFilterForm
from onewindow.models import AccessLog, Job

ACCESS_LOG_PAGE_SIZE = 50


@login_required
def home(request):
    return render(request, "onewindow/home.html")


@login_required
@permission_required("onewindow.view_accesslog", raise_exception=True)
def access_log(request):
    users = get_user_model().objects.all()
    if not request.user.sees_all_offices:
        users = users.filter(office_id=request.user.office_id)
    form = AccessLogFilterForm(request.GET or None, users=users)
    entries = AccessLog.objects.for_user(request.user).select_related("user", "office")
    if form.is_bound and form.is_valid():
        entries = form.filter(entries)
    elif form.is_bound:
        entries = entries.none()
    page = Paginator(entries, ACCESS_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "onewindow/access_log.html#results" if request.htmx else "onewindow/access_log.html"
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})


@login_required
def job_status(request, pk: int):
    """Progress of a background job; the partial polls itself while the job runs."""
    job = get_for_user_or_404(request, Job.objects.all(), pk=pk)
    template = "onewindow/job.html#status" if request.htmx else "onewindow/job.html"
    return render(request, template, {"job": job})


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
    return render(request, "403.html", status=403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@requires_csrf_token
def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def server_error(request):
    # No context processors here: the database or a template may be what failed.
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render())


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


def lockout(request, original_response=None, credentials=None):
    """django-axes lockout page: Russian, in the base layout, with the cool-off in minutes."""
    from django.conf import settings

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/lockout.html", {"lockout_minutes": minutes}, status=429)
