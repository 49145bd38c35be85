"""The counter follows what the catalogue says beyond a flat checklist (issue 17): «one of»
groups, documents per category, family member and representative, organisations as
applicants, how recent a document must be, the window to apply, the eligibility conditions,
calendar and same-day deadlines — on the form, in the service, on the page and the receipt."""

import datetime
import uuid

import pytest
from django.urls import reverse

from cases import services
from cases.models import Application, ApplicationDocument, InteragencyRequest, Organisation
from tests.catalogue import BIRTH, load
from tests.pdf_utils import pdf_text

pytestmark = pytest.mark.django_db

D = datetime.date


REFUND = {
    "code": "refund-intake",
    "action": "add",
    "title": "Возмещение специализированной службе стоимости услуг по погребению (проверка приёма)",
    "short_title": "Возмещение службе (приём)",
    "deadline_days": 10,
    "applicants": ["organisation"],
    "documents": [
        "specialized-service-invoice",
        {"code": "power-of-attorney", "applies_to": "representative"},
    ],
}

BURIAL = {
    "code": "burial-intake",
    "action": "add",
    "title": "Пособие на погребение (проверка приёма)",
    "short_title": "Пособие на погребение (приём)",
    "deadline_kind": "same_day",
    "applicants": ["citizen", "organisation"],
    "documents": [
        "burial-cost-documents",
        {"code": "specialized-service-invoice", "applies_to": "organisation"},
        {"code": "bank-details", "applies_to": "citizen"},
    ],
}

INN, OGRN = "3444051210", "1033444000006"  # valid check digits


@pytest.fixture
def birth(catalogue):
    return load(BIRTH)["birth-intake"]


def rd(version, code):
    return version.documents.select_related("document_type").get(document_type__code=code)


def mark(data, line, status, sheets="1", issued_on=None):
    data[f"doc_{line.pk}_status"] = status
    if status == "brought":
        data[f"doc_{line.pk}_sheets"] = sheets
    if issued_on:
        data[f"doc_{line.pk}_issued_on"] = issued_on.isoformat()
    return data


def valid_birth(version, **overrides):
    """A complete intake of the birth allowance: the passport, 3 children's birth certificates
    requested, 2 adults' income certificates of October, a parent applying in person."""
    data = {
        "idempotency_key": str(uuid.uuid4()),
        "applicant_category": "родители",
        "family_children": "3",
        "family_adults": "2",
        "event_date": "2026-10-01",
    }
    mark(data, rd(version, "passport"), "brought", "2")
    mark(data, rd(version, "birth-certificate"), "requested")
    mark(data, rd(version, "income-statement"), "brought", "2", D(2026, 10, 1))
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post(client, applicant, version, data):
    return client.post(reverse("cases:apply_form", args=[applicant.pk, version.service.code]), data)


def lines_of(application):
    return {d.document_type.code: d for d in application.documents.select_related("document_type")}


# --- 1. «one of» groups ----------------------------------------------------------------------


def test_a_group_is_satisfied_by_either_document_and_the_other_is_not_required(
    client, specialist, applicant, birth
):
    client.force_login(specialist)
    html = client.get(reverse("cases:apply_form", args=[applicant.pk, "birth-intake"])).content
    assert "Один из документов: документ, удостоверяющий личность" in html.decode()

    response = post(client, applicant, birth, valid_birth(birth))  # passport; the card unmarked
    assert response.status_code == 302, response.content.decode()[:3000]
    docs = lines_of(Application.objects.get())
    assert (docs["passport"].status, docs["temp-id-card"].status) == ("brought", "not_required")

    Application.objects.update(status=Application.Status.WITHDRAWN)  # the next one may come
    data = valid_birth(birth)
    mark(data, rd(birth, "temp-id-card"), "brought")
    mark(data, rd(birth, "passport"), "not_required")  # allowed: the other one satisfies it
    assert post(client, applicant, birth, data).status_code == 302
    docs = lines_of(Application.objects.order_by("pk").last())
    assert (docs["passport"].status, docs["temp-id-card"].status) == ("not_required", "brought")


def test_a_group_with_none_of_its_documents_is_refused_with_its_name(
    client, specialist, applicant, birth
):
    client.force_login(specialist)
    data = valid_birth(birth)
    mark(data, rd(birth, "passport"), "missing")
    mark(data, rd(birth, "temp-id-card"), "not_required")
    html = post(client, applicant, birth, data).content.decode()
    assert (
        "Не представлен ни один из документов группы: регламент не допускает приём при "
        "неполном комплекте." in html
    )
    assert not Application.objects.exists()

    marks = [
        services.DocumentMark(rd(birth, "passport"), "missing"),
        services.DocumentMark(rd(birth, "temp-id-card"), "missing"),
        services.DocumentMark(rd(birth, "birth-certificate"), "requested"),
        services.DocumentMark(rd(birth, "income-statement"), "brought", sheets=1,
                              issued_on=D(2026, 10, 1)),
    ]  # fmt: skip
    intake = services.Intake("родители", 1, 1, D(2026, 10, 1))
    with pytest.raises(services.CounterError) as info:
        services.register_application(
            applicant, birth.service, actor=specialist, marks=marks, intake=intake
        )
    assert info.value.message.startswith(
        "Документ, удостоверяющий личность: не представлен ни один из документов "
        "(«Паспорт гражданина Российской Федерации (иной документ, удостоверяющий личность)» "
        "или «Временное удостоверение личности гражданина Российской Федерации»)."
    )
    assert not Application.objects.exists()


def test_a_group_missing_is_accepted_as_incomplete_where_the_version_allows_it(
    client, specialist, applicant, catalogue
):
    version = load(BIRTH, allow_incomplete=True)["birth-intake"]
    client.force_login(specialist)
    data = valid_birth(version)
    mark(data, rd(version, "passport"), "missing")
    mark(data, rd(version, "temp-id-card"), "missing")
    assert post(client, applicant, version, data).status_code == 302
    application = Application.objects.get()
    assert application.incomplete
    docs = lines_of(application)
    assert docs["passport"].status == docs["temp-id-card"].status == "missing"
    text = pdf_text(client.get(reverse("cases:receipt", args=[application.pk])).content)
    assert (
        "Один из документов (документ, удостоверяющий личность): «Паспорт гражданина Российской "
        "Федерации (иной документ, удостоверяющий личность)» или «Временное удостоверение "
        "личности гражданина Российской Федерации» (обязательный)" in text
    )


def test_a_required_group_member_is_not_required_only_when_another_satisfies_it(
    client, specialist, applicant, birth
):
    client.force_login(specialist)
    data = valid_birth(birth)
    mark(data, rd(birth, "passport"), "not_required")
    mark(data, rd(birth, "temp-id-card"), "missing")
    html = post(client, applicant, birth, data).content.decode()
    assert "Не представлен ни один из документов группы" in html
    assert not Application.objects.exists()


# --- 2. the applicant's category -------------------------------------------------------------


def test_the_category_is_asked_and_decides_which_documents_are_needed(
    client, specialist, applicant, birth
):
    client.force_login(specialist)
    html = client.get(
        reverse("cases:apply_form", args=[applicant.pk, "birth-intake"])
    ).content.decode()
    assert '<option value="студенческие семьи">студенческие семьи</option>' in html

    html = post(client, applicant, birth, valid_birth(birth, applicant_category="")).content
    assert "Выберите категорию заявителя: от неё зависит перечень документов." in html.decode()
    # a student family needs the student certificate: unmarked, it is said
    html = post(
        client, applicant, birth, valid_birth(birth, applicant_category="студенческие семьи")
    ).content.decode()
    assert "Не отмечено документов: 1 из 4" in html
    assert not Application.objects.exists()

    # parents: the student certificate does not apply — greyed on the page, not demanded
    data = valid_birth(birth)
    mark(data, rd(birth, "student-certificate"), "brought")
    html = post(client, applicant, birth, data).content.decode()
    assert (
        "Не требуется (только для категорий: студенческие семьи): отметьте «не требуется»." in html
    )
    assert 'class=" not-needed"' in html
    assert post(client, applicant, birth, valid_birth(birth)).status_code == 302
    application = Application.objects.get()
    assert application.applicant_category == "родители"
    assert lines_of(application)["student-certificate"].status == "not_required"


# --- 3. the family ---------------------------------------------------------------------------


def test_per_member_documents_multiply_with_the_family(client, specialist, applicant, birth):
    client.force_login(specialist)
    html = client.get(
        reverse("cases:apply_form", args=[applicant.pk, "birth-intake"])
    ).content.decode()
    assert "Детей в семье" in html and "Совершеннолетних членов семьи (вместе с заявителем)" in html

    refused = post(client, applicant, birth, valid_birth(birth, family_children=None)).content
    assert "Укажите число детей в семье: по нему считаются документы." in refused.decode()
    # a refused form shows the count the line stands for
    html = post(
        client, applicant, birth, valid_birth(birth, applicant_category="")
    ).content.decode()
    assert "на каждого ребёнка: 3 документа" in html
    assert "на каждого совершеннолетнего члена семьи: 2 документа" in html

    assert post(client, applicant, birth, valid_birth(birth)).status_code == 302
    application = Application.objects.get()
    docs = lines_of(application)
    assert (application.family_children, application.family_adults) == (3, 2)
    assert docs["birth-certificate"].quantity == 3
    assert docs["income-statement"].quantity == 2
    assert docs["passport"].quantity == 1
    text = pdf_text(client.get(reverse("cases:receipt", args=[application.pk])).content)
    assert "Справка о доходах 2 шт. (на каждого совершеннолетнего члена семьи)" in text
    assert "— 3 шт. (на каждого ребёнка)" in text
    assert "Всего представлено: 3 документа (3 экземпляра)" in text  # 1 passport + 2 certificates


def test_no_children_makes_the_childrens_line_not_required(client, specialist, applicant, birth):
    client.force_login(specialist)
    data = valid_birth(birth, family_children="0")
    del data[f"doc_{rd(birth, 'birth-certificate').pk}_status"]
    assert post(client, applicant, birth, data).status_code == 302
    document = lines_of(Application.objects.get())["birth-certificate"]
    assert document.status == "not_required"
    assert not InteragencyRequest.objects.filter(document=document).exists()


# --- 4. representative -----------------------------------------------------------------------


def test_the_power_of_attorney_is_needed_only_when_a_representative_applies(
    client, specialist, applicant, birth
):
    client.force_login(specialist)
    attorney = rd(birth, "power-of-attorney")
    html = client.get(
        reverse("cases:apply_form", args=[applicant.pk, "birth-intake"])
    ).content.decode()
    assert "не требуется: заявитель обращается лично" in html

    data = mark(valid_birth(birth), attorney, "brought")
    html = post(client, applicant, birth, data).content.decode()
    assert "Не требуется (заявитель обращается лично): отметьте «не требуется»." in html
    represented = valid_birth(
        birth, representative_kind="proxy", representative_name="Петрова Анна Сергеевна",
        representative_authority="доверенность от 01.11.2026 № 34АА123",
    )  # fmt: skip
    html = post(client, applicant, birth, represented).content.decode()
    assert "Не отмечено документов: 1 из 4" in html
    assert not Application.objects.exists()

    assert post(client, applicant, birth, mark(represented, attorney, "brought")).status_code == 302
    assert lines_of(Application.objects.get())["power-of-attorney"].status == "brought"


# --- 5. organisations ------------------------------------------------------------------------


@pytest.fixture
def refund(catalogue):
    return load(REFUND)["refund-intake"]


def refund_post(version, **overrides):
    data = {
        "idempotency_key": str(uuid.uuid4()),
        "org_inn": INN,
        "org_ogrn": OGRN,
        "org_name": "ООО «Ритуал»",
        "org_address": "400001, г. Волгоград, ул. Мира, д. 1",
        "representative_name": "Сидоров Олег Петрович",
        "representative_authority": "доверенность от 01.11.2026 № 7",
    }
    mark(data, rd(version, "specialized-service-invoice"), "brought")
    mark(data, rd(version, "power-of-attorney"), "brought")
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"org_inn": "3444051211"}, "ИНН «3444051211»: неверные контрольные цифры"),
        ({"org_inn": "34440512"}, "ИНН организации — 10 цифр (индивидуального предпринимателя — 12), введено «34440512»."),
        ({"org_inn": ""}, "Укажите ИНН организации."),
        ({"org_ogrn": "1033444000007"}, "ОГРН «1033444000007»: неверная контрольная цифра"),
        ({"org_name": ""}, f"Организации с ИНН {INN} в системе нет: укажите её полное наименование."),
        ({"representative_name": ""}, "Организация обращается через представителя: укажите его ФИО."),
        ({"representative_authority": ""}, "Укажите документ о полномочиях представителя организации."),
    ],
)  # fmt: skip
def test_an_organisation_is_checked_at_its_fields(
    client, specialist, applicant, refund, overrides, message
):
    client.force_login(specialist)
    html = post(client, applicant, refund, refund_post(refund, **overrides)).content.decode()
    assert message in html
    assert not Application.objects.exists() and not Organisation.objects.exists()


def test_an_organisation_applies_through_its_representative_and_the_receipt_names_it(
    client, specialist, applicant, refund
):
    client.force_login(specialist)
    html = client.get(
        reverse("cases:apply_form", args=[applicant.pk, "refund-intake"])
    ).content.decode()
    assert "по этой услуге обращается организация" in html
    assert post(client, applicant, refund, refund_post(refund)).status_code == 302
    application = Application.objects.get()
    organisation = Organisation.objects.get()
    assert application.applicant == applicant  # the card's person is whom it concerns
    assert application.organisation == organisation
    assert (organisation.name, organisation.inn, organisation.ogrn) == ("ООО «Ритуал»", INN, OGRN)
    assert organisation.history.get().history_user == specialist
    assert application.representative_kind == "proxy"
    assert lines_of(application)["power-of-attorney"].status == "brought"

    text = pdf_text(client.get(reverse("cases:receipt", args=[application.pk])).content)
    assert (
        f"Заявитель: ООО «Ритуал», ИНН {INN}, ОГРН {OGRN}; представитель Сидоров Олег Петрович "
        "(представитель по доверенности; доверенность от 01.11.2026 № 7)" in text
    )
    assert "в отношении Иванова Ивана Ивановича" in text
    html = client.get(reverse("cases:application", args=[application.pk])).content.decode()
    assert f"ООО «Ритуал», ИНН {INN}" in html

    # the next time it is found by its ИНН: no second record, a new address is kept in history
    application.status = Application.Status.WITHDRAWN
    application.save()
    data = refund_post(refund, org_name="", org_ogrn="", org_address="г. Волгоград, ул. Новая, 2")
    assert post(client, applicant, refund, data).status_code == 302
    organisation.refresh_from_db()
    assert Organisation.objects.count() == 1
    assert organisation.address == "г. Волгоград, ул. Новая, 2"
    assert organisation.history.count() == 2
    assert Application.objects.order_by("pk").last().organisation == organisation


def test_a_citizen_cannot_apply_where_only_organisations_do(specialist, applicant, refund):
    marks = [services.DocumentMark(rd(refund, "specialized-service-invoice"), "brought", sheets=1)]
    with pytest.raises(services.CounterError, match="заявление подаёт организация") as info:
        services.register_application(applicant, refund.service, actor=specialist, marks=marks)
    assert info.value.field == "is_organisation"
    assert not Application.objects.exists()


def test_lines_for_an_organisation_or_a_citizen_follow_who_applies(
    client, specialist, applicant, catalogue
):
    version = load(BURIAL)["burial-intake"]
    client.force_login(specialist)
    base = {"idempotency_key": str(uuid.uuid4())}
    mark(base, rd(version, "burial-cost-documents"), "brought")
    citizen = mark(dict(base), rd(version, "bank-details"), "brought")
    assert post(client, applicant, version, citizen).status_code == 302
    application = Application.objects.get()
    docs = lines_of(application)
    assert docs["specialized-service-invoice"].status == "not_required"
    assert docs["bank-details"].status == "brought"
    assert application.organisation is None

    application.status = Application.Status.WITHDRAWN
    application.save()
    organisation = {
        **base, "idempotency_key": str(uuid.uuid4()), "is_organisation": "on", "org_inn": INN,
        "org_name": "ООО «Ритуал»", "representative_name": "Сидоров Олег Петрович",
        "representative_authority": "приказ о назначении директора от 01.02.2020 № 1-к",
    }  # fmt: skip
    html = post(client, applicant, version, citizen | organisation).content.decode()
    assert "Не требуется (обращается организация): отметьте «не требуется»." in html
    mark(organisation, rd(version, "specialized-service-invoice"), "brought")
    assert post(client, applicant, version, organisation).status_code == 302
    docs = lines_of(Application.objects.order_by("pk").last())
    assert docs["bank-details"].status == "not_required"
    assert docs["specialized-service-invoice"].status == "brought"


# --- 6. time limits --------------------------------------------------------------------------


def test_an_expired_income_certificate_is_refused_at_intake_with_the_reason(
    client, specialist, applicant, birth
):
    client.force_login(specialist)
    data = valid_birth(birth)
    income = rd(birth, "income-statement")
    mark(data, income, "brought", issued_on=D(2026, 7, 1))
    html = post(client, applicant, birth, data).content.decode()
    assert (
        "«Справка о доходах» от 01.07.2026: документ должен быть выдан не ранее 24.08.2026 (не "
        "ранее чем за 3 месяца до обращения). Попросите заявителя представить новый." in html
    )
    assert f'id="id_doc_{income.pk}_issued_on_error"' in html  # at its field
    assert not Application.objects.exists()
    # the service refuses it whoever calls it
    marks = [
        services.DocumentMark(rd(birth, "passport"), "brought", sheets=1),
        services.DocumentMark(rd(birth, "birth-certificate"), "requested"),
        services.DocumentMark(income, "brought", sheets=1, issued_on=D(2026, 7, 1)),
    ]
    with pytest.raises(services.CounterError, match=r"не ранее 24\.08\.2026") as info:
        services.register_application(
            applicant, birth.service, actor=specialist, marks=marks,
            intake=services.Intake("родители", 1, 1, D(2026, 10, 1)),
        )  # fmt: skip
    assert info.value.field == f"doc_{income.pk}_issued_on"
    # without a date, and with a date to come
    del data[f"doc_{income.pk}_issued_on"]
    assert "«Справка о доходах»: укажите дату выдачи документа." in (
        post(client, applicant, birth, data).content.decode()
    )
    mark(data, income, "brought", issued_on=D(2026, 11, 25))
    assert "дата выдачи 25.11.2026 позже дня обращения (24.11.2026)" in (
        post(client, applicant, birth, data).content.decode()
    )
    # on the oldest day allowed it is accepted, and its date is kept
    mark(data, income, "brought", issued_on=D(2026, 8, 24))
    assert post(client, applicant, birth, data).status_code == 302
    assert lines_of(Application.objects.get())["income-statement"].issued_on == D(2026, 8, 24)


def test_an_application_after_the_window_is_refused_with_the_last_day(
    client, specialist, applicant, birth
):
    client.force_login(specialist)
    html = client.get(
        reverse("cases:apply_form", args=[applicant.pk, "birth-intake"])
    ).content.decode()
    assert "Дата рождения ребёнка" in html
    html = post(client, applicant, birth, valid_birth(birth, event_date="2026-05-23")).content
    assert (
        "Срок обращения истёк 23.11.2026: заявление принимается в течение 6 месяцев со дня "
        "рождения ребёнка." in html.decode()
    )
    html = post(client, applicant, birth, valid_birth(birth, event_date="2026-11-25")).content
    assert "Дата рождения ребёнка (25.11.2026) позже дня обращения (24.11.2026)" in html.decode()
    html = post(client, applicant, birth, valid_birth(birth, event_date=None)).content
    assert "Укажите: дата рождения ребёнка." in html.decode()
    assert not Application.objects.exists()

    assert (
        post(client, applicant, birth, valid_birth(birth, event_date="2026-05-24")).status_code
        == 302
    )
    assert Application.objects.get().event_date == D(2026, 5, 24)


def test_a_window_ending_on_a_day_off_ends_on_the_next_working_day(
    client, specialist, applicant, birth, freeze_now
):
    # 22.05.2026 + 6 months = Sunday 22.11.2026: the window runs to Monday 23.11 (ГК РФ ст. 193)
    freeze_now(datetime.datetime(2026, 11, 23, 10, 0))
    client.force_login(specialist)
    data = valid_birth(birth, event_date="2026-05-22")
    assert post(client, applicant, birth, data).status_code == 302


# --- 7. eligibility conditions ---------------------------------------------------------------


def test_eligibility_conditions_are_shown_confirmed_and_kept_not_decided(
    client, specialist, applicant, birth
):
    client.force_login(specialist)
    html = client.get(
        reverse("cases:apply_form", args=[applicant.pk, "birth-intake"])
    ).content.decode()
    assert (
        "Подтверждаю по документам: среднедушевой доход семьи ниже прожиточного минимума (п. 1.2)"
        in html
    )
    first = birth.conditions.order_by("order", "id").first()
    response = post(client, applicant, birth, valid_birth(birth, **{f"condition_{first.pk}": "on"}))
    assert response.status_code == 302  # an unticked condition does not block
    application = Application.objects.get()
    assert application.eligibility == [
        {"text": "среднедушевой доход семьи ниже прожиточного минимума", "clause": "п. 1.2",
         "confirmed": True},
        {"text": "заявитель проживает в Волгоградской области", "clause": "", "confirmed": False},
    ]  # fmt: skip
    html = client.get(reverse("cases:application", args=[application.pk])).content.decode()
    assert "Условия предоставления" in html
    assert "подтверждено по документам" in html and "не подтверждено" in html


# --- 8. deadlines, result and grounds ----------------------------------------------------------


def test_a_calendar_deadline_is_counted_and_shown_with_the_result_and_the_grounds(
    client, specialist, applicant, birth
):
    client.force_login(specialist)
    html = client.get(
        reverse("cases:apply_form", args=[applicant.pk, "birth-intake"])
    ).content.decode()
    assert "Срок решения: <strong>24.12.2026</strong> (30 календарных дней)" in html
    assert "Результат: решение о назначении пособия" in html
    assert "Основания для отказа в приёме документов (1)" in html
    assert "<strong>п. 2.8</strong>: заявление подано лицом, не имеющим полномочий" in html

    assert post(client, applicant, birth, valid_birth(birth)).status_code == 302
    application = Application.objects.get()
    assert application.deadline == D(2026, 12, 24)  # 24.11 + 30 calendar days
    text = pdf_text(client.get(reverse("cases:receipt", args=[application.pk])).content)
    assert "до 24.12.2026 (30 календарных дней со дня регистрации заявления)" in text
    assert "Результат предоставления услуги: решение о назначении пособия" in text


def test_a_same_day_deadline_is_the_registration_day(client, specialist, applicant, catalogue):
    version = load(BURIAL)["burial-intake"]
    client.force_login(specialist)
    data = {"idempotency_key": str(uuid.uuid4())}
    mark(data, rd(version, "burial-cost-documents"), "brought")
    mark(data, rd(version, "bank-details"), "brought")
    html = client.get(
        reverse("cases:apply_form", args=[applicant.pk, "burial-intake"])
    ).content.decode()
    assert "Срок решения: <strong>24.11.2026</strong> (в день обращения)" in html
    assert post(client, applicant, version, data).status_code == 302
    application = Application.objects.get()
    assert application.deadline == application.registered_on == D(2026, 11, 24)
    text = pdf_text(client.get(reverse("cases:receipt", args=[application.pk])).content)
    assert "Срок принятия решения: в день обращения — 24.11.2026" in text


# --- 9. the receipt --------------------------------------------------------------------------


def test_the_receipt_names_the_group_quantities_and_dates(client, specialist, applicant, birth):
    client.force_login(specialist)
    assert post(client, applicant, birth, valid_birth(birth)).status_code == 302
    application = Application.objects.get()
    text = pdf_text(client.get(reverse("cases:receipt", args=[application.pk])).content)
    assert (
        "Паспорт гражданина Российской Федерации (иной документ, удостоверяющий личность) один "
        "из документов: документ, удостоверяющий личность" in text
    )
    assert "Временное удостоверение" not in text  # the member not brought is not listed
    assert "(на каждого совершеннолетнего члена семьи); дата выдачи 01.10.2026" in text
    assert "Категория заявителя: родители. Детей в семье: 3." in text
    assert "Дата рождения ребёнка: 01.10.2026." in text
    html = client.get(reverse("cases:application", args=[application.pk])).content.decode()
    assert "дата выдачи 01.10.2026" in html and "3\u00a0шт. (на каждого ребёнка)" in html
    assert ApplicationDocument.objects.filter(application=application, quantity=3).count() == 1


def test_the_satisfying_marks_are_what_the_counter_accepts(catalogue):
    """`intake.satisfying_marks` (the demo data's and the tests' checklist) marks what a
    specialist would: one document of a «one of» group, «не требуется» where a line is another
    category's or a representative's, every applying line otherwise; the counter's own rules
    then find nothing to refuse and nothing left unmarked."""
    from cases import intake

    birth = load(BIRTH)["birth-intake"]
    lines = list(birth.documents.select_related("document_type"))
    by_code = {rd.document_type.code: rd.pk for rd in lines}
    facts = intake.Facts(category="родители", children=3, adults=2)
    marks = intake.satisfying_marks(lines, facts)
    assert marks[by_code["passport"]] == intake.BROUGHT
    assert by_code["temp-id-card"] not in marks  # the group is satisfied by the passport
    assert marks[by_code["student-certificate"]] == intake.NOT_REQUIRED
    assert marks[by_code["power-of-attorney"]] == intake.NOT_REQUIRED
    resolution = intake.resolve(birth, lines, marks, facts)
    assert resolution.problems == [] and resolution.unmarked == []
    assert resolution.lines[by_code["temp-id-card"]].status == intake.NOT_REQUIRED
    assert resolution.lines[by_code["birth-certificate"]].quantity == 3
    # a representative makes the power of attorney a line to bring
    with_proxy = intake.satisfying_marks(
        lines, intake.Facts(category="родители", children=3, adults=2, representative=True)
    )
    assert with_proxy[by_code["power-of-attorney"]] == intake.BROUGHT
