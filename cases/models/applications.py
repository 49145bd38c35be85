"""Applications against a service's checklist, their documents and events, the organisations
that apply, and the measures (entitlements) granted."""

from __future__ import annotations

import datetime
import secrets
import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from cases.models.people import Applicant, CaseFile
from onewindow.identity import validate_inn, validate_no_control_characters, validate_ogrn
from onewindow.models import Office, OfficeScopedQuerySet

# `validate_inn` and `validate_ogrn` live in `onewindow.identity`; migration 0018 names them
# as `cases.models.validate_inn`, so `cases.models` keeps exporting them.


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


# The status code printed on the receipt: the applicant types it with the receipt's number on the
# public status page. Capitals and digits without the look-alikes 0/O and 1/I: 32 signs, so 8 of
# them are 40 random bits — with the page's throttle, not guessable.
STATUS_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
STATUS_CODE_LENGTH = 8


def new_status_code() -> str:
    return "".join(secrets.choice(STATUS_CODE_ALPHABET) for _ in range(STATUS_CODE_LENGTH))


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
    representative_name = models.CharField(
        "ФИО представителя", max_length=300, blank=True,
        validators=[validate_no_control_characters],
    )  # fmt: skip
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
    # Kept as it is, not hashed: every reprint of the receipt must carry the same code. It opens
    # only the status page (state, deadline, awaited documents), and whoever reads this table
    # sees far more than that already.
    status_code = models.CharField(
        "код проверки состояния", max_length=STATUS_CODE_LENGTH, default=new_status_code,
        editable=False,
    )  # fmt: skip
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
        indexes = [
            models.Index(fields=["office", "registered_on"], name="application_office_day"),
            # a person's open work and decisions to notify (the navigation badge, «Мои дела», the
            # dashboard's load per specialist): a handful of rows among millions
            models.Index(fields=["specialist", "status"], name="application_specialist_status"),
            # decisions of a period (decided late this month, the reports' decisions)
            models.Index(fields=["office", "decision_date"], name="application_office_decided"),
            # open applications by deadline (overdue, due within 3 working days)
            models.Index(
                fields=["office", "status", "deadline"], name="application_office_open_due"
            ),
            # the public status page finds a receipt by its number alone (offices share numbers)
            models.Index(fields=["reg_number", "reg_year"], name="application_receipt_number"),
        ]

    def __str__(self) -> str:
        return f"Заявление № {self.number_display}"

    @property
    def number_display(self) -> str:
        return f"{self.reg_number}/{self.reg_year}"

    @property
    def status_code_display(self) -> str:
        """«ABCD-EFGH»: as printed on the receipt; the page reads it with or without the hyphen."""
        code = self.status_code
        return f"{code[:4]}-{code[4:]}" if len(code) == STATUS_CODE_LENGTH else code

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
