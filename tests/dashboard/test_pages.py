"""The dashboard's pages: whose home page they are, office scoping (404, logged as refused), bad
input told at its field, the director's read-only page, and the charts as parsed SVG."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from onewindow import charts, dashboard
from onewindow.models import AccessLog

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def page(client, user, url=None, **params):
    client.force_login(user)
    return client.get(url or reverse("dashboard"), params)


def test_the_chief_s_home_page_is_the_dashboard_the_specialist_s_is_not(
    client, chief, specialist, known_office
):
    html = page(client, chief, reverse("home")).content.decode()
    assert "Сводка: ЦСЗН Краснооктябрьского района" in html and "Приём заявлений" in html
    html = page(client, specialist, reverse("home")).content.decode()
    assert "Сводка" not in html and 'class="tiles"' in html
    assert page(client, specialist).status_code == 403


def test_another_office_answers_404_and_is_logged_as_refused(
    client, chief, other_office, known_office
):
    response = page(client, chief, office=other_office.pk)
    assert response.status_code == 404
    refused = AccessLog.objects.filter(user=chief, result="refused").order_by("pk").last()
    assert refused is not None and refused.subject_office_id in (other_office.pk, None)
    assert f"#{other_office.pk}" in refused.subject_repr and "чужого" in refused.detail
    # a number of no office at all: 404 as well
    assert page(client, chief, office=999999).status_code == 404
    # its own office is fine
    assert page(client, chief, office=chief.office_id).status_code == 200


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"office": "abc"}, "Учреждение указано неверно"),
        ({"day": "31.02.2026"}, "Неверная дата"),
        ({"day": "2026-13-01"}, "Неверная дата"),
        ({"day": "2027-01-01"}, "только по сегодняшний день (24.11.2026)"),
        ({"day": "1999-12-31"}, "Слишком ранняя дата"),
    ],
)
def test_bad_input_is_told_at_its_field_and_the_page_shows_today(
    client, chief, known_office, params, message
):
    response = page(client, chief, **params)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and 'class="field-error"' in html
    assert "За 24.11.2026, неделю и месяц" in html


def test_a_past_day_counts_the_intake_of_that_day(client, chief, known_office):
    html = page(client, chief, day="2026-11-10").content.decode()
    assert "За 10.11.2026, неделю и месяц" in html
    # 10.11: one application (the overdue one); the month to the 10th: 02.11 and 10.11
    # the day is named by its date, never «сегодня»
    assert '<span class="figure-value">1</span> <span class="figure-label">за 10.11.2026' in html
    assert '<span class="figure-value">2</span> <span class="figure-label">за месяц' in html
    assert "День 10.11.2026" in html and "сегодня" not in html.split("Приём заявлений", 1)[1][:3000]


def test_the_director_sees_every_office_read_only(client, director, other_office, known_office):
    response = page(client, director, reverse("home"))
    html = response.content.decode()
    assert "Страница директора: все учреждения" in html
    # what waits for approval: the agreed act, with its link
    act = known_office["acts"]["agreed"]
    assert f"Акт о выделении к уничтожению № {act.number} от 20.11.2026" in html
    assert reverse("archive:act", args=[act.pk]) in html
    assert "ежемесячный отчёт формируется автоматически в первый рабочий день месяца" in html
    # all offices: figures without links (the lists would show only the director's own office),
    # and the page says how to reach them
    assert "overdue=1" not in html
    assert "Списки за цифрами открываются по вашему учреждению" in html
    # another office, picked: its figures, no links, and no reassigning anywhere
    html = page(client, director, reverse("director"), office=other_office.pk).content.decode()
    assert "Страница директора: ЦСЗН Центрального района" in html
    assert '<span class="figure-value">1</span> <span class="figure-label">сегодня' in html
    assert "/cases/journal/?" not in html and "Передать" not in html
    # the own office: links to the lists the director may open
    html = page(client, director, reverse("director"), office=director.office_id).content.decode()
    assert "/cases/journal/?all_dates=1&amp;overdue=1" in html
    assert "/cases/requests/" not in html  # the director does not open «Запросы»
    assert "Списки за цифрами открываются по вашему учреждению" not in html


def test_others_may_not_open_the_director_s_page(client, chief, specialist):
    for user in (chief, specialist):
        assert page(client, user, reverse("director")).status_code == 403


def test_charts_are_inline_svg_that_parses_and_carries_the_values(client, chief, known_office):
    board = dashboard.build(
        dashboard.Scope(
            user=chief,
            offices=[chief.office],
            office=chief.office,
            today=known_office["applications"]["today"].registered_on,
            day=known_office["applications"]["today"].registered_on,
        )
    )
    for chart in board.charts:
        markup = charts.render_svg(chart)
        root = ET.fromstring(markup)  # well-formed XML
        assert root.tag == f"{SVG}svg" and root.get("role") == "img"
        assert root.find(f"{SVG}title").text == chart.title
        assert not list(root.iter(f"{SVG}script"))
        expected = [v for _, values in chart.series for v in values]
        if chart.kind in ("hbar", "stacked_hbar"):  # drawn bottom-up: reversed per series
            expected = [v for _, values in chart.series for v in reversed(values)]
        assert charts.svg_values(markup) == expected, chart.key
    intake = next(c for c in board.charts if c.key == "intake_days")
    assert "21.11" in intake.labels and "04.11" not in intake.labels  # the working Saturday counts
    # the page inlines them, each with its figures as a table, and lets their style in by nonce
    response = page(client, chief)
    html = response.content.decode()
    svgs = re.findall(r"<svg .*?</svg>", html, flags=re.S)
    assert len(svgs) == len(board.charts) == 4
    for markup in svgs:
        ET.fromstring(markup)
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert f'<style nonce="{nonce}"' in html or f'nonce="{nonce}"' in html
    assert html.count("Цифры графика") == 4
    # for a PDF: the same SVG, no nonce
    assert "nonce" not in charts.chart_svg_for_pdf(intake)


def test_a_chart_in_a_pdf_is_drawn(chief, known_office):
    from weasyprint import HTML

    from tests.pdf_utils import pdf_text

    board = dashboard.build(
        dashboard.Scope(
            user=chief,
            offices=[chief.office],
            office=chief.office,
            today=known_office["applications"]["today"].registered_on,
            day=known_office["applications"]["today"].registered_on,
        )
    )
    chart = next(c for c in board.charts if c.key == "top_services")
    pdf = HTML(string=f"<html><body>{charts.chart_svg_for_pdf(chart)}</body></html>").write_pdf()
    text = pdf_text(pdf)
    assert "Услуги месяца" in text and "Ежемесячная денежная выплата" in text


def test_a_chart_is_plain_svg_whatever_prefixes_the_process_has_registered():
    """WeasyPrint registers the empty XML prefix for its own metadata when it is imported; the
    charts must still come out as `<svg xmlns=…>` (a `<ns0:svg>` is not drawn inside HTML)."""
    ET.register_namespace("", "")  # what weasyprint.pdf.metadata does on import
    chart = dashboard.Chart(
        key="k", title="Проба", labels=["а", "б"], series=[("Принято", [3, 4])], kind="bar"
    )
    svg = charts.render_svg(chart)
    assert svg.startswith("<svg ") and "ns0:" not in svg
    # no inline style the page's CSP would refuse (pygal's tooltip layer is dropped)
    assert ' style="' not in svg and "tooltip-overlay" not in svg
    assert 'xmlns="http://www.w3.org/2000/svg"' in svg
    assert charts.svg_values(svg) == [3, 4]


def test_every_row_of_a_long_legend_is_inside_the_drawing():
    chart = dashboard.Chart(
        key="k", title="Проба", kind="hbar",
        labels=["Целевая потребительская субсидия на оплату продуктов питания", "ЕДВ"],
        series=[(f"Очень длинное название ряда номер {n}", [n, n + 1]) for n in range(1, 6)],
    )  # fmt: skip
    root = ET.fromstring(charts.render_svg(chart))
    height = float(root.get("viewBox").split()[3])
    ns = {"s": charts.SVG_NS}
    legends = root.find(".//s:g[@class='legends']", ns)
    top = float(legends.get("transform").split(",")[1].rstrip(")"))
    rects = legends.findall(".//s:rect", ns)
    assert len(rects) == 5
    assert all(top + float(r.get("y")) + float(r.get("height")) <= height for r in rects)
