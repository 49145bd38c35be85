"""Applicants and their case files: registering and editing a person, their categories, the case
file opened for them in their office (and refused when it is in the archive)."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.errors import CounterError
from cases.models import Applicant, CaseFile
from onewindow.errors import save_with_actor
from onewindow.identity import full_name_key, snils_digits
from onewindow.numbering import next_number

# --- Applicants -------------------------------------------------------------------------------

APPLICANT_FIELDS = [
    "snils", "last_name", "first_name", "middle_name", "sex", "birth_date", "birth_place",
    "id_doc_type", "id_series", "id_number", "id_issued_by", "id_issued_date", "id_unit_code",
    "reg_address", "actual_address", "phone", "email",
]  # fmt: skip


def find_snils_owner(snils: str, *, exclude_pk: int | None = None) -> Applicant | None:
    digits = snils_digits(snils)
    if not digits:
        return None
    qs = Applicant.objects.filter(snils=digits)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.select_related("office").first()


def find_namesakes(data: dict, office, *, exclude_pk: int | None = None):
    """Applicants of the office with the same normalised full name and birth date."""
    key = full_name_key(data["last_name"], data["first_name"], data.get("middle_name", ""))
    qs = Applicant.objects.filter(office=office, name_key=key, birth_date=data["birth_date"])
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return list(qs)


def register_applicant(data: dict, *, actor, office=None) -> Applicant:
    """Register a new applicant. Refuses a СНИЛС that already belongs to someone."""
    office = office or actor.office
    data = {**data, "snils": snils_digits(data.get("snils", ""))}
    with transaction.atomic():
        owner = find_snils_owner(data["snils"])
        if owner is not None:
            raise _snils_taken(owner, actor, data)
        applicant = Applicant(
            office=office,
            created_by=actor,
            **{k: data.get(k, "") for k in APPLICANT_FIELDS if k in data},
        )
        try:
            with transaction.atomic():
                save_with_actor(applicant, actor)
        except IntegrityError:
            owner = find_snils_owner(data["snils"])
            raise _snils_taken(owner, actor, data) from None
    return applicant


def _snils_taken(owner: Applicant | None, actor, data: dict | None = None) -> CounterError:
    from urllib.parse import urlencode

    from django.urls import reverse

    if owner is None:
        return CounterError("Заявитель с этим СНИЛС уже зарегистрирован.", field="snils")
    if owner.office_id == getattr(actor, "office_id", None) or getattr(
        actor, "sees_all_offices", False
    ):
        return CounterError(
            f"Заявитель с этим СНИЛС уже зарегистрирован: {owner.full_name}, "
            f"{owner.birth_date:%d.%m.%Y} г. р. Откройте его карточку.",
            field="snils",
            link=reverse("cases:applicant", args=[owner.pk]),
        )
    # The person moved here from another district: the file is asked for, not duplicated.
    data = data or {}
    query = {"snils": owner.snils}
    name = " ".join(data.get(k, "") for k in ("last_name", "first_name", "middle_name")).strip()
    if name:
        query["name"] = name
    if data.get("birth_date"):
        query["birth_date"] = data["birth_date"].isoformat()
    if data.get("reg_address"):
        query["address"] = data["reg_address"]
    return CounterError(
        f"Заявитель с этим СНИЛС состоит на учёте в другом учреждении ({owner.office}). "
        "Если он переехал в ваш район, запросите передачу его личного дела.",
        field="snils",
        link=reverse("cases:transfer_new") + "?" + urlencode(query),
        link_title="Запросить передачу личного дела",
    )


def update_applicant(applicant: Applicant, data: dict, *, actor) -> Applicant:
    data = {**data, "snils": snils_digits(data.get("snils", applicant.snils))}
    with transaction.atomic():
        applicant = Applicant.objects.select_for_update().get(pk=applicant.pk)
        owner = find_snils_owner(data["snils"], exclude_pk=applicant.pk)
        if owner is not None:
            raise _snils_taken(owner, actor)
        for key in APPLICANT_FIELDS:
            if key in data:
                setattr(applicant, key, data[key])
        save_with_actor(applicant, actor)
    return applicant


def set_applicant_category(
    applicant: Applicant, category, document: str, *, actor, valid_from=None, valid_to=None
):
    from cases.models import ApplicantCategory

    with transaction.atomic():
        item, _ = ApplicantCategory.objects.get_or_create(
            applicant=applicant, category=category, defaults={"document": document}
        )
        item.document, item.valid_from, item.valid_to = document, valid_from, valid_to
        save_with_actor(item, actor)
    return item


def remove_applicant_category(item, *, actor) -> None:
    item._history_user = actor
    item.delete()


# --- Case files -------------------------------------------------------------------------------


def archived_case_file(applicant: Applicant) -> CaseFile | None:
    """The person's case file in their office when it is in the archive."""
    return CaseFile.objects.filter(
        office=applicant.office, applicant=applicant, status=CaseFile.Status.ARCHIVED
    ).first()


def archived_refusal(case_file: CaseFile, what: str) -> CounterError:
    """An archived case file takes no new work until the archivist returns it into work. The
    link is by URL name: cases does not import the archive."""
    from django.urls import NoReverseMatch, reverse

    try:
        link = reverse("archive:case_file", args=[case_file.pk])
    except NoReverseMatch:
        link = None
    return CounterError(
        f"Личное дело {case_file.number_display} передано в архив: {what}. Попросите архивариуса "
        "вернуть его в работу («Архив» → дело → «Вернуть из архива», с основанием).",
        link=link,
    )


def ensure_case_file(applicant: Applicant, *, actor, on: datetime.date | None = None) -> CaseFile:
    """The applicant's case file in their office, opened (and numbered) when there is none.
    Joins the caller's transaction (registration) or opens its own."""
    with transaction.atomic():
        return _ensure_case_file(applicant, actor=actor, on=on)


def _ensure_case_file(applicant: Applicant, *, actor, on: datetime.date | None) -> CaseFile:
    existing = CaseFile.objects.filter(office=applicant.office, applicant=applicant).first()
    if existing is not None:
        # a closed file, or one sent to another office and now back, is opened again
        if existing.status in (CaseFile.Status.CLOSED, CaseFile.Status.TRANSFERRED):
            existing.status = CaseFile.Status.ACTIVE
            existing.closed_on = None
            save_with_actor(existing, actor)
        return existing
    case_file = CaseFile(
        office=applicant.office,
        applicant=applicant,
        number=next_number(applicant.office, "casefile"),
        opened_on=on or timezone.localdate(),
        opened_by=actor,
    )
    save_with_actor(case_file, actor)
    return case_file
