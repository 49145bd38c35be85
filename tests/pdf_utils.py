import io

from pypdf import PdfReader


def pdf_text(pdf: bytes) -> str:
    """The text of every page, joined; whitespace folded so assertions read naturally."""
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(text.split())


def pdf_fonts(pdf: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(pdf))
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return fonts


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page, whitespace folded."""
    reader = PdfReader(io.BytesIO(pdf))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def pdf_raw_text(pdf: bytes) -> str:
    """The text of every page with its non-breaking spaces kept (only ASCII whitespace folded):
    for asserting that «№» is never parted from its number."""
    import re

    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    text = re.sub(r"[ \t\r\n]+", " ", text)
    # justified lines stretch a non-breaking space too, and pypdf reads the stretch as a gap
    return re.sub(r" ?\u00a0 ?", "\u00a0", text)
