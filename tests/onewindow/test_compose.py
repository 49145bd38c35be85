"""No Docker engine runs here, so check the compose stack against the code instead: every
service's command must point at real modules, apps, settings and management commands."""

import importlib
import re
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES = COMPOSE["services"]
APP_SERVICES = ["migrate", "web", "worker", "beat"]


def test_stack_has_every_production_service():
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(SERVICES)


@pytest.mark.parametrize("name", ["postgres", "redis", "web", "worker", "beat"])
def test_long_running_services_have_healthchecks_and_restart(name):
    service = SERVICES[name]
    assert service["healthcheck"]["test"]
    assert service["restart"] == "unless-stopped"


def test_depends_on_names_real_services():
    for name, service in SERVICES.items():
        for dependency in service.get("depends_on", {}):
            assert dependency in SERVICES, f"{name} зависит от неизвестного сервиса {dependency}"


def test_named_volumes_are_declared():
    declared = set(COMPOSE["volumes"])
    for service in SERVICES.values():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if not source.startswith((".", "/")):
                assert source in declared


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_use_our_settings_and_real_backing_services(name):
    env = SERVICES[name]["environment"]
    settings_module = importlib.import_module(env["DJANGO_SETTINGS_MODULE"])
    assert settings_module.ROOT_URLCONF == "onewindow.urls"
    assert env["DEBUG"] == "0"
    assert (
        env["DATABASE_URL"].startswith("postgres://") and "@postgres:5432/" in env["DATABASE_URL"]
    )
    assert env["CELERY_BROKER_URL"] == "redis://redis:6379/0"
    assert "postgres" in SERVICES[name]["depends_on"] and "redis" in SERVICES[name]["depends_on"]


def test_web_command_points_at_the_wsgi_application():
    command = SERVICES["web"]["command"]
    assert command[0] == "gunicorn"
    module, attr = command[1].split(":")
    assert callable(getattr(importlib.import_module(module), attr))


@pytest.mark.parametrize("name,subcommand", [("worker", "worker"), ("beat", "beat")])
def test_celery_commands_point_at_the_celery_app(name, subcommand):
    command = SERVICES[name]["command"]
    assert command[:3] == ["celery", "-A", "onewindow"]
    assert command[3] == subcommand
    from celery import Celery

    assert isinstance(importlib.import_module("onewindow").celery_app, Celery)


def test_manage_py_commands_exist():
    command = SERVICES["migrate"]["command"]
    text = " ".join(command)
    for subcommand in re.findall(r"manage\.py (\w+)", text):
        assert subcommand in get_commands(), subcommand


def test_dockerfile_installs_the_lock_fonts_and_runs_gunicorn():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "FROM python:3.11" in dockerfile
    assert "pip install --no-cache-dir -r requirements.lock" in dockerfile
    assert "fonts-liberation2" in dockerfile
    assert '"onewindow.wsgi:application"' in dockerfile
    assert SERVICES["web"]["build"] == "."
