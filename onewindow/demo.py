"""The demo installation (`manage.py bootstrap_demo`): each app adds its own demo data here from
its AppConfig.ready, so the command in `onewindow` imports no app."""

from __future__ import annotations

from collections.abc import Callable

# function(offices by code) -> None; run in order after the offices and users exist
FILLERS: list[Callable[[dict], None]] = []


def register(filler: Callable[[dict], None]) -> None:
    if filler not in FILLERS:
        FILLERS.append(filler)


def fill(offices: dict) -> None:
    for filler in FILLERS:
        filler(offices)
