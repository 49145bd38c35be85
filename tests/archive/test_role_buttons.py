"""Issue 13, item 2: a button shown is a button that works. For every role, every archive page the
role can reach from its navigation is rendered, every link and form on it that leads into the
archive is followed as that role (forms submitted with what they carry, each POST rolled back),
and none may answer «Недостаточно прав» (403) or fail."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from tests.walk import walk_pages

pytestmark = pytest.mark.django_db
D = datetime.date


def archive_path(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.netloc not in {"", "testserver"} or not parts.path.startswith("/archive/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def walk(client, user) -> dict:
    """Every archive page and action the user is shown, followed. Returns what was reached and
    what failed: {"reached": {(method, url_name, step)}, "failed": [...]}."""
    pdf_names = set()

    def key(method, path, data, match):
        if (
            match.url_name.endswith("pdf")
            or path.split("?")[0].endswith(".pdf")
            or "format=" in path
        ):
            if (method, match.url_name) in pdf_names:  # one print of each kind is enough
                return None
            pdf_names.add((method, match.url_name))
        return (method, path, tuple(sorted(data.items())) if method == "POST" else ())

    result = walk_pages(client, user, keep=archive_path, key=key)
    reached = {(m, match.url_name, data.get("step", "")) for m, match, data in result["visited"]}
    return {"reached": reached, "failed": result["failed"]}


# What each role must at least reach, so the walk cannot pass by reaching nothing.
EXPECTED = {
    "archivist": {("GET", "acts", ""), ("POST", "acts", ""), ("POST", "act", "execute"),
                  ("POST", "issue_file", ""), ("POST", "issue", ""), ("POST", "withdraw_file", ""),
                  ("POST", "check_scan", ""), ("POST", "check_finish", ""), ("GET", "act_pdf", ""),
                  ("GET", "pd_act_pdf", ""), ("POST", "register", ""), ("POST", "locations", ""),
                  ("POST", "inventory", ""), ("GET", "inventory_pdf", ""), ("GET", "inventory_xlsx", ""),
                  ("GET", "cover", ""), ("GET", "label", ""), ("GET", "card", "")},
    "chief": {("GET", "acts", ""), ("GET", "act", ""), ("POST", "act", "agree"), ("GET", "act_pdf", ""),
              ("GET", "inventory", ""), ("GET", "inventory_pdf", ""), ("GET", "check_act", ""),
              ("GET", "issue", "")},
    "director": {("GET", "acts", ""), ("GET", "act", ""), ("POST", "act", "approve"),
                 ("GET", "pd_act_pdf", ""), ("GET", "locations", "")},
    "specialist": {("GET", "issue", "")},  # the borrower opens the issue from «Мои дела»
    "reg_admin": set(),
}  # fmt: skip


@pytest.mark.parametrize("role", list(EXPECTED))
def test_every_archive_button_a_role_is_shown_works_for_it(
    client, request, role, archive_in_every_state
):
    user = request.getfixturevalue(role)
    result = walk(client, user)
    assert result["failed"] == []
    assert EXPECTED[role] <= result["reached"], EXPECTED[role] - result["reached"]
    # what a role is not shown, it may not do either (and the other way round)
    steps = {step for method, name, step in result["reached"] if name == "act" and method == "POST"}
    assert steps == {"archivist": {"execute"}, "chief": {"agree"}, "director": {"approve"}}.get(
        role, set()
    )


def test_roles_without_the_archive_do_not_see_it(client, specialist, reg_admin):
    for user in (specialist, reg_admin):
        client.force_login(user)
        html = client.get(reverse("home")).content.decode()
        assert 'href="/archive/"' not in html
        assert client.get(reverse("archive:list")).status_code == 403
