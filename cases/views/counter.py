"""The counter: search by name, СНИЛС or a scanned receipt; the specialist's own strip of work."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect

from cases import search as counter_search
from cases.models import (
    Application,
)
from cases.views.common import sees_full_identity
from onewindow import work
from onewindow.audit import get_for_user_or_404, log_access, shown

# --- The counter: search ----------------------------------------------------------------------


@login_required
@permission_required("cases.view_applicant", raise_exception=True)
def counter(request):
    query = request.GET.get("q", "").strip()
    if lookup := counter_search.receipt_code(query):
        opened = _open_receipt_code(request, lookup)
        if opened is not None:
            return opened
    # One query shows the first ones and counts the rest up to a cap (a common surname is not
    # counted to the end): reading 201 index entries costs less than a second round trip.
    hits = counter_search.search(query, request.user, limit=COUNTER_COUNT_CAP + 1) if query else []
    total = len(hits)
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


def _open_receipt_code(request, lookup: dict):
    """The receipt's QR code scanned into the search box opens its application. Another
    office's code finds nothing, and the attempt is logged as refused (as any cross-office
    lookup is)."""
    try:
        application = get_for_user_or_404(
            request, Application.objects.all(), event="view_application", **lookup
        )
    except Http404:
        return None
    url = reverse("cases:application", args=[application.pk])
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)
