"""Destroying a person's data (152-ФЗ, приказ Роскомнадзора № 179) across the apps.

The archive executes a destruction act; what the destroyed case file left behind lives in every
app (applications, requests, transfers, selections, the access log, handovers, jobs). Each app
registers an eraser for the models it owns, as `onewindow.work` registers kinds of work:

    erasure.register("cases", erase_cases, models=["cases.applicant", "cases.application", ...])

`erase(subject)` runs them all in the caller's transaction. An app that adds a model holding a
person's data registers it here (or lists it in `NO_PERSONAL_DATA` with the reason): a test walks
every model and fails on one that is neither.

Current rows and their history rows (django-simple-history) are both erased; the history keeps
the events (who, when, which state) without the person.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import quote, quote_plus

from django.db import models
from django.db.models.functions import Cast

PLACEHOLDER = "[обезличено]"
ERASED = "Сведения уничтожены"


@dataclass
class Subject:
    """One person whose case file (or files) of one office a destruction act destroys."""

    applicant: Any  # cases.Applicant, read before anything is erased
    office: Any  # the office whose file is destroyed
    case_file_ids: list[int]
    anonymise: bool  # no other live file or measure: the person goes everywhere
    actor: Any
    reason: str  # «уничтожение по акту № 3 от 24.11.2026»: history change reason
    # strong needles: any row holding one of them is about the person (names, СНИЛС, numbers)
    needles: list[str] = field(default_factory=list)
    # weak needles (first name, patronymic): replaced only in rows a strong needle found
    weak_needles: list[str] = field(default_factory=list)
    # what the erasers touched, by model label: the access log, handovers and the admin log
    # forget these objects
    objects: dict[str, set] = field(default_factory=dict)
    categories: list[str] = field(default_factory=list)  # data categories destroyed, in Russian

    def touched(self, label: str, ids: Iterable) -> None:
        self.objects.setdefault(label, set()).update(ids)

    def destroyed(self, category: str) -> None:
        if category not in self.categories:
            self.categories.append(category)


Eraser = Callable[[list[Subject]], None]


@dataclass(frozen=True)
class Registration:
    name: str
    func: Eraser
    models: tuple[str, ...]
    order: int


ERASERS: dict[str, Registration] = {}

# Models that hold nobody's personal data (or only staff's), with the reason; the guard test
# reads this and the registrations.
NO_PERSONAL_DATA: dict[str, str] = {}


def register(name: str, func: Eraser, *, models: Iterable[str] = (), order: int = 50) -> None:
    """`models`: labels («cases.application») whose rows about the person `func` erases."""
    ERASERS[name] = Registration(name, func, tuple(m.lower() for m in models), order)


def no_personal_data(reasons: dict[str, str]) -> None:
    NO_PERSONAL_DATA.update({label.lower(): why for label, why in reasons.items()})


def covered_models() -> set[str]:
    return {label for reg in ERASERS.values() for label in reg.models}


def erase(subjects: list[Subject]) -> None:
    """Every eraser over all the subjects of one act: an eraser erases the rows linked to each
    subject, and reads a table it must search by needles once for them all."""
    for registration in sorted(ERASERS.values(), key=lambda r: (r.order, r.name)):
        registration.func(subjects)


def gone(subjects: list[Subject]) -> tuple[list[str], list[str]]:
    """(strong, weak) needles of the subjects anonymised altogether: the searches over whole
    tables look for these (a person who stays keeps their name in the records that stay)."""
    strong = [n for s in subjects if s.anonymise for n in s.needles]
    weak = [n for s in subjects if s.anonymise for n in s.weak_needles]
    return _unique(strong), _unique(weak)


# --- Needles: the forms a person's identifying values take in stored text ----------------------


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value or "")


def needles_for(applicant, *, declined: Iterable[str] = (), documents: Iterable[str] = ()):
    """(strong, weak) needles of a person: the surname and full name in every case, СНИЛС in both
    formats, the passport number, phone, e-mail, addresses, and the numbers of category
    documents. First name and patronymic alone are weak (common words)."""
    from onewindow.identity import format_snils

    a = applicant
    strong = [a.full_name, a.last_name, f"{a.last_name} {a.first_name}", *declined]
    if a.snils:
        formatted = format_snils(a.snils)
        # the first nine digits alone: an extract row with a wrong check number still names them
        strong += [a.snils, formatted, formatted.replace(" ", "-"), formatted[:11]]
    if a.id_number:
        strong += [
            a.id_number,
            f"{a.id_series} {a.id_number}".strip(),
            f"{a.id_series}{a.id_number}",
        ]
    # (birth place and issuing office are shared by thousands: the card's erasure takes them)
    for value in (a.phone, a.email, a.reg_address, a.actual_address):
        if value:
            strong.append(value)
    if _digits(a.phone) and len(_digits(a.phone)) >= 7:
        strong.append(_digits(a.phone))
    for text in documents:
        strong.append(text)
        strong += re.findall(r"\d{5,}", text or "")
    weak = [p for p in (a.first_name, a.middle_name) if p]
    if a.first_name and a.middle_name:
        strong.append(f"{a.first_name} {a.middle_name}")
    return _unique(strong), _unique(weak)


def _unique(values: Iterable[str]) -> list[str]:
    seen = []
    for value in values:
        value = (value or "").strip()
        if len(value) >= 3 and value not in seen:
            seen.append(value)
    # longest first: «Смирнов Олег Ильич» goes before «Смирнов»
    return sorted(seen, key=len, reverse=True)


def variants(
    needle: str, *, encoded: bool = True, json_escaped: bool = True, cases: bool = True
) -> list[str]:
    """The needle as it may be stored: in any letter case, with ё as е, percent-encoded in an
    address (`request.get_full_path()`), escaped in JSON (SQLite keeps JSON as ASCII)."""
    forms = []
    for text in dict.fromkeys([needle, needle.replace("ё", "е").replace("Ё", "Е")]):
        for cased in (text, text.lower(), text.upper(), text.title()) if cases else (text,):
            forms.append(cased)
            if encoded and not cased.isascii():
                forms += [quote(cased), quote_plus(cased)]
            if json_escaped and not cased.isascii():
                forms.append(json.dumps(cased)[1:-1])
    return list(dict.fromkeys(forms))


def _pattern(needles: Iterable[str]) -> re.Pattern | None:
    return _compiled(tuple(needles))


@lru_cache(maxsize=64)
def _compiled(needles: tuple[str, ...]) -> re.Pattern | None:
    parts = []
    for needle in needles:
        for form in variants(needle):
            escaped = re.escape(form)
            if form.isascii() and "%" in form:  # percent-encoded: no letters may continue it
                parts.append(rf"{escaped}(?!%D[01])(?![0-9A-Za-z])")
            else:
                parts.append(rf"(?<!\w){escaped}(?!\w)")
    if not parts:
        return None
    parts.sort(key=len, reverse=True)
    return re.compile("|".join(parts), flags=re.IGNORECASE)


def redact(
    text: str,
    needles: Iterable[str],
    weak: Iterable[str] = (),
    placeholder: str = PLACEHOLDER,
    *,
    force_weak: bool = False,
) -> str:
    """`text` with every strong needle replaced; weak needles go too once a strong one was found
    (here, or elsewhere in the same record: `force_weak`). Runs of placeholders collapse."""
    if not text or not isinstance(text, str):
        return text
    strong = _pattern(needles)
    found = strong is not None and strong.search(text)
    if not found and not force_weak:
        return text
    if found:
        text = strong.sub(placeholder, text)
    weak_pattern = _pattern(weak)
    if weak_pattern is not None:
        text = weak_pattern.sub(placeholder, text)
    quoted = quote(placeholder)
    for mark in (placeholder, quoted):
        text = re.sub(rf"{re.escape(mark)}(?:[\s+]+{re.escape(mark)})+", mark, text)
    return text


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)


def mentions(value, needles) -> bool:
    pattern = _pattern(needles)
    return pattern is not None and any(pattern.search(text) for text in _strings(value))


def redact_value(value, needles, weak=(), *, force_weak: bool | None = None):
    """A JSON value with every string redacted; a record that names the person anywhere loses
    the first name and patronymic everywhere."""
    if force_weak is None:
        force_weak = bool(weak) and mentions(value, needles)
    if isinstance(value, str):
        return redact(value, needles, weak, force_weak=force_weak)
    if isinstance(value, list):
        return [redact_value(v, needles, weak, force_weak=force_weak) for v in value]
    if isinstance(value, dict):
        return {k: redact_value(v, needles, weak, force_weak=force_weak) for k, v in value.items()}
    return value


def containing(queryset: models.QuerySet, fields: Iterable[str], needles: Iterable[str]):
    """Rows whose text (JSON cast to text) holds one of the needles in any of its stored forms:
    one regular expression per field, so a large table is read once whatever the needles."""
    from django.db import connection

    sqlite = connection.vendor == "sqlite"
    needles = list(needles)
    query = models.Q()
    annotations = {}
    for name in fields:
        lookup = name
        is_json = isinstance(queryset.model._meta.get_field(name), models.JSONField)
        if is_json:
            lookup = f"_text_{name}"
            annotations[lookup] = Cast(name, models.TextField())
        forms = {
            form
            for needle in needles
            for form in variants(needle, encoded=name == "path", json_escaped=is_json and sqlite)
        }
        if forms:
            pattern = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
            query |= models.Q(**{f"{lookup}__iregex": pattern})
    if not query:
        return queryset.none()
    return queryset.annotate(**annotations).filter(query)


def redact_rows(queryset, fields: Iterable[str], needles, weak=()) -> list:
    """Redact `fields` in place (no history record: used on history rows and logs); returns the
    primary keys of rows changed."""
    fields = list(fields)
    changed = []
    for row in containing(queryset, fields, needles):
        new = {name: redact_value(getattr(row, name), needles, weak) for name in fields}
        if any(new[name] != getattr(row, name) for name in fields):
            queryset.model._base_manager.filter(pk=row.pk).update(**new)
            changed.append(row.pk)
    return changed


def erase_rows(model, ids, values: dict, *, subject: Subject, redact_fields=()) -> None:
    """Erase the rows `ids` of a model with history: set `values`, redact `redact_fields` by the
    subject's needles, on the rows (one history record each, naming who and why) and on all
    their history rows."""
    ids = list(ids)
    if not ids:
        return
    label = model._meta.label_lower
    subject.touched(label, ids)
    history = getattr(model, "history", None)
    if history is not None:
        rows = history.filter(id__in=ids)
        if values:
            rows.update(**values)
        # a change reason may quote what was typed («Запрет уничтожения: запрос суда по делу …»)
        redact_rows(
            rows, [*redact_fields, "history_change_reason"], subject.needles, subject.weak_needles
        )
    for obj in model._base_manager.filter(pk__in=ids):
        for name, value in values.items():
            setattr(obj, name, value)
        for name in redact_fields:
            setattr(
                obj, name, redact_value(getattr(obj, name), subject.needles, subject.weak_needles)
            )
        obj._history_user = subject.actor
        obj._change_reason = subject.reason
        obj.save()


def delete_rows(
    model, ids, *, subject: Subject, history_values: dict | None = None, redact_fields=()
) -> None:
    """Delete the rows (their documents are destroyed); their history keeps the events, with
    `history_values` set and `redact_fields` redacted."""
    ids = list(ids)
    if not ids:
        return
    subject.touched(model._meta.label_lower, ids)
    for obj in model._base_manager.filter(pk__in=ids):
        obj._history_user = subject.actor
        obj._change_reason = subject.reason
        obj.delete()
    history = getattr(model, "history", None)
    if history is not None:
        rows = history.filter(id__in=ids)
        if history_values:
            rows.update(**history_values)
        # a change reason may quote what was typed («Запрет уничтожения: запрос суда по делу …»)
        redact_rows(
            rows, [*redact_fields, "history_change_reason"], subject.needles, subject.weak_needles
        )


def local_stamp(moment: datetime.datetime) -> str:
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M:%S")


# --- The shared records: the access log, handovers, jobs, the admin's log ---------------------


def redact_subjects(
    *,
    subject_type: str,
    subject_ids,
    needles=(),
    placeholder: str = "[обезличено]",
    weak_needles=(),
) -> int:
    """Erase a destroyed person from the access log: the events stay (who, when, what kind), the
    person does not. Rows about the subjects lose their description; any row whose description,
    address or details hold one of `needles` (the person's names, СНИЛС, document numbers) has it
    replaced — in any letter case, and percent-encoded in the address (a search's query string).
    `weak_needles` (first name, patronymic) are replaced only in rows a needle found. Returns the
    number of rows changed."""
    from onewindow.models import AccessLog

    ids = [str(pk) for pk in subject_ids]
    # a redacted row keeps the digest of what it said (`pd_digest`): the chain still verifies
    changed = AccessLog.objects.filter(subject_type=subject_type, subject_id__in=ids).update(
        subject_repr=placeholder, subject_search="", redacted=True
    )
    needles = [n for n in needles if n and len(n) >= 3]
    if not needles:
        return changed
    fields = ("subject_repr", "path", "detail")
    for row in containing(AccessLog.objects.all(), fields, needles):
        values = {
            name: redact(getattr(row, name), needles, weak_needles, placeholder) for name in fields
        }
        if all(values[name] == getattr(row, name) for name in fields):
            continue
        # the row keeps the digest of what it said (`pd_digest`): the chain still verifies
        AccessLog.objects.filter(pk=row.pk).update(**values, subject_search="", redacted=True)
        changed += 1
    return changed


def erase_shared_records(subjects: list[Subject]) -> None:
    """Runs last: the other erasers have said which objects they touched."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from onewindow import work
    from onewindow.models import Handover, HandoverItem, IdempotentRequest, Job

    objects: dict[str, set] = {}
    for subject in subjects:
        for label, ids in subject.objects.items():
            if label == "cases.applicant" and not subject.anonymise:
                continue  # the person stays: so do the records of looking at their card
            objects.setdefault(label, set()).update(ids)
        if subject.anonymise:
            objects.setdefault("cases.applicant", set()).add(subject.applicant.pk)
    strong, weak = gone(subjects)
    for label, ids in objects.items():
        redact_subjects(subject_type=label, subject_ids=ids)
    if strong:  # searches by name or СНИЛС, prints that named them: once, over the whole log
        redact_subjects(subject_type="", subject_ids=[], needles=strong, weak_needles=weak)
    # handover lists describe the work they moved («Заявление № 1/2026: Смирнов О.И., …»)
    by_label: dict[str, list[str]] = {}
    for code, kind in work.KINDS.items():
        by_label.setdefault(kind.model._meta.label_lower, []).append(code)
    for label, ids in objects.items():
        for code in by_label.get(label, []):
            HandoverItem.objects.filter(kind=code, object_id__in=ids).update(description=ERASED)
        app_label, model_name = label.split(".")
        content_type = ContentType.objects.filter(app_label=app_label, model=model_name).first()
        if content_type is not None:
            LogEntry.objects.filter(
                content_type=content_type, object_id__in=[str(pk) for pk in ids]
            ).update(object_repr=PLACEHOLDER, change_message="")
    if strong:
        redact_rows(HandoverItem.objects.all(), ["description"], strong, weak)
        redact_rows(Handover.objects.all(), ["note"], strong, weak)
        redact_rows(Handover.history.all(), ["note"], strong, weak)
        redact_rows(Job.objects.all(), ["params", "result", "error"], strong, weak)
        redact_rows(LogEntry.objects.all(), ["object_repr", "change_message"], strong, weak)
        # the API's answers kept for a retried POST: a copy of what was registered, not a record
        containing(IdempotentRequest.objects.all(), ["response"], strong).delete()


register(
    "onewindow.shared",
    erase_shared_records,
    models=["onewindow.accesslog", "onewindow.handover", "onewindow.handoveritem", "onewindow.job",
            "admin.logentry", "onewindow.idempotentrequest"],
    order=90,
)  # fmt: skip
no_personal_data(
    {
        "onewindow.office": "реквизиты учреждения",
        "onewindow.apitoken": "ключи API: назначение и пользователь-сотрудник",
        "onewindow.user": "сотрудники, не субъекты дел",
        "onewindow.calendaroverride": "производственный календарь",
        "onewindow.sequence": "счётчики номеров",
        "onewindow.accesslogchain": "голова цепочки хешей журнала: номер и хеш",
        # the rows of a report are services, staff, agencies, kinds, offices and acts: numbers
        # about them, never a citizen
        "onewindow.report": "отчёты: сводные числа по услугам, сотрудникам и учреждениям",
    }
)
