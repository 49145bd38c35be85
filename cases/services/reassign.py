"""Reassigning applications (the chief, from the journal)."""

from __future__ import annotations

from django.db import transaction

from cases.models import Application, ApplicationEvent

TAKES_APPLICATIONS = "cases.change_application"


def reassign_applications(applications, to_user, *, actor, note: str = ""):
    """Give the selected applications (open, or decided and not yet notified) to another
    specialist of their office: one transaction, all or nothing; each gets an event and a
    history row naming who moved it. Returns `onewindow.reassign.Reassigned`."""
    from onewindow.names import name_in
    from onewindow.reassign import REASSIGNS, reassign_rows

    ids = [getattr(item, "pk", item) for item in applications]
    working = (*Application.OPEN_STATUSES, *Application.TO_NOTIFY_STATUSES)

    def event(application, previous) -> None:
        text = f"Передано {name_in(to_user, 'dative', short=True)}" + (
            f" (было у {name_in(previous, 'genitive', short=True)})" if previous else ""
        )
        ApplicationEvent.objects.create(
            application=application, actor=actor, from_status=application.status,
            to_status=application.status, note=text + (f": {note}" if note else ""),
        )  # fmt: skip

    with transaction.atomic():
        rows = Application.objects.select_for_update().filter(pk__in=ids).order_by("pk")
        return reassign_rows(
            rows,
            field="specialist", to_user=to_user, actor=actor, permission=REASSIGNS,
            takes_work=TAKES_APPLICATIONS, note=note,
            is_open=lambda a: a.status in working,
            title=lambda a: f"заявление № {a.number_display} ({a.get_status_display()})",
            on_moved=event,
        )  # fmt: skip
