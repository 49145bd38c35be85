"""What a change file may say: its keys and values, the catalogue's fields with their Russian
names, and the validated change (`Change`, `ServiceSpec`, `DocSpec`) that planning works on."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from services.models import (
    ApplicantKind,
    Ground,
    Regulation,
    RequiredDocument,
)
from services.periods import DayKind, DeadlineStart

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
# The fields a checklist document keeps as they are between the file's DocSpec and the
# catalogue's RequiredDocument (interagency and for_categories are converted on the way).
DOCUMENT_ATTRS = (
    "required", "condition", "form", "copies", "group", "group_title", "valid_months",
    "per_member", "applies_to",
)  # fmt: skip
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

APPLICANT_ORDER = [ApplicantKind.CITIZEN.value, ApplicantKind.ORGANISATION.value]
# A version's periods and the field that says how their days are counted.
PERIODS = {
    "deadline_days": "deadline_kind",
    "notice_days": "notice_kind",
    "payment_days": "payment_kind",
}


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
