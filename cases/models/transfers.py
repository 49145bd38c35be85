"""Transfer of a person's case file between offices of the installation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from cases.models.people import Applicant, CaseFile
from onewindow.identity import NotInFuture, validate_no_control_characters
from onewindow.models import Office, OfficeScopedQuerySet


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
    stated_name = models.CharField(
        "ФИО (со слов заявителя)", max_length=300, validators=[validate_no_control_characters]
    )
    stated_birth_date = models.DateField(
        "дата рождения (со слов заявителя)",
        validators=[NotInFuture("Дата рождения не может быть в будущем.")],
    )
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
