import pytest
from django.core.management import CommandError, call_command

from onewindow import roles
from onewindow.models import User

pytestmark = pytest.mark.django_db


def test_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="Отказано: DEBUG выключен"):
        call_command("bootstrap_demo")
    assert not User.objects.exists()


def test_creates_one_user_per_role_with_known_passwords(settings, capsys):
    settings.DEBUG = True
    call_command("bootstrap_demo")
    call_command("bootstrap_demo")  # twice: updates, never duplicates
    out = capsys.readouterr().out
    for role in roles.ALL_ROLES:
        assert User.objects.filter(groups__name=role).exists(), role
        assert role in out
    specialist = User.objects.get(username="specialist")
    assert specialist.check_password("specialist-demo")
    assert specialist.has_role(roles.SPECIALIST)
    assert specialist.office.code == "krasnooktyabrsky"
    assert User.objects.filter(username="specialist").count() == 1
    assert "specialist   / specialist-demo" in out


def test_force_works_with_debug_off(settings):
    settings.DEBUG = False
    call_command("bootstrap_demo", "--force")
    assert User.objects.get(username="director").has_role(roles.DIRECTOR)
