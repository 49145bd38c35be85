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


_UNITS = {
    "m": ["", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"],
    "f": ["", "одна", "две", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"],
    "n": ["", "одно", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"],
}
_TEENS = ["десять", "одиннадцать", "двенадцать", "тринадцать", "четырнадцать", "пятнадцать",
          "шестнадцать", "семнадцать", "восемнадцать", "девятнадцать"]  # fmt: skip
_TENS = ["", "", "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят",
         "восемьдесят", "девяносто"]  # fmt: skip
_HUNDREDS = ["", "сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот",
             "восемьсот", "девятьсот"]  # fmt: skip
# each power of a thousand: its grammatical gender and its noun forms
_SCALES = [("f", "тысяча,тысячи,тысяч"), ("m", "миллион,миллиона,миллионов"),
           ("m", "миллиард,миллиарда,миллиардов")]  # fmt: skip


def _triad(number: int, gender: str) -> list[str]:
    words = [_HUNDREDS[number // 100]]
    tens, units = divmod(number % 100, 10)
    if tens == 1:
        words.append(_TEENS[units])
    else:
        words += [_TENS[tens], _UNITS[gender][units]]
    return [w for w in words if w]


def number_in_words(number: int, gender: str = "m") -> str:
    """A cardinal number in Russian words, as a closing entry writes it: number_in_words(12) ->
    «двенадцать»; `gender` ("m", "f", "n") agrees one and two with the noun that follows:
    number_in_words(21, "n") -> «двадцать одно» (дело), number_in_words(2, "f") -> «две»."""
    number = int(number)
    if number == 0:
        return "ноль"
    if number < 0:
        return "минус " + number_in_words(-number, gender)
    words: list[str] = []
    triads = []
    while number:
        number, rest = divmod(number, 1000)
        triads.append(rest)
    if len(triads) > len(_SCALES) + 1:
        raise ValueError("Слишком большое число")
    for power in range(len(triads) - 1, -1, -1):
        value = triads[power]
        if not value:
            continue
        if power == 0:
            words += _triad(value, gender)
        else:
            scale_gender, forms = _SCALES[power - 1]
            words += [*_triad(value, scale_gender), plural(value, forms)]
    return " ".join(words)


def counted_in_words(number: int, forms: str, gender: str = "m") -> str:
    """«12 (двенадцать) дел»: the number, then in words, then the agreeing noun."""
    return f"{number} ({number_in_words(number, gender)}) {plural(number, forms)}"


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


def natural_key(text: str | None) -> tuple:
    """Sort key reading numbers as numbers: «А-2» before «А-10», «№ 2/2026» before «№ 10/2026»,
    «2018-0004» before «2018-0004а»."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part.lower())
        for part in re.findall(r"\d+|\D+", text or "")
    )
