"""Reports formed for a period and an office, their figures kept as formed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from onewindow.models.base import Office, OfficeScopedQuerySet
from onewindow.report_parts import report_title


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
