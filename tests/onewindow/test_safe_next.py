"""Issue 14, item 4: no `next` sends a user off the site."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from onewindow.http import safe_next
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

EVIL = ["https://evil.example/", "//evil.example", "/\\evil.example", "http://evil.example", "\\\\evil.example"]  # fmt: skip


@pytest.mark.parametrize("target", EVIL)
def test_safe_next_refuses_another_host(target):
    request = RequestFactory().post("/x/", {"next": target})
    assert safe_next(request, "home") == reverse("home")
    request = RequestFactory().get("/x/", {"next": target})
    assert safe_next(request, "/fallback/") == "/fallback/"


def test_safe_next_keeps_a_path_of_this_site_and_refuses_http_from_https():
    request = RequestFactory().post("/x/", {"next": "/reconciliation/?status=open"})
    assert safe_next(request, "home") == "/reconciliation/?status=open"
    request = RequestFactory().post("/x/", {"next": "http://testserver/cases/"}, secure=True)
    assert safe_next(request, "home") == reverse("home")


@pytest.mark.parametrize("target", EVIL)
def test_bulk_work_out_does_not_follow_a_foreign_next(client, chief, target):
    client.force_login(chief)
    response = client.post(reverse("reconciliation:bulk"), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("reconciliation:worklist")


def test_bulk_work_out_returns_to_the_filtered_worklist(client, chief):
    client.force_login(chief)
    back = reverse("reconciliation:worklist") + "?status=open&kind=death"
    response = client.post(reverse("reconciliation:bulk"), {"next": back})
    assert response["Location"] == back


@pytest.mark.parametrize("target", EVIL)
def test_login_does_not_follow_a_foreign_next(client, specialist, target):
    response = client.post(
        reverse("login") + "?next=" + target,
        {"username": "specialist", "password": PASSWORD, "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


@pytest.mark.parametrize("target", EVIL)
def test_logout_does_not_follow_a_foreign_next(client, specialist, target):
    client.force_login(specialist)
    response = client.post(reverse("logout"), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("login")


def test_every_view_reads_next_through_safe_next():
    """A new view reading `next` by hand would reopen the redirect: only the helper reads it."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    pattern = re.compile(r"""(GET|POST|REQUEST)(\.get\(|\[)\s*["']next["']""")
    offenders = [
        str(path.relative_to(root))
        for app in ("onewindow", "cases", "services", "archive", "reconciliation")
        for path in (root / app).rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
