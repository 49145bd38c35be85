"""`Idempotency-Key` on every POST that registers something.

The first request with a key runs, in one transaction with the row that keeps its answer; a
retry with the same key (a lost answer, a timeout, a double send) gets that answer back with
`Idempotent-Replayed: true` and registers nothing. Keys are the client's own (per user); the
same key with another body or address is refused (422), so a client bug is not taken for a
retry. A request that failed keeps no answer: its retry runs again."""

from __future__ import annotations

import datetime
import functools
import hashlib
import json

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response

from onewindow.models import IdempotentRequest

HEADER = "Idempotency-Key"
PARAMETER = OpenApiParameter(
    HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Ключ повтора (до 200 символов, например UUID): тот же ключ ещё раз — тот же ответ, "
        "повторной регистрации нет."
    ),
)


class KeyReused(APIException):
    status_code = 422
    default_code = "idempotency_key_reused"
    default_detail = "Этот Idempotency-Key уже использован для другого запроса: для нового запроса нужен новый ключ."


def fingerprint(request) -> str:
    """The request body as parsed (files by name, size and digest), so the same JSON with keys
    in another order is the same request."""
    data = {}
    for name, value in request.data.items():
        if hasattr(value, "read"):
            digest = hashlib.sha256()
            for chunk in value.chunks():
                digest.update(chunk)
            value.seek(0)
            data[name] = [value.name, value.size, digest.hexdigest()]
        else:
            data[name] = value
    text = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def key_of(request) -> str:
    key = request.headers.get(HEADER, "").strip()
    if len(key) > 200:
        raise ValidationError({HEADER: ["Не длиннее 200 символов."]})
    return key


def idempotent(method):
    """Decorate a view's POST handler (an APIView method or a ViewSet action)."""

    @functools.wraps(method)
    def wrapper(self, request, *args, **kwargs):
        key = key_of(request)
        if not key:
            return method(self, request, *args, **kwargs)
        endpoint = f"{request.method} {request.path}"[:300]
        print_ = fingerprint(request)
        try:
            with transaction.atomic():
                record, created = IdempotentRequest.objects.select_for_update().get_or_create(
                    user=request.user, key=key,
                    defaults={"endpoint": endpoint, "fingerprint": print_},
                )  # fmt: skip
                if not created:
                    return _replay(record, endpoint, print_)
                response = method(self, request, *args, **kwargs)
                if 200 <= response.status_code < 300:
                    record.status_code = response.status_code
                    record.response = response.data
                    record.save(update_fields=["status_code", "response"])
                else:
                    transaction.set_rollback(True)
                return response
        except IntegrityError:
            # a concurrent request with the same key committed first: its answer
            record = IdempotentRequest.objects.get(user=request.user, key=key)
            return _replay(record, endpoint, print_)

    return wrapper


def _replay(record: IdempotentRequest, endpoint: str, print_: str) -> Response:
    if record.endpoint != endpoint or record.fingerprint != print_:
        raise KeyReused()
    return Response(
        record.response, status=record.status_code, headers={"Idempotent-Replayed": "true"}
    )


def purge(*, now: datetime.datetime | None = None) -> int:
    """Answers older than API_IDEMPOTENCY_DAYS go (a daily beat task)."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.API_IDEMPOTENCY_DAYS)
    deleted, _ = IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()
    return deleted
