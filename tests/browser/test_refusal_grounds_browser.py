"""Issue 17 in the browser: the chief (who holds `cases.decide_application`) refuses on the
regulation's grounds — ticks a ground with its clause, explains, confirms — and the notice of the
refusal cites the clause."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from cases.models import Application
from tests.browser.a11y import TAGS, readable
from tests.browser.conftest import download, login
from tests.catalogue import ACT_CITED, GROUNDS, decision_service, in_review_application
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chief_refuses_on_a_ground_and_the_notice_cites_its_clause(
    page, live_server, specialist, chief, office, catalogue
):
    application = in_review_application(
        decision_service(grounds=GROUNDS), specialist, office, "Отказова"
    )
    login(page, live_server, "chief", PASSWORD)
    expect(page.get_by_role("navigation", name="Разделы")).to_be_visible()  # signed in
    page.goto(live_server.url + reverse("cases:application", args=[application.pk]))
    page.wait_for_load_state()
    refuse = page.locator(
        "form.transition", has=page.get_by_role("button", name="Решение: отказать")
    )
    grounds = refuse.get_by_role("group", name="Основания отказа по регламенту")
    expect(grounds.get_by_role("checkbox")).to_have_count(2)
    page.wait_for_load_state("networkidle")
    result = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}
    )
    assert not result.response["violations"], readable(page.url, result.response["violations"])

    # without a ground the refusal is not recorded, and the page says what is missing
    refuse.get_by_label("Пояснение (по каким документам, сведениям)").fill("доход выше порога")
    refuse.get_by_role("button", name="Решение: отказать").click()
    expect(
        page.get_by_text("Отметьте хотя бы одно основание отказа из регламента услуги")
    ).to_be_visible()
    assert Application.objects.get(pk=application.pk).status == "in_review"

    refuse = page.locator(
        "form.transition", has=page.get_by_role("button", name="Решение: отказать")
    )
    refuse.get_by_role("checkbox", name="п. 2.9.1 — отсутствие права на пособие").check()
    refuse.get_by_label("Пояснение (по каким документам, сведениям)").fill(
        "среднедушевой доход выше прожиточного минимума"
    )
    refuse.get_by_role("button", name="Решение: отказать").click()
    expect(page.locator("dd", has_text="решение: отказано")).to_be_visible()
    expect(page.get_by_text("п. 2.9.1 — отсутствие права на пособие")).to_be_visible()
    expect(
        page.locator("dd", has_text="среднедушевой доход выше прожиточного минимума")
    ).to_be_visible()
    decided = Application.objects.get(pk=application.pk)
    assert [(g["clause"], g["text"]) for g in decided.refusal_grounds] == [
        ("п. 2.9.1", "отсутствие права на пособие")
    ]

    text = download(page, "Уведомление о решении")
    assert f"Основание отказа: пункт 2.9.1 {ACT_CITED}: «отсутствие права на пособие»." in text
    assert "Пояснение: среднедушевой доход выше прожиточного минимума" in text
