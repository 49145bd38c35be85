"""The service catalogue: regulations, services and their versions, required documents.

A service's rules (deadline, checklist, flags) live in a `ServiceVersion` in force for a period;
a regulation change adds a version and never rewrites one that applications reference.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from onewindow.text import normalize_text


class Regulation(models.Model):
    class Kind(models.TextChoices):
        ORDER = "приказ", "приказ"
        RESOLUTION = "постановление", "постановление"
        DIRECTIVE = "распоряжение", "распоряжение"
        LAW = "закон", "закон"
        REGULATION = "административный регламент", "административный регламент"

    kind = models.CharField("вид акта", max_length=40, choices=Kind.choices)
    number = models.CharField("номер", max_length=50)
    date = models.DateField("дата")
    title = models.CharField("наименование", max_length=1000)
    issued_by = models.CharField("кем принят", max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "нормативный правовой акт"
        verbose_name_plural = "нормативные правовые акты"
        ordering = ["-date", "number"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "number", "date"], name="regulation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display().capitalize()} от {self.date:%d.%m.%Y} № {self.number}"

    @property
    def citation(self) -> str:
        """«Приказ Комитета социальной защиты населения Волгоградской области от 18.04.2013
        № 2035 «…»»: the act with the body that issued it, as documents cite it."""
        from onewindow.text import org_genitive, quoted

        kind = self.get_kind_display().capitalize()
        tail = f"от {self.date:%d.%m.%Y} №\u00a0{self.number} {quoted(self.title)}"
        if not self.issued_by:
            return f"{kind} {tail}"
        issuer = org_genitive(self.issued_by)
        if issuer:
            return f"{kind} {issuer} {tail}"
        return f"{kind} {tail} (принят: {self.issued_by})"


class DocumentType(models.Model):
    code = models.SlugField("код", max_length=64, unique=True)
    title = models.CharField("наименование", max_length=500)
    issuing_agency = models.CharField("кем выдаётся", max_length=300, blank=True)
    interagency = models.BooleanField(
        "может быть получен по межведомственному запросу",
        default=False,
        help_text="210-ФЗ ст. 7: документ, который есть у другого ведомства, запрашивает учреждение, а не гражданин.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "вид документа"
        verbose_name_plural = "виды документов"
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class ServiceQuerySet(models.QuerySet):
    def in_force_on(self, date: datetime.date):
        return self.filter(
            Q(versions__effective_from__lte=date),
            Q(versions__effective_to__isnull=True) | Q(versions__effective_to__gte=date),
        ).distinct()


class Service(models.Model):
    code = models.SlugField("код", max_length=64, unique=True)
    title = models.CharField("полное наименование", max_length=1000)
    short_title = models.CharField("краткое наименование", max_length=200)
    department = models.CharField("отдел, принимающий решение", max_length=300, blank=True)
    # A certificate-type service (справка, удостоверение, ходатайство) issues a document, not a
    # payment: its notice of decision names the document, never a period «с … бессрочно».
    issues_document = models.BooleanField(
        "результат — документ (справка, удостоверение)",
        default=False,
        help_text="Услуга выдаёт документ, а не назначает выплату.",
    )
    is_active = models.BooleanField("предоставляется", default=True)
    # normalize_text(code, short and full title): search on both databases
    search_text = models.TextField(editable=False, blank=True)

    history = HistoricalRecords()
    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = "государственная услуга"
        verbose_name_plural = "государственные услуги"
        ordering = ["short_title"]

    def __str__(self) -> str:
        return self.short_title or self.title

    def save(self, *args, **kwargs):
        self.search_text = normalize_text(f"{self.code} {self.short_title} {self.title}")
        super().save(*args, **kwargs)

    def version_on(self, date: datetime.date) -> ServiceVersion | None:
        return (
            self.versions.filter(effective_from__lte=date)
            .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=date))
            .select_related("regulation")
            .first()
        )


class ServiceVersion(models.Model):
    service = models.ForeignKey(
        Service, verbose_name="услуга", on_delete=models.PROTECT, related_name="versions"
    )
    effective_from = models.DateField("действует с")
    effective_to = models.DateField("действует по", null=True, blank=True)
    regulation = models.ForeignKey(
        Regulation,
        verbose_name="нормативный акт",
        on_delete=models.PROTECT,
        related_name="service_versions",
    )
    deadline_days = models.PositiveSmallIntegerField(
        "срок принятия решения, рабочих дней", validators=[MinValueValidator(1)]
    )
    allow_incomplete = models.BooleanField(
        "можно принять при неполном комплекте документов", default=False
    )
    requires_consent = models.BooleanField(
        "нужно согласие на обработку персональных данных", default=False
    )
    on_death = models.BooleanField(
        "услуга в связи со смертью получателя",
        default=False,
        help_text="Заявление в деле умершего принимается (от представителя); по остальным услугам — нет.",
    )
    applicant_categories = models.JSONField("категории заявителей", default=list, blank=True)
    notes = models.TextField("примечания", blank=True)
    created_at = models.DateTimeField("внесено", auto_now_add=True)
    load = models.ForeignKey(
        "RegulationLoad",
        verbose_name="загрузка",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="versions",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "редакция услуги"
        verbose_name_plural = "редакции услуг"
        ordering = ["service", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "effective_from"], name="service_version_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="service_version_period_valid",
            ),
            models.CheckConstraint(
                condition=Q(deadline_days__gte=1), name="service_version_deadline_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service.code}: {self.period_display}"

    @property
    def period_display(self) -> str:
        end = f" по {self.effective_to:%d.%m.%Y}" if self.effective_to else ""
        return f"с {self.effective_from:%d.%m.%Y}{end}"

    def is_in_force(self, date: datetime.date) -> bool:
        return self.effective_from <= date and (
            self.effective_to is None or date <= self.effective_to
        )

    def is_referenced(self) -> bool:
        """Whether anything outside the catalogue (applications, …) points at this version.

        Such a version is frozen: its checklist and deadline are what those applications were
        accepted under."""
        for relation in self._meta.related_objects:  # hidden history links are not listed
            model = relation.related_model
            if model._meta.app_label == "services":
                continue
            if model._default_manager.filter(**{relation.field.name: self}).exists():
                return True
        return False


class RequiredDocument(models.Model):
    class Form(models.TextChoices):
        ORIGINAL = "original", "подлинник"
        COPY = "copy", "копия"
        BOTH = "both", "подлинник и копия"

    version = models.ForeignKey(
        ServiceVersion, verbose_name="редакция", on_delete=models.CASCADE, related_name="documents"
    )
    document_type = models.ForeignKey(
        DocumentType, verbose_name="вид документа", on_delete=models.PROTECT, related_name="+"
    )
    required = models.BooleanField("обязателен", default=True)
    condition = models.CharField("условие (для необязательного)", max_length=500, blank=True)
    form = models.CharField("форма", max_length=16, choices=Form.choices, default=Form.BOTH)
    copies = models.PositiveSmallIntegerField(
        "экземпляров", default=1, validators=[MinValueValidator(1)]
    )
    interagency = models.BooleanField(
        "запрашивается учреждением (межведомственный запрос)",
        default=False,
        help_text="Учреждение получает документ само, если заявитель не представил его по собственной инициативе.",
    )
    order = models.PositiveSmallIntegerField("порядок", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "документ перечня"
        verbose_name_plural = "перечень документов"
        ordering = ["version", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "document_type"], name="required_document_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.document_type.title

    @property
    def requirement_display(self) -> str:
        if self.required:
            return "обязательно"
        return self.condition or "при наличии"


class RegulationLoad(models.Model):
    """One upload of a regulation change file: previewed, then applied (or abandoned)."""

    class Status(models.TextChoices):
        PREVIEW = "preview", "предпросмотр"
        APPLIED = "applied", "применено"

    file_name = models.CharField("файл", max_length=300)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    content = models.TextField("содержимое")
    status = models.CharField(
        "состояние", max_length=16, choices=Status.choices, default=Status.PREVIEW
    )
    diff = models.JSONField("изменения", default=dict)
    regulation = models.ForeignKey(
        Regulation,
        verbose_name="акт",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="loads",
    )
    allow_past = models.BooleanField("подтверждено изменение задним числом", default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="загрузил",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("загружено", auto_now_add=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="применил",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    applied_at = models.DateTimeField("применено", null=True, blank=True)
    source = models.CharField("источник", max_length=16, default="web")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "загрузка изменений регламента"
        verbose_name_plural = "загрузки изменений регламентов"
        ordering = ["-uploaded_at"]

    # Who or what brought a load in, as the load list says it (the field keeps a code).
    SOURCES = {"web": "через веб-интерфейс", "catalogue": "поставочный каталог",
               "cli": "из командной строки"}  # fmt: skip

    def __str__(self) -> str:
        return f"{self.file_display} ({self.get_status_display()})"

    @property
    def file_display(self) -> str:
        """The file's name only: no server paths in front of users."""
        return self.file_name.replace("\\", "/").rsplit("/", 1)[-1]

    @property
    def source_display(self) -> str:
        return self.SOURCES.get(self.source, "загрузка без автора")
