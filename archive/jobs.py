"""Background renders of large archive documents (acts of thousands of files)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from onewindow.jobs import job_handler


@job_handler("archive.render_act")
def render_act(job, report) -> dict:
    from archive.models import DestructionAct
    from archive.views import render_big_pdf

    act = DestructionAct.objects.select_related("office", "compiled_by").get(
        pk=job.params["act"], office=job.office
    )
    items = list(act.items.all())
    years = sorted({item.year for item in items})
    context = {
        "act": act,
        "items": items,
        "office": act.office,
        "years": years,
        "total": sum(i.count for i in items),
    }
    pdf = render_big_pdf(
        "archive/destruction_act_pdf.html", context, rows_key="items", progress=report
    )
    folder = Path(settings.MEDIA_ROOT) / "acts"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"destruction-act-{act.office.code}-{act.act_date:%Y}-{act.number}.pdf"
    (folder / name).write_bytes(pdf)
    return {
        "file": f"acts/{name}",
        "title": f"Акт № {act.number} от {act.act_date:%d.%m.%Y}",
        "pages_bytes": len(pdf),
    }
