"""Shared models: offices (district centres), users with roles, the personal-data access log,
and background jobs."""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from onewindow import roles
from onewindow.events import EVENT_TITLES
from onewindow.names import short_name
from onewindow.report_parts import report_title
from onewindow.text import normalize_text


class Office(models.Model):
    """A district centre of social protection; every personal record belongs to one."""

    code = models.SlugField("код", max_length=32, unique=True)
    name = models.CharField("полное наименование", max_length=500)
    short_name = models.CharField("краткое наименование", max_length=200)
    address = models.CharField("адрес", max_length=500, blank=True)
    director_name = models.CharField("ФИО директора", max_length=200, blank=True)
    phone = models.CharField("телефон", max_length=100, blank=True)
    email = models.EmailField("электронная почта", blank=True)
    ogrn = models.CharField("ОГРН", max_length=13, blank=True)
    inn = models.CharField("ИНН", max_length=10, blank=True)
    kpp = models.CharField("КПП", max_length=9, blank=True)
    # where a refusal is appealed above the director (the notice of decision names it)
    superior_body = models.CharField(
        "вышестоящий орган", max_length=500, blank=True,
        help_text="Орган исполнительной власти субъекта в сфере социальной защиты: в него обжалуются решения директора.",
    )  # fmt: skip
    is_active = models.BooleanField("действует", default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "учреждение (район)"
        verbose_name_plural = "учреждения (районы)"
        ordering = ["short_name"]

    def __str__(self) -> str:
        return self.short_name


class OfficeScopedQuerySet(models.QuerySet):
    """`.for_user(user)`: the records of the user's own office, or all for a regional user."""

    office_field = "office"

    def for_user(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_all_offices:
            return self
        if user.office_id is None:
            return self.none()
        return self.filter(self.office_q(user.office_id))

    def office_q(self, office_id: int) -> models.Q:
        """The records an office sees (a record that concerns two offices says so here)."""
        return models.Q(**{self.office_field: office_id})


class User(AbstractUser):
    office = models.ForeignKey(
        Office,
        verbose_name="учреждение",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    middle_name = models.CharField("отчество", max_length=150, blank=True)
    position = models.CharField("должность", max_length=200, blank=True)

    history = HistoricalRecords(excluded_fields=["last_login", "password"])
    objects = UserManager()

    class Meta:
        verbose_name = "пользователь"
        verbose_name_plural = "пользователи"
        ordering = ["last_name", "first_name"]
        permissions = [
            ("view_all_offices", "Видит данные всех учреждений"),
            ("view_office_reports", "Видит сводки и отчёты учреждения"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    @property
    def short_name(self) -> str:
        """«Иванова А. С.» for signatures and lists (non-breaking spaces)."""
        return short_name(self.last_name, self.first_name, self.middle_name) or self.username

    @property
    def sees_all_offices(self) -> bool:
        # asked on every scoped query; a user object lives for one request, so cache it there
        cached = self.__dict__.get("_sees_all_offices")
        if cached is None:
            cached = self.is_superuser or self.has_perm("onewindow.view_all_offices")
            self.__dict__["_sees_all_offices"] = cached
        return cached

    @property
    def role_names(self) -> list[str]:
        if not hasattr(self, "_role_names"):
            names = set(self.groups.values_list("name", flat=True))
            self._role_names = [r for r in roles.ALL_ROLES if r in names]
        return self._role_names

    def has_role(self, *names: str) -> bool:
        return any(name in self.role_names for name in names)

    @property
    def role_display(self) -> str:
        if self.role_names:
            return ", ".join(self.role_names)
        return "Суперпользователь" if self.is_superuser else "роль не назначена"


class AccessLogQuerySet(OfficeScopedQuerySet):
    def office_q(self, office_id: int) -> models.Q:
        """An office sees its users' events and every attempt on its own records, whoever made it
        (a refusal on another office's record is that office's business too)."""
        return models.Q(office_id=office_id) | models.Q(subject_office_id=office_id)


class AccessLog(models.Model):
    """Who looked at whose personal data, when, from where, and whether it was allowed (152-ФЗ)."""

    class Result(models.TextChoices):
        ALLOWED = "allowed", "разрешено"
        REFUSED = "refused", "отказано"

    at = models.DateTimeField("время", default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="пользователь",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="access_log",
    )
    username = models.CharField("учётная запись", max_length=150, blank=True)
    office = models.ForeignKey(
        Office, verbose_name="учреждение", on_delete=models.PROTECT, null=True, blank=True
    )
    event = models.CharField("событие", max_length=64, db_index=True)
    subject_type = models.CharField("вид объекта", max_length=64, blank=True)
    subject_id = models.CharField("идентификатор объекта", max_length=64, blank=True, db_index=True)
    subject_repr = models.CharField("о ком / о чём", max_length=300, blank=True)
    # normalise_text(subject_repr): case-insensitive Cyrillic search on SQLite too
    subject_search = models.CharField(max_length=300, blank=True, editable=False)
    result = models.CharField("результат", max_length=16, choices=Result.choices)
    ip_address = models.GenericIPAddressField("адрес", null=True, blank=True)
    user_agent = models.CharField("программа", max_length=300, blank=True)
    path = models.CharField("адрес страницы", max_length=500, blank=True)
    detail = models.CharField("подробности", max_length=500, blank=True)
    # the office whose record was looked at (it sees the event, allowed or refused)
    subject_office = models.ForeignKey(
        Office,
        verbose_name="учреждение, чья запись",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Tamper evidence (onewindow/audit.py: seal, verify): each sealed row's digest covers the
    # previous row's digest, its own fields and `pd_digest`, the digest of the personal data it
    # names as written (a destroyed person's row is redacted and keeps that digest).
    seq = models.BigIntegerField("номер в цепочке", null=True, blank=True, unique=True)
    prev_digest = models.CharField("хеш предыдущей записи", max_length=64, blank=True)
    digest = models.CharField("хеш записи", max_length=64, blank=True)
    pd_digest = models.CharField(max_length=64, blank=True, editable=False)
    redacted = models.BooleanField("обезличена", default=False)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = "запись журнала доступа"
        verbose_name_plural = "журнал доступа к персональным данным"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["office", "-at"]),
            models.Index(fields=["user", "-at"]),
            models.Index(fields=["subject_office", "-at"], name="accesslog_subject_office"),
            # the sealer's queue: rows not yet in the chain
            models.Index(
                fields=["id"], name="accesslog_unsealed", condition=models.Q(seq__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.username} {self.event} {self.subject_repr}"

    def save(self, *args, **kwargs):
        self.subject_search = normalize_text(self.subject_repr)[:300]
        if not self.redacted:
            self.pd_digest = self.personal_digest()
        super().save(*args, **kwargs)

    def personal_digest(self) -> str:
        """The digest of the fields that may name a person (erased when the person is destroyed)."""
        return _digest(self.subject_repr, self.path, self.detail, self.user_agent)

    def chain_digest(self, prev_digest: str, seq: int) -> str:
        return _digest(
            prev_digest,
            seq,
            self.at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
            self.user_id or "",
            self.username,
            self.office_id or "",
            self.subject_office_id or "",
            self.event,
            self.subject_type,
            self.subject_id,
            self.result,
            self.ip_address or "",
            self.pd_digest,
        )

    @property
    def event_display(self) -> str:
        return EVENT_TITLES.get(self.event, self.event)


def _digest(*parts) -> str:
    text = "\x1f".join(str(part) for part in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class AccessLogChain(models.Model):
    """The head of the access log's hash chain: one row, locked while rows are sealed; it also
    remembers where the chain starts after old rows were removed by the retention rule."""

    seq = models.BigIntegerField(default=0)
    digest = models.CharField(max_length=64, blank=True)
    # after a purge the first kept row's `prev_digest` is this, at this position
    start_seq = models.BigIntegerField(default=0)
    start_digest = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = "цепочка журнала доступа"
        verbose_name_plural = "цепочка журнала доступа"

    def __str__(self) -> str:
        return f"№ {self.seq}, {self.digest[:16]}"


class JobQuerySet(OfficeScopedQuerySet):
    pass


class Job(models.Model):
    """A background job as a database row: the Celery task gets its id, claims it once, and
    records progress, result and error here, so a redelivered task does no harm."""

    class Status(models.TextChoices):
        QUEUED = "queued", "в очереди"
        RUNNING = "running", "выполняется"
        DONE = "done", "готово"
        FAILED = "failed", "ошибка"

    kind = models.CharField("вид", max_length=64)
    status = models.CharField(
        "состояние", max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    office = models.ForeignKey(
        Office, verbose_name="учреждение", on_delete=models.PROTECT, null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто запустил",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    params = models.JSONField("параметры", default=dict, blank=True)
    progress = models.PositiveIntegerField("выполнено", default=0)
    total = models.PositiveIntegerField("всего", default=0)
    result = models.JSONField("результат", default=dict, blank=True)
    error = models.TextField("ошибка", blank=True)
    worker = models.CharField("исполнитель", max_length=200, blank=True)
    created_at = models.DateTimeField("создано", auto_now_add=True)
    started_at = models.DateTimeField("начато", null=True, blank=True)
    finished_at = models.DateTimeField("завершено", null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = "фоновая задача"
        verbose_name_plural = "фоновые задачи"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.progress * 100 / self.total))


class CalendarOverride(models.Model):
    """A day the production calendar package does not know yet (a new decree): it makes the
    day working or non-working, whatever `holidays.RU` says."""

    date = models.DateField(
        "дата", unique=True, error_messages={"unique": "На эту дату исключение уже внесено."}
    )
    is_working = models.BooleanField("рабочий день")
    reason = models.CharField(
        "основание", max_length=300, help_text="Например: постановление Правительства РФ от … № …"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "исключение производственного календаря"
        verbose_name_plural = "исключения производственного календаря"
        ordering = ["date"]

    def __str__(self) -> str:
        kind = "рабочий" if self.is_working else "выходной"
        return f"{self.date:%d.%m.%Y}: {kind} ({self.reason})"


class Sequence(models.Model):
    """Gapless numbering (journal numbers, case-file numbers) per office, name and year.

    `onewindow.numbering.next_number` takes the row with SELECT … FOR UPDATE inside the caller's
    transaction: a rolled-back registration rolls its number back too, so numbers have no gaps
    and no duplicates however many counters register at once."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=32)
    year = models.PositiveIntegerField(default=0)
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "счётчик номеров"
        verbose_name_plural = "счётчики номеров"
        constraints = [
            models.UniqueConstraint(fields=["office", "name", "year"], name="sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.office_id}/{self.name}/{self.year}: {self.last_value}"


class Handover(models.Model):
    """Передача дел: all open work of one specialist handed to another, for a period or for good."""

    class Reason(models.TextChoices):
        LEAVE = "leave", "отпуск"
        TRIP = "trip", "командировка"
        ILLNESS = "illness", "болезнь"
        DISMISSAL = "dismissal", "увольнение"
        OTHER = "other", "иное"

    class Status(models.TextChoices):
        ACTIVE = "active", "действует"
        RETURNED = "returned", "дела возвращены"
        FINAL = "final", "передано окончательно"

    office = models.ForeignKey(
        Office, verbose_name="учреждение", on_delete=models.PROTECT, related_name="+"
    )
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто передаёт",
        on_delete=models.PROTECT,
        related_name="handovers_given",
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кому",
        on_delete=models.PROTECT,
        related_name="handovers_taken",
    )
    reason = models.CharField("основание", max_length=16, choices=Reason.choices)
    # the director's order the handover follows (leave, trip, dismissal are made by an order)
    order_number = models.CharField("№ приказа", max_length=50, blank=True)
    order_date = models.DateField("дата приказа", null=True, blank=True)
    permanent = models.BooleanField("окончательно (без возврата)", default=False)
    starts_on = models.DateField("с")
    ends_on = models.DateField("по", null=True, blank=True)
    status = models.CharField(
        "состояние", max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    number = models.PositiveIntegerField("номер акта")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="оформил", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("оформлено", auto_now_add=True)
    returned_at = models.DateTimeField("возвращено", null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто вернул",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField("примечание", blank=True)

    history = HistoricalRecords()
    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "передача дел"
        verbose_name_plural = "передачи дел"
        ordering = ["-created_at"]
        permissions = [("handover_own", "Передаёт свои дела")]
        constraints = [
            models.UniqueConstraint(fields=["office", "number"], name="handover_number_unique")
        ]

    def __str__(self) -> str:
        return f"Передача дел № {self.number}"


class HandoverItem(models.Model):
    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField("вид", max_length=32)
    object_id = models.PositiveBigIntegerField()
    description = models.CharField("дело", max_length=500)
    due_date = models.DateField("срок", null=True, blank=True)
    returned = models.BooleanField("возвращено", default=False)

    class Meta:
        verbose_name = "переданное дело"
        verbose_name_plural = "переданные дела"
        ordering = ["handover", "kind", "due_date", "id"]

    def __str__(self) -> str:
        return self.description


class AssignmentQuerySet(OfficeScopedQuerySet):
    def open(self):
        return self.filter(status=Assignment.Status.OPEN)

    def overdue(self, today: datetime.date):
        return self.open().filter(due_date__lt=today)


class Assignment(models.Model):
    """Поручение: the chief's instruction to a specialist, with a due date in working days and,
    optionally, the record it concerns (an applicant, an application, a request, a selection
    item: any model an app registers with `onewindow.assignments.register_target`, linked
    generically so that this layer imports no app)."""

    class Status(models.TextChoices):
        OPEN = "open", "на исполнении"
        DONE = "done", "выполнено"
        CANCELLED = "cancelled", "отменено"

    office = models.ForeignKey(
        Office, verbose_name="учреждение", on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveIntegerField("номер")
    year = models.PositiveIntegerField("год")
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто дал поручение",
        on_delete=models.PROTECT,
        related_name="assignments_given",
    )
    given_at = models.DateTimeField("дано", default=timezone.now)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="исполнитель",
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    text = models.TextField("поручение")
    due_date = models.DateField("срок исполнения")
    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name="вид записи, которой касается",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    object_id = models.PositiveBigIntegerField("запись, которой касается", null=True, blank=True)
    about = GenericForeignKey("content_type", "object_id")
    status = models.CharField(
        "состояние", max_length=16, choices=Status.choices, default=Status.OPEN
    )
    done_at = models.DateTimeField("выполнено", null=True, blank=True)
    done_note = models.TextField("что сделано", blank=True)
    cancelled_at = models.DateTimeField("отменено", null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто отменил",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cancel_reason = models.CharField("причина отмены", max_length=500, blank=True)

    history = HistoricalRecords()
    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "поручение"
        verbose_name_plural = "поручения"
        ordering = ["due_date", "id"]
        permissions = [("give_assignment", "Даёт поручения специалистам")]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "year", "number"], name="assignment_number_unique"
            )
        ]
        indexes = [
            models.Index(fields=["office", "status", "due_date"], name="assignment_office_open"),
            models.Index(fields=["assignee", "status", "due_date"], name="assignment_assignee"),
            models.Index(fields=["content_type", "object_id"], name="assignment_about"),
        ]

    def __str__(self) -> str:
        return f"Поручение № {self.number_display}"

    @property
    def number_display(self) -> str:
        return f"{self.number}/{self.year}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def work_title(self) -> str:
        text = " ".join(self.text.split())
        if len(text) > 120:
            text = text[:119].rstrip() + "…"
        return f"Поручение № {self.number_display} ({self.given_by.short_name}): {text}"


class ReportQuerySet(OfficeScopedQuerySet):
    """A report of an office is that office's; a report of every office (`office` empty) is seen
    only by a user who sees all offices (`for_user` leaves it out for everyone else)."""


class Report(models.Model):
    """A report for a period, formed by hand or by the monthly beat task: its figures are kept
    as they were on the day it was formed (JSON); the page, the XLSX and the PDF are drawn from
    them, so every copy of a report says the same whatever changes later."""

    kind = models.CharField("вид отчёта", max_length=32)
    office = models.ForeignKey(
        Office, verbose_name="учреждение (пусто — все учреждения)", on_delete=models.PROTECT,
        null=True, blank=True, related_name="reports",
    )  # fmt: skip
    period_start = models.DateField("период с")
    period_end = models.DateField("период по")
    formed_at = models.DateTimeField("сформирован", default=timezone.now)
    formed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="кто сформировал (пусто — автоматически)",
        on_delete=models.PROTECT, null=True, blank=True, related_name="+",
    )  # fmt: skip
    # the monthly report of the director, formed by the beat task: one per office and month
    automatic = models.BooleanField("ежемесячный, сформирован автоматически", default=False)
    data = models.JSONField("показатели", default=dict, blank=True)

    history = HistoricalRecords()
    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = "отчёт"
        verbose_name_plural = "отчёты"
        ordering = ["-formed_at", "-id"]
        permissions = [("form_report", "Формирует отчёты")]
        indexes = [models.Index(fields=["office", "-formed_at"], name="report_office_formed")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")),
                name="report_period_order",
            ),
            # The beat task may run twice (a retry, two beat processes): the monthly report of
            # an office, and the one of all offices, exist once. Two constraints, because NULL
            # offices are distinct to a unique index.
            models.UniqueConstraint(
                fields=["kind", "office", "period_start", "period_end"],
                condition=models.Q(automatic=True, office__isnull=False),
                name="report_monthly_once_per_office",
            ),
            models.UniqueConstraint(
                fields=["kind", "period_start", "period_end"],
                condition=models.Q(automatic=True, office__isnull=True),
                name="report_monthly_once_for_all",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return report_title(self.kind, self.period_start, self.period_end)

    @property
    def scope_display(self) -> str:
        return self.office.short_name if self.office_id else "все учреждения"
