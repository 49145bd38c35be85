import datetime

import pytest
import yaml
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.conftest import PASSWORD
from tests.pdf_utils import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_loads_a_change_and_the_service_page_shows_it_from_its_date(
    page, live_server, reg_admin, catalogue
):
    effective = timezone.localdate() + datetime.timedelta(days=10)
    change = {
        "regulation": {
            "kind": "приказ",
            "number": "301",
            "date": timezone.localdate().isoformat(),
            "title": "О внесении изменений в регламент ЕДВ ветеранам",
        },
        "effective_from": effective.isoformat(),
        "services": [
            {
                "code": "edv-veterans",
                "deadline_days": 8,
                "add_documents": [{"code": "photo-3x4", "form": "original"}],
            }
        ],
    }
    login(page, live_server, "regadmin", PASSWORD)
    page.get_by_role("navigation", name="Разделы").get_by_role("link", name="Каталог услуг").click()
    page.get_by_role("link", name="Загрузить изменения регламента").click()
    page.get_by_label("Файл изменений (YAML или JSON)").set_input_files(
        files=[
            {
                "name": "edv-change.yaml",
                "mimeType": "application/yaml",
                "buffer": yaml.safe_dump(change, allow_unicode=True).encode(),
            }
        ]
    )
    page.get_by_role("button", name="Проверить и показать изменения").click()

    expect(page.get_by_role("heading", name="Предпросмотр изменений")).to_be_visible()
    expect(page.locator(".diff-card")).to_contain_text("изменяется")
    expect(page.locator(".diff-card")).to_contain_text("+ документ: Фотография размером 3×4 см")
    expect(page.locator(".diff-card")).to_contain_text(f"Действует с {effective:%d.%m.%Y}")
    page.get_by_role("button", name="Применить изменения").click()
    expect(page.get_by_text("Изменения применены.")).to_be_visible()

    page.goto(f"{live_server.url}/services/edv-veterans/")
    rows = page.locator("table.table").first
    expect(rows).not_to_contain_text("Фотография размером 3×4 см")  # not yet in force today
    page.get_by_label("Правила на дату").fill(effective.isoformat())
    page.get_by_role("button", name="Показать").click()
    expect(page.locator("dl.facts")).to_contain_text(f"с {effective:%d.%m.%Y}")
    expect(page.locator("dl.facts")).to_contain_text("8 рабочих дней")
    expect(page.locator("table.table").first).to_contain_text("Фотография размером 3×4 см")


def test_admin_loads_grounds_and_a_group_then_finds_the_service_to_check(
    page, live_server, reg_admin, catalogue
):
    """The admin uploads a change that uses the regulation's own terms (grounds with clauses,
    a «one of» group, a doubt), applies it, then finds the service on the
    «Требуют проверки» list and its page shows what the regulation says."""
    today = timezone.localdate()
    change = {
        "regulation": {
            "kind": "приказ",
            "number": "302",
            "date": today.isoformat(),
            "title": "О внесении изменений в регламент ЕДВ ветеранам",
        },
        "effective_from": today.isoformat(),
        "services": [
            {
                "code": "edv-veterans",
                "grounds": {
                    "refuse": [{"clause": "п. 2.9.1", "text": "отсутствие права на выплату"}]
                },
                "unverified": "пункты оснований отказа не сверены с текстом приказа",
                "remove_documents": ["passport"],
                "add_documents": [
                    {
                        "one_of": ["passport", "photo-3x4"],
                        "title": "документ, удостоверяющий личность",
                    }
                ],
            }
        ],
    }
    login(page, live_server, "regadmin", PASSWORD)
    page.get_by_role("navigation", name="Разделы").get_by_role("link", name="Каталог услуг").click()
    page.get_by_role("link", name="Загрузить изменения регламента").click()
    page.get_by_label("Файл изменений (YAML или JSON)").set_input_files(
        files=[
            {
                "name": "grounds.yaml",
                "mimeType": "application/yaml",
                "buffer": yaml.safe_dump(change, allow_unicode=True).encode(),
            }
        ]
    )
    page.get_by_role("button", name="Проверить и показать изменения").click()
    card = page.locator(".diff-card")
    expect(card).to_contain_text("основания отказа и приостановления")
    expect(card).to_contain_text("п. 2.9.1: «отсутствие права на выплату»")
    expect(card).to_contain_text("один из группы 1 «документ, удостоверяющий личность»")
    page.get_by_role("button", name="Применить изменения").click()
    expect(page.get_by_text("Изменения применены.")).to_be_visible()

    page.get_by_role("navigation", name="Разделы").get_by_role("link", name="Каталог услуг").click()
    page.get_by_role("link", name="Требуют проверки").click()
    expect(page.get_by_text("пункты оснований отказа не сверены")).to_be_visible()
    page.get_by_role("link", name="Ежемесячная денежная выплата ветеранам").click()
    expect(page.get_by_text("Реквизиты требуют проверки:")).to_be_visible()
    expect(
        page.get_by_text("Один из документов: документ, удостоверяющий личность")
    ).to_be_visible()
    expect(page.get_by_role("cell", name="п. 2.9.1")).to_be_visible()
    href = page.get_by_role("link", name="Памятка заявителю (PDF)").get_attribute("href")
    text = " ".join(pdf_text(page.request.get(f"{live_server.url}{href}").body()).split())
    assert "отсутствие права на выплату (п. 2.9.1 регламента)" in text
    assert "Один из документов (документ, удостоверяющий личность)" in text
