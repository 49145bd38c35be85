"""QR codes on printed documents (receipts, archive labels): SVG as a data: URI (segno), so the
PDF fetcher needs nothing from outside."""

from __future__ import annotations


def qr_data_uri(text: str) -> str:
    import segno  # imported where a document is drawn: the views importing this stay light

    return segno.make(text, error="m").svg_data_uri(scale=3, border=1)
