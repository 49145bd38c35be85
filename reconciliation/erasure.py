"""What a destroyed person leaves in the selections (`onewindow.erasure`): the evidence of their
items (the extract's rows: name, СНИЛС, birth date), notes, and the extract rows kept as
ambiguous or invalid. The items stay with what was done and when."""

from __future__ import annotations

from django.db.models import Q

from onewindow import erasure
from reconciliation.models import AmbiguousRow, InvalidRow, ReconciliationRun, Selection

# What an item keeps of each evidence record: where it came from, not whom it named.
EVIDENCE_KEPT = ("row", "run", "step", "event_date")


def _evidence(value):
    if not isinstance(value, list):
        return []
    return [
        {k: v for k, v in entry.items() if k in EVIDENCE_KEPT}
        for entry in value
        if isinstance(entry, dict)
    ]


def erase_selections(subjects: list[erasure.Subject]) -> None:
    for subject in subjects:
        _erase_items(subject)
    # extract rows of any run that name a person who goes altogether: read once for them all
    strong, weak = erasure.gone(subjects)
    if strong:
        changed = erasure.redact_rows(InvalidRow.objects.all(), ["data", "reason"], strong, weak)
        for subject in subjects:
            if subject.anonymise:
                subject.touched("reconciliation.invalidrow", changed)
        erasure.redact_rows(ReconciliationRun.objects.all(), ["error"], strong, weak)


def _erase_items(subject: erasure.Subject) -> None:
    person = subject.applicant
    items = Selection.objects.filter(applicant=person)
    if not subject.anonymise:
        items = items.filter(office=subject.office)
    ids = list(items.values_list("pk", flat=True))
    if ids:
        subject.destroyed("сведения сверок (селекций) о гражданине")
    for item in Selection.objects.filter(pk__in=ids):
        evidence = _evidence(item.evidence)
        erasure.erase_rows(
            Selection, [item.pk], subject=subject, values={"evidence": evidence, "note": ""}
        )
    for row in Selection.history.filter(id__in=ids):
        Selection.history.filter(pk=row.pk).update(evidence=_evidence(row.evidence))
    # the extract rows where the person was a candidate for the match
    ambiguous = AmbiguousRow.objects.filter(Q(chosen=person) | Q(candidates=person)).distinct()
    if not subject.anonymise:
        ambiguous = ambiguous.filter(office=subject.office)
    changed = erasure.redact_rows(ambiguous, ["data"], subject.needles, subject.weak_needles)
    subject.touched("reconciliation.ambiguousrow", changed)


def register() -> None:
    erasure.register(
        "reconciliation.selections",
        erase_selections,
        models=["reconciliation.selection", "reconciliation.ambiguousrow", "reconciliation.invalidrow",
                "reconciliation.reconciliationrun"],
        order=30,
    )  # fmt: skip
    erasure.no_personal_data(
        {
            "reconciliation.extractprofile": "настройки чтения выгрузок",
            # the row: who uploaded which file name and digest; the file itself is deleted when
            # its run starts or after STAGED_EXTRACT_HOURS
            "reconciliation.stagedextract": "загруженная выгрузка до запуска, удаляется в срок",
        }
    )
