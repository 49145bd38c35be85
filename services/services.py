"""Writes of the catalogue: loading regulation changes (web preview -> confirm) and searching.

Every write goes through `services.regulations` in one transaction."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from rapidfuzz import fuzz

from onewindow.text import normalize_text
from services.models import RegulationLoad, Service
from services.regulations import (
    RegulationFileError,
    apply_plan,
    build_plan,
    parse_change,
    read_document,
    sha256_of,
)


def preview_regulation_file(data: bytes, file_name: str, *, actor) -> RegulationLoad | None:
    """Validate an uploaded file and store it for the preview. Returns None when the file
    changes nothing; raises RegulationFileError with every error otherwise."""
    plan = build_plan(parse_change(data, file_name))
    if not plan.has_changes:
        return None
    return RegulationLoad.objects.create(
        file_name=file_name[:300],
        sha256=sha256_of(data),
        content=data.decode("utf-8-sig"),
        diff=plan.diff,
        regulation=plan.regulation,
        uploaded_by=actor,
        source="web",
    )


def confirm_regulation_load(load: RegulationLoad, *, actor, allow_past: bool) -> RegulationLoad:
    """Apply a previewed load: re-validated against the catalogue as it is now, and refused
    (StalePreviewError) if the difference is no longer the one the admin saw."""
    with transaction.atomic():
        load = RegulationLoad.objects.select_for_update().get(pk=load.pk)
        if load.status != RegulationLoad.Status.PREVIEW:
            raise RegulationFileError(["эти изменения уже применены"])
        data = load.content.encode("utf-8")
        read_document(data, load.file_name)
        # today, not the preview's day: a change confirmed later may have become backdated
        # (then the difference differs and the admin is asked to load the file again)
        plan = build_plan(parse_change(data, load.file_name), today=timezone.localdate())
        return apply_plan(
            plan, actor=actor, allow_past=allow_past, load=load, expected_diff=load.diff
        )


# --- Search -------------------------------------------------------------------------------------

MIN_TOKEN_SCORE = 75


def _token_score(token: str, words: list[str], text: str) -> float:
    if token in text:
        return 100.0
    best = 0.0
    for word in words:
        if word.startswith(token):
            return 95.0
        # compare with the word's beginning of the same length too: "погреб" ~ "погребение"
        best = max(best, fuzz.ratio(token, word), fuzz.ratio(token, word[: len(token)]) - 5)
    return best


def search_services(query: str, services=None, *, limit: int = 20) -> list[Service]:
    """Services matching a code or words of the title, tolerant of a typo per word."""
    services = list(services if services is not None else Service.objects.all())
    tokens = [t for t in normalize_text(query).replace("«", " ").replace("»", " ").split() if t]
    if not tokens:
        return services[:limit]
    scored = []
    for service in services:
        text = service.search_text
        if service.code == tokens[0]:
            scored.append((200.0, service))
            continue
        words = [w.strip('«»"(),.;:') for w in text.split()]
        scores = [_token_score(token, words, text) for token in tokens]
        if min(scores) >= MIN_TOKEN_SCORE:
            scored.append((sum(scores) / len(scores), service))
    scored.sort(key=lambda pair: (-pair[0], pair[1].short_title))
    return [service for _, service in scored[:limit]]
