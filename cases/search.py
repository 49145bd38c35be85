"""The counter's one search box: it works out what was typed.

- СНИЛС in any formatting (11 digits)            -> the applicant with that СНИЛС
- part of a СНИЛС: its first 9 digits, or its last 5 and more -> the people it fits
- the receipt's QR code (the status page's address, or «krasnooktyabrsky:1/2026» on older
  receipts)  -> that application (`receipt_code`)
- «ЛД-123», «лд 123»                             -> the case file with that number
- «123/2026»                                     -> the application with that journal number
- a bare number «123»                            -> case file 123 and application 123 of this year
- a date «01.02.1950»                            -> applicants born that day
- «Иванов И.И.», «Иванов И. И.», «Иванов ИИ»       -> surname (typo-tolerant) and initials
- words «иван петр», «петров»                    -> surname prefix, then other name parts;
                                                    typo-tolerant surname when nothing matches

Typo tolerance: two letters swapped count as one typo (OSA distance); the swapped spellings of
the surname are looked up exactly among the distinct surnames, beside pg_trgm (GIN index on the normalised surname) on PostgreSQL and rapidfuzz
over a narrowed candidate set on SQLite. Every query is scoped to the user's office.

The exact lookups run at every keystroke, so they are written once as SQL (`_raw`) rather than
compiled by the ORM on each call: compiling costs more than the indexed lookup itself
(bench/counter.py measures both). Their scoping is the same as `.for_user(user)`:
`_scope_sql` and the office-scoping tests keep them honest.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet
from django.db.models.base import ModelState
from django.utils import timezone
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from cases.models import Applicant, Application, CaseFile, NameKey
from onewindow.identity import normalize_name, snils_digits

SNILS_RE = re.compile(r"^[\d\s-]+$")
CASEFILE_RE = re.compile(r"^(?:лд|ld)[\s\-№.]*0*(\d{1,7})$")
APPLICATION_RE = re.compile(r"^№?\s*(\d{1,7})\s*/\s*(\d{4})$")
NUMBER_RE = re.compile(r"^№?\s*0*(\d{1,7})$")
DATE_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
# «Иванов И.И.», «Петрова Водкина А. С.» (hyphens are already spaces) and «Иванов ИИ»
FIO_DOTS_RE = re.compile(r"^([а-яё]{2,}(?: [а-яё]{2,})*) ([а-яё])\.\s*(?:([а-яё])\.?)?$")
FIO_PLAIN_RE = re.compile(r"^([а-яё]{2,}) ([а-яё])([а-яё])?$")
TRIGRAM_THRESHOLD = 0.35
FUZZY_MIN_RATIO = 80
# «krasnooktyabrsky:1/2026»: what the receipt's QR code holds (office code, journal number)
RECEIPT_CODE_RE = re.compile(r"^([a-z0-9_-]{2,50}):\s*(\d{1,7})\s*/\s*(\d{4})$")
# A scanner types as a keyboard: with the Russian layout on, «krasno…:1/2026» arrives as
# «лкфыts…Ж1.2026». The keys, read back in the Latin layout.
_RU_KEYS = str.maketrans(
    "йцукенгшщзхъфывапролджэячсмитьбю.ЖЙЦУКЕНГШЩЗФЫВАПРОЛДЯЧСМИТЬ",
    "qwertyuiop[]asdfghjkl;'zxcvbnm,./:QWERTYUIOPASDFGHJKLZXCVBNM",
)
# What the receipt's QR code holds since issue 23: the public status page's address with the
# receipt's number and status code, «https://…/status/?n=1/2026&c=ABCD2345».
STATUS_LINK_RE = re.compile(r"/status/\?n=(\d{1,7})(?:/|%2f)(\d{4})&c=([a-z0-9]{8})$", re.I)
# the same keys with the Russian layout on: «?» arrives as «,» and «&» as «?»
_RU_URL_KEYS = {**_RU_KEYS, ord(","): ord("?"), ord("?"): ord("&")}
PARTIAL_SNILS_MIN = 5  # the last digits of a СНИЛС that still narrow an office to a few people


@dataclass
class Hit:
    applicant: Applicant
    note: str = ""
    url: str = ""


def _applicants(user) -> QuerySet:
    return Applicant.objects.for_user(user).filter(is_anonymised=False)


A = Applicant._meta.db_table
F = CaseFile._meta.db_table
K = NameKey._meta.db_table


def _scope_sql(user, alias: str) -> tuple[str, list] | None:
    """The SQL form of `.for_user(user)` for an office-owned table; None when nothing is visible."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.sees_all_offices:
        return "1 = 1", []
    if user.office_id is None:
        return None
    return f"{alias}.office_id = %s", [user.office_id]


# What a result line shows (name, birth date, masked СНИЛС, a death) and what scoping needs:
# reading only these keeps each keystroke cheap; other fields load on access like any deferred
# field (one query per person: the result line must use none of them).
LIST_FIELDS = {"id", "office_id", "snils", "last_name", "first_name", "middle_name", "sex",
               "birth_date", "is_anonymised", "name_key", "death_date"}  # fmt: skip
# in the model's field order, as Model.from_db expects the values
FIELDS = [f.attname for f in Applicant._meta.concrete_fields if f.attname in LIST_FIELDS]
COLUMNS = ", ".join(f"a.{name}" for name in FIELDS)


def _fetch(sql: str, params: list, extra: int = 0) -> list[tuple[Applicant, tuple]]:
    """Run a SELECT of COLUMNS (+ `extra` trailing columns) and build the applicants."""
    width = len(FIELDS)
    if connection.vendor != "postgresql":
        # SQLite returns dates as text: let the ORM's converters read the row.
        found = Applicant.objects.raw(sql, params)
        columns = None
        result = []
        for applicant in found:
            if columns is None:
                columns = found.columns[width:]
            result.append((applicant, tuple(getattr(applicant, name) for name in columns)))
        return result
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # psycopg2 already returns Python dates, booleans and text: exactly what the ORM would read.
    return [(_build(row[:width]), row[width:]) for row in rows]


def _build(values) -> Applicant:
    """A read-only result row as an Applicant with the listed fields loaded (what Model.from_db
    does, without its per-field loop over all 25 fields); other fields load on access."""
    applicant = Applicant.__new__(Applicant)
    applicant.__dict__.update(zip(FIELDS, values, strict=True))
    state = ModelState()
    state.adding = False
    state.db = connection.alias
    applicant._state = state
    return applicant


def _raw(user, where: str, params: list, *, order: str = "", limit: int = 10) -> list[Applicant]:
    scope = _scope_sql(user, "a")
    if scope is None:
        return []
    scope_sql, scope_params = scope
    sql = f"SELECT {COLUMNS} FROM {A} a WHERE {scope_sql} AND a.is_anonymised = %s AND {where}"
    if order:
        sql += f" ORDER BY {order}"
    sql += " LIMIT %s"
    return [applicant for applicant, _ in _fetch(sql, [*scope_params, False, *params, limit])]


def _like_prefix(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def search(query: str, user, *, limit: int = 10) -> list[Hit]:
    raw = (query or "").strip()
    if len(raw) < 2 and not raw.isdigit():
        return []
    text = normalize_name(raw).replace(",", " ").strip()

    if receipt_code(raw):
        return []  # the counter opens the application itself (or finds nothing)
    digits = snils_digits(raw)
    if SNILS_RE.match(raw) and len(digits) == 11:
        return [Hit(a, "по СНИЛС") for a in _raw(user, "a.snils = %s", [digits], limit=limit)]
    if SNILS_RE.match(raw) and not NUMBER_RE.match(raw) and len(digits) >= PARTIAL_SNILS_MIN:
        return _by_partial_snils(user, digits, limit)  # «445 95», «233-445 95»

    if m := CASEFILE_RE.match(text):
        return _by_case_file(user, int(m.group(1)), limit)
    if m := APPLICATION_RE.match(raw):
        return _by_application(user, int(m.group(1)), int(m.group(2)), limit)
    if m := NUMBER_RE.match(raw):
        number = int(m.group(1))
        hits = _by_case_file(user, number, limit) + _by_application(
            user, number, timezone.localdate().year, limit
        )
        if len(digits) >= PARTIAL_SNILS_MIN and not hits:
            hits = _by_partial_snils(user, digits, limit)
        return hits[:limit]
    if m := DATE_RE.match(raw):
        try:
            day = datetime.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            return []
        found = _raw(user, "a.birth_date = %s", [day], order="a.name_key", limit=limit)
        return [Hit(a, "по дате рождения") for a in found]
    if m := (FIO_DOTS_RE.match(text) or FIO_PLAIN_RE.match(text)):
        surname, first, middle = m.group(1), m.group(2), m.group(3) or ""
        initials = first + middle
        exact = _raw(
            user,
            "a.last_name_key = %s AND a.initials LIKE %s ESCAPE '\\'",
            [surname, _like_prefix(initials)],
            order="a.name_key",
            limit=limit,
        )
        if exact:
            return [Hit(a) for a in exact]
        return [
            Hit(a, "похожая фамилия")
            for a in _similar_surname(user, surname, limit, initials=initials)
        ]
    return _by_words(user, text, limit)


def receipt_code(query: str) -> dict | None:
    """The application's lookup when `query` is a receipt's QR code typed by a scanner in
    either keyboard layout: the status page's address (number and status code) or, on
    receipts printed before it, «office:number/year»; None otherwise."""
    text = (query or "").strip()
    for candidate in (text, text.translate(_RU_URL_KEYS)):
        if m := STATUS_LINK_RE.search(candidate):
            return {
                "reg_number": int(m.group(1)),
                "reg_year": int(m.group(2)),
                "status_code": m.group(3).upper(),
            }
    for candidate in (text, text.translate(_RU_KEYS)):
        if m := RECEIPT_CODE_RE.match(candidate.lower()):
            return {
                "office__code": m.group(1),
                "reg_number": int(m.group(2)),
                "reg_year": int(m.group(3)),
            }
    return None


def _by_partial_snils(user, digits: str, limit: int) -> list[Hit]:
    """The first 9 digits (the number without its check digits) or the last 5 and more.
    PostgreSQL reads the last digits through an index on the reversed СНИЛС (migration
    0012): `reverse(snils) LIKE '59544%'` is a prefix search there."""
    found: list[Applicant] = []
    if len(digits) >= 9 and len(digits) < 11:
        found = _raw(user, "a.snils LIKE %s ESCAPE '\\'", [_like_prefix(digits)],
                     order="a.name_key", limit=limit)  # fmt: skip
    if not found and len(digits) < 11:
        if connection.vendor == "postgresql":
            where = "reverse(a.snils) LIKE %s ESCAPE '\\'"
            params = [_like_prefix(digits[::-1])]
        else:
            where, params = "a.snils LIKE %s ESCAPE '\\'", ["%" + digits]
        found = _raw(user, where, params, order="a.name_key", limit=limit)
    return [Hit(a, "по части СНИЛС") for a in found]


def _by_case_file(user, number: int, limit: int) -> list[Hit]:
    scope = _scope_sql(user, "f")
    if scope is None:
        return []
    scope_sql, scope_params = scope
    sql = (
        f"SELECT {COLUMNS}, f.number AS case_number FROM {F} f JOIN {A} a ON a.id = f.applicant_id "
        f"WHERE {scope_sql} AND f.number = %s AND a.is_anonymised = %s LIMIT %s"
    )
    found = _fetch(sql, [*scope_params, number, False, limit], extra=1)
    return [Hit(a, f"личное дело ЛД-{extra[0]:06d}") for a, extra in found]


def _by_application(user, number: int, year: int, limit: int) -> list[Hit]:
    from django.urls import reverse

    apps = (
        Application.objects.for_user(user)
        .filter(reg_number=number, reg_year=year)
        .select_related("applicant")[:limit]
    )
    return [
        Hit(
            a.applicant,
            f"заявление № {a.number_display}",
            reverse("cases:application", args=[a.pk]),
        )
        for a in apps
    ]


def _by_words(user, text: str, limit: int) -> list[Hit]:
    words = [w for w in text.split() if w]
    if not words:
        return []
    surname, rest = words[0], words[1:]
    where = ["a.last_name_key LIKE %s ESCAPE '\\'"]
    params = [_like_prefix(surname)]
    for word in rest:
        where.append("a.name_key LIKE %s ESCAPE '\\'")
        params.append("%" + _like_prefix(" " + word))
    found = _raw(
        user, " AND ".join(where), params, order="a.last_name_key, a.name_key", limit=limit
    )
    if found or len(surname) < 3:
        return [Hit(a) for a in found]
    similar = _similar_surname(user, surname, limit)
    if rest:
        similar = [a for a in similar if all(f" {w}" in f" {a.name_key}" for w in rest)]
    return [Hit(a, "похожая фамилия") for a in similar]


def transpositions(word: str) -> list[str]:
    """`word` with each pair of neighbouring letters swapped: «иавнов» -> «иванов», …"""
    found = []
    for i in range(len(word) - 1):
        if word[i] != word[i + 1]:
            found.append(word[:i] + word[i + 1] + word[i] + word[i + 2 :])
    return list(dict.fromkeys(found))


def similar_surnames(surname: str, *, limit: int = 8) -> list[str]:
    """Distinct surnames about one typo away from `surname`, closest first. Two letters
    swapped are one typo: trigrams see «иавнов» as far from «иванов» (3 of 11 trigrams shared),
    so the swapped spellings are looked up exactly (a few unique-index reads), beside the
    trigram (or rapidfuzz) candidates, and all are ranked by OSA distance."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT key FROM {K} WHERE key %% %s AND similarity(key, %s) >= %s "
                "ORDER BY similarity(key, %s) DESC, key LIMIT %s",
                [surname, surname, TRIGRAM_THRESHOLD, surname, limit],
            )
            keys = [row[0] for row in cursor.fetchall()]
    else:
        candidates = NameKey.objects.filter(key__startswith=surname[0]).values_list(
            "key", flat=True
        )
        found = process.extract(
            surname, list(candidates), scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_RATIO, limit=limit
        )
        keys = [key for key, _, _ in found]
    swapped = NameKey.objects.filter(key__in=transpositions(surname)).values_list("key", flat=True)
    keys += [key for key in swapped if key not in keys]
    # stable: among equally distant surnames the trigram (or rapidfuzz) order stays
    keys.sort(key=lambda key: OSA.distance(surname, key))
    return keys[:limit]


def _similar_surname(user, surname: str, limit: int, *, initials: str = "") -> list[Applicant]:
    """Applicants whose surname is about one typo away, closest surnames first."""
    result: list[Applicant] = []
    for key in similar_surnames(surname):
        where, params = "a.last_name_key = %s", [key]
        if initials:
            where += " AND a.initials LIKE %s ESCAPE '\\'"
            params.append(_like_prefix(initials))
        result += _raw(
            user, where, params, order="a.last_name_key, a.name_key", limit=limit - len(result)
        )
        if len(result) >= limit:
            break
    return result
