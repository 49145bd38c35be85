import datetime

import pytest
from django.urls import reverse

from archive import documents, services
from onewindow import registers
from onewindow.jobs import run_job_now
from onewindow.models import Job
from tests.pdf_utils import pdf_pages, pdf_text

pytestmark = pytest.mark.django_db


class Row:
    def __init__(self, n):
        self.title, self.dates, self.inventory, self.index = (
            f"Личное дело № {n:04d} получателя мер социальной поддержки Иванова Ивана Ивановича",
            "01.01.2015–31.12.2020",
            "опись за 2020 г.",
            "07-15",
        )
        self.count, self.retention, self.note, self.year = 1, "5 лет, ст. 900", "", 2020


class Act:
    number, act_date, place, basis = 7, datetime.date(2026, 11, 24), "Волгоград", "Перечень"
    approved_on = executed_on = protocol_number = None
    compiled_by = type("U", (), {"position": "архивариус", "full_name": "Волкова Ирина Петровна"})()


def _act(rows, office):
    return {"act": Act(), "office": office, "years": [2020], "total": len(rows)}


def test_long_register_joins_weasyprint_head_and_tail_with_drawn_rows(office, monkeypatch):
    """Above FAST_FROM rows the act is cut in three; every row is there once, in order, the head
    and the signatures once, and the pages are numbered through the whole document."""
    monkeypatch.setattr(registers, "FAST_FROM", 40)
    rows = [Row(n) for n in range(1, 121)]
    register = documents.destruction_register(rows)
    progress = []
    pdf = registers.render_register(
        "archive/destruction_act_pdf.html", _act(rows, office), register,
        progress=lambda done, total: progress.append((done, total)),
    )  # fmt: skip
    pages = pdf_pages(pdf)
    text = "\n".join(pages)
    assert text.count("УТВЕРЖДАЮ") == 1 and text.count("Итого 120 дел за 2020 год.") == 1
    positions = [text.index(f"№ {n:04d} получателя") for n in range(1, 121)]
    assert positions == sorted(positions)
    assert all(text.count(f"№ {n:04d} получателя") == 1 for n in range(1, 121))
    for number, page in enumerate(pages, start=1):
        assert f"Страница {number} из {len(pages)}" in page
        assert "Заголовок дела" in page  # the table's header on every page
    assert "01.01.2015–" in text and "5 лет, ст. 900" in text
    assert progress[-1] == (120, 120)


def test_fast_and_single_render_carry_the_same_rows(office, monkeypatch):
    monkeypatch.setattr(registers, "FAST_FROM", 30)
    files = [Row(n) for n in range(1, 71)]
    register = documents.destruction_register(files)
    fast = pdf_text(registers.render_register("archive/destruction_act_pdf.html", _act(files, office), register))  # fmt: skip
    single = pdf_text(registers.render_register("archive/destruction_act_pdf.html", _act(files, office), register, fast=False))  # fmt: skip
    for n in range(1, 71):
        assert f"№ {n:04d} получателя" in fast and f"№ {n:04d} получателя" in single


def test_cells_wrap_where_a_browser_breaks_lines():
    regular, _ = registers._fonts()
    narrow = registers._wrap("01.01.2015–31.12.2020", regular, 10, 55)
    assert narrow == ["01.01.2015–", "31.12.2020"]
    assert registers._wrap("07-15 07-16", regular, 10, 30) == ["07-15", "07-16"]
    assert registers._wrap("Жуков-Петров", regular, 10, 40) == ["Жуков-", "Петров"]
    long_word = registers._wrap("Оооооооооооооооооооо", regular, 10, 30)
    assert len(long_word) > 1 and "".join(long_word) == "Оооооооооооооооооооо"


def test_large_act_renders_in_the_background_and_downloads(
    client, files, archivist, monkeypatch, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr("archive.views.destruction.BACKGROUND_ROWS", 0)
    act = services.draft_act(actor=archivist, act_date=datetime.date(2026, 11, 24))
    client.force_login(archivist)
    response = client.get(reverse("archive:act_pdf", args=[act.pk]))
    job = Job.objects.get(kind="archive.render_act")
    assert response["Location"] == reverse("job_status", args=[job.pk])
    assert run_job_now(job.pk) == Job.Status.DONE or Job.objects.get(pk=job.pk).status == "done"
    html = client.get(reverse("job_status", args=[job.pk])).content.decode()
    assert "Скачать: Акт № 1 от 24.11.2026" in html
    pdf = b"".join(client.get(reverse("job_file", args=[job.pk])).streaming_content)
    assert "Личное дело Старов" in pdf_text(pdf)
