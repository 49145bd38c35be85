"""Issue 14, item 6: Latin look-alike letters do not make a second person."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases import search
from cases.models import Applicant, NameKey
from onewindow.identity import name_error, normalize_name
from tests.counter import post_new
from tests.factories import ApplicantFactory

pytestmark = pytest.mark.django_db
BORN = datetime.date(1950, 3, 15)
MIXED = "Сидopова"  # Latin «o» and «p»


@pytest.fixture
def sidorova(office, catalogue):
    return ApplicantFactory(
        office=office, snils="", last_name="Сидорова", first_name="Анна",
        middle_name="Петровна", sex="F", birth_date=BORN,
    )  # fmt: skip


def test_counter_form_refuses_latin_look_alikes_and_names_them(client, specialist, sidorova):
    client.force_login(specialist)
    response = post_new(client, snils="", last_name=MIXED, first_name="Анна",
                        middle_name="Петровна", sex="F", birth_date=BORN.isoformat())  # fmt: skip
    html = response.content.decode()
    assert (
        "Латинские буквы «o», «p» среди русских в «Сидopова» — наберите русскими буквами." in html
    )
    assert Applicant.objects.count() == 1


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("first_name", "Ivan", "«Ivan» набрано латинскими буквами — наберите русскими"),
        ("middle_name", "Иванoвич", "Латинская буква «o» среди русских в «Иванoвич»"),
        ("last_name", "Иванов2", "Недопустимый символ «2»: допустимы только русские буквы, пробел, дефис и апостроф."),
        ("last_name", "Иванов.", "Недопустимый символ «.»"),
    ],
)  # fmt: skip
def test_names_are_russian_letters_hyphen_apostrophe_space(client, specialist, catalogue, field, value, message):  # fmt: skip
    client.force_login(specialist)
    html = post_new(client, **{field: value}).content.decode()
    assert message in html.replace("&#x27;", "'")
    assert not Applicant.objects.exists()


@pytest.mark.parametrize(
    "last_name", ["Петрова-Водкина", "Д'Артаньян", "Оглы Мамедов", "Д’Анджело"]
)
def test_russian_names_with_hyphen_apostrophe_and_space_are_accepted(client, specialist, catalogue, last_name):  # fmt: skip
    client.force_login(specialist)
    response = post_new(client, last_name=last_name)
    assert response.status_code == 302
    assert Applicant.objects.get().last_name == last_name


def test_model_validator_refuses_mixed_scripts():
    person = Applicant(last_name=MIXED, first_name="Анна", sex="F", birth_date=BORN)
    with pytest.raises(ValidationError) as info:
        person.full_clean(exclude=["office"])
    assert "last_name" in info.value.message_dict


def test_existing_mixed_spelling_is_a_namesake_of_the_cyrillic_one(client, specialist, office, catalogue):  # fmt: skip
    """Data typed before the check: the Cyrillic spelling is warned as the same person."""
    old = ApplicantFactory(office=office, snils="", last_name=MIXED, first_name="Анна",
                           middle_name="Петрoвна", sex="F", birth_date=BORN)  # fmt: skip
    client.force_login(specialist)
    html = post_new(client, snils="", last_name="Сидорова", first_name="Анна",
                    middle_name="Петровна", sex="F", birth_date=BORN.isoformat()).content.decode()  # fmt: skip
    assert "Заявитель с такими же ФИО и датой рождения уже зарегистрирован" in html
    assert f'href="{reverse("cases:applicant", args=[old.pk])}"' in html
    assert Applicant.objects.count() == 1


def test_search_folds_look_alikes_both_ways(specialist, office, catalogue, sidorova):
    mixed = ApplicantFactory(office=office, snils="", last_name="Kузнецoва", first_name="Анна",
                             sex="F", birth_date=BORN)  # fmt: skip
    assert [h.applicant for h in search.search(MIXED, specialist)] == [sidorova]
    assert [h.applicant for h in search.search("Кузнецова А", specialist)] == [mixed]
    assert [h.applicant for h in search.search("кузнецова", specialist)] == [mixed]


def test_normalize_name_folds_latin_look_alikes():
    assert normalize_name("СИДOPOВА") == normalize_name("Сидорова") == "сидорова"
    assert normalize_name("Bасилий") == "василий"
    assert name_error("Сидорова") is None


def test_migration_recomputes_keys_of_mixed_names(office, catalogue):
    person = ApplicantFactory(
        office=office, snils="", last_name=MIXED, first_name="Анна", middle_name="", sex="F"
    )
    Applicant.objects.filter(pk=person.pk).update(
        name_key="сидopова анна", last_name_key="сидopова"
    )
    NameKey.objects.all().delete()
    migration = importlib.import_module("cases.migrations.0015_fold_latin_lookalikes_in_name_keys")
    migration.forward(apps, None)
    person.refresh_from_db()
    assert (person.name_key, person.last_name_key) == ("сидорова анна", "сидорова")
    assert NameKey.objects.filter(key="сидорова").exists()
