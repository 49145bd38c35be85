"""A confirmed death changes what the counter shows and accepts (issue 13, item 5)."""

import datetime

import pytest
from django.urls import reverse

from cases import services
from cases.models import Applicant, Application, Entitlement
from services.models import Service
from tests.counter import checklist_post, register
from tests.factories import ApplicantFactory, ApplicationFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def deceased_item(office, specialist, catalogue):
    """A recipient with a measure since 2025 and one that starts after the death, found dead on
    20.11.2026 in a Social Fund extract (row 2); the item is assigned to the specialist."""
    from reconciliation.models import ExtractProfile, ReconciliationRun, Selection

    person = ApplicantFactory(office=office, snils="11223344595", last_name="Усопшев")
    case_file = services.ensure_case_file(person, actor=specialist)
    for code, start in (("edv-veterans", D(2025, 1, 1)), ("food-subsidy", D(2026, 12, 1))):
        Entitlement.objects.create(
            office=office, applicant=person, case_file=case_file,
            service=Service.objects.get(code=code), start_date=start,
        )  # fmt: skip
    profile = ExtractProfile.objects.filter(kind="deaths").first()
    run = ReconciliationRun.objects.create(
        office=office, profile=profile, source=profile.source, kind="deaths",
        file_name="umershie.csv", file_path="", sha256="1" * 64, status="done",
    )  # fmt: skip
    return Selection.objects.create(
        office=office, run=run, applicant=person, kind="deaths", source=profile.source,
        match="snils", suggested_action="stop", services=["edv-veterans"], assigned_to=specialist,
        event_date=D(2026, 11, 20), evidence=[{"run": run.pk, "row": 2, "event_date": "2026-11-20"}],
    )  # fmt: skip


def test_a_worked_out_death_is_on_the_person_and_stops_every_measure(
    client, specialist, deceased_item
):
    client.force_login(specialist)
    response = client.post(
        reverse("reconciliation:item", args=[deceased_item.pk]), {"outcome": "stopped"}
    )
    assert response.status_code == 302
    person = Applicant.objects.get(pk=deceased_item.applicant_id)
    assert person.death_date == D(2026, 11, 20)
    assert f"сверка № {deceased_item.run_id}, строка 2" in person.death_source
    assert "umershie.csv" in person.death_source
    assert person.history.order_by("pk").last().history_user == specialist

    paid_on, not_started = person.entitlements.order_by("start_date")
    # every measure stops, not only the one the extract's profile names
    assert {paid_on.status, not_started.status} == {"stopped"}
    assert paid_on.end_date == D(2026, 11, 20)
    assert (paid_on.overpaid_from, paid_on.overpaid_to) == (D(2026, 11, 21), D(2026, 11, 24))
    # a measure never ends before it starts
    assert not_started.end_date >= not_started.start_date
    assert not_started.overpaid_from is None
    assert "Смерть получателя 20.11.2026" in paid_on.status_reason

    item_page = client.get(reverse("reconciliation:item", args=[deceased_item.pk])).content.decode()
    assert "с 21.11.2026 по 24.11.2026" in item_page
    assert "с 01.12.2026 по 20.11.2026" not in item_page

    card = client.get(reverse("cases:applicant", args=[person.pk])).content.decode()
    assert "Умер <strong>20.11.2026</strong>" in card
    assert "переплата с 21.11.2026 по 24.11.2026 — подлежит возврату" in card
    found = client.get(reverse("cases:counter"), {"q": "Усопшев"}).content.decode()
    assert "умер 20.11.2026" in found


def test_no_new_application_for_a_deceased_person_but_burial_from_a_representative(
    client, specialist, deceased_item
):
    services.record_death(
        deceased_item.applicant, D(2026, 11, 20), actor=specialist, source="свидетельство о смерти"
    )
    person = deceased_item.applicant
    client.force_login(specialist)

    choose = client.get(reverse("cases:apply", args=[person.pk]), {"q": ""}).content.decode()
    assert "Показаны только услуги в связи со смертью" in choose
    assert "burial-allowance" in choose and "edv-veterans" not in choose

    response = register(client, person, "edv-veterans")
    assert response.status_code == 302 and not Application.objects.exists()
    follow = client.get(response["Location"]).content.decode()
    assert "умер 20.11.2026: заявление на эту услугу принять нельзя" in follow

    today = D(2026, 11, 24)
    url = reverse("cases:apply_form", args=[person.pk, "burial-allowance"])
    missing_rep = client.post(url, checklist_post("burial-allowance", today))
    assert "заявление подаёт представитель" in missing_rep.content.decode()
    assert not Application.objects.exists()
    client.post(
        url,
        checklist_post(
            "burial-allowance", today, representative_kind="legal",
            representative_name="Усопшева Мария Ивановна",
            representative_authority="свидетельство о браке II-РК № 123456",
        ),
    )  # fmt: skip
    application = Application.objects.get()
    assert application.service.code == "burial-allowance"
    assert application.representative_name == "Усопшева Мария Ивановна"


def test_a_measure_is_not_granted_to_a_deceased_person(
    client, specialist, chief, office, catalogue
):
    person = ApplicantFactory(office=office, snils="", last_name="Позднов")
    client.force_login(specialist)
    application = ApplicationFactory(actor=specialist, applicant=person)
    services.transition(application, "transfer", actor=specialist)
    services.record_death(
        person, D(2026, 11, 23), actor=specialist, source="свидетельство о смерти"
    )
    with pytest.raises(services.CounterError, match="меру назначить нельзя"):
        services.transition(application, "grant", actor=chief, override_reason="ответ получен")
    assert not Entitlement.objects.filter(applicant=person).exists()


def test_a_date_of_death_in_the_future_or_before_birth_is_refused(specialist, office, catalogue):
    person = ApplicantFactory(office=office, snils="", birth_date=D(1950, 3, 15))
    for day, message in (
        (D(2026, 11, 25), "позже сегодняшнего"),
        (D(1949, 1, 1), "раньше даты рождения"),
    ):
        with pytest.raises(services.CounterError, match=message):
            services.record_death(person, day, actor=specialist, source="x")
    person.refresh_from_db()
    assert person.death_date is None


def test_a_backdated_stop_never_ends_before_the_start(specialist, office, catalogue):
    person = ApplicantFactory(office=office, snils="")
    case_file = services.ensure_case_file(person, actor=specialist)
    measure = Entitlement.objects.create(
        office=office, applicant=person, case_file=case_file,
        service=Service.objects.get(code="asp"), start_date=D(2026, 12, 1),
    )  # fmt: skip
    services.change_entitlement_status(
        measure, "stopped", actor=specialist, reason="трудоустройство", on=D(2026, 11, 20)
    )
    measure.refresh_from_db()
    assert measure.end_date == measure.start_date == D(2026, 12, 1)
    assert measure.period_display == "с 01.12.2026 по 01.12.2026"


def test_a_measure_of_a_deceased_person_is_not_resumed(specialist, chief, office, catalogue):
    person = ApplicantFactory(office=office, snils="")
    case_file = services.ensure_case_file(person, actor=specialist)
    measure = Entitlement.objects.create(
        office=office, applicant=person, case_file=case_file,
        service=Service.objects.get(code="asp"), start_date=D(2025, 1, 1),
    )  # fmt: skip
    services.change_entitlement_status(measure, "suspended", actor=chief, reason="проверка")
    services.record_death(person, D(2026, 11, 20), actor=chief, source="свидетельство о смерти")
    with pytest.raises(services.CounterError, match="меру не возобновить"):
        services.change_entitlement_status(measure, "active", actor=chief, reason="ошибка")
    measure.refresh_from_db()
    assert measure.status == "stopped"


@pytest.mark.parametrize(
    ("end", "suspended_on", "overpaid"),
    [
        (None, None, (D(2026, 10, 16), D(2026, 11, 24))),  # paid up to today
        (D(2026, 10, 31), None, (D(2026, 10, 16), D(2026, 10, 31))),  # not past its own end
        (D(2026, 9, 30), None, None),  # ended before the death
        (None, D(2026, 1, 1), None),  # suspended before: nothing was paid
        (None, D(2026, 11, 1), (D(2026, 10, 16), D(2026, 10, 31))),  # paid until suspended
    ],
)
def test_the_overpaid_period_covers_only_what_was_paid(
    specialist, office, catalogue, end, suspended_on, overpaid
):
    person = ApplicantFactory(office=office, snils="")
    case_file = services.ensure_case_file(person, actor=specialist)
    measure = Entitlement.objects.create(
        office=office, applicant=person, case_file=case_file,
        service=Service.objects.get(code="asp"), start_date=D(2025, 1, 1), end_date=end,
    )  # fmt: skip
    if suspended_on:
        services.change_entitlement_status(
            measure, "suspended", actor=specialist, reason="проверка", on=suspended_on
        )
    services.record_death(person, D(2026, 10, 15), actor=specialist, source="свидетельство")
    measure.refresh_from_db()
    assert measure.status == "stopped"
    assert measure.end_date == min(end or D(2026, 10, 15), D(2026, 10, 15))
    got = (measure.overpaid_from, measure.overpaid_to) if measure.overpaid_from else None
    assert got == overpaid


def test_a_death_date_that_cannot_be_the_persons_is_refused_on_the_item_page(
    client, specialist, deceased_item
):
    from reconciliation.models import Selection

    Selection.objects.filter(pk=deceased_item.pk).update(event_date=D(1940, 1, 1))  # before birth
    client.force_login(specialist)
    response = client.post(
        reverse("reconciliation:item", args=[deceased_item.pk]), {"outcome": "stopped"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Дата смерти из выгрузки 01.01.1940 не подходит получателю" in html
    assert "ложное совпадение" in html
    person = Applicant.objects.get(pk=deceased_item.applicant_id)
    assert person.death_date is None
    assert Selection.objects.get(pk=deceased_item.pk).status == "open"
    assert set(person.entitlements.values_list("status", flat=True)) == {"active"}


def test_a_deaths_item_without_a_date_asks_for_it_before_stopping(
    client, specialist, deceased_item
):
    from reconciliation.models import Selection

    Selection.objects.filter(pk=deceased_item.pk).update(event_date=None)
    client.force_login(specialist)
    url = reverse("reconciliation:item", args=[deceased_item.pk])
    assert "Дата события (в выгрузке её нет)" in client.get(url).content.decode()
    html = client.post(url, {"outcome": "stopped"}).content.decode()
    assert "в выгрузке нет даты смерти — укажите её" in html
    person = Applicant.objects.get(pk=deceased_item.applicant_id)
    assert person.death_date is None
    assert set(person.entitlements.values_list("status", flat=True)) == {"active"}

    client.post(url, {"outcome": "stopped", "event_date": "2026-11-18"})
    person.refresh_from_db()
    assert person.death_date == D(2026, 11, 18)
    item = Selection.objects.get(pk=deceased_item.pk)
    assert item.status == "done" and item.event_date == D(2026, 11, 18)
    assert "указана вручную" in item.note
