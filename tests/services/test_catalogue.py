import re
from pathlib import Path

import pytest
from django.core.management import call_command

from services.models import DocumentType, RequiredDocument, Service, ServiceVersion

pytestmark = pytest.mark.django_db

DOMAIN = Path(__file__).resolve().parents[3] / "shared" / "domain" / "README.md"
EXPECTED_CODES = [
    "one-window", "esp-single", "asp", "gas-compensation", "donor-edv", "radiation-compensation",
    "edv-veterans", "msp-categories", "child-allowance", "veteran-certificate", "food-subsidy",
    "burial-allowance", "legal-aid-certificate", "house-repair-military", "post-vaccination",
    "phone-disabled", "birth-extra", "phone-rehabilitated", "chernobyl-health",
    "burial-service-refund", "travel-petition", "single-father-children", "osago-disabled",
    "military-family-housing", "lawyer-refund", "chernobyl-certificate",
    "housing-utilities-regional", "large-family", "twins-subsidy", "childcare-uninsured",
    "unemployed-mothers",
]  # fmt: skip


def test_catalogue_has_every_service_of_the_domain_notes(catalogue):
    assert sorted(Service.objects.values_list("code", flat=True)) == sorted(EXPECTED_CODES)
    if DOMAIN.exists():  # the notes beside the repository, when present
        notes = dict(re.findall(r"^\d+\. `([a-z-]+)` — (.+)$", DOMAIN.read_text(), re.M))
        for code, title in notes.items():
            assert Service.objects.get(code=code).title == title.strip()


RETIRED = {"osago-disabled": "2579", "childcare-uninsured": "455-ФЗ"}  # code -> the federal act


def test_every_service_has_a_deadline_and_documents_in_force_today(catalogue):
    from django.utils import timezone

    today = timezone.localdate()
    for service in Service.objects.exclude(code__in=RETIRED):
        version = service.version_on(today)
        assert version is not None, service.code
        assert version.deadline_days >= 1 or version.deadline_kind == "same_day", service.code
        assert version.documents.count() >= 1, service.code
        assert version.documents.filter(document_type__code="passport").exists(), service.code
        assert version.regulation.number


def test_catalogue_marks_documents_the_office_requests_itself(catalogue):
    snils = RequiredDocument.objects.filter(document_type__code="snils")
    assert snils.exists() and all(doc.interagency for doc in snils)
    passport = RequiredDocument.objects.filter(document_type__code="passport")
    assert not any(doc.interagency for doc in passport)
    assert DocumentType.objects.get(code="death-certificate").interagency is True


def test_loading_the_catalogue_again_duplicates_nothing(catalogue, capsys):
    counts = (
        Service.objects.count(),
        ServiceVersion.objects.count(),
        RequiredDocument.objects.count(),
    )
    call_command("load_catalogue")
    assert "применено 0" in capsys.readouterr().out
    assert counts == (
        Service.objects.count(),
        ServiceVersion.objects.count(),
        RequiredDocument.objects.count(),
    )


def test_one_window_regulation_is_the_order_the_sources_confirm(catalogue):
    # the job description cites № 20 of 21.01.2009; the published acts amend № 22 of 22.01.2009
    version = Service.objects.get(code="one-window").versions.get()
    assert str(version.regulation) == "Приказ от 22.01.2009 № 22"
    assert version.regulation.issued_by == (
        "Управление социальной защиты населения Администрации Волгоградской области"
    )
    assert "приказ от 21.01.2009 № 20" in version.unverified
