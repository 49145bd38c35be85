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
from tests.cases.test_applications import register
from tests.factories import ApplicantFactory, make_user, roles

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
        "snils": ["11223344595"], "name": ["Переездова Нина Львовна"], "birth_date": ["1961-04-05"]
    }  # fmt: skip
    form = client.get(link).content.decode()
    assert 'value="Переездова Нина Львовна"' in form and 'value="1961-04-05"' in form


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
    register(client, mover)  # open work in the old office
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
    listing = client.get(reverse("cases:requests")).content.decode()
    assert "Переездова Нина Львовна" in listing and "ждёт нашего решения" in listing
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
    register(client, mover)
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
