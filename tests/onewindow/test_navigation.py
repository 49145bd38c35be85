import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def nav_html(client, user) -> str:
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    return html.split('<nav class="mainnav"', 1)[1].split("</nav>", 1)[0]


def test_specialist_does_not_see_the_access_log(client, specialist):
    nav = nav_html(client, specialist)
    assert "Главная" in nav
    assert "Журнал доступа" not in nav


@pytest.mark.parametrize("fixture", ["chief", "director"])
def test_chief_and_director_see_the_access_log(client, request, fixture):
    nav = nav_html(client, request.getfixturevalue(fixture))
    assert "Журнал доступа" in nav


@pytest.mark.parametrize("fixture", ["archivist", "reg_admin"])
def test_archivist_and_admin_do_not_see_the_access_log(client, request, fixture):
    nav = nav_html(client, request.getfixturevalue(fixture))
    assert "Журнал доступа" not in nav


def test_user_box_shows_role_and_office(client, chief):
    client.force_login(chief)
    html = client.get(reverse("home")).content.decode()
    assert "Главный специалист · ЦСЗН Краснооктябрьского района" in html
    assert "Смирнова\u00a0Е.\u00a0С." in html


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("cases:journal", "Журнал"),
        ("cases:requests", "Запросы"),
        ("cases:counter", "Приём"),
        ("home", "Главная"),
    ],
)
def test_exactly_one_section_is_current(client, specialist, path, title):
    client.force_login(specialist)
    html = client.get(reverse(path)).content.decode()
    nav = html.split('<nav class="mainnav"', 1)[1].split("</nav>", 1)[0]
    assert nav.count('aria-current="page"') == 1
    current = nav.split('aria-current="page"', 1)[1].split("</a>", 1)[0]
    assert title in current
