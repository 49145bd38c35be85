"""The electronic queue of the reception hall: service groups with their ticket letters, the
windows (counter places), opening hours, out-of-turn categories, and the tickets themselves.

Groups and categories are regional reference data; windows, hours and tickets belong to an
office. Every write goes through `cases.services.queue`; the admin edits the reference data.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from cases.models.applications import Application
from cases.models.people import Applicant
from onewindow.models import Office, OfficeScopedQuerySet

WEEKDAYS = [
    (0, "понедельник"),
    (1, "вторник"),
    (2, "среда"),
    (3, "четверг"),
    (4, "пятница"),
    (5, "суббота"),
    (6, "воскресенье"),
]

DEFAULT_LAST_TICKET_MINUTES = 40
DEFAULT_SERVICE_MINUTES = 15
DEFAULT_SLOT_MINUTES = 15


class ServiceGroup(models.Model):
    """What a visitor picks at the kiosk («Пособия на детей»): a ticket letter and the catalogue
    services the group covers. A kiosk shows the groups that a window of its office serves."""

    title = models.CharField("название на кнопке", max_length=120)
    letter = models.CharField(
        "буква талона",
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^[А-ЯЁ]{1,2}$", "Одна или две заглавные русские буквы.")],
    )
    hint = models.CharField("пояснение на кнопке", max_length=300, blank=True)
    services = models.ManyToManyField(
        "services.Service", verbose_name="услуги", blank=True, related_name="queue_groups"
    )
    service_minutes = models.PositiveSmallIntegerField(
        "среднее время приёма, мин",
        default=DEFAULT_SERVICE_MINUTES,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text="Для оценки ожидания, пока за день не набралось своих данных.",
    )
    slot_minutes = models.PositiveSmallIntegerField(
        "длина интервала записи, мин",
        default=DEFAULT_SLOT_MINUTES,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
        help_text="Предварительная запись: приём делится на такие интервалы; в каждый можно "
        "записать столько посетителей, сколько окон обслуживает группу.",
    )
    order = models.PositiveSmallIntegerField("порядок на киоске", default=10)
    is_active = models.BooleanField("действует", default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "группа услуг очереди"
        verbose_name_plural = "группы услуг очереди"
        ordering = ["order", "letter"]

    def __str__(self) -> str:
        return f"{self.letter} — {self.title}"


class PriorityCategory(models.Model):
    """A category of citizens served out of turn (data: the list changes with the law)."""

    title = models.CharField("категория", max_length=200, unique=True)
    basis = models.CharField("основание", max_length=300, blank=True)
    order = models.PositiveSmallIntegerField("порядок", default=10)
    is_active = models.BooleanField("действует", default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "категория внеочередного обслуживания"
        verbose_name_plural = "категории внеочередного обслуживания"
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title


class WindowQuerySet(OfficeScopedQuerySet):
    def active(self):
        return self.filter(is_active=True)

    def held_by(self, user, day: datetime.date):
        """The window `user` sits at on `day` (at most one)."""
        return self.filter(specialist=user, specialist_on=day, is_active=True)


class Window(models.Model):
    """A counter place of an office with the groups it serves and who sits at it today."""

    office = models.ForeignKey(
        Office, verbose_name="учреждение", on_delete=models.PROTECT, related_name="queue_windows"
    )
    number = models.PositiveSmallIntegerField("номер окна", validators=[MinValueValidator(1)])
    label = models.CharField("подпись (кабинет)", max_length=100, blank=True)
    groups = models.ManyToManyField(
        ServiceGroup, verbose_name="группы услуг", related_name="windows", blank=True
    )
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="специалист",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="queue_windows",
    )
    specialist_on = models.DateField("специалист за окном в день", null=True, blank=True)
    is_active = models.BooleanField("действует", default=True)

    history = HistoricalRecords()
    objects = WindowQuerySet.as_manager()

    class Meta:
        verbose_name = "окно приёма"
        verbose_name_plural = "окна приёма"
        ordering = ["office", "number"]
        constraints = [
            models.UniqueConstraint(fields=["office", "number"], name="queue_window_number"),
        ]

    def __str__(self) -> str:
        return f"Окно {self.number}"


class OpeningHours(models.Model):
    """When an office receives visitors on a weekday. A day off of the production calendar is
    closed whatever the row says; a shortened pre-holiday day closes an hour earlier; tickets
    stop `last_ticket_minutes` before closing."""

    office = models.ForeignKey(
        Office, verbose_name="учреждение", on_delete=models.CASCADE, related_name="queue_hours"
    )
    weekday = models.PositiveSmallIntegerField("день недели", choices=WEEKDAYS)
    opens_at = models.TimeField("начало приёма")
    closes_at = models.TimeField("окончание приёма")
    last_ticket_minutes = models.PositiveSmallIntegerField(
        "последний талон за, мин до окончания",
        default=DEFAULT_LAST_TICKET_MINUTES,
        validators=[MaxValueValidator(240)],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "часы приёма"
        verbose_name_plural = "часы приёма"
        ordering = ["office", "weekday"]
        constraints = [
            models.UniqueConstraint(fields=["office", "weekday"], name="queue_hours_weekday"),
            models.CheckConstraint(
                condition=Q(opens_at__lt=models.F("closes_at")), name="queue_hours_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()}: {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"


BOOKING_CODE_ALPHABET = (
    "2345679АВЕКМНРСТХ"  # no 0 (О), 1, 8 (В): read out on the phone without doubt
)
BOOKING_CODE_LENGTH = 6


class BookingQuerySet(OfficeScopedQuerySet):
    def active(self):
        return self.filter(status__in=(Booking.Status.BOOKED, Booking.Status.CHECKED_IN))


class Booking(models.Model):
    """A visitor booked for a slot of a group's reception (on the phone, or through the API):
    they check in at the kiosk with the code and are called at the slot's time."""

    class Status(models.TextChoices):
        BOOKED = "booked", "записан"
        CHECKED_IN = "checked_in", "пришёл, талон выдан"
        CANCELLED = "cancelled", "отменена"
        NO_SHOW = "no_show", "не пришёл"

    office = models.ForeignKey(
        Office, verbose_name="учреждение", on_delete=models.PROTECT, related_name="queue_bookings"
    )
    group = models.ForeignKey(
        ServiceGroup, verbose_name="группа услуг", on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField("день")
    starts_at = models.DateTimeField("начало интервала")
    visitor_name = models.CharField("посетитель", max_length=200)
    visitor_phone = models.CharField("телефон", max_length=30)
    applicant = models.ForeignKey(
        Applicant,
        verbose_name="заявитель",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="queue_bookings",
    )
    code = models.CharField("код записи", max_length=BOOKING_CODE_LENGTH, unique=True)
    status = models.CharField(
        "состояние", max_length=12, choices=Status.choices, default=Status.BOOKED
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="записал",
        on_delete=models.PROTECT,
        related_name="+",
    )
    booked_at = models.DateTimeField("записан")
    cancelled_at = models.DateTimeField("отменена", null=True, blank=True)
    checked_in_at = models.DateTimeField("пришёл", null=True, blank=True)

    history = HistoricalRecords()
    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = "предварительная запись"
        verbose_name_plural = "предварительные записи"
        ordering = ["office", "starts_at", "pk"]
        indexes = [
            models.Index(fields=["office", "day", "group"], name="queue_booking_day_group"),
            # the periodic task's «booked, and the slot is past»
            models.Index(fields=["status", "starts_at"], name="queue_booking_status_start"),
        ]

    def __str__(self) -> str:
        return f"Запись {self.code}"


class TicketQuerySet(OfficeScopedQuerySet):
    def of_day(self, office_id: int, day: datetime.date):
        return self.filter(office_id=office_id, day=day)

    def waiting(self):
        return self.filter(status=Ticket.Status.WAITING)


class Ticket(models.Model):
    """A visitor's place in the queue: «А-015» (the group's letter, a number per group, office
    and day), with every moment of its way through the hall."""

    class Status(models.TextChoices):
        WAITING = "waiting", "ожидает"
        CALLED = "called", "вызван"
        SERVING = "serving", "на приёме"
        DONE = "done", "обслужен"
        NO_SHOW = "no_show", "не явился"

    office = models.ForeignKey(
        Office, verbose_name="учреждение", on_delete=models.PROTECT, related_name="queue_tickets"
    )
    day = models.DateField("день")
    group = models.ForeignKey(
        ServiceGroup, verbose_name="группа услуг", on_delete=models.PROTECT, related_name="+"
    )
    # the letter and number the visitor holds: a redirect to another group keeps them
    letter = models.CharField("буква", max_length=2)
    number = models.PositiveIntegerField("номер")
    priority_category = models.ForeignKey(
        PriorityCategory,
        verbose_name="вне очереди",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        "состояние", max_length=10, choices=Status.choices, default=Status.WAITING
    )
    window = models.ForeignKey(
        Window,
        verbose_name="окно",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        help_text="Окно, которое вызвало талон или ведёт приём.",
    )
    target_window = models.ForeignKey(
        Window,
        verbose_name="направлен в окно",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    served_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="специалист",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    issued_at = models.DateTimeField("выдан")
    called_at = models.DateTimeField("вызван впервые", null=True, blank=True)
    last_called_at = models.DateTimeField("вызван последний раз", null=True, blank=True)
    call_count = models.PositiveSmallIntegerField("вызовов", default=0)
    started_at = models.DateTimeField("приём начат", null=True, blank=True)
    finished_at = models.DateTimeField("приём завершён", null=True, blank=True)
    no_show_at = models.DateTimeField("отмечен неявившимся", null=True, blank=True)
    redirected_at = models.DateTimeField("перенаправлен", null=True, blank=True)
    applicant = models.ForeignKey(
        Applicant,
        verbose_name="заявитель",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="queue_tickets",
    )
    applications = models.ManyToManyField(
        Application, verbose_name="заявления", blank=True, related_name="queue_tickets"
    )
    booking = models.OneToOneField(
        Booking,
        verbose_name="предварительная запись",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ticket",
    )
    booked_for = models.DateTimeField(
        "время по записи",
        null=True,
        blank=True,
        help_text="Начало интервала записи: талон вызывают в это время раньше живой очереди.",
    )
    # the kiosk form's token: a double tap gets the ticket of the first tap
    kiosk_token = models.UUIDField("ключ повтора", null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["kiosk_token"])
    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = "талон очереди"
        verbose_name_plural = "талоны очереди"
        ordering = ["office", "day", "issued_at", "pk"]
        permissions = [
            ("use_kiosk", "Выдаёт талоны очереди (киоск)"),
            ("view_queue_display", "Показывает табло очереди"),
            ("serve_queue", "Вызывает посетителей к окну"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "day", "letter", "number"], name="queue_ticket_number"
            ),
            models.UniqueConstraint(
                fields=["office", "kiosk_token"],
                condition=Q(kiosk_token__isnull=False),
                name="queue_ticket_kiosk_token",
            ),
        ]
        indexes = [
            models.Index(fields=["office", "day", "status"], name="queue_ticket_day_status"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return f"{self.letter}-{self.number:03d}"

    @property
    def is_priority(self) -> bool:
        return self.priority_category_id is not None

    @property
    def is_booked(self) -> bool:
        return self.booked_for is not None

    @property
    def is_current(self) -> bool:
        return self.status in (self.Status.CALLED, self.Status.SERVING)
