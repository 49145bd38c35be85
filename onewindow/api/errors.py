"""Every error of the API as JSON of one shape, with a stable machine code and Russian text:

    {"code": "validation_error", "message": "Исправьте поля запроса.",
     "fields": {"snils": [{"code": "snils", "message": "Неверное контрольное число СНИЛС…"}]}}

`fields` is there only when a field is at fault. A refusal of the service layer (`DomainError`:
a duplicate application, a transition not allowed from the current state) is 409 with code
«refused»; one that names a field is a 400 at that field."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from onewindow.errors import DomainError

logger = logging.getLogger(__name__)

MESSAGES = {
    "validation_error": "Исправьте поля запроса.",
    "malformed_request": "Тело запроса не разобрано: ожидается JSON.",
    "not_authenticated": "Нужна аутентификация: заголовок «Authorization: Token <ключ>».",
    "permission_denied": "Недостаточно прав для этого действия.",
    "not_found": "Запись не найдена.",
    "method_not_allowed": "Метод не поддерживается этим адресом.",
    "unsupported_media_type": "Неподдерживаемый тип содержимого запроса.",
    "not_acceptable": "Ответ в запрошенном формате не предоставляется.",
    "throttled": "Слишком много запросов: подождите и повторите.",
    "too_large": "Тело запроса больше допустимого.",
    "refused": "Действие невозможно.",
    "server_error": "Внутренняя ошибка сервера. Сообщите администратору.",
}

# the services name the counter form's fields; the API's fields are named as its serializers say
FIELD_NAMES = {
    "representative_kind": "representative.kind",
    "representative_name": "representative.name",
    "representative_document": "representative.document",
    "representative_authority": "representative.authority",
    "org_inn": "intake.organisation.inn",
    "org_ogrn": "intake.organisation.ogrn",
    "org_name": "intake.organisation.name",
    "org_address": "intake.organisation.address",
    "applicant_category": "intake.applicant_category",
    "family_children": "intake.family_children",
    "family_adults": "intake.family_adults",
    "event_date": "intake.event_date",
}

STATUS_CODES = {
    exceptions.ParseError: ("malformed_request", status.HTTP_400_BAD_REQUEST),
    exceptions.AuthenticationFailed: ("not_authenticated", status.HTTP_401_UNAUTHORIZED),
    exceptions.NotAuthenticated: ("not_authenticated", status.HTTP_401_UNAUTHORIZED),
    exceptions.PermissionDenied: ("permission_denied", status.HTTP_403_FORBIDDEN),
    exceptions.NotFound: ("not_found", status.HTTP_404_NOT_FOUND),
    exceptions.MethodNotAllowed: ("method_not_allowed", status.HTTP_405_METHOD_NOT_ALLOWED),
    exceptions.NotAcceptable: ("not_acceptable", status.HTTP_406_NOT_ACCEPTABLE),
    exceptions.UnsupportedMediaType: (
        "unsupported_media_type",
        status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
    ),
    exceptions.Throttled: ("throttled", status.HTTP_429_TOO_MANY_REQUESTS),
}


def body(code: str, message: str = "", fields: dict | None = None) -> dict:
    data = {"code": code, "message": message or MESSAGES.get(code, "")}
    if fields:
        data["fields"] = fields
    return data


def field_errors(detail) -> dict:
    """DRF's nested detail as {"field": [{"code", "message"}]} (nested objects and lists of
    objects by dotted path: «documents.2.status»)."""
    out: dict[str, list] = {}

    def walk(node, path: str) -> None:
        if isinstance(node, dict):
            for name, child in node.items():
                walk(child, f"{path}.{name}" if path else str(name))
        elif isinstance(node, list):
            if all(isinstance(item, exceptions.ErrorDetail | str) for item in node):
                for item in node:
                    out.setdefault(path or "non_field_errors", []).append(
                        {"code": getattr(item, "code", "invalid"), "message": str(item)}
                    )
            else:
                for index, child in enumerate(node):
                    if child:
                        walk(child, f"{path}.{index}" if path else str(index))
        else:
            out.setdefault(path or "non_field_errors", []).append(
                {"code": getattr(node, "code", "invalid"), "message": str(node)}
            )

    walk(detail, "")
    return out


def django_validation_fields(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if name == "__all__" else name): [
                {"code": error.code or "invalid", "message": " ".join(error.messages)}
                for error in errors
            ]
            for name, errors in exc.error_dict.items()
        }
    return {
        "non_field_errors": [
            {"code": error.code or "invalid", "message": " ".join(error.messages)}
            for error in exc.error_list
        ]
    }


def exception_handler(exc, context):
    headers = {}
    if isinstance(exc, exceptions.ValidationError):
        data, code = body("validation_error", fields=field_errors(exc.detail)), 400
    elif isinstance(exc, DjangoValidationError):
        data, code = body("validation_error", fields=django_validation_fields(exc)), 400
    elif isinstance(exc, DomainError) and exc.field:
        # a rule of the service layer about one field: bad input like any other
        field = FIELD_NAMES.get(exc.field, exc.field)
        if field.startswith("doc_"):
            field = "documents"
        fields = {field: [{"code": "refused", "message": exc.message}]}
        data, code = body("validation_error", exc.message, fields), 400
    elif isinstance(exc, DomainError):
        # a refusal by the state of things (a duplicate, a transition not allowed now)
        data, code = body("refused", exc.message), status.HTTP_409_CONFLICT
    elif isinstance(exc, Http404):
        data, code = body("not_found"), 404
    elif isinstance(exc, DjangoPermissionDenied):
        data, code = body("permission_denied", str(exc) or ""), 403
    elif isinstance(exc, RequestDataTooBig | TooManyFieldsSent):
        data, code = body("too_large"), status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    elif isinstance(exc, exceptions.APIException):
        name, code = next(
            ((name, code) for cls, (name, code) in STATUS_CODES.items() if isinstance(exc, cls)),
            (exc.default_code, exc.status_code),
        )
        detail = exc.detail if isinstance(exc.detail, str) else ""
        data = body(name, _russian(name, detail))
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None) is not None:
            headers["Retry-After"] = str(int(exc.wait))
        if name == "not_authenticated":
            code = status.HTTP_401_UNAUTHORIZED
    else:
        return None  # a bug: Django's 500 (api_server_error answers it as JSON)
    set_rollback()
    return Response(data, status=code, headers=headers)


def _russian(code: str, detail: str) -> str:
    """DRF's own texts are translated (LANGUAGE_CODE ru); ours are kept as given."""
    return detail or MESSAGES.get(code, "")


@csrf_exempt  # nothing is changed here: a POST to no endpoint is a 404 like a GET
def not_found(request, *args, **kwargs) -> JsonResponse:
    """An address under /api/ that no endpoint answers."""
    return JsonResponse(body("not_found", "Такого адреса в API нет."), status=404)


def server_error(request) -> JsonResponse:
    return JsonResponse(body("server_error"), status=500)
