"""Issue 17 at the decision: a refusal rests on the grounds of the application's version and the
notice cites each with its clause and the act; a grant names the result and the payment's
deadline; the notice's, the payment's and the decision's deadlines follow the version's kinds of
days; a deadline counted from the last interagency answer moves when that answer comes; a
retired service's old application keeps its version and is still decided."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cases import requests as case_requests
from cases import services as counter
from cases.models import Application, ApplicationEvent, InteragencyRequest
from services.models import Ground, Service
from tests.catalogue import (
    ACT_CITED,
    GROUNDS,
    decision_service,
    in_review_application,
    load_regulation,
)
from tests.pdf_utils import pdf_text

pytestmark = pytest.mark.django_db
D = datetime.date

# The frozen clock (tests/conftest.py): Tuesday 24.11.2026.
TODAY = D(2026, 11, 24)


def _refuse_grounds(application: Application) -> list[Ground]:
    return application.service_version.grounds_of(Ground.Kind.REFUSE)


def _notice(client, user, application) -> str:
    client.force_login(user)
    response = client.get(reverse("cases:notice", args=[application.pk]))
    assert response["Content-Type"] == "application/pdf"
    return pdf_text(response.content)


# --- Refusal with grounds ---------------------------------------------------------------------


def test_a_refusal_picks_grounds_and_the_notice_prints_each_with_its_clause_and_act(
    client, specialist, chief, office, catalogue
):
    application = in_review_application(decision_service(grounds=GROUNDS), specialist, office)
    first, second = _refuse_grounds(application)
    client.force_login(chief)
    page = client.get(reverse("cases:application", args=[application.pk])).content.decode()
    # the refusal offers the version's refuse grounds, not its suspension grounds
    assert f'name="grounds" value="{first.pk}"' in page and "отсутствие права на пособие" in page
    assert "непоступление ответа на запрос" not in page
    client.post(
        reverse("cases:transition", args=[application.pk, "refuse"]),
        {
            "grounds": [str(second.pk), str(first.pk)],
            "reason": "доход семьи превышает величину прожиточного минимума",
        },
    )
    application.refresh_from_db()
    assert application.status == "refused"
    # copied in the regulation's order, with the explanation kept apart
    assert [(g["clause"], g["text"]) for g in application.refusal_grounds] == [
        ("п. 2.9.1", "отсутствие права на пособие"),
        ("п. 2.9.2", "представление недостоверных сведений"),
    ]
    assert application.refusal_reason == "доход семьи превышает величину прожиточного минимума"
    event = application.events.order_by("pk").last()
    assert event.to_status == "refused" and event.actor == chief
    assert event.note.startswith("основания отказа: п. 2.9.1, п. 2.9.2; доход семьи")
    assert application.history.first().refusal_grounds == application.refusal_grounds

    text = _notice(client, specialist, application)
    assert "Вам отказано в предоставлении государственной услуги. Основания отказа:" in text
    assert f"1) пункт 2.9.1 {ACT_CITED}: «отсутствие права на пособие»;" in text
    assert f"2) пункт 2.9.2 {ACT_CITED}: «представление недостоверных сведений»." in text
    assert "Пояснение: доход семьи превышает величину прожиточного минимума" in text
    assert "Причина отказа" not in text
    assert "статьями 11.1–11.3 Федерального закона от 27.07.2010 № 210-ФЗ" in text

    page = client.get(reverse("cases:application", args=[application.pk])).content.decode()
    assert "Основания отказа" in page and "п. 2.9.2 — представление недостоверных сведений" in page
    assert "Пояснение к отказу" in page

    # the act is cited as it was on the day of the decision: a later edition of the act does
    # not change a reprint of the notice
    regulation = application.service_version.regulation
    regulation.amendments = [*regulation.amendments, "от 01.02.2027 № 99"]
    regulation.save()
    assert "№ 99" not in _notice(client, specialist, application)


def test_one_ground_is_cited_in_one_sentence_and_the_journal_names_its_clause(
    client, specialist, chief, office, catalogue
):
    application = in_review_application(decision_service(grounds=GROUNDS), specialist, office)
    first, _ = _refuse_grounds(application)
    counter.transition(application, "refuse", actor=chief, grounds=[first.pk])
    application.refresh_from_db()
    assert application.refusal_reason == "" and application.was_refused
    text = _notice(client, specialist, application)
    assert f"Основание отказа: пункт 2.9.1 {ACT_CITED}: «отсутствие права на пособие»." in text
    assert "Пояснение" not in text and "п. 2.9.2" not in text

    # the journal's state says what was decided, on the page, in the PDF and in the XLSX
    counter.transition(application, "notify", actor=specialist)
    day = {"date_from": TODAY.isoformat(), "date_to": TODAY.isoformat()}
    page = client.get(reverse("cases:journal"), day).content.decode()
    assert "заявитель уведомлён; отказано (п. 2.9.1)" in page
    journal = pdf_text(client.get(reverse("cases:journal"), {**day, "format": "pdf"}).content)
    assert "заявитель уведомлён; отказано (п. 2.9.1)" in journal
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("cases:journal"), {**day, "format": "xlsx"}).content)
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[2].index("Состояние, результат")
    assert rows[3][column] == "заявитель уведомлён; отказано (п. 2.9.1)"


def test_a_refusal_without_a_ground_is_refused_when_the_version_has_grounds(
    client, specialist, chief, office, catalogue
):
    application = in_review_application(decision_service(grounds=GROUNDS), specialist, office)
    with pytest.raises(counter.CounterError, match="Отметьте хотя бы одно основание отказа"):
        counter.transition(application, "refuse", actor=chief, reason="нет права")
    client.force_login(chief)
    page = client.post(
        reverse("cases:transition", args=[application.pk, "refuse"]),
        {"reason": "нет права"},
        follow=True,
    ).content.decode()
    assert "Отметьте хотя бы одно основание отказа из регламента услуги" in page
    application.refresh_from_db()
    assert application.status == "in_review"
    assert (application.refusal_grounds, application.refusal_reason) == ([], "")
    assert application.decision_number is None and application.decision_date is None
    assert not application.events.filter(to_status="refused").exists()


def test_a_ground_of_another_version_is_refused_and_nothing_is_written(
    client, specialist, chief, office, catalogue
):
    application = in_review_application(decision_service(grounds=GROUNDS), specialist, office)
    other = decision_service(
        "decision-other", grounds={"refuse": [{"clause": "п. 3.1", "text": "чужое основание"}]}
    )
    foreign = other.version_on(TODAY).grounds.get()
    own, _ = _refuse_grounds(application)
    with pytest.raises(counter.CounterError, match="нет в регламенте редакции услуги"):
        counter.transition(application, "refuse", actor=chief, grounds=[own.pk, foreign.pk])
    client.force_login(chief)
    page = client.post(
        reverse("cases:transition", args=[application.pk, "refuse"]),
        {"grounds": [str(foreign.pk)], "reason": "нет права"},
        follow=True,
    ).content.decode()
    assert "Выбрано основание отказа, которого нет в регламенте редакции услуги" in page
    # a value that is no id at all gets its own message
    page = client.post(
        reverse("cases:transition", args=[application.pk, "refuse"]),
        {"grounds": ["п. 2.9.1"]},
        follow=True,
    ).content.decode()
    assert "Отмечено неизвестное основание отказа: обновите страницу." in page
    application.refresh_from_db()
    assert application.status == "in_review" and application.refusal_grounds == []
    assert application.decision_number is None and application.notice_number is None


def test_a_version_without_grounds_is_refused_with_the_reason_alone(
    client, specialist, chief, office, catalogue
):
    application = in_review_application(decision_service(), specialist, office)
    with pytest.raises(counter.CounterError, match="Укажите причину отказа"):
        counter.transition(application, "refuse", actor=chief)
    client.force_login(chief)
    page = client.get(reverse("cases:application", args=[application.pk])).content.decode()
    assert (
        'name="grounds"' not in page
        and 'id="reason-refuse" name="reason" rows="2" required' in page
    )
    counter.transition(application, "refuse", actor=chief, reason="нет права на пособие")
    application.refresh_from_db()
    assert application.refusal_grounds == []
    text = _notice(client, specialist, application)
    assert "Причина отказа: нет права на пособие" in text
    assert "Основание: Приказ Комитета социальной защиты населения Волгоградской области" in text
    assert "Основание отказа:" not in text


# --- Grant: the result and the payment ----------------------------------------------------------


def test_a_grant_names_the_result_and_the_payment_deadline_in_calendar_days(
    client, specialist, chief, office, catalogue
):
    service = decision_service(
        result="решение о назначении пособия", result_form="уведомление по форме приложения 2",
        notice_days=6, notice_kind="calendar", payment_days=10, payment_kind="calendar",
    )  # fmt: skip
    application = in_review_application(service, specialist, office)
    counter.transition(application, "grant", actor=chief)
    application.refresh_from_db()
    # Tuesday 24.11 + 6 calendar days = Monday 30.11 (5 working days would be 01.12);
    # + 10 calendar days = Friday 04.12 (10 working days would be 08.12)
    assert application.decision_date == TODAY
    assert application.notice_due == D(2026, 11, 30)
    assert application.payment_due == D(2026, 12, 4)
    text = _notice(client, specialist, application)
    assert (
        "Результат предоставления государственной услуги: решение о назначении пособия "
        "(уведомление по форме приложения 2)." in text
    )
    assert (
        "Выплата будет произведена не позднее 04.12.2026 (срок выплаты — 10 календарных дней "
        "со дня принятия решения)." in text
    )
    client.force_login(chief)
    page = client.get(reverse("cases:application", args=[application.pk])).content.decode()
    assert "уведомить заявителя до <strong>30.11.2026</strong>" in page
    assert "выплата до <strong>04.12.2026</strong>" in page
    day = {"date_from": TODAY.isoformat(), "date_to": TODAY.isoformat()}
    journal = pdf_text(client.get(reverse("cases:journal"), {**day, "format": "pdf"}).content)
    # a payment's journal line says it was granted, without repeating «решение о назначении»
    assert "решение: назначено" in journal and "назначено — решение" not in journal


def test_working_day_periods_and_the_default_notice(specialist, chief, office, catalogue):
    service = decision_service(payment_days=10, payment_kind="working")
    application = in_review_application(service, specialist, office)
    counter.transition(application, "grant", actor=chief)
    application.refresh_from_db()
    assert application.notice_due == D(2026, 12, 1)  # the general 5 working days
    assert application.payment_due == D(2026, 12, 8)  # 10 working days


def test_a_same_day_service_is_decided_the_day_of_application(
    client, specialist, chief, office, catalogue
):
    service = decision_service(deadline_kind="same_day", deadline_days=0, notice_days=1,
                       notice_kind="working")  # fmt: skip
    version = service.version_on(TODAY)
    assert version.decision_deadline(TODAY) == TODAY
    application = in_review_application(service, specialist, office)
    assert application.deadline == TODAY
    counter.transition(application, "grant", actor=chief)
    application.refresh_from_db()
    assert application.notice_due == D(2026, 11, 25)  # one working day
    assert application.payment_due is None  # the version sets no payment period
    client.force_login(chief)
    page = client.get(reverse("cases:application", args=[application.pk])).content.decode()
    assert "(в день обращения)" in page
    assert "Выплата будет произведена" not in _notice(client, specialist, application)


def test_a_certificate_has_no_payment_deadline(specialist, chief, office, catalogue):
    service = decision_service(payment_days=10)
    Service.objects.filter(pk=service.pk).update(issues_document=True)
    application = in_review_application(service, specialist, office)
    counter.transition(application, "grant", actor=chief)
    application.refresh_from_db()
    assert application.payment_due is None


# --- The deadline counted from the last interagency answer -------------------------------------

LAST_ANSWER = {
    "deadline_kind": "calendar",
    "deadline_days": 10,
    "deadline_from": "last_answer",
    "documents": [
        "passport",
        {"code": "snils", "interagency": True},
        {"code": "residence-registration", "interagency": True},
    ],
}


def test_the_last_answer_moves_the_deadline_from_its_date(
    client, specialist, chief, office, catalogue, freeze_now
):
    application = in_review_application(decision_service(**LAST_ANSWER), specialist, office)
    requests = list(InteragencyRequest.objects.filter(application=application).order_by("pk"))
    assert len(requests) == 2
    # the counter counts from the registration: 24.11 + 10 calendar days
    application = Application.objects.get(pk=application.pk)
    application.deadline = D(2026, 12, 4)
    application.save()
    client.force_login(specialist)
    page = client.get(reverse("cases:application", args=[application.pk])).content.decode()
    assert (
        "10 календарных дней со дня поступления последнего ответа на межведомственный запрос; "
        "срок будет пересчитан, когда придёт ответ на последний запрос" in page
    )

    freeze_now(datetime.datetime(2026, 11, 26, 10, 0))
    case_requests.record_interagency_response(
        requests[0], actor=specialist, result="received", response_on=D(2026, 11, 26)
    )
    application.refresh_from_db()
    assert application.deadline == D(2026, 12, 4)  # one request is still open
    assert not application.events.filter(note__startswith="срок принятия решения").exists()

    # the last answer is recorded on Monday, dated Friday 27.11: + 10 calendar days = Monday 07.12
    freeze_now(datetime.datetime(2026, 11, 30, 10, 0))
    client.force_login(specialist)
    client.post(
        reverse("cases:interagency", args=[requests[1].pk]),
        {"result": "refused", "response_on": "2026-11-27"},
    )
    application.refresh_from_db()
    assert application.deadline == D(2026, 12, 7)
    event = application.events.order_by("pk").last()
    assert event.note == (
        "срок принятия решения пересчитан от даты последнего ответа на межведомственный запрос: "
        "до 07.12.2026"
    )
    assert (event.from_status, event.to_status, event.actor) == (
        "in_review",
        "in_review",
        specialist,
    )
    assert [h.deadline for h in application.history.order_by("history_date")][-2:] == [
        D(2026, 12, 4),
        D(2026, 12, 7),
    ]
    page = client.get(reverse("cases:application", args=[application.pk])).content.decode()
    assert "<strong>07.12.2026</strong>" in page and "срок будет пересчитан" not in page


def test_an_answer_never_moves_the_deadline_earlier_nor_for_a_deadline_from_registration(
    specialist, chief, office, catalogue, freeze_now
):
    late = in_review_application(decision_service(**LAST_ANSWER), specialist, office, "Позднева")
    Application.objects.filter(pk=late.pk).update(deadline=D(2026, 12, 31))
    fixed = in_review_application(
        decision_service("decision-fixed", **{**LAST_ANSWER, "deadline_from": "registration"}),
        specialist, office, "Регистрова",
    )  # fmt: skip
    deadline = fixed.deadline
    freeze_now(datetime.datetime(2026, 11, 27, 10, 0))
    for request in InteragencyRequest.objects.filter(application__in=[late, fixed]):
        case_requests.record_interagency_response(
            request, actor=specialist, result="received", response_on=D(2026, 11, 27)
        )
    late.refresh_from_db()
    fixed.refresh_from_db()
    assert late.deadline == D(2026, 12, 31) and fixed.deadline == deadline
    assert not ApplicationEvent.objects.filter(note__startswith="срок принятия решения").exists()


# --- A retired service ----------------------------------------------------------------------------


def test_a_retired_services_old_application_keeps_its_version_decides_and_prints(
    client, specialist, chief, office, catalogue, freeze_now
):
    service = decision_service(since=TODAY - datetime.timedelta(days=30), grounds=GROUNDS)
    application = in_review_application(service, specialist, office)
    version = application.service_version
    retire = {
        "kind": "постановление",
        "number": "9002",
        "date": "2026-11-20",
        "title": "О передаче полномочий по назначению проверочного пособия",
        "issued_by": "Правительство Российской Федерации",
    }
    load_regulation(
        {"code": service.code, "action": "retire", "reason": "выплату производит СФР"},
        effective_from=D(2026, 12, 1),
        act=retire,
    )
    freeze_now(datetime.datetime(2026, 12, 3, 10, 0))
    assert service.version_on(D(2026, 12, 3)) is None
    with pytest.raises(counter.CounterError, match=r"не действует на 03\.12\.2026"):
        counter.version_for_registration(service, timezone.now())

    client.force_login(chief)
    page = client.get(reverse("cases:application", args=[application.pk])).content.decode()
    assert (
        "Редакция услуги прекратила действие 01.12.2026: выплату производит СФР (Постановление "
        "Правительства Российской Федерации от 20.11.2026" in page
    )
    first, _ = _refuse_grounds(application)
    counter.transition(application, "refuse", actor=chief, grounds=[first.pk])
    application.refresh_from_db()
    assert application.service_version == version and application.status == "refused"
    text = _notice(client, specialist, application)
    assert "решением № 1/2026 от 03.12.2026 Вам отказано" in text
    assert f"Основание отказа: пункт 2.9.1 {ACT_CITED}" in text


def test_a_version_still_in_force_shows_no_end(client, specialist, office, catalogue):
    application = in_review_application(decision_service(), specialist, office)
    client.force_login(specialist)
    page = client.get(reverse("cases:application", args=[application.pk])).content.decode()
    assert "прекратила действие" not in page and 'id="version-ended"' not in page
