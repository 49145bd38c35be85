"""Reading a change file: bytes to the parsed YAML or JSON document, every failure said in
Russian with its place."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import yaml

from services import file_errors
from services.regulations.errors import RegulationFileError, kind_of
from services.regulations.schema import MAX_FILE_BYTES


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_document(data: bytes, file_name: str = "") -> Any:
    """Bytes -> the parsed YAML or JSON document, or RegulationFileError."""
    if len(data) > MAX_FILE_BYTES:
        size = f"{len(data) / 1024 / 1024:.1f}".replace(".", ",")
        raise RegulationFileError([f"файл слишком большой: {size} МБ (допустимо не более 2 МБ)"])
    if not data.strip():
        raise RegulationFileError(["файл пуст"])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RegulationFileError(
            [
                f"файл не в кодировке UTF-8 (неверный байт 0x{data[exc.start]:02X} в позиции "
                f"{exc.start}); сохраните файл в UTF-8"
            ]
        ) from None
    if "\x00" in text:
        raise RegulationFileError(["файл не текстовый (содержит нулевые байты)"])
    is_json = file_name.lower().endswith(".json") or text.lstrip().startswith("{")
    # The parsers' English becomes Russian with the place (services.file_errors).
    try:
        if is_json:
            document = json.loads(text)
        else:
            document = yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise RegulationFileError([file_errors.json_error(exc)]) from None
    except yaml.YAMLError as exc:
        raise RegulationFileError([file_errors.yaml_error(exc, text)]) from None
    except ValueError:  # an impossible date such as 2026-02-30 in a YAML date field
        raise RegulationFileError([file_errors.bad_date(text)]) from None
    except RecursionError:
        raise RegulationFileError([file_errors.DEEP.format(depth=file_errors.MAX_DEPTH)]) from None
    problem = file_errors.shape_error(document)
    if problem:
        raise RegulationFileError([problem])
    if document is None:
        raise RegulationFileError(["файл пуст"])
    if not isinstance(document, dict):
        raise RegulationFileError(
            [
                "ожидается описание изменения (поля regulation, effective_from, services), "
                f"получено: {kind_of(document)}"
            ]
        )
    return document
