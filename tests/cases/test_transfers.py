"""A person who moved to another district: their case file is asked for, confirmed and moves
between offices of the installation (issue 13, item 9)."""

import datetime
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from cases import services, transfers
from cases.models import Applicant, Application, CaseFile, CaseTransfer, Entitlement
from onewindow.models import AccessLog
from services.models import Service
from tests.factories import ApplicantFactory, ApplicationFactory, counter_marks, make_user, roles

pytestmark = pytest.mark.django_db

D = datetime.date

PERSON = {
    "snils": "112-233-445 95", "last_name": "Переездова", "first_name": "Нина", "middle_name": "Львовна",
    "sex": "F", "birth_date": "1961-04-05", "id_doc_type": "passport_rf", "id_series": "1805",
    "id_number": "123456", "reg_address": "г. Волгоград, ул. Новая, д. 1",
}  # fmt: skip


@pytest.fixture
def mover(office, specialist, catalogue):
    """Registered in the first office, with a case file and a measure since 2024."""
    person = ApplicantFactory(
        office=office, snils="11223344595", last_name="Переездова", first_name="Нина",
        middle_name="Львовна", sex="F", birth_date=D(1961, 4, 5),
    )  # fmt: skip
    case_file = services.ensure_case_file(person, actor=specialist)
    Entitlement.objects.create(
        office=office, applicant=person, case_file=case_file,
        service=Service.objects.get(code="edv-veterans"), start_date=D(2024, 1, 1),
    )  # fmt: skip
    return person


def test_registering_a_person_of_another_office_offers_to_ask_for_the_file(
    client, other_specialist, mover
):
    client.force_login(other_specialist)
    response = client.post(reverse("cases:applicant_new"), PERSON)
    html = response.content.decode()
    assert "состоит на учёте в другом учреждении (ЦСЗН Краснооктябрьского района)" in html
    assert "Запросить передачу личного дела" in html
    assert Applicant.objects.count() == 1  # no duplicate
    link = response.context["snils_link"]
    query = parse_qs(urlparse(link).query)
    assert query == {
        "snils": ["11223344595"], "name": ["Переездова Нина Львовна"], "birth_date": ["1961-04-05"],
        "address": ["г. Волгоград, ул. Новая, д. 1"],
    }  # fmt: skip
    form = client.get(link).content.decode()
    assert 'value="Переездова Нина Львовна"' in form and 'value="1961-04-05"' in form
    assert 'value="г. Волгоград, ул. Новая, д. 1"' in form


def request_it(client, user, snils="11223344595"):
    client.force_login(user)
    return client.post(
        reverse("cases:transfer_new"),
        {"snils": snils, "stated_name": "Переездова Нина Львовна", "stated_birth_date": "1961-04-05",
         "new_address": "г. Волгоград, ул. Мира, д. 5", "reason": "переезд, заявление гражданина"},
    )  # fmt: skip


def test_the_whole_transfer_from_request_to_a_new_case_file(
    client, specialist, chief, other_specialist, office, other_office, mover
):
    client.force_login(specialist)
    ApplicationFactory(actor=specialist, applicant=mover)  # open work in the old office
    application = Application.objects.get()

    response = request_it(client, other_specialist)
    transfer = CaseTransfer.objects.get()
    assert response["Location"] == reverse("cases:transfer", args=[transfer.pk])
    assert (transfer.from_office, transfer.to_office, transfer.status) == (
        office,
        other_office,
        "requested",
    )
    # the asking office learns nothing of the other office's file before the transfer
    page = client.get(reverse("cases:transfer", args=[transfer.pk])).content.decode()
    assert "запрошено" in page and "ЛД-" not in page and "ул. Богунская" not in page
    assert client.get(reverse("cases:applicant", args=[mover.pk])).status_code == 404

    # a specialist of the old office sees the request but cannot decide it
    client.force_login(specialist)
    listing = client.get(reverse("cases:requests"), {"kind": "transfers"}).content.decode()
    assert listing.count('<h2 id="transfers">') == 1
    transfers_section = listing.split('<h2 id="transfers">')[1]
    assert "Переездова Нина Львовна" in transfers_section
    assert "ждёт нашего решения" in transfers_section
    assert "<title>Запросы" in listing and "Переездова" not in listing.split("</title>")[0]
    page = client.get(reverse("cases:transfer", args=[transfer.pk])).content.decode()
    assert "ФИО и дата рождения совпадают" in page and "Подтвердить передачу" not in page
    assert (
        client.post(reverse("cases:transfer_decide", args=[transfer.pk, "confirm"])).status_code
        == 403
    )

    # the chief: the home page says a request waits; the open application blocks it
    client.force_login(chief)
    home = client.get(reverse("home")).content.decode()
    assert "Запросы на передачу личных дел в другие учреждения ждут решения: 1" in home
    page = client.get(reverse("cases:transfer", args=[transfer.pk])).content.decode()
    assert f"заявление № {application.number_display}" in page
    response = client.post(
        reverse("cases:transfer_decide", args=[transfer.pk, "confirm"]), follow=True
    )
    assert "Сначала завершите открытые дела заявителя" in response.content.decode()
    assert CaseTransfer.objects.get().status == "requested"

    services.transition(application, "withdraw", actor=specialist, reason="отозвано при переезде")
    client.post(
        reverse("cases:transfer_decide", args=[transfer.pk, "confirm"]),
        {"measures_stop_on": "2026-11-30"},
    )
    transfer.refresh_from_db()
    mover.refresh_from_db()
    assert transfer.status == "done" and transfer.decided_by == chief
    assert mover.office == other_office
    assert mover.reg_address == "г. Волгоград, ул. Мира, д. 5"  # the new address from the request
    assert mover.history.order_by("pk").last().history_user == chief
    old = CaseFile.objects.get(office=office, applicant=mover)
    new = CaseFile.objects.get(office=other_office, applicant=mover)
    assert old.status == "transferred" and new.status == "active"
    assert (transfer.old_case_file, transfer.new_case_file) == (old, new)
    measure = Entitlement.objects.get(applicant=mover)
    assert measure.status == "stopped" and measure.end_date == D(2026, 11, 30)
    assert "личное дело передано в ЦСЗН Центрального района" in measure.status_reason

    # now the new office works with the person, the old one keeps its own records
    client.force_login(other_specialist)
    assert client.get(reverse("cases:applicant", args=[mover.pk])).status_code == 200
    ApplicationFactory(actor=other_specialist, applicant=mover)
    assert Application.objects.filter(office=other_office, applicant=mover).exists()
    client.force_login(specialist)
    assert client.get(reverse("cases:applicant", args=[mover.pk])).status_code == 404
    assert client.get(reverse("cases:casefile", args=[old.pk])).status_code == 200
    assert AccessLog.objects.filter(
        event="view_applicant", subject_id=str(mover.pk), user=chief, detail="передача личного дела"
    ).exists()


def test_refused_and_cancelled_requests_change_nothing(
    client, chief, other_specialist, office, mover
):
    request_it(client, other_specialist)
    transfer = CaseTransfer.objects.get()
    # only one open request per person
    again = request_it(client, other_specialist)
    assert "уже направлен и ждёт ответа" in again.content.decode()
    assert CaseTransfer.objects.count() == 1

    client.force_login(chief)
    response = client.post(
        reverse("cases:transfer_decide", args=[transfer.pk, "refuse"]), follow=True
    )
    assert "Укажите причину отказа" in response.content.decode()
    client.post(
        reverse("cases:transfer_decide", args=[transfer.pk, "refuse"]),
        {"reason": "ФИО не совпадает с делом"},
    )
    transfer.refresh_from_db()
    assert (transfer.status, transfer.refusal_reason) == ("refused", "ФИО не совпадает с делом")
    mover.refresh_from_db()
    assert mover.office == office and Entitlement.objects.get().status == "active"

    request_it(client, other_specialist)
    second = CaseTransfer.objects.order_by("pk").last()
    client.post(reverse("cases:transfer_decide", args=[second.pk, "cancel"]))
    assert CaseTransfer.objects.get(pk=second.pk).status == "cancelled"


def test_an_open_selection_item_blocks_the_transfer(chief, other_specialist, office, mover):
    from reconciliation.models import ExtractProfile, ReconciliationRun, Selection

    profile = ExtractProfile.objects.filter(kind="employment").first()
    run = ReconciliationRun.objects.create(
        office=office, profile=profile, source=profile.source, kind=profile.kind,
        file_name="trud.csv", file_path="", sha256="2" * 64, status="done",
    )  # fmt: skip
    Selection.objects.create(
        office=office, run=run, applicant=mover, kind=profile.kind, source=profile.source,
        match="snils", suggested_action="review", services=["edv-veterans"],
    )  # fmt: skip
    transfer = transfers.request_transfer(
        snils="11223344595", stated_name="Переездова Нина Львовна",
        stated_birth_date=D(1961, 4, 5), reason="переезд", actor=other_specialist,
    )  # fmt: skip
    with pytest.raises(services.CounterError, match="не отработана"):
        transfers.confirm_transfer(transfer, actor=chief)
    mover.refresh_from_db()
    assert mover.office == office


def test_a_chief_of_the_asking_office_cannot_confirm_for_the_other(
    client, other_office, other_specialist, mover
):
    other_chief = make_user(roles.CHIEF, other_office, "chief-b", last_name="Иная")
    request_it(client, other_specialist)
    transfer = CaseTransfer.objects.get()
    client.force_login(other_chief)
    page = client.get(reverse("cases:transfer", args=[transfer.pk])).content.decode()
    assert "Подтвердить передачу" not in page
    assert (
        client.post(reverse("cases:transfer_decide", args=[transfer.pk, "confirm"])).status_code
        == 403
    )
    assert CaseTransfer.objects.get().status == "requested"


def test_a_registration_with_a_stale_copy_of_the_person_sees_the_transfer_and_the_death(
    specialist, chief, other_specialist, office, mover
):

    stale = Applicant.objects.get(pk=mover.pk)  # read at the counter before the transfer
    transfer = transfers.request_transfer(
        snils="11223344595", stated_name="Переездова Нина Львовна",
        stated_birth_date=D(1961, 4, 5), reason="переезд", actor=other_specialist,
    )  # fmt: skip
    transfers.confirm_transfer(transfer, actor=chief)
    service = Service.objects.get(code="edv-veterans")
    with pytest.raises(services.CounterError, match="передан на учёт в другое учреждение"):
        services.register_application(
            stale, service, actor=specialist, marks=counter_marks(service)
        )
    assert not Application.objects.exists()
    assert CaseFile.objects.get(office=office, applicant=mover).status == "transferred"

    stale = Applicant.objects.get(pk=mover.pk)  # now read in the new office
    services.record_death(mover, D(2026, 11, 20), actor=other_specialist, source="свидетельство")
    with pytest.raises(services.CounterError, match="заявление на эту услугу принять нельзя"):
        services.register_application(
            stale, service, actor=other_specialist, marks=counter_marks(service)
        )
    assert not Application.objects.exists()


def test_only_a_specialist_of_the_asking_office_cancels_and_the_log_records_the_decision(
    client, chief, other_office, other_specialist, mover
):
    archivist_b = make_user(roles.ARCHIVIST, other_office, "archivist-b", last_name="Хранина")
    request_it(client, other_specialist)
    transfer = CaseTransfer.objects.get()
    client.force_login(archivist_b)
    assert (
        client.post(reverse("cases:transfer_decide", args=[transfer.pk, "cancel"])).status_code
        == 403
    )
    assert CaseTransfer.objects.get().status == "requested"

    client.force_login(chief)
    response = client.post(
        reverse("cases:transfer_decide", args=[transfer.pk, "confirm"]),
        {"measures_stop_on": "31.31.2026"}, follow=True,
    )  # fmt: skip
    assert "Введите правильную дату" in response.content.decode()
    assert CaseTransfer.objects.get().status == "requested"
    client.post(reverse("cases:transfer_decide", args=[transfer.pk, "confirm"]))
    entry = AccessLog.objects.get(event="transfer_casefile")
    assert (entry.user, entry.subject_id) == (chief, str(mover.pk))
    assert "ЦСЗН Краснооктябрьского района → ЦСЗН Центрального района" in entry.detail


def test_the_old_office_keeps_the_file_as_it_was_handed_over(
    client, specialist, chief, other_specialist, office, mover, freeze_now
):
    request_it(client, other_specialist)
    transfers.confirm_transfer(CaseTransfer.objects.get(), actor=chief)
    old = CaseFile.objects.get(office=office, applicant=mover)
    # the new office corrects the address the next day
    freeze_now(datetime.datetime(2026, 11, 25, 9, 30))
    services.update_applicant(
        mover, reg_address="г. Волгоград, ул. Мира, д. 5, кв. 9", actor=other_specialist
    )
    client.force_login(specialist)
    page = client.get(reverse("cases:casefile", args=[old.pk])).content.decode()
    page += client.get(
        reverse("cases:casefile", args=[old.pk]), {"part": "history"}
    ).content.decode()
    page += client.get(
        reverse("cases:casefile", args=[old.pk]), {"part": "documents"}
    ).content.decode()
    assert "Личное дело передано в ЦСЗН Центрального района" in page
    assert "Переездова Нина Львовна" in page
    assert "Никитина" not in page  # nobody of the new office appears in the history shown
    assert reverse("cases:applicant", args=[mover.pk]) not in page
