"""Planning: the difference between a validated change and the catalogue as it is.

`build_plan` reads the catalogue, never writes it; its `Plan` carries what `apply_plan` writes
and `diff`, the JSON-able difference the preview shows and the load record keeps."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from typing import Any

from django.utils import timezone

from services.models import (
    ApplicantKind,
    DocumentType,
    Regulation,
    Service,
    ServiceVersion,
)
from services.periods import DayKind
from services.regulations.display import (
    content_value,
    display_value,
    doc_detail,
    doc_value,
    field_changes,
)
from services.regulations.errors import RegulationFileError
from services.regulations.schema import (
    DOCUMENT_ATTRS,
    DOCUMENT_FIELDS,
    EMPTY_VERSION,
    ONE_DAY,
    SERVICE_FIELDS,
    VERSION_FIELDS,
    Change,
    DocSpec,
    ServiceSpec,
)

TYPE_LABELS = (
    ("title", "наименование"),
    ("issuing_agency", "кем выдаётся"),
    ("interagency", "межведомственный запрос"),
)
REGULATION_LABELS = (
    ("title", "наименование"),
    ("issued_by", "кем принят"),
    ("amendments", "в редакции актов"),
)


@dataclass
class ServicePlan:
    """What the change does to one service, and its entry in the difference."""

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
    """The whole change against the catalogue: what to write, and the difference to show."""

    change: Change
    regulation: Regulation | None
    services: list[ServicePlan]
    document_types: list[dict]
    diff: dict
    backdated: bool

    @property
    def has_changes(self) -> bool:
        return self.diff["has_changes"]


class _Conflict(Exception):
    """A service's change that cannot be planned; the message joins the file's errors."""


def build_plan(change: Change, *, today: datetime.date | None = None) -> Plan:
    """Compare the change with the catalogue. Raises RegulationFileError on conflicts."""
    today = today or timezone.localdate()
    errors: list[str] = []
    type_info, type_diff = _plan_document_types(change.document_types)
    regulation, regulation_diff = _plan_regulation(change.regulation)
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
        bool(type_diff)
        or bool(regulation_diff and regulation_diff["changes"])
        or any(p.status != "unchanged" for p in plans)
    )
    diff = {
        "regulation": regulation_diff,
        "effective_from": change.effective_from.isoformat() if change.effective_from else None,
        "backdated": backdated,
        "today": today.isoformat(),
        "document_types": type_diff,
        "services": [p.diff for p in plans],
        "summary": summary,
        "has_changes": has_changes,
    }
    return Plan(change, regulation, plans, change.document_types, diff, backdated)


def _plan_document_types(specs: list[dict]) -> tuple[dict[str, dict], list[dict]]:
    """The document types as the change leaves them (title and interagency flag by code), and
    the file's new and changed types."""
    type_info = {
        t.code: {"title": t.title, "interagency": t.interagency} for t in DocumentType.objects.all()
    }
    type_diff = []
    for spec in specs:
        if spec["code"] not in type_info:
            type_diff.append({"code": spec["code"], "title": spec["title"], "status": "added"})
        else:
            current = DocumentType.objects.get(code=spec["code"])
            changes = field_changes(current, spec, TYPE_LABELS)
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
    return type_info, type_diff


def _plan_regulation(r: dict | None) -> tuple[Regulation | None, dict | None]:
    """The act already in the catalogue (if it is), and the difference's entry for the act:
    new, existing, or existing with its details changed."""
    if not r:
        return None, None
    regulation = Regulation.objects.filter(
        kind=r["kind"], number=r["number"], date=r["date"]
    ).first()
    status = "existing" if regulation else "new"
    changes = []
    if regulation is not None:
        changes = field_changes(regulation, r, REGULATION_LABELS)
        if changes:
            status = "changed"
    display = f"{r['kind'].capitalize()} от {r['date']:%d.%m.%Y} № {r['number']} «{r['title']}»"
    if r["amendments"]:
        display += f" (в ред. {', '.join(r['amendments'])})"
    return regulation, {"status": status, "display": display, "changes": changes}


# --- One service -------------------------------------------------------------------------------


def _plan_service(spec: ServiceSpec, type_info: dict, errors: list[str]) -> ServicePlan | None:
    """The plan of one service of the file, or None with the reason added to `errors`."""
    service = Service.objects.filter(code=spec.code).first()
    start = spec.effective_from
    current = service.version_on(start) if service else None
    later = (
        service.versions.filter(effective_from__gt=start).order_by("effective_from").first()
        if service
        else None
    )
    plan = ServicePlan(spec=spec, status="unchanged", service=service, current=current)
    title = _title(spec, service)
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
    try:
        if spec.action == "retire":
            return _plan_retirement(plan, later, skeleton)
        return _plan_version(plan, later, skeleton, type_info, errors)
    except _Conflict as conflict:
        errors.append(str(conflict))
        return None


def _title(spec: ServiceSpec, service: Service | None) -> str:
    return spec.fields.get("title") or (service.title if service else "")


def _plan_retirement(
    plan: ServicePlan, later: ServiceVersion | None, skeleton: dict
) -> ServicePlan:
    """Retiring: the version in force closes the day before, or goes if it starts that day."""
    spec, service, current = plan.spec, plan.service, plan.current
    start = spec.effective_from
    if current is None and later is None and service is not None:
        # Already retired from this very day (the same file loaded again): nothing to do.
        last = service.version_on(start - ONE_DAY)
        if last is not None and last.effective_to == start - ONE_DAY:
            plan.diff = {**skeleton, "status": "unchanged"}
            return plan
    if current is None:
        raise _Conflict(
            f"{spec.path}: услуга «{spec.code}» не действует на {start:%d.%m.%Y}, выводить нечего"
        )
    if later is not None:
        raise _Conflict(
            f"{spec.path}: у услуги «{spec.code}» есть редакция с {later.effective_from:%d.%m.%Y}; "
            "сначала измените её"
        )
    if current.effective_from == start and current.is_referenced():
        raise _Conflict(
            f"{spec.path}: редакция с {start:%d.%m.%Y} уже используется заявлениями и не может быть удалена"
        )
    plan.status = "retired"
    plan.diff = {
        **skeleton,
        "status": "retired",
        "last_day": (start - ONE_DAY).isoformat(),
        "reason": spec.reason,
    }
    return plan


def _plan_version(
    plan: ServicePlan,
    later: ServiceVersion | None,
    skeleton: dict,
    type_info: dict,
    errors: list[str],
) -> ServicePlan:
    """Adding or changing: the new version = the version in force the day before (the base) +
    the file's changes. When a version already starts on that day (the same file loaded again,
    or a correction), it is what the result is compared with, and what is replaced if different."""
    spec, service, current = plan.spec, plan.service, plan.current
    start = spec.effective_from
    base = current
    if current is not None and current.effective_from == start:
        base = service.version_on(start - ONE_DAY)
    content = _version_content(current) if current else dict(EMPTY_VERSION)
    new_content = _new_content(spec, base)
    old_checklist = _version_checklist(current) if current else []
    checklist = _new_checklist(spec, base, errors)
    _check_checklist(spec, checklist, new_content, type_info, errors)
    service_fields = _service_changes(spec, service)
    effective_to = _effective_to(spec, current, later)

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

    plan.replace_current = _check_not_frozen(spec, current)
    plan.status = (
        "added"
        if service is None or (current is None and not service.versions.exists())
        else "changed"
    )
    plan.new_fields = new_content
    plan.service_fields = service_fields
    plan.checklist = checklist
    plan.effective_to = effective_to
    plan.diff = {
        **skeleton,
        "status": plan.status,
        "effective_to": effective_to.isoformat() if effective_to else None,
        "changes": _field_diff(plan, content),
        "documents": _checklist_diff(old_checklist, checklist, type_info),
        "closes_version": (
            {"from": current.effective_from.isoformat(), "last_day": (start - ONE_DAY).isoformat()}
            if current is not None and not plan.replace_current
            else None
        ),
    }
    return plan


def _new_content(spec: ServiceSpec, base: ServiceVersion | None) -> dict:
    """The new version's fields: the base's, with those the file sets; it needs a deadline."""
    base_content = _version_content(base) if base else dict(EMPTY_VERSION)
    new_content = {**base_content, **{k: v for k, v in spec.fields.items() if k in VERSION_FIELDS}}
    if new_content["deadline_kind"] == DayKind.SAME_DAY:
        new_content["deadline_days"] = 0
    elif not new_content["deadline_days"]:
        raise _Conflict(
            f"{spec.path}.deadline_days: укажите срок в днях"
            + (" (у услуги нет действующей редакции)" if base is None else "")
        )
    return new_content


def _new_checklist(
    spec: ServiceSpec, base: ServiceVersion | None, errors: list[str]
) -> list[DocSpec]:
    """The file's whole checklist, or the base's with the file's removals and additions."""
    if spec.documents is not None:
        return _number_groups(list(spec.documents))
    checklist = _version_checklist(base) if base else []
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
        raise _Conflict(f"{spec.path}: перечень документов не может стать пустым")
    return _number_groups(checklist)


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


def _check_checklist(
    spec: ServiceSpec, checklist: list[DocSpec], content: dict, type_info: dict, errors: list[str]
) -> None:
    """Each document's categories and applicant kind must be the version's; the default
    interagency flag is resolved now, for comparison and writing."""
    categories = set(content["applicant_categories"])
    for doc in checklist:
        if doc.interagency is None:
            doc.interagency = type_info.get(doc.code, {}).get("interagency", False)
        for category in doc.for_categories:
            if category not in categories:
                errors.append(
                    f"{doc.path or spec.path}.for_categories: категории «{category}» нет среди "
                    f"категорий заявителей услуги «{spec.code}» (applicant_categories)"
                )
        if doc.applies_to == "organisation" and "organisation" not in content["applicants"]:
            errors.append(
                f"{doc.path or spec.path}.applies_to: услуга «{spec.code}» не принимает "
                "заявлений от организаций (applicants)"
            )


def _service_changes(spec: ServiceSpec, service: Service | None) -> dict[str, Any]:
    """The service's own (unversioned) fields: all of them for a new service, else those the
    file changes."""
    if service is None:
        title = _title(spec, service)
        return {
            "title": title,
            "short_title": spec.fields.get("short_title") or title[:200],
            "department": spec.fields.get("department", ""),
            "issues_document": spec.fields.get("issues_document", False),
        }
    return {
        key: spec.fields[key]
        for key in SERVICE_FIELDS
        if key in spec.fields and spec.fields[key] != getattr(service, key)
    }


def _effective_to(
    spec: ServiceSpec, current: ServiceVersion | None, later: ServiceVersion | None
) -> datetime.date | None:
    """The new version's last day: the file's end date, or the day before a later version."""
    start = spec.effective_from
    effective_to = spec.effective_to
    if later is not None:
        if effective_to is None or effective_to >= later.effective_from:
            if spec.effective_to is not None:
                raise _Conflict(
                    f"{spec.path}: период действия пересекается с редакцией услуги «{spec.code}» "
                    f"с {later.effective_from:%d.%m.%Y}"
                )
            effective_to = later.effective_from - ONE_DAY
    elif effective_to is None and current is not None and current.effective_from == start:
        effective_to = current.effective_to
    return effective_to


def _check_not_frozen(spec: ServiceSpec, current: ServiceVersion | None) -> bool:
    """A version that applications were accepted under keeps its rules for them. Returns
    whether the new version replaces the current one (both start the same day)."""
    start = spec.effective_from
    if (
        current is not None
        and current.effective_from < start
        and current.is_used_on_or_after(start)
    ):
        raise _Conflict(
            f"{spec.path}: по редакции услуги «{spec.code}» уже приняты заявления, зарегистрированные "
            f"{start:%d.%m.%Y} или позже; изменение с этой даты изменило бы их правила. "
            "Укажите дату вступления в силу позже последнего такого заявления"
        )
    if current is not None and current.effective_from == start:
        if current.is_referenced():
            raise _Conflict(
                f"{spec.path}: редакция услуги «{spec.code}» с {start:%d.%m.%Y} уже используется "
                "заявлениями и не может быть изменена; укажите другую дату вступления в силу"
            )
        return True
    return False


# --- The catalogue's version as the plan compares it -------------------------------------------


def _version_content(version: ServiceVersion) -> dict:
    """A version's fields as a change file states them (conditions and grounds as lists)."""
    content = {key: getattr(version, key) for key in VERSION_FIELDS if hasattr(version, key)}
    content["applicant_categories"] = list(version.applicant_categories or [])
    content["applicants"] = list(version.applicants or [ApplicantKind.CITIZEN.value])
    content["eligibility"] = [[c.text, c.clause] for c in version.conditions.all()]
    content["grounds"] = [[g.kind, g.clause, g.text] for g in version.grounds.all()]
    return content


def _version_checklist(version: ServiceVersion) -> list[DocSpec]:
    """A version's checklist as a change file states it, in its order."""
    return [
        DocSpec(
            path="",
            code=doc.document_type.code,
            interagency=doc.interagency,
            for_categories=list(doc.for_categories or []),
            **{key: getattr(doc, key) for key in DOCUMENT_ATTRS},
        )
        for doc in version.documents.select_related("document_type").order_by("order", "id")
    ]


# --- The difference of one service -------------------------------------------------------------


def _field_diff(plan: ServicePlan, content: dict) -> list[dict]:
    """The service's and its version's fields that change, old → new (for a new service, only
    what the file says)."""
    service, current, new_content = plan.service, plan.current, plan.new_fields
    changes = []
    for key, label in SERVICE_FIELDS.items():
        if key in plan.service_fields and service is not None:
            changes.append(
                {
                    "field": label,
                    "old": display_value(getattr(service, key)),
                    "new": display_value(plan.service_fields[key]),
                }
            )
    for key, label in VERSION_FIELDS.items():
        if current is not None and content[key] == new_content[key]:
            continue
        if current is None and plan.status == "added":
            if new_content[key] == EMPTY_VERSION[key] and key not in plan.spec.fields:
                continue  # a new service: only what the file says
            changes.append({"field": label, "old": "", "new": content_value(new_content, key)})
        else:
            changes.append(
                {
                    "field": label,
                    "old": content_value(content, key) if current else "—",
                    "new": content_value(new_content, key),
                }
            )
    return changes


def _checklist_diff(
    old_checklist: list[DocSpec], checklist: list[DocSpec], type_info: dict
) -> dict:
    """Documents added to, removed from and changed in the checklist."""
    old_by_code = {d.code: d for d in old_checklist}
    new_codes = {d.code for d in checklist}
    documents = {"added": [], "removed": [], "changed": []}
    for doc in checklist:
        title = type_info.get(doc.code, {}).get("title", doc.code)
        if doc.code not in old_by_code:
            documents["added"].append({"code": doc.code, "title": title, "detail": doc_detail(doc)})
            continue
        old = old_by_code[doc.code]
        doc_changes = [
            {"field": label, "old": doc_value(old, key), "new": doc_value(doc, key)}
            for key, label in DOCUMENT_FIELDS.items()
            if getattr(old, key) != getattr(doc, key)
        ]
        if doc_changes:
            documents["changed"].append({"code": doc.code, "title": title, "changes": doc_changes})
    for doc in old_checklist:
        if doc.code not in new_codes:
            documents["removed"].append(
                {
                    "code": doc.code,
                    "title": type_info.get(doc.code, {}).get("title", doc.code),
                    "detail": doc_detail(doc),
                }
            )
    return documents
