"""Applicants, their benefit categories and their personal case files."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from onewindow.identity import (
    NotInFuture,
    clean_person_name,
    format_snils,
    full_name_key,
    mask_snils,
    normalize_unit_code,
    passport_errors,
    validate_person_name,
    validate_snils,
    validate_unit_code,
)
from onewindow.models import Office, OfficeScopedQuerySet
from onewindow.names import short_name


class BenefitCategory(models.Model):
    """A category of recipients (ветеран труда, инвалид, многодетная семья, …): reference data."""

    code = models.SlugField("код", max_length=64, unique=True)
    title = models.CharField("наименование", max_length=300)
    is_active = models.BooleanField("используется", default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "льготная категория"
        verbose_name_plural = "льготные категории"
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Sex(models.TextChoices):
    MALE = "M", "мужской"
    FEMALE = "F", "женский"


class IdDocumentType(models.TextChoices):
    PASSPORT_RF = "passport_rf", "паспорт гражданина РФ"
    BIRTH_CERTIFICATE = "birth_certificate", "свидетельство о рождении"
    TEMPORARY_ID = "temporary_id", "временное удостоверение личности"
    FOREIGN_PASSPORT = "foreign_passport", "паспорт иностранного гражданина"
    RESIDENCE_PERMIT = "residence_permit", "вид на жительство"
    OTHER = "other", "иной документ"


MIN_BIRTH_DATE = datetime.date(1900, 1, 1)


class Applicant(models.Model):
    """A person at the counter. The field rules (СНИЛС with its check number, passport, dates,
    names) are validators and `clean()` here, so that the form, the API, the register import
    and the admin refuse the same values with the same Russian messages (`full_clean()`)."""

    office = models.ForeignKey(
        Office, verbose_name="учреждение", on_delete=models.PROTECT, related_name="applicants"
    )
    snils = models.CharField(
        "СНИЛС", max_length=11, blank=True, help_text="11 цифр без разделителей",
        validators=[validate_snils],
    )  # fmt: skip
    # Russian letters, hyphen, apostrophe, space; no Latin look-alikes (identity.name_error)
    last_name = models.CharField("фамилия", max_length=100, validators=[validate_person_name])
    first_name = models.CharField("имя", max_length=100, validators=[validate_person_name])
    middle_name = models.CharField(
        "отчество", max_length=100, blank=True, validators=[validate_person_name]
    )
    sex = models.CharField("пол", max_length=1, choices=Sex.choices)
    birth_date = models.DateField(
        "дата рождения",
        validators=[
            NotInFuture("Дата рождения не может быть в будущем."),
            MinValueValidator(
                MIN_BIRTH_DATE, message="Дата рождения не может быть раньше 01.01.1900."
            ),
        ],
    )
    birth_place = models.CharField("место рождения", max_length=300, blank=True)
    id_doc_type = models.CharField(
        "документ, удостоверяющий личность",
        max_length=32,
        choices=IdDocumentType.choices,
        default=IdDocumentType.PASSPORT_RF,
    )
    id_series = models.CharField("серия", max_length=10, blank=True)
    id_number = models.CharField("номер", max_length=20, blank=True)
    id_issued_by = models.CharField("кем выдан", max_length=300, blank=True)
    id_issued_date = models.DateField(
        "дата выдачи", null=True, blank=True,
        validators=[NotInFuture("Дата выдачи не может быть в будущем.")],
    )  # fmt: skip
    id_unit_code = models.CharField(
        "код подразделения", max_length=7, blank=True, validators=[validate_unit_code]
    )
    reg_address = models.CharField("адрес регистрации", max_length=500, blank=True)
    actual_address = models.CharField("адрес фактического проживания", max_length=500, blank=True)
    phone = models.CharField("телефон", max_length=50, blank=True)
    email = models.EmailField("электронная почта", blank=True)
    # normalised "фамилия имя отчество" for search and matching (case, ё, hyphens)
    name_key = models.CharField(max_length=320, editable=False, db_index=True)
    last_name_key = models.CharField(max_length=100, editable=False)
    initials = models.CharField(max_length=2, editable=False, blank=True)
    is_anonymised = models.BooleanField("обезличен", default=False)
    # A confirmed death (a selection worked out, a death certificate at the counter): the card
    # and search show it, new applications are refused but for services arising from a death.
    death_date = models.DateField(
        "дата смерти", null=True, blank=True,
        validators=[NotInFuture("Дата смерти не может быть в будущем.")],
    )  # fmt: skip
    death_source = models.CharField(
        "основание сведений о смерти", max_length=500, blank=True,
        help_text="Например: сверка № 12 (СФР, сведения о смерти), строка 345",
    )  # fmt: skip
    created_at = models.DateTimeField("зарегистрирован", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="кто зарегистрировал", on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip

    history = HistoricalRecords()
    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "заявитель"
        verbose_name_plural = "заявители"
        ordering = ["last_name", "first_name", "middle_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["snils"], condition=~Q(snils=""), name="applicant_snils_unique"
            ),
        ]
        permissions = [("view_full_identity", "Видит СНИЛС и паспорт полностью")]
        indexes = [
            models.Index(fields=["office", "last_name_key"], name="applicant_office_lastname"),
            models.Index(fields=["birth_date"], name="applicant_birth_date"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.name_key = full_name_key(self.last_name, self.first_name, self.middle_name)
        self.last_name_key = full_name_key(self.last_name, "")
        self.initials = "".join(
            part[0]
            for part in (full_name_key(self.first_name, ""), full_name_key(self.middle_name, ""))
            if part
        )
        super().save(*args, **kwargs)
        if self.last_name_key:
            NameKey.objects.bulk_create([NameKey(key=self.last_name_key)], ignore_conflicts=True)

    def clean(self) -> None:
        """The rules across fields, and the values put into their written form: names with
        single spaces and a capital, a passport's series and number without spaces, the unit
        code as «340-001». Field validators (СНИЛС, dates) run before, in `clean_fields`."""
        for key in ("last_name", "first_name", "middle_name"):
            setattr(self, key, clean_person_name(getattr(self, key)))
        self.id_unit_code = normalize_unit_code(self.id_unit_code)
        errors: dict[str, str] = {}
        if self.id_doc_type == IdDocumentType.PASSPORT_RF:
            errors.update(passport_errors(self.id_series, self.id_number))
            if "id_series" not in errors:
                self.id_series = (self.id_series or "").replace(" ", "")
            if "id_number" not in errors:
                self.id_number = (self.id_number or "").replace(" ", "")
        born, issued = self.birth_date, self.id_issued_date
        if issued and born and issued < born:
            errors["id_issued_date"] = "Дата выдачи раньше даты рождения."
        if self.death_date and born and self.death_date < born:
            errors["death_date"] = "Дата смерти раньше даты рождения."
        if errors:
            raise ValidationError(errors)

    def validate(self, *, exclude: tuple[str, ...] = ()) -> None:
        """Every rule of the model but the СНИЛС uniqueness (the services say whose it is):
        what a service (and an import, row by row) runs before it saves. Raises
        `ValidationError` by field."""
        self.full_clean(
            exclude=["name_key", "last_name_key", "initials", "office", "created_by", *exclude],
            validate_unique=False,
            validate_constraints=False,
        )

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    @property
    def short_name(self) -> str:
        """«Иванов П. С.» (non-breaking spaces, as official documents write it)."""
        return short_name(self.last_name, self.first_name, self.middle_name)

    @property
    def snils_display(self) -> str:
        return format_snils(self.snils)

    @property
    def snils_masked(self) -> str:
        return mask_snils(self.snils)

    @property
    def id_document_display(self) -> str:
        parts = [self.get_id_doc_type_display()]
        if self.id_series or self.id_number:
            parts.append(f"{self.id_series} {self.id_number}".strip())
        if self.id_issued_date:
            parts.append(f"выдан {self.id_issued_date:%d.%m.%Y}")
        if self.id_issued_by:
            parts.append(self.id_issued_by)
        if self.id_unit_code:
            parts.append(f"код подразделения {self.id_unit_code}")
        return ", ".join(parts)

    @property
    def is_deceased(self) -> bool:
        return self.death_date is not None

    @property
    def died_word(self) -> str:
        return "умерла" if self.sex == Sex.FEMALE else "умер"

    def age_on(self, day: datetime.date) -> int:
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class NameKey(models.Model):
    """Every distinct normalised surname, for typo-tolerant search: a misspelt surname is
    matched against a few thousand distinct surnames instead of a million applicants, then the
    applicants are read through the (office, surname, name) index. Derived data, kept by
    `Applicant.save` and by bulk loads; it holds no personal data beyond a surname."""

    key = models.CharField(max_length=100, unique=True)

    class Meta:
        verbose_name = "фамилия (для поиска)"
        verbose_name_plural = "фамилии (для поиска)"

    def __str__(self) -> str:
        return self.key


class ApplicantCategory(models.Model):
    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="categories")
    category = models.ForeignKey(
        BenefitCategory, verbose_name="категория", on_delete=models.PROTECT
    )
    document = models.CharField(
        "подтверждающий документ", max_length=300, help_text="Вид, серия и номер, дата выдачи"
    )
    valid_from = models.DateField("действует с", null=True, blank=True)
    valid_to = models.DateField("действует по", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "льготная категория заявителя"
        verbose_name_plural = "льготные категории заявителя"
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "category"], name="applicant_category_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.document}"


class CaseFile(models.Model):
    """Личное дело: opened at the applicant's first application, numbered per office."""

    class Status(models.TextChoices):
        ACTIVE = "active", "действующее"
        CLOSED = "closed", "закрыто"
        ARCHIVED = "archived", "в архиве"
        TRANSFERRED = "transferred", "передано в другое учреждение"

    office = models.ForeignKey(
        Office, verbose_name="учреждение", on_delete=models.PROTECT, related_name="case_files"
    )
    applicant = models.ForeignKey(
        Applicant, verbose_name="заявитель", on_delete=models.PROTECT, related_name="case_files"
    )
    number = models.PositiveIntegerField("номер")
    status = models.CharField(
        "состояние", max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    opened_on = models.DateField("заведено")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто завёл",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_on = models.DateField("закрыто", null=True, blank=True)

    history = HistoricalRecords()
    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "личное дело"
        verbose_name_plural = "личные дела"
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["office", "number"], name="casefile_number_unique"),
            models.UniqueConstraint(
                fields=["office", "applicant"], name="casefile_one_per_applicant"
            ),
        ]

    def __str__(self) -> str:
        return f"Личное дело № {self.number_display}"

    @property
    def number_display(self) -> str:
        return f"ЛД-{self.number:06d}"
