"""Request helpers every view shares: where a `next` may send the user."""

from __future__ import annotations

from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


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
