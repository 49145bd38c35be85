"""The counter's open work of a person (`onewindow.work`: «Мои дела», handover) and what the
chief's assignments may concern (`onewindow.assignments`)."""

from django.db.models import Q

from cases.models import (
    Applicant,
    Application,
    IncomingRequest,
    InteragencyRequest,
    OutgoingRequest,
)
from onewindow import assignments, work


def register() -> None:
    register_work()
    register_assignment_targets()


def register_work() -> None:
    work.register(
        work.WorkKind(
            "application",
            "Заявления",
            Application,
            "specialist",
            open_filter=Q(status__in=Application.OPEN_STATUSES),
            due_field="deadline",
            url_name="cases:application",
            select_related=("applicant", "service"),
        )
    )
    # A decision is not the end of the work: the applicant is to be told of it.
    work.register(
        work.WorkKind(
            "application_notice",
            "Решения: уведомить заявителя",
            Application,
            "specialist",
            open_filter=Q(status__in=Application.TO_NOTIFY_STATUSES),
            due_field="notice_due",
            url_name="cases:application",
            select_related=("applicant", "service"),
        )
    )
    work.register(
        work.WorkKind(
            "interagency",
            "Межведомственные запросы",
            InteragencyRequest,
            "handled_by",
            open_filter=Q(result="", application__status__in=Application.OPEN_STATUSES),
            due_field="due_date",
            url_name="cases:interagency",
            select_related=("agency", "document", "application__applicant"),
        )
    )
    work.register(
        work.WorkKind(
            "incoming", "Запросы из других районов и регионов", IncomingRequest, "assigned_to",
            open_filter=Q(answered_on__isnull=True), due_field="due_date", url_name="cases:incoming",
        )
    )  # fmt: skip
    work.register(
        work.WorkKind(
            "outgoing", "Наши запросы в другие учреждения", OutgoingRequest, "handled_by",
            open_filter=Q(answered_on__isnull=True), due_field="due_date", url_name="cases:outgoing",
            select_related=("to_office", "applicant"),
        )
    )  # fmt: skip


def register_assignment_targets() -> None:
    """What the chief's assignments may concern («Дать поручение» on these pages)."""
    assignments.register_target(
        Applicant, url_name="cases:applicant",
        describe=lambda a: f"заявитель {a.full_name}, {a.birth_date:%d.%m.%Y}",
    )  # fmt: skip
    assignments.register_target(
        Application, url_name="cases:application", select_related=("applicant", "service")
    )
    assignments.register_target(
        InteragencyRequest, url_name="cases:interagency",
        select_related=("agency", "document", "application__applicant"),
    )  # fmt: skip
    assignments.register_target(IncomingRequest, url_name="cases:incoming")
