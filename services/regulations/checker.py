"""`Checker`: reads one value of the parsed document, or notes what is wrong with it and where.

Every method returns a clean value (or an empty one) and never raises, so that one pass over
the file collects every error."""

from __future__ import annotations

import datetime

from services.regulations.errors import kind_of
from services.regulations.schema import CODE_RE


class Checker:
    """Collects the errors of one file, each with its path (`services[0].documents[2].code`)."""

    def __init__(self):
        self.errors: list[str] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}" if path else message)

    def mapping(self, value, path, allowed: set[str]) -> dict | None:
        if not isinstance(value, dict):
            self.error(path, f"ожидается словарь полей, получено: {kind_of(value)}")
            return None
        for key in value:
            if key not in allowed:
                self.error(f"{path}.{key}" if path else str(key), "неизвестное поле")
        return value

    def listing(self, value, path) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(path, f"ожидается список, получено: {kind_of(value)}")
            return []
        return value

    def text(self, data, key, path, *, required=False, max_length=1000) -> str:
        value = data.get(key)
        full = f"{path}.{key}" if path else key
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(full, "обязательное поле")
            return ""
        if isinstance(value, bool | dict | list):
            self.error(full, f"ожидается текст, получено: {kind_of(value)}")
            return ""
        value = str(value).strip()
        if len(value) > max_length:
            self.error(full, f"слишком длинный текст ({len(value)} знаков, не более {max_length})")
        return value

    def code(self, data, key, path) -> str:
        value = self.text(data, key, path, required=True, max_length=64)
        full = f"{path}.{key}"
        if value and not CODE_RE.match(value):
            self.error(
                full, f"неверный код «{value}»: допустимы строчные латинские буквы, цифры и дефис"
            )
            return ""
        return value

    def date(self, data, key, path, *, required=False) -> datetime.date | None:
        value = data.get(key)
        full = f"{path}.{key}" if path else key
        if value is None or value == "":
            if required:
                self.error(full, "обязательное поле")
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip()
        for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
            try:
                return datetime.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        self.error(full, f"неверная дата «{text}»: ожидается ГГГГ-ММ-ДД")
        return None

    def boolean(self, data, key, path) -> bool | None:
        if key not in data or data[key] is None:
            return None
        value = data[key]
        if not isinstance(value, bool):
            self.error(f"{path}.{key}", f"ожидается true или false, получено {kind_of(value)}")
            return None
        return value

    def texts(self, data, key, path, *, max_length=1000) -> list[str]:
        """A list of non-empty texts (a single text is taken as a list of one)."""
        value = data.get(key)
        full = f"{path}.{key}" if path else key
        if isinstance(value, str):
            value = [value]
        cleaned = []
        for i, item in enumerate(self.listing(value, full)):
            if not isinstance(item, str | int) or isinstance(item, bool) or not str(item).strip():
                self.error(f"{full}[{i}]", "ожидается текст")
            elif len(str(item).strip()) > max_length:
                self.error(f"{full}[{i}]", f"слишком длинный текст (не более {max_length} знаков)")
            else:
                cleaned.append(str(item).strip())
        return cleaned

    def choice(
        self, data, key, path, allowed: set[str], *, default: str | None = None
    ) -> str | None:
        if key not in data or data[key] is None:
            return default
        value = data[key]
        if not isinstance(value, str) or value not in allowed:
            shown = value if not isinstance(value, dict | list) else kind_of(value)
            self.error(
                f"{path}.{key}",
                f"недопустимое значение «{shown}»: допустимо {', '.join(sorted(allowed))}",
            )
            return None
        return value

    def positive_int(self, data, key, path, message, maximum: int = 365) -> int | None:
        if key not in data or data[key] is None:
            return None
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            shown = value if not isinstance(value, dict | list) else kind_of(value)
            self.error(f"{path}.{key}", f"{message}, получено «{shown}»")
            return None
        if value > maximum:
            self.error(f"{path}.{key}", f"слишком большое значение {value} (не более {maximum})")
            return None
        return value
