"""Identity data: СНИЛС, passport of a citizen of Russia, names (see the domain notes)."""

from __future__ import annotations

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible

from onewindow.text import normalize_text

_NON_DIGITS = re.compile(r"\D")
SNILS_UNCHECKED_MAX = 1001998  # numbers up to 001-001-998 carry no check number


def snils_digits(value: str | None) -> str:
    return _NON_DIGITS.sub("", value or "")


def snils_check_number(first_nine: str) -> int:
    total = sum(
        int(digit) * weight for digit, weight in zip(first_nine, range(9, 0, -1), strict=True)
    )
    if total < 100:
        return total
    if total in (100, 101):
        return 0
    check = total % 101
    return 0 if check == 100 else check


def snils_error(value: str) -> str | None:
    """The Russian reason a СНИЛС is wrong, or None when it is valid."""
    raw = (value or "").strip()
    if re.search(r"[^\d\s-]", raw):
        return "СНИЛС состоит только из цифр (допустимы пробел и дефис)"
    digits = snils_digits(raw)
    if len(digits) != 11:
        return f"в СНИЛС должно быть 11 цифр, введено {len(digits)}"
    number, check = digits[:9], int(digits[9:])
    if int(number) > SNILS_UNCHECKED_MAX and snils_check_number(number) != check:
        return "неверное контрольное число СНИЛС — проверьте номер"
    return None


def is_valid_snils(value: str) -> bool:
    return snils_error(value) is None


def format_snils(value: str) -> str:
    digits = snils_digits(value)
    if len(digits) != 11:
        return value or ""
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:9]} {digits[9:]}"


def mask_snils(value: str) -> str:
    """«•••-•••-789 01»: enough to tell people apart in a list."""
    digits = snils_digits(value)
    if len(digits) != 11:
        return ""
    return f"•••-•••-{digits[6:9]} {digits[9:]}"


def validate_snils(value: str) -> None:
    error = snils_error(value)
    if error:
        raise ValidationError(error[0].upper() + error[1:] + ".", code="snils")


PASSPORT_SERIES_RE = re.compile(r"^\d{4}$")
PASSPORT_NUMBER_RE = re.compile(r"^\d{6}$")
UNIT_CODE_RE = re.compile(r"^\d{3}-\d{3}$")


def passport_errors(series: str, number: str) -> dict[str, str]:
    """The Russian reasons the series and number of a passport of a citizen of Russia are wrong,
    by field («id_series», «id_number»); the values as typed (spaces are dropped before the
    check: «12 34» is «1234»)."""
    errors = {}
    if series and not PASSPORT_SERIES_RE.match(series.replace(" ", "")):
        errors["id_series"] = f"Серия паспорта — 4 цифры, введено «{series}»."
    if number and not PASSPORT_NUMBER_RE.match(number.replace(" ", "")):
        errors["id_number"] = f"Номер паспорта — 6 цифр, введено «{number}»."
    return errors


def normalize_unit_code(value: str) -> str:
    """«340001» -> «340-001»; anything else as typed (stripped)."""
    value = (value or "").strip()
    if len(value) == 6 and value.isdigit():
        return f"{value[:3]}-{value[3:]}"
    return value


def validate_unit_code(value: str) -> None:
    """Код подразделения, выдавшего паспорт: «000-000» (six digits in a row are taken too; the
    model's `clean()` writes them with the hyphen)."""
    if value and not UNIT_CODE_RE.match(normalize_unit_code(value)):
        raise ValidationError("Код подразделения — 6 цифр в виде 340-001.", code="unit_code")


# --- Dates ----------------------------------------------------------------------------------


@deconstructible
class NotInFuture:
    """A date that cannot be after today (the office's today: `timezone.localdate()`, which
    tests freeze). The message names the date: «Дата рождения не может быть в будущем.»"""

    def __init__(self, message: str = "Дата не может быть в будущем."):
        self.message = message

    def __call__(self, value: datetime.date | None) -> None:
        if value and value > timezone.localdate():
            raise ValidationError(self.message, code="future")

    def __eq__(self, other) -> bool:
        return isinstance(other, NotInFuture) and self.message == other.message


# --- Free text ------------------------------------------------------------------------------


def validate_no_control_characters(value: str) -> None:
    """Free text that names a person or an organisation (ФИО представителя, «о ком» in a
    request): no control characters (a tab, a line break, a zero-width character pasted from
    another system), which would break documents, registers and search."""
    bad = [ch for ch in value or "" if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")]
    if bad:
        shown = ", ".join(f"U+{ord(ch):04X}" for ch in dict.fromkeys(bad))
        raise ValidationError(
            f"Недопустимый управляющий символ (код {shown}): наберите текст заново, "
            "не вставляя его из другой программы.",
            code="control",
        )


# --- Organisations --------------------------------------------------------------------------


def validate_inn(value: str) -> None:
    from stdnum.exceptions import ValidationError as StdnumError
    from stdnum.ru import inn

    try:
        inn.validate(value)
    except StdnumError:
        raise ValidationError(
            "ИНН — 10 цифр (организация) или 12 цифр (индивидуальный предприниматель) с верными "
            "контрольными цифрами.",
            code="inn",
        ) from None


def validate_ogrn(value: str) -> None:
    from stdnum.exceptions import ValidationError as StdnumError
    from stdnum.ru import ogrn

    try:
        ogrn.validate(value)
    except StdnumError:
        raise ValidationError(
            "ОГРН — 13 цифр (ОГРНИП — 15) с верной контрольной цифрой.", code="ogrn"
        ) from None


# Latin letters that look like Cyrillic ones (after case folding: «B», «H», «M», «T», «K» are
# look-alikes as capitals). A name typed with a few of them on the wrong keyboard layout is
# another string but the same person: matching keys fold them, the validator refuses them.
LOOKALIKES = str.maketrans("aebcohkmptxy", "аевсонкмртху")
_LATIN = re.compile(r"[A-Za-z]")
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
# spaces (a run of them is one space once cleaned), not tabs, line breaks or other controls
_NAME_CHARS = re.compile(r"[А-Яа-яЁё'’ \u00a0-]")
_NAME_WORDS = re.compile(r"[^\s-]+")


def normalize_name(value: str | None) -> str:
    """For matching: lower case, ё -> е, Latin look-alikes -> Cyrillic, hyphens and repeated
    spaces folded to one space."""
    folded = normalize_text((value or "").replace("-", " ").replace("‐", " "))
    return folded.translate(LOOKALIKES)


def name_error(value: str | None) -> str | None:
    """The Russian reason a surname, first name or patronymic cannot be written as typed, or
    None. Names are in Russian letters (a foreign citizen's as in the Russian translation of the
    document, as every register the office exchanges data with holds them), with hyphen,
    apostrophe and space; Latin letters among Russian ones are named, since they look the same
    and would make a second person."""
    value = (value or "").strip()
    if not value:
        return None
    other = [ch for ch in value if not (_NAME_CHARS.match(ch) or _LATIN.match(ch))]
    if other:
        shown = ", ".join(
            f"«{ch}»" if ch.isprintable() else f"с кодом U+{ord(ch):04X}"
            for ch in dict.fromkeys(other)
        )
        return (
            f"недопустимый символ {shown}: допустимы только русские буквы, пробел, дефис и апостроф"
        )
    for word in _NAME_WORDS.findall(value):
        latin = _LATIN.findall(word)
        if latin and _CYRILLIC.search(word):
            letters = ", ".join(f"«{ch}»" for ch in dict.fromkeys(latin))
            many = len(dict.fromkeys(latin)) > 1
            return (
                f"латинск{'ие буквы' if many else 'ая буква'} {letters} среди русских в «{word}» — "
                "наберите русскими буквами"
            )
        if latin:
            return (
                f"«{word}» набрано латинскими буквами — наберите русскими (имя иностранного "
                "гражданина — как в переводе его документа на русский язык)"
            )
    if not _CYRILLIC.search(value):
        return "нет ни одной буквы"
    return None


def validate_person_name(value: str) -> None:
    """Validator of a surname, first name or patronymic (forms, models, imports)."""
    error = name_error(value)
    if error:
        raise ValidationError(error[0].upper() + error[1:] + ".", code="name")


def clean_person_name(value: str | None) -> str:
    """A surname, first name or patronymic as it is written: runs of spaces folded, the first
    letter capital (the rest as typed: «де Лима», «Мак-Кормик»)."""
    value = " ".join((value or "").split())
    return value[:1].upper() + value[1:]


def full_name_key(last: str, first: str, middle: str = "") -> str:
    return " ".join(
        part
        for part in (normalize_name(last), normalize_name(first), normalize_name(middle))
        if part
    )
