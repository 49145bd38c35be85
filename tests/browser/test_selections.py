"""Selections as the specialist walks them: upload an extract → «Показать первые строки» →
«Запустить сверку» → the run finishes → the worklist shows the items → an item is worked out."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cases.models import Entitlement
from reconciliation.models import ReconciliationRun, Selection, StagedExtract
from tests.browser.conftest import login
from tests.conftest import PASSWORD
from tests.reconciliation.files import EMPLOYMENT_ROWS, HEADER, write_csv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def extracts_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.RECONCILIATION_INBOX = tmp_path / "inbox"


def upload(page, tmp_path, profile_title: str, rows=EMPLOYMENT_ROWS, encoding="cp1251"):
    path = write_csv(tmp_path / "czn-2026-11.csv", HEADER, rows, encoding=encoding)
    page.get_by_role("navigation", name="Разделы").get_by_role("link", name="Селекции").click()
    page.get_by_role("link", name="Сверки и загрузка выгрузок").click()
    page.get_by_label("Профиль выгрузки").select_option(label=profile_title)
    page.get_by_label("Файл выгрузки (DBF, CSV, XLSX, XML)").set_input_files(path)
    page.get_by_role("button", name="Показать первые строки").click()
    expect(page.get_by_role("heading", name="Предпросмотр: czn-2026-11.csv")).to_be_visible()


def test_specialist_uploads_previews_starts_and_works_out_an_item(
    page,
    live_server,
    specialist,
    recipients,
    tmp_path,
):
    login(page, live_server, "specialist", PASSWORD)
    upload(page, tmp_path, "ЦЗН: трудоустроенные граждане")
    cancelled = StagedExtract.objects.get()
    page.get_by_role("button", name="Отмена").click()  # the upload goes at once
    expect(page.get_by_role("button", name="Показать первые строки")).to_be_visible()
    assert not StagedExtract.objects.exists() and not Path(cancelled.file_path).exists()

    upload(page, tmp_path, "ЦЗН: трудоустроенные граждане")
    preview = page.locator("table.table").first
    expect(preview).to_contain_text("Алексеева")
    expect(preview).to_contain_text("⚠ неверная дата «31.02.1950»")
    assert not ReconciliationRun.objects.exists()  # a preview starts nothing
    staged = StagedExtract.objects.get()  # the form names it by its token, never by a file name
    assert staged.uploaded_by == specialist and staged.office == specialist.office
    expect(page.locator("input[name=staged]")).to_have_value(staged.token)

    page.get_by_role("button", name="Запустить сверку").click()
    run = page.locator("#run-status")
    expect(run).to_contain_text("завершена")
    staged.refresh_from_db()
    assert staged.state == "started" and staged.run == ReconciliationRun.objects.get()
    assert not Path(staged.file_path).exists()  # the run keeps its own copy
    expect(
        page.get_by_role("heading", name=re.compile(r"Сверка № \d+: czn-2026-11.csv"))
    ).to_be_visible()
    facts = {
        "Строк в файле": "8",
        "Совпали по СНИЛС": "2",
        "по ФИО и дате рождения": "2",
        "Вероятные совпадения": "1",
        "Неоднозначные": "1",
        "Не найдены": "1",
        "Селекций": "3",
    }
    for title, value in facts.items():
        row = run.get_by_role("row").filter(has_text=title).first
        expect(row.get_by_role("cell").nth(1)).to_have_text(value)
    expect(page.get_by_role("heading", name="Ошибочные строки (1)")).to_be_visible()

    page.get_by_role("link", name="К селекциям").click()
    worklist = page.locator("form table.table")
    for name in ("Алексеева Анна Петровна", "Борисова Вера Ивановна", "Фёдорова Светлана Юрьевна"):
        expect(worklist).to_contain_text(name)
    expect(worklist.get_by_role("row").filter(has_text="Фёдорова")).to_contain_text(
        "вероятное совпадение"
    )
    page.screenshot(path="/tmp/lists-worklist.png", full_page=True)

    page.get_by_role("link", name="Алексеева Анна Петровна").click()
    expect(
        page.get_by_role("heading", name="Трудоустройство: Алексеева Анна Петровна")
    ).to_be_visible()
    page.get_by_label("Результат").select_option(label="меры прекращены")
    page.get_by_label("Примечание").fill("трудоустроена с 01.11.2026")
    page.get_by_role("button", name="Отработать").click()
    expect(page.get_by_text("Селекция отработана.")).to_be_visible()
    expect(page.locator("form table.table")).not_to_contain_text("Алексеева")

    page.get_by_label("Состояние").select_option(label="отработанные")
    page.get_by_role("button", name="Показать").click()
    done = page.locator("form table.table").get_by_role("row").filter(has_text="Алексеева")
    expect(done).to_contain_text("отработана: меры прекращены")
    done.get_by_role("link", name="Алексеева Анна Петровна").click()
    expect(page.locator("table.table").first).to_contain_text("прекращ")
    measure = Entitlement.objects.get(applicant=recipients["a"])
    assert measure.status == "stopped"
    assert Selection.objects.get(applicant=recipients["a"]).worked_by == specialist


def test_a_cp1251_file_with_the_pension_fund_profile_is_read_right(
    page,
    live_server,
    specialist,
    recipients,
    tmp_path,
):
    """The profile says cp866, the file is cp1251: the preview reads it by its letters, says so,
    and lets the specialist look at it in another encoding before starting."""
    login(page, live_server, "specialist", PASSWORD)
    upload(page, tmp_path, "ПФР (СФР): сведения о трудоустройстве (СЗВ-М, ЕФС-1)")
    encoding = page.locator("#preview-encoding")
    expect(encoding).to_contain_text("Кодировка файла: Windows-1251 (cp1251)")
    expect(encoding).to_contain_text("в профиле указана cp866")
    preview = page.locator("table.table").first
    expect(preview).to_contain_text("Алексеева")
    expect(preview).to_contain_text("БОРИСОВА")

    choice = page.get_by_label("Кодировка, если буквы выше прочитаны неверно")
    choice.select_option(label="DOS, кодовая страница 866 (cp866)")
    page.get_by_role("button", name="Показать в этой кодировке").click()
    expect(page.get_by_role("alert")).to_contain_text("Найдены: ╤═╚╦╤, ╘рьшыш")
    expect(page.get_by_role("button", name="Запустить сверку")).to_have_count(0)
    choice.select_option(label="Windows-1251 (cp1251)")
    page.get_by_role("button", name="Показать в этой кодировке").click()
    expect(page.locator("table.table").first).to_contain_text("Алексеева")

    page.get_by_role("button", name="Запустить сверку").click()
    status = page.locator("#run-status")
    expect(status).to_contain_text("завершена")
    expect(status).to_contain_text("кодировка Windows-1251 (cp1251)")
    expect(status.get_by_role("row").filter(has_text="по ФИО и дате рождения")).to_contain_text("2")
    expect(status.get_by_role("row").filter(has_text="Селекций")).to_contain_text("3")
    page.get_by_role("link", name="К селекциям").click()
    expect(page.locator("form table.table")).to_contain_text("Борисова Вера Ивановна")
    run = ReconciliationRun.objects.get()
    assert run.encoding == "cp1251" and run.counts["selections"] == 3


def test_a_match_only_by_snils_shows_both_data_sets_and_is_skipped_in_bulk(
    page,
    live_server,
    specialist,
    recipients,
    tmp_path,
):
    """A row carrying Павлова's СНИЛС with another person's name and birth date: the run counts
    it apart, the worklist and the item's page say «совпал только СНИЛС — проверить» with the
    record's data beside hers, and «Применить» to the ticked items leaves it open."""
    import datetime

    from tests.factories import ApplicantFactory, EntitlementFactory

    pavlova = ApplicantFactory(
        office=specialist.office, snils="17890123494", last_name="Павлова", first_name="Светлана",
        middle_name="Фёдоровна", sex="F", birth_date=datetime.date(1954, 3, 21),
    )  # fmt: skip
    EntitlementFactory(applicant=pavlova, service="unemployed-mothers", actor=specialist)
    rows = [
        EMPLOYMENT_ROWS[0],
        ["178-901-234 94", "Кузнецов", "Игорь", "Петрович", "02.02.1961", "04.11.2026"],
    ]
    login(page, live_server, "specialist", PASSWORD)
    upload(page, tmp_path, "ЦЗН: трудоустроенные граждане", rows=rows)
    page.get_by_role("button", name="Запустить сверку").click()
    run = page.locator("#run-status")
    expect(run).to_contain_text("завершена")
    for title, value in {"Совпали по СНИЛС": "1", "Совпал только СНИЛС (проверить)": "1"}.items():
        row = run.get_by_role("row").filter(has_text=title).first
        expect(row.get_by_role("cell").nth(1)).to_have_text(value)

    page.get_by_role("link", name="К селекциям").click()
    worklist = page.locator("form table.table")
    flagged = worklist.get_by_role("row").filter(has_text="Павлова")
    expect(flagged).to_contain_text("совпал только СНИЛС — проверить")
    expect(flagged).to_contain_text("в выгрузке: Кузнецов Игорь Петрович, 02.02.1961")
    for name in ("Алексеева", "Павлова"):
        worklist.get_by_role("row").filter(has_text=name).get_by_role("checkbox").check()
    page.get_by_label("Отработать отмеченные").select_option(label="действий не требуется")
    page.get_by_role("button", name="Применить").click()
    expect(page.get_by_text("Отработано селекций: 1. Пропущено 1: совпал только СНИЛС")).to_be_visible()  # fmt: skip
    expect(page.locator("form table.table")).not_to_contain_text("Алексеева")
    assert Selection.objects.get(applicant=pavlova).status == "open"

    page.get_by_role("link", name="Павлова Светлана Фёдоровна").click()
    expect(page.get_by_text("Совпал только СНИЛС — проверить: ни фамилия")).to_be_visible()
    both = page.locator("#snils-only")
    for text in ("Кузнецов Игорь Петрович", "02.02.1961", "Павлова Светлана Фёдоровна", "21.03.1954"):  # fmt: skip
        expect(both).to_contain_text(text)
    expect(both.get_by_role("row").filter(has_text="Дата рождения")).to_have_class("row-warn")
