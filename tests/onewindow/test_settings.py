"""Settings read from the environment: run manage.py in a clean subprocess per case."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from onewindow.settings import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], "
    "'name': str(s.DATABASES['default']['NAME']), 'eager': s.CELERY_TASK_ALWAYS_EAGER, "
    "'debug': s.DEBUG, 'secure': s.SESSION_COOKIE_SECURE, 'lang': s.LANGUAGE_CODE, "
    "'tz': s.TIME_ZONE, 'use_tz': s.USE_TZ, 'hosts': s.ALLOWED_HOSTS, "
    "'idle': s.SESSION_COOKIE_AGE}))"
)


def run_settings(tmp_path, **env) -> dict:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "DEBUG", "SECRET_KEY", "HTTPS"}
    }
    base.update({"DJANGO_SETTINGS_MODULE": "onewindow.settings", "VAR_DIR": str(tmp_path)})
    base.update(env)
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_defaults_are_a_local_sqlite_file_and_eager_celery(tmp_path):
    s = run_settings(tmp_path)
    assert s["engine"] == "django.db.backends.sqlite3"
    assert s["name"] == str(tmp_path / "onewindow.sqlite3")
    assert s["eager"] is True
    assert s["debug"] is False
    assert s["secure"] is False
    assert (s["lang"], s["tz"], s["use_tz"]) == ("ru", "Europe/Volgograd", True)
    assert s["idle"] == 1800
    # A local secret key is generated once and kept out of the repository.
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_database_url_and_broker_switch_to_postgres_and_a_real_worker(tmp_path):
    s = run_settings(
        tmp_path,
        DATABASE_URL="postgres://ow:pw@db.example:5432/onewindow",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
        ALLOWED_HOSTS="ow.example.ru, ow2.example.ru",
        SESSION_IDLE_MINUTES="10",
    )
    assert s["engine"] == "django.db.backends.postgresql"
    assert s["name"] == "onewindow"
    assert s["eager"] is False
    assert s["hosts"] == ["ow.example.ru", "ow2.example.ru"]
    assert s["idle"] == 600


def test_production_values_pass_check_deploy(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="onewindow.settings",
        VAR_DIR=str(tmp_path),
        DEBUG="0",
        HTTPS="1",
        SECRET_KEY="x7#Lq9-производство-" + "k" * 50,
        ALLOWED_HOSTS="onewindow.example.ru",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_env_helpers_parse_and_refuse_with_russian_messages(monkeypatch):
    monkeypatch.setenv("X_BOOL", "да")
    assert env_bool("X_BOOL") is True
    monkeypatch.setenv("X_BOOL", "0")
    assert env_bool("X_BOOL", True) is False
    monkeypatch.setenv("X_BOOL", "")
    assert env_bool("X_BOOL", True) is True
    monkeypatch.setenv("X_BOOL", "может быть")
    with pytest.raises(ImproperlyConfigured, match="X_BOOL: ожидается 1/0"):
        env_bool("X_BOOL")
    monkeypatch.setenv("X_INT", "тридцать")
    with pytest.raises(ImproperlyConfigured, match="X_INT: ожидается целое число"):
        env_int("X_INT", 30)
    monkeypatch.setenv("X_LIST", " a, ,b ")
    assert env_list("X_LIST", []) == ["a", "b"]
