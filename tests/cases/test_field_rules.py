"""The field rules of people live on the models, so that every entry (the counter's form, the
API, the register import, a command) refuses the same values with the same Russian message."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import services
from cases.models import Applicant, Application, CaseTransfer, IncomingRequest, Organisation
from onewindow.identity import validate_inn

pytestmark = pytest.mark.django_db

PERSON = {
    "last_name": "Иванов",
    "first_name": "Иван",
    "middle_name": "Иванович",
    "sex": "M",
    "birth_date": datetime.date(1950, 3, 15),
}


def errors_of(instance, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as info:
        instance.validate(**kwargs) if isinstance(instance, Applicant) else instance.full_clean()
    return info.value.message_dict


def test_a_snils_with_a_wrong_check_number_is_refused_by_the_model(office):
    errors = errors_of(Applicant(office=office, snils="11223344596", **PERSON))
    assert errors == {"snils": ["Неверное контрольное число СНИЛС — проверьте номер."]}


def test_the_model_accepts_a_valid_person_and_writes_it_in_its_written_form(office):
    applicant = Applicant(
        office=office, snils="11223344595", **{**PERSON, "last_name": "  петров  "},
        id_series="18 04", id_number="123 456", id_unit_code="340001",
    )  # fmt: skip
    applicant.validate()
    assert (applicant.last_name, applicant.id_series, applicant.id_number) == (
        "Петров", "1804", "123456",
    )  # fmt: skip
    assert applicant.id_unit_code == "340-001"


@pytest.mark.parametrize(
    "changes,field,message",
    [
        ({"id_series": "180"}, "id_series", "Серия паспорта — 4 цифры, введено «180»."),
        ({"id_number": "12345"}, "id_number", "Номер паспорта — 6 цифр, введено «12345»."),
        ({"id_unit_code": "34-0001"}, "id_unit_code", "Код подразделения — 6 цифр в виде 340-001."),
        ({"middle_name": "Иван\tович"}, "middle_name", "Недопустимый символ с кодом U+0009"),
        ({"last_name": "Ивaнов"}, "last_name", "Латинская буква «a» среди русских"),
        ({"birth_date": datetime.date(1899, 12, 31)}, "birth_date", "раньше 01.01.1900"),
        ({"id_issued_date": datetime.date(1949, 1, 1)}, "id_issued_date", "раньше даты рождения"),
        (
            {"death_date": datetime.date(1949, 1, 1)},
            "death_date",
            "Дата смерти раньше даты рождения.",
        ),
    ],
)
def test_each_rule_is_refused_at_its_field(office, changes, field, message):
    errors = errors_of(Applicant(office=office, **{**PERSON, **changes}))
    assert list(errors) == [field]
    assert message in errors[field][0]


def test_a_foreign_passport_keeps_its_own_numbering(office):
    Applicant(
        office=office, **PERSON, id_doc_type="foreign_passport", id_series="AB", id_number="1234567"
    ).validate()


@pytest.mark.parametrize("field", ["birth_date", "id_issued_date", "death_date"])
def test_dates_after_today_are_refused_and_today_is_taken(office, field):
    today = timezone.localdate()  # the frozen clock of the tests
    Applicant(office=office, **{**PERSON, field: today}).validate()
    errors = errors_of(Applicant(office=office, **{**PERSON, field: today + datetime.timedelta(1)}))
    assert errors[field][0].endswith("не может быть в будущем.")


def test_register_applicant_refuses_a_wrong_snils_and_writes_nothing(specialist):
    with pytest.raises(ValidationError) as info:
        services.register_applicant(actor=specialist, snils="112-233-445 96", **PERSON)
    assert info.value.message_dict == {
        "snils": ["Неверное контрольное число СНИЛС — проверьте номер."]
    }
    assert not Applicant.objects.exists()


def test_register_applicant_takes_a_snils_in_any_formatting(specialist):
    applicant = services.register_applicant(
        actor=specialist, snils="112 233-445 95", id_unit_code="340001", **PERSON
    )
    applicant.refresh_from_db()
    assert (applicant.snils, applicant.id_unit_code) == ("11223344595", "340-001")
    assert applicant.history.get().history_user == specialist


def test_update_applicant_changes_only_the_given_fields_under_the_same_rules(specialist):
    applicant = services.register_applicant(actor=specialist, reg_address="Волгоград", **PERSON)
    with pytest.raises(ValidationError):
        services.update_applicant(applicant, actor=specialist, id_series="18", id_number="1")
    services.update_applicant(applicant, actor=specialist, phone="8 800 000-00-00")
    applicant.refresh_from_db()
    assert (applicant.phone, applicant.reg_address, applicant.id_series) == (
        "8 800 000-00-00", "Волгоград", "",
    )  # fmt: skip
    with pytest.raises(TypeError):
        services.update_applicant(applicant, actor=specialist, office=None)


def test_find_namesakes_by_keywords(specialist):
    applicant = services.register_applicant(actor=specialist, **PERSON)
    found = services.find_namesakes(
        office=specialist.office, last_name="ИВАНОВ", first_name="иван",
        middle_name="Иванович", birth_date=PERSON["birth_date"],
    )  # fmt: skip
    assert found == [applicant]


def test_free_text_names_refuse_control_characters(office, applicant):
    for instance, field in (
        (Application(representative_name="Петров\u200bП. П."), "representative_name"),
        (IncomingRequest(subject_name="Петров\nПётр"), "subject_name"),
        (CaseTransfer(stated_name="Петров\x00"), "stated_name"),
    ):
        errors = errors_of(instance)
        assert "управляющий символ" in errors[field][0], field


def test_incoming_request_refuses_a_wrong_snils_of_its_subject():
    errors = errors_of(IncomingRequest(subject_snils="11223344596"))
    assert errors["subject_snils"] == ["Неверное контрольное число СНИЛС — проверьте номер."]


def test_organisation_validators_live_in_identity_and_cases_models_still_exports_them():
    import cases.models

    assert cases.models.validate_inn is validate_inn  # migration 0018 names cases.models.*
    errors = errors_of(Organisation(name="ООО «Ритуал»", inn="7707083894"))
    assert "ИНН" in errors["inn"][0]


def test_register_incoming_request_refuses_a_wrong_snils_of_its_subject(specialist, catalogue):
    from cases.models import RequestKind
    from cases.requests import register_incoming_request

    today = timezone.localdate()
    with pytest.raises(ValidationError) as info:
        register_incoming_request(
            actor=specialist, kind=RequestKind.objects.order_by("pk").first(), sender="Суд",
            sender_number="1", sender_date=today, received_on=today, subject_name="Петров Пётр",
            subject_snils="112-233-445 96", question="Сведения о мерах",
        )  # fmt: skip
    assert info.value.message_dict == {
        "subject_snils": ["Неверное контрольное число СНИЛС — проверьте номер."]
    }
    assert not IncomingRequest.objects.exists()
