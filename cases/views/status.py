"""The public status page (no login): the receipt's number and status code → the state, the
decision's deadline, the documents still awaited. The receipt's QR code opens it filled in."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from cases import status
from onewindow.audit import client_ip, log_access


@require_GET
def status_page(request):
    number_text = request.GET.get("n", "")[:40]
    code_text = request.GET.get("c", "")[:40]
    context = {"number": number_text, "code": code_text}
    http_status = 200
    if "n" in request.GET or "c" in request.GET:
        context["error"], http_status, context["result"] = _look_up(request, number_text, code_text)
    response = render(request, "cases/status.html", context, status=http_status)
    # the answer is nobody's cache's business, and the page is nobody's search result
    patch_cache_control(response, no_store=True, private=True, max_age=0)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _look_up(request, number_text: str, code_text: str):
    """(message, HTTP status, PublicStatus or None)."""
    number = status.parse_receipt_number(number_text)
    if number is None:
        return status.BAD_NUMBER, 200, None
    code = status.normalize_code(code_text)
    if code is None:
        return status.BAD_CODE, 200, None
    if not status.attempt_allowed(client_ip(request), number):
        return status.TOO_MANY, 429, None
    application = status.find_application(number, code)
    if application is None:
        # a wrong code and a number that does not exist: one answer
        return status.NOT_FOUND, 404, None
    log_access(
        request,
        event="status_check",
        subject=application,
        detail="состояние заявления по номеру расписки и коду",
        path=reverse("status"),  # not the query: it holds the code
    )
    return "", 200, status.public_status(application)
