"""Russian names as an official document writes them: declined into the case the sentence needs
(«от Иванова Петра Сергеевича», «Волковой И. П. нельзя передать дела», «об Андрееве О. И.»),
initials «П. С.» with non-breaking spaces, the preposition «о/об» chosen by the next sound.

pytrovich declines each part; it knows female and undeclinable surnames (Ким for a woman,
Шевченко, Дюма). A double-barrelled surname is declined part by part. The gender comes from the
person's «пол» field where the model has one, else from the name itself.

One API for all apps:
- `decline(last, first, middle, sex, case)` — the full name in a case;
- `initials(first, middle)` → «П. С.»; `short_name(last, first, middle)` → «Иванов П. С.»;
- `name_in(person, case, short=False)` — a person object (last_name/first_name/middle_name, and
  `sex` if it has one) or a free-text «Фамилия Имя Отчество» in a case;
- `about(text)` → «о Петрове» / «об Иванове»;
- template filters `name_case`, `short_name_case`, `about` (onewindow_tags).
"""

from __future__ import annotations

import re
from functools import lru_cache

from pytrovich.detector import PetrovichGenderDetector
from pytrovich.enums import Case, Gender, NamePart
from pytrovich.maker import PetrovichDeclinationMaker

NBSP = "\u00a0"

CASES = {"genitive": Case.GENITIVE, "dative": Case.DATIVE, "accusative": Case.ACCUSATIVE,
         "instrumental": Case.INSTRUMENTAL, "prepositional": Case.PREPOSITIONAL}  # fmt: skip

# «об» before a vowel sound: об Иванове, об Андрееве, об Ушаковой, об Эдуарде; «о» before
# е, ё, ю, я (they begin with [й]): о Егорове, о Юрии, о Яковлеве.
_OB_VOWELS = set("аоуэиы")
_INITIAL = re.compile(r"^([^\W\d_])\.$")


@lru_cache(maxsize=1)
def _maker() -> PetrovichDeclinationMaker:
    return PetrovichDeclinationMaker()


@lru_cache(maxsize=1)
def _detector() -> PetrovichGenderDetector:
    return PetrovichGenderDetector()


def gender_of(last: str, first: str, middle: str = "", sex: str = "") -> str:
    """ "M" or "F": the recorded sex if there is one, else guessed from the name (the patronymic
    first, then the first name and the surname); a name that tells nothing counts as male."""
    if sex in ("M", "F"):
        return sex
    try:
        found = _detector().detect(
            firstname=first or None, lastname=last or None, middlename=middle or None
        )
    except Exception:
        return "M"
    return "F" if found == Gender.FEMALE else "M"


def _decline_part(value: str, part: NamePart, gender: Gender, case: Case) -> str:
    if not value or _INITIAL.match(value):
        return value
    try:
        if part == NamePart.LASTNAME and "-" in value:
            return "-".join(
                _maker().make(part, gender, case, piece) if piece else piece
                for piece in value.split("-")
            )
        return _maker().make(part, gender, case, value)
    except Exception:  # an unusual name: better undeclined than a failed document
        return value


def decline(last: str, first: str, middle: str, sex: str, case: str) -> str:
    """Full name in a grammatical case (`case`: "nominative", "genitive", "dative",
    "accusative", "instrumental", "prepositional"); `sex` is "M", "F" or "" (guess)."""
    if case == "nominative":
        return " ".join(p for p in (last, first, middle) if p)
    gender = Gender.FEMALE if gender_of(last, first, middle, sex) == "F" else Gender.MALE
    grammatical = CASES[case]
    parts = []
    for value, part in (
        (last, NamePart.LASTNAME),
        (first, NamePart.FIRSTNAME),
        (middle, NamePart.MIDDLENAME),
    ):
        if value:
            parts.append(_decline_part(value, part, gender, grammatical))
    return " ".join(parts)


def initials(first: str, middle: str = "") -> str:
    """«П. С.»: the official form, initials joined by a non-breaking space."""
    return NBSP.join(f"{p.strip()[0]}." for p in (first, middle) if p and p.strip())


def short_name(last: str, first: str, middle: str = "") -> str:
    """«Иванов П. С.»: the surname and the initials, held together by non-breaking spaces."""
    return NBSP.join(p for p in (last, initials(first, middle)) if p)


def signature_name(person) -> str:
    """«П. С. Иванов»: how a signature is spelt out under the line (initials first, non-breaking
    spaces); a person object or a free-text «Фамилия Имя Отчество»."""
    if person is None or person == "":
        return ""
    last, first, middle, _ = _parts(person)
    return NBSP.join(p for p in (initials(first, middle), last) if p)


def short_decline(last: str, first: str, middle: str, sex: str, case: str) -> str:
    """«Иванову П. С.»: the surname in a case with the initials."""
    if case == "nominative":
        return short_name(last, first, middle)
    gender = Gender.FEMALE if gender_of(last, first, middle, sex) == "F" else Gender.MALE
    declined = _decline_part(last, NamePart.LASTNAME, gender, CASES[case]) if last else ""
    return NBSP.join(p for p in (declined, initials(first, middle)) if p)


def split_name(text: str) -> tuple[str, str, str]:
    """A free-text «Фамилия Имя Отчество» (or «Фамилия И. О.», «Фамилия И.О.») as three parts;
    a patronymic of two words (Оглы, Кызы) stays with the patronymic."""
    text = " ".join((text or "").split())
    text = re.sub(r"([^\W\d_]\.)(?=[^\W\d_]\.)", r"\1 ", text)  # «П.С.» → «П. С.»
    words = text.split(" ") if text else []
    last = words[0] if words else ""
    first = words[1] if len(words) > 1 else ""
    middle = " ".join(words[2:])
    return last, first, middle


def _parts(person) -> tuple[str, str, str, str]:
    if isinstance(person, str):
        return (*split_name(person), "")
    return (
        getattr(person, "last_name", "") or "",
        getattr(person, "first_name", "") or "",
        getattr(person, "middle_name", "") or "",
        getattr(person, "sex", "") or "",
    )


def name_in(person, case: str, *, short: bool = False) -> str:
    """A person (an applicant, a user: anything with last_name, first_name, middle_name and
    perhaps sex) or a free-text name in `case`; `short` gives «Иванову П. С.»."""
    if person is None or person == "":
        return ""
    last, first, middle, sex = _parts(person)
    if isinstance(person, str) and any(_INITIAL.match(w) for w in (first, middle) if w):
        short = True  # «Иванов П.С.» as typed: keep the initials
    if short:
        return short_decline(last, first, middle, sex, case)
    return decline(last, first, middle, sex, case)


def about(text: str) -> str:
    """The preposition «о» or «об» before `text` (already in the prepositional case)."""
    text = (text or "").strip()
    if not text:
        return ""
    return f"{'об' if text[0].lower() in _OB_VOWELS else 'о'} {text}"


def about_person(person, *, short: bool = False) -> str:
    """«об Иванове П. С.», «о Волковой Ирине Павловне»."""
    return about(name_in(person, "prepositional", short=short))


def is_female(person) -> bool:
    """A person object or a free-text name: is the name a woman's (the recorded sex first)?"""
    if person is None or person == "":
        return False
    last, first, middle, sex = _parts(person)
    return gender_of(last, first, middle, sex) == "F"
