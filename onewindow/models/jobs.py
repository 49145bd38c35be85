"""Background jobs as rows; the production calendar's overrides; gapless numbering."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from onewindow.models.base import Office, OfficeScopedQuerySet


class JobQuerySet(OfficeScopedQuerySet):
    pass


class Job(models.Model):
    """A background job as a database row: the Celery task gets its id, claims it once, and
    records progress, result and error here, so a redelivered task does no harm. A job whose
    worker died while running it is taken over and restarted from scratch, once
    (`onewindow.jobs`, `onewindow.liveness`); `attempt` names the attempt that holds it."""

    class Status(models.TextChoices):
        QUEUED = "queued", "в очереди"
        RUNNING = "running", "выполняется"
        # its worker died (onewindow/liveness.py): it is restarted from scratch, once
        INTERRUPTED = "interrupted", "прервана, будет перезапущена"
        DONE = "done", "готово"
        FAILED = "failed", "ошибка"

    UNFINISHED = (Status.QUEUED, Status.RUNNING, Status.INTERRUPTED)
    MAX_ATTEMPTS = 2  # the first attempt and one restart after its worker died

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
    # what the job is doing now («загрузка», «сопоставление»), shown with its progress
    step = models.CharField("этап", max_length=100, blank=True)
    result = models.JSONField("результат", default=dict, blank=True)
    error = models.TextField("ошибка", blank=True)
    worker = models.CharField("исполнитель", max_length=200, blank=True)
    created_at = models.DateTimeField("создано", auto_now_add=True)
    started_at = models.DateTimeField("начато", null=True, blank=True)
    finished_at = models.DateTimeField("завершено", null=True, blank=True)
    # the attempt that holds the job: a former attempt (its worker taken for dead) cannot write
    attempt = models.CharField("попытка", max_length=32, blank=True)
    attempts = models.PositiveSmallIntegerField("попыток выполнения", default=0)
    interrupted_at = models.DateTimeField("прервана (когда обнаружено)", null=True, blank=True)

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
