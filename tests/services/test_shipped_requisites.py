"""The shipped catalogue's requisites as the published acts give them (issue 17; the sources are
listed in docs/catalogue-sources.md)."""

import datetime
import io
import re

import pytest
from django.core.management import call_command

from services.models import Regulation, Service

pytestmark = pytest.mark.django_db

D = datetime.date
FROZEN_DAY = D(2026, 11, 24)
USZN = "Управление социальной защиты населения Администрации Волгоградской области"
MINISTRY = "Министерство социальной защиты населения Волгоградской области"
LABOUR_MINISTRY = "Министерство труда и социальной защиты населения Волгоградской области"
COMMITTEE = "Комитет социальной защиты населения Волгоградской области"
UNVERIFIED = "Реквизиты требуют проверки"


def first_version(code):
    return Service.objects.get(code=code).versions.order_by("effective_from").first()


@pytest.mark.parametrize(
    ("code", "shown", "issued_by", "in_title"),
    [
        ("esp-single", "Приказ от 15.05.2008 № 283", USZN, "Об утверждении административных регламентов"),
        ("asp", "Приказ от 15.05.2008 № 283", USZN, "Об утверждении административных регламентов"),
        ("radiation-compensation", "Приказ от 13.01.2009 № 9", USZN, "в виде компенсационных выплат"),
        ("chernobyl-certificate", "Приказ от 17.05.2010 № 271", USZN, "удостоверения участника ликвидации"),
        ("large-family", "Приказ от 12.05.2011 № 244", USZN, "Регистрация семьи в качестве многодетной"),
        ("child-allowance", "Приказ от 12.09.2012 № 584", MINISTRY, "студенческим семьям"),
        ("osago-disabled", "Постановление от 26.05.2009 № 563", "Глава Администрации Волгоградской области",
         "компенсации уплаченной ими страховой премии"),
    ],
)  # fmt: skip
def test_the_approving_act_of_a_service_is_as_published(
    catalogue, code, shown, issued_by, in_title
):
    regulation = first_version(code).regulation
    assert str(regulation) == shown
    assert regulation.issued_by == issued_by
    assert in_title in regulation.title


def test_esp_and_asp_share_one_order(catalogue):
    order = Regulation.objects.get(kind="приказ", number="283", date=D(2008, 5, 15))
    assert sorted(order.service_versions.values_list("service__code", flat=True)) == [
        "asp",
        "esp-single",
    ]


def test_the_issuing_body_matches_the_date_of_every_social_protection_order(catalogue):
    def body_on(day):
        if day < D(2012, 1, 1):
            return USZN
        if day < D(2013, 12, 1):
            return MINISTRY
        if day < D(2014, 11, 24):
            return LABOUR_MINISTRY
        return COMMITTEE

    bodies = {USZN, MINISTRY, LABOUR_MINISTRY, COMMITTEE}
    orders = Regulation.objects.filter(issued_by__in=bodies)
    assert orders.count() >= 20
    for regulation in orders:
        assert regulation.issued_by == body_on(regulation.date), str(regulation)


def empty_catalogue():
    """The test database holds the catalogue loaded at the session's start: empty it (the test's
    transaction rolls back afterwards) so that load_catalogue runs on a fresh catalogue."""
    from services.models import DocumentType, RegulationLoad, RequiredDocument, ServiceVersion

    for model in (
        RegulationLoad,
        RequiredDocument,
        ServiceVersion,
        Service,
        Regulation,
        DocumentType,
    ):
        model.objects.all().delete()


def test_a_fresh_load_leaves_the_retired_services_without_a_version_in_force():
    empty_catalogue()
    assert not Service.objects.exists()
    out = io.StringIO()
    call_command("load_catalogue", stdout=out)
    files, applied = re.search(r"файлов (\d+), применено (\d+)", out.getvalue()).groups()
    assert files == applied  # every file writes something on a fresh catalogue
    for code, last_day in (
        ("osago-disabled", D(2021, 12, 31)),
        ("childcare-uninsured", D(2022, 12, 31)),
    ):
        service = Service.objects.get(code=code)
        assert service.version_on(FROZEN_DAY) is None
        assert service.version_on(last_day + datetime.timedelta(days=1)) is None
        before = service.version_on(last_day)  # history kept: the regional version is still there
        assert before is not None and before.effective_to == last_day
        assert before.effective_from < D(2023, 1, 1)
        assert before.documents.exists()
    # the regional version of the childcare allowance starts before the federal allowance
    assert first_version("childcare-uninsured").regulation.number == "1012н"
    assert Regulation.objects.filter(number="2579", date=D(2021, 12, 30)).exists()
    assert Regulation.objects.filter(number="455-ФЗ", date=D(2022, 11, 21)).exists()


def test_changed_categories_are_new_versions_from_the_amendment(catalogue):
    gas = Service.objects.get(code="gas-compensation")
    before, after = gas.version_on(D(2022, 12, 31)), gas.version_on(D(2023, 1, 1))
    assert str(after.regulation) == "Закон от 29.12.2022 № 140-ОД"
    assert before.pk != after.pk and before.effective_to == D(2022, 12, 31)
    assert "без учёта доходов: инвалиды" in after.applicant_categories
    assert not any("без учёта доходов" in c for c in before.applicant_categories)
    assert after.documents.count() == before.documents.count()  # the checklist carries over

    veterans = Service.objects.get(code="edv-veterans")
    siege = "«Житель осажденного Сталинграда»"
    assert not any(siege in c for c in veterans.version_on(D(2022, 5, 31)).applicant_categories)
    assert any(siege in c for c in veterans.version_on(FROZEN_DAY).applicant_categories)

    birth = Service.objects.get(code="birth-extra")
    assert birth.version_on(D(2018, 12, 31)).effective_to == D(2018, 12, 31)
    now = birth.version_on(D(2019, 1, 1))
    assert any("до 24 лет включительно" in c for c in now.applicant_categories)
    assert any("второго ребёнка" in c for c in now.applicant_categories)
    assert "полуторную величину прожиточного минимума" in now.notes


def test_what_the_sources_do_not_confirm_is_marked_for_the_admin(catalogue):
    from services.models import ServiceVersion

    confirmed = {"esp-single", "child-allowance"}
    for service in Service.objects.exclude(code__in=confirmed):
        versions = service.versions.all()
        assert any(v.unverified for v in versions), service.code
    for code in confirmed:
        assert not first_version(code).unverified
    # the mark lives in its own field now, not at the end of the notes
    assert not ServiceVersion.objects.filter(notes__contains=UNVERIFIED).exists()
    one_window = first_version("one-window")
    assert "приказ от 21.01.2009 № 20" in one_window.unverified


def test_amendments_found_are_listed_with_the_approving_act(catalogue):
    order = first_version("esp-single").regulation
    assert order.amendments == ["от 22.11.2013 № 1170", "от 20.08.2015 № 1233"]
    assert order.citation.endswith("(в ред. от 22.11.2013 №\u00a01170, от 20.08.2015 №\u00a01233)")
    assert first_version("asp").regulation.pk == order.pk
    large = first_version("large-family").regulation
    assert large.amendments[-1] == "от 21.03.2017 № 374" and len(large.amendments) == 10


def test_retired_versions_say_why(catalogue):
    osago = Service.objects.get(code="osago-disabled").versions.get()
    assert osago.end_reason.startswith("компенсацию страховой премии по договору ОСАГО")
    assert "Постановление Правительства Российской Федерации" in osago.end_reason
    childcare = Service.objects.get(code="childcare-uninsured").versions.get()
    assert "единое ежемесячное пособие" in childcare.end_reason
    assert "455-ФЗ" in childcare.end_reason


def test_every_version_names_its_result(catalogue):
    for service in Service.objects.all():
        for version in service.versions.all():
            assert version.result, service.code
    large = Service.objects.get(code="large-family").version_on(FROZEN_DAY)
    assert large.result_display == (
        "регистрация семьи в качестве многодетной и удостоверение многодетной семьи "
        "(бланк удостоверения установленного образца)"
    )


def test_windows_deadline_kinds_and_applicants_as_the_acts_say(catalogue):
    birth = Service.objects.get(code="birth-extra").version_on(FROZEN_DAY)
    assert birth.window_display == "в течение 6 месяцев со дня рождения ребёнка"
    burial = Service.objects.get(code="burial-allowance").version_on(FROZEN_DAY)
    assert burial.window_display == "в течение 6 месяцев со дня смерти"
    (ground,) = burial.grounds_of("refuse")
    assert ground.clause == "ст. 10 Федерального закона от 12.01.1996 № 8-ФЗ"
    one_window = Service.objects.get(code="one-window").version_on(FROZEN_DAY)
    assert (one_window.deadline_kind, one_window.deadline_days) == ("same_day", 0)
    assert one_window.deadline_display == "в день обращения"
    refund = Service.objects.get(code="burial-service-refund").version_on(FROZEN_DAY)
    assert refund.applicants == ["organisation"]
    lawyers = Service.objects.get(code="lawyer-refund").version_on(FROZEN_DAY)
    assert lawyers.applicants == ["citizen", "organisation"] and "адвокат" in lawyers.unverified


def test_new_versions_carry_the_conditions_of_their_amendment(catalogue):
    birth = Service.objects.get(code="birth-extra")
    assert not birth.version_on(D(2018, 12, 31)).conditions.exists()
    texts = [c.text for c in birth.version_on(D(2019, 1, 1)).conditions.all()]
    assert any("до 24 лет включительно" in t for t in texts)
    assert any("полуторную величину прожиточного минимума" in t for t in texts)
    twins = Service.objects.get(code="twins-subsidy").version_on(FROZEN_DAY)
    assert {g.clause for g in twins.grounds_of("refuse")} == {"п. 2.2 Порядка назначения дотаций"}
