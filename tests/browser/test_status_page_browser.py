"""Issue 23, item 7 in the browser: a citizen scans the receipt's QR code with a phone and sees
the state of the application without signing in; a mistyped code gets the neutral answer."""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from cases import printing
from tests.browser.a11y import TAGS, readable
from tests.factories import ApplicantFactory, ApplicationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/status-shots")
PHONE = {"width": 390, "height": 844}


def no_wcag_violations(page) -> None:
    result = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}
    )
    violations = result.response["violations"]
    assert not violations, readable(page.url, violations)


def test_visitor_opens_the_qr_link_and_a_mistyped_code_finds_nothing(
    page, live_server, specialist, office, catalogue
):
    person = ApplicantFactory(office=office, last_name="Телефонова", first_name="Алла", sex="F")
    application = ApplicationFactory(actor=specialist, applicant=person)
    request = application.interagency_requests.select_related("document").first()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(PHONE)

    # what the receipt's QR code holds, opened on a phone: no login asked
    page.goto(live_server.url + printing.status_page_url(application))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Документы приняты, заявление зарегистрировано"
    )
    expect(page.get_by_text(f"до {application.deadline:%d.%m.%Y}")).to_be_visible()
    expect(page.locator("#requested")).to_contain_text(request.document.title)
    expect(page.get_by_text("Телефонова")).to_have_count(0)
    assert "/login/" not in page.url
    # the phone's screen is not wider than the page
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    no_wcag_violations(page)
    page.screenshot(path=str(SHOTS / "status-found.png"), full_page=True)

    # another receipt typed in by hand, with one sign of the code wrong
    wrong = ("B" if application.status_code[0] != "B" else "C") + application.status_code[1:]
    page.get_by_label("Номер расписки").fill(application.number_display)
    page.get_by_label("Код с расписки").fill(f"{wrong[:4]}-{wrong[4:]}")
    with page.expect_navigation():
        page.get_by_role("button", name="Узнать состояние").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Заявление не найдено. Проверьте номер расписки и код."
    )
    expect(page.get_by_text("Документы приняты")).to_have_count(0)
    no_wcag_violations(page)
    page.screenshot(path=str(SHOTS / "status-not-found.png"), full_page=True)

    # typed right, in small letters, the page answers
    page.get_by_label("Код с расписки").fill(application.status_code.lower())
    with page.expect_navigation():
        page.get_by_role("button", name="Узнать состояние").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Документы приняты, заявление зарегистрировано"
    )
