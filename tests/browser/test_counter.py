"""A specialist walks the counter: search -> new applicant -> application -> receipt."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from cases.models import Application
from tests.browser.conftest import login, open_section
from tests.conftest import PASSWORD
from tests.pdf_utils import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_specialist_registers_an_applicant_and_prints_the_receipt(
    page, live_server, specialist, catalogue
):
    login(page, live_server, "specialist", PASSWORD)
    open_section(page, "Приём")

    search = page.get_by_role("searchbox", name="Поиск заявителя")
    expect(search).to_be_focused()
    search.fill("112-233-445 95")
    expect(page.locator("#results")).to_contain_text(
        "Никого не найдено по запросу «112-233-445 95»"
    )

    page.wait_for_load_state()
    page.keyboard.press("Alt+N")  # the shortcut shown on screen
    expect(page.get_by_role("heading", name="Новый заявитель")).to_be_visible()
    expect(page.get_by_label("СНИЛС")).to_have_value(
        "112-233-445 95"
    )  # carried over from the search
    page.get_by_label("Фамилия").fill("Иванов")
    page.get_by_label("Имя", exact=True).fill("Иван")
    page.get_by_label("Отчество").fill("Иванович")
    page.get_by_label("мужской").check()
    page.get_by_label("Дата рождения").fill("1950-03-15")
    page.get_by_label("Серия").fill("1804")
    page.get_by_label("Номер", exact=True).fill("123456")
    page.get_by_role("button", name="Зарегистрировать заявителя").click()
    expect(page.get_by_text("Заявитель Иванов Иван Иванович зарегистрирован.")).to_be_visible()

    page.wait_for_load_state()  # the shortcuts' script runs once the page has loaded
    page.keyboard.press("Alt+Z")
    expect(page.get_by_role("heading", name="Новое заявление: выберите услугу")).to_be_visible()
    page.get_by_role("searchbox", name="Поиск услуги").fill("ветеранам")
    expect(page.locator("#services")).to_contain_text("Ежемесячная денежная выплата ветеранам")
    page.get_by_role("link", name="Ежемесячная денежная выплата ветеранам").click()

    expect(
        page.get_by_role("heading", name="Ежемесячная денежная выплата ветеранам")
    ).to_be_visible()
    rows = page.locator("table.checklist tbody tr")
    # nothing is marked in advance: Alt+R at once registers nothing and says why
    expect(rows.first.get_by_label("представлен", exact=True)).not_to_be_checked()
    lines = rows.count()
    page.wait_for_load_state()  # the shortcuts' script runs once the page has loaded
    page.keyboard.press("Alt+R")
    expect(page.get_by_text(f"Не отмечено документов: {lines} из {lines}")).to_be_visible()
    assert not Application.objects.exists()
    # documents other agencies hold are requested by the office; conditional ones do not apply
    for index in range(rows.count()):
        row = rows.nth(index)
        if row.get_by_label("запрашивает учреждение").count():
            expect(row.get_by_label("не представлен", exact=True)).to_have_count(0)
            row.get_by_label("запрашивает учреждение").check()
        elif row.get_by_label("не требуется").count():
            row.get_by_label("не требуется").check()
    passport = rows.filter(has_text="Паспорт гражданина Российской Федерации")
    passport.get_by_label("представлен", exact=True).check()
    passport.locator("input.sheets").fill("2")
    # copies and the returned original, each control named by its column and its document
    passport.get_by_role("spinbutton", name="Экз. Паспорт гражданина Российской Федерации").fill(
        "2"
    )
    passport.get_by_role(
        "checkbox", name="Подлинник возвращён Паспорт гражданина Российской Федерации"
    ).check()
    veteran = rows.filter(has_text="Удостоверение ветерана")
    veteran.get_by_label("представлен", exact=True).check()
    veteran.locator("input.sheets").fill("1")
    page.get_by_role("button", name="Зарегистрировать заявление").click()

    expect(page.get_by_text("зарегистрировано. Срок решения")).to_be_visible()
    application = Application.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Заявление № {application.number_display}"
    )

    with page.expect_download() as download_info:
        page.evaluate(
            "url => { const a = document.createElement('a'); a.href = url; a.download = 'r.pdf'; document.body.appendChild(a); a.click(); }",
            page.get_by_role("link", name="Печать расписки").get_attribute("href"),
        )
    pdf = Path(download_info.value.path()).read_bytes()
    text = pdf_text(pdf)
    assert f"Регистрационный № {application.number_display}" in text
    assert "от Иванова Ивана Ивановича" in text
    for title in ("Паспорт гражданина Российской Федерации", "Удостоверение ветерана"):
        assert title in text
    assert "Запрашиваются учреждением" in text and "Не представлены" not in text
    assert (
        "Паспорт гражданина Российской Федерации (иной документ, удостоверяющий личность) подлинник и копия 2 2 да"
        in text
    )
    assert f"до {application.deadline:%d.%m.%Y}" in text


def test_the_case_file_opens_its_documents_and_history_on_demand(
    page, live_server, specialist, catalogue
):
    from cases.models import CaseFile
    from tests.factories import ApplicantFactory, ApplicationFactory

    person = ApplicantFactory(office=specialist.office, snils="", last_name="Делова")
    ApplicationFactory(actor=specialist, applicant=person)
    case_file = CaseFile.objects.get(applicant=person)
    login(page, live_server, "specialist", PASSWORD)
    page.goto(f"{live_server.url}/cases/files/{case_file.pk}/")
    page.wait_for_load_state()
    expect(
        page.get_by_role("heading", name=f"Личное дело № {case_file.number_display}")
    ).to_be_visible()
    documents = page.locator("details", has_text="Документы заявлений")
    expect(documents.get_by_role("table")).to_have_count(0)  # not loaded until opened
    documents.locator("summary").focus()
    page.keyboard.press("Enter")  # a person at the counter opens it from the keyboard
    expect(documents.get_by_role("table")).to_contain_text("представлен")
    history = page.locator("details", has_text="История изменений карточки")
    history.locator("summary").click()
    expect(history.get_by_role("table")).to_contain_text("Создано")
