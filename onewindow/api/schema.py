"""The error answers as the schema documents them: one shape (onewindow.api.errors) per code."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

FieldError = inline_serializer(
    "FieldError",
    fields={
        "code": serializers.CharField(help_text="Машинный код ошибки поля"),
        "message": serializers.CharField(help_text="Что не так — по-русски"),
    },
)

Error = inline_serializer(
    "Error",
    fields={
        "code": serializers.CharField(help_text="Машинный код: validation_error, refused, not_found, …"),
        "message": serializers.CharField(help_text="Сообщение по-русски"),
        "fields": serializers.DictField(
            child=serializers.ListField(child=FieldError), required=False,
            help_text="Ошибки по полям: «поле» (вложенные — через точку) → список ошибок",
        ),
    },
)  # fmt: skip

DESCRIPTIONS = {
    400: "Ошибка в запросе (поля, формат, JSON)",
    401: "Нет ключа API, ключ неизвестен, отозван, просрочен, или пользователь отключён",
    403: "Роли не дано это действие",
    404: "Записи нет (или она другого учреждения)",
    409: "Отказ по состоянию дел (повтор, уже сделано, недопустимый переход)",
    413: "Тело запроса больше допустимого",
    415: "Неподдерживаемый тип содержимого",
    422: "Idempotency-Key уже использован для другого запроса",
    429: "Слишком много неверных ключей с этого адреса",
}


def errors(*codes: int) -> dict:
    """`responses` entries for these error codes (401 and 429 are added to every one)."""
    wanted = sorted({*codes, 401, 429})
    return {
        (code, "application/json"): OpenApiResponse(response=Error, description=DESCRIPTIONS[code])
        for code in wanted
    }


def russian_descriptions(result, generator, request, public):
    """Postprocessing hook: the descriptions DRF writes in English (path ids, pages) in Russian."""
    replacements = {
        "A unique integer value identifying this ": "id записи: ",
        "A page number within the paginated result set.": "Номер страницы (с 1).",
        "Number of results to return per page.": "Записей на странице (не больше 200).",
        "Which field to use when ordering the results.": "Поле сортировки; «-» перед ним — по убыванию.",
    }

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "description" and isinstance(value, str):
                    for old, new in replacements.items():
                        value = value.replace(old, new)
                    node[key] = value
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(result)
    return result
