"""Russian names in the cases documents need: «от Иванова Ивана Ивановича» (genitive),
«Иванову Ивану Ивановичу» (dative). pytrovich does the declension."""

from __future__ import annotations

from functools import lru_cache

from pytrovich.enums import Case, Gender, NamePart
from pytrovich.maker import PetrovichDeclinationMaker

CASES = {"genitive": Case.GENITIVE, "dative": Case.DATIVE, "accusative": Case.ACCUSATIVE,
         "instrumental": Case.INSTRUMENTAL, "prepositional": Case.PREPOSITIONAL}  # fmt: skip


@lru_cache(maxsize=1)
def _maker() -> PetrovichDeclinationMaker:
    return PetrovichDeclinationMaker()


def decline(last: str, first: str, middle: str, sex: str, case: str) -> str:
    """Full name in a grammatical case; `sex` is "M" or "F". Parts that fail stay as given."""
    gender = Gender.FEMALE if sex == "F" else Gender.MALE
    grammatical = CASES[case]
    parts = []
    for value, part in (
        (last, NamePart.LASTNAME),
        (first, NamePart.FIRSTNAME),
        (middle, NamePart.MIDDLENAME),
    ):
        if not value:
            continue
        try:
            parts.append(_maker().make(part, gender, grammatical, value))
        except Exception:  # an unusual name: better undeclined than a failed document
            parts.append(value)
    return " ".join(parts)
