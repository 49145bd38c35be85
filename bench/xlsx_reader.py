"""The XLSX reader alone: how fast `readers.read_rows` reads an extract of N rows and its peak memory.

    .venv/bin/python bench/xlsx_reader.py                  # 1,000,000 rows
    BENCH_ROWS=100000 .venv/bin/python bench/xlsx_reader.py
    BENCH_READERS=calamine .venv/bin/python bench/xlsx_reader.py

The extract is written as bench/reconcile.py writes its XLSX (`write_xlsx`: openpyxl's write-only
mode, the same header, the СНИЛС as text, dates as date cells) with the same mix of rows (80 %
with a СНИЛС, the rest by name and birth date, some with a typo, some unknown), but from people
made up here rather than read from the benchmark's database: no database is needed. It is kept
in BENCH_WORK (default var/bench) and reused. BENCH_STRINGS=shared writes it as Excel saves a
book instead: every text in the shared strings table, dates as numbers in a date format.

Each reader runs in a process of its own that only iterates the rows; its peak RSS is read by
this launcher through RUSAGE_CHILDREN. Readers (BENCH_READERS, a comma list):
  calamine  `readers.read_rows` as it is (python-calamine)
  openpyxl  the reader it replaced: openpyxl's read-only mode, `iter_rows(values_only=True)`
            with the same row handling (blank rows skipped, a dict per row)
"""

from __future__ import annotations

import datetime
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_BENCH = str(Path(__file__).resolve().parent)
sys.path[:] = [p for p in sys.path if p and str(Path(p).resolve()) != _BENCH]
sys.path.insert(0, str(ROOT))
sys.path.append(_BENCH)

N_ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
WORK = Path(os.environ.get("BENCH_WORK", str(ROOT / "var" / "bench")))
READERS = [r for r in os.environ.get("BENCH_READERS", "openpyxl,calamine").split(",") if r]
SHARED = os.environ.get("BENCH_STRINGS", "") == "shared"


def people(count: int):
    """Rows as `reconcile.extract_rows` yields them (СНИЛС «XXX-XXX-XXX YY», names, dates)."""
    import counter
    from reconcile import EVENT

    rnd = random.Random(2026)
    for i in range(1, count + 1):
        female = rnd.random() < 0.55
        stem = rnd.choice(counter.SURNAME_STEMS)
        last = counter.female_surname(stem) if female else stem
        first = rnd.choice(counter.FEMALE_NAMES if female else counter.MALE_NAMES)
        middle = counter.patronymic(rnd.choice(counter.MALE_NAMES), female)
        born = datetime.date(1930, 1, 1) + datetime.timedelta(days=rnd.randrange(0, 365 * 75))
        roll = rnd.random()
        if roll < 0.80:
            snils = counter.snils_for(i)
            yield (f"{snils[:3]}-{snils[3:6]}-{snils[6:9]} {snils[9:]}", last, first, middle, born, EVENT)  # fmt: skip
        elif roll < 0.90:
            yield ("", last.upper(), first, middle, born, EVENT)
        elif roll < 0.95:
            yield ("", counter.typo(last, rnd), first, middle, born, EVENT)
        else:
            born = datetime.date(1900 + rnd.randint(30, 99), 1, rnd.randint(1, 28))
            yield ("", "Неизвестнов", rnd.choice(counter.MALE_NAMES), "", born, EVENT)


def write_shared(path: Path, rows) -> None:
    """The same extract as Excel saves it: every text in the shared strings table (openpyxl
    writes inline strings), dates as numbers in a date format, the used range in <dimension>."""
    import zipfile
    from xml.sax.saxutils import escape

    from reconcile import HEADER

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rels = "http://schemas.openxmlformats.org/package/2006/relationships"
    doc = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    strings: dict[str, int] = {}
    epoch = datetime.date(1899, 12, 30)

    def text(value: str) -> str:
        return f'<c t="s"><v>{strings.setdefault(value, len(strings))}</v></c>'

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'{head}<worksheet xmlns="{main}"><dimension ref="A1:F{N_ROWS + 1}"/><sheetData>'.encode())  # fmt: skip
            sheet.write(('<row r="1">' + "".join(text(h) for h in HEADER) + "</row>").encode())
            for number, (snils, last, first, middle, born, event) in enumerate(rows, start=2):
                cells = [text(v) if v else "" for v in (snils, last, first, middle)]
                cells += [f'<c s="1"><v>{(d - epoch).days}</v></c>' for d in (born, event)]
                sheet.write(f'<row r="{number}">{"".join(cells)}</row>'.encode())
            sheet.write(b"</sheetData></worksheet>")
        ordered = sorted(strings, key=strings.get)
        archive.writestr("xl/sharedStrings.xml", f'{head}<sst xmlns="{main}" count="{len(ordered)}" uniqueCount="{len(ordered)}">'
                         + "".join(f"<si><t>{escape(s)}</t></si>" for s in ordered) + "</sst>")  # fmt: skip
        archive.writestr("[Content_Types].xml", f'{head}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            "</Types>")  # fmt: skip
        archive.writestr("_rels/.rels", f'{head}<Relationships xmlns="{rels}"><Relationship Id="rId1" Type="{doc}/officeDocument" Target="xl/workbook.xml"/></Relationships>')  # fmt: skip
        archive.writestr("xl/workbook.xml", f'{head}<workbook xmlns="{main}" xmlns:r="{doc}"><sheets><sheet name="Выгрузка" sheetId="1" r:id="rId1"/></sheets></workbook>')  # fmt: skip
        archive.writestr("xl/_rels/workbook.xml.rels", f'{head}<Relationships xmlns="{rels}">'
            f'<Relationship Id="rId1" Type="{doc}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{doc}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId3" Type="{doc}/sharedStrings" Target="sharedStrings.xml"/></Relationships>')  # fmt: skip
        archive.writestr("xl/styles.xml", f'{head}<styleSheet xmlns="{main}"><fonts count="1"><font/></fonts>'
            '<fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders>'
            '<cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0"/>'
            '<xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>')  # fmt: skip


def extract() -> Path:
    from reconcile import write_xlsx

    path = WORK / f"xlsx-reader-{N_ROWS}{'-shared' if SHARED else ''}.xlsx"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        partial = path.with_suffix(".part.xlsx")
        (write_shared if SHARED else write_xlsx)(partial, people(N_ROWS))
        partial.rename(path)
        print(f"выгрузка {path.name} записана за {time.perf_counter() - started:.1f} с")
    return path


def openpyxl_rows(path: Path):
    """The reader `readers._xlsx_rows` was before python-calamine (its row handling)."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows)]
        number = 1
        for values in rows:
            number += 1
            if not any(v not in (None, "") for v in values):
                continue
            yield number, {h: ("" if v is None else v) for h, v in zip(header, values, strict=False) if h}  # fmt: skip
    finally:
        workbook.close()


def child(reader: str, path: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onewindow.settings")
    import django

    django.setup()
    from reconciliation.readers import read_rows

    rows = openpyxl_rows(path) if reader == "openpyxl" else read_rows(path)
    started, cpu = time.perf_counter(), time.process_time()
    count = 0
    last = None
    for _number, row in rows:
        count += 1
        last = row
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"{count} {seconds:.3f} {cpu:.3f} {last!r}")


def measure(reader: str, path: Path) -> None:
    """Runs the reader in a process of its own and prints its output and its peak RSS (KiB):
    a launcher of its own per reader, since RUSAGE_CHILDREN keeps the largest child's peak."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", reader, str(path)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"{peak} {out.stdout.strip().splitlines()[-1]}")


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] in ("--child", "--measure"):
        (child if sys.argv[1] == "--child" else measure)(sys.argv[2], Path(sys.argv[3]))
        return
    path = extract()
    size = path.stat().st_size / 1e6
    kind = "общие строки, как пишет Excel" if SHARED else "строки в ячейках, как пишет openpyxl"
    print(f"XLSX: {N_ROWS} строк, {size:.1f} МБ ({kind}); чтение в отдельном процессе")
    for reader in READERS:
        out = subprocess.run(
            [sys.executable, __file__, "--measure", reader, str(path)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        peak, count, seconds, cpu, last = out.stdout.strip().splitlines()[-1].split(" ", 4)
        count, seconds, cpu = int(count), float(seconds), float(cpu)
        print(
            f"  {reader:9} {count:>9} строк за {seconds:7.1f} с (процессор {cpu:.1f} с), "
            f"{count / seconds:>9,.0f} строк/с, пик RSS {int(peak) / 1024:.0f} МБ"
        )
        print(f"            последняя: {last[:160]}")


if __name__ == "__main__":
    main()
