"""Issue 13, item 2: a button shown is a button that works. For every role, every archive page the
role can reach from its navigation is rendered, every link and form on it that leads into the
archive is followed as that role (forms submitted with what they carry, each POST rolled back),
and none may answer «Недостаточно прав» (403) or fail."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from archive import services
from archive.models import FileIssue, Location, RetentionRule
from cases.services import ensure_case_file
from onewindow import roles
from tests.factories import ApplicantFactory, make_user
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


@pytest.fixture
def archive_in_every_state(office, archivist, chief, director, specialist, catalogue):
    """Files in the archive, issued (overdue), returned into work; a presence check in progress
    and a finished one; destruction acts in every state."""
    room = Location.objects.create(office=office, kind="room", name="1")
    box = Location.objects.create(office=office, kind="box", name="К-1", parent=room)
    rule = RetentionRule.objects.get(code="benefit-recipient")

    def archived(name, event=None):
        event = event or D(2019, 6, 1)
        case_file = ensure_case_file(
            ApplicantFactory(office=office, snils="", last_name=name),
            actor=archivist,
            on=D(2015, 1, 1),
        )
        return services.register_file(case_file, {"archive_number": name, "start_date": D(2015, 1, 1),
                                                  "end_date": event, "sheets": 3, "location": box,
                                                  "retention_rule": rule}, actor=archivist)  # fmt: skip

    def act(steps):
        made = services.draft_act(actor=archivist, act_date=timezone.localdate())
        if steps > 0:
            services.agree_act(
                made, actor=chief, protocol_number="4", protocol_date=D(2026, 11, 20)
            )
        if steps > 1:
            services.approve_act(made, actor=director)
        if steps > 2:
            services.execute_act(
                made, actor=archivist, record={"method": "shredding", "volume": "2 кг"}
            )
        return made

    # an act takes every eligible file at its drafting: files are added one act at a time
    for steps, name in [
        (3, "Уничтоженов"),
        (2, "Утверждёнов"),
        (1, "Согласованов"),
        (0, "Проектов"),
    ]:
        archived(name)
        act(steps)
    archived("Хранимов", D(2024, 6, 1))
    issued = archived("Выданов", D(2024, 6, 1))
    issue = services.issue_file(issued, actor=archivist, to_user=specialist, purpose="проверка")
    FileIssue.objects.filter(pk=issue.pk).update(due_back=D(2026, 11, 20))  # overdue
    services.withdraw_file(archived("Вернулов", D(2024, 6, 1)), actor=archivist, reason="заявление")
    services.compile_inventory(actor=archivist, year=2024, group="short")  # a saved опись
    members = [archivist, chief, make_user(roles.SPECIALIST, office, "member3")]
    services.start_check(
        actor=archivist, order_number="1", order_date=D(2026, 11, 2), commission=members
    )
    done = services.start_check(actor=archivist, order_number="2", order_date=D(2026, 11, 3),
                                commission=members)  # fmt: skip
    for item in done.items.select_related("archived_file"):
        services.scan(done, item.archived_file.archive_number, actor=archivist)
    services.finish_check(done, actor=archivist)


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
