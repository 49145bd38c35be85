"""The personal-data access log and its hash chain (tamper evidence)."""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone

from onewindow.events import EVENT_TITLES
from onewindow.models.base import Office, OfficeScopedQuerySet
from onewindow.text import normalize_text


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
