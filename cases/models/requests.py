"""Requests with deadlines: interagency requests for documents, requests from other districts and
regions, and requests between offices of this installation."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from cases.models.applications import Application, ApplicationDocument
from cases.models.people import Applicant
from onewindow.identity import NotInFuture, validate_no_control_characters, validate_snils
from onewindow.models import Office, OfficeScopedQuerySet
from onewindow.names import about_person


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
    subject_name = models.CharField(
        "о ком: ФИО", max_length=300, validators=[validate_no_control_characters]
    )
    subject_birth_date = models.DateField(
        "о ком: дата рождения", null=True, blank=True,
        validators=[NotInFuture("Дата рождения не может быть в будущем.")],
    )  # fmt: skip
    subject_snils = models.CharField(
        "о ком: СНИЛС", max_length=11, blank=True, validators=[validate_snils]
    )
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
