"""Handovers of a person's open work, and the chief's assignments (поручения)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from onewindow.models.base import Office, OfficeScopedQuerySet


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
