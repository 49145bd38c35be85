"""The registration journal: filtered, paged, as XLSX and PDF."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cases import journal as journal_list
from cases import services
from onewindow.audit import log_access
from onewindow.lists import paginate_list
from onewindow.pdf import pdf_response
from onewindow.text import plural
from onewindow.xlsx import Column, xlsx_response

# --- The registration journal -----------------------------------------------------------------


@login_required
@permission_required("cases.view_application", raise_exception=True)
def journal(request):
    form, entries, start, end = journal_list.journal_entries(request.user, request.GET)
    period = f"журнал регистрации {start:%d.%m.%Y}–{end:%d.%m.%Y}"
    output = request.GET.get("format")
    if output in {"xlsx", "pdf"} and form.is_valid():
        log_access(request, event="export", subject_repr=period)
        entries = journal_list.sorted_entries(entries, request.GET)
        if output == "xlsx":
            return _journal_xlsx(entries, start, end, request.user.office)
        return _journal_pdf(request, form, entries, start, end)
    if form.is_valid():
        log_access(request, event="view_journal", subject_repr=period)
    listing = paginate_list(
        request,
        entries,
        sorts=journal_list.SORTS,
        default=journal_list.DEFAULT_SORT,
        per_page=JOURNAL_PAGE,
    )
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    query["sort"] = listing.sort_value
    template = "cases/journal.html#results" if request.htmx else "cases/journal.html"
    return render(
        request,
        template,
        {
            "form": form,
            "entries": listing,
            "start": start,
            "end": end,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "reassign": journal_reassign_form(request.user, form),
        },
    )


def journal_reassign_form(user, form):
    """The chief's «Передать отмеченные» under the journal (the office it is narrowed to)."""
    from onewindow.forms import reassign_form
    from onewindow.reassign import REASSIGNS

    office = form.cleaned_data.get("office") if form.is_bound and form.is_valid() else None
    return reassign_form(user, REASSIGNS, services.TAKES_APPLICATIONS, office)


JOURNAL_PAGE = 50


def _journal_pdf(request, form, entries, start, end):
    """A short journal prints at once; a long one is rendered by a worker and downloaded from
    the job's page (WeasyPrint lays a row out in about 15 ms: 400 rows would hold the page 6 s)."""
    count = entries.count()
    if count > settings.JOURNAL_PDF_BACKGROUND_ROWS:
        from onewindow.jobs import enqueue_job

        query = {key: request.GET.getlist(key) for key in request.GET if key != "format"}
        job = enqueue_job("cases.render_journal", actor=request.user, params={"query": query})
        messages.info(
            request,
            f"Журнал из {count} {plural(count, 'заявления,заявлений,заявлений')} формируется в "
            "фоне; ссылка «Скачать» появится, когда он будет готов.",
        )
        return redirect("job_status", pk=job.pk)
    pdf = journal_list.journal_pdf(
        list(entries), start=start, end=end, office=request.user.office,
        filters=journal_list.filters_text(form),
    )  # fmt: skip
    return pdf_response(pdf, f"Журнал {start:%Y-%m-%d}_{end:%Y-%m-%d}.pdf")


JOURNAL_COLUMNS = [
    Column("№", 10), Column("Дата регистрации", 16), Column("Заявитель", 36),
    Column("Дата рождения", 14), Column("Услуга", 50), Column("Срок решения", 14),
    Column("Состояние, результат", 36), Column("Дата решения", 14), Column("Дата уведомления", 14),
    Column("Принял", 22), Column("Исполнитель", 22),
]  # fmt: skip


def _journal_xlsx(entries, start: datetime.date, end: datetime.date, office) -> HttpResponse:
    rows = (
        [
            app.number_display,
            app.registered_on,
            app.applicant.full_name,
            app.applicant.birth_date,
            app.service.short_title,
            app.deadline,
            app.state_display,
            app.decision_date,
            app.notified_on,
            app.accepted_by.short_name,
            app.specialist.short_name,
        ]
        for app in entries
    )
    return xlsx_response(
        f"journal-{start:%Y%m%d}-{end:%Y%m%d}.xlsx",
        "Журнал",
        rows,
        columns=JOURNAL_COLUMNS,
        caption=[
            office.name if office else "",
            f"Журнал регистрации заявлений за {start:%d.%m.%Y}–{end:%d.%m.%Y}",
        ],
        landscape=True,
    )
