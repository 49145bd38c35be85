"""`Authorization: Token <key>`: a per-user key issued in the admin (onewindow.models.ApiToken).

A key that is unknown, revoked, expired or whose user is deactivated is refused with 401 and
written to the access log; a client (by address) that keeps failing is throttled with 429
before its keys are even looked at."""

from __future__ import annotations

import datetime

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.throttling import SimpleRateThrottle

from onewindow.audit import client_ip, log_access
from onewindow.models import ApiToken

KEYWORD = "Token"
LAST_USE_EVERY = datetime.timedelta(seconds=60)  # how stale `last_used_at` may get


class FailedTokenThrottle(SimpleRateThrottle):
    """Counts refused keys per client address (django's cache); `allow_request` is asked
    before a key is checked, `failed` after a refusal."""

    scope = "api_token_failures"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def blocked(self, request) -> bool:
        self.key = self.get_cache_key(request, None)
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        return len(self.history) >= self.num_requests

    def failed(self, request) -> None:
        self.blocked(request)
        self.history.insert(0, self.now)
        self.cache.set(self.key, self.history, self.duration)


class TokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1", "replace")
        keyword, _, key = header.partition(" ")
        if keyword.lower() != KEYWORD.lower():
            return None  # not ours: the session may authenticate the request
        throttle = FailedTokenThrottle()
        if throttle.blocked(request):
            raise exceptions.Throttled(
                wait=throttle.wait(),
                detail="Слишком много неверных ключей API с этого адреса: подождите и повторите.",
            )
        key = key.strip()
        token = self._token(key)
        reason = self._refusal(token)
        if reason:
            throttle.failed(request)
            log_access(
                request._request, event="api_token_refused", allowed=False,
                username=token.user.get_username() if token else "",
                detail=f"{reason} (ключ {key.partition('.')[0][:8] or '—'}…)",
            )  # fmt: skip
            raise exceptions.AuthenticationFailed(reason, code="token_invalid")
        self._note_use(token, request)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return KEYWORD

    @staticmethod
    def _token(key: str) -> ApiToken | None:
        if not key or "." not in key:
            return None
        try:
            return ApiToken.objects.get_from_key(key)
        except ApiToken.DoesNotExist:
            return None

    @staticmethod
    def _refusal(token: ApiToken | None) -> str:
        if token is None:
            return "Ключ API неизвестен или отозван."
        if token.has_expired:
            return (
                f"Срок действия ключа API истёк {timezone.localtime(token.expiry_date):%d.%m.%Y}."
            )
        if not token.user.is_active:
            return "Учётная запись, которой выдан ключ API, отключена."
        return ""

    @staticmethod
    def _note_use(token: ApiToken, request) -> None:
        now = timezone.now()
        ip = client_ip(request._request)
        if (
            token.last_used_at
            and now - token.last_used_at < LAST_USE_EVERY
            and token.last_used_ip == ip
        ):
            return
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=ip)


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "onewindow.api.authentication.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Ключ API, выданный администратором: `Token <ключ>`.",
        }
