"""The counter's one search box: it works out what was typed.

- СНИЛС in any formatting (11 digits)            -> the applicant with that СНИЛС
- «ЛД-123», «лд 123»                             -> the case file with that number
- «123/2026»                                     -> the application with that journal number
- a bare number «123»                            -> case file 123 and application 123 of this year
- a date «01.02.1950»                            -> applicants born that day
- «Иванов И.И.», «Иванов И. И.», «Иванов ИИ»       -> surname (typo-tolerant) and initials
- words «иван петр», «петров»                    -> surname prefix, then other name parts;
                                                    typo-tolerant surname when nothing matches

Typo tolerance uses pg_trgm (GIN index on the normalised surname) on PostgreSQL and rapidfuzz
over a narrowed candidate set on SQLite. Every query is scoped with `.for_user(user)`.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from rapidfuzz import fuzz

from cases.models import Applicant, Application, CaseFile
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


@dataclass
class Hit:
    applicant: Applicant
    note: str = ""
    url: str = ""


def _applicants(user) -> QuerySet:
    return Applicant.objects.for_user(user).filter(is_anonymised=False)


def search(query: str, user, *, limit: int = 10) -> list[Hit]:
    raw = (query or "").strip()
    if len(raw) < 2 and not raw.isdigit():
        return []
    text = normalize_name(raw).replace(",", " ").strip()
    applicants = _applicants(user)

    digits = snils_digits(raw)
    if SNILS_RE.match(raw) and len(digits) == 11:
        return [Hit(a, "по СНИЛС") for a in applicants.filter(snils=digits)[:limit]]

    if m := CASEFILE_RE.match(text):
        return _by_case_file(user, int(m.group(1)), limit)
    if m := APPLICATION_RE.match(raw):
        return _by_application(user, int(m.group(1)), int(m.group(2)), limit)
    if m := NUMBER_RE.match(raw):
        number = int(m.group(1))
        hits = _by_case_file(user, number, limit) + _by_application(
            user, number, timezone.localdate().year, limit
        )
        if len(digits) >= 6 and not hits:
            hits = [
                Hit(a, "по части СНИЛС")
                for a in applicants.filter(snils__startswith=digits)[:limit]
            ]
        return hits[:limit]
    if m := DATE_RE.match(raw):
        try:
            day = datetime.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            return []
        return [Hit(a, "по дате рождения") for a in applicants.filter(birth_date=day)[:limit]]
    if m := (FIO_DOTS_RE.match(text) or FIO_PLAIN_RE.match(text)):
        surname, first, middle = m.group(1), m.group(2), m.group(3) or ""
        initials = first + middle
        exact = list(
            applicants.filter(last_name_key=surname, initials__startswith=initials)[:limit]
        )
        if exact:
            return [Hit(a) for a in exact]
        return [
            Hit(a, "похожая фамилия")
            for a in _similar_surname(applicants, surname, limit, initials=initials)
        ]
    return _by_words(applicants, text, limit)


def _by_case_file(user, number: int, limit: int) -> list[Hit]:
    files = (
        CaseFile.objects.for_user(user).filter(number=number).select_related("applicant")[:limit]
    )
    return [
        Hit(f.applicant, f"личное дело {f.number_display}")
        for f in files
        if not f.applicant.is_anonymised
    ]


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


def _by_words(applicants: QuerySet, text: str, limit: int) -> list[Hit]:
    words = [w for w in text.split() if w]
    if not words:
        return []
    surname, rest = words[0], words[1:]
    qs = applicants.filter(last_name_key__startswith=surname)
    for word in rest:
        qs = qs.filter(name_key__contains=f" {word}")
    found = list(qs.order_by("last_name_key", "name_key")[:limit])
    if found or len(surname) < 3:
        return [Hit(a) for a in found]
    similar = _similar_surname(applicants, surname, limit)
    if rest:
        similar = [a for a in similar if all(f" {w}" in f" {a.name_key}" for w in rest)]
    return [Hit(a, "похожая фамилия") for a in similar]


def _similar_surname(
    applicants: QuerySet, surname: str, limit: int, *, initials: str = ""
) -> list[Applicant]:
    """Surnames about one typo away."""
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramSimilarity

        qs = applicants.filter(last_name_key__trigram_similar=surname)
        if initials:
            qs = qs.filter(initials__startswith=initials)
        return list(
            qs.annotate(similarity=TrigramSimilarity("last_name_key", surname))
            .filter(similarity__gte=TRIGRAM_THRESHOLD)
            .order_by("-similarity", "name_key")[:limit]
        )
    # Portable fallback: narrow by the first letter, then score in Python.
    candidates = applicants.filter(last_name_key__startswith=surname[0])
    if initials:
        candidates = candidates.filter(initials__startswith=initials)
    scored = []
    for applicant in candidates.only("id", "last_name_key", "name_key").iterator(chunk_size=2000):
        ratio = fuzz.ratio(surname, applicant.last_name_key)
        if ratio >= FUZZY_MIN_RATIO:
            scored.append((ratio, applicant.pk))
    scored.sort(key=lambda pair: -pair[0])
    ids = [pk for _, pk in scored[:limit]]
    by_id = applicants.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]
