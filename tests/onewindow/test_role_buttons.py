"""A button shown is a button that works, across the whole site: for every role, starting from
its home page and «Мои дела», every page it is shown a link to is opened and every form it is
shown is submitted as it stands (each POST rolled back); none may answer 403, 404, 405 or fail.
One request per kind of page and action keeps the walk short (the archive's own walk,
tests/archive/test_role_buttons.py, follows every archive action in every state)."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.walk import ROLE_REACHES, site_path, walk_pages

pytestmark = pytest.mark.django_db


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


@pytest.mark.parametrize("role", list(ROLE_REACHES))
def test_every_button_a_role_is_shown_works_for_it(client, request, role, office_at_work):
    user = request.getfixturevalue(role)
    result = walk_site(client, user)
    assert result["failed"] == [], "\n".join(result["failed"])
    assert ROLE_REACHES[role] <= result["reached"], ROLE_REACHES[role] - result["reached"]
