import pytest
from django.urls import reverse

from cases.models import Applicant
from onewindow.models import AccessLog
from tests.counter import VALID, post_new

pytestmark = pytest.mark.django_db


def test_specialist_registers_an_applicant(client, specialist, catalogue):
    client.force_login(specialist)
    response = post_new(client)
    applicant = Applicant.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "cases:applicant", args=[applicant.pk]
    )
    assert applicant.snils == "11223344595"
    assert applicant.id_unit_code == "340-001"
    assert applicant.office == specialist.office
    assert applicant.name_key == "иванов иван иванович"
    assert applicant.history.get().history_user == specialist


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("snils", "112-233-445 96", "Неверное контрольное число СНИЛС — проверьте номер."),
        ("snils", "1122334459", "В СНИЛС должно быть 11 цифр, введено 10."),
        ("snils", "112233445950", "В СНИЛС должно быть 11 цифр, введено 12."),
        ("snils", "11223344А95", "СНИЛС состоит только из цифр (допустимы пробел и дефис)."),
        ("birth_date", "2999-01-01", "Дата рождения не может быть в будущем."),
        ("birth_date", "1899-12-31", "Дата рождения не может быть раньше 01.01.1900."),
        ("birth_date", "31.02.1950", "Неверная дата рождения."),
        ("id_series", "180", "Серия паспорта — 4 цифры, введено «180»."),
        ("id_number", "12345", "Номер паспорта — 6 цифр, введено «12345»."),
        ("id_unit_code", "34-0001", "Код подразделения — 6 цифр в виде 340-001."),
        ("last_name", "", "Укажите фамилию."),
        (
            "last_name",
            "Иванов2",
            "Недопустимый символ «2»: допустимы только русские буквы, пробел, дефис и апостроф.",
        ),
        ("id_issued_date", "1940-01-01", "Дата выдачи раньше даты рождения."),
    ],
)
def test_bad_input_is_refused_at_the_field(client, specialist, catalogue, field, value, message):
    client.force_login(specialist)
    response = post_new(client, **{field: value})
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'class="field has-error"' in html
    assert not Applicant.objects.exists()


def test_same_snils_blocks_with_a_link_to_the_card(client, specialist, applicant):
    client.force_login(specialist)
    html = post_new(client, last_name="Другой").content.decode()
    assert (
        "Заявитель с этим СНИЛС уже зарегистрирован: Иванов Иван Иванович, 15.03.1950 г. р." in html
    )
    assert f'href="{reverse("cases:applicant", args=[applicant.pk])}"' in html
    assert Applicant.objects.count() == 1


def test_snils_of_another_office_blocks_without_revealing_the_card(
    client, specialist, other_applicant
):
    client.force_login(specialist)
    html = post_new(client, snils="123-456-789 64").content.decode()
    assert "состоит на учёте в другом учреждении (ЦСЗН Центрального района)" in html
    assert "Запросить передачу личного дела" in html
    assert reverse("cases:applicant", args=[other_applicant.pk]) not in html
    assert Applicant.objects.count() == 1


def test_same_name_and_birth_date_warns_and_registers_on_confirmation(
    client, specialist, applicant
):
    client.force_login(specialist)
    data = {"snils": "", "last_name": "ИВАНОВ", "first_name": "иван", "middle_name": "Иванович"}
    html = post_new(client, **data).content.decode()
    assert "Заявитель с такими же ФИО и датой рождения уже зарегистрирован" in html
    assert f'href="{reverse("cases:applicant", args=[applicant.pk])}"' in html
    assert Applicant.objects.count() == 1
    response = post_new(client, **data, confirm_namesake="1")
    assert response.status_code == 302
    assert Applicant.objects.count() == 2


def test_opening_a_card_is_logged(client, specialist, applicant):
    client.force_login(specialist)
    html = client.get(reverse("cases:applicant", args=[applicant.pk])).content.decode()
    assert "112-233-445 95" in html  # the specialist sees the full СНИЛС on the card
    entry = AccessLog.objects.get(event="view_applicant")
    assert (entry.user, entry.subject_id, entry.result) == (
        specialist,
        str(applicant.pk),
        "allowed",
    )
    assert entry.subject_repr == "Иванов Иван Иванович"


def test_card_of_another_office_is_404_and_logged_refused(client, specialist, other_applicant):
    client.force_login(specialist)
    response = client.get(reverse("cases:applicant", args=[other_applicant.pk]))
    assert response.status_code == 404
    assert "Сидоров" not in response.content.decode()
    assert AccessLog.objects.filter(
        user=specialist, result="refused", subject_id=str(other_applicant.pk)
    ).exists()


def test_director_sees_the_card_masked(client, director, applicant):
    client.force_login(director)
    html = client.get(reverse("cases:applicant", args=[applicant.pk])).content.decode()
    assert "•••-•••-445 95" in html and "112-233-445 95" not in html
    assert "123456" not in html and "(номер скрыт)" in html
    assert "Новое заявление" not in html


def test_regulations_admin_cannot_open_personal_data(client, reg_admin, applicant):
    client.force_login(reg_admin)
    response = client.get(reverse("cases:applicant", args=[applicant.pk]))
    assert response.status_code == 403
    assert "Недостаточно прав" in response.content.decode()
    assert AccessLog.objects.filter(user=reg_admin, result="refused").exists()


def test_edit_keeps_history_with_who(client, specialist, applicant):
    client.force_login(specialist)
    data = {**VALID, "phone": "+7 902 000-00-00"}
    response = client.post(reverse("cases:applicant_edit", args=[applicant.pk]), data)
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.phone == "+7 902 000-00-00"
    latest = applicant.history.first()
    assert latest.history_user == specialist and latest.history_type == "~"


def test_category_with_confirming_document(client, specialist, applicant):
    from cases.models import BenefitCategory

    client.force_login(specialist)
    category = BenefitCategory.objects.get(code="labour-veteran")
    response = client.post(
        reverse("cases:category_add", args=[applicant.pk]),
        {"category": category.pk, "document": "Удостоверение Т-I № 123456 от 01.02.2010"},
    )
    assert response.status_code == 302
    assert applicant.categories.get().document == "Удостоверение Т-I № 123456 от 01.02.2010"
    response = client.post(
        reverse("cases:category_add", args=[applicant.pk]), {"category": category.pk}
    )
    assert "Укажите документ, подтверждающий категорию." in response.content.decode()
