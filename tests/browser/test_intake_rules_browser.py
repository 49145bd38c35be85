"""A specialist walks the counter for a service whose regulation says more than a flat
checklist (issue 17): a «one of» group, a per-member line, a dated income certificate and a
window to apply. An expired certificate is refused on the page; a valid intake is registered
and its receipt says what was taken."""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from cases.models import Application
from tests.browser.a11y import TAGS
from tests.browser.conftest import login, open_section
from tests.catalogue import BIRTH, load
from tests.conftest import PASSWORD
from tests.factories import ApplicantFactory
from tests.pdf_utils import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_specialist_takes_a_birth_allowance_with_a_group_a_family_and_dated_documents(
    page, live_server, specialist, office, catalogue
):
    load(BIRTH)
    ApplicantFactory(office=office, snils="11223344595")
    login(page, live_server, "specialist", PASSWORD)
    open_section(page, "Приём")
    page.get_by_role("searchbox", name="Поиск заявителя").fill("112-233-445 95")
    page.locator("#results").get_by_role("link", name="Иванов Иван Иванович").click()
    expect(page.get_by_role("heading", name="Иванов Иван Иванович")).to_be_visible()
    page.wait_for_load_state()
    page.keyboard.press("Alt+Z")
    page.get_by_role("searchbox", name="Поиск услуги").fill("рождении")
    page.get_by_role("link", name="Пособие при рождении (приём)").click()
    expect(page.get_by_role("heading", name="Пособие при рождении (приём)")).to_be_visible()
    page.wait_for_load_state()

    # who applies: the category, the family, the child's birth date
    page.get_by_label("Категория заявителя").select_option("родители")
    page.get_by_label("Детей в семье").fill("3")
    page.get_by_label("Совершеннолетних членов семьи (вместе с заявителем)").fill("2")
    page.get_by_label("Дата рождения ребёнка").fill("2026-10-01")

    rows = page.locator("table.checklist tbody tr")
    births = rows.filter(has_text="Свидетельство о рождении ребёнка")
    income = rows.filter(has_text="Справка о доходах")
    expect(births).to_contain_text("на каждого ребёнка: 3 документа")
    expect(income).to_contain_text("на каждого совершеннолетнего члена семьи: 2 документа")
    # lines for other categories and for a representative are greyed and need no mark
    student = rows.filter(has_text="Справка с места учёбы")
    expect(student).to_contain_text("не требуется: только для категорий: студенческие семьи")
    expect(student.get_by_label("не требуется")).to_be_checked()
    attorney = rows.filter(has_text="Доверенность")
    expect(attorney.get_by_label("не требуется")).to_be_checked()
    # a representative makes the power of attorney needed, and «лично» greys it again
    page.get_by_text("Заявление подаёт представитель").click()
    page.get_by_label("Кто подаёт").select_option("proxy")
    expect(attorney.get_by_label("не требуется")).not_to_be_checked()
    expect(attorney).not_to_contain_text("не требуется: заявитель обращается лично")
    page.get_by_label("Кто подаёт").select_option("")
    expect(attorney.get_by_label("не требуется")).to_be_checked()

    # one of the group: the passport brought makes the temporary card «не требуется»
    expect(
        page.get_by_text("Один из документов: документ, удостоверяющий личность")
    ).to_be_visible()
    passport = rows.filter(has_text="Паспорт гражданина Российской Федерации")
    passport.get_by_label("представлен", exact=True).check()
    passport.locator("input.sheets").fill("2")
    card = rows.filter(has_text="Временное удостоверение личности")
    expect(card.get_by_label("не требуется")).to_be_checked()

    births.get_by_label("запрашивает учреждение").check()
    income.get_by_label("представлен", exact=True).check()
    income.locator("input.sheets").fill("2")
    income.get_by_label("Дата выдачи (самого раннего)").fill("2026-07-01")  # too old
    page.get_by_role("button", name="Зарегистрировать заявление").click()

    expect(
        page.get_by_text(
            "«Справка о доходах» от 01.07.2026: документ должен быть выдан не ранее 24.08.2026 "
            "(не ранее чем за 3 месяца до обращения). Попросите заявителя представить новый."
        )
    ).to_be_visible()
    assert not Application.objects.exists()
    page.screenshot(path="/tmp/screens-intake-refused.png", full_page=True)
    # the groups, the greyed lines and the errors are as accessible as the rest of the counter
    violations = (
        Axe()
        .run(
            page,
            options={"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]},
        )
        .response["violations"]
    )
    assert not violations, [
        (v["id"], [n["html"][:120] for n in v["nodes"][:3]]) for v in violations
    ]

    # a newer certificate: what was typed is kept, the group stays satisfied
    page.wait_for_load_state()
    income = page.locator("table.checklist tbody tr").filter(has_text="Справка о доходах")
    income.get_by_label("Дата выдачи (самого раннего)").fill("2026-10-01")
    expect(card.get_by_label("не требуется")).to_be_checked()
    page.get_by_role("button", name="Зарегистрировать заявление").click()

    expect(page.get_by_text("зарегистрировано. Срок решения — 24.12.2026")).to_be_visible()
    application = Application.objects.get()
    documents = {d.document_type.code: d for d in application.documents.all()}
    assert documents["birth-certificate"].quantity == 3
    assert documents["temp-id-card"].status == "not_required"

    with page.expect_download() as download_info:
        page.evaluate(
            "url => { const a = document.createElement('a'); a.href = url; a.download = 'r.pdf'; document.body.appendChild(a); a.click(); }",
            page.get_by_role("link", name="Печать расписки").get_attribute("href"),
        )
    text = pdf_text(Path(download_info.value.path()).read_bytes())
    assert f"Регистрационный № {application.number_display}" in text
    assert "один из документов: документ, удостоверяющий личность" in text
    assert (
        "Справка о доходах 2 шт. (на каждого совершеннолетнего члена семьи); дата выдачи 01.10.2026"
        in text
    )
    assert "— 3 шт. (на каждого ребёнка)" in text
    assert "до 24.12.2026 (30 календарных дней со дня регистрации заявления)" in text
