"""What the archive's pages share: a button's service call with its outcome as a message."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages

from archive.services import ArchiveError


def with_messages(request, service: Callable, success: str | Callable) -> object | None:
    """Run one service for a button of a page: a refusal (`ArchiveError`) becomes the page's
    error message, the result the success message (`success(result)`, or the text `success`).
    Returns the result; None when refused."""
    try:
        result = service()
    except ArchiveError as exc:
        messages.error(request, exc.message)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return result
