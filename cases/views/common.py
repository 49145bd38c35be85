"""What the counter's views share: a refusal's message with its link, who sees a full identity."""

from __future__ import annotations

from django.utils.html import format_html

from cases import services
from onewindow.forms import show_refusal  # noqa: F401  (the counter's views import it from here)

# Links a refusal may carry, with the permission that opens them and their text.
REFUSAL_LINKS = {
    "/archive/": ("archive.view_archivedfile", "Открыть дело в архиве"),
}


def refusal_message(request, exc: services.CounterError):
    """The refusal's message, with its link when the user may follow it (an archivist opens an
    archived file; a specialist is told whom to ask)."""
    if exc.link:
        for prefix, (perm, title) in REFUSAL_LINKS.items():
            if exc.link.startswith(prefix) and request.user.has_perm(perm):
                return format_html('{} <a href="{}">{}</a>', exc.message, exc.link, title)
    return exc.message


def sees_full_identity(user) -> bool:
    return user.has_perm("cases.view_full_identity")
