"""What the archive asks of `cases`: the case file taken into the archive and returned into work,
and what names a person whose files are destroyed. The archive calls these instead of writing
`cases` models itself.

Each write runs in one transaction (inside the archive's own, when it holds one) and its history
row names the actor."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from cases.models import Applicant, CaseFile
from onewindow import erasure
from onewindow.errors import save_with_actor
from onewindow.names import CASES, decline


def lock_for_archiving(case_file: CaseFile) -> CaseFile:
    """Lock the person's row, then the case file's, and return the file as it is now: the
    counter locks the person before registering an application, so no application slips in
    between the archive's checks and the archiving. Call inside a transaction."""
    Applicant.objects.select_for_update().filter(pk=case_file.applicant_id).first()
    return CaseFile.objects.select_for_update().get(pk=case_file.pk)


def mark_archived(case_file: CaseFile, *, actor) -> CaseFile:
    """The case file is in the archive: closed (on the day it was closed, or today). `case_file`
    comes from `lock_for_archiving` in the same transaction."""
    with transaction.atomic():
        case_file.status = CaseFile.Status.ARCHIVED
        case_file.closed_on = case_file.closed_on or timezone.localdate()
        save_with_actor(case_file, actor)
    return case_file


def return_from_archive(case_file_id: int, *, actor, reason: str) -> CaseFile:
    """The case file is back in work: active again, not closed; its history says why."""
    with transaction.atomic():
        case_file = CaseFile.objects.select_for_update().get(pk=case_file_id)
        case_file.status = CaseFile.Status.ACTIVE
        case_file.closed_on = None
        case_file._change_reason = f"Возвращено из архива: {reason}"
        save_with_actor(case_file, actor)
    return case_file


def person_needles(applicant: Applicant) -> tuple[list[str], list[str]]:
    """(strong, weak) needles of the person for `onewindow.erasure`: the name in every case, with
    and without the first name and patronymic, and the documents of the person's categories, past
    ones included (read before anything is erased)."""
    declined = [
        decline(applicant.last_name, first, middle, applicant.sex, case)
        for case in CASES
        for first, middle in ((applicant.first_name, applicant.middle_name), ("", ""))
    ]
    documents = list(applicant.categories.values_list("document", flat=True))
    documents += list(
        applicant.categories.model.history.filter(applicant_id=applicant.pk).values_list(
            "document", flat=True
        )
    )
    return erasure.needles_for(applicant, declined=declined, documents=documents)
