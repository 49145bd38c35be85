import datetime
import re
import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from cases import services
from cases.models import Application, ApplicationDocument, CaseFile, Entitlement
from onewindow import work
from onewindow.models import AccessLog
from services.models import Service
from tests.counter import checklist_post, rd_of, register
from tests.factories import ApplicantFactory, counter_marks
from tests.pdf_utils import pdf_text

pytestmark = pytest.mark.django_db

D = datetime.date


def test_registering_opens_the_case_file_numbers_and_counts_the_deadline(
    client, specialist, applicant, freeze_now
):
    freeze_now(datetime.datetime(2026, 11, 23, 10, 30))  # Monday
    client.force_login(specialist)
    response = register(client, applicant, day=D(2026, 11, 23))
    application = Application.objects.get()
    assert response["Location"] == reverse("cases:application", args=[application.pk])
    assert (application.reg_number, application.reg_year) == (1, 2026)
    assert application.registered_on == D(2026, 11, 23)
    assert application.deadline == D(2026, 12, 7)  # 10 working days
    assert application.status == "accepted" and application.specialist == specialist
    assert application.case_file.number == 1 and application.case_file.opened_on == D(2026, 11, 23)
    assert application.service_version == Service.objects.get(code="edv-veterans").version_on(
        D(2026, 11, 23)
    )
    snils = application.documents.get(document_type__code="snils")
    assert snils.status == "requested" and snils.sheets is None
    passport = application.documents.get(document_type__code="passport")
    assert (passport.status, passport.sheets, passport.form) == ("brought", 2, "both")
    assert application.events.get().to_status == "accepted"
    assert application.history.get().history_user == specialist


def test_second_application_uses_the_same_case_file_and_the_next_number(
    client, specialist, applicant
):
    client.force_login(specialist)
    register(client, applicant, "edv-veterans")
    register(client, applicant, "veteran-certificate")
    first, second = Application.objects.order_by("reg_number")
    assert (first.reg_number, second.reg_number) == (1, 2)
    assert first.case_file == second.case_file
    assert CaseFile.objects.count() == 1


def test_deadline_across_the_new_year_holidays(client, specialist, applicant, freeze_now):
    freeze_now(datetime.datetime(2025, 12, 26, 11, 0))
    client.force_login(specialist)
    register(client, applicant, day=D(2025, 12, 26))
    assert Application.objects.get().deadline == D(2026, 1, 21)


def test_application_received_on_a_day_off_is_registered_on_the_next_working_day(
    client, specialist, applicant, freeze_now
):
    freeze_now(datetime.datetime(2026, 1, 9, 10, 0))  # a transferred day off
    client.force_login(specialist)
    register(client, applicant, day=D(2026, 1, 12))
    application = Application.objects.get()
    assert application.registered_on == D(2026, 1, 12)
    assert application.received_at.date() == D(2026, 1, 9)
    assert application.reg_year == 2026
    assert application.deadline == D(2026, 1, 26)


def test_double_submit_registers_once(client, specialist, applicant):
    client.force_login(specialist)
    data = checklist_post(
        "edv-veterans", __import__("django.utils.timezone").utils.timezone.localdate()
    )
    url = reverse("cases:apply_form", args=[applicant.pk, "edv-veterans"])
    first = client.post(url, data)
    second = client.post(url, data)
    assert Application.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_an_open_application_for_the_same_service_is_refused(client, specialist, applicant):
    client.force_login(specialist)
    register(client, applicant)
    html = register(client, applicant).content.decode()
    assert "У заявителя уже есть незавершённое заявление на эту услугу: № 1/" in html
    assert Application.objects.count() == 1


@pytest.mark.parametrize(
    "sheets,message",
    [
        ("0", "Число листов — целое число не меньше 1."),
        ("-1", "Число листов — целое число не меньше 1."),
        ("два", "Число листов — целое число."),
    ],
)
def test_bad_sheet_counts_are_refused_at_the_field(client, specialist, applicant, sheets, message):
    from django.utils import timezone

    client.force_login(specialist)
    rd = rd_of("edv-veterans", timezone.localdate(), "passport")
    html = register(client, applicant, **{f"doc_{rd.pk}_sheets": sheets}).content.decode()
    assert message in html
    assert not Application.objects.exists() and not CaseFile.objects.exists()


def test_missing_required_document_is_refused_when_the_version_does_not_allow_it(
    client, specialist, applicant
):
    from django.utils import timezone

    client.force_login(specialist)
    rd = rd_of("edv-veterans", timezone.localdate(), "passport")
    html = register(client, applicant, **{f"doc_{rd.pk}_status": "missing"}).content.decode()
    assert "Обязательный документ: регламент не допускает приём при неполном комплекте." in html
    assert not Application.objects.exists()


def test_missing_required_document_is_accepted_and_visible_when_allowed(
    client, specialist, applicant
):
    from django.utils import timezone

    client.force_login(specialist)
    service = Service.objects.get(code="asp")
    assert service.version_on(timezone.localdate()).allow_incomplete
    rd = (
        service.version_on(timezone.localdate())
        .documents.filter(required=True, interagency=False)
        .exclude(document_type__code="passport")
        .first()
    )
    register(client, applicant, "asp", **{f"doc_{rd.pk}_status": "missing"})
    application = Application.objects.get()
    assert application.incomplete
    html = client.get(reverse("cases:application", args=[application.pk])).content.decode()
    assert "принято при неполном комплекте" in html


def test_consent_is_required_where_the_version_requires_it(client, specialist, applicant):
    client.force_login(specialist)
    html = register(client, applicant, "asp", consent_given="").content.decode()
    assert "Без подписанного согласия заявление по этой услуге не принимается." in html
    assert not Application.objects.exists()


def test_office_cannot_request_a_document_only_the_applicant_has(client, specialist, applicant):
    from django.utils import timezone

    client.force_login(specialist)
    rd = rd_of("edv-veterans", timezone.localdate(), "passport")
    html = register(client, applicant, **{f"doc_{rd.pk}_status": "requested"}).content.decode()
    assert "Этот документ учреждение не запрашивает: его представляет заявитель." in html
    assert not Application.objects.exists()


def test_representative_needs_name_and_authority(client, specialist, applicant):
    client.force_login(specialist)
    html = register(client, applicant, representative_kind="proxy").content.decode()
    assert "Укажите ФИО представителя." in html
    assert "Укажите документ о полномочиях представителя." in html
    register(client, applicant, representative_kind="proxy", representative_name="Петров Пётр Петрович",
             representative_authority="доверенность 34АА 1234567 от 01.10.2026")  # fmt: skip
    assert Application.objects.get().representative_name == "Петров Пётр Петрович"


def test_service_without_a_version_in_force_is_refused(client, specialist, applicant, freeze_now):
    freeze_now(datetime.datetime(2005, 3, 1, 10, 0))  # before every regulation of the catalogue
    client.force_login(specialist)
    response = client.get(
        reverse("cases:apply_form", args=[applicant.pk, "edv-veterans"]), follow=True
    )
    assert (
        "не действует на 01.03.2005: заявление по ней принять нельзя." in response.content.decode()
    )
    assert not Application.objects.exists()


def test_receipt_pdf_has_everything_the_applicant_needs(client, specialist, applicant):
    client.force_login(specialist)
    register(client, applicant)
    application = Application.objects.get()
    response = client.get(reverse("cases:receipt", args=[application.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "РАСПИСКА В ПРИЁМЕ ДОКУМЕНТОВ" in text
    assert f"Регистрационный № {application.number_display}" in text
    assert "от Иванова Ивана Ивановича" in text
    assert "Предоставление ежемесячной денежной выплаты ветеранам труда" in text
    for doc in application.documents.filter(status="brought"):
        assert doc.title in text
    assert "Запрашиваются учреждением" in text
    assert f"до {application.deadline:%d.%m.%Y}" in text
    assert "А. С. Петрова" in text  # the signature: initials first
    assert "Расписку получил: Иванов Иван Иванович" in text
    assert AccessLog.objects.filter(event="print_document", subject_id=str(application.pk)).exists()


def test_lifecycle_up_to_a_granted_measure(client, specialist, chief, applicant):
    client.force_login(specialist)
    register(client, applicant)
    application = Application.objects.get()
    client.post(reverse("cases:transition", args=[application.pk, "transfer"]))
    # a specialist may not record a decision
    response = client.post(reverse("cases:transition", args=[application.pk, "grant"]))
    assert response.status_code == 403
    assert AccessLog.objects.filter(user=specialist, result="refused").exists()
    application.refresh_from_db()
    assert application.status == "transferred" and not Entitlement.objects.exists()
    client.force_login(chief)
    client.post(reverse("cases:transition", args=[application.pk, "review"]))
    for request in application.interagency_requests.all():  # the answers came in
        client.post(
            reverse("cases:interagency", args=[request.pk]),
            {"result": "received", "response_on": request.sent_on.isoformat()},
        )
    client.post(
        reverse("cases:transition", args=[application.pk, "grant"]), {"start_date": "2026-12-01"}
    )
    application.refresh_from_db()
    assert application.status == "granted" and application.decision_date is not None
    entitlement = Entitlement.objects.get()
    assert (entitlement.applicant, entitlement.service.code, entitlement.status) == (
        applicant,
        "edv-veterans",
        "active",
    )
    assert entitlement.start_date == D(2026, 12, 1) and entitlement.end_date is None
    assert [e.to_status for e in application.events.all()] == [
        "accepted",
        "transferred",
        "in_review",
        "granted",
    ]
    assert [e.actor for e in application.events.all()][-1] == chief
    text = pdf_text(client.get(reverse("cases:notice", args=[application.pk])).content)
    assert "Иванову Ивану Ивановичу" in text and "о назначении меры социальной поддержки" in text


def test_refusal_needs_a_reason_and_prints_a_notice(client, chief, applicant):
    client.force_login(chief)
    register(client, applicant)
    application = Application.objects.get()
    client.post(reverse("cases:transition", args=[application.pk, "transfer"]))
    html = client.post(
        reverse("cases:transition", args=[application.pk, "refuse"]), follow=True
    ).content.decode()
    assert "Укажите причину отказа." in html
    client.post(
        reverse("cases:transition", args=[application.pk, "refuse"]),
        {"reason": "нет права на меру", "override_reason": "права нет независимо от ответов"},
    )
    application.refresh_from_db()
    assert application.status == "refused" and not Entitlement.objects.exists()
    text = pdf_text(client.get(reverse("cases:notice", args=[application.pk])).content)
    assert "об отказе" in text and "Причина отказа: нет права на меру" in text


def test_wrong_order_transition_is_refused(client, chief, applicant):
    client.force_login(chief)
    register(client, applicant)
    application = Application.objects.get()
    html = client.post(
        reverse("cases:transition", args=[application.pk, "notify"]), follow=True
    ).content.decode()
    assert "Действие «Заявитель уведомлён» невозможно: заявление в состоянии «принято»." in html


def test_service_layer_refuses_a_decision_without_the_permission(specialist, applicant):
    from django.utils import timezone

    version = Service.objects.get(code="edv-veterans").version_on(timezone.localdate())
    marks = counter_marks(version)
    application = services.register_application(
        applicant, version.service, actor=specialist, marks=marks
    )
    services.transition(application, "transfer", actor=specialist)
    with pytest.raises(PermissionDenied):
        services.transition(application, "grant", actor=specialist)


def test_application_of_another_office_is_404(client, other_specialist, specialist, applicant):
    client.force_login(specialist)
    register(client, applicant)
    application = Application.objects.get()
    client.force_login(other_specialist)
    for name in ("cases:application", "cases:receipt"):
        assert client.get(reverse(name, args=[application.pk])).status_code == 404
    assert AccessLog.objects.filter(user=other_specialist, result="refused").count() == 2


def test_journal_lists_the_day_and_exports_xlsx(client, specialist, applicant):
    client.force_login(specialist)
    register(client, applicant)
    today = Application.objects.get().registered_on  # the next working day on a day off
    html = client.get(reverse("cases:journal"), {"date_from": today.isoformat()}).content.decode()
    assert f"1/{today.year}" in html and "Иванов\u00a0И.\u00a0И." in html
    response = client.get(
        reverse("cases:journal"),
        {"date_from": today.isoformat(), "date_to": today.isoformat(), "format": "xlsx"},
    )
    sheet = load_workbook(__import__("io").BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == specialist.office.name  # the office first, then the caption
    assert rows[2][:3] == ("№", "Дата регистрации", "Заявитель")
    assert rows[3][0] == f"1/{today.year}" and rows[3][2] == "Иванов Иван Иванович"
    text = pdf_text(
        client.get(
            reverse("cases:journal"), {"date_from": today.isoformat(), "format": "pdf"}
        ).content
    )
    assert "ЖУРНАЛ РЕГИСТРАЦИИ ЗАЯВЛЕНИЙ" in text and "Иванов Иван Иванович" in text
    html = client.get(
        reverse("cases:journal"), {"date_from": "2026-05-01", "date_to": "2026-04-01"}
    ).content.decode()
    assert "Дата окончания раньше даты начала." in html


def test_case_file_page_is_logged_and_shows_documents(client, specialist, applicant):
    client.force_login(specialist)
    register(client, applicant)
    case_file = CaseFile.objects.get()
    html = client.get(reverse("cases:casefile", args=[case_file.pk])).content.decode()
    assert f"Личное дело № {case_file.number_display}" in html
    # the documents come when «Документы заявлений» is opened (htmx), or by the link without it
    assert f'hx-get="{reverse("cases:casefile", args=[case_file.pk])}?part=documents"' in html
    assert "Паспорт гражданина Российской Федерации" not in html
    part = client.get(
        reverse("cases:casefile", args=[case_file.pk]),
        {"part": "documents"},
        headers={"HX-Request": "true"},
    )
    assert "Паспорт гражданина Российской Федерации" in part.content.decode()
    assert "<html" not in part.content.decode()
    history = client.get(
        reverse("cases:casefile", args=[case_file.pk]), {"part": "history"}
    ).content.decode()
    assert "<td>24.11.2026 10:00</td><td>система</td><td>Создано</td>" in history
    assert (
        AccessLog.objects.filter(event="view_casefile", subject_id=str(case_file.pk)).count() == 3
    )


# one COUNT per kind of work for the «Мои дела» counter in the navigation
NAV = len(work.KINDS)


def test_counter_pages_have_fixed_query_counts(
    client, specialist, applicant, django_assert_max_num_queries
):
    client.force_login(specialist)
    for code in ("edv-veterans", "veteran-certificate", "donor-edv"):
        register(client, applicant, code)
    application = Application.objects.first()
    with django_assert_max_num_queries(16 + NAV):
        client.get(reverse("cases:applicant", args=[applicant.pk]))
    with django_assert_max_num_queries(20 + NAV):
        client.get(reverse("cases:application", args=[application.pk]))
    with django_assert_max_num_queries(12 + NAV):
        client.get(reverse("cases:counter"), {"q": "Иванов И.И."})
    with django_assert_max_num_queries(16 + NAV):
        client.get(reverse("cases:journal"))
    assert ApplicationDocument.objects.exists()


def test_chief_stops_a_measure_with_a_reason_and_a_specialist_cannot(
    client, chief, specialist, applicant
):
    from cases.services import ensure_case_file

    measure = Entitlement.objects.create(office=applicant.office, applicant=applicant,
                                         case_file=ensure_case_file(applicant, actor=chief),
                                         service=Service.objects.get(code="asp"), start_date=D(2025, 1, 1))  # fmt: skip
    url = reverse("cases:entitlement_status", args=[measure.pk])
    client.force_login(specialist)
    assert client.post(url, {"status": "stopped", "reason": "снят с учёта"}).status_code == 403
    client.force_login(chief)
    html = client.post(url, {"status": "stopped", "reason": ""}, follow=True).content.decode()
    assert "Укажите основание изменения меры." in html
    html = client.post(
        url,
        {"status": "stopped", "reason": "снят с учёта по заявлению", "on": "2026-11-20"},
        follow=True,
    ).content.decode()
    assert "Мера «Адресное социальное пособие»: прекращена." in html  # the page says what it did
    measure.refresh_from_db()
    assert (measure.status, measure.end_date, measure.status_reason) == (
        "stopped",
        D(2026, 11, 20),
        "снят с учёта по заявлению",
    )
    assert measure.history.first().history_user == chief


# --- The checklist starts unmarked (issue 13, item 8) ----------------------------------------


def test_checklist_starts_unmarked_and_an_untouched_form_registers_nothing(
    client, specialist, applicant
):
    client.force_login(specialist)
    url = reverse("cases:apply_form", args=[applicant.pk, "edv-veterans"])
    html = client.get(url).content.decode()
    assert "checked" not in html.split("Перечень документов")[1].split("</table>")[0]
    assert 'value="1"' not in html  # no sheet count is assumed either

    version = Service.objects.get(code="edv-veterans").version_on(timezone_today())
    lines = version.documents.count()
    response = client.post(url, {"idempotency_key": str(uuid.uuid4())})  # Alt+R at once
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Не отмечено документов: {lines} из {lines}" in html
    assert "Отметьте документ: «представлен», «не представлен»" in html
    assert not Application.objects.exists()


def test_a_document_the_office_requests_is_never_demanded_of_the_applicant(
    client, specialist, applicant
):
    client.force_login(specialist)
    today = timezone_today()
    snils = rd_of("edv-veterans", today, "snils")
    url = reverse("cases:apply_form", args=[applicant.pk, "edv-veterans"])
    html = client.get(url).content.decode()
    offered = re.findall(rf'name="doc_{snils.pk}_status" value="(\w+)"', html)
    assert offered == ["brought", "requested"]
    response = client.post(
        url, checklist_post("edv-veterans", today, **{f"doc_{snils.pk}_status": "missing"})
    )
    assert "получает по межведомственному запросу" in response.content.decode()
    assert not Application.objects.exists()
    # the service refuses it too, whoever calls it
    marks = [
        services.DocumentMark(
            rd,
            "missing" if rd.pk == snils.pk else ("requested" if rd.interagency else "brought"),
            sheets=1,
        )
        for rd in snils.version.documents.all()
    ]
    with pytest.raises(services.CounterError, match="межведомственному запросу"):
        services.register_application(
            applicant, snils.version.service, actor=specialist, marks=marks
        )


def test_not_required_is_for_conditional_documents_and_is_not_listed_as_missing(
    client, specialist, applicant
):
    client.force_login(specialist)
    today = timezone_today()
    stalingrad = rd_of("edv-veterans", today, "stalingrad-child-certificate")
    passport = rd_of("edv-veterans", today, "passport")
    url = reverse("cases:apply_form", args=[applicant.pk, "edv-veterans"])
    refused = client.post(
        url, checklist_post("edv-veterans", today, **{f"doc_{passport.pk}_status": "not_required"})
    )
    assert refused.status_code == 200 and not Application.objects.exists()

    register(client, applicant, **{f"doc_{stalingrad.pk}_status": "not_required"})
    application = Application.objects.get()
    document = application.documents.get(required_document=stalingrad)
    assert document.status == "not_required" and document.sheets is None
    html = client.get(reverse("cases:application", args=[application.pk])).content.decode()
    assert "не требуется" in html
    text = pdf_text(client.get(reverse("cases:receipt", args=[application.pk])).content)
    assert "Не представлены" not in text
    assert stalingrad.document_type.title not in text


def timezone_today():
    from django.utils import timezone

    return timezone.localdate()


def test_checklist_rows_keep_history(client, specialist, catalogue, office):
    from cases.models import ApplicationDocument
    from services.models import RequiredDocument

    assert RequiredDocument.history.count() == RequiredDocument.objects.count() > 0
    client.force_login(specialist)
    register(client, ApplicantFactory(office=office, snils=""))
    assert (
        ApplicationDocument.history.filter(history_user=specialist).count()
        == ApplicationDocument.objects.count()
        > 0
    )
