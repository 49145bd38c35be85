"""Validating a change file as a whole: the act, the document types, each service's fields and
checklist. One pass collects every error (`Checker`); RegulationFileError lists them all."""

from __future__ import annotations

import datetime
from typing import Any

from services.models import DocumentType, RequiredDocument, Service
from services.periods import DayKind
from services.regulations.checker import Checker
from services.regulations.errors import RegulationFileError, kind_of
from services.regulations.reading import read_document
from services.regulations.schema import (
    ACTIONS,
    APPLICANT_KINDS,
    APPLICANT_ORDER,
    APPLIES_TO,
    CODE_RE,
    DAY_KINDS,
    DEADLINE_STARTS,
    DOCUMENT_KEYS,
    DOCUMENT_TYPE_KEYS,
    FORMS,
    GROUND_KINDS,
    GROUP_KEYS,
    KINDS,
    MEMBER_KEYS,
    ONE_OF_KEYS,
    PER_MEMBER,
    PERIOD_KINDS,
    REGULATION_KEYS,
    SERVICE_KEYS,
    TOP_KEYS,
    Change,
    DocSpec,
    ServiceSpec,
)


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
    """The parsed document -> the validated change; RegulationFileError lists every error."""
    check = Checker()
    check.mapping(document, "", TOP_KEYS)
    regulation = _validate_regulation(check, document)
    effective_from = check.date(document, "effective_from", "")
    document_types = _validate_document_types(check, document)
    known_types = set(DocumentType.objects.values_list("code", flat=True)) | {
        t["code"] for t in document_types if t["code"]
    }
    services = _validate_services(check, document, regulation, effective_from, known_types)
    _check_overlaps(check, services)
    if check.errors:
        raise RegulationFileError(check.errors)
    return Change(regulation, effective_from, document_types, services)


# --- The act and the document types ------------------------------------------------------------


def _validate_regulation(check: Checker, document: dict) -> dict | None:
    """The act that makes the change: its kind, number, date, title, issuer and editions."""
    if "regulation" not in document:
        return None
    raw = check.mapping(document["regulation"], "regulation", REGULATION_KEYS)
    if raw is None:
        return None
    kind = check.text(raw, "kind", "regulation", required=True, max_length=40)
    if kind and kind.lower() not in KINDS:
        check.error(
            "regulation.kind",
            f"неизвестный вид акта «{kind}»: допустимо {', '.join(sorted(KINDS))}",
        )
    return {
        "kind": kind.lower(),
        "number": check.text(raw, "number", "regulation", required=True, max_length=50),
        "date": check.date(raw, "date", "regulation", required=True),
        "title": check.text(raw, "title", "regulation", required=True),
        "issued_by": check.text(raw, "issued_by", "regulation", max_length=500),
        "amendments": check.texts(raw, "amendments", "regulation", max_length=300),
    }


def _validate_document_types(check: Checker, document: dict) -> list[dict]:
    """Document types declared in the file, each code once."""
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
    return document_types


# --- Services: what to do, when ----------------------------------------------------------------


def _validate_services(
    check: Checker,
    document: dict,
    regulation: dict | None,
    effective_from: datetime.date | None,
    known_types: set[str],
) -> list[ServiceSpec]:
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
        _check_period(check, spec, effective_from)
        services.append(spec)
    return services


def _check_period(check: Checker, spec: ServiceSpec, effective_from: datetime.date | None) -> None:
    """A service's period: its own start or the file's, and an end not before the start."""
    if spec.effective_from is None:
        spec.effective_from = effective_from
        if effective_from is None:
            check.error(
                f"{spec.path}.effective_from",
                "не указана дата вступления в силу (effective_from файла или услуги)",
            )
    if spec.effective_to and spec.effective_from and spec.effective_to < spec.effective_from:
        check.error(f"{spec.path}.effective_to", "дата окончания раньше даты вступления в силу")


def _check_overlaps(check: Checker, services: list[ServiceSpec]) -> None:
    """One version in force per service per day: periods of the same service must not overlap."""
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


def _overlaps(a: ServiceSpec, b: ServiceSpec) -> bool:
    if a.effective_from is None or b.effective_from is None:
        return False
    far = datetime.date.max
    return a.effective_from <= (b.effective_to or far) and b.effective_from <= (
        a.effective_to or far
    )


def _validate_service(check, raw, path, known_types, known_services) -> ServiceSpec | None:
    """One service of the file: the action, the fields it sets, its checklist or retirement."""
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
    spec = ServiceSpec(
        path=path,
        code=code,
        action=action,
        fields=_service_fields(check, raw, path, action),
        effective_from=check.date(raw, "effective_from", path),
        effective_to=check.date(raw, "effective_to", path),
    )
    if action == "retire":
        _validate_retirement(check, raw, spec)
        return spec
    if "reason" in raw:
        check.error(f"{path}.reason", "причина указывается только для action: retire")
    _validate_checklist(check, raw, spec, known_types)
    return spec


def _validate_retirement(check: Checker, raw: dict, spec: ServiceSpec) -> None:
    """A retired service names only its code, the day and the reason."""
    extra = set(raw) - {"code", "action", "effective_from", "reason"}
    for key in sorted(extra):
        check.error(
            f"{spec.path}.{key}",
            "для action: retire указываются только code, effective_from и reason",
        )
    spec.reason = check.text(raw, "reason", spec.path, max_length=2000)


# --- A service's fields ------------------------------------------------------------------------


def _service_fields(check: Checker, raw: dict, path: str, action: str) -> dict[str, Any]:
    """The fields of the service and of its version that the file names (only those)."""
    fields: dict[str, Any] = {}
    for key in ("title", "short_title", "department"):
        value = check.text(raw, key, path, required=(key == "title" and action == "add"),
                           max_length={"title": 1000, "short_title": 200}.get(key, 300))  # fmt: skip
        if key in raw and value:
            fields[key] = value
    fields.update(_validate_deadlines(check, raw, path, action))
    if "apply_within" in raw:
        fields.update(_validate_window(check, raw["apply_within"], f"{path}.apply_within"))
    if "applicants" in raw:
        fields["applicants"] = _validate_applicants(check, raw["applicants"], f"{path}.applicants")
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
        fields["applicant_categories"] = _validate_categories(
            check, raw["applicant_categories"], f"{path}.applicant_categories"
        )
    if "notes" in raw:
        fields["notes"] = check.text(raw, "notes", path, max_length=5000)
    return fields


def _validate_deadlines(check: Checker, raw: dict, path: str, action: str) -> dict[str, Any]:
    """The decision's deadline (a new service must have one), how its days are counted and
    from when; the notice and payment periods (null removes the service's own)."""
    fields: dict[str, Any] = {}
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
    return fields


def _validate_applicants(check: Checker, raw, path: str) -> list[str]:
    """Who may apply: citizen, organisation (each once, in that order)."""
    kinds = []
    for i, item in enumerate(check.listing(raw, path)):
        if not isinstance(item, str) or item not in APPLICANT_KINDS:
            check.error(
                f"{path}[{i}]",
                f"недопустимое значение {kind_of(item)}: допустимо citizen, organisation",
            )
        elif item not in kinds:
            kinds.append(item)
    if not kinds and isinstance(raw, list):
        check.error(path, "укажите, кто может обратиться: citizen, organisation")
    return [k for k in APPLICANT_ORDER if k in kinds]


def _validate_categories(check: Checker, raw, path: str) -> list[str]:
    """The categories of applicants: non-empty texts."""
    cleaned = []
    for i, item in enumerate(check.listing(raw, path)):
        if not isinstance(item, str) or not item.strip():
            check.error(f"{path}[{i}]", "ожидается текст")
        else:
            cleaned.append(item.strip())
    return cleaned


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


# --- A service's checklist ---------------------------------------------------------------------


def _validate_checklist(check: Checker, raw: dict, spec: ServiceSpec, known_types) -> None:
    """The whole checklist (`documents`), or what to add to and remove from the current one."""
    path = spec.path
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
    elif spec.action == "add":
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
            check.error(item_path, f"ожидается код документа, получено {kind_of(item)}")
        else:
            spec.remove_documents.append((item_path, item))


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
            docs.extend(_validate_one_of(check, raw, item_path, known_types, seen, group))
            continue
        if check.mapping(raw, item_path, DOCUMENT_KEYS) is None:
            continue
        doc = _member(check, raw, item_path, known_types, seen)
        for key, value in _group_keys(check, raw, item_path).items():
            setattr(doc, key, value)
        docs.append(doc)
    return docs


def _validate_one_of(check, raw, item_path, known_types, seen, group: int) -> list[DocSpec]:
    """A «one of» group: two or more documents sharing the group's requirement and conditions."""
    docs: list[DocSpec] = []
    shared = _group_keys(check, raw, item_path)
    title = check.text(raw, "title", item_path, max_length=300)
    members = check.listing(raw["one_of"], f"{item_path}.one_of")
    if len(members) < 2 and isinstance(raw["one_of"], list):
        check.error(f"{item_path}.one_of", "в группе «один из» нужно не меньше двух документов")
    for j, member in enumerate(members):
        member_path = f"{item_path}.one_of[{j}]"
        if isinstance(member, str):
            member = {"code": member}
        if not isinstance(member, dict):
            check.error(member_path, f"ожидается документ, получено: {kind_of(member)}")
            continue
        for key in sorted(set(member) & (GROUP_KEYS | {"one_of"})):
            check.error(
                f"{member_path}.{key}",
                "в группе «один из» это поле указывается для группы, а не для документа",
            )
        if check.mapping(member, member_path, MEMBER_KEYS | GROUP_KEYS | {"one_of"}) is None:
            continue
        doc = _member(check, member, member_path, known_types, seen)
        doc.group, doc.group_title = group, title
        for key, value in shared.items():
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
