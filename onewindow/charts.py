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


def legend_columns(chart: Chart) -> int:
    """Columns of the legend under a chart: as many as fit without names running into each
    other (a long column title such as «Ответ получен с опозданием» takes a row of its own)."""
    count = len(chart.series) or 1
    longest = max((len(name) for name, _ in chart.series), default=0)
    # a horizontal chart with long labels leaves the legend a narrow strip under its plot
    if chart.kind in ("hbar", "stacked_hbar") and max(map(len, chart.labels), default=0) > 24:
        return 1 if longest > 12 else min(count, 2)
    if longest > 32:
        return 1
    if longest > 20 or count > 3:
        return min(count, 2)
    return count


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
        "legend_at_bottom_columns": legend_columns(chart),
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
    # the legend's extra rows are added after drawing (`fit_legend`)
    if chart.kind in ("hbar", "stacked_hbar"):
        return 760, max(220, 90 + 34 * max(len(chart.labels), 1))
    return 760, 380


def clean_svg(markup: str, *, title: str, nonce: str = "") -> str:
    """Well-formed SVG without scripts, with an accessible name; its stylesheet carries the
    page's CSP nonce when one is given."""
    root = ET.fromstring(markup)
    for parent in list(root.iter()):
        for child in list(parent):
            # pygal's script, and the tooltip layer it drives (its inline `style` is refused
            # by the page's Content-Security-Policy, and without the script it shows nothing)
            if (
                child.tag in (f"{{{SVG_NS}}}script", "script")
                or "tooltip-overlay" in (child.get("class") or "").split()
            ):
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
    fit_legend(root)
    return ET.tostring(without_prefixes(root), encoding="unicode")


def without_prefixes(root: ET.Element) -> ET.Element:
    """The tree with plain tag names under a default `xmlns`, whatever prefixes ElementTree's
    process-wide registry holds (WeasyPrint re-registers the empty prefix for its own metadata
    on import, after which `<svg>` would come out as `<ns0:svg>`, which HTML does not draw)."""
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.startswith("{"):
            element.tag = element.tag.split("}", 1)[1]
        for key in [key for key in element.attrib if key.startswith("{")]:
            namespace, name = key[1:].split("}", 1)
            value = element.attrib.pop(key)
            element.set(f"xlink:{name}" if namespace == XLINK_NS else name, value)
    root.set("xmlns", SVG_NS)
    root.set("xmlns:xlink", XLINK_NS)
    return root


def _translate(element: ET.Element) -> tuple[float, float]:
    transform = element.get("transform", "")
    if not transform.startswith("translate("):
        return 0.0, 0.0
    numbers = transform[len("translate(") : transform.index(")")].replace(",", " ").split()
    x = float(numbers[0]) if numbers else 0.0
    y = float(numbers[1]) if len(numbers) > 1 else 0.0
    return x, y


def fit_legend(root: ET.Element) -> None:
    """Grow the drawing's height to hold every row of the legend under it (pygal keeps room for
    one row only and cuts off the rest)."""
    view_box = (root.get("viewBox") or "").split()
    if len(view_box) != 4:
        return
    height = float(view_box[3])
    bottom = height
    for legends in root.iter(f"{{{SVG_NS}}}g"):
        if "legends" not in (legends.get("class") or "").split():
            continue
        _, top = _translate(legends)
        for rect in legends.iter(f"{{{SVG_NS}}}rect"):
            bottom = max(bottom, top + float(rect.get("y", 0)) + float(rect.get("height", 0)) + 10)
    if bottom > height:
        view_box[3] = f"{bottom:g}"
        root.set("viewBox", " ".join(view_box))
        for rect in root.iter(f"{{{SVG_NS}}}rect"):
            # the drawing's own background (the plot's is smaller and stays)
            if (
                "background" in (rect.get("class") or "").split()
                and rect.get("y") == "0"
                and (float(rect.get("height", 0)) == height)
            ):
                rect.set("height", f"{bottom:g}")


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


# --- Charts of a stored report (issue 18, item 2: «inside the PDF reports») ---------------------


def find_table(data: dict, code: str) -> dict | None:
    """A table of a stored report's figures by its code (None if the report lacks it)."""
    for section in data.get("sections", []):
        for table in section.get("tables", []):
            if table.get("code") == code:
                return table
    return None


def report_table_chart(
    data: dict,
    code: str,
    *,
    title: str,
    keys: list[str],
    kind: str = "hbar",
    limit: int = 10,
) -> list[dict]:
    """A chart of one table of a stored report: its rows (the largest `limit` by the first key)
    along one axis, one series per column in `keys`. Nothing when the table is absent or all zero
    (the table itself says «0» better than an empty chart)."""
    table = find_table(data, code)
    if table is None:
        return []
    index = {column["key"]: i for i, column in enumerate(table["columns"])}
    keys = [key for key in keys if key in index]
    if not keys:
        return []

    def value(row, key) -> int:
        figure = row[index[key]]
        return int(figure) if isinstance(figure, (int, float)) else 0

    rows = [row for row in table["rows"] if any(value(row, key) for key in keys)]
    rows.sort(key=lambda row: -value(row, keys[0]))
    rows = rows[:limit]
    if not rows:
        return []
    chart = Chart(
        key=f"report-{code}",
        title=title,
        labels=[str(row[0]) for row in rows],
        series=[
            (table["columns"][index[key]]["title"], [value(row, key) for row in rows])
            for key in keys
        ],
        kind=kind,
    )
    return [{"title": title, "svg": render_svg(chart)}]
