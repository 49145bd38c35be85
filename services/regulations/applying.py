"""Applying a plan: the whole change written in one transaction, re-planned on the locked
catalogue first so that what is written is what the user confirmed."""

from __future__ import annotations

import datetime

from django.db import models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from services.models import (
    DocumentType,
    EligibilityCondition,
    Ground,
    Regulation,
    RegulationLoad,
    RequiredDocument,
    Service,
    ServiceVersion,
)
from services.regulations.errors import RegulationFileError, StalePreviewError
from services.regulations.planning import Plan, ServicePlan, build_plan
from services.regulations.schema import DOCUMENT_ATTRS, ONE_DAY


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


def _update(obj: models.Model, values: dict) -> None:
    """Save `obj` with `values` if any of them differs from what it holds."""
    if any(getattr(obj, key) != value for key, value in values.items()):
        for key, value in values.items():
            setattr(obj, key, value)
        obj.save()


def _write_regulation(plan: Plan) -> Regulation | None:
    r = plan.change.regulation
    if not r:
        return None
    values = {key: r[key] for key in ("title", "issued_by", "amendments")}
    regulation, created = Regulation.objects.get_or_create(
        kind=r["kind"], number=r["number"], date=r["date"], defaults=values
    )
    if not created:
        _update(regulation, values)
    return regulation


def _write_document_types(plan: Plan) -> None:
    for spec in plan.document_types:
        values = {k: spec[k] for k in ("title", "issuing_agency", "interagency")}
        obj = DocumentType.objects.filter(code=spec["code"]).first()
        if obj is None:
            DocumentType.objects.create(code=spec["code"], **values)
        else:
            _update(obj, values)


def _write_service(plan: ServicePlan, regulation: Regulation | None, load: RegulationLoad) -> None:
    """One service: its own fields, then its versions (the current one closed, retired or
    replaced; the new one written with its grounds, conditions and checklist)."""
    if plan.status == "unchanged":
        return
    spec = plan.spec
    start = spec.effective_from
    service = plan.service
    if service is None:
        service = Service.objects.create(code=spec.code, **plan.service_fields)
    elif plan.service_fields:
        for key, value in plan.service_fields.items():
            setattr(service, key, value)
        service.save()

    current = plan.current
    if plan.status == "retired":
        _retire(current, start, spec.reason, regulation)
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
    user = load.applied_by
    bulk_create_with_history(
        [
            Ground(version=version, kind=kind, clause=clause, text=text, order=index)
            for index, (kind, clause, text) in enumerate(grounds, start=1)
        ],
        Ground,
        default_user=user,
    )
    bulk_create_with_history(
        [
            EligibilityCondition(version=version, text=text, clause=clause, order=index)
            for index, (text, clause) in enumerate(conditions, start=1)
        ],
        EligibilityCondition,
        default_user=user,
    )
    _write_checklist(version, plan, user)


def _retire(
    current: ServiceVersion, start: datetime.date, reason: str, regulation: Regulation | None
) -> None:
    """The version in force ends the day before, with the reason and the act; one that would
    only start that day goes."""
    if current.effective_from == start:
        current.delete()
        return
    current.effective_to = start - ONE_DAY
    if regulation is not None:
        reason = f"{reason} ({regulation.citation})" if reason else regulation.citation
    current.end_reason = reason
    current.save(update_fields=["effective_to", "end_reason"])


def _write_checklist(version: ServiceVersion, plan: ServicePlan, user) -> None:
    """The checklist in its order, each document with its type."""
    types = {
        t.code: t for t in DocumentType.objects.filter(code__in=[d.code for d in plan.checklist])
    }
    bulk_create_with_history(
        [
            RequiredDocument(
                version=version,
                document_type=types[doc.code],
                interagency=bool(doc.interagency),
                for_categories=doc.for_categories,
                order=index,
                **{key: getattr(doc, key) for key in DOCUMENT_ATTRS},
            )
            for index, doc in enumerate(plan.checklist, start=1)
        ],
        RequiredDocument,
        default_user=user,
    )
