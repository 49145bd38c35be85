"""Query parameters several endpoints share."""

from __future__ import annotations

import datetime

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

ON_DATE = OpenApiParameter(
    "on", datetime.date, description="Дата (ISO 8601, ГГГГ-ММ-ДД); по умолчанию — сегодня"
)


def date_param(request, name: str = "on", default: datetime.date | None = None) -> datetime.date:
    """A date of the query string (ISO 8601), today by default; a wrong one is a 400 at it."""
    raw = request.query_params.get(name, "")
    if not raw:
        return default or timezone.localdate()
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise serializers.ValidationError(
            {name: [f"Дата в формате ГГГГ-ММ-ДД (ISO 8601), получено «{raw[:40]}»."]}
        ) from None
