import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_is_russian(client):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'lang="ru"' in html
    assert "Вход в систему" in html
    assert "Имя пользователя" in html and "Пароль" in html


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_wrong_password_shows_russian_error_and_does_not_log_in(client, specialist):
    response = client.post(reverse("login"), {"username": "specialist", "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Пожалуйста, введите правильные имя пользователя и пароль" in html
    assert "_auth_user_id" not in client.session


def test_correct_password_logs_in_and_shows_role(client, specialist):
    response = client.post(
        reverse("login"), {"username": "specialist", "password": PASSWORD}, follow=True
    )
    html = response.content.decode()
    assert client.session["_auth_user_id"] == str(specialist.pk)
    assert "Специалист" in html
    assert "ЦСЗН Краснооктябрьского района" in html


def test_five_wrong_passwords_lock_the_account_out(client, specialist):
    for _ in range(4):
        response = client.post(reverse("login"), {"username": "specialist", "password": "x"})
        assert response.status_code == 200
    response = client.post(reverse("login"), {"username": "specialist", "password": "x"})
    assert response.status_code == 429
    assert "Вход временно заблокирован" in response.content.decode()
    # Even the right password is refused while locked out.
    response = client.post(reverse("login"), {"username": "specialist", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_user_name(client, specialist, chief):
    for _ in range(5):
        client.post(reverse("login"), {"username": "specialist", "password": "x"})
    response = client.post(reverse("login"), {"username": "chief", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(chief.pk)


def test_session_expires_after_idle_time_and_says_so(client, specialist, settings):
    client.force_login(specialist)
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60 == 30 * 60
    # Simulate the expiry: the session row is gone, the browser still sends its cookie.
    client.session.delete()
    response = client.get(reverse("home"), follow=True)
    html = response.content.decode()
    assert "Вход в систему" in html
    assert "Сеанс завершён: не было действий более 30 мин." in html


def test_activity_renews_the_idle_expiry_once_a_minute(client, specialist, freeze_now, settings):
    """Not every request writes the session: the first renews it, the next ones within
    SESSION_TOUCH_SECONDS do not, the first after them does — so the row's expiry is never more
    than a minute behind the last activity."""
    import datetime

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.force_login(specialist)
    start = timezone.localtime().replace(tzinfo=None)
    freeze_now(start + datetime.timedelta(minutes=5))
    client.get(reverse("home"))
    key = client.session.session_key
    renewed = Session.objects.get(pk=key).expire_date
    assert renewed == timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    freeze_now(start + datetime.timedelta(minutes=5, seconds=30))
    client.get(reverse("home"), headers={"HX-Request": "true"})
    assert Session.objects.get(pk=key).expire_date == renewed  # not written again
    freeze_now(start + datetime.timedelta(minutes=6, seconds=1))
    client.get(reverse("home"))
    assert Session.objects.get(pk=key).expire_date > renewed
    # idle past the limit: the session is over
    freeze_now(
        start
        + datetime.timedelta(minutes=6, seconds=2)
        + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    )
    response = client.get(reverse("home"), follow=True)
    assert "Сеанс завершён: не было действий более 30 мин." in response.content.decode()


def test_htmx_request_with_expired_session_redirects_whole_page(client):
    response = client.get(reverse("access_log"), headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("login"))


def test_logout_requires_post_and_ends_session(client, specialist):
    client.force_login(specialist)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change(client, specialist):
    client.force_login(specialist)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Новый-пароль-2026",
            "new_password2": "Новый-пароль-2026",
        },
    )
    assert response.status_code == 302
    specialist.refresh_from_db()
    assert specialist.check_password("Новый-пароль-2026")


def test_password_change_mismatch_is_explained_in_russian(client, specialist):
    client.force_login(specialist)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Abcdefgh-1", "new_password2": "Abcdefgh-2"},
    )
    assert "Введенные пароли не совпадают" in response.content.decode()
    specialist.refresh_from_db()
    assert specialist.check_password(PASSWORD)


def test_csp_header_forbids_foreign_scripts(client, specialist):
    client.force_login(specialist)
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp


def test_a_changed_role_applies_at_the_next_request(client, specialist):
    """Permissions are cached; a change of the user's groups or of a group's permissions is seen
    at once."""
    from django.contrib.auth.models import Group, Permission

    client.force_login(specialist)
    assert client.get(reverse("cases:counter")).status_code == 200
    group = specialist.groups.get()
    view = Permission.objects.get(codename="view_applicant", content_type__app_label="cases")
    group.permissions.remove(view)
    assert client.get(reverse("cases:counter")).status_code == 403
    group.permissions.add(view)
    assert client.get(reverse("cases:counter")).status_code == 200
    specialist.groups.clear()
    assert client.get(reverse("cases:counter")).status_code == 403
    specialist.groups.add(Group.objects.get(name="Специалист"))
    assert client.get(reverse("cases:counter")).status_code == 200
