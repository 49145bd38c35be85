"""Render Django templates to PDF with WeasyPrint, offline.

The fetcher serves our static files from disk and `data:` URIs (QR codes, barcodes); every other
URL (http, https, file:// outside the static files) is refused, so a document can never reach
the network or read the server's files. Fonts come from Debian packages (Liberation Serif,
ParaType, DejaVu) installed by `make`, found by fontconfig.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# Documents use this origin as their base URL; only /static/... under it is served.
PDF_BASE_URL = "https://onewindow.pdf/"


class StaticOnlyFetcher(URLFetcher):
    """A WeasyPrint fetcher that reads static files from disk and refuses everything else."""

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        static_prefix = PDF_BASE_URL + settings.STATIC_URL.lstrip("/")
        if not url.startswith(static_prefix):
            raise ValueError(f"Запрещённый адрес в документе: {url}")
        relative = url[len(static_prefix) :].split("?")[0].split("#")[0]
        if not relative or ".." in Path(relative).parts:
            raise ValueError(f"Запрещённый путь в документе: {url}")
        path = finders.find(relative)
        if path is None and settings.STATIC_ROOT:
            candidate = Path(settings.STATIC_ROOT) / relative
            path = str(candidate) if candidate.is_file() else None
        if path is None:
            raise ValueError(f"Файл не найден: {relative}")
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, Path(path).read_bytes(), headers={"Content-Type": content_type}
        )


def render_pdf(template_name: str, context: dict | None = None, *, request=None) -> bytes:
    """Render `template_name` (an HTML template extending `pdf/base.html`) to PDF bytes."""
    context = {"pdf_font_family": settings.PDF_FONT_FAMILY, **(context or {})}
    html = render_to_string(template_name, context, request=request)
    return html_to_pdf(html)


def html_to_document(html: str):
    """The laid-out WeasyPrint document (pages inspectable before writing the PDF)."""
    fetcher = StaticOnlyFetcher(fail_on_errors=False)
    document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=fetcher)
    return document.render(font_config=FontConfiguration())


def html_to_pdf(html: str) -> bytes:
    return html_to_document(html).write_pdf()


def pdf_response(pdf: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response
