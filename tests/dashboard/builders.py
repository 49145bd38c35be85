"""Records of a known office for the dashboard's tests, each dated around the frozen day."""

import datetime
import itertools

from django.utils import timezone

from tests.factories import ApplicantFactory

NUMBERS = itertools.count(1)


def day(text: str) -> datetime.date:
    return datetime.datetime.strptime(text, "%d.%m.%Y").date()


def moment(text: str, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day(text), datetime.time(hour)))


def make_application(office, *, person=None, code="edv-veterans", registered="24.11.2026",
                     deadline="08.12.2026", status="accepted", decided=None, accepted_by, specialist=None,
                     last_name="Заявителев"):  # fmt: skip
    from cases.models import Application, CaseFile
    from services.models import Service

    number = next(NUMBERS)
    person = person or ApplicantFactory(office=office, snils="", last_name=last_name)
    case_file = CaseFile.objects.filter(office=office, applicant=person).first() or CaseFile.objects.create(
        office=office, applicant=person, number=number, opened_on=day(registered)
    )  # fmt: skip
    service = Service.objects.get(code=code)
    registered_on = day(registered)
    return Application.objects.create(
        office=office, applicant=person, case_file=case_file, service=service,
        service_version=service.version_on(registered_on) or service.versions.order_by("pk").first(),
        status=status, received_at=moment(registered), registered_on=registered_on,
        registered_at=moment(registered), reg_year=registered_on.year, reg_number=number,
        deadline=day(deadline), accepted_by=accepted_by, specialist=specialist or accepted_by,
        decision_date=day(decided) if decided else None,
    )  # fmt: skip


def make_incoming(office, user, *, due, answered=None, name="Запросова Ирина"):
    from cases.models import IncomingRequest, RequestKind

    return IncomingRequest.objects.create(
        office=office, kind=RequestKind.objects.order_by("pk").first(), sender="ЦСЗН по Дзержинскому району",
        sender_number=f"15-01/{next(NUMBERS)}", sender_date=day("16.11.2026"), received_on=day("17.11.2026"),
        subject_name=name, question="Сведения о мерах", due_date=day(due), assigned_to=user,
        answered_on=day(answered) if answered else None,
    )  # fmt: skip


def make_selection(office, *, created, user=None, status="open", worked=None, confirm=False,
                   kind="deaths", last_name="Селекцов"):  # fmt: skip
    from reconciliation.models import ExtractProfile, ReconciliationRun, Selection

    profile = ExtractProfile.objects.filter(kind=kind).first()
    run = ReconciliationRun.objects.create(
        office=office, profile=profile, source=profile.source, kind=profile.kind,
        file_name="extract.csv", file_path="", sha256="0" * 64, status="done",
    )  # fmt: skip
    person = ApplicantFactory(office=office, snils="", last_name=last_name)
    item = Selection.objects.create(
        office=office, run=run, applicant=person, kind=kind, source=profile.source,
        match="probable" if confirm else "snils", needs_confirmation=confirm,
        suggested_action="stop", services=["asp"], assigned_to=user, status=status,
        outcome="no_action" if status == "done" else "", worked_at=moment(worked) if worked else None,
    )  # fmt: skip
    Selection.objects.filter(pk=item.pk).update(created_at=moment(created))  # auto_now_add
    item.refresh_from_db()
    return item
