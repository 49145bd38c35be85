"""Background renders of the counter's long documents: a journal of hundreds of rows."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import QueryDict

from onewindow.jobs import job_handler


@job_handler("cases.render_journal")
def render_journal(job, report) -> dict:
    """The journal PDF for the filters the user had in the URL, read as that user (their office,
    their rights), so the file holds exactly the rows the page listed."""
    from cases.journal import filters_text, journal_entries, journal_pdf, sorted_entries

    user = job.created_by
    params = QueryDict(mutable=True)
    for key, values in (job.params.get("query") or {}).items():
        params.setlist(key, values)
    form, entries, start, end = journal_entries(user, params)
    entries = list(sorted_entries(entries, params))
    pdf = journal_pdf(
        entries, start=start, end=end, office=user.office, filters=filters_text(form),
        progress=report,
    )  # fmt: skip
    folder = Path(settings.MEDIA_ROOT) / "journals"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"journal-{user.office.code if user.office else 'all'}-{start:%Y%m%d}-{end:%Y%m%d}-{job.pk}.pdf"
    (folder / name).write_bytes(pdf)
    return {
        "file": f"journals/{name}",
        "title": f"Журнал регистрации за {start:%d.%m.%Y}"
        + (f"–{end:%d.%m.%Y}" if end != start else ""),
        "rows": len(entries),
    }
