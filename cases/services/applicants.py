"""Applicants and their case files: registering and editing a person, their categories, the case
file opened for them in their office (and refused when it is in the archive)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import TypedDict, Unpack

from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.errors import CounterError
from cases.models import Applicant, CaseFile, IdDocumentType
from onewindow.errors import save_with_actor
from onewindow.identity import full_name_key, snils_digits
from onewindow.numbering import next_number

# --- Applicants -------------------------------------------------------------------------------

APPLICANT_FIELDS = [
    "snils", "last_name", "first_name", "middle_name", "sex", "birth_date", "birth_place",
    "id_doc_type", "id_series", "id_number", "id_issued_by", "id_issued_date", "id_unit_code",
    "reg_address", "actual_address", "phone", "email",
]  # fmt: skip


class ApplicantChanges(TypedDict, total=False):
    """The fields of an applicant a caller may change (`update_applicant`)."""

    snils: str
    last_name: str
    first_name: str
    middle_name: str
    sex: str
    birth_date: datetime.date
    birth_place: str
    id_doc_type: str
    id_series: str
    id_number: str
    id_issued_by: str
    id_issued_date: datetime.date | None
    id_unit_code: str
    reg_address: str
    actual_address: str
    phone: str
    email: str


def applicant_fields(data: Mapping) -> ApplicantChanges:
    """The applicant's fields out of a wider mapping (a form's `cleaned_data`, a serializer's
    `validated_data`), to pass on as keyword arguments."""
    return {key: data[key] for key in APPLICANT_FIELDS if key in data}  # type: ignore[return-value]


def find_snils_owner(snils: str, *, exclude_pk: int | None = None) -> Applicant | None:
    digits = snils_digits(snils)
    if not digits:
        return None
    qs = Applicant.objects.filter(snils=digits)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.select_related("office").first()


def find_namesakes(
    *,
    office,
    last_name: str,
    first_name: str,
    middle_name: str = "",
    birth_date: datetime.date,
    exclude_pk: int | None = None,
) -> list[Applicant]:
    """Applicants of the office with the same normalised full name and birth date."""
    key = full_name_key(last_name, first_name, middle_name)
    qs = Applicant.objects.filter(office=office, name_key=key, birth_date=birth_date)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return list(qs)


def register_applicant(
    *,
    actor,
    office=None,
    last_name: str,
    first_name: str,
    middle_name: str = "",
    sex: str,
    birth_date: datetime.date,
    snils: str = "",
    birth_place: str = "",
    id_doc_type: str = IdDocumentType.PASSPORT_RF,
    id_series: str = "",
    id_number: str = "",
    id_issued_by: str = "",
    id_issued_date: datetime.date | None = None,
    id_unit_code: str = "",
    reg_address: str = "",
    actual_address: str = "",
    phone: str = "",
    email: str = "",
) -> Applicant:
    """Register a new applicant. The model's field rules apply (`Applicant.validate`: raises
    `ValidationError` by field); a СНИЛС that already belongs to someone is refused with a
    `CounterError` saying whose it is. The СНИЛС is taken in any formatting."""
    office = office or actor.office
    data = {k: v for k, v in locals().items() if k in APPLICANT_FIELDS}
    data["snils"] = _snils_as_stored(snils)
    applicant = Applicant(office=office, created_by=actor, **data)
    applicant.validate()
    with transaction.atomic():
        owner = find_snils_owner(applicant.snils)
        if owner is not None:
            raise _snils_taken(owner, actor, data)
        try:
            with transaction.atomic():
                save_with_actor(applicant, actor)
        except IntegrityError:
            owner = find_snils_owner(applicant.snils)
            raise _snils_taken(owner, actor, data) from None
    return applicant


def _snils_as_stored(value: str) -> str:
    """The digits of a СНИЛС typed in any formatting (spaces, hyphens); a value with other
    characters is kept as typed, so that the model's validator names what is wrong with it."""
    value = (value or "").strip()
    return snils_digits(value) if re.fullmatch(r"[\d\s-]*", value) else value


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


def update_applicant(
    applicant: Applicant, *, actor, **changes: Unpack[ApplicantChanges]
) -> Applicant:
    """Change the given fields of an applicant's card (the others stay), under the same rules
    as `register_applicant`."""
    unknown = set(changes) - set(APPLICANT_FIELDS)
    if unknown:
        raise TypeError(f"update_applicant: unknown fields {sorted(unknown)}")
    if "snils" in changes:
        changes["snils"] = _snils_as_stored(changes["snils"])
    with transaction.atomic():
        applicant = Applicant.objects.select_for_update().get(pk=applicant.pk)
        for key, value in changes.items():
            setattr(applicant, key, value)
        applicant.validate()
        owner = find_snils_owner(applicant.snils, exclude_pk=applicant.pk)
        if owner is not None:
            raise _snils_taken(owner, actor)
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
