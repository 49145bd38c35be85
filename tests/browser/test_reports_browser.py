"""The director opens «Отчёты», forms October's report, reads it, and takes its XLSX and PDF."""

import datetime
import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.conftest import FROZEN_AT, PASSWORD
from tests.factories import ApplicantFactory, counter_marks
from tests.pdf_utils import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_director_forms_a_report_opens_it_and_downloads_xlsx_and_pdf(
    page, live_server, director, chief, specialist, office, catalogue, freeze_now, tmp_path
):
    from django.utils import timezone

    from cases import services
    from services.models import Service

    # October (the month before the frozen day): two applications, one granted late
    service = Service.objects.get(code="edv-veterans")
    for n, (registered, decided) in enumerate([(1, 5), (2, 30)]):
        at = datetime.datetime(FROZEN_AT.year, 10, registered, 10)
        freeze_now(at)
        marks = counter_marks(service.version_on(at.date()), bring_all=True)
        person = ApplicantFactory(office=office, snils="", last_name=f"Октябрёв{n}")
        application = services.register_application(
            person, service, actor=specialist, marks=marks, consent_given=True,
            received_at=timezone.make_aware(at),
        )  # fmt: skip
        freeze_now(datetime.datetime(FROZEN_AT.year, 10, decided, 10))
        services.transition(application, "transfer", actor=chief)
        services.transition(application, "grant", actor=chief)
    freeze_now(FROZEN_AT)

    login(page, live_server, "director", PASSWORD)
    page.get_by_role("navigation", name="Разделы").get_by_role("link", name="Отчёты").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Отчёты", exact=True)).to_be_visible()
    page.get_by_label("Вид отчёта").select_option(label="Сводный отчёт (все разделы)")
    page.get_by_label("Период с").fill("2026-10-01")
    page.get_by_label("по", exact=True).fill("2026-10-31")
    page.get_by_label("Учреждение").select_option(label=office.short_name)
    page.get_by_role("button", name="Сформировать").click()
    page.wait_for_load_state()

    expect(page.get_by_role("heading", name="Сводный отчёт за октябрь 2026 г.")).to_be_visible()
    expect(page.locator(".messages")).to_have_text("Сформирован сводный отчёт за октябрь 2026 г.")
    services_table = page.locator("#table-services")
    expect(services_table.locator("tfoot")).to_contain_text("Итого")
    row = services_table.locator("tbody tr", has_text=service.short_title)
    # accepted 2, granted 2, refused 0, withdrawn 0, in progress 0, overdue 0, late 1
    expect(row.locator("td.num").nth(0)).to_have_text("2")
    expect(row.locator("td.num").nth(1)).to_have_text("2")
    expect(row.locator("td.num").nth(6)).to_have_text("1")
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)

    # back on the list, the report is there with its links
    page.get_by_role("link", name="Все отчёты").click()
    page.wait_for_load_state()
    listing = page.locator("table.reports-list")
    expect(listing).to_contain_text("Сводный отчёт за октябрь 2026 г.")
    page.screenshot(path=str(tmp_path / "reports.png"), full_page=True)
    page.get_by_role("link", name="Сводный отчёт за октябрь 2026 г.: страница").click()
    page.wait_for_load_state()

    xlsx_url = page.get_by_role("link", name="Скачать XLSX").get_attribute("href")
    response = page.request.get(f"{live_server.url}{xlsx_url}")
    assert response.ok
    book = load_workbook(io.BytesIO(response.body()))
    sheet = book["Услуги"]
    values = [row for row in sheet.iter_rows(values_only=True) if row and row[0] == "Итого"]
    assert values and values[0][1] == 2 and isinstance(values[0][1], int)
    assert sheet.freeze_panes is not None

    pdf_url = page.get_by_role("link", name="PDF для печати").get_attribute("href")
    response = page.request.get(f"{live_server.url}{pdf_url}")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.body())
    assert office.name in text
    assert "Период: с 01.10.2026 по 31.10.2026" in text
    assert "Главный специалист" in text and "Директор" in text
    (tmp_path / "report.pdf").write_bytes(response.body())


def test_the_monthly_report_waits_on_the_directors_page_with_its_charts(
    page, live_server, director, chief, specialist, office, catalogue, freeze_now
):
    """The beat task forms October's report on the first working day of November; the director
    logs in, finds it on the home page (the director's page), opens it, sees its charts drawn,
    and takes the PDF."""
    from django.utils import timezone

    from cases import services
    from onewindow.tasks import form_monthly_reports
    from services.models import Service

    service = Service.objects.get(code="edv-veterans")
    at = datetime.datetime(FROZEN_AT.year, 10, 6, 10)
    freeze_now(at)
    marks = counter_marks(service.version_on(at.date()), bring_all=True)
    services.register_application(
        ApplicantFactory(office=office, snils=""), service, actor=specialist, marks=marks,
        consent_given=True, received_at=timezone.make_aware(at),
    )  # fmt: skip
    freeze_now(datetime.datetime(FROZEN_AT.year, 11, 2, 6, 15))  # Monday, the first working day
    form_monthly_reports()
    freeze_now(FROZEN_AT)

    login(page, live_server, "director", PASSWORD)
    expect(page.get_by_role("heading", name="Страница директора", exact=False)).to_be_visible()
    reports = page.locator("#dash-reports").locator("xpath=..")
    expect(reports).to_contain_text("Сводный отчёт за октябрь 2026 г.")
    expect(reports).to_contain_text("(ежемесячный)")
    reports.get_by_role("link", name="Сводный отчёт за октябрь 2026 г.: страница").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Сводный отчёт за октябрь 2026 г.")).to_be_visible()
    chart = page.get_by_role("img", name="Услуги: принято, назначено, отказано (первые 10)")
    expect(chart).to_be_visible()
    # the SVG is drawn by the browser (a broken image has no natural width)
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0")
    page.screenshot(path="/tmp/director-report.png", full_page=True)

    pdf_url = page.get_by_role("link", name="PDF для печати").get_attribute("href")
    response = page.request.get(f"{live_server.url}{pdf_url}")
    assert response.ok
    text = pdf_text(response.body())
    assert "СВОДНЫЙ ОТЧЁТ ЗА ОКТЯБРЬ 2026 Г." in text  # the heading, in capitals as printed
    assert "автоматически (ежемесячный отчёт)" in text
