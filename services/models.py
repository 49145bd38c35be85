"""The service catalogue: regulations, services and their versions, required documents.

A service's rules (deadline, checklist, flags) live in a `ServiceVersion` in force for a period;
a regulation change adds a version and never rewrites one that applications reference.
"""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from onewindow.text import counted, normalize_text, quoted
from services.periods import DayKind, DeadlineStart, VersionPeriods, add_months

# Importable from here too, as before they moved to services.periods (cases.views, tests).
from services.periods import count_days as count_days
from services.periods import days_display as days_display


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
    # The editions found, oldest first, as cited: «от 22.11.2013 № 1170».
    amendments = models.JSONField("в редакции актов", default=list, blank=True)

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
            return f"{kind} {issuer} {tail}{self.editions_display}"
        return f"{kind} {tail} (принят: {self.issued_by}){self.editions_display}"

    @property
    def editions_display(self) -> str:
        """« (в ред. от 22.11.2013 № 1170, от 20.08.2015 № 1233)» or nothing."""
        if not self.amendments:
            return ""
        # «№» held to its number, as everywhere in the printed documents
        editions = ", ".join(edition.replace("№ ", "№\u00a0") for edition in self.amendments)
        return f" (в ред. {editions})"


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


class ApplicantKind(models.TextChoices):
    CITIZEN = "citizen", "гражданин"
    ORGANISATION = "organisation", "организация"


def default_applicants() -> list[str]:
    return [ApplicantKind.CITIZEN.value]


class ServiceVersion(VersionPeriods, models.Model):
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
        "срок принятия решения, дней",
        help_text="0 — решение принимается в день обращения.",
    )
    deadline_kind = models.CharField(
        "срок исчисляется", max_length=16, choices=DayKind.choices, default=DayKind.WORKING
    )
    deadline_from = models.CharField(
        "срок отсчитывается", max_length=16, choices=DeadlineStart.choices,
        default=DeadlineStart.REGISTRATION,
    )  # fmt: skip
    notice_days = models.PositiveSmallIntegerField(
        "срок уведомления о решении, дней", null=True, blank=True,
        help_text="Пусто — общий срок уведомления (5 рабочих дней).",
    )  # fmt: skip
    notice_kind = models.CharField(
        "срок уведомления исчисляется", max_length=16, choices=DayKind.choices[:2],
        default=DayKind.WORKING,
    )  # fmt: skip
    payment_days = models.PositiveSmallIntegerField(
        "срок выплаты со дня решения, дней", null=True, blank=True
    )
    payment_kind = models.CharField(
        "срок выплаты исчисляется", max_length=16, choices=DayKind.choices[:2],
        default=DayKind.WORKING,
    )  # fmt: skip
    apply_within_months = models.PositiveSmallIntegerField(
        "обратиться в течение, месяцев", null=True, blank=True
    )
    apply_within_days = models.PositiveSmallIntegerField(
        "обратиться в течение, дней", null=True, blank=True
    )
    apply_event = models.CharField(
        "со дня (события)", max_length=200, blank=True,
        help_text="В родительном падеже: «рождения ребёнка», «смерти».",
    )  # fmt: skip
    applicants = models.JSONField(
        "кто может обратиться", default=default_applicants, blank=True,
        help_text="citizen — гражданин, organisation — организация.",
    )  # fmt: skip
    result = models.CharField("результат услуги", max_length=500, blank=True)
    result_form = models.CharField("форма результата", max_length=500, blank=True)
    end_reason = models.TextField(
        "причина окончания действия", blank=True,
        help_text="Почему услуга больше не предоставляется по этой редакции (передана другому органу, …).",
    )  # fmt: skip
    unverified = models.TextField(
        "требует проверки", blank=True,
        help_text="Что не удалось подтвердить по опубликованным актам.",
    )  # fmt: skip
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
                condition=Q(deadline_days__gte=1) | Q(deadline_kind="same_day"),
                name="service_version_deadline_positive",
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

    # --- the rules as the counter and the decision apply them (periods: VersionPeriods) -----

    @property
    def accepts_citizens(self) -> bool:
        return ApplicantKind.CITIZEN in (self.applicants or default_applicants())

    @property
    def accepts_organisations(self) -> bool:
        return ApplicantKind.ORGANISATION in (self.applicants or [])

    @property
    def granted_result(self) -> str:
        """The result when the service is granted: «решение о назначении пособия» of a result
        written «решение о назначении пособия или об отказе в назначении»."""
        result = re.split(r",?\s+или\s+(?:об\s+)?отказ", self.result, maxsplit=1)[0].strip()
        return result + (f" ({self.result_form})" if result and self.result_form else "")

    @property
    def result_display(self) -> str:
        if not self.result:
            return ""
        return self.result + (f" ({self.result_form})" if self.result_form else "")

    def grounds_of(self, kind: str) -> list[Ground]:
        return [g for g in self.grounds.all() if g.kind == kind]

    def is_referenced(self) -> bool:
        """Whether anything outside the catalogue (applications, …) points at this version.

        Such a version is frozen: its checklist and deadline are what those applications were
        accepted under."""
        return any(rows.exists() for rows in self._referrers())

    def is_used_on_or_after(self, day: datetime.date) -> bool:
        """Whether an application (anything outside the catalogue with `registered_on`)
        registered on `day` or later was accepted under this version."""
        return any(
            rows.filter(registered_on__gte=day).exists()
            for rows in self._referrers()
            if "registered_on" in {f.name for f in rows.model._meta.fields}
        )

    def _referrers(self):
        """Per model outside the catalogue, its rows that point at this version."""
        for relation in self._meta.related_objects:  # hidden history links are not listed
            model = relation.related_model
            if model._meta.app_label != "services":
                yield model._default_manager.filter(**{relation.field.name: self})


class Ground(models.Model):
    """A ground the regulation gives to refuse the documents, the service, or to suspend it."""

    class Kind(models.TextChoices):
        REFUSE_ACCEPTANCE = "refuse_acceptance", "отказ в приёме документов"
        REFUSE = "refuse", "отказ в предоставлении услуги"
        SUSPEND = "suspend", "приостановление предоставления услуги"

    version = models.ForeignKey(
        ServiceVersion, verbose_name="редакция", on_delete=models.CASCADE, related_name="grounds"
    )
    kind = models.CharField("вид", max_length=20, choices=Kind.choices)
    clause = models.CharField("пункт регламента", max_length=100)
    text = models.TextField("основание")
    order = models.PositiveSmallIntegerField("порядок", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "основание отказа или приостановления"
        verbose_name_plural = "основания отказа и приостановления"
        ordering = ["version", "order", "id"]

    def __str__(self) -> str:
        return f"{self.clause}: {self.text}"

    @property
    def citation(self) -> str:
        """«пункт 2.9.1 административного регламента: «отсутствие права …»»."""
        return f"{self.clause} регламента: {quoted(self.text)}"


class EligibilityCondition(models.Model):
    """A condition of the right to the service that the counter shows and the specialist
    confirms (an age limit, an income threshold, an ownership share): shown, not decided."""

    version = models.ForeignKey(
        ServiceVersion,
        verbose_name="редакция",
        on_delete=models.CASCADE,
        related_name="conditions",
    )
    text = models.TextField("условие")
    clause = models.CharField("пункт регламента", max_length=100, blank=True)
    order = models.PositiveSmallIntegerField("порядок", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "условие предоставления"
        verbose_name_plural = "условия предоставления"
        ordering = ["version", "order", "id"]

    def __str__(self) -> str:
        return self.text


class RequiredDocument(models.Model):
    class Form(models.TextChoices):
        ORIGINAL = "original", "подлинник"
        COPY = "copy", "копия"
        BOTH = "both", "подлинник и копия"

    class PerMember(models.TextChoices):
        NONE = "", "один на заявление"
        CHILD = "child", "на каждого ребёнка"
        ADULT = "adult", "на каждого совершеннолетнего члена семьи"
        MEMBER = "member", "на каждого члена семьи"

    class AppliesTo(models.TextChoices):
        ALL = "", "всегда"
        REPRESENTATIVE = "representative", "если обращается представитель"
        ORGANISATION = "organisation", "если обращается организация"
        CITIZEN = "citizen", "если обращается гражданин"

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
    # Documents of one version with the same group number form a «one of» group: any one
    # member satisfies it; the group's requirement and conditions are copied onto each.
    group = models.PositiveSmallIntegerField("группа «один из»", null=True, blank=True)
    group_title = models.CharField("наименование группы", max_length=300, blank=True)
    valid_months = models.PositiveSmallIntegerField(
        "действителен, месяцев со дня выдачи", null=True, blank=True,
        help_text="Документ выдан не ранее чем за столько месяцев до обращения.",
    )  # fmt: skip
    for_categories = models.JSONField(
        "только для категорий", default=list, blank=True,
        help_text="Пусто — для всех категорий заявителей редакции.",
    )  # fmt: skip
    per_member = models.CharField(
        "количество", max_length=16, choices=PerMember.choices, blank=True, default=""
    )
    applies_to = models.CharField(
        "когда нужен", max_length=16, choices=AppliesTo.choices, blank=True, default=""
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
            text = "обязательно"
        else:
            text = self.condition or "при наличии"
        extra = [
            label
            for label in (
                self.AppliesTo(self.applies_to).label if self.applies_to else "",
                "для категорий: " + "; ".join(self.for_categories) if self.for_categories else "",
                self.PerMember(self.per_member).label if self.per_member else "",
                self.validity_display,
            )
            if label
        ]
        return ", ".join([text, *extra])

    @property
    def validity_display(self) -> str:
        """«выдан не ранее чем за 3 месяца до обращения»."""
        if not self.valid_months:
            return ""
        months = counted(self.valid_months, "месяц,месяца,месяцев")
        return f"выдан не ранее чем за {months} до обращения"

    def oldest_valid_issue(self, applied_on: datetime.date) -> datetime.date | None:
        """The earliest issue date the document may carry for an application of that day."""
        if not self.valid_months:
            return None
        return add_months(applied_on, -self.valid_months)


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
