"""The REST API's own rows: per-user tokens (hashed, with expiry and last use) and the answers
kept for an `Idempotency-Key`."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from rest_framework_api_key.models import AbstractAPIKey, BaseAPIKeyManager
from simple_history.models import HistoricalRecords


class ApiTokenManager(BaseAPIKeyManager):
    def get_usable_keys(self):
        return super().get_usable_keys().select_related("user", "user__office")


class ApiToken(AbstractAPIKey):
    """A key another system calls the API with, on behalf of one user (his office, his role).

    Issued and revoked by an administrator in the admin; the key is shown once, when issued,
    and only its SHA-512 is stored (djangorestframework-api-key). Revoking cannot be undone."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="пользователь", on_delete=models.CASCADE,
        related_name="api_tokens",
        help_text="Ключ действует от имени этого пользователя: его учреждение и его роль.",
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="кто выдал", on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    last_used_at = models.DateTimeField("последнее обращение", null=True, blank=True)
    last_used_ip = models.GenericIPAddressField("адрес последнего обращения", null=True, blank=True)

    objects = ApiTokenManager()
    history = HistoricalRecords(excluded_fields=["last_used_at", "last_used_ip"])

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "ключ API"
        verbose_name_plural = "ключи API"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…, {self.user})"


class IdempotentRequest(models.Model):
    """The answer to a POST that registered something, kept under the client's
    `Idempotency-Key`: the same key again gets the same answer and registers nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField("ключ", max_length=200)
    endpoint = models.CharField("адрес", max_length=300)
    fingerprint = models.CharField("отпечаток тела запроса", max_length=64)
    status_code = models.PositiveSmallIntegerField("код ответа", null=True, blank=True)
    response = models.JSONField("ответ", null=True, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField("получен", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "повторяемый запрос API"
        verbose_name_plural = "повторяемые запросы API"
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotent_request_unique")
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.endpoint}"
