import json

import pytest
from django.urls import reverse

from onewindow.celery import app as celery_app

pytestmark = pytest.mark.django_db


def get_health(client):
    response = client.get(reverse("healthz"))
    return response.status_code, json.loads(response.content)


def test_healthz_in_eager_mode_reports_database_and_no_broker_needed(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    status, body = get_health(client)
    assert status == 200
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert body["broker"]["mode"] == "eager"
    assert body["worker"]["mode"] == "eager"


def test_healthz_reports_a_stopped_worker_as_down(client, settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr("onewindow.health.check_broker", lambda: {"status": "ok"})
    # A stopped worker answers no ping.
    monkeypatch.setattr(celery_app.control, "ping", lambda timeout: [])
    status, body = get_health(client)
    assert status == 503
    assert body["status"] == "down"
    assert body["worker"]["status"] == "down"
    assert body["worker"]["error"] == "ни один обработчик не ответил"
    assert body["database"]["status"] == "ok"


def test_healthz_lists_the_workers_that_answer(client, settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr("onewindow.health.check_broker", lambda: {"status": "ok"})
    monkeypatch.setattr(
        celery_app.control, "ping", lambda timeout: [{"celery@counter1": {"ok": "pong"}}]
    )
    status, body = get_health(client)
    assert status == 200
    assert body["worker"] == {"status": "ok", "workers": ["celery@counter1"]}


def test_healthz_reports_an_unreachable_broker_as_down(client, settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    status, body = get_health(client)
    assert status == 503
    assert body["broker"]["status"] == "down"
    assert body["worker"]["status"] == "down"
