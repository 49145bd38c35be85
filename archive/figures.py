"""The archive's figures for the dashboard (`onewindow.dashboard`): files issued out and overdue
for return, files not found at the last presence check, files that become eligible for
destruction this year; destruction acts waiting for the chief's agreement and the director's
approval. Three queries whatever the size of the archive; the archive list filters with the
same conditions (`overdue_issues`, `eligible_in_q`)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.urls import reverse

from archive.models import ArchivedFile, DestructionAct, FileIssue
from onewindow.dashboard import Approval, Figure, Scope, Section

LIST, VIEW = "archive:list", "archive.view_archivedfile"
# a file still kept may be destroyed (or its date is still to come)
KEPT = (ArchivedFile.Status.IN_ARCHIVE, ArchivedFile.Status.ISSUED, ArchivedFile.Status.NOT_FOUND)


def overdue_issues(today: datetime.date):
    """Issues not returned by their day (one open issue per file)."""
    return FileIssue.objects.filter(returned_on__isnull=True, due_back__lt=today)


def eligible_in_q(year: int) -> Q:
    """Files kept now whose retention lets them be destroyed from `year` (1 January): neither
    permanent nor under a legal hold."""
    return Q(
        status__in=KEPT,
        legal_hold=False,
        eligible_from__gte=datetime.date(year, 1, 1),
        eligible_from__lte=datetime.date(year, 12, 31),
    )


def archive_section(scope: Scope) -> Section:
    today = scope.today
    year = today.year
    files = ArchivedFile.objects.filter(scope.where()).aggregate(
        issued=Count("id", filter=Q(status=ArchivedFile.Status.ISSUED)),
        not_found=Count("id", filter=Q(status=ArchivedFile.Status.NOT_FOUND)),
        eligible=Count("id", filter=eligible_in_q(year)),
    )
    overdue = overdue_issues(today).filter(scope.where()).count()
    acts = DestructionAct.objects.filter(scope.where()).aggregate(
        draft=Count("id", filter=Q(status=DestructionAct.Status.DRAFT)),
        agreed=Count("id", filter=Q(status=DestructionAct.Status.AGREED)),
    )

    def link(**params) -> str:
        return scope.link(LIST, VIEW, **params)

    def acts_url(status: str) -> str:
        return scope.link("archive:acts", "archive.view_destructionact", status=status)

    return Section(
        "archive",
        "Архив",
        figures=[
            Figure("выдано во временное пользование", files["issued"], link(status="issued")),
            Figure("не возвращено в срок", overdue, link(overdue=1), alarm=True),
            Figure(
                "не найдено при последней проверке наличия",
                files["not_found"],
                link(status="not_found"),
                alarm=True,
            ),
            Figure(f"можно уничтожить с {year} года", files["eligible"], link(eligible=year)),
            Figure("акты на согласовании ЭК", acts["draft"], acts_url("draft")),
            Figure("акты на утверждении у директора", acts["agreed"], acts_url("agreed")),
        ],
        note=f"На {today:%d.%m.%Y}.",
    )


def acts_waiting(scope: Scope) -> list[Approval]:
    """Destruction acts agreed by the expert commission, waiting for the director."""
    acts = (
        DestructionAct.objects.filter(scope.where(), status=DestructionAct.Status.AGREED)
        .select_related("office")
        .annotate(files=Count("items"))
        .order_by("act_date", "number")[:50]
    )
    user = scope.user
    return [
        Approval(
            text=f"Акт о выделении к уничтожению № {act.number} от {act.act_date:%d.%m.%Y}: "
            f"дел — {act.files}, протокол ЭК № {act.protocol_number}"
            + (f" от {act.protocol_date:%d.%m.%Y}" if act.protocol_date else ""),
            url=reverse("archive:act", args=[act.pk])
            if user.has_perm("archive.view_destructionact")
            and (user.sees_all_offices or act.office_id == user.office_id)
            else "",
            office=act.office.short_name,
            since=act.protocol_date,
        )
        for act in acts
    ]


def register() -> None:
    from onewindow import dashboard

    dashboard.register_section("archive", archive_section, order=50)
    dashboard.register_approvals(acts_waiting)
