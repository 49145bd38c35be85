"""Issue 16: every printed document carries what an inspector looks for — the notice of decision,
the receipt, the answer letter to another district, the handover and return acts, the journal
and the memo — rendered on known data, names in the sentence's case, numerals agreeing."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cases import services as counter
from cases.models import Application, ApplicationDocument, IncomingRequest
from cases.requests import answer_incoming_request, register_incoming_request
from onewindow import handover as handovers
from onewindow.models import Handover
from onewindow.roles import SPECIALIST
from onewindow.text import counted
from services.models import Service
from tests.counter import checklist_post
from tests.factories import ApplicantFactory, counter_marks, make_user
from tests.pdf_utils import pdf_raw_text, pdf_text

PEOPLE = {
    "male": ("Иванов", "Пётр", "Сергеевич", "M"),
    "female": ("Волкова", "Ирина", "Павловна", "F"),
    "double": ("Римская-Корсакова", "Анна", "Павловна", "F"),
    "no_patronymic": ("Ким", "Анна", "", "F"),
}
REQUISITES = ["ОГРН 1023403123457", "ИНН/КПП 3443010010/344301001", "эл. почта cszn@example.ru",
              "400105, г. Волгоград, ул. Богунская, д. 4", "тел. (8442) 71-00-00"]  # fmt: skip


def _person(office, who):
    last, first, middle, sex = PEOPLE[who]
    return ApplicantFactory(office=office, snils="", last_name=last, first_name=first,
                            middle_name=middle, sex=sex, reg_address="400105, г. Волгоград, ул. Мира, д. 1")  # fmt: skip


def _decide(specialist, chief, office, who, action, code="edv-veterans", **kwargs):
    service = Service.objects.get(code=code)
    application = counter.register_application(
        _person(office, who), service, actor=specialist, marks=counter_marks(service)
    )
    for step in ("transfer", "review"):
        counter.transition(application, step, actor=specialist)
    counter.transition(
        application, action, actor=chief, override_reason="ответы получены", **kwargs
    )
    application.refresh_from_db()
    return application


def _no_parted_number_sign(pdf: bytes) -> None:
    raw = pdf_raw_text(pdf)
    assert "№\u00a0" in raw
    parted = re.findall(r".{30}№ (?!п/п).{10}", raw)
    assert not parted, f"«№» parted from its number: {parted}"


# --- 1. Notice of decision ---------------------------------------------------------------------


def test_notice_of_a_grant_states_decision_amount_period_and_the_duty_to_report(
    client, specialist, chief, office, catalogue, freeze_now
):
    # a service whose act in force is an order of the УСЗН АВО (№ 9 of 13.01.2009)
    application = _decide(
        specialist, chief, office, "male", "grant", code="radiation-compensation",
        amount=Decimal("1234.50"), start_date=datetime.date(2026, 12, 1),
        end_date=datetime.date(2027, 11, 30),
    )  # fmt: skip
    assert application.decision_number == 1 and application.decision_date == datetime.date(
        2026, 11, 24
    )
    client.force_login(specialist)
    first = client.get(reverse("cases:notice", args=[application.pk])).content
    text = pdf_text(first)
    for requisite in REQUISITES:
        assert requisite in text
    assert "Исх. № 1/2026 от 24.11.2026" in text
    assert "Иванову Петру Сергеевичу" in text and "Уважаемый Пётр Сергеевич!" in text
    assert "решением № 1/2026 от 24.11.2026 Вам назначена мера социальной поддержки" in text
    assert "в размере 1 234,50 руб. на период с 01.12.2026 по 30.11.2027" in text
    assert "Вы обязаны в течение 10 дней сообщить" in text
    assert (
        "Приказ Управления социальной защиты населения Администрации Волгоградской области от"
        in text
    )
    assert "Директор" in text and "О. В. Сергеева" in text and "бессрочно" not in text
    _no_parted_number_sign(first)

    # printed again three days later: the same decision, the same outgoing number and date
    freeze_now(datetime.datetime(2026, 11, 27, 15, 0))
    client.force_login(specialist)  # a new working day, a new session
    again = pdf_text(client.get(reverse("cases:notice", args=[application.pk])).content)
    assert "Исх. № 1/2026 от 24.11.2026" in again
    assert "решением № 1/2026 от 24.11.2026" in again and "27.11.2026" not in again


def test_a_grant_without_amount_or_end_prints_only_what_exists(
    client, specialist, chief, office, catalogue
):
    application = _decide(specialist, chief, office, "female", "grant")
    client.force_login(specialist)
    text = pdf_text(client.get(reverse("cases:notice", args=[application.pk])).content)
    assert "Волковой Ирине Павловне" in text and "Уважаемая Ирина Павловна!" in text
    assert "в размере" not in text and "на период" not in text
    assert f"с {application.decision_date:%d.%m.%Y}." in text


def test_notice_of_a_refusal_states_the_ground_and_how_to_appeal(
    client, specialist, chief, office, catalogue
):
    application = _decide(
        specialist,
        chief,
        office,
        "no_patronymic",
        "refuse",
        code="radiation-compensation",  # its act in force: an order of the УСЗН АВО
        reason="среднедушевой доход превышает порог",
    )
    client.force_login(specialist)
    pdf = client.get(reverse("cases:notice", args=[application.pk])).content
    text = pdf_text(pdf)
    assert "Ким Анне" in text and "Уважаемая Анна!" in text
    assert "ОБ ОТКАЗЕ В ПРЕДОСТАВЛЕНИИ" in text.upper()
    assert "решением № 1/2026 от 24.11.2026 Вам отказано" in text
    assert "Причина отказа: среднедушевой доход превышает порог" in text
    assert "Основание: Приказ Управления социальной защиты населения" in text
    assert "статьями 11.1–11.3 Федерального закона от 27.07.2010 № 210-ФЗ" in text
    assert f"директору {office.name}" in text
    assert "в Комитет социальной защиты населения Волгоградской области" in text
    assert "в течение 15 рабочих дней со дня её регистрации" in text
    assert "в суд в течение трёх месяцев" in text
    assert "статья 219 Кодекса административного судопроизводства Российской Федерации" in text
    assert "в размере" not in text and "в течение 10 дней" not in text
    _no_parted_number_sign(pdf)


def test_notice_of_a_certificate_names_the_document_not_a_period(
    client, specialist, chief, office, catalogue
):
    service = Service.objects.get(code="veteran-certificate")
    assert service.issues_document
    application = _decide(specialist, chief, office, "double", "grant", code="veteran-certificate")
    client.force_login(specialist)
    text = pdf_text(client.get(reverse("cases:notice", args=[application.pk])).content)
    assert "Римской-Корсаковой Анне Павловне" in text
    assert "Уважаемая Анна Павловна!" in text
    assert "оформлен документ «Удостоверение „Ветеран труда“»" in text
    assert "бессрочно" not in text and "мера социальной поддержки" not in text
    assert "в течение 10 дней" not in text


def test_a_certificate_takes_no_amount_and_nothing_is_written(specialist, chief, office, catalogue):
    service = Service.objects.get(code="veteran-certificate")
    application = counter.register_application(
        _person(office, "male"), service, actor=specialist, marks=counter_marks(service)
    )
    for step in ("transfer", "review"):
        counter.transition(application, step, actor=specialist)
    with pytest.raises(counter.CounterError, match="выдаётся документ"):
        counter.transition(application, "grant", actor=chief, amount=Decimal("100"),
                           override_reason="ответы получены")  # fmt: skip
    application.refresh_from_db()
    assert application.status == "in_review" and application.decision_number is None
    assert not application.entitlements.exists()


def test_a_decision_made_before_decision_numbers_gets_one_at_the_first_print(
    client, specialist, chief, office, catalogue, freeze_now
):
    application = _decide(specialist, chief, office, "male", "grant")
    Application.objects.filter(pk=application.pk).update(decision_number=None)
    freeze_now(datetime.datetime(2026, 11, 26, 11, 0))
    client.force_login(specialist)
    first = pdf_text(client.get(reverse("cases:notice", args=[application.pk])).content)
    second = pdf_text(client.get(reverse("cases:notice", args=[application.pk])).content)
    # numbered once, in the decision's year, and still dated the day of the decision
    number = Application.objects.get(pk=application.pk).decision_number
    assert number is not None
    assert f"решением № {number}/2026 от 24.11.2026" in first
    assert f"решением № {number}/2026 от 24.11.2026" in second


# --- 2. Receipt ---------------------------------------------------------------------------------


def _checklist_post(service, **overrides):
    version = service.version_on(timezone.localdate())
    data = checklist_post(service.code, timezone.localdate(), **overrides)
    for rd in version.documents.all():  # the tests below set what is brought line by line
        data.pop(f"doc_{rd.pk}_form", None)
        if data.get(f"doc_{rd.pk}_status") != "brought":
            data.pop(f"doc_{rd.pk}_sheets", None)
    return data, version


def test_receipt_lists_copies_returned_originals_and_what_the_office_requests(
    client, specialist, office, catalogue
):
    service = Service.objects.get(code="edv-veterans")
    person = _person(office, "no_patronymic")
    data, version = _checklist_post(service)
    passport = version.documents.get(document_type__code="passport")
    data[f"doc_{passport.pk}_copies"] = "2"
    data[f"doc_{passport.pk}_returned"] = "on"
    client.force_login(specialist)
    response = client.post(reverse("cases:apply_form", args=[person.pk, service.code]), data)
    assert response.status_code == 302
    application = Application.objects.get(applicant=person)
    line = application.documents.get(document_type__code="passport")
    assert (line.copies, line.original_returned) == (2, True)
    # an office-requested line marked «не представлен» by an older checklist: still the office's
    requested = application.documents.filter(status="requested").first()
    ApplicationDocument.objects.filter(pk=requested.pk).update(status="missing")

    pdf = client.get(reverse("cases:receipt", args=[application.pk])).content
    text = pdf_text(pdf)
    assert "от Ким Анны" in text
    assert "Экз." in text and "Подлинник возвращён" in text
    assert re.search(r"Паспорт[^|]*? подлинник и копия 2 2 да", text)
    brought = application.documents.filter(status="brought")
    copies = sum(d.copies for d in brought)
    assert (
        f"Всего представлено: {counted(brought.count(), 'документ,документа,документов')} ({counted(copies, 'экземпляр,экземпляра,экземпляров')})"
        in text
    )
    assert copies == brought.count() + 1  # the passport's two copies
    _, _, tail = text.partition("Запрашиваются учреждением")
    assert tail and requested.title in tail.split("Срок принятия решения")[0]
    assert "Не представлены" not in text
    assert "10 рабочих дней со дня регистрации" in text
    _no_parted_number_sign(pdf)


@pytest.mark.parametrize("copies", ["0", "100", "два"])
def test_bad_copies_are_refused_at_the_field_and_nothing_is_written(
    client, specialist, office, catalogue, copies
):
    service = Service.objects.get(code="edv-veterans")
    person = _person(office, "male")
    data, version = _checklist_post(service)
    passport = version.documents.get(document_type__code="passport")
    data[f"doc_{passport.pk}_copies"] = copies
    client.force_login(specialist)
    html = client.post(
        reverse("cases:apply_form", args=[person.pk, service.code]), data
    ).content.decode()
    assert "Число экземпляров" in html
    assert f'id="id_doc_{passport.pk}_copies_error"' in html
    assert not Application.objects.filter(applicant=person).exists()


def test_checklist_copies_and_returned_controls_have_accessible_names(
    client, specialist, office, catalogue
):
    service = Service.objects.get(code="edv-veterans")
    person = _person(office, "male")
    client.force_login(specialist)
    page = client.get(reverse("cases:apply_form", args=[person.pk, service.code])).content.decode()
    assert 'id="col-copies"' in page and 'id="col-returned"' in page
    for rd in service.version_on(timezone.localdate()).documents.all():
        assert f'aria-labelledby="col-copies doc-{rd.pk}-title"' in page
        assert f'aria-labelledby="col-returned doc-{rd.pk}-title"' in page


# --- 3. Answer letter to another district ------------------------------------------------------


def test_answer_letter_has_letterhead_numbers_heading_addressee_and_signature(
    client, specialist, office, catalogue
):
    item = register_incoming_request(
        **{"kind": __import__("cases.models", fromlist=["RequestKind"]).RequestKind.objects.first(),
         "sender": "ГКУ «Центр социальной защиты населения по Дзержинскому району Волгограда»",
         "sender_address": "400075, г. Волгоград, ул. Краснополянская, д. 44",
         "sender_number": "15-01/77", "sender_date": datetime.date(2026, 11, 20),
         "received_on": datetime.date(2026, 11, 23), "subject_name": "Иванов Пётр Сергеевич",
         "subject_birth_date": datetime.date(1950, 3, 1), "question": "Сведения о мерах"},
        actor=specialist, office=office,
    )  # fmt: skip
    answer_incoming_request(item, actor=specialist, answer="Меры социальной поддержки не назначались.",
                            attachments="Справка о неполучении мер\nКопия решения")  # fmt: skip
    item = IncomingRequest.objects.get(pk=item.pk)
    client.force_login(specialist)
    pdf = client.get(reverse("cases:incoming_letter", args=[item.pk])).content
    text = pdf_text(pdf)
    assert office.name in text
    for requisite in REQUISITES:
        assert requisite in text
    assert f"Исх. № {item.out_number}/{item.out_year} от 24.11.2026" in text
    assert "На № 15-01/77 от 20.11.2026" in text
    assert "О предоставлении сведений" in text
    assert (
        "по Дзержинскому району Волгограда» 400075, г. Волгоград, ул. Краснополянская, д. 44"
        in text
    )
    assert "в отношении Иванова Петра Сергеевича, 01.03.1950 г. р." in text
    assert "Приложение: 2 документа" in text
    assert "Директор" in text and "О. В. Сергеева" in text
    assert "Исполнитель: Петрова А. С." in text
    _no_parted_number_sign(pdf)


# --- 4. Handover and return acts ---------------------------------------------------------------


@pytest.fixture
def volkova(office):
    return make_user(SPECIALIST, office, "volkova", last_name="Волкова", first_name="Ирина",
                     middle_name="Павловна", position="специалист сектора «Одно окно»")  # fmt: skip


def _work(specialist, office):
    service = Service.objects.get(code="edv-veterans")
    return counter.register_application(
        _person(office, "male"), service, actor=specialist, marks=counter_marks(service)
    )


def test_handover_act_basis_positions_and_an_approver_who_is_not_a_party(
    client, specialist, chief, director, office, catalogue, volkova
):
    specialist.position = "ведущий специалист"
    specialist.save()
    chief.position = "главный специалист"
    chief.save()
    _work(specialist, office)
    # the chief takes the work: the chief cannot approve their own receiving — the director does
    handover = handovers.hand_over(
        actor=chief, from_user=specialist, to_user=chief, reason="leave",
        order_number="45-о", order_date=datetime.date(2026, 11, 20),
        starts_on=datetime.date(2026, 11, 24), ends_on=datetime.date(2026, 12, 4),
    )  # fmt: skip
    client.force_login(chief)
    text = pdf_text(client.get(reverse("handover_act", args=[handover.pk])).content)
    assert (
        "Основание: приказ от 20.11.2026 № 45-о (отпуск), период с 24.11.2026 по 04.12.2026" in text
    )
    approve = text.split("АКТ ПРИЁМА-ПЕРЕДАЧИ ДЕЛ")[0]
    assert "УТВЕРЖДАЮ Директор" in approve and "А. С. Сергеева" in approve
    assert "Е. С. Смирнова" not in approve
    assert "Передал: ведущий специалист" in text and "А. С. Петрова" in text
    assert "Принял: главный специалист" in text and "Е. С. Смирнова" in text
    assert "Согласовано" not in text

    # another specialist takes it: the chief approves
    handover2 = handovers.hand_over(
        actor=chief, from_user=chief, to_user=volkova, reason="trip", order_number="12-к",
        order_date=datetime.date(2026, 11, 23), starts_on=datetime.date(2026, 11, 24),
        ends_on=datetime.date(2026, 11, 27),
    )  # fmt: skip
    text = pdf_text(client.get(reverse("handover_act", args=[handover2.pk])).content)
    # the chief hands over: the approver is again the director, never a party
    assert "УТВЕРЖДАЮ Директор" in text.split("АКТ")[0]


def test_handover_form_asks_for_the_order_of_a_leave(
    client, chief, specialist, office, catalogue, volkova
):
    _work(specialist, office)
    client.force_login(chief)
    html = client.post(reverse("handovers"), {
        "from_user": specialist.pk, "to_user": volkova.pk, "reason": "leave",
        "starts_on": "2026-11-24", "ends_on": "2026-11-30"}).content.decode()  # fmt: skip
    assert "Укажите номер приказа (отпуск оформляется приказом)." in html
    assert "Укажите дату приказа." in html
    assert not Handover.objects.exists()


def test_return_act_is_dated_the_day_of_return_whenever_printed(
    client, specialist, chief, office, catalogue, volkova, freeze_now
):
    _work(specialist, office)
    handover = handovers.hand_over(
        actor=chief, from_user=specialist, to_user=volkova, reason="illness",
        starts_on=datetime.date(2026, 11, 24), ends_on=datetime.date(2026, 11, 30),
    )  # fmt: skip
    freeze_now(datetime.datetime(2026, 11, 27, 12, 0))
    handovers.return_handover(handover, actor=chief)
    freeze_now(datetime.datetime(2026, 12, 8, 9, 0))  # printed later, after the period
    client.force_login(chief)
    text = pdf_text(client.get(reverse("handover_return_act", args=[handover.pk])).content)
    assert "№ 1-в от 27.11.2026" in text and "от 08.12.2026" not in text
    assert (
        "27.11.2026, до окончания периода (по 30.11.2026), Волкова Ирина Павловна, специалист "
        "сектора «Одно окно», возвратила" in text
    )
    assert "Петрова Анна Сергеевна" in text and "приняла" in text
    assert (
        "УТВЕРЖДАЮ Главный специалист" in text.replace("\n", " ").split("АКТ")[0]
        or "Е. С. Смирнова" in text
    )


# --- 5. Journal ---------------------------------------------------------------------------------


def test_journal_shows_decision_and_notice_dates_and_the_xlsx_prints_properly(
    client, specialist, chief, office, catalogue
):
    application = _decide(specialist, chief, office, "male", "grant")
    counter.transition(application, "notify", actor=specialist)
    client.force_login(specialist)
    day = {"date_from": "2026-11-24", "date_to": "2026-11-24"}
    text = pdf_text(client.get(reverse("cases:journal"), {**day, "format": "pdf"}).content)
    assert "Дата решения" in text and "Дата уведомления" in text
    # the state names the decision it holds (a notified applicant was granted or refused)
    assert "заявитель уведомлён; назначено 24.11.2026 24.11.2026" in text
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("cases:journal"), {**day, "format": "xlsx"}).content)
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == office.name
    header = list(rows[2])
    status = header.index("Состояние, результат")
    assert rows[3][status] == "заявитель уведомлён; назначено"
    assert header[status + 1 : status + 3] == ["Дата решения", "Дата уведомления"]
    assert rows[3][status + 1] == datetime.datetime(2026, 11, 24)
    assert rows[3][status + 2] == datetime.datetime(2026, 11, 24)
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)


# --- 6. Memo ------------------------------------------------------------------------------------


def test_memo_cites_the_regulation_with_its_issuer(client, specialist, catalogue):
    service = Service.objects.get(code="large-family")  # Приказ УСЗН АВО от 12.05.2011 № 244
    regulation = service.version_on(timezone.localdate()).regulation
    assert regulation.issued_by == (
        "Управление социальной защиты населения Администрации Волгоградской области"
    )
    client.force_login(specialist)
    pdf = client.get(reverse("services:memo", args=["large-family"])).content
    text = pdf_text(pdf)
    assert (
        "Основание: Приказ Управления социальной защиты населения Администрации Волгоградской "
        f"области от "
        f"{regulation.date:%d.%m.%Y} № {regulation.number}" in text
    )
    _no_parted_number_sign(pdf)


def test_every_shipped_regulation_names_its_issuer(catalogue):
    from services.models import Regulation

    assert Regulation.objects.exists()
    assert not Regulation.objects.filter(issued_by="").exists()


@pytest.mark.parametrize("typed", ["1 234,56", "1\u00a0234,56 руб.", "1234.56", "1234,56"])
def test_the_amount_is_read_as_people_type_it(typed):
    from decimal import Decimal

    from cases.forms import RublesField

    field = RublesField(required=False, max_digits=12, decimal_places=2, localize=True)
    assert field.clean(typed) == Decimal("1234.56")
