"""Text normalisation for matching and search: the same rules everywhere.

SQLite's LIKE folds case for ASCII only, so case-insensitive search over Cyrillic goes through a
stored normalised copy (lower case, ё -> е, single spaces) on both databases.
"""

from __future__ import annotations

import re

_SPACES = re.compile(r"\s+")


def normalize_text(value: str | None) -> str:
    if not value:
        return ""
    value = value.casefold().replace("ё", "е")
    return _SPACES.sub(" ", value).strip()


def plural(number: int, forms: str) -> str:
    """The noun agreeing with the number: plural(1, "дело,дела,дел") -> "дело", 3 -> "дела",
    5, 11, 112 -> "дел"."""
    one, few, many = (form.strip() for form in forms.split(","))
    number = abs(int(number))
    if number % 10 == 1 and number % 100 != 11:
        return one
    if 2 <= number % 10 <= 4 and not 12 <= number % 100 <= 14:
        return few
    return many
