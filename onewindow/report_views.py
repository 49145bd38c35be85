"""«Отчёты»: the list of formed reports with the form to form one, and each report as a page, an
XLSX file and a PDF — all three drawn from the figures the report keeps."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from onewindow import reports
from onewindow.audit import get_for_user_or_404, log_access
from onewindow.forms import DateInput, show_refusal
from onewindow.models import Office, Report
from onewindow.xlsx import CONTENT_TYPE

NO_ACCESS = "Отчёты доступны главному специалисту и директору."
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
WRONG_DATE = "{what}: введите дату в формате ДД.ММ.ГГГГ (например, 01.10.2026)."


class ReportForm(forms.Form):
    kind = forms.ChoiceField(
        label="Вид отчёта",
        error_messages={
            "required": "Выберите вид отчёта.",
            "invalid_choice": "Выберите вид отчёта из списка.",
        },
    )
    period_start = forms.DateField(
        label="Период с",
        widget=DateInput(),
        input_formats=DATE_FORMATS,
        error_messages={
            "required": "Укажите дату начала периода.",
            "invalid": WRONG_DATE.format(what="Дата начала периода"),
        },
    )
    period_end = forms.DateField(
        label="по",
        widget=DateInput(),
        input_formats=DATE_FORMATS,
        error_messages={
            "required": "Укажите дату окончания периода.",
            "invalid": WRONG_DATE.format(what="Дата окончания периода"),
        },
    )
    office = forms.ChoiceField(
        label="Учреждение",
        required=False,
        error_messages={"invalid_choice": "Выберите учреждение из списка."},
    )

    def __init__(self, *args, offices, all_offices: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.all_offices = all_offices
        self.fields["kind"].choices = reports.kind_choices()
        choices = [(str(o.pk), o.short_name) for o in offices]
        if all_offices:
            choices = [("", "Все учреждения"), *choices]
        self.fields["office"].choices = choices

    def clean_office(self) -> str:
        value = self.cleaned_data.get("office") or ""
        if not value and not self.all_offices:
            raise forms.ValidationError("Выберите учреждение.")
        return value

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end:
            try:
                reports.validate_period(start, end)
            except reports.ReportError as exc:
                self.add_error(exc.field, exc.message)
        return data


def _require_view(user) -> None:
    if not user.has_perm("onewindow.view_report"):
        raise PermissionDenied(NO_ACCESS)


def _posted_office(request, offices: list[Office]) -> Office | None:
    """The office the form names: one the user may see, or 404 — another office's reports are
    not there for this user (the attempt is logged as refused, as for any record)."""
    raw = (request.POST.get("office") or "").strip()
    if not raw or not raw.isdigit():
        return None  # «all offices», or a value the form refuses with its message
    for office in offices:
        if office.pk == int(raw):
            return office
    other = Office.objects.filter(pk=int(raw)).first()
    if other is not None:
        log_access(
            request,
            event="forbidden",
            subject=other,
            subject_repr=f"отчёт по учреждению «{other.short_name}»",
            allowed=False,
            detail="учреждение вне доступа пользователя",
        )
    raise Http404("Учреждение не найдено")


@login_required
@require_http_methods(["GET", "POST"])
def report_list(request):
    user = request.user
    _require_view(user)
    offices = list(reports.visible_offices(user).order_by("short_name"))
    start, end = reports.previous_month(timezone.localdate())
    initial = {
        "kind": reports.SUMMARY,
        "period_start": start,
        "period_end": end,
        "office": "" if user.sees_all_offices else str(user.office_id or ""),
    }
    form = ReportForm(
        request.POST if request.method == "POST" else None,
        offices=offices,
        all_offices=user.sees_all_offices,
        initial=initial,
    )
    if request.method == "POST":
        if not user.has_perm("onewindow.form_report"):
            raise PermissionDenied("Формировать отчёты могут главный специалист и директор.")
        office = _posted_office(request, offices)
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = reports.form_report(
                    data["kind"],
                    office=office,
                    start=data["period_start"],
                    end=data["period_end"],
                    actor=user,
                )
            except reports.ReportError as exc:
                show_refusal(form, exc)
            else:
                title = report.title[:1].lower() + report.title[1:]
                messages.success(request, f"Сформирован {title}".rstrip(".") + ".")
                return redirect("report", pk=report.pk)
    listing = Report.objects.for_user(user).select_related("office", "formed_by")[:100]
    return render(
        request,
        "onewindow/reports.html",
        {"form": form, "reports": listing, "may_form": user.has_perm("onewindow.form_report")},
    )


def _report(request, pk: int) -> Report:
    _require_view(request.user)
    return get_for_user_or_404(
        request, Report.objects.select_related("office", "formed_by__office"), pk=pk
    )


@login_required
def report_detail(request, pk: int):
    report = _report(request, pk)
    view = reports.view_of(report)
    return render(
        request, "onewindow/report_detail.html", {"view": view, "tables": display_tables(view)}
    )


@login_required
def report_xlsx(request, pk: int):
    report = _report(request, pk)
    view = reports.view_of(report)
    log_access(request, event="export", subject=report, subject_repr=report.title, detail="XLSX")
    response = HttpResponse(reports.xlsx_of(view), content_type=CONTENT_TYPE)
    name = f"report-{report.pk}-{report.period_start:%Y%m%d}-{report.period_end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def report_pdf(request, pk: int):
    from onewindow.pdf import pdf_response, render_pdf

    report = _report(request, pk)
    view = reports.view_of(report)
    pdf = render_pdf(
        "onewindow/report_pdf.html",
        {
            "view": view,
            "tables": display_tables(view),
            "office": view.header_office,
            "today": timezone.localdate(),
        },
    )
    log_access(request, event="print_document", subject=report, subject_repr=report.title)
    return pdf_response(pdf, f"{report.title}.pdf")


# --- Figures as the page and the PDF print them ------------------------------------------------


def cell_text(value, kind: str) -> str:
    if value is None or value == "":
        return "—"
    if kind == "date" and isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value).strftime("%d.%m.%Y")
        except ValueError:
            return value
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u00a0")  # 12 345: thousands apart, never broken
    return str(value)


def display_tables(view: reports.ReportView) -> list[dict]:
    """Each section with its tables, every cell as text and whether it is a number (numbers
    are set right)."""
    result = []
    for section in view.sections:
        tables = []
        for table in section["tables"]:
            kinds = [c.get("kind", "number") for c in table["columns"]]

            def cells(row, kinds=kinds):
                return [
                    {"text": cell_text(value, kind), "number": kind == "number"}
                    for value, kind in zip(row, kinds, strict=False)
                ]

            tables.append(
                {
                    "code": table["code"],
                    "title": table["title"],
                    "note": table.get("note", ""),
                    "columns": table["columns"],
                    "rows": [cells(row) for row in table["rows"]],
                    "total": cells(table["total"]) if table.get("total") else None,
                }
            )
        result.append({"code": section["code"], "title": section["title"], "tables": tables})
    return result
