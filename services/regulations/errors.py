"""Why a change file cannot be loaded, and how its values are named in those messages."""

from __future__ import annotations

from typing import Any


class RegulationFileError(Exception):
    """The file cannot be loaded; `errors` lists every reason with its path in the file."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


class StalePreviewError(Exception):
    """The catalogue has changed since the preview the user confirmed."""


def kind_of(value: Any) -> str:
    """What a wrong value is, as an error message names it: «список», «число», «…»."""
    if isinstance(value, list):
        return "список"
    if isinstance(value, dict):
        return "словарь"
    if isinstance(value, bool):
        return "логическое значение"
    if isinstance(value, int | float):
        return "число"
    return f"«{str(value)[:60]}»"
