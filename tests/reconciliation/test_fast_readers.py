"""The fast ways of reading DBF and XML give what the reader always gave (issue 22): a DBF's
COPY lines made straight from its bytes are the lines of the reader's records; an XML read by
libxml2 gives expat's records, and expat's refusals and messages for every fault; the usual
record's line is the line made column by column."""

import datetime
import itertools
import struct

import pytest

from reconciliation import copyable, readers
from reconciliation.fastpath import DATE_FIELDS, FIELDS
from tests.reconciliation.files import write_dbf

D = datetime.date
DBF_FIELDS = [("NPERS", "C", 14), ("FAM", "C", 30), ("DR", "D", 8), ("IM", "C", 30), ("DS", "D", 8)]  # fmt: skip


def stream_of(path, fmt="dbf", encoding=""):
    rows = readers.read_rows(path, file_format=fmt, override=encoding)
    first = next(rows)
    header = list(first[1])
    mapping = readers.column_map(header, None, FIELDS)
    dates = {header.index(mapping[f]) for f in DATE_FIELDS if f in mapping}
    return copyable.RowStream(itertools.chain([first], rows), header, dates, every=1), rows


def drain(stream) -> bytes:
    return b"".join(iter(stream.read, b""))


@pytest.mark.parametrize("encoding", ["cp866", "cp1251"])
def test_dbf_lines_made_from_the_bytes_are_the_lines_of_the_reader_s_records(tmp_path, encoding):
    rows = [
        {"NPERS": "112-233-445 95", "FAM": "Алексеева\u00a0", "IM": "Анна", "DR": D(1990, 5, 1), "DS": D(2026, 10, 30)},
        {"NPERS": "", "FAM": "Ёжиков", "IM": "Пётр", "DR": "20260231", "DS": ""},
        {"NPERS": "x", "FAM": 'О"Брайен', "IM": "", "DR": "00000000", "DS": "1990 5 1"},
        {"NPERS": "", "FAM": "", "IM": "", "DR": "", "DS": ""},  # blank: skipped, counted
        {"NPERS": "", "FAM": "\t", "IM": " ", "DR": "        ", "DS": "00000000"},  # blank too
        {"NPERS": "123", "FAM": "Удалённая", "IM": "Запись", "DR": D(1950, 1, 2), "DS": D(2026, 1, 1)},
        {"NPERS": "7", "FAM": "Ли", "IM": "Ян", "DR": "00010101", "DS": D(2026, 1, 1)},
    ] * 3  # fmt: skip
    path = write_dbf(tmp_path / "f.dbf", DBF_FIELDS, rows, encoding=encoding, driver=0x26)
    data = bytearray(path.read_bytes())
    header_len, record_len = struct.unpack("<HH", data[8:12])
    data[header_len + 5 * record_len] = ord("*")  # a deleted record
    path.write_bytes(bytes(data[:-1]) + data[header_len : header_len + 40])  # a cut record after
    expected = drain(stream_of(path, encoding=encoding)[0])
    stream, rows_left = stream_of(path, encoding=encoding)
    stream.lines = copyable.dbf_lines(stream, path, encoding)
    assert stream.lines is not None
    rows_left.close()
    got = drain(stream)
    assert got == expected and got.count(b"\n") == stream.count == 15
    assert b'"\xd0\x9e""\xd0\x91' in got  # О"Брайен with its quote doubled
    assert b',"20260231",' in got and b'"01.05.1990"' in got and b'"0001-01-01"' in got


def test_a_dbf_record_the_code_page_lacks_fails_with_its_number(tmp_path):
    rows = [{"NPERS": "1", "FAM": "Иванов", "IM": "Иван", "DR": D(1990, 5, 1), "DS": ""}] * 3
    path = write_dbf(tmp_path / "f.dbf", DBF_FIELDS, rows, encoding="cp1251", driver=0xC9)
    data = bytearray(path.read_bytes())
    header_len, record_len = struct.unpack("<HH", data[8:12])
    data[header_len + 2 * record_len + 16] = 0x98  # no character of cp1251, in the third record
    path.write_bytes(bytes(data))
    message = r"DBF не читается в кодировке cp1251 \(запись 3\)"
    with pytest.raises(readers.ExtractError, match=message):  # the reader's own words
        drain(stream_of(path)[0])
    stream, rows_left = stream_of(path)
    stream.lines = copyable.dbf_lines(stream, path, "cp1251")
    rows_left.close()
    with pytest.raises(readers.ExtractError, match=message):
        drain(stream)
    assert isinstance(stream.error, readers.ExtractError)


XML = {
    "namespaces": '<?xml version="1.0"?><e xmlns="urn:a" xmlns:b="urn:b"><record b:id="7" x="1"><b:FAM>Ив</b:FAM><IM> И </IM></record><b:record><FAM>П</FAM></b:record></e>',
    "comment in a text": "<e><record><FAM>Ива<!-- c -->нов</FAM><IM>a<?pi x?>b</IM></record></e>",
    "CDATA": "<e><record><FAM><![CDATA[<x>&]]>y</FAM></record></e>",
    "a field with children": "<e><record><FAM>a<!--c-->b<x>z</x>c</FAM><IM><q/>t</IM></record></e>",
    "empty records": "<e><record><FAM> </FAM></record><record/><record><FAM>x</FAM></record></e>",
    "a repeated field": "<e><record><FAM>a</FAM><IM>b</IM><FAM>c</FAM></record></e>",
    "a record in a record": "<e><record><FAM>a</FAM><record>i<FAM>q</FAM></record><IM>b</IM></record><record><FAM>z</FAM></record></e>",
    "records deeper": "<e><p><record><FAM>a</FAM></record></p><p><record><FAM>b</FAM></record></p></e>",
    "entities": "<e><record><FAM>a&amp;b&#1046;&lt;</FAM></record></e>",
    "line ends": '<e>\r\n<record a="x\r\ny"><FAM>a\r\nb</FAM></record></e>',
    "an undefined entity": "<e><record><FAM>a</FAM></record><record><FAM>&foo;</FAM></record></e>",
    "cut short": "<e><record><FAM>a</FAM></record><record><FAM>b</FA",
    "mismatched tags": "<e><record><FAM>Борисова</FAM></record>\n<record><FAM>Иванов</IM></record></e>",
    "no records": "<e><x/></e>",
    "an external entity": '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><e><record><FAM>&x;</FAM></record></e>',
    "billion laughs": '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><e><record><FAM>&b;</FAM></record></e>',
    "a bare DOCTYPE": "<!DOCTYPE e><e><record><FAM>a</FAM></record></e>",
    "an unknown prefix": "<e><record><q:FAM>a</q:FAM></record></e>",
    "text after the end": "<e><record><FAM>a</FAM></record></e>junk",
    "windows-1251": '<?xml version="1.0" encoding="windows-1251"?><e><record><FAM>Ёжиков</FAM></record></e>',
    "cp866": '<?xml version="1.0" encoding="cp866"?><e><record><FAM>Ёжиков</FAM></record></e>',
    "utf-16": '<?xml version="1.0" encoding="utf-16"?><e><record><FAM>Ёжиков</FAM></record></e>',
    "an unknown encoding": '<?xml version="1.0" encoding="x-bogus"?><e><record><FAM>a</FAM></record></e>',
    "a control character": "<e><record><FAM>a\x01</FAM></record></e>",
}  # fmt: skip
CODECS = {"windows-1251": "cp1251", "cp866": "cp866", "utf-16": "utf-16"}


def outcome(rows):
    try:
        return list(rows)
    except readers.ExtractError as exc:
        return str(exc)


@pytest.mark.parametrize("case", XML)
def test_xml_read_by_libxml2_gives_expat_s_records_and_messages(tmp_path, case):
    path = tmp_path / "x.xml"
    path.write_bytes(XML[case].encode(CODECS.get(case, "utf-8")))
    expat = outcome(readers._guarded(readers._xml_expat_rows(path, "record"), "xml", path))
    assert outcome(readers.read_rows(path, file_format="xml")) == expat
    if case in ("an external entity", "billion laughs", "a bare DOCTYPE"):
        assert expat == "XML отклонён: внешние сущности и DTD запрещены"


def test_a_cyrillic_record_element_is_read_by_libxml2_as_expat_reads_it(tmp_path, monkeypatch):
    path = tmp_path / "x.xml"
    path.write_text(
        "<Выгрузка><Запись><Фамилия>Ёж</Фамилия><ДатаРождения>01.02.1990</ДатаРождения></Запись>"
        "<Запись><Фамилия>Ли</Фамилия></Запись></Выгрузка>",
        encoding="utf-8",
    )
    expected = list(readers._xml_expat_rows(path, "Запись"))
    monkeypatch.setattr(readers, "_xml_expat_rows", lambda *a: pytest.fail("read by expat"))
    rows = list(readers.read_rows(path, file_format="xml", xml_record="Запись"))
    assert rows == expected and rows[1] == (2, {"Фамилия": "Ли"})


def test_a_fault_after_many_records_is_expat_s_with_the_records_read(tmp_path):
    path = tmp_path / "x.xml"
    body = "<record><FAM>a</FAM></record>\n" * 30_000
    path.write_text(f"<e>{body}<record><FAM>b</FAM></e>", encoding="utf-8")
    with pytest.raises(readers.ExtractError) as caught:
        list(readers.read_rows(path, file_format="xml"))
    assert str(caught.value) == (
        "XML не читается: закрывающий тег не совпадает с открывающим "
        "(строка 30001, позиция 23; прочитано записей: 30000)"
    )


@pytest.mark.parametrize(
    "row",
    [
        {"a": "1", "b": "Иванов", "d": "01.02.1990"},
        {"a": "1", "b": 'О"Брайен', "d": "01.02.1990"},
        {"a": "1", "b": "", "d": D(1990, 2, 1)},
        {"a": "1", "d": "01.02.1990", "b": "x"},
        {"a": "1", "b": "x"},
        {"a": "1", "b": "x", "d": "", "e": "лишнее"},
        {"a": 12.5, "b": "x", "d": None},
    ],
)
def test_the_usual_record_s_line_is_its_line_column_by_column(row):
    stream = copyable.RowStream(iter(()), ["a", "b", "d"], {2})
    assert stream._line(7, row) == stream._line_by_column(7, row)
