"""Issue 13, item 4: the archive takes only files nobody works on, an archived file takes no new
work until the archivist returns it, and the крайние даты agree with the file's own records."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from archive import services
from archive.models import ArchivedFile, RetentionRule
from cases import services as counter
from cases.models import Application, CaseFile, Entitlement, IncomingRequest, RequestKind
from services.models import Service
from tests.archive.helpers import form_data
from tests.factories import ApplicantFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def service_data(box, **changes):
    """The same form as cleaned data, for the service."""
    data = {"archive_number": "2020-001", "start_date": D(2018, 1, 1), "end_date": D(2020, 6, 30),
            "event_date": D(2020, 6, 30), "sheets": 48, "location": box,
            "retention_rule": RetentionRule.objects.get(code="benefit-recipient")}  # fmt: skip
    data.update(changes)
    return data


def accept(person, code, specialist):
    service = Service.objects.get(code=code)
    version = service.version_on(timezone.localdate())
    marks = [
        counter.DocumentMark(rd, "requested" if rd.interagency else "brought", rd.form, 1)
        for rd in version.documents.all()
    ]
    return counter.register_application(
        person, service, actor=specialist, marks=marks, consent_given=True
    )


def page_text(response) -> str:
    return " ".join(response.content.decode().split())


# --- (a) a file in work is not taken in ----------------------------------------------------------


def test_a_file_in_work_is_refused_and_the_refusal_names_the_work(
    client, archivist, specialist, chief, office, box, closed_file
):
    person = closed_file.applicant
    open_one = accept(person, "edv-veterans", specialist)
    decided = accept(person, "donor-edv", specialist)
    counter.transition(decided, "transfer", actor=chief)
    counter.transition(decided, "refuse", actor=chief, reason="нет права", override_reason="x")
    asp = Service.objects.get(code="asp")
    Entitlement.objects.create(office=office, applicant=person, case_file=closed_file,
                               service=Service.objects.get(code="large-family"), start_date=D(2024, 1, 1),
                               status=Entitlement.Status.SUSPENDED)  # fmt: skip
    IncomingRequest.objects.create(
        office=office, kind=RequestKind.objects.first(),
        sender="ЦСЗН по Центральному району", sender_number="15-3/88", sender_date=D(2026, 11, 20),
        received_on=D(2026, 11, 23), subject_name=person.full_name, applicant=person, question="Выплаты",
        due_date=D(2026, 11, 30), assigned_to=specialist,
    )  # fmt: skip

    client.force_login(archivist)
    text = page_text(client.post(reverse("archive:register"), form_data(closed_file, box)))

    assert f"Личное дело {closed_file.number_display} ещё в работе, в архив его не принять" in text
    assert f"№ {open_one.number_display} (Ежемесячная денежная выплата" in text
    assert f"№ {decided.number_display} (" in text and "решение: отказано" in text
    assert "Меры социальной поддержки многодетным семьям (приостановлена)" in text
    assert asp.short_title not in text.split("действующие")[1].split(";")[0]  # stopped: no bar
    assert "межведомственный запрос «" in text
    assert "запрос ЦСЗН по Центральному району № 15-3/88 от 20.11.2026" in text
    assert not ArchivedFile.objects.exists()
    closed_file.refresh_from_db()
    assert closed_file.status == CaseFile.Status.ACTIVE


def test_an_open_selection_of_the_person_keeps_the_file_in_work(
    archivist, specialist, office, box, closed_file
):
    from reconciliation.models import ExtractProfile, ReconciliationRun, Selection

    run = ReconciliationRun.objects.create(
        office=office, profile=ExtractProfile.objects.first(), source="pfr", kind="deaths",
        file_name="deaths.csv", file_path="deaths.csv", sha256="0" * 64, created_by=specialist,
    )  # fmt: skip
    Selection.objects.create(office=office, run=run, applicant=closed_file.applicant, kind="deaths",
                             source="pfr", match="snils", suggested_action="stop", assigned_to=specialist)  # fmt: skip
    with pytest.raises(
        services.ArchiveError, match=r"селекции в работе: 1 \(Селекция: смерть получателей\)"
    ):
        services.register_file(closed_file, **service_data(box), actor=archivist)
    Selection.objects.update(status="done")
    assert services.register_file(closed_file, **service_data(box), actor=archivist).pk


# --- (b) an archived file takes no new work until it is returned ---------------------------------


def test_an_archived_file_takes_no_application_until_the_archivist_returns_it(
    archivist, specialist, box, closed_file
):
    item = services.register_file(closed_file, **service_data(box), actor=archivist)
    person = closed_file.applicant

    with pytest.raises(counter.CounterError) as refused:
        accept(person, "edv-veterans", specialist)
    assert refused.value.message.startswith(
        f"Личное дело {closed_file.number_display} передано в архив: новое заявление по нему не принимается."
    )
    assert "«Вернуть из архива»" in refused.value.message
    assert refused.value.link == reverse("archive:case_file", args=[closed_file.pk])
    assert not Application.objects.exists()

    with pytest.raises(services.ArchiveError, match="Укажите основание возврата"):
        services.withdraw_file(item, actor=archivist, reason="  ")
    services.withdraw_file(item, actor=archivist, reason="заявление на ЕДВ ветеранам")
    item.refresh_from_db()
    closed_file.refresh_from_db()
    assert item.status == ArchivedFile.Status.WITHDRAWN
    assert (item.withdrawn_on, item.withdrawn_by, item.withdrawal_reason) == (
        timezone.localdate(), archivist, "заявление на ЕДВ ветеранам",
    )  # fmt: skip
    assert closed_file.status == CaseFile.Status.ACTIVE and closed_file.closed_on is None
    last = item.history.order_by("history_id").last()
    assert (
        last.history_user == archivist
        and "заявление на ЕДВ ветеранам" in last.history_change_reason
    )
    assert closed_file.history.order_by("history_id").last().history_user == archivist

    application = accept(person, "edv-veterans", specialist)
    assert application.case_file == closed_file


def test_no_decision_on_an_application_of_an_archived_file(client, chief, specialist, closed_file):
    # a file archived before the archive checked open work: its application still in review
    application = accept(closed_file.applicant, "asp", specialist)
    counter.transition(application, "transfer", actor=specialist)
    CaseFile.objects.filter(pk=closed_file.pk).update(status=CaseFile.Status.ARCHIVED)

    client.force_login(chief)
    response = client.post(
        reverse("cases:transition", args=[application.pk, "grant"]),
        {"override_reason": "ответы получены по телефону"},
        follow=True,
    )
    text = page_text(response)
    assert (
        f"Личное дело {closed_file.number_display} передано в архив: решение по заявлению не принимается."
        in text
    )
    application.refresh_from_db()
    assert application.status == Application.Status.TRANSFERRED
    assert not Entitlement.objects.filter(application=application).exists()


def test_the_counter_link_finds_the_file_in_the_archive(client, archivist, chief, box, closed_file):
    item = services.register_file(closed_file, **service_data(box), actor=archivist)
    client.force_login(chief)
    response = client.get(reverse("archive:case_file", args=[closed_file.pk]))
    assert response["Location"] == reverse("archive:file", args=[item.pk])


def test_archivist_returns_a_file_through_the_page_and_it_leaves_the_box(
    client, archivist, box, closed_file, office
):
    item = services.register_file(closed_file, **service_data(box), actor=archivist)
    client.force_login(archivist)
    url = reverse("archive:withdraw_file", args=[item.pk])
    text = page_text(client.post(url, {"reason": ""}, follow=True))
    assert "Укажите основание возврата из архива" in text
    text = page_text(client.post(url, {"reason": "новое заявление"}, follow=True))
    assert f"Личное дело {closed_file.number_display} возвращено из архива в работу" in text
    assert "Возвращено из архива" in text and "Волкова А. С.: новое заявление" in text
    assert "Запрет уничтожения" not in text and "Вернуть из архива</button>" not in text
    # the box has room again, and presence checks do not look for it
    assert box.files.exclude(status__in=services.GONE).count() == 0
    with pytest.raises(services.ArchiveError, match="проверять нечего"):
        services.start_check(actor=archivist, order_number="1", order_date=D(2026, 11, 1),
                             commission=[archivist, *_two_more(office)])  # fmt: skip


def _two_more(office):
    from onewindow import roles
    from tests.factories import make_user

    return [make_user(roles.SPECIALIST, office, f"member{n}") for n in range(2)]


def test_a_returned_file_is_taken_in_again_on_its_record(archivist, box, closed_file):
    item = services.register_file(closed_file, **service_data(box), actor=archivist)
    services.withdraw_file(item, actor=archivist, reason="перерасчёт")
    again = services.register_file(
        closed_file, **service_data(box, archive_number="2026-007", end_date=D(2026, 11, 24),
                                   event_date=D(2026, 11, 24)), actor=archivist,
    )  # fmt: skip
    assert again.pk == item.pk and again.status == ArchivedFile.Status.IN_ARCHIVE
    assert again.archive_number == "2026-007" and again.eligible_from == D(2032, 1, 1)
    assert again.withdrawal_reason == "перерасчёт"  # the last return stays on the record
    assert again.history.order_by("history_id").last().history_change_reason == (
        "Принято в архив повторно"
    )
    closed_file.refresh_from_db()
    assert closed_file.status == CaseFile.Status.ARCHIVED


def test_a_file_out_on_issue_or_in_a_destruction_act_is_not_returned(archivist, specialist, files):
    issued = files["issued"]
    with pytest.raises(services.ArchiveError, match="сначала примите его обратно"):
        services.withdraw_file(issued, actor=archivist, reason="заявление")
    act = services.draft_act(actor=archivist, act_date=D(2026, 11, 24))
    with pytest.raises(
        services.ArchiveError, match=rf"включено в Акт № {act.number} от 24.11.2026 \(проект\)"
    ):
        services.withdraw_file(files["old"], actor=archivist, reason="заявление")
    assert ArchivedFile.objects.get(pk=files["old"].pk).status == ArchivedFile.Status.IN_ARCHIVE


# --- (c) the крайние даты against the file's own records -----------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end_date": D(2027, 1, 10), "event_date": None}, "end_date",
         "Крайние даты: конец (10.01.2027) позже сегодняшнего дня."),
        ({"start_date": D(1018, 1, 1)}, "start_date",
         "Крайние даты: начало (01.01.1018) раньше даты рождения получателя (15.03.1950). Проверьте дату."),
        ({"start_date": D(2017, 1, 1), "end_date": D(2017, 6, 30), "event_date": None}, "end_date",
         "Крайние даты: конец (30.06.2017) раньше, чем заведено личное дело (01.01.2018)."),
        ({"end_date": D(2020, 3, 1), "event_date": None}, "end_date",
         "Крайние даты: конец (01.03.2020) раньше последней записи личного дела — мера «Адресное "
         "социальное пособие» прекращена 30.06.2020. Проверьте дату."),
        # 2002 typed for 2020: the file would be eligible for destruction at once
        ({"event_date": D(2002, 6, 30)}, "event_date",
         "Дата снятия с учёта (30.06.2002) раньше начала крайних дат (01.01.2018)."),
        ({"event_date": D(2019, 6, 30)}, "event_date",
         "Дата снятия с учёта (30.06.2019) раньше прекращения меры «Адресное социальное пособие» "
         "(30.06.2020): срок хранения отсчитывался бы раньше времени."),
        ({"event_date": D(2026, 12, 1)}, "event_date",
         "Дата снятия с учёта (01.12.2026) позже сегодняшнего дня."),
    ],
)  # fmt: skip
def test_dates_that_disagree_with_the_file_are_refused(
    archivist, box, closed_file, changes, field, message
):
    with pytest.raises(services.ArchiveError) as refused:
        services.register_file(closed_file, **service_data(box, **changes), actor=archivist)
    assert (refused.value.field, refused.value.message) == (field, message)
    assert not ArchivedFile.objects.exists()
    closed_file.refresh_from_db()
    assert closed_file.status == CaseFile.Status.ACTIVE


def test_the_form_shows_a_date_refusal_at_its_field(client, archivist, box, closed_file):
    client.force_login(archivist)
    html = client.post(
        reverse("archive:register"), form_data(closed_file, box, event_date="2002-06-30")
    ).content.decode()
    field = html.split('name="event_date"')[1].split("</p>")[0]
    assert "Дата снятия с учёта (30.06.2002) раньше начала крайних дат (01.01.2018)." in field
    assert not ArchivedFile.objects.exists()


def test_end_date_must_cover_the_last_notice(archivist, specialist, chief, box, closed_file):
    application = accept(closed_file.applicant, "asp", specialist)
    counter.transition(application, "transfer", actor=specialist)
    counter.transition(application, "refuse", actor=chief, reason="доход выше", override_reason="x")
    counter.transition(application, "notify", actor=specialist)
    with pytest.raises(services.ArchiveError) as refused:
        services.register_file(closed_file, **service_data(box), actor=archivist)
    assert (refused.value.field, refused.value.message) == (
        "end_date",
        "Крайние даты: конец (30.06.2020) раньше последней записи личного дела — заявитель "
        f"уведомлён о решении по заявлению № {application.number_display} 24.11.2026. Проверьте дату.",
    )
    item = services.register_file(
        closed_file, **service_data(box, end_date=D(2026, 11, 24)), actor=archivist
    )
    assert item.eligible_from == D(2026, 1, 1)  # retention counts from the deregistration


def test_a_stopped_measure_of_an_archived_file_is_not_resumed(chief, archivist, box, closed_file):
    services.register_file(closed_file, **service_data(box), actor=archivist)
    measure = Entitlement.objects.get(case_file=closed_file)
    with pytest.raises(counter.CounterError, match="передано в архив: меру по нему не возобновить"):
        counter.change_entitlement_status(
            measure, "active", actor=chief, reason="ошибочно прекращена"
        )
    measure.refresh_from_db()
    assert measure.status == "stopped"


def test_another_offices_requests_about_the_person_do_not_keep_the_file(
    archivist, specialist, other_specialist, other_office, closed_file
):
    from cases.models import RequestKind
    from cases.requests import send_request_to_office

    # after the person moved, the new office asks the old one something about them: that is the
    # new office's open request, not this file's work
    person = closed_file.applicant
    elsewhere = ApplicantFactory(office=other_office, snils="", last_name="Другая")
    request = send_request_to_office(
        actor=other_specialist, to_office=closed_file.office, kind=RequestKind.objects.first(),
        applicant=elsewhere, question="Получала ли меры?",
    )  # fmt: skip
    type(request).objects.filter(pk=request.pk).update(applicant=person)
    IncomingRequest.objects.filter(outgoing=request).update(applicant=person)
    # it went to who may answer requests there, never to the archivist
    assert IncomingRequest.objects.get(outgoing=request).assigned_to == specialist
    work = " ".join(services.open_work(closed_file))
    # the request that reached this office is its work; the other office's own request is not
    assert f"№ {request.out_number}/{request.out_year} от" in work
    assert "наш запрос" not in work


def test_the_refusal_on_an_archived_file_links_to_it_for_who_may_open_it(
    client, chief, specialist, archivist, box, closed_file
):
    application = accept(closed_file.applicant, "asp", specialist)
    counter.transition(application, "transfer", actor=specialist)
    CaseFile.objects.filter(pk=closed_file.pk).update(status=CaseFile.Status.ARCHIVED)
    link = reverse("archive:case_file", args=[closed_file.pk])
    url = reverse("cases:transition", args=[application.pk, "grant"])

    client.force_login(chief)  # reads the archive: the way out is a click away
    html = client.post(url, {"override_reason": "ответ получен"}, follow=True).content.decode()
    assert f'<a href="{link}">Открыть дело в архиве</a>' in html

    client.force_login(specialist)  # does not: told whom to ask, no link that answers 403
    from tests.counter import register

    response = register(client, closed_file.applicant, "edv-veterans")
    html = client.get(response["Location"]).content.decode()
    assert "передано в архив: новое заявление по нему не принимается" in html
    assert "Попросите архивариуса" in html and link not in html


def test_the_counter_says_the_file_is_archived_before_the_checklist(
    client, specialist, archivist, box, closed_file
):
    services.register_file(closed_file, **service_data(box), actor=archivist)
    person = closed_file.applicant
    client.force_login(specialist)
    choose = client.get(reverse("cases:apply", args=[person.pk])).content.decode()
    assert "передано в архив: новое заявление по нему не принимается" in choose
    response = client.get(reverse("cases:apply_form", args=[person.pk, "edv-veterans"]))
    assert response["Location"] == reverse("cases:applicant", args=[person.pk])
    card = client.get(response["Location"]).content.decode()
    assert "передано в архив: новое заявление по нему не принимается" in card
