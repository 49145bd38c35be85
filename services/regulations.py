"""Regulation change files: read, validate, compare with the catalogue, apply.

    change = parse_change(data, file_name)        # RegulationFileError with every error
    plan = build_plan(change, today=...)           # the difference; RegulationFileError if it conflicts
    plan.diff                                      # JSON-able, for the preview and the record
    apply_plan(plan, actor=..., allow_past=...)    # one transaction

The web page and `manage.py load_regulations` (and `load_catalogue`) all go through here.
The file format is documented in docs/regulations.md.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from services import file_errors
from services.models import (
    ApplicantKind,
    DayKind,
    DeadlineStart,
    DocumentType,
    EligibilityCondition,
    Ground,
    Regulation,
    RegulationLoad,
    RequiredDocument,
    Service,
    ServiceVersion,
    days_display,
)

MAX_FILE_BYTES = 2 * 1024 * 1024
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
ONE_DAY = datetime.timedelta(days=1)

REGULATION_KEYS = {"kind", "number", "date", "title", "issued_by", "amendments"}
DOCUMENT_TYPE_KEYS = {"code", "title", "issuing_agency", "interagency"}
SERVICE_KEYS = {
    "code", "action", "title", "short_title", "department", "issues_document", "deadline_days", "allow_incomplete",
    "requires_consent", "on_death", "applicant_categories", "notes", "effective_from", "effective_to",
    "documents", "add_documents", "remove_documents",
    "deadline_kind", "deadline_from", "notice_days", "notice_kind", "payment_days", "payment_kind",
    "apply_within", "applicants", "result", "result_form", "eligibility", "grounds", "unverified",
    "reason",
}  # fmt: skip
# Keys of one document, and those a «one of» group sets for all its members.
MEMBER_KEYS = {"code", "form", "copies", "interagency"}
GROUP_KEYS = {"required", "condition", "valid_months", "for_categories", "per_member", "applies_to"}
DOCUMENT_KEYS = MEMBER_KEYS | GROUP_KEYS
ONE_OF_KEYS = {"one_of", "title"} | GROUP_KEYS
TOP_KEYS = {"regulation", "effective_from", "document_types", "services"}
ACTIONS = {"add", "change", "retire"}
FORMS = {choice.value for choice in RequiredDocument.Form}
KINDS = {choice.value for choice in Regulation.Kind}
DAY_KINDS = {choice.value for choice in DayKind}
PERIOD_KINDS = {DayKind.WORKING.value, DayKind.CALENDAR.value}
DEADLINE_STARTS = {choice.value for choice in DeadlineStart}
APPLICANT_KINDS = {choice.value for choice in ApplicantKind}
PER_MEMBER = {choice.value for choice in RequiredDocument.PerMember if choice.value}
APPLIES_TO = {choice.value for choice in RequiredDocument.AppliesTo if choice.value}
GROUND_KINDS = {choice.value: choice.label for choice in Ground.Kind}

# Versioned fields of a service with their Russian names, in display order.
VERSION_FIELDS = {
    "deadline_days": "срок принятия решения",
    "deadline_kind": "срок исчисляется",
    "deadline_from": "срок отсчитывается",
    "notice_days": "срок уведомления о решении",
    "notice_kind": "срок уведомления исчисляется",
    "payment_days": "срок выплаты",
    "payment_kind": "срок выплаты исчисляется",
    "apply_within_months": "обратиться в течение, месяцев",
    "apply_within_days": "обратиться в течение, дней",
    "apply_event": "срок обращения — со дня",
    "applicants": "кто может обратиться",
    "allow_incomplete": "приём при неполном комплекте",
    "requires_consent": "согласие на обработку персональных данных",
    "on_death": "услуга в связи со смертью получателя",
    "applicant_categories": "категории заявителей",
    "result": "результат услуги",
    "result_form": "форма результата",
    "eligibility": "условия предоставления",
    "grounds": "основания отказа и приостановления",
    "notes": "примечания",
    "unverified": "требует проверки",
}
SERVICE_FIELDS = {
    "title": "полное наименование",
    "short_title": "краткое наименование",
    "department": "отдел, принимающий решение",
    "issues_document": "результат — документ (справка, удостоверение)",
}
DOCUMENT_FIELDS = {
    "required": "обязательность",
    "condition": "условие",
    "form": "форма",
    "copies": "экземпляров",
    "interagency": "межведомственный запрос",
    "group": "группа «один из»",
    "group_title": "наименование группы",
    "valid_months": "срок действия, месяцев",
    "for_categories": "только для категорий",
    "per_member": "количество",
    "applies_to": "когда нужен",
}
# Display of coded values in the difference.
CODE_LABELS = {
    "deadline_kind": dict(DayKind.choices),
    "notice_kind": dict(DayKind.choices),
    "payment_kind": dict(DayKind.choices),
    "deadline_from": dict(DeadlineStart.choices),
    "applicants": dict(ApplicantKind.choices),
    "per_member": dict(RequiredDocument.PerMember.choices),
    "applies_to": dict(RequiredDocument.AppliesTo.choices),
}
EMPTY_VERSION = {
    "deadline_days": None, "deadline_kind": DayKind.WORKING.value,
    "deadline_from": DeadlineStart.REGISTRATION.value, "notice_days": None,
    "notice_kind": DayKind.WORKING.value, "payment_days": None, "payment_kind": DayKind.WORKING.value,
    "apply_within_months": None, "apply_within_days": None, "apply_event": "",
    "applicants": [ApplicantKind.CITIZEN.value], "allow_incomplete": False, "requires_consent": False,
    "on_death": False, "applicant_categories": [], "result": "", "result_form": "", "eligibility": [],
    "grounds": [], "notes": "", "unverified": "",
}  # fmt: skip


class RegulationFileError(Exception):
    """The file cannot be loaded; `errors` lists every reason with its path in the file."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


# --- Reading ----------------------------------------------------------------------------------


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
                f"получено: {_kind_of(document)}"
            ]
        )
    return document


def _kind_of(value: Any) -> str:
    if isinstance(value, list):
        return "список"
    if isinstance(value, dict):
        return "словарь"
    if isinstance(value, bool):
        return "логическое значение"
    if isinstance(value, int | float):
        return "число"
    return f"«{str(value)[:60]}»"


# --- Validation -------------------------------------------------------------------------------


@dataclass
class DocSpec:
    path: str
    code: str
    required: bool = True
    condition: str = ""
    form: str = RequiredDocument.Form.BOTH
    copies: int = 1
    interagency: bool | None = None  # None: the document type's flag
    group: int | None = None  # members of one «one of» group share the number
    group_title: str = ""
    valid_months: int | None = None
    for_categories: list[str] = field(default_factory=list)
    per_member: str = ""
    applies_to: str = ""

    def as_tuple(self, types: dict[str, dict]) -> tuple:
        interagency = self.interagency
        if interagency is None:
            interagency = types.get(self.code, {}).get("interagency", False)
        return (
            self.code, self.required, self.condition, self.form, self.copies, interagency,
            self.group, self.group_title, self.valid_months, tuple(self.for_categories),
            self.per_member, self.applies_to,
        )  # fmt: skip


def _number_groups(checklist: list[DocSpec]) -> list[DocSpec]:
    """Groups numbered 1, 2, … in order of appearance; a group left with one member (the
    others removed) is an ordinary document."""
    sizes: dict[int, int] = {}
    for doc in checklist:
        if doc.group is not None:
            sizes[doc.group] = sizes.get(doc.group, 0) + 1
    numbers: dict[int, int] = {}
    for doc in checklist:
        if doc.group is None:
            continue
        if sizes[doc.group] < 2:
            doc.group, doc.group_title = None, ""
            continue
        doc.group = numbers.setdefault(doc.group, len(numbers) + 1)
    return checklist


@dataclass
class ServiceSpec:
    path: str
    code: str
    action: str
    fields: dict[str, Any]
    effective_from: datetime.date | None
    effective_to: datetime.date | None
    documents: list[DocSpec] | None = None
    add_documents: list[DocSpec] = field(default_factory=list)
    remove_documents: list[tuple[str, str]] = field(default_factory=list)  # (path, code)
    reason: str = ""  # why a service is retired


@dataclass
class Change:
    regulation: dict | None
    effective_from: datetime.date | None
    document_types: list[dict]
    services: list[ServiceSpec]


class _Checker:
    def __init__(self):
        self.errors: list[str] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}" if path else message)

    def mapping(self, value, path, allowed: set[str]) -> dict | None:
        if not isinstance(value, dict):
            self.error(path, f"ожидается словарь полей, получено: {_kind_of(value)}")
            return None
        for key in value:
            if key not in allowed:
                self.error(f"{path}.{key}" if path else str(key), "неизвестное поле")
        return value

    def listing(self, value, path) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(path, f"ожидается список, получено: {_kind_of(value)}")
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
            self.error(full, f"ожидается текст, получено: {_kind_of(value)}")
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
            self.error(f"{path}.{key}", f"ожидается true или false, получено {_kind_of(value)}")
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
            shown = value if not isinstance(value, dict | list) else _kind_of(value)
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
            shown = value if not isinstance(value, dict | list) else _kind_of(value)
            self.error(f"{path}.{key}", f"{message}, получено «{shown}»")
            return None
        if value > maximum:
            self.error(f"{path}.{key}", f"слишком большое значение {value} (не более {maximum})")
            return None
        return value


def parse_change(
    data: bytes, file_name: str = "", *, effective_from: datetime.date | None = None
) -> Change:
    """Read and validate a change file as a whole; RegulationFileError lists every error.
    `effective_from` replaces the file's own date (not a service's own `effective_from`): the
    admin's explicit choice, e.g. to try the documented example on any day."""
    document = read_document(data, file_name)
    if effective_from is not None:
        document = {**document, "effective_from": effective_from}
    return validate_change(document)


def validate_change(document: dict) -> Change:
    check = _Checker()
    check.mapping(document, "", TOP_KEYS)

    regulation = None
    if "regulation" in document:
        raw = check.mapping(document["regulation"], "regulation", REGULATION_KEYS)
        if raw is not None:
            kind = check.text(raw, "kind", "regulation", required=True, max_length=40)
            if kind and kind.lower() not in KINDS:
                check.error(
                    "regulation.kind",
                    f"неизвестный вид акта «{kind}»: допустимо {', '.join(sorted(KINDS))}",
                )
            regulation = {
                "kind": kind.lower(),
                "number": check.text(raw, "number", "regulation", required=True, max_length=50),
                "date": check.date(raw, "date", "regulation", required=True),
                "title": check.text(raw, "title", "regulation", required=True),
                "issued_by": check.text(raw, "issued_by", "regulation", max_length=500),
                "amendments": check.texts(raw, "amendments", "regulation", max_length=300),
            }
    effective_from = check.date(document, "effective_from", "")

    # Document types declared in the file.
    document_types: list[dict] = []
    seen_types: dict[str, str] = {}
    for index, raw in enumerate(check.listing(document.get("document_types"), "document_types")):
        path = f"document_types[{index}]"
        if check.mapping(raw, path, DOCUMENT_TYPE_KEYS) is None:
            continue
        code = check.code(raw, "code", path)
        if code in seen_types:
            check.error(f"{path}.code", f"вид документа «{code}» уже описан в {seen_types[code]}")
        elif code:
            seen_types[code] = path
        document_types.append(
            {
                "path": path,
                "code": code,
                "title": check.text(raw, "title", path, required=True, max_length=500),
                "issuing_agency": check.text(raw, "issuing_agency", path, max_length=300),
                "interagency": bool(check.boolean(raw, "interagency", path)),
            }
        )

    known_types = set(DocumentType.objects.values_list("code", flat=True)) | set(seen_types)
    known_services = set(Service.objects.values_list("code", flat=True))

    services: list[ServiceSpec] = []
    raw_services = check.listing(document.get("services"), "services")
    if raw_services and regulation is None and "regulation" not in document:
        check.error("regulation", "обязательное поле: изменение услуг вносится нормативным актом")
    for index, raw in enumerate(raw_services):
        path = f"services[{index}]"
        if check.mapping(raw, path, SERVICE_KEYS) is None:
            continue
        spec = _validate_service(check, raw, path, known_types, known_services)
        if spec is None:
            continue
        if spec.effective_from is None:
            spec.effective_from = effective_from
            if effective_from is None:
                check.error(
                    f"{path}.effective_from",
                    "не указана дата вступления в силу (effective_from файла или услуги)",
                )
        if spec.effective_to and spec.effective_from and spec.effective_to < spec.effective_from:
            check.error(f"{path}.effective_to", "дата окончания раньше даты вступления в силу")
        services.append(spec)

    # One version in force per service per day: periods of the same service must not overlap.
    by_code: dict[str, list[ServiceSpec]] = {}
    for spec in services:
        by_code.setdefault(spec.code, []).append(spec)
    for code, specs in by_code.items():
        for i, first in enumerate(specs):
            for second in specs[i + 1 :]:
                if _overlaps(first, second):
                    check.error(
                        second.path,
                        f"период действия пересекается с {first.path} для услуги «{code}»",
                    )

    if check.errors:
        raise RegulationFileError(check.errors)
    return Change(regulation, effective_from, document_types, services)


def _overlaps(a: ServiceSpec, b: ServiceSpec) -> bool:
    if a.effective_from is None or b.effective_from is None:
        return False
    far = datetime.date.max
    return a.effective_from <= (b.effective_to or far) and b.effective_from <= (
        a.effective_to or far
    )


def _validate_service(check, raw, path, known_types, known_services) -> ServiceSpec | None:
    code = check.code(raw, "code", path)
    action = check.text(raw, "action", path, max_length=10) or "change"
    if action not in ACTIONS:
        check.error(
            f"{path}.action", f"неизвестное действие «{action}»: допустимо add, change, retire"
        )
        return None
    if code and action in {"change", "retire"} and code not in known_services:
        check.error(
            f"{path}.code",
            f"неизвестная услуга «{code}»; чтобы добавить новую услугу, укажите action: add",
        )

    fields: dict[str, Any] = {}
    for key in ("title", "short_title", "department"):
        value = check.text(raw, key, path, required=(key == "title" and action == "add"),
                           max_length={"title": 1000, "short_title": 200}.get(key, 300))  # fmt: skip
        if key in raw and value:
            fields[key] = value
    deadline_kind = check.choice(raw, "deadline_kind", path, DAY_KINDS)
    if deadline_kind is not None:
        fields["deadline_kind"] = deadline_kind
    if deadline_kind == DayKind.SAME_DAY and raw.get("deadline_days") in (None, 0):
        fields["deadline_days"] = 0
    else:
        deadline = check.positive_int(
            raw, "deadline_days", path, "срок должен быть целым положительным числом дней"
        )
        if deadline is not None:
            fields["deadline_days"] = deadline
        elif action == "add" and "deadline_days" not in raw:
            check.error(f"{path}.deadline_days", "обязательное поле для новой услуги")
    for key, allowed in (("deadline_from", DEADLINE_STARTS), ("notice_kind", PERIOD_KINDS),
                         ("payment_kind", PERIOD_KINDS)):  # fmt: skip
        value = check.choice(raw, key, path, allowed)
        if value is not None:
            fields[key] = value
    for key in ("notice_days", "payment_days"):
        if key in raw:  # null removes the service's own period
            fields[key] = check.positive_int(
                raw, key, path, "срок должен быть целым положительным числом дней"
            )
    if "apply_within" in raw:
        fields.update(_validate_window(check, raw["apply_within"], f"{path}.apply_within"))
    if "applicants" in raw:
        kinds = []
        for i, item in enumerate(check.listing(raw["applicants"], f"{path}.applicants")):
            if item not in APPLICANT_KINDS:
                check.error(
                    f"{path}.applicants[{i}]",
                    f"недопустимое значение {_kind_of(item)}: допустимо citizen, organisation",
                )
            elif item not in kinds:
                kinds.append(item)
        if not kinds and isinstance(raw["applicants"], list):
            check.error(
                f"{path}.applicants", "укажите, кто может обратиться: citizen, organisation"
            )
        fields["applicants"] = [k for k in APPLICANT_ORDER if k in kinds]
    for key, limit in (("result", 500), ("result_form", 500), ("unverified", 2000)):
        if key in raw:
            fields[key] = check.text(raw, key, path, max_length=limit)
    if "eligibility" in raw:
        fields["eligibility"] = _validate_conditions(
            check, raw["eligibility"], f"{path}.eligibility"
        )
    if "grounds" in raw:
        fields["grounds"] = _validate_grounds(check, raw["grounds"], f"{path}.grounds")
    for key in ("allow_incomplete", "requires_consent", "on_death", "issues_document"):
        value = check.boolean(raw, key, path)
        if value is not None:
            fields[key] = value
    if "applicant_categories" in raw:
        categories = check.listing(raw["applicant_categories"], f"{path}.applicant_categories")
        cleaned = []
        for i, item in enumerate(categories):
            if not isinstance(item, str) or not item.strip():
                check.error(f"{path}.applicant_categories[{i}]", "ожидается текст")
            else:
                cleaned.append(item.strip())
        fields["applicant_categories"] = cleaned
    if "notes" in raw:
        fields["notes"] = check.text(raw, "notes", path, max_length=5000)

    spec = ServiceSpec(
        path=path,
        code=code,
        action=action,
        fields=fields,
        effective_from=check.date(raw, "effective_from", path),
        effective_to=check.date(raw, "effective_to", path),
    )
    if action == "retire":
        extra = set(raw) - {"code", "action", "effective_from", "reason"}
        for key in sorted(extra):
            check.error(
                f"{path}.{key}",
                "для action: retire указываются только code, effective_from и reason",
            )
        spec.reason = check.text(raw, "reason", path, max_length=2000)
        return spec
    if "reason" in raw:
        check.error(f"{path}.reason", "причина указывается только для action: retire")

    has_full = "documents" in raw
    has_delta = "add_documents" in raw or "remove_documents" in raw
    if has_full and has_delta:
        check.error(
            path, "укажите либо documents (весь перечень), либо add_documents/remove_documents"
        )
    if has_full:
        spec.documents = _validate_documents(
            check, raw["documents"], f"{path}.documents", known_types
        )
        if not spec.documents and isinstance(raw["documents"], list):
            check.error(f"{path}.documents", "перечень документов не может быть пустым")
    elif action == "add":
        check.error(f"{path}.documents", "для новой услуги нужен перечень документов")
    if "add_documents" in raw:
        spec.add_documents = _validate_documents(
            check, raw["add_documents"], f"{path}.add_documents", known_types
        )
    for i, item in enumerate(
        check.listing(raw.get("remove_documents"), f"{path}.remove_documents")
    ):
        item_path = f"{path}.remove_documents[{i}]"
        if not isinstance(item, str) or not CODE_RE.match(item):
            check.error(item_path, f"ожидается код документа, получено {_kind_of(item)}")
        else:
            spec.remove_documents.append((item_path, item))
    return spec


APPLICANT_ORDER = [ApplicantKind.CITIZEN.value, ApplicantKind.ORGANISATION.value]


def _validate_window(check, raw, path) -> dict:
    """`apply_within: {months: 6, event: "рождения ребёнка"}` (or days); null removes it."""
    empty = {"apply_within_months": None, "apply_within_days": None, "apply_event": ""}
    if raw is None:
        return empty
    if check.mapping(raw, path, {"months", "days", "event"}) is None:
        return empty
    months = check.positive_int(raw, "months", path, "число месяцев — целое положительное", 120)
    days = check.positive_int(raw, "days", path, "число дней — целое положительное", 3650)
    if months and days:
        check.error(path, "укажите months или days, не оба")
    elif not months and not days and "months" not in raw and "days" not in raw:
        check.error(path, "укажите срок обращения: months или days")
    return {
        "apply_within_months": months,
        "apply_within_days": None if months else days,
        "apply_event": check.text(raw, "event", path, required=True, max_length=200),
    }


def _validate_conditions(check, raw_list, path) -> list[list[str]]:
    """Eligibility conditions: texts, or {text, clause}. Kept as [text, clause] pairs."""
    conditions = []
    for i, raw in enumerate(check.listing(raw_list, path)):
        item_path = f"{path}[{i}]"
        if isinstance(raw, str):
            raw = {"text": raw}
        if check.mapping(raw, item_path, {"text", "clause"}) is None:
            continue
        text = check.text(raw, "text", item_path, required=True, max_length=2000)
        clause = check.text(raw, "clause", item_path, max_length=100)
        if text:
            conditions.append([text, clause])
    return conditions


def _validate_grounds(check, raw, path) -> list[list[str]]:
    """Grounds by kind, each with its clause: kept as [kind, clause, text] triples."""
    grounds = []
    if raw is None:
        return grounds
    if check.mapping(raw, path, set(GROUND_KINDS)) is None:
        return grounds
    for kind in GROUND_KINDS:  # a fixed order: acceptance, refusal, suspension
        for i, item in enumerate(check.listing(raw.get(kind), f"{path}.{kind}")):
            item_path = f"{path}.{kind}[{i}]"
            if check.mapping(item, item_path, {"clause", "text"}) is None:
                continue
            clause = check.text(item, "clause", item_path, required=True, max_length=100)
            text = check.text(item, "text", item_path, required=True, max_length=2000)
            if clause and text:
                grounds.append([kind, clause, text])
    return grounds


def _validate_documents(check, raw_list, path, known_types) -> list[DocSpec]:
    docs: list[DocSpec] = []
    seen: dict[str, str] = {}
    group = 0
    for index, raw in enumerate(check.listing(raw_list, path)):
        item_path = f"{path}[{index}]"
        if isinstance(raw, str):  # a bare code: a required document with defaults
            raw = {"code": raw}
        if isinstance(raw, dict) and "one_of" in raw:
            if check.mapping(raw, item_path, ONE_OF_KEYS) is None:
                continue
            group += 1
            shared = _group_keys(check, raw, item_path)
            title = check.text(raw, "title", item_path, max_length=300)
            members = check.listing(raw["one_of"], f"{item_path}.one_of")
            if len(members) < 2 and isinstance(raw["one_of"], list):
                check.error(
                    f"{item_path}.one_of", "в группе «один из» нужно не меньше двух документов"
                )
            for j, member in enumerate(members):
                member_path = f"{item_path}.one_of[{j}]"
                if isinstance(member, str):
                    member = {"code": member}
                if not isinstance(member, dict):
                    check.error(member_path, f"ожидается документ, получено: {_kind_of(member)}")
                    continue
                for key in sorted(set(member) & (GROUP_KEYS | {"one_of"})):
                    check.error(
                        f"{member_path}.{key}",
                        "в группе «один из» это поле указывается для группы, а не для документа",
                    )
                if (
                    check.mapping(member, member_path, MEMBER_KEYS | GROUP_KEYS | {"one_of"})
                    is None
                ):
                    continue
                doc = _member(check, member, member_path, known_types, seen)
                doc.group, doc.group_title = group, title
                for key, value in shared.items():
                    setattr(doc, key, value)
                docs.append(doc)
            continue
        if check.mapping(raw, item_path, DOCUMENT_KEYS) is None:
            continue
        doc = _member(check, raw, item_path, known_types, seen)
        for key, value in _group_keys(check, raw, item_path).items():
            setattr(doc, key, value)
        docs.append(doc)
    return docs


def _member(check, raw, item_path, known_types, seen) -> DocSpec:
    code = check.code(raw, "code", item_path)
    if code and code not in known_types:
        check.error(f"{item_path}.code", f"неизвестный тип документа «{code}»")
    if code in seen:
        check.error(f"{item_path}.code", f"документ «{code}» указан дважды (см. {seen[code]})")
    elif code:
        seen[code] = item_path
    form = check.text(raw, "form", item_path, max_length=16) or RequiredDocument.Form.BOTH
    if form not in FORMS:
        check.error(
            f"{item_path}.form", f"неизвестная форма «{form}»: допустимо original, copy, both"
        )
    copies = check.positive_int(
        raw,
        "copies",
        item_path,
        "число экземпляров должно быть целым числом не меньше 1",
        maximum=99,
    )
    return DocSpec(
        path=item_path,
        code=code,
        form=form,
        copies=copies or 1,
        interagency=check.boolean(raw, "interagency", item_path),
    )


def _group_keys(check, raw, item_path) -> dict:
    """Requirement, condition and applicability of a document or of a whole «one of» group."""
    condition = check.text(raw, "condition", item_path, max_length=500)
    required = check.boolean(raw, "required", item_path)
    if required is True and condition:
        check.error(item_path, "обязательный документ не может иметь условие (condition)")
    return {
        "required": (not condition) if required is None else required,
        "condition": condition,
        "valid_months": check.positive_int(
            raw, "valid_months", item_path, "срок действия — целое положительное число месяцев", 120
        ),
        "for_categories": check.texts(raw, "for_categories", item_path, max_length=500),
        "per_member": check.choice(raw, "per_member", item_path, PER_MEMBER, default="") or "",
        "applies_to": check.choice(raw, "applies_to", item_path, APPLIES_TO, default="") or "",
    }


# --- Planning: the difference against the catalogue -----------------------------------------


@dataclass
class ServicePlan:
    spec: ServiceSpec
    status: str  # added | changed | retired | unchanged
    service: Service | None
    current: ServiceVersion | None
    new_fields: dict[str, Any] = field(default_factory=dict)
    service_fields: dict[str, Any] = field(default_factory=dict)
    checklist: list[DocSpec] = field(default_factory=list)
    effective_to: datetime.date | None = None
    replace_current: bool = False
    diff: dict = field(default_factory=dict)


@dataclass
class Plan:
    change: Change
    regulation: Regulation | None
    services: list[ServicePlan]
    document_types: list[dict]
    diff: dict
    backdated: bool

    @property
    def has_changes(self) -> bool:
        return self.diff["has_changes"]


def _version_content(version: ServiceVersion) -> dict:
    content = {key: getattr(version, key) for key in VERSION_FIELDS if hasattr(version, key)}
    content["applicant_categories"] = list(version.applicant_categories or [])
    content["applicants"] = list(version.applicants or [ApplicantKind.CITIZEN.value])
    content["eligibility"] = [[c.text, c.clause] for c in version.conditions.all()]
    content["grounds"] = [[g.kind, g.clause, g.text] for g in version.grounds.all()]
    return content


def _version_checklist(version: ServiceVersion) -> list[DocSpec]:
    return [
        DocSpec(
            path="",
            code=doc.document_type.code,
            required=doc.required,
            condition=doc.condition,
            form=doc.form,
            copies=doc.copies,
            interagency=doc.interagency,
            group=doc.group,
            group_title=doc.group_title,
            valid_months=doc.valid_months,
            for_categories=list(doc.for_categories or []),
            per_member=doc.per_member,
            applies_to=doc.applies_to,
        )
        for doc in version.documents.select_related("document_type").order_by("order", "id")
    ]


def _display(value: Any, key: str = "") -> str:
    if isinstance(value, bool):
        return "да" if value else "нет"
    if key == "grounds":
        return (
            "; ".join(f"{GROUND_KINDS[kind]} — {clause}: «{text}»" for kind, clause, text in value)
            or "—"
        )
    if key == "eligibility":
        return "; ".join(f"{text} ({clause})" if clause else text for text, clause in value) or "—"
    labels = CODE_LABELS.get(key)
    if labels is not None:
        if isinstance(value, list):
            return "; ".join(labels.get(v, v) for v in value) or "—"
        return labels.get(value, value) if value else "—"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value) or "—"
    if value in (None, ""):
        return "—"
    return str(value)


def build_plan(change: Change, *, today: datetime.date | None = None) -> Plan:
    """Compare the change with the catalogue. Raises RegulationFileError on conflicts."""
    today = today or timezone.localdate()
    errors: list[str] = []

    type_info = {
        t.code: {"title": t.title, "interagency": t.interagency} for t in DocumentType.objects.all()
    }
    type_diff = []
    for spec in change.document_types:
        existing = type_info.get(spec["code"])
        if existing is None:
            type_diff.append({"code": spec["code"], "title": spec["title"], "status": "added"})
        else:
            current = DocumentType.objects.get(code=spec["code"])
            changes = [
                {"field": label, "old": _display(getattr(current, key)), "new": _display(spec[key])}
                for key, label in (
                    ("title", "наименование"),
                    ("issuing_agency", "кем выдаётся"),
                    ("interagency", "межведомственный запрос"),
                )
                if getattr(current, key) != spec[key]
            ]
            if changes:
                type_diff.append(
                    {
                        "code": spec["code"],
                        "title": spec["title"],
                        "status": "changed",
                        "changes": changes,
                    }
                )
        type_info[spec["code"]] = {"title": spec["title"], "interagency": spec["interagency"]}

    regulation = None
    regulation_status = None
    regulation_changes = []
    if change.regulation:
        r = change.regulation
        regulation = Regulation.objects.filter(
            kind=r["kind"], number=r["number"], date=r["date"]
        ).first()
        regulation_status = "existing" if regulation else "new"
        if regulation is not None:
            regulation_changes = [
                {"field": label, "old": _display(getattr(regulation, key)), "new": _display(r[key])}
                for key, label in (
                    ("title", "наименование"),
                    ("issued_by", "кем принят"),
                    ("amendments", "в редакции актов"),
                )
                if getattr(regulation, key) != r[key]
            ]
            if regulation_changes:
                regulation_status = "changed"

    plans: list[ServicePlan] = []
    backdated = False
    for spec in change.services:
        plan = _plan_service(spec, type_info, errors)
        if plan is None:
            continue
        if plan.status != "unchanged" and spec.effective_from < today:
            backdated = True
        plans.append(plan)

    if errors:
        raise RegulationFileError(errors)

    summary = {
        key: sum(1 for p in plans if p.status == key)
        for key in ("added", "changed", "retired", "unchanged")
    }
    has_changes = (
        bool(type_diff) or bool(regulation_changes) or any(p.status != "unchanged" for p in plans)
    )
    reg_display = None
    if change.regulation:
        r = change.regulation
        kind = r["kind"].capitalize()
        reg_display = f"{kind} от {r['date']:%d.%m.%Y} № {r['number']} «{r['title']}»"
        if r["amendments"]:
            reg_display += f" (в ред. {', '.join(r['amendments'])})"
    diff = {
        "regulation": {
            "status": regulation_status,
            "display": reg_display,
            "changes": regulation_changes,
        }
        if reg_display
        else None,
        "effective_from": change.effective_from.isoformat() if change.effective_from else None,
        "backdated": backdated,
        "today": today.isoformat(),
        "document_types": type_diff,
        "services": [p.diff for p in plans],
        "summary": summary,
        "has_changes": has_changes,
    }
    return Plan(change, regulation, plans, change.document_types, diff, backdated)


def _plan_service(spec: ServiceSpec, type_info: dict, errors: list[str]) -> ServicePlan | None:
    service = Service.objects.filter(code=spec.code).first()
    start = spec.effective_from
    current = service.version_on(start) if service else None
    later = (
        service.versions.filter(effective_from__gt=start).order_by("effective_from").first()
        if service
        else None
    )
    plan = ServicePlan(spec=spec, status="unchanged", service=service, current=current)
    title = spec.fields.get("title") or (service.title if service else "")
    skeleton = {
        "code": spec.code,
        "title": spec.fields.get("short_title")
        or (service.short_title if service else "")
        or title,
        "effective_from": start.isoformat(),
        "effective_to": None,
        "changes": [],
        "documents": {"added": [], "removed": [], "changed": []},
    }

    if spec.action == "retire":
        if current is None and later is None and service is not None:
            # Already retired from this very day (the same file loaded again): nothing to do.
            last = service.version_on(start - ONE_DAY)
            if last is not None and last.effective_to == start - ONE_DAY:
                plan.diff = {**skeleton, "status": "unchanged"}
                return plan
        if current is None:
            errors.append(
                f"{spec.path}: услуга «{spec.code}» не действует на {start:%d.%m.%Y}, выводить нечего"
            )
            return None
        if later is not None:
            errors.append(
                f"{spec.path}: у услуги «{spec.code}» есть редакция с {later.effective_from:%d.%m.%Y}; "
                "сначала измените её"
            )
            return None
        if current.effective_from == start and current.is_referenced():
            errors.append(
                f"{spec.path}: редакция с {start:%d.%m.%Y} уже используется заявлениями и не может быть удалена"
            )
            return None
        plan.status = "retired"
        plan.diff = {
            **skeleton,
            "status": "retired",
            "last_day": (start - ONE_DAY).isoformat(),
            "reason": spec.reason,
        }
        return plan

    # The new version = the version in force the day before (the base) + the file's changes.
    # When a version already starts on that day (the same file loaded again, or a correction),
    # it is what the result is compared with, and what is replaced if different.
    base = current
    if current is not None and current.effective_from == start:
        base = service.version_on(start - ONE_DAY)
    content = _version_content(current) if current else dict(EMPTY_VERSION)
    base_content = _version_content(base) if base else dict(EMPTY_VERSION)
    new_content = {**base_content, **{k: v for k, v in spec.fields.items() if k in VERSION_FIELDS}}
    if new_content["deadline_kind"] == DayKind.SAME_DAY:
        new_content["deadline_days"] = 0
    elif not new_content["deadline_days"]:
        errors.append(
            f"{spec.path}.deadline_days: укажите срок в днях"
            + (" (у услуги нет действующей редакции)" if base is None else "")
        )
        return None
    old_checklist = _version_checklist(current) if current else []
    base_checklist = _version_checklist(base) if base else []
    if spec.documents is not None:
        checklist = list(spec.documents)
    else:
        checklist = list(base_checklist)
        present = {d.code for d in checklist}
        for path, code in spec.remove_documents:
            if code not in present:
                errors.append(f"{path}: документа «{code}» нет в перечне услуги «{spec.code}»")
            present.discard(code)
        checklist = [d for d in checklist if d.code in present]
        # the file numbers its own «one of» groups from 1: put them after the checklist's groups,
        # or an added group would merge with an existing one of the same number
        offset = max((d.group for d in checklist if d.group is not None), default=0)
        for doc in spec.add_documents:
            if doc.group is not None:
                doc = replace(doc, group=doc.group + offset)
            if doc.code in present:
                errors.append(
                    f"{doc.path}.code: документ «{doc.code}» уже есть в перечне услуги «{spec.code}»"
                )
            present.add(doc.code)
            checklist.append(doc)
        if not checklist:
            errors.append(f"{spec.path}: перечень документов не может стать пустым")
            return None
    checklist = _number_groups(checklist)
    categories = set(new_content["applicant_categories"])
    for doc in checklist:  # resolve the default interagency flag now, for comparison and writing
        if doc.interagency is None:
            doc.interagency = type_info.get(doc.code, {}).get("interagency", False)
        for category in doc.for_categories:
            if category not in categories:
                errors.append(
                    f"{doc.path or spec.path}.for_categories: категории «{category}» нет среди "
                    f"категорий заявителей услуги «{spec.code}» (applicant_categories)"
                )
        if doc.applies_to == "organisation" and "organisation" not in new_content["applicants"]:
            errors.append(
                f"{doc.path or spec.path}.applies_to: услуга «{spec.code}» не принимает "
                "заявлений от организаций (applicants)"
            )

    service_fields = {}
    if service is None:
        service_fields = {
            "title": title,
            "short_title": spec.fields.get("short_title") or title[:200],
            "department": spec.fields.get("department", ""),
            "issues_document": spec.fields.get("issues_document", False),
        }
    else:
        for key in SERVICE_FIELDS:
            if key in spec.fields and spec.fields[key] != getattr(service, key):
                service_fields[key] = spec.fields[key]

    # Period of the new version: up to the file's end date, or the day before a later version.
    effective_to = spec.effective_to
    if later is not None:
        if effective_to is None or effective_to >= later.effective_from:
            if spec.effective_to is not None:
                errors.append(
                    f"{spec.path}: период действия пересекается с редакцией услуги «{spec.code}» "
                    f"с {later.effective_from:%d.%m.%Y}"
                )
                return None
            effective_to = later.effective_from - ONE_DAY
    elif effective_to is None and current is not None and current.effective_from == start:
        effective_to = current.effective_to

    same_content = (
        current is not None
        and content == new_content
        and [d.as_tuple(type_info) for d in old_checklist]
        == [d.as_tuple(type_info) for d in checklist]
    )
    same_period = current is not None and (
        (current.effective_from == start and current.effective_to == effective_to)
        or (current.effective_from < start and spec.effective_to is None)
    )
    if same_content and same_period and not service_fields:
        plan.diff = {**skeleton, "status": "unchanged"}
        return plan

    if current is not None and current.effective_from < start and _used_on_or_after(current, start):
        errors.append(
            f"{spec.path}: по редакции услуги «{spec.code}» уже приняты заявления, зарегистрированные "
            f"{start:%d.%m.%Y} или позже; изменение с этой даты изменило бы их правила. "
            "Укажите дату вступления в силу позже последнего такого заявления"
        )
        return None

    if current is not None and current.effective_from == start:
        if current.is_referenced():
            errors.append(
                f"{spec.path}: редакция услуги «{spec.code}» с {start:%d.%m.%Y} уже используется "
                "заявлениями и не может быть изменена; укажите другую дату вступления в силу"
            )
            return None
        plan.replace_current = True

    plan.status = (
        "added"
        if service is None or (current is None and not service.versions.exists())
        else "changed"
    )
    plan.new_fields = new_content
    plan.service_fields = service_fields
    plan.checklist = checklist
    plan.effective_to = effective_to

    changes = []
    for key, label in SERVICE_FIELDS.items():
        if key in service_fields and service is not None:
            changes.append(
                {
                    "field": label,
                    "old": _display(getattr(service, key)),
                    "new": _display(service_fields[key]),
                }
            )
    for key, label in VERSION_FIELDS.items():
        if current is None or content[key] != new_content[key]:
            if current is None and plan.status == "added":
                if new_content[key] == EMPTY_VERSION[key] and key not in spec.fields:
                    continue  # a new service: only what the file says
                changes.append({"field": label, "old": "", "new": _content_value(new_content, key)})
            else:
                changes.append(
                    {
                        "field": label,
                        "old": _content_value(content, key) if current else "—",
                        "new": _content_value(new_content, key),
                    }
                )
    old_by_code = {d.code: d for d in old_checklist}
    new_by_code = {d.code: d for d in checklist}
    documents = {"added": [], "removed": [], "changed": []}
    for doc in checklist:
        title_ = type_info.get(doc.code, {}).get("title", doc.code)
        if doc.code not in old_by_code:
            documents["added"].append(
                {"code": doc.code, "title": title_, "detail": _doc_detail(doc)}
            )
        else:
            old = old_by_code[doc.code]
            doc_changes = [
                {"field": label, "old": _doc_value(old, key), "new": _doc_value(doc, key)}
                for key, label in DOCUMENT_FIELDS.items()
                if getattr(old, key) != getattr(doc, key)
            ]
            if doc_changes:
                documents["changed"].append(
                    {"code": doc.code, "title": title_, "changes": doc_changes}
                )
    for doc in old_checklist:
        if doc.code not in new_by_code:
            documents["removed"].append(
                {
                    "code": doc.code,
                    "title": type_info.get(doc.code, {}).get("title", doc.code),
                    "detail": _doc_detail(doc),
                }
            )
    plan.diff = {
        **skeleton,
        "status": plan.status,
        "effective_to": effective_to.isoformat() if effective_to else None,
        "changes": changes,
        "documents": documents,
        "closes_version": (
            {"from": current.effective_from.isoformat(), "last_day": (start - ONE_DAY).isoformat()}
            if current is not None and not plan.replace_current
            else None
        ),
    }
    return plan


PERIODS = {
    "deadline_days": "deadline_kind",
    "notice_days": "notice_kind",
    "payment_days": "payment_kind",
}


def _content_value(content: dict, key: str) -> str:
    """A version's field as the difference shows it: periods with their kind of days."""
    if key in PERIODS and (content[key] or content[PERIODS[key]] == DayKind.SAME_DAY):
        return days_display(content[key], content[PERIODS[key]])
    return _display(content[key], key)


def _used_on_or_after(version: ServiceVersion, day: datetime.date) -> bool:
    for relation in version._meta.related_objects:
        model = relation.related_model
        if model._meta.app_label == "services" or "registered_on" not in {
            f.name for f in model._meta.fields
        }:
            continue
        if model._default_manager.filter(
            **{relation.field.name: version, "registered_on__gte": day}
        ).exists():
            return True
    return False


def _doc_value(doc: DocSpec, key: str) -> str:
    if key == "form":
        return RequiredDocument.Form(doc.form).label
    if key == "required":
        return "обязательно" if doc.required else "по условию"
    if key == "group":
        return f"группа {doc.group}" if doc.group else "—"
    return _display(getattr(doc, key), key)


def _doc_detail(doc: DocSpec) -> str:
    parts = [RequiredDocument.Form(doc.form).label]
    if doc.copies != 1:
        parts.append(f"{doc.copies} экз.")
    parts.append("обязательно" if doc.required else (doc.condition or "по условию"))
    if doc.group:
        parts.append(
            f"один из группы {doc.group}" + (f" «{doc.group_title}»" if doc.group_title else "")
        )
    if doc.per_member:
        parts.append(CODE_LABELS["per_member"][doc.per_member])
    if doc.applies_to:
        parts.append(CODE_LABELS["applies_to"][doc.applies_to])
    if doc.for_categories:
        parts.append("для категорий: " + "; ".join(doc.for_categories))
    if doc.valid_months:
        parts.append(f"действителен {doc.valid_months} мес.")
    if doc.interagency:
        parts.append("запрашивает учреждение")
    return ", ".join(parts)


# --- Applying ---------------------------------------------------------------------------------


class StalePreviewError(Exception):
    pass


def apply_plan(
    plan: Plan,
    *,
    actor=None,
    allow_past: bool = False,
    load: RegulationLoad | None = None,
    file_name: str = "",
    content: str = "",
    sha256: str = "",
    source: str = "web",
    expected_diff: dict | None = None,
) -> RegulationLoad | None:
    """Write the planned change in one transaction; returns the load record (None if nothing
    changed). Backdated changes need `allow_past`. `expected_diff` is the difference the user
    confirmed (the preview); if the catalogue has moved since, nothing is written."""
    if not plan.has_changes:
        return None
    if plan.backdated and not allow_past:
        raise RegulationFileError(
            [
                "изменение вступает в силу раньше сегодняшнего дня: подтвердите изменение "
                "задним числом (на странице — отметкой, в командной строке — --allow-past)"
            ]
        )
    with transaction.atomic():
        # Serialise concurrent loads of the same services, then re-plan on the locked state.
        codes = [p.spec.code for p in plan.services]
        list(Service.objects.select_for_update().filter(code__in=codes).order_by("pk"))
        fresh = build_plan(plan.change, today=date_from_iso(plan.diff["today"]))
        if fresh.diff != (expected_diff if expected_diff is not None else plan.diff):
            raise StalePreviewError(
                "Каталог изменился после предпросмотра: загрузите файл ещё раз и проверьте изменения."
            )
        regulation = _write_regulation(fresh)
        _write_document_types(fresh)
        if load is None:
            load = RegulationLoad(
                file_name=file_name[:300],
                content=content,
                sha256=sha256,
                uploaded_by=actor,
                source=source,
            )
        load.status = RegulationLoad.Status.APPLIED
        load.diff = fresh.diff
        load.regulation = regulation
        load.allow_past = allow_past
        load.applied_by = actor
        load.applied_at = timezone.now()
        load.save()
        for service_plan in fresh.services:
            _write_service(service_plan, regulation, load)
    return load


def date_from_iso(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


def _write_regulation(plan: Plan) -> Regulation | None:
    r = plan.change.regulation
    if not r:
        return None
    values = {key: r[key] for key in ("title", "issued_by", "amendments")}
    regulation, created = Regulation.objects.get_or_create(
        kind=r["kind"], number=r["number"], date=r["date"], defaults=values
    )
    if not created and any(getattr(regulation, k) != v for k, v in values.items()):
        for key, value in values.items():
            setattr(regulation, key, value)
        regulation.save()
    return regulation


def _write_document_types(plan: Plan) -> None:
    for spec in plan.document_types:
        values = {k: spec[k] for k in ("title", "issuing_agency", "interagency")}
        obj = DocumentType.objects.filter(code=spec["code"]).first()
        if obj is None:
            DocumentType.objects.create(code=spec["code"], **values)
        elif any(getattr(obj, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(obj, k, v)
            obj.save()


def _write_service(plan: ServicePlan, regulation: Regulation | None, load: RegulationLoad) -> None:
    spec = plan.spec
    start = spec.effective_from
    if plan.status == "unchanged":
        return
    service = plan.service
    if service is None:
        service = Service.objects.create(code=spec.code, **plan.service_fields)
    elif plan.service_fields:
        for key, value in plan.service_fields.items():
            setattr(service, key, value)
        service.save()

    current = plan.current
    if plan.status == "retired":
        if current.effective_from == start:
            current.delete()
        else:
            current.effective_to = start - ONE_DAY
            reason = spec.reason
            if regulation is not None:
                reason = f"{reason} ({regulation.citation})" if reason else regulation.citation
            current.end_reason = reason
            current.save(update_fields=["effective_to", "end_reason"])
        return

    if current is not None:
        if plan.replace_current:
            current.delete()
        else:
            current.effective_to = start - ONE_DAY
            current.save(update_fields=["effective_to"])
    fields = dict(plan.new_fields)
    grounds = fields.pop("grounds")
    conditions = fields.pop("eligibility")
    version = ServiceVersion.objects.create(
        service=service,
        effective_from=start,
        effective_to=plan.effective_to,
        regulation=regulation,
        load=load,
        **fields,
    )
    bulk_create_with_history(
        [
            Ground(version=version, kind=kind, clause=clause, text=text, order=index)
            for index, (kind, clause, text) in enumerate(grounds, start=1)
        ],
        Ground,
        default_user=load.applied_by,
    )
    bulk_create_with_history(
        [
            EligibilityCondition(version=version, text=text, clause=clause, order=index)
            for index, (text, clause) in enumerate(conditions, start=1)
        ],
        EligibilityCondition,
        default_user=load.applied_by,
    )
    types = {
        t.code: t for t in DocumentType.objects.filter(code__in=[d.code for d in plan.checklist])
    }
    bulk_create_with_history(
        [
            RequiredDocument(
                version=version,
                document_type=types[doc.code],
                required=doc.required,
                condition=doc.condition,
                form=doc.form,
                copies=doc.copies,
                interagency=bool(doc.interagency),
                group=doc.group,
                group_title=doc.group_title,
                valid_months=doc.valid_months,
                for_categories=doc.for_categories,
                per_member=doc.per_member,
                applies_to=doc.applies_to,
                order=index,
            )
            for index, doc in enumerate(plan.checklist, start=1)
        ],
        RequiredDocument,
        default_user=load.applied_by,
    )


# --- Text form of the difference (command line) ----------------------------------------------

STATUS_TITLES = {
    "added": "добавлена",
    "changed": "изменена",
    "retired": "выводится",
    "unchanged": "без изменений",
}


def _ru(iso: str | None) -> str:
    return datetime.date.fromisoformat(iso).strftime("%d.%m.%Y") if iso else ""


def format_diff(diff: dict) -> list[str]:
    lines: list[str] = []
    if diff.get("regulation"):
        status = {"new": "новый акт", "changed": "акт уже в каталоге, реквизиты уточнены"}.get(
            diff["regulation"]["status"], "акт уже в каталоге"
        )
        lines.append(f"Акт: {diff['regulation']['display']} ({status})")
        for ch in diff["regulation"].get("changes", []):
            lines.append(f"      {ch['field']}: {ch['old']} → {ch['new']}")
    if diff.get("backdated"):
        lines.append("ВНИМАНИЕ: изменение вступает в силу задним числом.")
    for item in diff["document_types"]:
        word = "новый вид документа" if item["status"] == "added" else "изменён вид документа"
        lines.append(f"  {word}: {item['code']} — {item['title']}")
        for ch in item.get("changes", []):
            lines.append(f"      {ch['field']}: {ch['old']} → {ch['new']}")
    for item in diff["services"]:
        period = f"с {_ru(item['effective_from'])}"
        if item.get("effective_to"):
            period += f" по {_ru(item['effective_to'])}"
        lines.append(
            f"Услуга {item['code']} «{item['title']}»: {STATUS_TITLES[item['status']]} {period}"
        )
        if item["status"] == "retired":
            lines.append(f"      последний день действия: {_ru(item['last_day'])}")
            if item.get("reason"):
                lines.append(f"      причина: {item['reason']}")
        for ch in item.get("changes", []):
            old = f"{ch['old']} → " if ch["old"] else ""
            lines.append(f"      {ch['field']}: {old}{ch['new']}")
        docs = item.get("documents", {})
        for doc in docs.get("added", []):
            lines.append(f"      + документ {doc['code']} — {doc['title']} ({doc['detail']})")
        for doc in docs.get("removed", []):
            lines.append(f"      − документ {doc['code']} — {doc['title']}")
        for doc in docs.get("changed", []):
            parts = "; ".join(f"{c['field']}: {c['old']} → {c['new']}" for c in doc["changes"])
            lines.append(f"      ~ документ {doc['code']} — {doc['title']}: {parts}")
    s = diff["summary"]
    lines.append(
        f"Итого: добавлено {s['added']}, изменено {s['changed']}, выводится {s['retired']}, "
        f"без изменений {s['unchanged']}; новых и изменённых видов документов: {len(diff['document_types'])}"
    )
    if not diff["has_changes"]:
        lines.append("Изменений нет.")
    return lines
