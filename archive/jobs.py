"""Background renders of large archive documents (acts of thousands of files)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from onewindow.jobs import job_handler


@job_handler("archive.render_act")
def render_act(job, report) -> dict:
    from archive.documents import destruction_act_pdf
    from archive.models import DestructionAct

    act = DestructionAct.objects.select_related("office", "compiled_by").get(
        pk=job.params["act"], office=job.office
    )
    pdf = destruction_act_pdf(act, progress=report)
    folder = Path(settings.MEDIA_ROOT) / "acts"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"destruction-act-{act.office.code}-{act.act_date:%Y}-{act.number}.pdf"
    (folder / name).write_bytes(pdf)
    return {
        "file": f"acts/{name}",
        "title": f"Акт № {act.number} от {act.act_date:%d.%m.%Y}",
        "pages_bytes": len(pdf),
    }
