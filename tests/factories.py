"""Factories for every test: one place, as healthchecks and Zulip do."""

import factory
from django.contrib.auth.models import Group

from onewindow import roles
from onewindow.models import Office, User


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"office-{n}")
    name = factory.Sequence(lambda n: f"ГКУ «Центр социальной защиты населения № {n}»")
    short_name = factory.Sequence(lambda n: f"ЦСЗН № {n}")
    address = "400105, г. Волгоград, ул. Богунская, д. 4"
    director_name = "Сергеева Ольга Викторовна"
    phone = "(8442) 71-00-00"
    email = "cszn@example.ru"
    ogrn = "1023403123457"
    inn = "3443010010"
    kpp = "344301001"
    superior_body = "Комитет социальной защиты населения Волгоградской области"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = "Петрова"
    first_name = "Анна"
    middle_name = "Сергеевна"
    office = factory.SubFactory(OfficeFactory)
    password = factory.django.Password("secret-pass-123")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))


def make_user(role: str, office: Office, username: str, **kwargs) -> User:
    return UserFactory(username=username, office=office, role=role, **kwargs)


__all__ = ["OfficeFactory", "UserFactory", "make_user", "roles"]


def valid_snils(first_nine: str) -> str:
    from onewindow.identity import snils_check_number

    return f"{first_nine}{snils_check_number(first_nine):02d}"


class ApplicantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.Applicant"

    office = factory.SubFactory(OfficeFactory)
    snils = factory.Sequence(lambda n: valid_snils(f"{100000000 + n * 7:09d}"))
    last_name = "Иванов"
    first_name = "Иван"
    middle_name = "Иванович"
    sex = "M"
    birth_date = factory.LazyFunction(lambda: __import__("datetime").date(1950, 3, 15))
    id_doc_type = "passport_rf"
    id_series = "1804"
    id_number = factory.Sequence(lambda n: f"{100000 + n:06d}")
    id_issued_by = "ОУФМС России по Волгоградской области"
    id_unit_code = "340-001"
    reg_address = "400105, г. Волгоград, ул. Богунская, д. 1, кв. 1"
