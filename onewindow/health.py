"""/healthz: database, broker and worker status as JSON (HTTP 503 when anything is down)."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from kombu import Connection

from onewindow.celery import app as celery_app


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"status": "ok", "vendor": connection.vendor}
    except Exception as exc:
        return {"status": "down", "error": str(exc)[:300]}


def check_broker() -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {
            "status": "ok",
            "mode": "eager",
            "detail": "брокер не настроен, задачи выполняются сразу",
        }
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return {"status": "ok", "mode": "broker"}
    except Exception as exc:
        return {"status": "down", "mode": "broker", "error": str(exc)[:300]}


def check_workers(timeout: float | None = None) -> dict:
    """Ask the workers to answer a ping through the broker: the live heartbeat of each worker."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"status": "ok", "mode": "eager", "workers": []}
    timeout = settings.HEALTHZ_WORKER_TIMEOUT if timeout is None else timeout
    try:
        replies = celery_app.control.ping(timeout=timeout) or []
    except Exception as exc:
        return {"status": "down", "workers": [], "error": str(exc)[:300]}
    workers = sorted(name for reply in replies for name in reply)
    if not workers:
        return {"status": "down", "workers": [], "error": "ни один обработчик не ответил"}
    return {"status": "ok", "workers": workers}


@never_cache
def healthz(request):
    checks = {"database": check_database(), "broker": check_broker()}
    if checks["broker"]["status"] == "ok":
        checks["worker"] = check_workers()
    else:
        checks["worker"] = {"status": "down", "workers": [], "error": "брокер недоступен"}
    healthy = all(check["status"] == "ok" for check in checks.values())
    body = {"status": "ok" if healthy else "down", **checks}
    return JsonResponse(
        body, status=200 if healthy else 503, json_dumps_params={"ensure_ascii": False}
    )
