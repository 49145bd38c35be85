"""Long registers (acts and inventory lists of thousands of files) as PDF.

A register is a table with fixed columns. Its template (WeasyPrint, like every document) draws
the head of the document, the table and the signatures from the same `Register`, so the columns
are written once. WeasyPrint lays out a row of a table in about 8 ms here, so a 5,000-row act
would take 40 s of CPU; for a long register the document is cut in three: the head with the
first rows and the tail with the last rows and signatures are rendered by WeasyPrint, and the
rows between are drawn by ReportLab in the same page geometry, fonts, column widths, borders and
paddings (about 0.3 ms a row), and the pages are joined.
"""

from __future__ import annotations

import functools
import re
import subprocess
from dataclasses import dataclass, field
from io import BytesIO

from django.conf import settings
from django.template.loader import render_to_string

from onewindow.pdf import html_to_document, html_to_pdf

MM = 72 / 25.4  # points in a millimetre

# The geometry of static/pdf/document.css: A4 with margins 20/15/20/25 mm (landscape: 15/15/15/20);
# table cells 10pt (header cells 9pt bold, centred) with padding 2pt 4pt, line height 1.25, 0.5pt
# borders.
PORTRAIT = {"size": (210 * MM, 297 * MM), "margins": (20 * MM, 15 * MM, 20 * MM, 25 * MM)}
LANDSCAPE = {"size": (297 * MM, 210 * MM), "margins": (15 * MM, 15 * MM, 15 * MM, 20 * MM)}
FONT_SIZE, HEADER_FONT_SIZE, LINE_HEIGHT = 10, 9, 1.25
PAD_X, PAD_Y = 4, 2
BORDER = 0.5

# A register longer than this is cut into WeasyPrint head + ReportLab rows + WeasyPrint tail.
FAST_FROM = 300
HEAD_ROWS = 20
TAIL_ROWS = 10


@dataclass(frozen=True)
class Column:
    title: str
    width_mm: float | None = None  # None: the column takes the width that is left
    align: str = "left"


@dataclass
class Register:
    columns: list[Column]
    rows: list[list[str]] = field(default_factory=list)
    landscape: bool = False

    @property
    def page(self) -> dict:
        return LANDSCAPE if self.landscape else PORTRAIT

    def widths_mm(self) -> list[float]:
        _, right, _, left = self.page["margins"]
        content = (self.page["size"][0] - left - right) / MM
        fixed = sum(c.width_mm or 0 for c in self.columns)
        flexible = [c for c in self.columns if c.width_mm is None]
        rest = max(content - fixed, 10) / max(len(flexible), 1)
        return [c.width_mm if c.width_mm is not None else rest for c in self.columns]

    def template_columns(self) -> list[dict]:
        return [
            {"title": c.title, "width": f"{w:.2f}mm", "align": c.align}
            for c, w in zip(self.columns, self.widths_mm(), strict=True)
        ]


def render_register(
    template_name: str, context: dict, register: Register, *, progress=None, fast: bool = True
) -> bytes:
    """The document as PDF bytes; `progress(done, total)` is called while rows are drawn.
    `fast=False` lays the whole document out with WeasyPrint (the benchmark's baseline)."""
    rows = register.rows
    base = {
        "pdf_font_family": settings.PDF_FONT_FAMILY,
        **context,
        "register": register,
        "register_columns": register.template_columns(),
    }

    def html(part_rows, *, first: bool, last: bool) -> str:
        chunked = not (first and last)  # a part: the page footer is stamped after joining
        return render_to_string(template_name, {**base, "register_rows": part_rows, "first": first, "last": last, "chunked": chunked})  # fmt: skip

    if len(rows) <= FAST_FROM or not fast:
        pdf = html_to_pdf(html(rows, first=True, last=True))
        if progress:
            progress(1, 1)
        return pdf
    from pypdf import PdfReader, PdfWriter

    head_rows = HEAD_ROWS
    head_html = html(rows[:head_rows], first=True, last=False)
    head_document = html_to_document(head_html)
    on_last_page = _rows_on_last_page(head_document)
    if len(head_document.pages) > 1 and 0 < on_last_page < head_rows:
        # The head spilled a few rows onto a page of their own: leave them to the fast part.
        head_rows -= on_last_page
        head_html = html(rows[:head_rows], first=True, last=False)
        head_document = html_to_document(head_html)
    head = PdfReader(BytesIO(head_document.write_pdf()))
    tail = PdfReader(BytesIO(html_to_pdf(html(rows[-TAIL_ROWS:], first=False, last=True))))
    pages = paginate(register, rows[head_rows:-TAIL_ROWS], progress=progress)
    total = len(head.pages) + len(pages) + len(tail.pages)
    middle = PdfReader(BytesIO(draw_pages(register, pages, first_number=len(head.pages) + 1, total=total)))  # fmt: skip
    numbers = _page_numbers(
        [(p.mediabox.width, p.mediabox.height) for p in [*head.pages, *tail.pages]],
        [*range(1, len(head.pages) + 1), *range(total - len(tail.pages) + 1, total + 1)],
        total,
    )
    writer = PdfWriter()
    for part in (head, middle, tail):
        writer.append(part)
    stamped = list(range(len(head.pages))) + list(range(total - len(tail.pages), total))
    for page_index, overlay in zip(stamped, numbers.pages, strict=True):
        writer.pages[page_index].merge_page(overlay)
    out = BytesIO()
    writer.write(out)
    if progress:
        progress(len(rows), len(rows))
    return out.getvalue()


def _rows_on_last_page(document) -> int:
    """How many body rows of the register's table WeasyPrint put on the document's last page."""
    from weasyprint.formatting_structure import boxes

    count = 0
    for box in document.pages[-1]._page_box.descendants():
        if isinstance(box, boxes.TableRowGroupBox) and not box.is_header:
            count += sum(1 for child in box.children if isinstance(child, boxes.TableRowBox))
    return count


def _footer(canvas, page_width: float, margins, number: int, total: int) -> None:
    """«Страница N из M» where the stylesheet's @bottom-right puts it (9pt, grey)."""
    _, right, bottom, _ = margins
    canvas.setFillGray(0.27)
    canvas.setFont(_fonts()[0], 9)
    canvas.drawRightString(page_width - right, bottom / 2 - 3, f"Страница {number} из {total}")
    canvas.setFillGray(0)


def _page_numbers(sizes, numbers, total):
    from pypdf import PdfReader
    from reportlab.pdfgen.canvas import Canvas

    out = BytesIO()
    canvas = Canvas(out)
    for (width, height), number in zip(sizes, numbers, strict=True):
        width, height = float(width), float(height)
        canvas.setPageSize((width, height))
        margins = LANDSCAPE["margins"] if width > height else PORTRAIT["margins"]
        _footer(canvas, width, margins, number, total)
        canvas.showPage()
    canvas.save()
    return PdfReader(BytesIO(out.getvalue()))


@functools.cache
def _fonts() -> tuple[str, str]:
    """Register the serif of our documents (found by fontconfig) with ReportLab."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    names = []
    for style, name in (("", "OneWindowSerif"), (":bold", "OneWindowSerif-Bold")):
        path = ""
        for family in ("Liberation Serif", "PT Serif", "DejaVu Serif"):
            try:
                found = subprocess.run(
                    ["fc-match", "-f", "%{file}", f"{family}{style}"],
                    capture_output=True, text=True, timeout=10, check=True,
                ).stdout.strip()  # fmt: skip
            except (OSError, subprocess.SubprocessError):
                continue
            if found.lower().endswith(".ttf"):
                path = found
                break
        if not path:
            raise RuntimeError("Не найден шрифт с кириллицей для документов (Liberation Serif)")
        pdfmetrics.registerFont(TTFont(name, path))
        names.append(name)
    return names[0], names[1]


_BREAK_AFTER = re.compile(r"(?<=[–—])(?=\S)|(?<=\w-)(?=[^\W\d])")


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines of `text` within `width` points, broken where the browser would break them: at
    spaces and after a dash (after a hyphen only before a letter: «07-15» stays whole); a word
    longer than the column is cut."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        line = ""
        for number, word in enumerate(paragraph.split()):
            for part, piece in enumerate(_BREAK_AFTER.split(word)):
                glue = " " if number and not part else ""
                candidate = f"{line}{glue}{piece}" if line else piece
                if stringWidth(candidate, font, size) <= width:
                    line = candidate
                    continue
                if line:
                    lines.append(line)
                while stringWidth(piece, font, size) > width and len(piece) > 1:
                    cut = len(piece) - 1
                    while cut > 1 and stringWidth(piece[:cut], font, size) > width:
                        cut -= 1
                    lines.append(piece[:cut])
                    piece = piece[cut:]
                line = piece
        lines.append(line)
    return lines or [""]


def paginate(register: Register, rows: list[list[str]], *, progress=None) -> list[list]:
    """Wrap every cell and cut the rows into pages: [[(cells, height), ...], ...]. A row is
    never split across pages; the header row is repeated on each."""
    regular, bold = _fonts()
    page_height = register.page["size"][1]
    margin_top, _, margin_bottom, _ = register.page["margins"]
    inner = [w * MM - 2 * PAD_X for w in register.widths_mm()]
    header = [_wrap(c.title, bold, HEADER_FONT_SIZE, w) for c, w in zip(register.columns, inner, strict=True)]  # fmt: skip
    room = page_height - margin_top - margin_bottom - _height(header, HEADER_FONT_SIZE)
    pages: list[list] = [[]]
    left = room
    for done, row in enumerate(rows, start=1):
        cells = [_wrap(text, regular, FONT_SIZE, w) for text, w in zip(row, inner, strict=True)]
        height = _height(cells, FONT_SIZE)
        if height > left and pages[-1]:
            pages.append([])
            left = room
        pages[-1].append((cells, height))
        left -= height
        if progress and done % 500 == 0:
            progress(done, len(rows) * 2)
    return pages


def _height(cells: list[list[str]], size: float) -> float:
    return max(len(lines) for lines in cells) * size * LINE_HEIGHT + 2 * PAD_Y


def draw_pages(register: Register, pages: list[list], *, first_number: int, total: int) -> bytes:
    """Draw paginated rows: the table's header and grid, the cells, the page number."""
    from reportlab.pdfgen.canvas import Canvas

    regular, bold = _fonts()
    page_width, page_height = register.page["size"]
    margins = register.page["margins"]
    margin_top, _, _, margin_left = margins
    widths = [w * MM for w in register.widths_mm()]
    inner = [w - 2 * PAD_X for w in widths]
    lefts = [margin_left + sum(widths[:i]) for i in range(len(widths))]
    right = margin_left + sum(widths)
    page_top = page_height - margin_top
    header = [_wrap(c.title, bold, HEADER_FONT_SIZE, w) for c, w in zip(register.columns, inner, strict=True)]  # fmt: skip
    centred = ["center"] * len(widths)
    aligns = [c.align for c in register.columns]

    out = BytesIO()
    canvas = Canvas(out, pagesize=(page_width, page_height), pageCompression=1)

    def draw_row(top: float, cells: list[list[str]], font: str, size: float, aligns) -> float:
        leading = size * LINE_HEIGHT
        # Liberation Serif: ascent 0.891, descent 0.216 of the size, centred in the line height.
        ascent = size * 0.891 + (leading - size * 1.107) / 2
        height = _height(cells, size)
        canvas.setFont(font, size)
        for left, width, lines, align in zip(lefts, widths, cells, aligns, strict=True):
            baseline = top - PAD_Y - ascent
            for line in lines:
                if align == "center":
                    canvas.drawCentredString(left + width / 2, baseline, line)
                elif align == "right":
                    canvas.drawRightString(left + width - PAD_X, baseline, line)
                else:
                    canvas.drawString(left + PAD_X, baseline, line)
                baseline -= leading
        canvas.line(margin_left, top - height, right, top - height)
        return height

    for number, page in enumerate(pages, start=first_number):
        canvas.setLineWidth(BORDER)
        canvas.line(margin_left, page_top, right, page_top)
        y = page_top - draw_row(page_top, header, bold, HEADER_FONT_SIZE, centred)
        for cells, _ in page:
            y -= draw_row(y, cells, regular, FONT_SIZE, aligns)
        for x in [*lefts, right]:
            canvas.line(x, page_top, x, y)
        _footer(canvas, page_width, margins, number, total)
        canvas.showPage()
    canvas.save()
    return out.getvalue()
