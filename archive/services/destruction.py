"""Destruction: the act selecting files for destruction, its agreement and approval, and the
destruction itself with the erasure of what the files held and the personal-data act."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from archive.models import (
    ArchivedFile,
    DestructionAct,
    DestructionItem,
    FileIssue,
    InventoryItem,
    PersonalDataDestruction,
)
from archive.services.common import ArchiveError
from cases.archiving import person_needles
from cases.models import Applicant, Entitlement
from onewindow import erasure
from onewindow.db import lock_rows
from onewindow.errors import save_with_actor
from onewindow.models import Job
from onewindow.numbering import next_number
from onewindow.text import counted


def eligible_files(office, act_date: datetime.date):
    """Files whose retention ended by 1 January of the act's year; never permanent files, files
    issued out or under a legal hold, files of a person with a live measure, or files already in
    another act."""
    first_of_year = datetime.date(act_date.year, 1, 1)
    live_people = Entitlement.objects.exclude(status=Entitlement.Status.STOPPED).values(
        "applicant_id"
    )
    in_acts = DestructionItem.objects.exclude(act__status=DestructionAct.Status.EXECUTED).values(
        "archived_file_id"
    )
    return (
        ArchivedFile.objects.filter(
            office=office,
            status=ArchivedFile.Status.IN_ARCHIVE,
            legal_hold=False,
            retention_rule__permanent=False,
            eligible_from__isnull=False,
            eligible_from__lte=first_of_year,
        )
        .exclude(case_file__applicant_id__in=live_people)
        .exclude(pk__in=in_acts)
        .select_related("retention_rule")
        .order_by("year", "nomenclature_index", "archive_number")
    )


def draft_act(*, actor, act_date: datetime.date) -> DestructionAct:
    if not actor.has_perm("archive.add_destructionact"):
        raise PermissionDenied("Акт составляет архивариус")
    with transaction.atomic():
        files = list(lock_rows(eligible_files(actor.office, act_date)))
        if not files:
            raise ArchiveError(
                f"Нет дел, срок хранения которых истёк к 01.01.{act_date.year}: акт составлять не из чего.",
                field="act_date",
            )
        act = DestructionAct(office=actor.office, number=next_number(actor.office, "destruction", act_date.year),
                             act_date=act_date, compiled_by=actor)  # fmt: skip
        # the header cites the same lists the retention rules (and each line) cite
        bases = list(dict.fromkeys(f.retention_rule.act_basis for f in files))
        act.basis = "; ".join(bases)[:500] or act.basis
        save_with_actor(act, actor)
        DestructionItem.objects.bulk_create(
            [
                DestructionItem(
                    act=act,
                    archived_file=f,
                    title=f.title,
                    dates=f.dates_display,
                    year=f.year,
                    inventory=f"опись за {f.year} г.",
                    index=f.nomenclature_index,
                    retention=f.retention_rule.act_reference,
                )
                for f in files
            ]
        )
    return act


def agree_act(
    act: DestructionAct, *, actor, protocol_number: str, protocol_date: datetime.date
) -> DestructionAct:
    if not actor.has_perm("archive.agree_destructionact"):
        raise PermissionDenied("Согласование ЭК вносит главный специалист")
    if not protocol_number.strip() or protocol_date is None:
        raise ArchiveError("Укажите номер и дату протокола ЭК.", field="protocol_number")
    with transaction.atomic():
        act = DestructionAct.objects.select_for_update().get(pk=act.pk)
        if act.status != DestructionAct.Status.DRAFT:
            raise ArchiveError(f"Акт уже {act.get_status_display()}.")
        act.protocol_number, act.protocol_date, act.agreed_by = (
            protocol_number.strip(),
            protocol_date,
            actor,
        )
        act.status = DestructionAct.Status.AGREED
        save_with_actor(act, actor)
    return act


def approve_act(act: DestructionAct, *, actor) -> DestructionAct:
    if not actor.has_perm("archive.approve_destructionact"):
        raise PermissionDenied("Акт утверждает директор")
    with transaction.atomic():
        act = DestructionAct.objects.select_for_update().get(pk=act.pk)
        if act.status == DestructionAct.Status.DRAFT:
            raise ArchiveError("Акт ещё не согласован экспертной комиссией.")
        if act.status != DestructionAct.Status.AGREED:
            raise ArchiveError(f"Акт уже {act.get_status_display()}.")
        act.status, act.approved_by, act.approved_on = (
            DestructionAct.Status.APPROVED,
            actor,
            timezone.localdate(),
        )
        save_with_actor(act, actor)
    return act


def check_destruction_record(act: DestructionAct, record: dict) -> dict:
    """The record of destruction the act carries (Правила хранения, приказ Росархива № 77): the
    method, the weight or volume, and for paper handed to a recycler its waybill; the date is
    neither before the approval nor in the future. Returns the cleaned record."""
    today = timezone.localdate()
    method = (record.get("method") or "").strip()
    if method not in DestructionAct.Method.values:
        raise ArchiveError("Выберите способ уничтожения дел.", field="method")
    volume = (record.get("volume") or "").strip()
    if not volume:
        raise ArchiveError(
            "Укажите массу или объём уничтоженных дел (например, «3,5 кг»).", field="volume"
        )
    destroyed_on = record.get("destroyed_on") or today
    if destroyed_on > today:
        raise ArchiveError(
            f"Дата уничтожения ({destroyed_on:%d.%m.%Y}) позже сегодняшнего дня.",
            field="destroyed_on",
        )
    if act.approved_on and destroyed_on < act.approved_on:
        raise ArchiveError(
            f"Дата уничтожения ({destroyed_on:%d.%m.%Y}) раньше утверждения акта "
            f"({act.approved_on:%d.%m.%Y}).",
            field="destroyed_on",
        )
    recycler = (record.get("recycler") or "").strip()
    number = (record.get("handover_number") or "").strip()
    handover_date = record.get("handover_date")
    if method == DestructionAct.Method.RECYCLING:
        if not recycler:
            raise ArchiveError("Укажите организацию, которой дела переданы на переработку.",
                               field="recycler")  # fmt: skip
        if not number or handover_date is None:
            raise ArchiveError("Укажите номер и дату накладной о передаче дел на переработку.",
                               field="handover_number")  # fmt: skip
        if handover_date > today:
            raise ArchiveError(f"Дата накладной ({handover_date:%d.%m.%Y}) позже сегодняшнего дня.",
                               field="handover_date")  # fmt: skip
    return {"method": method, "volume": volume, "destroyed_on": destroyed_on, "recycler": recycler,
            "handover_number": number, "handover_date": handover_date}  # fmt: skip


# Information-system side of a personal-data destruction: what the erasers do (onewindow.erasure).
IS_METHOD = (
    "удаление записей и обезличивание сведений о субъекте в базе данных, включая историю изменений"
)


def execute_act(act: DestructionAct, *, actor, record: dict) -> PersonalDataDestruction:
    """The files were destroyed: erase what they held in every app (`onewindow.erasure`) — the
    documents, requests and notes of the file, its title in the archive and in the acts, the
    access log's mentions; a person with no other live file or measure is anonymised, history
    included. The personal-data destruction act alone names the subjects (приказ РКН № 179)."""
    if not actor.has_perm("archive.execute_destructionact"):
        raise PermissionDenied("Уничтожение отмечает архивариус")
    with transaction.atomic():
        act = DestructionAct.objects.select_for_update().get(pk=act.pk)
        if act.status != DestructionAct.Status.APPROVED:
            raise ArchiveError("Уничтожить можно только по утверждённому директором акту.")
        done = check_destruction_record(act, record)
        reason = f"истечение сроков хранения (акт о выделении к уничтожению № {act.number} от {act.act_date:%d.%m.%Y})"
        now = timezone.now()
        subjects, records = _destroy_files(act, _files_by_person(act), actor=actor)
        erasure.erase(subjects)
        event_log = _event_log(subjects, records, at=now, actor=actor, reason=reason)
        act.status, act.executed_by, act.executed_on = (
            DestructionAct.Status.EXECUTED,
            actor,
            done["destroyed_on"],
        )
        act.destruction_method, act.destruction_volume = done["method"], done["volume"]
        act.recycler, act.handover_number, act.handover_date = (
            done["recycler"], done["handover_number"], done["handover_date"],
        )  # fmt: skip
        save_with_actor(act, actor)
        _forget_rendered_acts(act)
        return _pd_act(act, records, event_log, actor=actor, reason=reason)


def _files_by_person(act: DestructionAct) -> dict[int, list[ArchivedFile]]:
    """The act's files by the person's id; refuses while a file is issued out or under a legal
    hold."""
    files_of: dict[int, list[ArchivedFile]] = {}
    for item in act.items.select_related("archived_file__case_file__applicant"):
        archived = item.archived_file
        if archived.status == ArchivedFile.Status.ISSUED:
            raise ArchiveError(
                f"Дело № {archived.archive_number} выдано: уничтожение невозможно, пока оно не возвращено."
            )
        if archived.legal_hold:
            raise ArchiveError(
                f"На дело № {archived.archive_number} наложен запрет уничтожения "
                f"({archived.legal_hold_reason or 'без основания'}): уничтожение невозможно."
            )
        files_of.setdefault(archived.case_file.applicant_id, []).append(archived)
    return files_of


def _destroy_files(
    act: DestructionAct, files_of: dict[int, list[ArchivedFile]], *, actor
) -> tuple[list[erasure.Subject], list[dict]]:
    """Mark the files destroyed; for each person, in the order of names, the subject the erasers
    take and the record the personal-data act keeps of them."""
    subjects, records = [], []
    people = Applicant.objects.filter(pk__in=files_of).order_by("last_name", "first_name", "pk")
    for applicant in people:
        archived_files = files_of[applicant.pk]
        subject = _subject(applicant, archived_files, act=act, actor=actor)
        subjects.append(subject)
        records.append({
            "id": applicant.pk,
            "full_name": applicant.full_name,
            "birth_date": f"{applicant.birth_date:%d.%m.%Y}" if applicant.birth_date else "",
            "snils": applicant.snils_masked,
            "files": [f"№ {f.archive_number} ({f.case_file.number_display})" for f in archived_files],
            "sheets": sum(f.sheets for f in archived_files),
            "anonymised": subject.anonymise,
        })  # fmt: skip
        for archived in archived_files:
            archived.status = ArchivedFile.Status.DESTROYED
            archived._change_reason = f"Уничтожено по акту № {act.number}"
            save_with_actor(archived, actor)
    return subjects, records


def _event_log(
    subjects: list[erasure.Subject], records: list[dict], *, at, actor, reason: str
) -> list[dict]:
    """The erased categories and what was done, written into each record; and the event log the
    personal-data act attaches, one row per subject."""
    who = actor.full_name or actor.get_username()
    if getattr(actor, "position", ""):
        who = f"{who}, {actor.position}"
    event_log = []
    for subject, record in zip(subjects, records, strict=True):
        record["categories"] = subject.categories
        record["what"] = (
            "персональные данные уничтожены, запись о гражданине обезличена"
            if subject.anonymise
            else "уничтожены документы и сведения дела; гражданин состоит на учёте по другому делу или мере, "
            "его учётная запись сохранена"
        )
        event_log.append({
            "at": erasure.local_stamp(at), "event": "Уничтожение персональных данных",
            "subject": record["full_name"], "birth_date": record["birth_date"], "snils": record["snils"],
            "categories": "; ".join(subject.categories), "what": record["what"], "who": who,
            "username": actor.get_username(), "reason": reason,
        })  # fmt: skip
    return event_log


def _pd_act(
    act: DestructionAct, records: list[dict], event_log: list[dict], *, actor, reason: str
) -> PersonalDataDestruction:
    """The act on the destruction of personal data (приказ РКН № 179), numbered in its own series."""
    destroyed_on = act.executed_on
    files = sum(len(r["files"]) for r in records)
    sheets = sum(r["sheets"] for r in records)
    paper = act.get_destruction_method_display()
    if act.recycler:
        paper += (
            f" ({act.recycler}, накладная № {act.handover_number} от {act.handover_date:%d.%m.%Y})"
        )
    return PersonalDataDestruction.objects.create(
        office=act.office, act=act, destroyed_on=destroyed_on, destroyed_by=actor, subjects=records,
        number=next_number(act.office, "pd_destruction", destroyed_on.year),
        data_categories="фамилия, имя, отчество; дата и место рождения; СНИЛС; реквизиты документа, удостоверяющего "
        "личность; адреса; телефон, электронная почта; сведения о льготных категориях; документы личного дела",
        media=f"бумажные личные дела: {counted(files, 'дело,дела,дел')}, {counted(sheets, 'лист,листа,листов')}; "
        "информационная система «Одно окно» (база данных)",
        method=f"бумажные носители — {paper}; информационная система — {IS_METHOD}",
        reason=reason,
        event_log=event_log, keep_until=datetime.date(destroyed_on.year + 3, destroyed_on.month, min(destroyed_on.day, 28)),
    )  # fmt: skip


def _subject(
    applicant: Applicant, archived_files: list[ArchivedFile], *, act, actor
) -> erasure.Subject:
    """The person as the erasers see them: their needles read before anything is erased, and
    whether they go altogether (no other file that is not destroyed, no live measure)."""
    destroyed_ids = [f.pk for f in archived_files]
    live = (
        applicant.case_files.exclude(archived__status=ArchivedFile.Status.DESTROYED)
        .exclude(archived__pk__in=destroyed_ids)
        .exists()
        or Entitlement.objects.filter(applicant=applicant)
        .exclude(status=Entitlement.Status.STOPPED)
        .exists()
    )
    strong, weak = person_needles(applicant)
    return erasure.Subject(
        applicant=applicant, office=archived_files[0].office, case_file_ids=[f.case_file_id for f in archived_files],
        anonymise=not live, actor=actor, reason=f"Уничтожение по акту № {act.number} от {act.act_date:%d.%m.%Y}",
        needles=strong, weak_needles=weak,
    )  # fmt: skip


def erase_archive_records(subjects: list[erasure.Subject]) -> None:
    for subject in subjects:
        _erase_archive_records(subject)


def _erase_archive_records(subject: erasure.Subject) -> None:
    """The destroyed file's own records in the archive: its title (on the record, its labels and
    covers, every act that lists it), the reasons of its holds and returns, its issues' purposes."""
    files = list(
        ArchivedFile.objects.filter(case_file_id__in=subject.case_file_ids).values_list(
            "pk", flat=True
        )
    )
    subject.destroyed("заголовки и учётные записи дел в архиве")
    erasure.erase_rows(ArchivedFile, files, subject=subject, values={},
                       redact_fields=["title", "legal_hold_reason", "withdrawal_reason"])  # fmt: skip
    issues = FileIssue.objects.filter(archived_file_id__in=files).values_list("pk", flat=True)
    erasure.erase_rows(FileIssue, issues, subject=subject, values={}, redact_fields=["purpose"])
    erasure.redact_rows(DestructionItem.objects.filter(archived_file_id__in=files), ["title", "note"],
                        subject.needles, subject.weak_needles)  # fmt: skip
    # the inventory keeps the row (a record of what was), without the person's name
    erasure.redact_rows(InventoryItem.objects.filter(archived_file_id__in=files), ["title", "note"],
                        subject.needles, subject.weak_needles)  # fmt: skip


def _forget_rendered_acts(act: DestructionAct) -> None:
    """A destruction act rendered earlier by a worker names the people: the file goes (on
    commit), the page renders the act anew."""
    for job in Job.objects.filter(kind="archive.render_act", params__act=act.pk):
        name = (job.result or {}).get("file")
        if not name:
            continue
        path = Path(settings.MEDIA_ROOT) / name
        transaction.on_commit(lambda path=path: path.unlink(missing_ok=True))
        Job.objects.filter(pk=job.pk).update(result={**job.result, "file": ""})


def register_erasure() -> None:
    erasure.register(
        "archive.files", erase_archive_records,
        models=["archive.archivedfile", "archive.fileissue", "archive.destructionitem",
                "archive.inventoryitem"], order=10,
    )  # fmt: skip
    erasure.no_personal_data({
        "archive.retentionrule": "справочник сроков хранения", "archive.location": "места хранения",
        "archive.inventorycheck": "приказ и комиссия (сотрудники)",
        "archive.inventorycheckitem": "отметки о наличии (ссылки на дела)",
        "archive.inventorycheckextra": "отсканированные архивные номера",
        "archive.destructionact": "реквизиты акта",
        "archive.inventory": "реквизиты описи (год, номер, составитель)",
        "archive.personaldatadestruction": "акт об уничтожении ПД: единственное место, где субъекты названы (приказ РКН № 179)",
    })  # fmt: skip
