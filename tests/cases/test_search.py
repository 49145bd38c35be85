import datetime

import pytest
from django.urls import reverse

from cases import search
from tests.factories import ApplicantFactory, ApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(office, catalogue):
    return {
        "ivanov": ApplicantFactory(office=office, snils="11223344595", last_name="Иванов", first_name="Иван",
                                   middle_name="Иванович", birth_date=datetime.date(1950, 3, 15)),
        "ivanova": ApplicantFactory(office=office, snils="", last_name="Иванова", first_name="Мария",
                                    middle_name="Петровна", sex="F", birth_date=datetime.date(1955, 7, 1)),
        "semenov": ApplicantFactory(office=office, snils="", last_name="Семёнов", first_name="Олег",
                                    middle_name="", birth_date=datetime.date(1970, 1, 2)),
        "petrova": ApplicantFactory(office=office, snils="", last_name="Петрова-Водкина", first_name="Анна",
                                    middle_name="Сергеевна", sex="F", birth_date=datetime.date(1980, 5, 5)),
    }  # fmt: skip


def names(query, user):
    return [hit.applicant.full_name for hit in search.search(query, user)]


@pytest.mark.parametrize("query", ["112-233-445 95", "11223344595", "112 233 445 95"])
def test_snils_in_any_formatting(people, specialist, query):
    assert names(query, specialist) == ["Иванов Иван Иванович"]


def test_surname_prefix_and_name_fragments(people, specialist):
    assert names("иван", specialist) == ["Иванов Иван Иванович", "Иванова Мария Петровна"]
    assert names("Иванова Мар", specialist) == ["Иванова Мария Петровна"]
    assert names("семенов", specialist) == ["Семёнов Олег"]  # ё and е are one letter here
    assert names("петрова-водкина", specialist) == ["Петрова-Водкина Анна Сергеевна"]


def test_surname_with_initials(people, specialist):
    assert names("Иванов И.И.", specialist) == ["Иванов Иван Иванович"]
    assert names("Иванов И. И.", specialist) == ["Иванов Иван Иванович"]
    assert names("Иванова М.П.", specialist) == ["Иванова Мария Петровна"]
    assert names("Петрова-Водкина А.С.", specialist) == ["Петрова-Водкина Анна Сергеевна"]


def test_one_typo_in_the_surname_is_forgiven(people, specialist):
    assert names("Ивонов И.И.", specialist) == ["Иванов Иван Иванович"]
    assert "Семёнов Олег" in names("Семенав", specialist)


def test_birth_date(people, specialist):
    assert names("15.03.1950", specialist) == ["Иванов Иван Иванович"]
    [hit] = search.search("15.03.1950", specialist)
    assert hit.applicant.birth_date == datetime.date(1950, 3, 15)
    assert hit.applicant.is_anonymised is False
    assert hit.applicant.reg_address.startswith("400105")  # a field not listed loads on access
    assert hit.applicant.pk == people["ivanov"].pk
    assert names("31.02.1950", specialist) == []


def test_case_file_and_application_numbers(client, people, specialist):
    from cases.models import Application

    client.force_login(specialist)
    ApplicationFactory(actor=specialist, applicant=people["ivanova"])
    application = Application.objects.get()
    number = application.case_file.number
    assert names(f"ЛД-{number:06d}", specialist) == ["Иванова Мария Петровна"]
    assert names(f"лд {number}", specialist) == ["Иванова Мария Петровна"]
    hits = search.search(application.number_display, specialist)
    assert hits[0].url == reverse("cases:application", args=[application.pk])
    assert hits[0].note == f"заявление № {application.number_display}"


def test_search_never_crosses_offices(people, other_specialist):
    assert names("Иванов", other_specialist) == []
    assert names("112-233-445 95", other_specialist) == []


def test_counter_results_arrive_as_a_partial_with_masked_snils(client, people, specialist):
    client.force_login(specialist)
    response = client.get(reverse("cases:counter"), {"q": "иванов"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results" data-query="иванов">')
    assert "•••-•••-445 95" in html and "112-233-445 95" not in html
    assert "15.03.1950" in html  # dates read back as dates on every database
    assert html.index("Иванов Иван") < html.index("Иванова Мария")


def test_nothing_found_offers_registration_with_the_query(client, people, specialist):
    client.force_login(specialist)
    html = client.get(reverse("cases:counter"), {"q": "Кузнецов"}).content.decode()
    assert "Никого не найдено по запросу «Кузнецов»." in html
    assert reverse("cases:applicant_new") + "?q=%D0%9A" in html
    html = client.get(reverse("cases:applicant_new"), {"q": "Кузнецов Пётр"}).content.decode()
    assert 'value="Кузнецов"' in html and 'value="Пётр"' in html


@pytest.fixture
def swapped(office, catalogue):
    return [
        ApplicantFactory(office=office, snils="", last_name="Иванов", first_name="Пётр",
                         middle_name="Сергеевич", birth_date=datetime.date(1961, 4, 4)),
        ApplicantFactory(office=office, snils="", last_name="Попов", first_name="Алексей",
                         middle_name="", birth_date=datetime.date(1970, 2, 2)),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Иавнов П.С.", "Иванов Пётр Сергеевич"),  # two letters swapped, with initials
        ("Иваонв П.С.", "Иванов Пётр Сергеевич"),
        ("Вианов", "Иванов Пётр Сергеевич"),  # the first two letters swapped
        ("Попво А.", "Попов Алексей"),
        ("Поопв", "Попов Алексей"),
        ("Ивонов П.", "Иванов Пётр Сергеевич"),  # one wrong letter still works
        ("Ианов", "Иванов Пётр Сергеевич"),  # one missing letter still works
    ],
)
def test_two_swapped_letters_count_as_one_typo(swapped, specialist, query, expected):
    assert expected in names(query, specialist)


def test_transposed_surnames_are_candidates(swapped):
    assert "иванов" in search.transpositions("иавнов")
    assert "иванов" in search.similar_surnames("иавнов")
    assert "попов" in search.similar_surnames("попво")


@pytest.fixture
def receipt(client, specialist, people):
    from cases.models import Application

    client.force_login(specialist)
    ApplicationFactory(actor=specialist, applicant=people["ivanova"])
    return Application.objects.get()


def _ru_layout(text: str) -> str:
    """What a scanner types with the Russian keyboard layout on."""
    return text.translate(
        str.maketrans("qwertyuiopasdfghjkl;zxcvbnm,./:", "йцукенгшщзфывапролджячсмитьбю.Ж")
    )


@pytest.mark.parametrize("layout", ["latin", "russian"])
@pytest.mark.parametrize("htmx", [False, True])
def test_scanned_receipt_qr_opens_the_application(client, receipt, office, layout, htmx):
    code = f"{office.code}:{receipt.number_display}"  # what the receipt's QR code holds
    query = code if layout == "latin" else _ru_layout(code)
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get(reverse("cases:counter"), {"q": query}, headers=headers)
    url = reverse("cases:application", args=[receipt.pk])
    if htmx:
        assert response["HX-Redirect"] == url
    else:
        assert response.status_code == 302 and response["Location"] == url


def test_another_offices_qr_finds_nothing_and_is_logged(
    client, receipt, other_office, other_specialist
):
    from onewindow.models import AccessLog

    client.force_login(other_specialist)
    code = f"{receipt.office.code}:{receipt.number_display}"
    response = client.get(reverse("cases:counter"), {"q": code})
    assert response.status_code == 200
    assert "Никого не найдено" in response.content.decode()
    assert AccessLog.objects.filter(user=other_specialist, result="refused").count() == 1
    # its own code with a number that is not there: nothing, and nothing refused
    response = client.get(
        reverse("cases:counter"), {"q": f"{other_office.code}:{receipt.number_display}"}
    )
    assert "Никого не найдено" in response.content.decode()
    assert AccessLog.objects.filter(user=other_specialist, result="refused").count() == 1


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("445 95", True),  # the last 5 digits as printed
        ("44595", True),
        ("3344595", True),  # the last 7
        ("233-445 95", True),
        ("112233445", True),  # the first 9
        ("112-233-445", True),
        ("4595", False),  # 4 digits are not enough
        ("99999", False),
    ],
)
def test_partial_snils(people, specialist, other_specialist, query, found):
    assert names(query, specialist) == (["Иванов Иван Иванович"] if found else [])
    assert names(query, other_specialist) == []  # office-scoped


def test_more_results_than_shown_are_counted(client, office, specialist, catalogue):
    for n in range(37):
        ApplicantFactory(office=office, snils="", last_name="Кузнецов", first_name="Анна",
                         middle_name="", birth_date=datetime.date(1950, 1, 1) + datetime.timedelta(days=n))  # fmt: skip
    client.force_login(specialist)
    html = client.get(reverse("cases:counter"), {"q": "кузнецов"}).content.decode()
    assert html.count('class="result-link"') == 10
    assert (
        "Показаны первые 10 из 37 — уточните запрос: добавьте инициалы или дату рождения." in html
    )
    html = client.get(reverse("cases:counter"), {"q": "01.01.1950"}).content.decode()
    assert "Показаны первые" not in html
