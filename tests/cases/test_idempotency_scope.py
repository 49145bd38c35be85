"""Issue 14, item 3: an idempotency key answers with the original result only to its author."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Application
from onewindow import roles
from tests.counter import checklist_post
from tests.factories import ApplicantFactory, counter_marks, make_user

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_another_offices_key_reveals_nothing_and_registers_the_attackers_own_application(
    client, specialist, other_specialist, applicant, other_applicant
):
    client.force_login(specialist)
    data = checklist_post("edv-veterans", timezone.localdate())
    client.post(reverse("cases:apply_form", args=[applicant.pk, "edv-veterans"]), data)
    victim = Application.objects.get()

    # The attacker of another office replays the victim's key (a forged hidden field).
    client.force_login(other_specialist)
    response = client.post(
        reverse("cases:apply_form", args=[other_applicant.pk, "edv-veterans"]),
        {
            **checklist_post("edv-veterans", timezone.localdate()),
            "idempotency_key": data["idempotency_key"],
        },
        follow=True,
    )
    own = Application.objects.exclude(pk=victim.pk).get()
    assert own.office == other_specialist.office and own.applicant == other_applicant
    assert own.accepted_by == other_specialist
    assert response.redirect_chain[-1][0] == reverse("cases:application", args=[own.pk])
    assert response.status_code == 200
    text = " ".join(_messages(response))
    assert f"Заявление № {own.number_display} зарегистрировано" in text
    assert str(victim.pk) not in response.redirect_chain[-1][0].split("/")
    # The victim's application is untouched; the number is the other office's own journal.
    victim.refresh_from_db()
    assert victim.applicant == applicant and victim.accepted_by == specialist


def test_a_colleagues_key_in_the_same_office_is_not_the_colleagues_application(
    specialist, applicant, office
):
    """The key belongs to its author, not to the office: a colleague's key is a fresh key."""
    colleague = make_user(roles.SPECIALIST, office, "colleague")
    colleague_applicant = ApplicantFactory(office=office, snils="12345678964", last_name="Сидорова")
    day = timezone.localdate()
    key = "7a0e1b0c-0000-4000-8000-000000000001"
    first = services.register_application(
        applicant, _service(), actor=specialist, marks=_marks(day), idempotency_key=key
    )
    second = services.register_application(
        colleague_applicant, _service(), actor=colleague, marks=_marks(day), idempotency_key=key
    )
    assert second.pk != first.pk and second.applicant == colleague_applicant
    assert second.accepted_by == colleague


def test_the_author_retrying_gets_the_original_application(specialist, applicant):
    day = timezone.localdate()
    key = "7a0e1b0c-0000-4000-8000-000000000002"
    first = services.register_application(
        applicant, _service(), actor=specialist, marks=_marks(day), idempotency_key=key
    )
    again = services.register_application(
        applicant, _service(), actor=specialist, marks=_marks(day), idempotency_key=key
    )
    assert again.pk == first.pk and Application.objects.count() == 1


def _service():
    from services.models import Service

    return Service.objects.get(code="edv-veterans")


def _marks(day):
    version = _service().version_on(day)
    return counter_marks(version)
