"""A «one of» group added by a change keeps apart from the groups the checklist already has."""

import datetime

import pytest
import yaml

from services.models import Service
from services.regulations import apply_plan, build_plan, parse_change

pytestmark = pytest.mark.django_db


def add_group(day, number, codes, title):
    doc = {
        "regulation": {"kind": "приказ", "number": number, "date": "2026-11-20", "title": "О внесении изменений",
                       "issued_by": "Комитет социальной защиты населения Волгоградской области"},
        "effective_from": day.isoformat(),
        "services": [{"code": "edv-veterans", "action": "change",
                      "add_documents": [{"one_of": codes, "title": title}]}],
    }  # fmt: skip
    apply_plan(build_plan(parse_change(yaml.safe_dump(doc, allow_unicode=True).encode())))
    version = Service.objects.get(code="edv-veterans").version_on(day)
    return {
        d.document_type.code: (d.group, d.group_title)
        for d in version.documents.select_related("document_type")
        if d.group is not None
    }


def test_an_added_group_does_not_merge_with_an_existing_one(catalogue):
    first = add_group(datetime.date(2026, 12, 1), "1-т", ["photo-3x4", "awards-documents"], "фото")
    existing = {
        code: group
        for code, group in first.items()
        if code not in {"photo-3x4", "awards-documents"}
    }
    groups = add_group(
        datetime.date(2026, 12, 15), "2-т", ["gas-contract", "egrn-extract"], "договор"
    )
    assert groups["photo-3x4"] == groups["awards-documents"] == first["photo-3x4"]
    assert groups["gas-contract"] == groups["egrn-extract"]
    assert groups["gas-contract"][1] == "договор"
    # the new group is numbered after every group the checklist had, never merged into one
    taken = {group for group, _ in existing.values()} | {first["photo-3x4"][0]}
    assert groups["gas-contract"][0] == max(taken) + 1
