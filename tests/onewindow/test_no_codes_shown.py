"""No technical codes in front of users: every page each role reaches over a working office
(applications in every step, requests, selections, the archive in every state, the catalogue
loaded) is read as a person reads it — tags stripped, link targets and form values ignored — and
may show no service code, no match-step code and no file path of the catalogue."""

import re
from html.parser import HTMLParser

import pytest

from services.models import Service
from tests.walk import ROLE_REACHES, site_path, walk_pages

pytestmark = pytest.mark.django_db

STEP_CODES = ["snils", "name_dob", "probable", "snils_only", "chosen"]
PATH_MARKS = ["fixtures/", "catalogue"]
# attributes a person reads (a tooltip, a placeholder, what a screen reader says)
SHOWN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}


class VisibleText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self.hidden += 1
        self.parts += [value for name, value in attrs if name in SHOWN_ATTRIBUTES and value]

    def handle_endtag(self, tag):
        if tag in {"script", "style"} and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def test_visible_text_ignores_tags_and_link_targets():
    html = '<a href="/s/asp/" title="Пособие">АСП</a><input value="snils"><script>x="asp"</script>'
    assert visible_text(html) == "Пособие АСП"


@pytest.mark.parametrize("role", list(ROLE_REACHES))
def test_no_page_shows_a_service_code_or_a_step_code(client, request, role, office_at_work):
    codes = list(Service.objects.values_list("code", flat=True))
    assert "edv-veterans" in codes
    pattern = re.compile(
        r"(?<![\w/-])(" + "|".join(map(re.escape, codes + STEP_CODES)) + r")(?![\w-])"
        r"|" + "|".join(map(re.escape, PATH_MARKS))
    )
    found, pages = [], []

    def look(path, response):
        pages.append(path)
        text = visible_text(response.content.decode())
        for match in pattern.finditer(text):
            context = text[max(match.start() - 40, 0) : match.end() + 40]
            found.append(f"{path}: «{match.group(0)}» in …{context}…")

    def key(method, path, data, match):
        if method != "GET":
            return None  # reading is enough here
        return (match.view_name, tuple(sorted(match.kwargs)), tuple(sorted(data)))

    user = request.getfixturevalue(role)
    result = walk_pages(client, user, keep=site_path, key=key, on_page=look)
    assert len(pages) > 5 and not result["failed"], result["failed"]
    assert found == [], "\n".join(found)
