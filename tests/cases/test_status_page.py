"""Issue 23, item 7: the applicant learns the state of an application by the receipt's number and
the status code printed on it, without a login — and nothing else about anyone."""

import datetime
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import override_settings
from django.urls import resolve, reverse

from cases import printing, services
from cases import requests as case_requests
from cases.models import STATUS_CODE_ALPHABET
from cases.services import DocumentMark
from cases.status import NOT_FOUND, TOO_MANY, normalize_code, parse_receipt_number
from onewindow.models import AccessLog
from tests.factories import ApplicantFactory, ApplicationFactory, counter_marks
from tests.pdf_utils import pdf_text

pytestmark = pytest.mark.django_db

STATUS = "/status/"


@pytest.fixture
def person(office, catalogue):
    return ApplicantFactory(
        office=office, snils="11223344595", last_name="Статусова", first_name="Вера",
        middle_name="Павловна", sex="F", birth_date=datetime.date(1961, 7, 14),
    )  # fmt: skip


@pytest.fixture
def application(person, specialist):
    """An ЕДВ application: the office requests some documents by interagency request."""
    return ApplicationFactory(actor=specialist, applicant=person)


@pytest.fixture
def incomplete(person, specialist):
    """An АСП application accepted without a required document the applicant must bring."""
    from services.models import Service

    service = Service.objects.get(code="asp")
    marks = counter_marks(service.version_on(datetime.date(2026, 11, 24)))
    index, left_out = next(
        (i, m)
        for i, m in enumerate(marks)
        if m.status == "brought" and m.required_document.required
        and m.required_document.group is None and not m.required_document.interagency
        and not m.required_document.document_type.interagency
    )  # fmt: skip
    marks[index] = DocumentMark(left_out.required_document, "missing")
    application = services.register_application(
        person, service, actor=specialist, marks=marks, consent_given=True
    )
    assert application.incomplete
    return application, left_out.required_document.document_type.title


def ask(client, number, code, **extra):
    return client.get(STATUS, {"n": number, "c": code}, **extra)


def page_text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


# --- the code ----------------------------------------------------------------------------------


def test_every_application_gets_a_code_from_the_unambiguous_alphabet(specialist, catalogue):
    codes = [ApplicationFactory(actor=specialist).status_code for _ in range(12)]
    assert len(set(codes)) == len(codes)
    for code in codes:
        assert len(code) == 8 and set(code) <= set(STATUS_CODE_ALPHABET)
    assert not set("01OI") & set(STATUS_CODE_ALPHABET)


def test_typed_codes_and_numbers_are_read_as_a_person_types_them():
    assert normalize_code("abcd-efgh") == "ABCDEFGH"
    assert normalize_code(" ABCD EFGH ") == "ABCDEFGH"
    assert normalize_code("АВСК-2345") == "ABCK2345"  # Cyrillic look-alikes from a phone
    assert normalize_code("ABCD-EFG0") is None  # 0 is never in a code
    assert normalize_code("ABCDEFG") is None
    assert parse_receipt_number("№ 15/2026") == (15, 2026)
    assert parse_receipt_number("15 / 2026") == (15, 2026)
    assert parse_receipt_number("15") is None


# --- the page ----------------------------------------------------------------------------------


def test_qr_link_shows_status_deadline_and_awaited_documents_and_nothing_personal(
    client, application, person
):
    requested = list(application.interagency_requests.select_related("agency", "document"))
    assert requested  # the ЕДВ checklist has documents the office requests itself
    response = ask(client, application.number_display, application.status_code)
    assert response.status_code == 200
    text = page_text(response)
    assert f"Заявление № {application.number_display}" in text
    assert application.service.short_title in text
    assert "Документы приняты, заявление зарегистрировано" in text
    assert f"до {application.deadline:%d.%m.%Y}" in text
    for request in requested:
        assert f"{request.document.title} — {request.agency.name}" in text
        assert f"ответ ожидается до {request.due_date:%d.%m.%Y}" in text
    html = response.content.decode()
    for personal in (
        "Статусова", "Вера", "Павловна", "11223344595", "112-233-445 95", "14.07.1961",
        "1961-07-14", person.id_number, "Богунская", application.accepted_by.last_name,
        application.status_code, application.status_code_display,
    ):  # fmt: skip
        assert personal not in html, personal
    assert "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]


def test_documents_to_bring_are_listed_and_answered_requests_are_not(
    client, incomplete, specialist
):
    application, missing_title = incomplete
    text = page_text(ask(client, application.number_display, application.status_code))
    assert "Нужно представить в учреждение до принятия решения:" in text
    assert missing_title in text
    assert application.interagency_requests.exists() and "Учреждение запросило само" in text
    # the agencies answer: those documents are awaited no more
    for request in application.interagency_requests.all():
        case_requests.record_interagency_response(
            request, actor=specialist, result="received", response_on=request.sent_on
        )
    text = page_text(ask(client, application.number_display, application.status_code))
    assert "Учреждение запросило само" not in text
    assert missing_title in text


def test_an_agency_refusal_says_the_applicant_may_bring_the_document(
    client, application, specialist
):
    request = application.interagency_requests.select_related("document").first()
    case_requests.record_interagency_response(
        request, actor=specialist, result="refused", response_on=request.sent_on
    )
    text = page_text(ask(client, application.number_display, application.status_code))
    assert (
        f"{request.document.title} — {request.agency.name}: ведомство документ не представило"
        in text
    )


def test_a_decided_application_shows_the_decision_and_awaits_nothing(
    client, application, specialist, chief, freeze_now
):
    freeze_now(datetime.datetime(2026, 11, 26, 11, 0))
    services.transition(application, "transfer", actor=specialist)
    services.transition(application, "review", actor=chief)
    services.transition(
        application, "grant", actor=chief, start_date=datetime.date(2026, 12, 1),
        override_reason="сведения получены по телефону",
    )  # fmt: skip
    text = page_text(ask(client, application.number_display, application.status_code))
    assert "Решение принято: услуга предоставлена" in text
    assert "Решение принято 26.11.2026" in text
    assert "Ожидаемые документы" not in text and "ответ ожидается" not in text


def test_a_successful_check_is_in_the_access_log_without_the_code(client, application):
    ask(client, application.number_display, application.status_code.lower())
    entry = AccessLog.objects.get(event="status_check")
    assert entry.user is None and entry.result == "allowed"
    assert entry.subject_id == str(application.pk) and entry.subject_office == application.office
    assert entry.path == STATUS and application.status_code not in entry.path + entry.detail


# --- wrong codes, missing numbers, throttling ----------------------------------------------------


def _masked(html: str) -> str:
    """The page without what differs by nature: the CSRF token and the inputs echoed back."""
    html = re.sub(r'"X-CSRFToken": "[^"]*"', "", html)
    return re.sub(r'(name="[nc]" id="id_[nc]") value="[^"]*"', r"\1", html)


def test_a_wrong_code_and_a_missing_number_get_the_same_answer(client, application):
    wrong = "".join("A" if c != "A" else "B" for c in application.status_code)
    answers = [
        ask(client, application.number_display, wrong),
        ask(client, f"{application.reg_number + 100}/{application.reg_year}", wrong),
        # a code that belongs to another application with another number
        ask(client, "999/2026", application.status_code),
    ]
    assert {r.status_code for r in answers} == {404}
    bodies = {_masked(r.content.decode()) for r in answers}
    assert len(bodies) == 1
    assert NOT_FOUND in page_text(answers[0])
    assert "Документы приняты" not in page_text(answers[0])
    assert not AccessLog.objects.filter(event="status_check").exists()
    # the same headers (the length differs only by what was typed)
    assert (
        len(
            {
                tuple(sorted((k, v) for k, v in r.headers.items() if k != "Content-Length"))
                for r in answers
            }
        )
        == 1
    )


def test_same_number_in_two_offices_opens_only_the_one_with_the_code(
    client, application, other_specialist, catalogue
):
    other = ApplicationFactory(actor=other_specialist)
    assert other.number_display == application.number_display  # each office numbers its own
    text = page_text(ask(client, other.number_display, other.status_code))
    assert "Документы приняты" in text
    assert AccessLog.objects.get(event="status_check").subject_id == str(other.pk)


def test_a_malformed_code_is_explained_without_a_lookup(client, application):
    response = ask(client, application.number_display, "12")
    assert response.status_code == 200
    assert "Введите код с расписки: 8 знаков" in page_text(response)


@override_settings(STATUS_ATTEMPTS=3)
def test_attempts_are_throttled_per_address(client, application):
    for n in range(3):
        assert ask(client, f"{500 + n}/2026", "ABCDEFGH").status_code == 404
    # even the right code is not looked up once the address is over the limit
    response = ask(client, application.number_display, application.status_code)
    assert response.status_code == 429
    assert TOO_MANY in page_text(response) and "Документы приняты" not in page_text(response)
    # another address still gets its answer
    response = ask(
        client, application.number_display, application.status_code, REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 200


@override_settings(STATUS_ATTEMPTS=3)
def test_attempts_are_throttled_per_receipt_number(client, application):
    for n in range(3):
        address = f"10.0.1.{n + 1}"
        assert ask(
            client, application.number_display, "ABCDEFGH", REMOTE_ADDR=address
        ).status_code in (200, 404)
    response = ask(
        client, application.number_display, application.status_code, REMOTE_ADDR="10.0.1.99"
    )
    assert response.status_code == 429 and TOO_MANY in page_text(response)


def test_the_empty_form_needs_no_login_and_counts_no_attempt(client, catalogue):
    response = client.get(STATUS)
    assert response.status_code == 200
    text = page_text(response)
    assert "Номер расписки" in text and "Код с расписки" in text and "Войти" not in text


# --- the receipt ---------------------------------------------------------------------------------


@override_settings(PUBLIC_URL="https://uszn.example.ru")
def test_receipt_prints_the_code_and_a_qr_code_of_the_status_page(
    client, specialist, application, monkeypatch
):
    encoded = []
    original = printing.qr_data_uri
    monkeypatch.setattr(
        printing, "qr_data_uri", lambda text: encoded.append(text) or original(text)
    )
    client.force_login(specialist)
    response = client.get(reverse("cases:receipt", args=[application.pk]))
    text = pdf_text(response.content)
    assert f"код проверки {application.status_code_display}" in text
    assert "https://uszn.example.ru/status/" in text
    assert encoded == [
        f"https://uszn.example.ru/status/?n={application.number_display}&c={application.status_code}"
    ]
    # the QR's address opens the page with this application
    link = urlsplit(encoded[0])
    assert resolve(link.path).func.__name__ == "status_page"
    query = {k: v[0] for k, v in parse_qs(link.query).items()}
    client.logout()
    assert "Документы приняты" in page_text(ask(client, query["n"], query["c"]))
    # reprinted, the receipt carries the same code
    client.force_login(specialist)
    again = pdf_text(client.get(reverse("cases:receipt", args=[application.pk])).content)
    assert f"код проверки {application.status_code_display}" in again


def test_receipt_without_public_url_uses_the_printing_address(client, specialist, application):
    client.force_login(specialist)
    text = pdf_text(client.get(reverse("cases:receipt", args=[application.pk])).content)
    assert "http://testserver/status/" in text


@pytest.mark.parametrize("layout", ["latin", "russian"])
def test_the_status_qr_scanned_at_the_counter_opens_the_application(
    client, specialist, application, layout
):
    link = printing.status_page_url(application)
    if layout == "russian":  # a scanner typing with the Russian layout on
        link = link.translate(
            str.maketrans(
                "qwertyuiopasdfghjkl;zxcvbnm,./:?&QWERTYUIOPASDFGHJKLZXCVBNM",
                "йцукенгшщзфывапролджячсмитьбю.Ж,?ЙЦУКЕНГШЩЗФЫВАПРОЛДЯЧСМИТЬ",
            )
        )
    client.force_login(specialist)
    response = client.get(reverse("cases:counter"), {"q": "https://uszn.example.ru" + link})
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:application", args=[application.pk])


def test_another_offices_status_qr_opens_nothing_at_the_counter(
    client, application, other_specialist
):
    client.force_login(other_specialist)
    response = client.get(reverse("cases:counter"), {"q": printing.status_page_url(application)})
    assert response.status_code == 200
    assert AccessLog.objects.filter(user=other_specialist, result="refused").count() == 1


# --- the API -------------------------------------------------------------------------------------


def test_api_answers_the_same_three_things_without_a_token(client, application):
    response = client.get(
        "/api/v1/status/",
        {"number": application.number_display, "code": application.status_code_display},
    )
    assert response.status_code == 200
    data = response.json()
    assert data["headline"] == "Документы приняты, заявление зарегистрировано"
    assert data["deadline"] == application.deadline.isoformat() and data["is_open"]
    titles = {r["title"] for r in data["requested"]}
    assert titles == {r.document.title for r in application.interagency_requests.all()}
    assert set(data) == {
        "number", "service", "headline", "explanation", "is_open", "deadline", "deadline_note",
        "overdue", "decision_date", "to_bring", "requested",
    }  # fmt: skip
    assert "Статусова" not in response.content.decode()
    entry = AccessLog.objects.get(event="status_check")
    assert entry.user is None and application.status_code not in entry.path


@override_settings(STATUS_ATTEMPTS=2)
def test_api_refuses_a_wrong_code_like_a_missing_number_and_throttles(client, application):
    wrong = client.get(
        "/api/v1/status/", {"number": application.number_display, "code": "ABCD-EFGH"}
    )
    missing = client.get("/api/v1/status/", {"number": "777/2026", "code": "ABCD-EFGH"})
    assert wrong.status_code == missing.status_code == 404
    assert wrong.json() == missing.json() == {"code": "not_found", "message": NOT_FOUND}
    throttled = client.get(
        "/api/v1/status/",
        {"number": application.number_display, "code": application.status_code},
    )
    assert throttled.status_code == 429
    assert throttled.json() == {"code": "throttled", "message": TOO_MANY}
    bad = client.get(
        "/api/v1/status/", {"number": "пятнадцать", "code": "x"}, REMOTE_ADDR="10.1.1.1"
    )
    assert bad.status_code == 400 and "number" in bad.json()["fields"]
