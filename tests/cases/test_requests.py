import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import requests as svc
from cases.models import (
    Application,
    IncomingRequest,
    InteragencyRequest,
    OutgoingRequest,
    RequestKind,
)
from cases.services import CounterError
from onewindow import workdays
from tests.factories import ApplicationFactory, InteragencyRequestFactory
from tests.pdf_utils import pdf_text

pytestmark = pytest.mark.django_db
D = datetime.date


def test_registration_opens_a_request_for_each_document_the_office_obtains(
    client, specialist, applicant, freeze_now
):
    freeze_now(datetime.datetime(2025, 12, 29, 10, 0))
    client.force_login(specialist)
    ApplicationFactory(actor=specialist, applicant=applicant)
    application = Application.objects.get()
    requested = application.documents.filter(status="requested")
    requests = InteragencyRequest.objects.filter(application=application)
    assert requested.count() == requests.count() >= 1
    request = requests.get(document__document_type__code="snils")
    assert request.agency.name == "Социальный фонд России"
    assert request.sent_on == D(2025, 12, 29)
    # 5 working days across the New Year holidays: 30 Dec, then 12-15 January
    assert request.due_date == D(2026, 1, 15) == workdays.add_working_days(D(2025, 12, 29), 5)
    assert request.handled_by == specialist


def test_response_marks_the_document_obtained_and_a_second_answer_is_refused(
    client, specialist, applicant
):
    client.force_login(specialist)
    request = InteragencyRequestFactory(actor=specialist, application__applicant=applicant)
    url = reverse("cases:interagency", args=[request.pk])
    response = client.post(
        url,
        {
            "result": "received",
            "response_on": request.sent_on.isoformat(),
            "note": "сведения получены",
        },
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.result == "received" and request.document.status == "obtained"
    html = client.get(reverse("cases:application", args=[request.application_id])).content.decode()
    assert "получен по межведомственному запросу" in html
    with pytest.raises(CounterError, match="Ответ на этот запрос уже записан"):
        svc.record_interagency_response(
            request, actor=specialist, result="refused", response_on=request.sent_on
        )


def test_response_dated_before_the_request_is_refused(specialist, applicant, client):
    client.force_login(specialist)
    request = InteragencyRequestFactory(actor=specialist, application__applicant=applicant)
    html = client.post(
        reverse("cases:interagency", args=[request.pk]),
        {
            "result": "received",
            "response_on": (request.sent_on - datetime.timedelta(days=1)).isoformat(),
        },
    ).content.decode()
    assert "Дата ответа раньше даты направления запроса." in html
    request.refresh_from_db()
    assert request.is_open


def test_open_request_blocks_the_decision_unless_the_chief_overrides(client, chief, applicant):
    client.force_login(chief)
    application = ApplicationFactory(actor=chief, applicant=applicant)
    client.post(reverse("cases:transition", args=[application.pk, "transfer"]))
    html = client.post(
        reverse("cases:transition", args=[application.pk, "grant"]), follow=True
    ).content.decode()
    assert "открыто межведомственных запросов" in html
    application.refresh_from_db()
    assert application.status == "transferred"
    client.post(
        reverse("cases:transition", args=[application.pk, "grant"]),
        {"override_reason": "сведения получены по телефону"},
    )
    application.refresh_from_db()
    assert application.status == "granted"
    assert (
        application.events.last().note
        == "решение при открытых запросах: сведения получены по телефону"
    )


def test_specialist_cannot_override(specialist, applicant, client):
    from cases import services

    client.force_login(specialist)
    ApplicationFactory(actor=specialist, applicant=applicant)
    application = Application.objects.get()
    message = svc.open_requests_guard(application, actor=specialist, override_reason="хочу")
    assert message == "Решение при открытых запросах может принять только главный специалист."
    assert services.TRANSITIONS  # the guard is wired into decisions
    assert svc.open_requests_guard in services.DECISION_GUARDS


def test_overdue_requests_are_listed(client, specialist, applicant, freeze_now):
    freeze_now(datetime.datetime(2026, 11, 2, 10, 0))
    client.force_login(specialist)
    ApplicationFactory(actor=specialist, applicant=applicant)
    freeze_now(datetime.datetime(2026, 11, 20, 10, 0))
    client.force_login(specialist)  # the session of 2 November has expired by now
    html = client.get(reverse("cases:requests"), {"show": "overdue"}).content.decode()
    assert "просрочен" in html and "Социальный фонд России" in html


def test_requests_of_a_withdrawn_application_are_not_listed_as_awaited(
    client, specialist, applicant, freeze_now
):
    from cases.services import transition

    freeze_now(datetime.datetime(2026, 11, 2, 10, 0))
    client.force_login(specialist)
    ApplicationFactory(actor=specialist, applicant=applicant)
    application = Application.objects.get()
    transition(application, "withdraw", actor=specialist, reason="заявление об отзыве")
    freeze_now(datetime.datetime(2026, 11, 20, 10, 0))
    client.force_login(specialist)
    for show in ("open", "overdue"):
        html = client.get(reverse("cases:requests"), {"show": show}).content.decode()
        section = html.split('<h2 id="interagency">Межведомственные запросы</h2>')[1].split(
            "</table>"
        )[0]
        assert "Социальный фонд России" not in section, show
    html = client.get(reverse("cases:requests"), {"show": "all"}).content.decode()
    assert "Социальный фонд России" in html  # still in the full list


def incoming_data(**changes):
    kind = RequestKind.objects.get(code="benefit-info")
    data = {
        "kind": kind.pk, "sender": "ГКУ ЦСЗН по г. Волжскому", "sender_number": "12-345",
        "sender_date": "2026-11-16", "received_on": "2026-11-18", "subject_name": "Иванов Иван Иванович",
        "subject_birth_date": "1950-03-15", "question": "Сведения о получении ЕДВ",
    }  # fmt: skip
    data.update(changes)
    return data


def test_incoming_request_due_date_links_the_applicant_and_answer_letter(
    client, specialist, applicant
):
    client.force_login(specialist)
    response = client.post(reverse("cases:incoming_new"), incoming_data())
    item = IncomingRequest.objects.get()
    assert response["Location"] == reverse("cases:incoming", args=[item.pk])
    assert item.applicant == applicant
    assert item.due_date == workdays.add_working_days(D(2026, 11, 18), 5) == D(2026, 11, 25)
    assert item.assigned_to == specialist
    client.post(reverse("cases:incoming", args=[item.pk]),
                {"answer": "ЕДВ назначена с 01.01.2020, выплачивается.", "attachments": "Копия решения — 1 л."})  # fmt: skip
    item.refresh_from_db()
    assert item.answered_on == timezone.localdate() and item.out_number == 1
    text = pdf_text(client.get(reverse("cases:incoming_letter", args=[item.pk])).content)
    assert f"Исх. № 1/{item.out_year}" in text
    assert "На № 12-345 от 16.11.2026" in text
    assert "ЕДВ назначена с 01.01.2020, выплачивается." in text and "Копия решения — 1 л." in text
    assert "ЦСЗН Краснооктябрьского района" in text or "Краснооктябрьскому району" in text
    html = client.post(
        reverse("cases:incoming", args=[item.pk]), {"answer": "ещё раз"}
    ).content.decode()
    assert "На этот запрос уже ответили" in html


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"due_date": "2026-11-10"}, "Срок ответа раньше даты поступления запроса."),
        ({"sender_date": "2026-11-20"}, "Дата запроса позже даты поступления."),
        (
            {"subject_snils": "112-233-445 96"},
            "Неверное контрольное число СНИЛС — проверьте номер.",
        ),
        ({"sender": ""}, "Укажите отправителя."),
    ],
)
def test_incoming_request_bad_input(client, specialist, catalogue, changes, message):
    client.force_login(specialist)
    html = client.post(reverse("cases:incoming_new"), incoming_data(**changes)).content.decode()
    assert message in html
    assert not IncomingRequest.objects.exists()


def test_cross_office_round_trip_keeps_each_office_to_its_own_people(
    client, specialist, other_specialist, applicant, other_applicant
):
    client.force_login(specialist)
    kind = RequestKind.objects.get(code="case-file-copy")
    response = client.post(
        reverse("cases:outgoing_new", args=[applicant.pk]),
        {
            "to_office": other_specialist.office.pk,
            "kind": kind.pk,
            "question": "Получал ли пособие в вашем районе?",
        },
    )
    outgoing = OutgoingRequest.objects.get()
    assert response["Location"] == reverse("cases:outgoing", args=[outgoing.pk])
    incoming = IncomingRequest.objects.get()
    assert (
        incoming.office == other_specialist.office and incoming.sender_office == specialist.office
    )
    assert incoming.subject_name == "Иванов Иван Иванович" and incoming.applicant is None

    client.force_login(other_specialist)
    # the other office sees the request, but not our applicant's card
    assert client.get(reverse("cases:incoming", args=[incoming.pk])).status_code == 200
    assert client.get(reverse("cases:applicant", args=[applicant.pk])).status_code == 404
    assert client.get(reverse("cases:outgoing", args=[outgoing.pk])).status_code == 404
    client.post(reverse("cases:incoming", args=[incoming.pk]), {"answer": "Пособие не получал."})

    client.force_login(specialist)
    outgoing.refresh_from_db()
    assert outgoing.answer == "Пособие не получал." and outgoing.answered_on is not None
    html = client.get(reverse("cases:outgoing", args=[outgoing.pk])).content.decode()
    assert "Пособие не получал." in html
    assert client.get(reverse("cases:incoming", args=[incoming.pk])).status_code == 404
    assert client.get(reverse("cases:applicant", args=[other_applicant.pk])).status_code == 404


def test_request_to_the_own_office_is_refused(specialist, applicant):
    kind = RequestKind.objects.get(code="other")
    with pytest.raises(CounterError, match=r"Запрос направляется в другое учреждение\."):
        svc.send_request_to_office(
            actor=specialist,
            to_office=specialist.office,
            kind=kind,
            applicant=applicant,
            question="?",
        )


@pytest.fixture
def everyone(specialist, chief, archivist, reg_admin, director, other_specialist, office):
    from onewindow import roles
    from tests.factories import make_user

    gone = make_user(roles.SPECIALIST, office, "gone", last_name="Уволенная", is_active=False)
    return {
        "may": {specialist, chief},
        "may_not": {archivist, reg_admin, director, gone, other_specialist},
    }


def test_incoming_executor_list_offers_only_who_may_answer_requests(client, specialist, everyone):
    from cases.forms import IncomingRequestForm

    offered = set(IncomingRequestForm(office=specialist.office).fields["assigned_to"].queryset)
    assert offered == everyone["may"]
    client.force_login(specialist)
    html = client.get(reverse("cases:incoming_new")).content.decode()
    executors = html.split('name="assigned_to"', 1)[1].split("</select>", 1)[0]
    for person in everyone["may_not"]:
        assert f'value="{person.pk}"' not in executors
    for person in everyone["may"]:
        assert f'value="{person.pk}"' in executors


def test_incoming_request_service_refuses_an_executor_the_list_does_not_offer(
    specialist, everyone, catalogue
):
    data = incoming_data()
    data["kind"] = RequestKind.objects.get(pk=data["kind"])
    for field in ("sender_date", "received_on", "subject_birth_date"):
        data[field] = D.fromisoformat(data[field])
    for person in everyone["may_not"]:
        with pytest.raises(CounterError) as info:
            svc.register_incoming_request(**data, assigned_to=person, actor=specialist)
        assert info.value.field == "assigned_to"
        assert "не может быть исполнителем" in str(info.value)
    assert not IncomingRequest.objects.exists()


def test_answer_letter_gives_the_addressee_half_the_width(client, specialist, applicant):
    from pypdf import PdfReader

    sender = "ГКУ «Центр социальной защиты населения по городу Волжскому Волгоградской области»"
    client.force_login(specialist)
    client.post(reverse("cases:incoming_new"), incoming_data(sender=sender))
    item = IncomingRequest.objects.get()
    client.post(reverse("cases:incoming", args=[item.pk]), {"answer": "Сведения прилагаются."})
    pdf = client.get(reverse("cases:incoming_letter", args=[item.pk])).content
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    starts = []  # x of each text run that belongs to the addressee

    def visit(text, cm, tm, font, size):
        if "Волжскому" in text or "Волгоградской области»" in text:
            starts.append(tm[4] * cm[0] + cm[4])

    page.extract_text(visitor_text=visit)
    width = float(page.mediabox.width)
    # the addressee's block starts near the middle of the page (about 80 mm wide), not squeezed
    # into the last fifth (~15 characters a line)
    assert starts and min(starts) < width * 0.6
