"""Russian as an official document writes it: names in the sentence's case, initials «П. С.»,
«о/об», numerals agreeing with nouns, nested quotes — in the helpers and in every document and
message that puts a name or a number into a sentence."""

import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse

from archive.models import RetentionRule
from cases import services as counter
from cases.models import Application
from cases.requests import answer_incoming_request
from onewindow import handover
from onewindow.names import NBSP, about, about_person, initials, name_in, short_name
from onewindow.roles import SPECIALIST
from onewindow.text import counted, plural, quoted, years_phrase
from tests.factories import (
    ApplicantFactory,
    IncomingRequestFactory,
    OutgoingRequestFactory,
    counter_marks,
    make_user,
)
from tests.pdf_utils import pdf_text

S = NBSP

PEOPLE = {
    "male": ("Иванов", "Пётр", "Сергеевич", "M"),
    "female": ("Волкова", "Ирина", "Павловна", "F"),
    "double": ("Римская-Корсакова", "Анна", "", "F"),
    "no_patronymic": ("Ким", "Анна", "", "F"),
    "vowel": ("Андреев", "Олег", "Ильич", "M"),
}


@pytest.mark.parametrize(
    ("number", "noun"),
    [(0, "дел"), (1, "дело"), (2, "дела"), (5, "дел"), (11, "дел"), (12, "дел"), (21, "дело"),
     (22, "дела"), (25, "дел"), (111, "дел")],
)  # fmt: skip
def test_plural_and_counted(number, noun):
    assert plural(number, "дело,дела,дел") == noun
    assert counted(number, "дело,дела,дел") == f"{number} {noun}"
    rendered = Template('{{ n|plural:"дело,дела,дел" }}|{{ n|counted:"дело,дела,дел" }}').render(
        Context({"n": number})
    )
    assert rendered == f"{noun}|{number} {noun}"


@pytest.mark.parametrize(
    ("text", "phrase"),
    [("Иванове", "об Иванове"), ("Андрееве", "об Андрееве"), ("Ушаковой", "об Ушаковой"),
     ("Эдуарде", "об Эдуарде"), ("Петрове", "о Петрове"), ("Егорове", "о Егорове"),
     ("Юрьеве", "о Юрьеве"), ("Яковлевой", "о Яковлевой"), ("", "")],
)  # fmt: skip
def test_o_or_ob_by_the_next_sound(text, phrase):
    assert about(text) == phrase


@pytest.mark.parametrize(
    ("who", "genitive", "dative", "prepositional_short"),
    [("male", "Иванова Петра Сергеевича", "Иванову Петру Сергеевичу", f"об Иванове{S}П.{S}С."),
     ("female", "Волковой Ирины Павловны", "Волковой Ирине Павловне", f"о Волковой{S}И.{S}П."),
     ("double", "Римской-Корсаковой Анны", "Римской-Корсаковой Анне", f"о Римской-Корсаковой{S}А."),
     ("no_patronymic", "Ким Анны", "Ким Анне", f"о Ким{S}А."),
     ("vowel", "Андреева Олега Ильича", "Андрееву Олегу Ильичу", f"об Андрееве{S}О.{S}И.")],
)  # fmt: skip
def test_names_in_cases(who, genitive, dative, prepositional_short):
    last, first, middle, sex = PEOPLE[who]
    person = ApplicantFactory.build(last_name=last, first_name=first, middle_name=middle, sex=sex)
    assert name_in(person, "genitive") == genitive
    assert name_in(person, "dative") == dative
    assert about_person(person, short=True) == prepositional_short
    # the same from a free-text name (no recorded sex: the name tells it)
    assert name_in(" ".join(p for p in (last, first, middle) if p), "genitive") == genitive
    assert Template('{{ p|name_case:"dative" }}').render(Context({"p": person})) == dative


def test_undeclinable_surnames_and_typed_initials():
    assert name_in("Шевченко Тарас Григорьевич", "genitive") == "Шевченко Тараса Григорьевича"
    assert name_in("Дюма Александр", "dative") == "Дюма Александру"
    assert name_in("Ким Олег", "genitive") == "Кима Олега"  # a man's Ким declines
    assert name_in("Иванов П.С.", "prepositional") == f"Иванове{S}П.{S}С."


def test_initials_are_spaced_with_non_breaking_spaces():
    assert initials("Пётр", "Сергеевич") == f"П.{S}С."
    assert short_name("Ким", "Анна", "") == f"Ким{S}А."
    applicant = ApplicantFactory.build(
        last_name="Иванов", first_name="Пётр", middle_name="Сергеевич"
    )
    assert applicant.short_name == f"Иванов{S}П.{S}С."


def test_nested_quotes_and_years():
    assert quoted("Почётный донор «России»") == "«Почётный донор „России“»"
    assert quoted("«ГКУ «ЦСЗН»»") == "«ГКУ „ЦСЗН“»"
    assert quoted("Пособие") == "«Пособие»"
    assert years_phrase([2010]) == "за 2010 год"
    assert years_phrase([2012, 2010, 2011]) == "за 2010–2012 годы"
    assert years_phrase([2010, 2012]) == "за 2010, 2012 годы"


# --- documents and messages -------------------------------------------------------------------


def _apply(specialist, office, who, **kwargs):
    from services.models import Service

    last, first, middle, sex = PEOPLE[who]
    person = ApplicantFactory(office=office, snils="", last_name=last, first_name=first,
                              middle_name=middle, sex=sex)  # fmt: skip
    service = Service.objects.get(code="edv-veterans")
    return counter.register_application(
        person, service, actor=specialist, marks=counter_marks(service), **kwargs
    )


def test_receipt_names_the_applicant_and_the_representative_in_the_genitive(
    client, specialist, office, catalogue
):
    application = _apply(
        specialist, office, "female",
        representative=counter.Representative(kind="proxy", name="Кузнецов Игорь Петрович",
                                              document="паспорт", authority="доверенность № 1"),
    )  # fmt: skip
    client.force_login(specialist)
    text = pdf_text(client.get(reverse("cases:receipt", args=[application.pk])).content)
    assert "от Волковой Ирины Павловны в лице представителя Кузнецова Игоря Петровича" in text
    assert "Расписку получил: Кузнецов Игорь Петрович" in text
    assert "(получил(а)" not in text and "получил(а)" not in text


def test_notice_of_a_refusal_has_an_outgoing_number_and_the_regulation(
    client, specialist, chief, office, catalogue
):
    application = _apply(specialist, office, "no_patronymic")
    for step in ("transfer", "review"):
        counter.transition(application, step, actor=specialist)
    counter.transition(application, "refuse", actor=chief, reason="доход превышает порог",
                       override_reason="ответы получены")  # fmt: skip
    application.refresh_from_db()
    assert application.notice_number == 1
    client.force_login(specialist)
    text = pdf_text(client.get(reverse("cases:notice", args=[application.pk])).content)
    year = application.decision_date.year
    assert f"Исх. № 1/{year} от {application.decision_date:%d.%m.%Y}" in text
    assert "Ким Анне" in text and "Уважаемая Анна!" in text
    regulation = application.service_version.regulation
    # edv-veterans rests on the Social Code since 01.06.2022 («Житель осажденного Сталинграда»)
    assert (
        f"Основание: Закон от {regulation.date:%d.%m.%Y} № {regulation.number}" in text
        and "(принят: Волгоградская областная Дума)" in text
    )
    assert "«" + regulation.title[:30] in text


def test_a_decision_made_before_numbering_gets_its_number_at_the_first_print(
    client, specialist, chief, office, catalogue
):
    first = _apply(specialist, office, "male")
    for step in ("transfer", "review"):
        counter.transition(first, step, actor=specialist)
    counter.transition(first, "grant", actor=chief, override_reason="ответы получены")
    Application.objects.filter(pk=first.pk).update(notice_number=None, notice_date=None)
    client.force_login(specialist)
    for _ in range(2):  # printed twice: one number
        text = pdf_text(client.get(reverse("cases:notice", args=[first.pk])).content)
        assert "Исх. № 2/2026 от 24.11.2026" in text
    assert Application.objects.get(pk=first.pk).notice_number == 2


def test_answer_letter_and_requests_decline_the_person(
    client, specialist, office, other_office, other_specialist, catalogue
):
    item = IncomingRequestFactory(actor=specialist, office=office, last_name="Андреев")
    item.subject_name = "Андреев Олег Ильич"
    item.save()
    answer_incoming_request(item, actor=specialist, answer="Меры не назначались.")
    client.force_login(specialist)
    text = pdf_text(client.get(reverse("cases:incoming_letter", args=[item.pk])).content)
    assert "в отношении Андреева Олега Ильича" in text
    assert item.work_title.endswith(f"об Андрееве{S}О.{S}И.")
    outgoing = OutgoingRequestFactory(
        actor=specialist, to_office=other_office, applicant__last_name="Ушакова"
    )
    assert outgoing.work_title.endswith(f"об Ушакове{S}И.{S}И.")
    html = client.get(reverse("cases:outgoing_new", args=[outgoing.applicant.pk])).content.decode()
    assert f"Запрос в другое учреждение об Ушакове{S}И.{S}И." in html


def test_handover_refusals_put_the_name_in_the_dative(chief, specialist, office):
    volkova = make_user(SPECIALIST, office, "volkova", last_name="Волкова", first_name="Ирина",
                        middle_name="Павловна")  # fmt: skip
    volkova.is_active = False
    volkova.save()
    with pytest.raises(handover.HandoverError) as refused:
        handover.hand_over(actor=chief, from_user=specialist, to_user=volkova, reason="trip",
                           starts_on=datetime.date(2026, 11, 24), ends_on=datetime.date(2026, 11, 30))  # fmt: skip
    assert str(refused.value.message).startswith(f"Волковой{S}И.{S}П. нельзя передать дела")


def test_archive_title_and_the_destruction_act_basis(archivist, office, catalogue):
    from archive.documents import act_basis

    rule = RetentionRule.objects.get(code="benefit-recipient")
    assert "ст." not in rule.act_basis and rule.act_basis in rule.legal_basis

    class Item:
        class archived_file:
            retention_rule = rule

    assert act_basis([Item, Item], "литерал") == rule.act_basis
