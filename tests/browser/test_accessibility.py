"""Accessibility: axe-core (bundled by axe-playwright-python, no network) checks the main pages of
every role against WCAG 2.1 A and AA, on realistic data: an applicant with an application and its
requests, an incoming request, a selection run with items (a probable match among them), an
archive with files in every state, a presence check in progress and destruction acts."""

import datetime
import io
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cases import requests as case_requests
from cases import services as counter
from cases.models import Applicant, Application, IncomingRequest, RequestKind
from onewindow.assignments import give_assignment
from onewindow.models import Assignment
from reconciliation.models import Selection
from services.models import Service
from tests.browser.a11y import TAGS, readable
from tests.browser.conftest import login
from tests.conftest import PASSWORD
from tests.factories import counter_marks
from tests.reconciliation.files import EMPLOYMENT_ROWS, HEADER, write_csv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def realistic_data(specialist, chief, recipients, archive_in_every_state, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.RECONCILIATION_INBOX = tmp_path / "inbox"
    call_command(
        "reconcile",
        str(write_csv(tmp_path / "czn.csv", HEADER, EMPLOYMENT_ROWS)),
        "--source", "czn", "--kind", "employment", stdout=io.StringIO(),
    )  # fmt: skip
    applicant = recipients["a"]
    version = Service.objects.get(code="edv-veterans").version_on(timezone.localdate())
    marks = counter_marks(version)
    application = counter.register_application(
        applicant, version.service, actor=specialist, marks=marks
    )
    give_assignment(actor=chief, assignee=specialist, text="Запросить справку о доходах",
                    days=3, about=application)  # fmt: skip
    kind = RequestKind.objects.get(code="benefit-info")
    case_requests.register_incoming_request(
        **{
            "kind": kind, "sender": "ГКУ ЦСЗН по г. Волжскому", "sender_number": "12-345",
            "sender_date": datetime.date(2026, 11, 16),
            "received_on": datetime.date(2026, 11, 18),
            "subject_name": "Алексеева Анна Петровна", "question": "Сведения о получении ЕДВ",
        },
        actor=specialist,
    )  # fmt: skip
    return {"applicant": applicant}


def pages_of(role: str, data: dict) -> list[str]:
    applicant: Applicant = data["applicant"]
    application = Application.objects.order_by("pk").first()
    incoming = IncomingRequest.objects.order_by("pk").first()
    item = Selection.objects.order_by("pk").first()
    from archive.models import ArchivedFile, DestructionAct, InventoryCheck

    archived = ArchivedFile.objects.filter(status="in_archive").order_by("pk").first()
    check = InventoryCheck.objects.filter(status="in_progress").order_by("pk").first()
    act = DestructionAct.objects.order_by("pk").first()
    counter_pages = [
        reverse("home"),
        reverse("cases:counter"),
        reverse("cases:counter") + "?q=Алексеева",
        reverse("cases:applicant_new"),
        reverse("cases:applicant", args=[applicant.pk]),
        reverse("cases:apply", args=[applicant.pk]),
        reverse("cases:apply_form", args=[applicant.pk, "edv-veterans"]),
        reverse("cases:application", args=[application.pk]),
        reverse("cases:journal"),
        reverse("cases:requests"),
        reverse("cases:incoming_new"),
        reverse("cases:incoming", args=[incoming.pk]),
        reverse("my_work"),
        reverse("reconciliation:worklist") + "?whose=all",
        reverse("reconciliation:item", args=[item.pk]),
        reverse("handovers"),
        reverse("assignment", args=[Assignment.objects.order_by("pk").first().pk]),
    ]
    archive_pages = [
        reverse("home"),
        reverse("archive:list"),
        reverse("archive:file", args=[archived.pk]),
        reverse("archive:register"),
        reverse("archive:inventory"),
        reverse("archive:locations"),
        reverse("archive:checks"),
        reverse("archive:check", args=[check.pk]),
        reverse("archive:check_finish", args=[check.pk]),
        reverse("archive:acts"),
        reverse("archive:act", args=[act.pk]),
    ]
    return {
        "specialist": counter_pages,
        "chief": [
            *counter_pages,
            reverse("access_log"),
            reverse("archive:acts"),
            reverse("assignments"),
            f"{reverse('assignment_new')}?about=cases.application:{application.pk}",
            reverse("cases:journal") + "?all_dates=1&status=open",
            reverse("archive:list") + "?eligible=2026",
        ],
        "archivist": archive_pages,
        "reg_admin": [
            reverse("home"),
            reverse("services:list"),
            reverse("services:detail", args=["edv-veterans"]),
            reverse("services:loads"),
            reverse("services:upload"),
        ],
        "director": [
            reverse("home"),
            reverse("director") + f"?office={applicant.office_id}",
            reverse("cases:journal"),
            reverse("access_log"),
            reverse("archive:acts"),
            reverse("archive:act", args=[act.pk]),
        ],
    }[role]


@pytest.mark.parametrize(
    ("role", "username"),
    [
        ("specialist", "specialist"),
        ("chief", "chief"),
        ("archivist", "archivist"),
        ("reg_admin", "regadmin"),
        ("director", "director"),
    ],
)
def test_main_pages_of_every_role_have_no_wcag_violations(
    page, live_server, request, realistic_data, role, username
):
    request.getfixturevalue(role)
    signed_in(page, live_server, username)
    axe = Axe()
    failures = []
    for url in pages_of(role, realistic_data):
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 200, f"{url}: {response.status}"
        assert "/login/" not in page.url, f"{url}: not signed in"
        page.wait_for_load_state("networkidle")
        result = axe.run(
            page,
            options={"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]},
        )
        if result.response["violations"]:
            failures.append(readable(url, result.response["violations"]))
    if failures:
        pytest.fail("Нарушения WCAG 2.1 A/AA:\n" + "\n".join(failures), pytrace=False)


def signed_in(page, live_server, username: str) -> None:
    login(page, live_server, username, PASSWORD)
    expect(page.get_by_role("navigation", name="Разделы")).to_be_visible()


def luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def rgb(css: str) -> tuple[int, int, int]:
    return tuple(int(v) for v in re.findall(r"\d+", css)[:3])


OUTER_RING = """el => {
    const s = getComputedStyle(el);
    const shadow = s.boxShadow.match(/rgba?\\([^)]*\\)/);
    let bg = null;
    for (let p = el.parentElement; p; p = p.parentElement) {
        const c = getComputedStyle(p).backgroundColor;
        if (c !== "rgba(0, 0, 0, 0)" && c !== "transparent") { bg = c; break; }
    }
    return {outline: s.outlineColor, shadow: shadow ? shadow[0] : null, bg: bg};
}"""


def test_the_focus_ring_stands_out_three_to_one_on_every_background(
    page, live_server, specialist, catalogue
):
    """WCAG 1.4.11: the ring next to the background has at least 3:1 against it — on the page,
    on a card and on the dark header."""
    signed_in(page, live_server, "specialist")
    page.goto(f"{live_server.url}{reverse('cases:applicant_new')}")
    checked = 0
    for locator in (
        page.get_by_label("Фамилия"),  # in a card
        page.get_by_role("navigation", name="Разделы").get_by_role("link", name="Журнал"),
        page.get_by_role("button", name="Выйти"),
    ):
        locator.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # focus by keyboard: :focus-visible
        ring = locator.evaluate(OUTER_RING)
        outer = ring["shadow"] or ring["outline"]
        assert contrast(rgb(outer), rgb(ring["bg"])) >= 3, ring
        checked += 1
    assert checked == 3


def test_checklist_and_journal_do_not_scroll_sideways_at_200_percent(
    page, live_server, realistic_data, specialist
):
    """200 % zoom of a 1280 px window is a 640 px wide viewport."""
    page.set_viewport_size({"width": 640, "height": 800})
    signed_in(page, live_server, "specialist")
    applicant = realistic_data["applicant"]
    for url in (
        reverse("cases:apply_form", args=[applicant.pk, "edv-veterans"]),
        reverse("cases:journal"),
        reverse("cases:applicant_new"),
    ):
        page.goto(f"{live_server.url}{url}")
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{url}: the page scrolls sideways by {overflow} px"
        if "apply" in url:
            page.screenshot(path="/tmp/screens-checklist-200.png", full_page=True)


def test_address_fields_take_the_width_of_the_form(page, live_server, specialist, catalogue):
    signed_in(page, live_server, "specialist")
    page.goto(f"{live_server.url}{reverse('cases:applicant_new')}")
    for label in ("Адрес регистрации", "Адрес фактического проживания", "Кем выдан"):
        box = page.get_by_label(label).bounding_box()
        assert box["width"] >= 400, f"«{label}»: {box['width']:.0f} px"
