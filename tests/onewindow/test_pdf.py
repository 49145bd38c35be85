import logging

import pytest
from django.template import engines

from onewindow.pdf import PDF_BASE_URL, StaticOnlyFetcher, html_to_pdf, pdf_response, render_pdf
from tests.pdf_utils import pdf_fonts, pdf_text

DOC = """{% extends "pdf/base.html" %}{% block body %}
<p class="org">{{ office }}</p>
<h1>Расписка</h1>
<p>Принято заявление от Иванова Ивана Ивановича. Ёмкость, щёлочь, «ёлка» — № 15.</p>
{% endblock %}"""


def render(template_source: str, context: dict) -> bytes:
    from django.conf import settings

    html = (
        engines["django"]
        .from_string(template_source)
        .render({"pdf_font_family": settings.PDF_FONT_FAMILY, **context})
    )
    return html_to_pdf(html)


def test_rendered_pdf_carries_cyrillic_text_in_liberation_serif():
    pdf = render(DOC, {"office": "ЦСЗН Краснооктябрьского района"})
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "ЦСЗН Краснооктябрьского района" in text
    assert "РАСПИСКА" in text  # h1 is upper-cased by the print stylesheet: it was loaded
    assert "Иванова Ивана Ивановича. Ёмкость, щёлочь, «ёлка» — № 15." in text
    assert "Страница 1 из 1" in text
    assert any(font.startswith("Liberation-Serif") for font in pdf_fonts(pdf))


def test_render_pdf_renders_a_template_by_name(tmp_path, settings):
    (tmp_path / "doc.html").write_text(DOC, encoding="utf-8")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    text = pdf_text(render_pdf("doc.html", {"office": "Тестовое учреждение"}))
    assert "Тестовое учреждение" in text


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/logo.png",
        "http://127.0.0.1:8000/static/css/onewindow.css",
        "file:///etc/passwd",
        PDF_BASE_URL + "static/../../settings.py",
        PDF_BASE_URL + "media/secret.pdf",
    ],
)
def test_fetcher_refuses_everything_but_static_files(url):
    with pytest.raises(ValueError):
        StaticOnlyFetcher().fetch(url)


def test_fetcher_serves_static_files_with_their_type():
    response = StaticOnlyFetcher().fetch(PDF_BASE_URL + "static/pdf/document.css")
    assert response.content_type == "text/css"
    assert b"@page" in response.read()


def test_document_with_foreign_image_still_renders_without_fetching_it(caplog):
    source = DOC.replace("</h1>", '</h1><img src="https://example.com/x.png">')
    with caplog.at_level(logging.ERROR, logger="weasyprint"):
        text = pdf_text(render(source, {"office": "ЦСЗН"}))
    assert "Расписка".upper() in text
    assert "Запрещённый адрес в документе: https://example.com/x.png" in caplog.text


def test_pdf_response_names_the_file_in_utf8():
    response = pdf_response(b"%PDF-1.7", "Расписка 2026-15.pdf", inline=False)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=UTF-8''%D0%A0%D0%B0%D1%81%D0%BF%D0%B8%D1%81%D0%BA%D0%B0%202026-15.pdf"
    )
