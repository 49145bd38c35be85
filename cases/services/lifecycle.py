"""An application's lifecycle after registration: transfer, review, the decision (with its
numbers, grounds and the measure it grants), the notice, a withdrawal."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cases.decisions import clauses_display, regulation_genitive
from cases.errors import CounterError
from cases.models import Application, ApplicationEvent, CaseFile, Entitlement
from cases.services.applicants import archived_refusal
from onewindow.errors import save_with_actor
from onewindow.numbering import next_number
from services.models import Ground, ServiceVersion

S = Application.Status

TRANSITIONS: dict[str, dict] = {
    "transfer": {"from": {S.ACCEPTED}, "to": S.TRANSFERRED, "perm": "cases.change_application", "title": "Передать в отдел"},
    "review": {"from": {S.TRANSFERRED}, "to": S.IN_REVIEW, "perm": "cases.change_application", "title": "Принять к рассмотрению"},
    "grant": {"from": {S.TRANSFERRED, S.IN_REVIEW}, "to": S.GRANTED, "perm": "cases.decide_application", "title": "Решение: назначить"},
    "refuse": {"from": {S.TRANSFERRED, S.IN_REVIEW}, "to": S.REFUSED, "perm": "cases.decide_application", "title": "Решение: отказать"},
    "notify": {"from": {S.GRANTED, S.REFUSED}, "to": S.NOTIFIED, "perm": "cases.change_application", "title": "Заявитель уведомлён"},
    "withdraw": {"from": {S.ACCEPTED, S.TRANSFERRED, S.IN_REVIEW}, "to": S.WITHDRAWN, "perm": "cases.change_application", "title": "Отозвано заявителем"},
}  # fmt: skip

# Checks other apps add (e.g. open interagency requests block a decision); each returns an
# error message or None.
DECISION_GUARDS: list = []

# The applicant is told of the decision within this many working days of it (210-ФЗ and the
# regulations: «в течение 5 рабочих дней со дня принятия решения»); until then the application
# stays in its specialist's work.
NOTICE_WORKING_DAYS = 5


def available_transitions(application: Application, user) -> list[tuple[str, str]]:
    return [
        (name, spec["title"])
        for name, spec in TRANSITIONS.items()
        if application.status in spec["from"] and user.has_perm(spec["perm"])
    ]


def _number_notice(application: Application, day: datetime.date) -> None:
    if application.notice_number is None:
        application.notice_number = next_number(application.office, "notice", day.year)
        application.notice_date = day


def _number_decision(application: Application) -> None:
    """The decision's number in the office's register of decisions, in the year of its date."""
    if application.decision_number is None and application.decision_date is not None:
        application.decision_number = next_number(
            application.office, "decision", application.decision_date.year
        )


def number_notice(application: Application, *, actor) -> Application:
    """The outgoing number of the decision's notice and the decision's own number: given with
    the decision; a decision made before they were numbered gets them when its notice is first
    printed (once: every reprint says the same)."""
    if application.notice_number is not None and application.decision_number is not None:
        return application
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.notice_number is None or (
            application.decision_number is None and application.decision_date is not None
        ):
            _number_notice(application, timezone.localdate())
            _number_decision(application)
            application._history_user = actor
            application.save(update_fields=["notice_number", "notice_date", "decision_number"])
    return application


def transition(
    application: Application,
    name: str,
    *,
    actor,
    note: str = "",
    reason: str = "",
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    amount: Decimal | None = None,
    override_reason: str = "",
    grounds: list[int] | None = None,
) -> Application:
    """Move the application one step of its lifecycle. A refusal names the grounds of the
    application's version that it rests on (`grounds`: ids of its `refuse` grounds; at least one
    when the version has any), `reason` explaining it; a version without grounds (an older
    one) is refused with the reason alone."""
    from django.core.exceptions import PermissionDenied

    spec = TRANSITIONS.get(name)
    if spec is None:
        raise CounterError(f"Неизвестное действие «{name}».")
    if not actor.has_perm(spec["perm"]):
        raise PermissionDenied(f"Недостаточно прав: «{spec['title']}»")
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status not in spec["from"]:
            raise CounterError(
                f"Действие «{spec['title']}» невозможно: заявление в состоянии «{application.get_status_display()}»."
            )
        today = timezone.localdate()
        picked: list[Ground] = []
        if name == "refuse":
            picked = _record_refusal(application, grounds or [], reason)
        if name == "withdraw":
            if not reason.strip():
                raise CounterError(
                    "Укажите, как заявитель отозвал заявление (дата, основание).", field="reason"
                )
            application.withdrawal_reason = reason.strip()
        if name in {"grant", "refuse"}:
            _record_decision(application, today, actor=actor, override_reason=override_reason)
        if name == "grant":
            _grant(application, today, start_date=start_date, end_date=end_date, amount=amount)
        if name == "notify":
            application.notified_on = today
        previous = application.status
        application.status = spec["to"]
        save_with_actor(application, actor)
        ApplicationEvent.objects.create(
            application=application,
            actor=actor,
            from_status=previous,
            to_status=spec["to"],
            note="; ".join(
                part
                for part in (
                    note,
                    picked and f"основания отказа: {clauses_display(application.refusal_grounds)}",
                    reason,
                    override_reason and f"решение при открытых запросах: {override_reason}",
                )
                if part
            ),
        )
    return application


def _record_refusal(application: Application, grounds: list, reason: str) -> list[Ground]:
    """The refusal's grounds and reason written on the application; returns the grounds."""
    version = application.service_version
    picked = _refusal_grounds(version, grounds, reason)
    # the act as cited on the day of the decision: a reprint says the same
    act = regulation_genitive(version.regulation)
    application.refusal_grounds = [{"clause": g.clause, "text": g.text, "act": act} for g in picked]
    application.refusal_reason = reason.strip()
    return picked


def _record_decision(
    application: Application, today: datetime.date, *, actor, override_reason: str
) -> None:
    """A decision (grant or refusal): refused on an archived case file or by a guard; dated,
    with the notice due and both numbers."""
    if application.case_file.status == CaseFile.Status.ARCHIVED:
        raise archived_refusal(application.case_file, "решение по заявлению не принимается")
    for guard in DECISION_GUARDS:
        message = guard(application, actor=actor, override_reason=override_reason)
        if message:
            raise CounterError(message, field="override_reason")
    application.decision_date = today
    application.notice_due = application.service_version.notice_deadline(today, NOTICE_WORKING_DAYS)
    _number_decision(application)
    _number_notice(application, today)


def _grant(
    application: Application,
    today: datetime.date,
    *,
    start_date: datetime.date | None,
    end_date: datetime.date | None,
    amount: Decimal | None,
) -> None:
    """The measure the grant opens (from `start_date`, today by default), checked first."""
    start = start_date or today
    if end_date and end_date < start:
        raise CounterError("Дата окончания меры раньше даты начала.", field="end_date")
    if amount is not None and amount <= 0:
        raise CounterError("Размер выплаты — положительная сумма в рублях.", field="amount")
    if application.service.issues_document and (amount is not None or end_date):
        raise CounterError(
            "По этой услуге выдаётся документ (справка, удостоверение): размер и срок "
            "выплаты не указываются.",
            field="amount" if amount is not None else "end_date",
        )
    applicant = application.applicant
    if applicant.death_date and not application.service_version.on_death:
        raise CounterError(
            f"{applicant.full_name} {applicant.died_word} {applicant.death_date:%d.%m.%Y}: меру назначить нельзя. "
            "Примите решение об отказе.",
        )
    application.payment_due = (
        None
        if application.service.issues_document
        else application.service_version.payment_deadline(today)
    )
    Entitlement.objects.create(
        office=application.office,
        applicant=application.applicant,
        case_file=application.case_file,
        service=application.service,
        application=application,
        start_date=start,
        end_date=end_date,
        amount=amount,
    )


def _refusal_grounds(version: ServiceVersion, ids: list, reason: str) -> list[Ground]:
    """The version's refuse grounds the refusal picked, in the regulation's order. A ground of
    another version (a page opened before a regulation change, a forged form) is refused; so is
    a refusal without a ground when the version has grounds, or without a reason when it has
    none."""
    available = {g.pk: g for g in version.grounds_of(Ground.Kind.REFUSE)}
    try:
        wanted = {int(i) for i in ids}
    except (TypeError, ValueError):
        wanted = {None}
    if wanted - set(available):
        raise CounterError(
            "Выбрано основание отказа, которого нет в регламенте редакции услуги этого заявления "
            f"({version.period_display}): обновите страницу и отметьте основания из списка.",
            field="grounds",
        )
    if available and not wanted:
        raise CounterError(
            "Отметьте хотя бы одно основание отказа из регламента услуги (пункт и текст "
            "основания); пояснение пишется дополнительно.",
            field="grounds",
        )
    if not available and not reason.strip():
        raise CounterError("Укажите причину отказа.", field="reason")
    return [g for pk, g in available.items() if pk in wanted]
