"""The XLSX reader (python-calamine) gives what the openpyxl reader before it gave: a СНИЛС typed
as a number stays a whole number, a date cell a datetime, an empty cell "", the sheet's own row
numbers; shared and inline strings and cached formula values are read alike. Where calamine
reads a book otherwise, the test says what a user sees. A book too large to hold whole goes to
openpyxl, a row at a time (settings.XLSX_IN_MEMORY_MB): the same values from either."""

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command

from reconciliation import readers
from reconciliation.models import InvalidRow, ReconciliationRun, Selection
from reconciliation.readers import ExtractError, read_rows
from tests.reconciliation.files import HEADER, write_raw_xlsx, write_xlsx

SHARED = ["СНИЛС", "Фамилия", "Имя", "Дата рождения", "Петров", "Иван"]
HEAD = {"A": ("s", 0), "B": ("s", 1), "C": ("s", 2), "D": ("s", 3)}


@pytest.fixture(params=["calamine", "streamed"])
def reader(request, settings):
    """Either way of reading a book: calamine, or openpyxl for a sheet over the size limit."""
    if request.param == "streamed":
        settings.XLSX_IN_MEMORY_MB = 0
    return request.param


def openpyxl_rows(path: Path) -> list[tuple[int, dict]]:
    """The reader as it was (openpyxl's read-only mode): the reference the new one must match."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    rows = workbook.worksheets[0].iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows)]
    result = []
    for number, values in enumerate(rows, start=2):
        if any(v not in (None, "") for v in values):
            result.append((number, {h: "" if v is None else v for h, v in zip(header, values, strict=False) if h}))  # fmt: skip
    workbook.close()
    return result


def test_cells_of_every_kind_come_as_the_openpyxl_reader_gave_them(tmp_path, reader):
    rows = {
        1: HEAD,
        # a СНИЛС typed as a number, shared strings, a date cell
        2: {"A": ("n", "11223344595"), "B": ("s", 4), "C": ("s", 5), "D": ("date", "33000")},
        # rows 3 and 4 missing from the sheet: blank, skipped but counted
        # inline strings (one keeping its spaces), a date with a time of day
        5: {
            "A": ("inline", "112-233-445 95"),
            "B": ("inline", " Сидоров ", "preserve"),
            "C": ("inline", "Олег"),
            "D": ("date", "33000.5"),
        },
        # formulas: their cached values (a number, a text), one never calculated: empty
        6: {
            "A": ("formula", "11223344595", "11223344500+95"),
            "B": ("formula_str", "Козлова", '"Козлова"'),
            "C": ("formula_uncached", "1+1"),
            "D": ("n", "1.5"),
        },
        # a boolean, a negative whole number, an ISO date with a time (t="d")
        7: {"A": ("n", "-3"), "B": ("bool", "1"), "D": ("iso", "2026-11-01T10:30:00")},
        # a row of empty cells: blank
        8: {"A": ("formula_uncached", "A1&B1")},
        9: {"C": ("s", 5)},
    }
    path = write_raw_xlsx(tmp_path / "r.xlsx", rows, shared=SHARED)
    got = list(read_rows(path))
    assert got == openpyxl_rows(path)
    by_row = dict(got)
    assert list(by_row) == [2, 5, 6, 7, 9]
    first = by_row[2]
    assert first["СНИЛС"] == 11223344595 and type(first["СНИЛС"]) is int
    assert str(first["СНИЛС"]) == "11223344595"  # not «11223344595.0»
    assert first["Дата рождения"] == datetime.datetime(1990, 5, 7)
    assert by_row[5]["Фамилия"] == " Сидоров "
    assert by_row[5]["Дата рождения"] == datetime.datetime(1990, 5, 7, 12, 0)
    assert by_row[6] == {"СНИЛС": 11223344595, "Фамилия": "Козлова", "Имя": "", "Дата рождения": 1.5}  # fmt: skip
    assert by_row[7]["Имя"] is True or by_row[7]["Фамилия"] is True
    assert by_row[9] == {"СНИЛС": "", "Фамилия": "", "Имя": "Иван", "Дата рождения": ""}


def test_a_book_written_by_openpyxl_reads_as_before(tmp_path, reader):
    """What the tests and the benchmark write (openpyxl, inline strings) and what ЦЗН sends."""
    path = write_xlsx(
        tmp_path / "o.xlsx",
        HEADER,
        [
            [11223344595, "Алексеева", "Анна", "Петровна", datetime.datetime(1990, 5, 1), datetime.date(2026, 11, 1)],
            [None, None, None, None, None, None],
            ["123-456-789 64", "Сидоров\u00a0", "Олег", None, "02.01.1950", 45000.25],
        ],
    )  # fmt: skip
    got = list(read_rows(path))
    assert got == openpyxl_rows(path)
    assert [number for number, _ in got] == [2, 4]
    assert got[1][1]["Фамилия"] == "Сидоров\u00a0"  # a no-break space is no XML white space


def test_the_header_is_the_first_row_and_a_column_left_empty_is_no_field(tmp_path, reader):
    rows = {1: {"B": ("s", 0), "C": ("s", 1)}, 2: {"B": ("n", "11223344595"), "C": ("s", 4)}}
    path = write_raw_xlsx(tmp_path / "c.xlsx", rows, shared=SHARED)
    assert list(read_rows(path)) == [(2, {"СНИЛС": 11223344595, "Фамилия": "Петров"})]
    header_below = write_raw_xlsx(tmp_path / "h.xlsx", {2: HEAD}, shared=SHARED)
    with pytest.raises(ExtractError, match="Книга XLSX пуста: нет строки заголовка"):
        list(read_rows(header_below))


def test_a_cell_of_white_space_written_without_preserve_is_empty_as_excel_shows_it(tmp_path):
    """calamine drops the spaces around a text not marked `xml:space="preserve"` (Excel marks
    every text whose spaces count, and so does openpyxl as a rule): a row of such cells is blank
    and skipped, where openpyxl read it as a row of spaces (an invalid row). A marked text
    keeps its spaces."""
    rows = {
        1: HEAD,
        2: {"A": ("inline", "\t"), "B": ("inline", " ")},
        3: {"A": ("inline", "  ", "preserve"), "B": ("s", 4)},
    }
    path = write_raw_xlsx(tmp_path / "w.xlsx", rows, shared=SHARED)
    assert list(read_rows(path)) == [(3, {"СНИЛС": "  ", "Фамилия": "Петров", "Имя": "", "Дата рождения": ""})]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("no parts", "Файл не является книгой XLSX: в архиве нет листов книги"),
        ("damaged member", "Книга XLSX повреждена: архив не читается"),
        ("no sheets", "В книге XLSX нет ни одного листа"),
        ("empty sheet", "Книга XLSX пуста: нет строки заголовка"),
        ("bad boolean", "Книга XLSX: лист «Лист1» не читается — в нём ячейка с неверной датой или числом, либо лист повреждён"),
        ("string index", "Книга XLSX: лист «Лист1» не читается"),
        ("renamed CSV", "Файл не является книгой XLSX (возможно, это переименованный CSV)"),
    ],
)  # fmt: skip
def test_a_book_that_cannot_be_read_says_why_in_russian(tmp_path, case, message):
    path = tmp_path / "b.xlsx"
    if case == "no parts":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("readme.txt", "это не книга")
    elif case == "damaged member":
        # a member calamine itself would not read: the archive is damaged all the same
        write_raw_xlsx(path, {1: HEAD, 2: {"A": ("n", "1")}}, shared=SHARED)
        data = bytearray(path.read_bytes())
        data[0:4] = b"\x00\x00\x00\x00"  # the first member's local header
        path.write_bytes(bytes(data))
    elif case == "no sheets":
        write_raw_xlsx(path, {1: HEAD}, shared=SHARED, sheets=False)
    elif case == "empty sheet":
        write_raw_xlsx(path, {}, shared=SHARED)
    elif case == "bad boolean":
        write_raw_xlsx(path, {1: HEAD, 2: {"A": ("bool", "x")}}, shared=SHARED)
    elif case == "string index":
        write_raw_xlsx(path, {1: HEAD, 2: {"A": ("s", 99)}}, shared=SHARED)
    else:
        path.write_bytes("СНИЛС;Фамилия\n1;2\n".encode("cp1251"))
    with pytest.raises(ExtractError) as info:
        list(read_rows(path))
    assert str(info.value).startswith(message)


@pytest.mark.django_db
def test_a_number_cell_holding_text_is_an_invalid_row_with_its_number(recipients, tmp_path):
    """openpyxl failed the whole book on such a cell; calamine gives its text, and the row is
    reported with its number and reason while the others are read."""
    rows = {
        1: {"A": ("inline", "СНИЛС"), "B": ("inline", "Фамилия"), "C": ("inline", "Имя"),
            "D": ("inline", "Дата рождения")},
        2: {"A": ("n", "11223344595"), "B": ("inline", "Алексеева"), "C": ("inline", "Анна"),
            "D": ("date", "32994")},
        3: {"A": ("n", "12З45"), "B": ("inline", "Нетакой")},
    }  # fmt: skip
    path = write_raw_xlsx(tmp_path / "t.xlsx", rows)
    call_command("reconcile", str(path), "--source", "czn", "--kind", "employment", stdout=io.StringIO())  # fmt: skip
    run = ReconciliationRun.objects.get()
    assert run.status == "done" and run.counts["matched_snils"] == 1
    [invalid] = InvalidRow.objects.filter(run=run)
    assert invalid.row_number == 3 and invalid.reason == "поле «СНИЛС»: неверный номер «12З45»"
    assert Selection.objects.filter(run=run, applicant=recipients["a"]).exists()


def test_a_sheet_over_the_limit_is_streamed_and_a_cell_it_cannot_convert_names_its_row(
    tmp_path, settings
):
    rows = {1: HEAD, 2: {"A": ("n", "11223344595"), "B": ("s", 4)}, 3: {"A": ("n", "12З45")}}
    path = write_raw_xlsx(tmp_path / "big.xlsx", rows, shared=SHARED)
    assert readers._xlsx_archive(path) == 7  # the cells of the sheet, counted before reading
    settings.XLSX_IN_MEMORY_MB = 0
    rows_read = read_rows(path)
    assert next(rows_read) == (2, {"СНИЛС": 11223344595, "Фамилия": "Петров", "Имя": "", "Дата рождения": ""})  # fmt: skip
    with pytest.raises(ExtractError, match="Книга XLSX: строка 3 не читается — в ней ячейка"):
        next(rows_read)


def test_the_cells_of_a_large_sheet_are_estimated_from_its_first_megabyte(
    tmp_path, settings, monkeypatch
):
    rows = [[f"{i:03d}-000-000 00", "Иванов", "Иван", "Иванович", datetime.datetime(1950, 1, 1), i] for i in range(60000)]  # fmt: skip
    path = write_xlsx(tmp_path / "l.xlsx", HEADER, rows)
    cells = readers._xlsx_archive(path)
    assert abs(cells - 61000 * 6) < 61000 * 6 * 0.05, cells
    streamed = []
    real = readers._xlsx_rows_streamed
    monkeypatch.setattr(readers, "_xlsx_rows_streamed", lambda p: streamed.append(p) or real(p))
    settings.XLSX_IN_MEMORY_MB = 40  # 366,000 cells at 90 bytes: 31 MB, under the limit
    assert next(read_rows(path))[0] == 2 and streamed == []
    settings.XLSX_IN_MEMORY_MB = 30  # over it: read by openpyxl, a row at a time
    assert next(read_rows(path))[0] == 2 and streamed == [path]


def test_the_preview_shows_the_first_rows_without_parsing_the_whole_sheet(tmp_path, monkeypatch):
    """The upload's preview (in the web process) reads ten rows: the sheet is streamed, not
    parsed whole by calamine; the rows are what the run will read."""
    import python_calamine

    rows = [[f"{i:03d}-000-000 00", "Иванов", "Иван", "", datetime.datetime(1950, 1, 1), i] for i in range(30)]  # fmt: skip
    path = write_xlsx(tmp_path / "p.xlsx", HEADER, rows)
    run_rows = list(read_rows(path))[:10]

    parsed = []

    class Refused:
        @classmethod
        def from_path(cls, *args, **kwargs):
            parsed.append(args)
            raise RuntimeError("the whole sheet parsed")

    monkeypatch.setattr(python_calamine, "CalamineWorkbook", Refused)
    columns, shown = readers.preview(path)
    assert columns == HEADER and shown == run_rows and not parsed
    with pytest.raises(ExtractError):  # the run itself does parse it whole
        list(read_rows(path))
    assert parsed


def test_cells_are_counted_with_or_without_a_namespace_prefix():
    """The estimate counts `<c …>` as openpyxl writes it and `<x:c …>` as the .NET OpenXML SDK
    does — a prefixed sheet counted as empty would always be parsed whole — and not `<col>`."""
    sample = (
        b'<x:cols><x:col min="1"/></x:cols><x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c>'
        b'<x:c r="B1"/><c r="C1"><v>1</v></c><c>2</c><cols><col/></cols></x:row>'
    )
    assert len(readers.XLSX_CELL.findall(sample)) == 4
