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


def counted(number: int, forms: str) -> str:
    """The number with its noun: counted(2, "дело,дела,дел") -> "2 дела"."""
    return f"{number} {plural(number, forms)}"


def years_phrase(years) -> str:
    """«за 2010 год», «за 2010–2012 годы», «за 2010, 2012 годы»: a consecutive run as a range."""
    years = sorted({int(y) for y in years if y})
    if not years:
        return ""
    if len(years) == 1:
        return f"за {years[0]} год"
    if years == list(range(years[0], years[-1] + 1)):
        return f"за {years[0]}–{years[-1]} годы"
    return f"за {', '.join(map(str, years))} годы"


def quoted(text: str) -> str:
    """«…» around `text`; quotes already inside become „…“ (the second level): «Услуга „Почётный
    донор России“»."""
    text = (text or "").strip()
    if not text:
        return ""
    if text.startswith("«") and text.endswith("»") and _balanced(text[1:-1]):
        text = text[1:-1]
    inner = []
    depth = 0
    for char in text:
        if char == "«" or (char == '"' and depth % 2 == 0 and _opens(inner)):
            inner.append("„")
            depth += 1
        elif char == "»" or (char == '"' and depth % 2 == 1):
            inner.append("“")
            depth = max(depth - 1, 0)
        else:
            inner.append(char)
    return "«" + "".join(inner) + "»"


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += char == "«"
        depth -= char == "»"
        if depth < 0:
            return False
    return depth == 0


def _opens(before: list[str]) -> bool:
    """A straight " opens a quote at the start or after a space or an opening bracket."""
    return not before or before[-1] in " (\u00a0—-"


NBSP = "\u00a0"

# The head word of an organisation's name in the genitive: «приказ Комитета …», «постановление
# Администрации …», «постановление Правительства …». An unknown head word gets no inflection
# (the caller then writes the issuer apart: «(принят: …)»).
_ORG_GENITIVE = (("ция", "ции"), ("ние", "ния"), ("ство", "ства"), ("тет", "тета"),
                 ("ура", "уры"), ("тор", "тора"))  # fmt: skip


def org_genitive(name: str) -> str | None:
    """«Комитет социальной защиты …» → «Комитета социальной защиты …»; None when the head word
    is not one whose ending we know."""
    name = (name or "").strip()
    if not name:
        return None
    head, _, rest = name.partition(" ")
    for ending, genitive in _ORG_GENITIVE:
        if head.lower().endswith(ending):
            return head[: len(head) - len(ending)] + genitive + (f" {rest}" if rest else "")
    return None


def rubles(amount) -> str:
    """1234.5 → «1 234,50 руб.»: thousands apart by non-breaking spaces, kopecks always."""
    from decimal import ROUND_HALF_UP, Decimal

    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    whole, kopecks = f"{value:.2f}".split(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return f"{NBSP.join(groups)},{kopecks}{NBSP}руб."
