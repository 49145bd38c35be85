"""The registration journal: the rows the filters in the URL select, in the order asked, for the
page, the XLSX and the PDF alike. A long PDF is a register (`onewindow.registers`), rendered by a
background job above `settings.JOURNAL_PDF_BACKGROUND_ROWS` rows."""

from __future__ import annotations

import datetime

from django.db.models import Max, Min
from django.http import QueryDict
from django.utils import timezone

from cases.forms import JournalFilterForm
from cases.models import Application
from onewindow.lists import parse_sort, sort_order
from onewindow.registers import Column, Register, render_register

SORTS = {
    "number": ("reg_year", "reg_number"),
    "date": ("registered_on", "reg_number"),
    "applicant": "applicant__name_key",
    "service": "service__short_title",
    "deadline": "deadline",
    "status": "status",
    "specialist": ("specialist__last_name", "specialist__first_name"),
}
DEFAULT_SORT = "number"

COLUMNS = [
    Column("№", 16, "center"),
    Column("Дата регистрации", 22, "center"),
    Column("Заявитель"),
    Column("Дата рождения", 22, "center"),
    Column("Услуга"),
    Column("Срок решения", 22, "center"),
    Column("Состояние, результат", 32),
    Column("Дата решения", 22, "center"),
    Column("Дата уведомления", 22, "center"),
    Column("Принял", 28),
    Column("Исполнитель", 28),
]


def journal_form(params: QueryDict, user) -> JournalFilterForm:
    today = timezone.localdate()
    # the page opens on today's journal; any parameter (a sort, a page) keeps the period asked
    data = params if params else {"date_from": today, "date_to": today}
    return JournalFilterForm(data, user=user)


def journal_entries(user, params: QueryDict):
    """(form, entries, start, end): the applications of the user's office that the filters in
    `params` select, unsorted; none when the filters are wrong."""
    today = timezone.localdate()
    form = journal_form(params, user)
    entries = Application.objects.for_user(user).select_related(
        "applicant", "service", "service_version", "specialist", "accepted_by"
    )
    if not form.is_valid():
        return form, entries.none(), today, today
    entries, start, end = form.filter(entries, today)
    if form.cleaned_data.get("all_dates"):
        # «за всё время»: the period the listed applications span, for the heading and files
        span = entries.aggregate(first=Min("registered_on"), last=Max("registered_on"))
        start, end = span["first"] or today, span["last"] or today
    return form, entries, start, end


def sorted_entries(entries, params: QueryDict):
    key, descending = parse_sort(params.get("sort", ""), SORTS, DEFAULT_SORT)
    return entries.order_by(*sort_order(SORTS[key], descending), "pk")


def period_text(start: datetime.date, end: datetime.date) -> str:
    return f"{start:%d.%m.%Y}" + (f" – {end:%d.%m.%Y}" if end != start else "")


def journal_register(entries) -> Register:
    return Register(
        COLUMNS,
        [
            [
                app.number_display,
                f"{app.registered_on:%d.%m.%Y}",
                app.applicant.full_name,
                f"{app.applicant.birth_date:%d.%m.%Y}" if app.applicant.birth_date else "",
                app.service.short_title,
                f"{app.deadline:%d.%m.%Y}",
                app.state_display,
                f"{app.decision_date:%d.%m.%Y}" if app.decision_date else "",
                f"{app.notified_on:%d.%m.%Y}" if app.notified_on else "",
                app.accepted_by.short_name,
                app.specialist.short_name,
            ]
            for app in entries
        ],
        landscape=True,
    )


def journal_pdf(entries, *, start, end, office, filters: str = "", progress=None) -> bytes:
    register = journal_register(entries)
    context = {"start": start, "end": end, "office": office, "filters": filters}
    return render_register("cases/journal_pdf.html", context, register, progress=progress)


def filters_text(form: JournalFilterForm) -> str:
    """What else narrows the journal, for the document's head: «услуга …; исполнитель …»."""
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    parts = []
    if data.get("service"):
        parts.append(f"услуга «{data['service'].short_title}»")
    if data.get("status"):
        parts.append(f"состояние: {dict(form.fields['status'].choices)[data['status']]}")
    if data.get("office"):
        parts.append(str(data["office"]))
    if data.get("specialist"):
        parts.append(f"исполнитель {data['specialist'].short_name}")
    if data.get("accepted_by"):
        parts.append(f"принял {data['accepted_by'].short_name}")
    if data.get("overdue"):
        parts.append("только просроченные")
    if data.get("due"):
        parts.append(dict(form.fields["due"].choices)[data["due"]])
    if data.get("decided_from") or data.get("decided_to"):
        first, last = data.get("decided_from"), data.get("decided_to")
        parts.append(
            "решение"
            + (f" с {first:%d.%m.%Y}" if first else "")
            + (f" по {last:%d.%m.%Y}" if last else "")
        )
    return "; ".join(parts)
