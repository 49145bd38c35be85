"""Charts as SVG drawn on the server (pygal): no JavaScript, nothing from a CDN.

`chart_svg(chart, nonce=...)` gives the markup to inline in a page; `chart_svg_for_pdf(chart)`
the same for WeasyPrint (which draws inline SVG). The SVG is our own output, but it is still
cleaned: pygal's script (tooltips) is dropped, and the chart is re-serialised as well-formed XML
that carries every value (`<desc class="value">` per point), with a title for screen readers.
Its stylesheet stays inside the SVG: a page lets it in with the request's CSP nonce.

Every chart on a page has its figures as a table beside it (the template does that from
`Chart.rows`), for those who prefer numbers and for screen readers.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from django.utils.safestring import SafeString, mark_safe

from onewindow.dashboard import Chart

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

# Distinct when printed in grey as well: dark blue, orange, green, purple, brown.
COLOURS = ("#1f4e79", "#c55a11", "#2e7d32", "#6a1b9a", "#6d4c41", "#00838f")
FONT = '"Liberation Sans", "DejaVu Sans", Arial, sans-serif'


def _style():
    from pygal.style import Style

    return Style(
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#1a1a1a",
        foreground_strong="#000000",
        foreground_subtle="#555555",
        opacity="1",
        opacity_hover="1",
        transition="none",
        colors=COLOURS,
        value_colors=("#ffffff",) * len(COLOURS),
        font_family=FONT,
        title_font_family=FONT,
        label_font_family=FONT,
        major_label_font_family=FONT,
        value_font_family=FONT,
        value_label_font_family=FONT,
        legend_font_family=FONT,
        tooltip_font_family=FONT,
        no_data_font_family=FONT,
        title_font_size=18,
        label_font_size=13,
        major_label_font_size=13,
        legend_font_size=14,
        value_font_size=13,
        no_data_font_size=18,
    )


def _pygal_chart(chart: Chart, width: int, height: int):
    import pygal

    options = {
        "style": _style(),
        "width": width,
        "height": height,
        "explicit_size": False,
        "js": [],
        "disable_xml_declaration": True,
        "title": chart.title,
        "no_data_text": "Нет данных",
        "print_values": True,
        "print_zeroes": False,
        "show_legend": len(chart.series) > 1,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 2 if len(chart.series) > 3 else (len(chart.series) or 1),
        "truncate_label": 40,
        "truncate_legend": 40,
        "min_scale": 1,
        "max_scale": 6,
        "margin": 12,
        "order_min": 0,
    }
    if chart.kind == "line":
        drawing = pygal.Line(**options, x_label_rotation=45, show_dots=True, fill=False)
    elif chart.kind == "hbar":
        drawing = pygal.HorizontalBar(**options)
    elif chart.kind == "stacked_hbar":
        drawing = pygal.HorizontalStackedBar(**options)
    else:
        drawing = pygal.Bar(**options, x_label_rotation=45)
    # a horizontal chart draws its first label at the bottom: reversed, the first is on top
    flip = (lambda items: list(reversed(items))) if chart.kind in ("hbar", "stacked_hbar") else list
    drawing.x_labels = flip(chart.labels)
    for name, values in chart.series:
        drawing.add(name, flip([int(v) for v in values]))
    return drawing


def _size(chart: Chart) -> tuple[int, int]:
    if chart.kind in ("hbar", "stacked_hbar"):
        return 760, max(220, 90 + 34 * max(len(chart.labels), 1))
    return 760, 380


def clean_svg(markup: str, *, title: str, nonce: str = "") -> str:
    """Well-formed SVG without scripts, with an accessible name; its stylesheet carries the
    page's CSP nonce when one is given."""
    root = ET.fromstring(markup)
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag in (f"{{{SVG_NS}}}script", "script"):
                parent.remove(child)
    root.set("role", "img")
    root.set("aria-label", title)
    root.attrib.pop("width", None)
    root.attrib.pop("height", None)
    root.set("class", (root.get("class", "") + " chart-svg").strip())
    heading = ET.Element(f"{{{SVG_NS}}}title")
    heading.text = title
    root.insert(0, heading)
    for style in root.iter(f"{{{SVG_NS}}}style"):
        if nonce:
            style.set("nonce", nonce)
    return ET.tostring(root, encoding="unicode")


def render_svg(chart: Chart, *, nonce: str = "") -> str:
    width, height = _size(chart)
    markup = _pygal_chart(chart, width, height).render(is_unicode=True)
    return clean_svg(markup, title=chart.title, nonce=nonce)


def chart_svg(chart: Chart, *, nonce: str = "") -> SafeString:
    """The chart to inline in a page (our own, cleaned SVG)."""
    return mark_safe(render_svg(chart, nonce=nonce))  # our own output, cleaned


def chart_svg_for_pdf(chart: Chart) -> SafeString:
    """The chart to inline in an HTML template rendered by WeasyPrint (`onewindow.pdf`)."""
    return mark_safe(render_svg(chart))  # our own output, cleaned


def svg_values(markup: str) -> list[int]:
    """The values an SVG chart carries, in order (for tests and checks)."""
    root = ET.fromstring(markup)
    values = []
    for desc in root.iter(f"{{{SVG_NS}}}desc"):
        if "value" in (desc.get("class") or "").split() and desc.text:
            values.append(int(float(desc.text.replace(",", "."))))
    return values
