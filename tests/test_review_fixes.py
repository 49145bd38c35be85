"""Defects found in review, each pinned by a test."""

import datetime

import pytest
from django.urls import reverse

from cases.models import Application, InteragencyRequest
from onewindow import handover, roles, work
from services.regulations import RegulationFileError, build_plan, parse_change
from tests.cases.test_applications import register
from tests.factories import make_user
from tests.pdf_utils import pdf_text

pytestmark = pytest.mark.django_db

HEAD = "regulation: {kind: приказ, number: '1', date: 2026-11-01, title: Т}\n"


@pytest.mark.parametrize(
    "body,message",
    [
        (
            "effective_from: 2026-02-30\nservices: [{code: asp, deadline_days: 5}]\n",
            "столбец 17: неверная дата «2026-02-30»: такого дня нет в календаре",
        ),
        (
            "effective_from:\nservices: [{code: asp, deadline_days: 5}]\n",
            "services[0].effective_from: не указана дата вступления в силу",
        ),
        (
            "effective_from: 2026-12-01\nservices: [{code: asp, deadline_days: 40000}]\n",
            "services[0].deadline_days: слишком большое значение 40000 (не более 365)",
        ),
        (
            "effective_from: 2026-12-01\nservices: [{code: asp, short_title: '"
            + "я" * 201
            + "'}]\n",
            "services[0].short_title: слишком длинный текст (201 знаков, не более 200)",
        ),
    ],
)
def test_bad_values_in_a_regulation_file_are_errors_not_crashes(catalogue, body, message):
    with pytest.raises(RegulationFileError) as info:
        build_plan(parse_change((HEAD + body).encode()))
    assert any(message in error for error in info.value.errors), info.value.errors


def test_checklist_rows_keep_history(client, specialist, catalogue, office):
    from cases.models import ApplicationDocument
    from services.models import RequiredDocument
    from tests.factories import ApplicantFactory

    assert RequiredDocument.history.count() == RequiredDocument.objects.count() > 0
    client.force_login(specialist)
    register(client, ApplicantFactory(office=office, snils=""))
    assert (
        ApplicationDocument.history.filter(history_user=specialist).count()
        == ApplicationDocument.objects.count()
        > 0
    )


def test_withdrawn_application_leaves_no_open_requests_in_my_work(
    client, specialist, catalogue, office
):
    from tests.factories import ApplicantFactory

    client.force_login(specialist)
    register(client, ApplicantFactory(office=office, snils=""))
    application = Application.objects.get()
    assert work.KINDS["interagency"].open_items(specialist).exists()
    client.post(
        reverse("cases:transition", args=[application.pk, "withdraw"]),
        {"reason": "заявление от 24.11.2026"},
    )
    assert InteragencyRequest.objects.filter(result="").exists()
    assert not work.KINDS["interagency"].open_items(specialist).exists()
    assert handover.deactivation_blockers(specialist) == []


def test_receipt_names_who_accepted_even_after_a_handover(
    client, specialist, chief, catalogue, office
):
    from tests.factories import ApplicantFactory

    substitute = make_user(
        roles.SPECIALIST, office, "substitute", last_name="Заменова", first_name="Ольга"
    )
    client.force_login(specialist)
    register(client, ApplicantFactory(office=office, snils=""))
    application = Application.objects.get()
    handover.hand_over(actor=chief, from_user=specialist, to_user=substitute, reason="leave",
                       starts_on=datetime.date(2026, 11, 24), ends_on=datetime.date(2026, 11, 30))  # fmt: skip
    client.force_login(substitute)
    text = pdf_text(client.get(reverse("cases:receipt", args=[application.pk])).content)
    assert "А. С. Петрова" in text and "Заменова" not in text


def test_work_goes_only_to_someone_who_works_cases(
    chief, specialist, archivist, catalogue, office, client
):
    from tests.factories import ApplicantFactory

    client.force_login(specialist)
    register(client, ApplicantFactory(office=office, snils=""))
    with pytest.raises(handover.HandoverError, match="нет роли специалиста"):
        handover.hand_over(actor=chief, from_user=specialist, to_user=archivist, reason="leave",
                           starts_on=datetime.date(2026, 11, 24), ends_on=datetime.date(2026, 11, 30))  # fmt: skip


def test_expired_temporary_handovers_return_by_themselves(
    client, specialist, chief, catalogue, office
):
    from tests.factories import ApplicantFactory

    substitute = make_user(roles.SPECIALIST, office, "substitute")
    client.force_login(specialist)
    register(client, ApplicantFactory(office=office, snils=""))
    h = handover.hand_over(actor=chief, from_user=specialist, to_user=substitute, reason="trip",
                           starts_on=datetime.date(2026, 11, 24), ends_on=datetime.date(2026, 11, 26))  # fmt: skip
    assert handover.return_expired(today=datetime.date(2026, 11, 26)) == []
    assert handover.return_expired(today=datetime.date(2026, 11, 27)) == [h]
    assert Application.objects.get().specialist == specialist
