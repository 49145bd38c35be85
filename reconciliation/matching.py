"""The rules of one extract row that both ways of a run share: the Python way
(`services.cascade.match_rows`) and the set-based way on PostgreSQL (`fastpath`): the fields read, the
column check, how a row is taken apart and why it is invalid, and the cascade's fuzzy distance.
"""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein

from onewindow.identity import full_name_key, is_valid_snils, normalize_name, snils_digits
from reconciliation.readers import ExtractError, parse_date

FIELDS = ["snils", "last_name", "first_name", "middle_name", "birth_date", "event_date"]
FUZZY_MAX_DISTANCE = 2  # "about one typo": a wrong, missing or swapped letter


def corroborates(surname_key: str, birth, person_surname_key: str, person_birth) -> bool:
    """A record found by its СНИЛС is the person's only if something else agrees: the birth
    date, or the surname up to a typo (`FUZZY_MAX_DISTANCE` on the folded surname). A changed
    surname (marriage) with the same first name, patronymic and birth date agrees by the birth
    date. A record with neither a surname nor a birth date has nothing that disagrees: its
    СНИЛС stands. The set-based way (`fastpath.CORROBORATED`) says the same in SQL."""
    if not surname_key and birth is None:
        return True
    if birth is not None and birth == person_birth:
        return True
    if not surname_key or abs(len(surname_key) - len(person_surname_key)) > FUZZY_MAX_DISTANCE:
        return False
    distance = Levenshtein.distance(
        surname_key, person_surname_key, score_cutoff=FUZZY_MAX_DISTANCE
    )
    return distance <= FUZZY_MAX_DISTANCE


def _clean(value) -> str:
    return str(value).strip() if value not in (None, "") else ""


def check_columns(mapping: dict, header: list[str]) -> None:
    """The file must name a СНИЛС column, or last name, first name and birth date columns."""
    has_snils = "snils" in mapping
    has_names = all(k in mapping for k in ("last_name", "first_name", "birth_date"))
    if not has_snils and not has_names:
        missing = [title for key, title in (("snils", "СНИЛС"), ("last_name", "Фамилия"), ("first_name", "Имя"), ("birth_date", "Дата рождения")) if key not in mapping]  # fmt: skip
        raise ExtractError(
            "В файле нет нужных столбцов: "
            + ", ".join(f"«{m}»" for m in missing)
            + f". Найдены столбцы: {', '.join(list(header)[:15])}"
        )


# The reasons a row is invalid (the set-based path writes the same texts in SQL).
WRONG_SNILS = "поле «СНИЛС»: неверный номер «{}»"
NO_IDENTITY = "нет ни верного СНИЛС, ни фамилии, имени и даты рождения"
EVENT_DATE = "поле «Дата события»"


def parse_row(value: dict, number: int, date_format: str = "") -> dict:
    """One record's fields, normalised: `reason` is set when the row is invalid; otherwise
    `digits`/`snils_ok`, `name_key`, `surname_key` (the folded surname a СНИЛС match is checked
    against), `birth`, `event` and the `evidence` shown to the specialist.
    The PostgreSQL path (reconciliation/fastpath.py) computes the same in SQL for regular rows
    and calls this for the others."""
    raw_snils = _clean(value.get("snils"))
    digits = snils_digits(raw_snils)
    snils_ok = len(digits) == 11 and is_valid_snils(digits)
    last, first, middle = (_clean(value.get(k)) for k in ("last_name", "first_name", "middle_name"))
    problems = []
    try:
        birth = parse_date(value.get("birth_date"), date_format)
    except ValueError as exc:
        birth = None
        problems.append(f"поле «Дата рождения»: {exc}")
    try:
        event = parse_date(value.get("event_date"), date_format)
        bad_event = None
    except ValueError as exc:
        # never a silent blank: the date the measures would stop from is unreadable
        event = None
        bad_event = f"{EVENT_DATE}: {exc}"
    if raw_snils and not snils_ok:
        problems.append(WRONG_SNILS.format(raw_snils))
    result = {"reason": None, "digits": digits, "snils_ok": snils_ok, "raw_snils": raw_snils,
              "name_key": full_name_key(last, first, middle) if last and first else "",
              "surname_key": normalize_name(last),
              "name": " ".join(p for p in (last, first, middle) if p), "birth": birth, "event": event}  # fmt: skip
    if not snils_ok and not (last and first and birth):
        result["reason"] = "; ".join(problems + ([bad_event] if bad_event else [])) or NO_IDENTITY
    elif bad_event:
        result["reason"] = bad_event
    result["evidence"] = {"row": number, "snils": digits if snils_ok else raw_snils, "name": result["name"],
                          "birth_date": birth.isoformat() if birth else "", "event_date": event.isoformat() if event else ""}  # fmt: skip
    return result
