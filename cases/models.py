"""Reception at the counter: applicants, personal case files, applications against a service's
checklist, their lifecycle, and the measures (entitlements) granted.

Office-owned models use `OfficeScopedQuerySet`, so views fetch them with `.for_user(user)`;
every model keeps history (django-simple-history). All writes go through `cases.services`.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from onewindow.identity import format_snils, full_name_key, mask_snils, validate_person_name
from onewindow.models import Office, OfficeScopedQuerySet
from onewindow.names import about_person, short_name


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


class Applicant(models.Model):
    office = models.ForeignKey(
        Office, verbose_name="учреждение", on_delete=models.PROTECT, related_name="applicants"
    )
    snils = models.CharField(
        "СНИЛС", max_length=11, blank=True, help_text="11 цифр без разделителей"
    )
    # Russian letters, hyphen, apostrophe, space; no Latin look-alikes (identity.name_error)
    last_name = models.CharField("фамилия", max_length=100, validators=[validate_person_name])
    first_name = models.CharField("имя", max_length=100, validators=[validate_person_name])
    middle_name = models.CharField(
        "отчество", max_length=100, blank=True, validators=[validate_person_name]
    )
    sex = models.CharField("пол", max_length=1, choices=Sex.choices)
    birth_date = models.DateField("дата рождения")
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
    id_issued_date = models.DateField("дата выдачи", null=True, blank=True)
    id_unit_code = models.CharField("код подразделения", max_length=7, blank=True)
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
    death_date = models.DateField("дата смерти", null=True, blank=True)
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


class Organisation(models.Model):
    """An organisation that applies for a service (a specialised funeral service, a lawyers'
    office): no СНИЛС, an ИНН and an ОГРН. Its applications sit in the case file of the person
    they concern; the person who hands them in is its representative."""

    name = models.CharField("полное наименование", max_length=500)
    inn = models.CharField("ИНН", max_length=12, unique=True, validators=[validate_inn])
    ogrn = models.CharField("ОГРН", max_length=15, blank=True, validators=[validate_ogrn])
    address = models.CharField("адрес", max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "организация-заявитель"
        verbose_name_plural = "организации-заявители"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} (ИНН {self.inn})"


class ApplicationQuerySet(OfficeScopedQuerySet):
    def open(self):
        return self.filter(status__in=Application.OPEN_STATUSES)


class Application(models.Model):
    class Status(models.TextChoices):
        ACCEPTED = "accepted", "принято"
        TRANSFERRED = "transferred", "передано в отдел"
        IN_REVIEW = "in_review", "на рассмотрении"
        GRANTED = "granted", "решение: назначено"
        REFUSED = "refused", "решение: отказано"
        NOTIFIED = "notified", "заявитель уведомлён"
        WITHDRAWN = "withdrawn", "отозвано заявителем"

    OPEN_STATUSES = (Status.ACCEPTED, Status.TRANSFERRED, Status.IN_REVIEW)
    # decided, the applicant not yet notified: still someone's work
    TO_NOTIFY_STATUSES = (Status.GRANTED, Status.REFUSED)
    DECIDED_STATUSES = (Status.GRANTED, Status.REFUSED, Status.NOTIFIED)

    class RepresentativeKind(models.TextChoices):
        NONE = "", "обращается лично"
        LEGAL = "legal", "законный представитель"
        PROXY = "proxy", "представитель по доверенности"

    office = models.ForeignKey(
        Office, verbose_name="учреждение", on_delete=models.PROTECT, related_name="applications"
    )
    applicant = models.ForeignKey(
        Applicant, verbose_name="заявитель", on_delete=models.PROTECT, related_name="applications"
    )
    case_file = models.ForeignKey(
        CaseFile, verbose_name="личное дело", on_delete=models.PROTECT, related_name="applications"
    )
    service = models.ForeignKey(
        "services.Service",
        verbose_name="услуга",
        on_delete=models.PROTECT,
        related_name="applications",
    )
    service_version = models.ForeignKey(
        "services.ServiceVersion",
        verbose_name="редакция услуги",
        on_delete=models.PROTECT,
        related_name="applications",
    )
    status = models.CharField(
        "состояние", max_length=16, choices=Status.choices, default=Status.ACCEPTED, db_index=True
    )
    received_at = models.DateTimeField("поступило")
    registered_on = models.DateField("дата регистрации")
    registered_at = models.DateTimeField("зарегистрировано")
    reg_year = models.PositiveSmallIntegerField("год журнала")
    reg_number = models.PositiveIntegerField("номер в журнале")
    deadline = models.DateField("срок принятия решения", db_index=True)
    # Who accepted it at the counter never changes; who is responsible for it now (after
    # handovers) is `specialist`.
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="принял документы",
        on_delete=models.PROTECT,
        related_name="accepted_applications",
    )
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ответственный специалист",
        on_delete=models.PROTECT,
        related_name="applications",
    )
    incomplete = models.BooleanField("принято при неполном комплекте", default=False)
    consent_given = models.BooleanField("согласие на обработку ПД получено", default=False)
    representative_kind = models.CharField(
        "представитель", max_length=16, choices=RepresentativeKind.choices, blank=True, default=""
    )
    representative_name = models.CharField("ФИО представителя", max_length=300, blank=True)
    representative_document = models.CharField("документ представителя", max_length=300, blank=True)
    representative_authority = models.CharField(
        "документ о полномочиях", max_length=300, blank=True,
        help_text="Доверенность (номер, дата, кем удостоверена) или решение об опеке, свидетельство о рождении",
    )  # fmt: skip
    # The decision's number in the office's register of decisions and its date: fixed when the
    # decision is recorded, so every reprint of the notice says the same.
    decision_number = models.PositiveIntegerField("№ решения", null=True, blank=True)
    decision_date = models.DateField("дата решения", null=True, blank=True)
    refusal_reason = models.TextField("причина отказа", blank=True)
    # The grounds picked at the refusal, copied from the version: [{"clause", "text"}].
    refusal_grounds = models.JSONField("основания отказа", default=list, blank=True)
    withdrawal_reason = models.TextField("причина отзыва", blank=True)
    notice_due = models.DateField("срок уведомления о решении", null=True, blank=True)
    payment_due = models.DateField("срок выплаты", null=True, blank=True)
    # Who applies when it is an organisation (the person in the card is whom it concerns).
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="организация-заявитель",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )
    applicant_category = models.CharField("категория заявителя", max_length=500, blank=True)
    family_children = models.PositiveSmallIntegerField("детей в семье", null=True, blank=True)
    family_adults = models.PositiveSmallIntegerField(
        "совершеннолетних членов семьи (с заявителем)", null=True, blank=True
    )
    event_date = models.DateField(
        "дата события", null=True, blank=True,
        help_text="От неё отсчитывается срок обращения (рождение ребёнка, смерть).",
    )  # fmt: skip
    # The conditions shown at the counter and what the specialist confirmed:
    # [{"text", "clause", "confirmed"}].
    eligibility = models.JSONField("условия предоставления", default=list, blank=True)
    notified_on = models.DateField("дата уведомления", null=True, blank=True)
    # The notice of the decision is an outgoing letter: it carries the office's outgoing number.
    notice_number = models.PositiveIntegerField("исх. № уведомления", null=True, blank=True)
    notice_date = models.DateField("дата исх. № уведомления", null=True, blank=True)
    # The form's key of one submission: unique per author and office (see the constraint), so a
    # key replayed by anyone else is just a fresh key and never names this application.
    idempotency_key = models.UUIDField(default=uuid.uuid4, editable=False)
    note = models.TextField("примечание", blank=True)

    history = HistoricalRecords()
    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = "заявление"
        verbose_name_plural = "заявления"
        ordering = ["-registered_at"]
        permissions = [
            ("decide_application", "Вносит решение по заявлению"),
            ("override_interagency", "Принимает решение при открытых межведомственных запросах"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "reg_year", "reg_number"], name="application_number_unique"
            ),
            # One open application per person and service: two counters cannot both register it.
            models.UniqueConstraint(
                fields=["applicant", "service"],
                condition=Q(status__in=["accepted", "transferred", "in_review"]),
                name="application_one_open_per_service",
            ),
            models.UniqueConstraint(
                fields=["office", "accepted_by", "idempotency_key"],
                name="application_idempotency_per_author",
            ),
        ]
        indexes = [models.Index(fields=["office", "registered_on"], name="application_office_day")]

    def __str__(self) -> str:
        return f"Заявление № {self.number_display}"

    @property
    def number_display(self) -> str:
        return f"{self.reg_number}/{self.reg_year}"

    @property
    def notice_number_display(self) -> str:
        return f"{self.notice_number}/{self.notice_date.year}" if self.notice_number else ""

    @property
    def decision_number_display(self) -> str:
        if not self.decision_number:
            return ""
        return f"{self.decision_number}/{self.decision_date.year}"

    @property
    def work_title(self) -> str:
        title = f"Заявление № {self.number_display}: {self.applicant.short_name}, {self.service.short_title}"
        if self.status in self.TO_NOTIFY_STATUSES:
            title += f" — {self.get_status_display()}, уведомить заявителя"
        return title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def applicant_moved_away(self) -> bool:
        """The person's file went to another office after this application: their card is
        that office's now."""
        return self.applicant.office_id != self.office_id

    def is_overdue(self, today: datetime.date) -> bool:
        return self.is_open and self.deadline < today

    # --- the decision in words (the page, the notice, the journal) ------------------------------

    @property
    def was_refused(self) -> bool:
        """Refused, the applicant notified or not yet."""
        return self.status == self.Status.REFUSED or bool(
            self.refusal_grounds or self.refusal_reason
        )

    @property
    def refusal_clauses(self) -> str:
        """«п. 2.9.1, п. 2.9.2»: the clauses of the grounds picked at the refusal."""
        from cases.decisions import clauses_display

        return clauses_display(self.refusal_grounds or [])

    @property
    def decision_display(self) -> str:
        """«отказано (п. 2.9.1)», «назначено — удостоверение многодетной семьи», or nothing
        before a decision."""
        if self.status not in self.DECIDED_STATUSES:
            return ""
        if self.was_refused:
            clauses = self.refusal_clauses
            return "отказано" + (f" ({clauses})" if clauses else "")
        # a document issued is named; a payment's «решение о назначении …» would repeat the state
        if not self.service.issues_document:
            return "назначено"
        result = self.service_version.granted_result
        return "назначено" + (f" — {result}" if result else "")

    @property
    def state_display(self) -> str:
        """The journal's «Состояние, результат»: the state with the decision it holds."""
        decision = self.decision_display
        if self.status == self.Status.NOTIFIED and decision:
            return f"{self.get_status_display()}; {decision}"
        if decision:
            return f"решение: {decision}"
        return self.get_status_display()


class ApplicationDocument(models.Model):
    """One line of the checklist as the specialist marked it at the counter."""

    class Status(models.TextChoices):
        BROUGHT = "brought", "представлен"
        REQUESTED = "requested", "запрашивает учреждение"
        OBTAINED = "obtained", "получен по межведомственному запросу"
        MISSING = "missing", "не представлен"
        NOT_REQUIRED = "not_required", "не требуется"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    required_document = models.ForeignKey(
        "services.RequiredDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    document_type = models.ForeignKey(
        "services.DocumentType", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("документ", max_length=500)
    required = models.BooleanField("обязателен", default=True)
    status = models.CharField("отметка", max_length=16, choices=Status.choices)
    form = models.CharField("форма", max_length=16, blank=True)
    sheets = models.PositiveSmallIntegerField(
        "листов", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    copies = models.PositiveSmallIntegerField(
        "экземпляров", default=1, validators=[MinValueValidator(1)]
    )
    # A per-member document is one line for all its documents: one per child, adult, member.
    quantity = models.PositiveSmallIntegerField(
        "количество документов", default=1, validators=[MinValueValidator(1)]
    )
    issued_on = models.DateField("дата выдачи", null=True, blank=True)
    # the original was shown, copied and handed back at the counter (the receipt says so)
    original_returned = models.BooleanField("подлинник возвращён заявителю", default=False)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "документ заявления"
        verbose_name_plural = "документы заявления"
        ordering = ["application", "order"]

    def __str__(self) -> str:
        return f"{self.title}: {self.get_status_display()}"

    @property
    def notes_display(self) -> str:
        """What the receipt and the page say beside the title: «один из документов: документ,
        удостоверяющий личность; 3 шт. (на каждого ребёнка); дата выдачи 01.10.2026»."""
        rd = self.required_document
        parts = []
        if rd is not None and rd.group is not None:
            parts.append("один из документов" + (f": {rd.group_title}" if rd.group_title else ""))
        if rd is not None and rd.per_member and self.status != self.Status.NOT_REQUIRED:
            parts.append(f"{self.quantity}\u00a0шт. ({rd.get_per_member_display()})")
        if self.issued_on:
            parts.append(f"дата выдачи {self.issued_on:%d.%m.%Y}")
        return "; ".join(parts)

    @property
    def form_display(self) -> str:
        from services.models import RequiredDocument

        try:
            return RequiredDocument.Form(self.form).label
        except ValueError:
            return self.form


class ApplicationEvent(models.Model):
    """The lifecycle of an application, step by step: who, when, from what to what, and why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("когда", auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    from_status = models.CharField("из состояния", max_length=16, blank=True)
    to_status = models.CharField("в состояние", max_length=16)
    note = models.TextField("примечание", blank=True)

    class Meta:
        verbose_name = "событие заявления"
        verbose_name_plural = "события заявлений"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.to_status}"

    @property
    def to_status_display(self) -> str:
        return Application.Status(self.to_status).label


class Entitlement(models.Model):
    """A measure granted to a recipient (a payment, a certificate); reconciliation and the
    archive read these."""

    class Status(models.TextChoices):
        ACTIVE = "active", "действует"
        SUSPENDED = "suspended", "приостановлена"
        STOPPED = "stopped", "прекращена"

    office = models.ForeignKey(
        Office, verbose_name="учреждение", on_delete=models.PROTECT, related_name="entitlements"
    )
    applicant = models.ForeignKey(
        Applicant, verbose_name="получатель", on_delete=models.PROTECT, related_name="entitlements"
    )
    case_file = models.ForeignKey(
        CaseFile, verbose_name="личное дело", on_delete=models.PROTECT, related_name="entitlements"
    )
    service = models.ForeignKey(
        "services.Service",
        verbose_name="мера (услуга)",
        on_delete=models.PROTECT,
        related_name="entitlements",
    )
    application = models.ForeignKey(
        Application,
        verbose_name="заявление",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entitlements",
    )
    start_date = models.DateField("назначена с")
    end_date = models.DateField("по", null=True, blank=True, help_text="Пусто — бессрочно")
    amount = models.DecimalField(
        "размер, руб.", max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)], help_text="Пусто — размер не устанавливается (документ, натуральная мера)",
    )  # fmt: skip
    status = models.CharField(
        "состояние", max_length=16, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    status_reason = models.CharField("основание изменения состояния", max_length=500, blank=True)
    status_changed_on = models.DateField("состояние изменено", null=True, blank=True)
    # A stop recorded after the day it takes effect (a death learnt from a selection): the
    # payments made for the days in between are to be recovered.
    overpaid_from = models.DateField("переплата с", null=True, blank=True)
    overpaid_to = models.DateField("переплата по", null=True, blank=True)

    history = HistoricalRecords()
    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "мера социальной поддержки"
        verbose_name_plural = "меры социальной поддержки"
        ordering = ["-start_date"]
        indexes = [
            models.Index(fields=["applicant", "status"], name="entitlement_applicant_status")
        ]

    def __str__(self) -> str:
        return f"{self.service} с {self.start_date:%d.%m.%Y}"

    @property
    def period_display(self) -> str:
        return f"с {self.start_date:%d.%m.%Y}" + (
            f" по {self.end_date:%d.%m.%Y}" if self.end_date else " бессрочно"
        )

    @property
    def overpaid_display(self) -> str:
        if not self.overpaid_from:
            return ""
        return f"с {self.overpaid_from:%d.%m.%Y} по {self.overpaid_to:%d.%m.%Y}"


# --- Requests with deadlines (interagency, other districts and regions) ----------------------


class Agency(models.Model):
    """An agency the office sends interagency requests to (СФР, МВД, ЗАГС, …)."""

    name = models.CharField("ведомство", max_length=300, unique=True)
    response_days = models.PositiveSmallIntegerField(
        "срок ответа, рабочих дней", default=5, validators=[MinValueValidator(1)],
        help_text="210-ФЗ ст. 7.2: не более 5 рабочих дней, если иное не установлено",
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        verbose_name = "ведомство"
        verbose_name_plural = "ведомства"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class InteragencyRequest(models.Model):
    """A межведомственный запрос for a document the applicant need not bring (210-ФЗ ст. 7)."""

    class Result(models.TextChoices):
        PENDING = "", "ответ не получен"
        RECEIVED = "received", "документ (сведения) получен"
        REFUSED = "refused", "отказ в предоставлении"
        NO_ANSWER = "no_answer", "ответ не поступил"

    office = models.ForeignKey(
        Office, verbose_name="учреждение", on_delete=models.PROTECT, related_name="+"
    )
    application = models.ForeignKey(
        Application,
        verbose_name="заявление",
        on_delete=models.PROTECT,
        related_name="interagency_requests",
    )
    document = models.OneToOneField(
        ApplicationDocument,
        verbose_name="документ",
        on_delete=models.PROTECT,
        related_name="interagency_request",
    )
    agency = models.ForeignKey(
        Agency, verbose_name="ведомство", on_delete=models.PROTECT, related_name="requests"
    )
    sent_on = models.DateField("направлен")
    due_date = models.DateField("срок ответа", db_index=True)
    result = models.CharField(
        "результат", max_length=16, choices=Result.choices, blank=True, default=""
    )
    response_on = models.DateField("ответ получен", null=True, blank=True)
    response_note = models.CharField("содержание ответа", max_length=500, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="исполнитель",
        on_delete=models.PROTECT,
        related_name="interagency_requests",
    )

    history = HistoricalRecords()
    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "межведомственный запрос"
        verbose_name_plural = "межведомственные запросы"
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return f"Запрос в {self.agency}: {self.document.title}"

    @property
    def work_title(self) -> str:
        return (
            f"Межведомственный запрос в {self.agency}: {self.document.title} "
            f"(заявление № {self.application.number_display}, {self.application.applicant.short_name})"
        )

    @property
    def is_open(self) -> bool:
        return not self.result


class RequestKind(models.Model):
    """A kind of incoming request with its answer deadline in working days."""

    code = models.SlugField("код", max_length=64, unique=True)
    title = models.CharField("вид запроса", max_length=300)
    due_days = models.PositiveSmallIntegerField(
        "срок ответа, рабочих дней", default=10, validators=[MinValueValidator(1)]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "вид входящего запроса"
        verbose_name_plural = "виды входящих запросов"
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class IncomingRequest(models.Model):
    """A request from another district or region (or another office of this installation)."""

    office = models.ForeignKey(
        Office,
        verbose_name="учреждение",
        on_delete=models.PROTECT,
        related_name="incoming_requests",
    )
    kind = models.ForeignKey(
        RequestKind, verbose_name="вид", on_delete=models.PROTECT, related_name="+"
    )
    sender = models.CharField("организация-отправитель", max_length=500)
    sender_office = models.ForeignKey(
        Office, verbose_name="учреждение-отправитель (в этой системе)", on_delete=models.PROTECT,
        null=True, blank=True, related_name="sent_requests",
    )  # fmt: skip
    sender_address = models.CharField("адрес отправителя", max_length=500, blank=True)
    sender_number = models.CharField("исходящий номер отправителя", max_length=100)
    sender_date = models.DateField("дата запроса")
    received_on = models.DateField("поступил")
    subject_name = models.CharField("о ком: ФИО", max_length=300)
    subject_birth_date = models.DateField("о ком: дата рождения", null=True, blank=True)
    subject_snils = models.CharField("о ком: СНИЛС", max_length=11, blank=True)
    applicant = models.ForeignKey(
        Applicant,
        verbose_name="заявитель (найден)",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incoming_requests",
    )
    question = models.TextField("что запрашивается")
    due_date = models.DateField("срок ответа", db_index=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="исполнитель",
        on_delete=models.PROTECT,
        related_name="incoming_requests",
    )
    answer = models.TextField("ответ", blank=True)
    attachments = models.TextField("приложения (по строке на документ)", blank=True)
    answered_on = models.DateField("ответ направлен", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто ответил",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    out_year = models.PositiveSmallIntegerField("год исходящего", null=True, blank=True)
    out_number = models.PositiveIntegerField("исходящий номер", null=True, blank=True)
    outgoing = models.OneToOneField(
        "OutgoingRequest", verbose_name="наш запрос (из другого учреждения)", on_delete=models.PROTECT,
        null=True, blank=True, related_name="incoming",
    )  # fmt: skip

    history = HistoricalRecords()
    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "запрос из другого района (региона)"
        verbose_name_plural = "запросы из других районов и регионов"
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "out_year", "out_number"], name="incoming_out_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Запрос {self.sender} № {self.sender_number} от {self.sender_date:%d.%m.%Y}"

    @property
    def is_open(self) -> bool:
        return self.answered_on is None

    @property
    def work_title(self) -> str:
        return (
            f"Запрос {self.sender} № {self.sender_number} от {self.sender_date:%d.%m.%Y} "
            f"{about_person(self.subject_name, short=True)}"
        )

    @property
    def out_number_display(self) -> str:
        return f"{self.out_number}/{self.out_year}" if self.out_number else ""

    @property
    def attachment_list(self) -> list[str]:
        return [line.strip() for line in self.attachments.splitlines() if line.strip()]


class OutgoingRequest(models.Model):
    """Our request to another office of this installation; its answer comes back here."""

    office = models.ForeignKey(
        Office,
        verbose_name="учреждение",
        on_delete=models.PROTECT,
        related_name="outgoing_requests",
    )
    to_office = models.ForeignKey(
        Office, verbose_name="куда", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.ForeignKey(
        RequestKind, verbose_name="вид", on_delete=models.PROTECT, related_name="+"
    )
    applicant = models.ForeignKey(
        Applicant, verbose_name="о ком", on_delete=models.PROTECT, related_name="outgoing_requests"
    )
    question = models.TextField("что запрашиваем")
    sent_on = models.DateField("направлен")
    out_year = models.PositiveSmallIntegerField("год исходящего")
    out_number = models.PositiveIntegerField("исходящий номер")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто направил",
        on_delete=models.PROTECT,
        related_name="+",
    )
    # who waits for the answer and follows it up (moves with a handover; who sent it does not)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="исполнитель",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outgoing_requests",
    )
    due_date = models.DateField("ответ ожидается до", null=True, blank=True)
    answer = models.TextField("ответ", blank=True)
    attachments = models.TextField("приложения к ответу", blank=True)
    answered_on = models.DateField("ответ получен", null=True, blank=True)
    answer_number = models.CharField("исходящий номер ответа", max_length=50, blank=True)

    history = HistoricalRecords()
    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "запрос в другое учреждение"
        verbose_name_plural = "запросы в другие учреждения"
        ordering = ["-sent_on", "-id"]

    def __str__(self) -> str:
        return f"Запрос № {self.out_number}/{self.out_year} в {self.to_office}"

    @property
    def work_title(self) -> str:
        return (
            f"Наш запрос № {self.out_number}/{self.out_year} в {self.to_office} "
            f"{about_person(self.applicant, short=True)}"
        )


# --- Transfer of a person's case file between offices of the installation ---------------------


class CaseTransferQuerySet(OfficeScopedQuerySet):
    """A transfer concerns two offices: each of them (and a regional user) sees it."""

    def office_q(self, office_id: int) -> Q:
        return Q(from_office_id=office_id) | Q(to_office_id=office_id)

    def open(self):
        return self.filter(status=CaseTransfer.Status.REQUESTED)


class CaseTransfer(models.Model):
    """A person moved to another district: the new office asks for their case file, the old one
    (or a regional chief) confirms once the open work is settled; the person and a new case file
    then belong to the new office, the old file stays with the old one as «передано»."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "запрошено"
        DONE = "done", "передано"
        REFUSED = "refused", "отказано"
        CANCELLED = "cancelled", "запрос отозван"

    applicant = models.ForeignKey(
        Applicant, verbose_name="заявитель", on_delete=models.PROTECT, related_name="transfers"
    )
    from_office = models.ForeignKey(
        Office, verbose_name="из учреждения", on_delete=models.PROTECT, related_name="+"
    )
    to_office = models.ForeignKey(
        Office, verbose_name="в учреждение", on_delete=models.PROTECT, related_name="+"
    )
    # what the asking office was told by the person: the old office compares it with its file
    stated_name = models.CharField("ФИО (со слов заявителя)", max_length=300)
    stated_birth_date = models.DateField("дата рождения (со слов заявителя)")
    new_address = models.CharField("новый адрес", max_length=500, blank=True)
    reason = models.TextField("основание запроса")
    status = models.CharField(
        "состояние", max_length=16, choices=Status.choices, default=Status.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="кто запросил", on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    requested_at = models.DateTimeField("запрошено")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="кто решил", on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField("решено", null=True, blank=True)
    refusal_reason = models.TextField("причина отказа", blank=True)
    measures_stopped_on = models.DateField("меры прекращены с", null=True, blank=True)
    old_case_file = models.ForeignKey(
        CaseFile, verbose_name="личное дело в прежнем учреждении", on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    new_case_file = models.ForeignKey(
        CaseFile, verbose_name="личное дело в новом учреждении", on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip

    history = HistoricalRecords()
    objects = CaseTransferQuerySet.as_manager()

    class Meta:
        verbose_name = "передача личного дела"
        verbose_name_plural = "передачи личных дел"
        ordering = ["-requested_at", "-id"]
        permissions = [
            ("confirm_casetransfer", "Подтверждает передачу личного дела в другое учреждение")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant"], condition=Q(status="requested"), name="casetransfer_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"Передача личного дела: {self.from_office} → {self.to_office}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.REQUESTED
