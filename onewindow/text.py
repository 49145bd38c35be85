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
