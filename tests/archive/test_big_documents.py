import datetime

import pytest
from django.urls import reverse

from archive import services
from onewindow.jobs import run_job_now
from onewindow.models import Job
from onewindow.pdf import render_pdf_chunked
from tests.pdf_utils import pdf_text

pytestmark = pytest.mark.django_db


class Row:
    def __init__(self, n):
        self.title, self.dates, self.inventory, self.index = (
            f"Личное дело № {n:03d}",
            "2015–2020",
            "опись",
            "07-15",
        )
        self.count, self.retention, self.note, self.year = 1, "5 лет", "", 2020


def test_chunked_render_joins_pages_with_continuous_numbering(office):
    class Act:
        number, act_date, place, basis = 7, datetime.date(2026, 11, 24), "Волгоград", "Перечень"
        approved_on = executed_on = protocol_number = None
        compiled_by = type(
            "U", (), {"position": "архивариус", "full_name": "Волкова Ирина Петровна"}
        )()

    rows = [Row(n) for n in range(1, 8)]
    pdf = render_pdf_chunked(
        "archive/destruction_act_pdf.html",
        {"act": Act(), "items": rows, "office": office, "years": [2020], "total": 7},
        rows_key="items", chunk=3, workers=2,
    )  # fmt: skip
    text = pdf_text(pdf)
    assert text.count("УТВЕРЖДАЮ") == 1 and text.count("Итого 7 дел") == 1
    for n in range(1, 8):
        assert f"{n} Личное дело № {n:03d}" in text
    assert text.index("№ 001") < text.index("№ 004") < text.index("№ 007")


def test_large_act_renders_in_the_background_and_downloads(
    client, files, archivist, monkeypatch, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr("archive.views.BACKGROUND_ROWS", 0)
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
