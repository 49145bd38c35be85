"""Request helpers every view shares: where a `next` may send the user, a button's service call
with its outcome as a message."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

from onewindow.errors import DomainError


def safe_next(request, default: str, *, field: str = "next") -> str:
    """The `next` of the request (POST first, then the query string) when it stays on this
    site, else `default` (a URL or a URL name). An address of another host, a scheme-relative
    `//host` or `/\\host`, or http from an https page is never followed: an open redirect would
    let a link in a letter send a logged-in user to a look-alike site."""
    target = request.POST.get(field) or request.GET.get(field) or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(default)


class RefuseNullCharactersMiddleware:
    """A NUL byte (code 0) in the path, the query string or a posted form is refused with a
    Russian 400 before any view runs: PostgreSQL cannot hold it in a query («A string literal
    cannot contain NUL») and no one types it; it comes from a pasted binary or a probe.
    Multipart bodies are left to the forms (Django's CharField refuses NUL at its field), so
    upload handlers stay the views' to choose."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        where = self._where(request)
        if where is not None:
            from django.http import JsonResponse
            from django.shortcuts import render

            message = (
                f"В запросе недопустимый символ с кодом 0 (нулевой байт){where}. Так бывает при "
                "вставке текста из другой программы: наберите текст заново и повторите."
            )
            if request.path.startswith("/api/"):  # the API's error shape (onewindow.api.errors)
                return JsonResponse({"code": "malformed_request", "message": message}, status=400)
            return render(request, "400.html", {"message": message}, status=400)
        return self.get_response(request)

    @staticmethod
    def _where(request) -> str | None:
        if "\x00" in request.path:
            return " в адресе страницы"
        sources = [request.GET]
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            sources.append(request.POST)
        for data in sources:
            for key, values in data.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    return f" в поле «{key.replace(chr(0), '')}»"
        return None


def with_messages(request, service: Callable, success: str | Callable) -> object | None:
    """Run one service for a button of a page: a refusal (`DomainError`) becomes the page's
    error message, the result the success message (`success(result)`, or the text `success`).
    Returns the result; None when refused."""
    try:
        result = service()
    except DomainError as exc:
        messages.error(request, exc.message)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return result
