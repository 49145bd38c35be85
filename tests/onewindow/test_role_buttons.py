"""A button shown is a button that works, across the whole site: for every role, starting from
its home page and «Мои дела», every page it is shown a link to is opened and every form it is
shown is submitted as it stands (each POST rolled back); none may answer 403, 404, 405 or fail.
One request per kind of page and action keeps the walk short (the archive's own walk,
tests/archive/test_role_buttons.py, follows every archive action in every state)."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from cases import services as counter
from cases import transfers
from cases.models import Application
from onewindow.assignments import give_assignment
from reconciliation.models import AmbiguousRow, ExtractProfile, ReconciliationRun
from tests.archive.test_role_buttons import archive_in_every_state  # noqa: F401
from tests.browser.test_work_and_decisions import _registered
from tests.factories import ApplicantFactory
from tests.onewindow.test_my_work import _incoming, _outgoing, _selection
from tests.walk import walk_pages

pytestmark = pytest.mark.django_db

SKIP_PREFIXES = ("/logout", "/login", "/admin/", "/static/", "/healthz", "/password")


def site_path(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.netloc not in {"", "testserver"} or not parts.path.startswith("/"):
        return None
    if parts.path.startswith(SKIP_PREFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def walk_site(client, user) -> dict:
    def key(method, path, data, match):
        step = data.get("step", "") or data.get("action", "")
        # a list's tabs (`?kind=…`) are different lists: each is walked
        tab = parse_qs(urlsplit(path).query).get("kind", [""])[0] if method == "GET" else ""
        return (method, match.view_name, step, tuple(sorted(match.kwargs)), tab)

    result = walk_pages(client, user, keep=site_path, key=key)
    return {
        "reached": {(m, match.view_name) for m, match, _ in result["visited"]},
        "failed": result["failed"],
    }


@pytest.fixture
def office_at_work(
    office,
    other_office,
    specialist,
    chief,
    other_specialist,
    catalogue,
    archive_in_every_state,  # noqa: F811
):
    """A working office: applications in every step with their requests, a measure, a decided
    application to notify, requests in and out, selection items and an ambiguous row, a
    case-file transfer asked of this office, and the archive in every state."""
    accepted = _registered(specialist, office, "Принятова")
    give_assignment(actor=chief, assignee=specialist, text="Проверить комплект документов",
                    days=3, about=accepted)  # fmt: skip
    decided = _registered(specialist, office, "Решенова")
    for step in ("transfer", "review"):
        counter.transition(decided, step, actor=specialist)
    counter.transition(decided, "grant", actor=chief, override_reason="ответ получен")
    _incoming(specialist, office, "Запросова")
    _outgoing(specialist, office, other_office, "Исходящева")
    item = _selection(specialist, office, "Селекцова")
    row = AmbiguousRow.objects.create(
        office=office, run=item.run, row_number=3, step="name_dob",
        data={"name": "Двойникова Анна", "birth_date": "1990-05-01"},
    )  # fmt: skip
    row.candidates.set(
        [ApplicantFactory(office=office, snils="", last_name="Двойникова") for _ in range(2)]
    )
    ApplicantFactory(office=office, snils="12345678964", last_name="Переездова")
    transfers.request_transfer(
        snils="12345678964", stated_name="Переездова Иван Иванович",
        stated_birth_date=datetime.date(1950, 3, 15), reason="переезд", actor=other_specialist,
    )  # fmt: skip
    assert Application.objects.filter(pk__in=[accepted.pk, decided.pk]).count() == 2
    assert ReconciliationRun.objects.exists() and ExtractProfile.objects.exists()


# What each role must at least reach, so the walk cannot pass by reaching nothing.
EXPECTED = {
    "specialist": {("GET", "cases:counter"), ("GET", "cases:application"), ("GET", "cases:interagency"),
                   ("GET", "reconciliation:item"), ("GET", "cases:requests"), ("GET", "cases:journal"),
                   ("GET", "assignment"), ("POST", "assignment_done")},
    "chief": {("GET", "cases:transfer"), ("POST", "cases:transfer_decide"), ("GET", "access_log"),
              ("GET", "reconciliation:worklist"), ("GET", "archive:acts"), ("GET", "assignments"),
              ("GET", "assignment_new"), ("POST", "assignment_new"), ("GET", "assignment"),
              ("POST", "assignment_reassign"), ("POST", "assignment_cancel")},
    "director": {("GET", "cases:journal"), ("GET", "archive:acts"), ("GET", "access_log"),
                 ("GET", "assignments"), ("GET", "assignment")},
    "archivist": {("GET", "archive:list"), ("GET", "archive:acts")},
    "reg_admin": {("GET", "services:list")},
}  # fmt: skip


@pytest.mark.parametrize("role", list(EXPECTED))
def test_every_button_a_role_is_shown_works_for_it(client, request, role, office_at_work):
    user = request.getfixturevalue(role)
    result = walk_site(client, user)
    assert result["failed"] == [], "\n".join(result["failed"])
    assert EXPECTED[role] <= result["reached"], EXPECTED[role] - result["reached"]
