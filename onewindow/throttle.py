"""Attempt counters in the cache, for lookups a guesser could repeat (the status page by the
receipt's code, the kiosk's check-in by the booking code): each key counts attempts in a fixed
window from its first one; past the limit the caller refuses without looking anything up."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.cache import cache


def count(keys: Iterable[str], *, limit: int, window: int) -> bool:
    """Count one attempt on every key; False once any of them has had more than `limit` within
    `window` seconds."""
    allowed = True
    for key in keys:
        cache.add(key, 0, timeout=window)
        try:
            value = cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.set(key, 1, timeout=window)
            value = 1
        allowed = allowed and value <= limit
    return allowed


def exhausted(keys: Iterable[str], *, limit: int) -> bool:
    """Has any key had `limit` attempts in its window already? (Counts nothing.)"""
    return any(value >= limit for value in cache.get_many(list(keys)).values())
