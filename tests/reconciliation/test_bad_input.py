"""Damaged extracts and impossible values: a bad row is an invalid row with its reason, a
damaged file fails the run with the reason in Russian — never a silent blank, a short count, an
English library message or a 500."""

import datetime
import io
import re
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from reconciliation.models import ExtractProfile, InvalidRow, ReconciliationRun, Selection
from tests.reconciliation.files import HEADER, write_csv, write_dbf, write_xlsx

pytestmark = pytest.mark.django_db
D = datetime.date
DBF_FIELDS = [("NPERS", "C", 14), ("FAM", "C", 30), ("IM", "C", 30), ("DR", "D", 8), ("DS", "D", 8)]
# English words of the libraries' messages (unpack, buffer, invalid, token, …); Russian text and
# the file's own values («20260231») pass
ENGLISH = re.compile(r"\b(?!DBF\b|CSV\b|XML\b|XLSX\b|NUL\b|DTD\b|Excel\b)[A-Za-z]{3,}\b")


def reconcile(path, kind="deaths", source="pfr"):
    call_command("reconcile", str(path), "--source", source, "--kind", kind, stdout=io.StringIO())
    return ReconciliationRun.objects.latest("pk")


def failed(path, kind="employment", source="czn") -> str:
    with pytest.raises(CommandError, match="не выполнена"):
        reconcile(path, kind, source)
    run = ReconciliationRun.objects.latest("pk")
    assert run.status == "failed" and not Selection.objects.exists()
    assert not InvalidRow.objects.exists()
    assert not ENGLISH.search(run.error), run.error
    return run.error


def test_an_impossible_event_date_is_an_invalid_row_with_its_reason(recipients, tmp_path):
    rows = [
        ["112-233-445 95", "Алексеева", "Анна", "Петровна", "01.05.1990", "31.02.2026"],
        ["", "Борисова", "Вера", "Ивановна", "12.07.1992", "01.11.2026"],
    ]
    run = reconcile(write_csv(tmp_path / "e.csv", HEADER, rows), "employment", "czn")
    assert run.status == "done" and run.counts["rows_total"] == 2
    assert run.counts["rows_invalid"] == 1 and run.counts["selections"] == 1
    invalid = InvalidRow.objects.get(run=run)
    assert (invalid.row_number, invalid.reason) == (
        2,
        "поле «Дата события»: неверная дата «31.02.2026»",
    )
    assert not Selection.objects.filter(applicant=recipients["a"]).exists()
    assert Selection.objects.get().event_date == D(2026, 11, 1)


def test_a_dbf_date_that_does_not_exist_is_an_invalid_row_not_a_failed_file(recipients, tmp_path):
    rows = [
        {"NPERS": "123-456-789 64", "FAM": "Сидоров", "IM": "Олег", "DR": D(1950, 1, 2), "DS": "20260231"},
        {"NPERS": "", "FAM": "Алексеева", "IM": "Анна", "DR": "19900532", "DS": D(2026, 10, 31)},
        {"NPERS": "112-233-445 95", "FAM": "Алексеева", "IM": "Анна", "DR": D(1990, 5, 1), "DS": D(2026, 10, 30)},
    ]  # fmt: skip
    path = write_dbf(tmp_path / "d.dbf", DBF_FIELDS, rows, encoding="cp866", driver=0x26)
    run = reconcile(path)
    assert run.status == "done", run.error
    reasons = dict(InvalidRow.objects.filter(run=run).values_list("row_number", "reason"))
    assert reasons == {
        1: "поле «Дата события»: неверная дата «20260231»",
        2: "поле «Дата рождения»: неверная дата «19900532»",
    }
    assert run.counts["selections"] == 1, run.counts


def dbf_bytes(tmp_path, rows=1) -> bytes:
    people = [{"NPERS": "123-456-789 64", "FAM": "Сидоров", "IM": "Олег", "DR": D(1950, 1, 2),
               "DS": D(2026, 10, 30)}] * rows  # fmt: skip
    return write_dbf(tmp_path / "src.dbf", DBF_FIELDS, people, encoding="cp866", driver=0x26).read_bytes()  # fmt: skip


def test_a_truncated_dbf_fails_the_run_with_the_reason(recipients, tmp_path):
    """The header announces 100 records; the file holds one, cut short: not «завершена, строк 1»."""
    data = bytearray(dbf_bytes(tmp_path))
    data[4:8] = struct.pack("<I", 100)
    path = tmp_path / "cut.dbf"
    path.write_bytes(bytes(data[:-20]))
    error = failed(path, "deaths", "pfr")
    assert "DBF обрезан: по заголовку в файле 100 записей, а целиком в нём 0, последняя неполная" in error  # fmt: skip
    # two whole records of three announced, the end-of-file byte in place
    data = bytearray(dbf_bytes(tmp_path, rows=2))
    data[4:8] = struct.pack("<I", 3)
    path = tmp_path / "short.dbf"
    path.write_bytes(bytes(data))
    assert "по заголовку в файле 3 записей, а целиком в нём 2." in failed(path, "deaths", "pfr")


@pytest.mark.parametrize(
    "name,cut,message",
    [
        (
            "head.dbf",
            40,
            "DBF обрезан: файл обрывается в описании полей",
        ),  # unpack requires a buffer of 32 bytes
        ("junk.dbf", None, "DBF повреждён"),
    ],
)
def test_a_damaged_dbf_header_is_said_in_russian(recipients, tmp_path, name, cut, message):
    data = bytearray(dbf_bytes(tmp_path))
    if cut:
        data = data[:cut]
    else:
        data[32 + 11] = ord("X")  # the first field's type: none dBASE knows
    path = tmp_path / name
    path.write_bytes(bytes(data))
    assert message in failed(path, "deaths", "pfr")


def test_broken_xml_names_the_place_in_russian(recipients, tmp_path):
    path = tmp_path / "b.xml"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?><extract><record><FAM>Борисова</FAM><IM>Вера</IM>'
        "<DR>1992-07-12</DR></record>\n<record><FAM>Иванов</IM></record></extract>",
        encoding="utf-8",
    )
    error = failed(path, "unemployed")
    assert error.startswith("XML не читается: закрывающий тег не совпадает с открывающим (строка 2")  # fmt: skip
    assert "прочитано записей: 1" in error


@pytest.mark.parametrize("case", ["not a workbook", "bad zip"])
def test_a_damaged_xlsx_is_said_in_russian(recipients, tmp_path, case):
    path = tmp_path / "w.xlsx"
    if case == "not a workbook":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("readme.txt", "это не книга")
    else:
        write_xlsx(path, ["snils"], [["11223344595"]])
        data = bytearray(path.read_bytes())
        data[40:200] = b"\x00" * 160  # the first member's data: the directory at the end stays
        path.write_bytes(bytes(data))
    assert "XLSX" in failed(path)


def test_the_preview_of_a_damaged_file_says_why_without_a_500(client, specialist, recipients, tmp_path):  # fmt: skip
    data = bytearray(dbf_bytes(tmp_path))
    data[4:8] = struct.pack("<I", 100)
    client.force_login(specialist)
    profile = ExtractProfile.objects.get(name="pfr-deaths")
    for name, content, message in [
        ("cut.dbf", bytes(data[:-20]), "DBF обрезан"),
        ("head.dbf", bytes(data[:40]), "DBF обрезан: файл обрывается в описании полей"),
        ("b.xml", b"<extract><record><FAM>x</IM></record></extract>", "XML не читается"),
    ]:
        response = client.post(
            reverse("reconciliation:runs"),
            {"profile": profile.pk, "file": SimpleUploadedFile(name, content)},
        )
        html = response.content.decode()
        assert response.status_code == 200 and message in html, name
        assert "unpack" not in html and "mismatched" not in html


@pytest.mark.parametrize("encoding", ["cp866", "cp1251"])
def test_the_fast_dbf_reader_gives_what_dbfread_gives(tmp_path, encoding):
    """Character and date fields are read a record at a time (`readers._dbf_records`): the same
    records and values as dbfread's own iteration, damaged dates, a deleted record, a blank date,
    a byte the code page lacks and a record cut at the end of the file included."""
    from dbfread import DBF

    from reconciliation import readers

    rows = [
        {"NPERS": "112-233-445 95", "FAM": "Алексеева\u00a0", "IM": "Анна", "DR": D(1990, 5, 1), "DS": D(2026, 10, 30)},
        {"NPERS": "", "FAM": "Ёжиков", "IM": "Пётр", "DR": "20260231", "DS": ""},
        {"NPERS": "x", "FAM": "O'Брайен", "IM": "", "DR": "00000000", "DS": "1990 5 1"},
        {"NPERS": "123", "FAM": "Удалённая", "IM": "Запись", "DR": D(1950, 1, 2), "DS": D(2026, 1, 1)},
    ]  # fmt: skip
    path = write_dbf(tmp_path / "f.dbf", DBF_FIELDS, rows, encoding=encoding, driver=0x26)
    data = bytearray(path.read_bytes())
    header_len, record_len = struct.unpack("<HH", data[8:12])
    data[header_len + 3 * record_len] = ord("*")  # the fourth record deleted
    path.write_bytes(bytes(data[:-1]) + data[header_len : header_len + 40])  # a cut record after
    table = DBF(str(path), encoding=encoding, char_decode_errors="strict", parserclass=readers._dbf_parser())  # fmt: skip
    expected = [dict(r) for r in table]
    got = list(readers._dbf_records(table, path))
    assert got == expected and [list(r) for r in got] == [list(r) for r in expected]
    assert len(got) == 4 and got[1]["DR"] == "20260231" and got[0]["FAM"] == "Алексеева\u00a0"
    if encoding == "cp1251":  # 0x98 is no character of cp1251: the same error either way
        data = bytearray(path.read_bytes())
        data[header_len + 1 + 14] = 0x98
        path.write_bytes(bytes(data))
        table = DBF(str(path), encoding=encoding, char_decode_errors="strict", parserclass=readers._dbf_parser())  # fmt: skip
        with pytest.raises(UnicodeDecodeError):
            list(table)
        with pytest.raises(UnicodeDecodeError):
            list(readers._dbf_records(table, path))
