"""How the difference shows values: periods with their kind of days, coded values by their
Russian names, documents with their requirement; and the difference as text for the command line."""

from __future__ import annotations

import datetime
from typing import Any

from services.models import RequiredDocument
from services.periods import DayKind, days_display
from services.regulations.schema import CODE_LABELS, GROUND_KINDS, PERIODS, DocSpec


def display_value(value: Any, key: str = "") -> str:
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


def field_changes(current: Any, new: dict, labels: tuple[tuple[str, str], ...]) -> list[dict]:
    """The fields of `current` (a model) that `new` changes, old → new as the difference shows
    them; `labels` pairs each field with its Russian name."""
    return [
        {
            "field": label,
            "old": display_value(getattr(current, key)),
            "new": display_value(new[key]),
        }
        for key, label in labels
        if getattr(current, key) != new[key]
    ]


def content_value(content: dict, key: str) -> str:
    """A version's field as the difference shows it: periods with their kind of days."""
    if key in PERIODS and (content[key] or content[PERIODS[key]] == DayKind.SAME_DAY):
        return days_display(content[key], content[PERIODS[key]])
    return display_value(content[key], key)


def doc_value(doc: DocSpec, key: str) -> str:
    if key == "form":
        return RequiredDocument.Form(doc.form).label
    if key == "required":
        return "обязательно" if doc.required else "по условию"
    if key == "group":
        return f"группа {doc.group}" if doc.group else "—"
    return display_value(getattr(doc, key), key)


def doc_detail(doc: DocSpec) -> str:
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


# --- Text form of the difference (command line) ----------------------------------------------

STATUS_TITLES = {
    "added": "добавлена",
    "changed": "изменена",
    "retired": "выводится",
    "unchanged": "без изменений",
}


def _ru_date(iso: str | None) -> str:
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
        period = f"с {_ru_date(item['effective_from'])}"
        if item.get("effective_to"):
            period += f" по {_ru_date(item['effective_to'])}"
        lines.append(
            f"Услуга {item['code']} «{item['title']}»: {STATUS_TITLES[item['status']]} {period}"
        )
        if item["status"] == "retired":
            lines.append(f"      последний день действия: {_ru_date(item['last_day'])}")
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
