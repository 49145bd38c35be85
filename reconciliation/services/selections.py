"""Working out selection items: closing an item with its outcome (stopping or suspending the
measures it names, a confirmed death written on the person), in bulk, giving items to another
specialist, and resolving an ambiguous row by the person the specialist picked.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from cases.models import Applicant, Entitlement
from cases.services import change_entitlement_status, record_death
from onewindow.errors import DomainError
from onewindow.reassign import reassign_rows
from reconciliation.models import AmbiguousRow, Kind, Selection
from reconciliation.services.cascade import active_measures


class SelectionError(DomainError):
    """A refusal while working out selections."""


def _death_source(item: Selection) -> str:
    """Where the date of death came from: the run(s) and row(s) of the extract."""
    rows = [e for e in item.evidence if isinstance(e, dict) and e.get("row")]
    where = (
        ", ".join(f"сверка № {e.get('run', item.run_id)}, строка {e['row']}" for e in rows[-3:])
        or f"сверка № {item.run_id}"
    )
    return f"{where} ({item.get_source_display()}, {item.get_kind_display()}, файл {item.run.file_name})"


def work_out(
    item: Selection, outcome: str, *, actor, note: str = "", on=None, event_date=None
) -> Selection:
    """Close an item with its outcome; stopping or suspending changes the measures it names
    (a confirmed death is written on the person and stops all of their measures). An extract
    without the event's date takes it from the specialist (`event_date`)."""
    if outcome not in Selection.Outcome.values:
        raise SelectionError("Выберите результат отработки.", field="outcome")
    with transaction.atomic():
        item = (
            Selection.objects.select_for_update().select_related("run", "applicant").get(pk=item.pk)
        )
        if item.status != Selection.Status.OPEN:
            raise SelectionError(f"Селекция уже отработана: «{item.get_outcome_display()}».")
        if item.event_date is None and event_date is not None:
            item.event_date = event_date
            note = f"дата события {event_date:%d.%m.%Y} указана вручную" + (
                f"; {note}" if note else ""
            )
        if (
            outcome == Selection.Outcome.STOPPED
            and item.kind == Kind.DEATHS
            and not item.event_date
        ):
            raise SelectionError(
                f"{item.applicant.short_name}: в выгрузке нет даты смерти — укажите её (по "
                "свидетельству или ответу ЗАГС), чтобы прекратить меры с этого дня.",
                field="event_date",
            )
        if outcome == Selection.Outcome.STOPPED and item.kind == Kind.DEATHS:
            # A confirmed death is a fact about the person, not only about the measures the
            # extract names: the card shows it and every measure stops from that day.
            try:
                record_death(
                    item.applicant, item.event_date, actor=actor, source=_death_source(item)
                )
            except DomainError as exc:
                raise SelectionError(
                    f"Дата смерти из выгрузки {item.event_date:%d.%m.%Y} не подходит получателю: "
                    f"{exc.message[0].lower()}{exc.message[1:]} Проверьте совпадение — возможно, "
                    "это ложное совпадение.",
                    field="outcome",
                ) from None
        elif outcome in {Selection.Outcome.STOPPED, Selection.Outcome.SUSPENDED}:
            status = (
                Entitlement.Status.STOPPED
                if outcome == Selection.Outcome.STOPPED
                else Entitlement.Status.SUSPENDED
            )
            reason = (
                f"Селекция {item.get_source_display()} «{item.get_kind_display()}»"
                + (f", событие {item.event_date:%d.%m.%Y}" if item.event_date else "")
                + (f": {note}" if note else "")
            )
            measures = Entitlement.objects.filter(
                applicant_id=item.applicant_id, status__in=[Entitlement.Status.ACTIVE, Entitlement.Status.SUSPENDED],
                service__code__in=item.services,
            )  # fmt: skip
            for entitlement in measures:
                change_entitlement_status(
                    entitlement, status, actor=actor, reason=reason, on=on or item.event_date
                )
        item.status = Selection.Status.DONE
        item.outcome = outcome
        item.note = note
        item.worked_at = timezone.now()
        item.worked_by = actor
        item._history_user = actor
        item.save()
    return item


@dataclass(frozen=True)
class BulkWorkOut:
    done: int
    skipped_probable: int  # probable matches: confirmed one by one, never in bulk
    skipped_snils_only: int = 0  # «совпал только СНИЛС — проверить»: likewise


def work_out_many(items, outcome: str, *, actor, note: str = "") -> BulkWorkOut:
    """Bulk action: all or nothing. A match that needs confirmation (a probable one, or one
    where only the СНИЛС agreed) is skipped: someone must compare the person on the item's page
    before a measure changes."""
    items = list(items)
    sure = [item for item in items if not item.needs_confirmation]
    snils_only = sum(
        1 for item in items if item.needs_confirmation and item.match == Selection.Match.SNILS_ONLY
    )
    with transaction.atomic():
        for item in sure:
            work_out(item, outcome, actor=actor, note=note)
    return BulkWorkOut(
        done=len(sure),
        skipped_probable=len(items) - len(sure) - snils_only,
        skipped_snils_only=snils_only,
    )


TAKES_SELECTIONS = "reconciliation.change_selection"
ASSIGNS_SELECTIONS = "reconciliation.assign_selection"


def reassign_selections(items, to_user, *, actor, note: str = ""):
    """Give the selected open items (assigned or still in the queue) to a specialist of their
    office, with history; all or nothing. Returns `onewindow.reassign.Reassigned`."""
    ids = [getattr(item, "pk", item) for item in items]
    with transaction.atomic():
        locked = list(Selection.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        names = dict(Selection.objects.filter(pk__in=ids).values_list("pk", "applicant__last_name"))
        return reassign_rows(
            locked, field="assigned_to", to_user=to_user, actor=actor,
            permission=ASSIGNS_SELECTIONS, takes_work=TAKES_SELECTIONS, note=note,
            is_open=lambda item: item.status == Selection.Status.OPEN,
            title=lambda item: f"селекция «{item.get_kind_display()}» ({names.get(item.pk, '')})",
        )  # fmt: skip


def resolve_ambiguous(row: AmbiguousRow, chosen: Applicant | None, *, actor) -> Selection | None:
    """The specialist picked the right person (or none): an item is made if they hold an
    affected active measure."""
    with transaction.atomic():
        row = AmbiguousRow.objects.select_for_update().select_related("run__profile").get(pk=row.pk)
        if row.resolved:
            raise SelectionError("Эта строка уже разобрана.")
        row.resolved = True
        row.chosen = chosen
        row.save(update_fields=["resolved", "chosen"])
        if chosen is None:
            return None
        run = row.run
        affected = active_measures(run.profile).get(chosen.pk)
        if not affected:
            return None
        evidence = {**row.data, "run": run.pk, "step": "chosen", "chosen_by": actor.get_username()}
        item = Selection.objects.open().filter(applicant=chosen, kind=run.kind).first()
        if item is not None:
            item.evidence = [*item.evidence, evidence]
            item._history_user = actor
            item.save()
            return item
        event = row.data.get("event_date")
        match = row.step if row.step in Selection.Match.values else Selection.Match.NAME_DOB
        if match == Selection.Match.SNILS_ONLY:  # the СНИЛС was one's, the name and date another's
            same = chosen.snils and chosen.snils == row.data.get("snils")
            match = Selection.Match.SNILS if same else Selection.Match.NAME_DOB
        return Selection.objects.create(
            office=chosen.office, run=run, applicant=chosen, kind=run.kind, source=run.source,
            match=match,
            needs_confirmation=False, event_date=datetime.date.fromisoformat(event) if event else None,
            evidence=[evidence], suggested_action=run.profile.action, services=sorted(affected),
            assigned_to=actor,
        )  # fmt: skip
