"""Selections in the browser: the worklist, an item, runs (upload with a preview, progress),
and the list of ambiguous rows. Thin views over `reconciliation.services`."""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Min, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cases.models import Entitlement
from onewindow.audit import get_for_user_or_404
from onewindow.errors import DomainError
from onewindow.forms import DateInput
from reconciliation import services
from reconciliation.models import AmbiguousRow, ExtractProfile, Kind, ReconciliationRun, Selection
from reconciliation.readers import (
    ENCODING_CHOICES,
    FIELD_ALIASES,
    Encoding,
    ExtractError,
    column_map,
    file_encoding,
    parse_date,
    preview,
)

OUTCOME_CHOICES = [("", "выберите…"), *Selection.Outcome.choices]


class WorkOutForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Результат",
        choices=OUTCOME_CHOICES,
        error_messages={"required": "Выберите результат."},
    )
    note = forms.CharField(label="Примечание", required=False, max_length=1000)
    event_date = forms.DateField(
        label="Дата события (в выгрузке её нет)", required=False, widget=DateInput(),
        help_text="Для смерти — по свидетельству о смерти или ответу ЗАГС: меры прекращаются с этого дня.",
        error_messages={"invalid": "Неверная дата."},
    )  # fmt: skip


class UploadForm(forms.Form):
    profile = forms.ModelChoiceField(label="Профиль выгрузки", queryset=ExtractProfile.objects.filter(is_active=True),
                                     empty_label="выберите…", error_messages={"required": "Выберите профиль выгрузки."})  # fmt: skip
    file = forms.FileField(
        label="Файл выгрузки (DBF, CSV, XLSX, XML)",
        error_messages={"required": "Выберите файл.", "empty": "Файл пуст (0 байт)."},
    )
    force = forms.BooleanField(
        label="Обработать повторно, если этот файл уже обрабатывался", required=False
    )


@login_required
@permission_required("reconciliation.view_selection", raise_exception=True)
def worklist(request):
    items = Selection.objects.for_user(request.user).select_related("applicant", "assigned_to")
    status = request.GET.get("status", "open")
    kind = request.GET.get("kind", "")
    whose = request.GET.get(
        "whose", "mine" if not request.user.has_perm("reconciliation.assign_selection") else "all"
    )
    if status in {"open", "done"}:
        items = items.filter(status=status)
    if kind in Kind.values:
        items = items.filter(kind=kind)
    if request.GET.get("confirm") == "1":
        items = items.filter(needs_confirmation=True)
    if whose == "mine":
        items = items.filter(assigned_to=request.user)
    elif whose == "queue":
        items = items.filter(assigned_to__isnull=True)
    today = timezone.now()
    summary = (
        Selection.objects.for_user(request.user).open().values("kind")
        .annotate(count=Count("id"), oldest=Min("created_at"), confirm=Count("id", filter=Q(needs_confirmation=True)))
        .order_by("kind")
    )  # fmt: skip
    summary = [
        {
            **row,
            "title": Kind(row["kind"]).label,
            "age": (today - row["oldest"]).days if row["oldest"] else 0,
        }
        for row in summary
    ]
    ambiguous = AmbiguousRow.objects.for_user(request.user).filter(resolved=False).count()
    return render(
        request,
        "reconciliation/worklist.html",
        {"items": items[:500], "summary": summary, "status": status, "kind": kind, "whose": whose,
         "kinds": Kind.choices, "form": WorkOutForm(), "ambiguous": ambiguous},
    )  # fmt: skip


@login_required
@permission_required("reconciliation.change_selection", raise_exception=True)
@require_POST
def bulk_work_out(request):
    form = WorkOutForm(request.POST)
    ids = [int(pk) for pk in request.POST.getlist("items") if pk.isdigit()]
    if not ids:
        messages.error(request, "Отметьте селекции для отработки.")
    elif not form.is_valid():
        messages.error(request, "Выберите результат отработки.")
    else:
        items = Selection.objects.for_user(request.user).filter(pk__in=ids)
        try:
            done = services.work_out_many(
                items,
                form.cleaned_data["outcome"],
                actor=request.user,
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:  # a refusal of the selection or of the measures it changes
            messages.error(request, f"Ничего не изменено: {exc.message}")
        else:
            skipped = ""
            if done.skipped_probable:
                skipped = (
                    f"Пропущено {done.skipped_probable}: вероятные совпадения — "
                    "подтвердите их по одному."
                )
            if done.done:
                messages.success(request, f"Отработано селекций: {done.done}. {skipped}".strip())
            else:
                messages.warning(request, f"Ничего не отработано. {skipped}".strip())
    return redirect(request.POST.get("next") or "reconciliation:worklist")


@login_required
@permission_required("reconciliation.view_selection", raise_exception=True)
@require_http_methods(["GET", "POST"])
def item_detail(request, pk: int):
    item = get_for_user_or_404(
        request,
        Selection.objects.select_related("applicant", "run", "assigned_to", "worked_by"),
        event="view_applicant",
        pk=pk,
    )
    form = WorkOutForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not request.user.has_perm("reconciliation.change_selection"):
            raise PermissionDenied("Недостаточно прав")
        if form.is_valid():
            try:
                services.work_out(
                    item,
                    form.cleaned_data["outcome"],
                    actor=request.user,
                    note=form.cleaned_data["note"],
                    event_date=form.cleaned_data.get("event_date"),
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else "outcome", exc.message)
            else:
                messages.success(request, "Селекция отработана.")
                return redirect("reconciliation:worklist")
    measures = Entitlement.objects.for_user(request.user).filter(applicant=item.applicant)
    measures = measures.select_related("service")
    if item.kind != Kind.DEATHS:  # a death stops every measure: all are shown
        measures = measures.filter(service__code__in=item.services)
    return render(
        request, "reconciliation/item.html", {"item": item, "form": form, "measures": measures}
    )


@login_required
@permission_required("reconciliation.view_reconciliationrun", raise_exception=True)
@require_http_methods(["GET", "POST"])
def runs(request):
    """Upload → preview of the first rows as parsed, in the encoding detected (the user may pick
    another and look again) → «Запустить сверку» runs the staged file in the encoding shown."""
    form = UploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    preview_data = None
    if request.method == "POST":
        if not request.user.has_perm("reconciliation.add_reconciliationrun"):
            raise PermissionDenied("Недостаточно прав")
        if request.POST.get("staged"):
            return _staged(request)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            profile = form.cleaned_data["profile"]
            suffix = Path(upload.name).suffix.lower()
            suffix = suffix if re.fullmatch(r"\.[a-z0-9]{1,7}", suffix) else ""
            staged = services.storage_dir() / f"upload-{timezone.now():%Y%m%d%H%M%S%f}{suffix}"
            with staged.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            try:
                preview_data = _preview(staged, profile)
            except ExtractError as exc:
                staged.unlink(missing_ok=True)
                form.add_error("file", str(exc))
            else:
                preview_data.update({"staged": staged.name, "profile": profile, "file_name": upload.name,
                                     "force": form.cleaned_data["force"]})  # fmt: skip
    return _runs_page(request, form, preview_data)


def _runs_page(request, form, preview_data):
    recent = list(ReconciliationRun.objects.for_user(request.user).select_related("profile")[:50])
    return render(
        request,
        "reconciliation/runs.html",
        {
            "form": form,
            "runs": recent,
            "dead": services.interrupted(recent),  # «выполняется», but nobody runs them
            "preview": preview_data,
            "encodings": ENCODING_CHOICES.items(),
        },
    )


STAGED_NAME = re.compile(r"upload-\d{20}(\.[a-z0-9]{1,7})?")


def _staged(request):
    """The preview's form: «Запустить сверку», or the preview again in the chosen encoding."""
    name = request.POST.get("staged", "")
    staged = services.storage_dir() / name
    profile = ExtractProfile.objects.filter(is_active=True, pk=request.POST.get("profile") or 0).first()  # fmt: skip
    # only a file this page staged: never a run's stored copy
    if not STAGED_NAME.fullmatch(name) or not staged.is_file() or profile is None:
        messages.error(request, "Файл для запуска не найден: загрузите его ещё раз.")
        return redirect("reconciliation:runs")
    encoding = request.POST.get("encoding", "")
    if encoding and encoding not in ENCODING_CHOICES:
        messages.error(request, "Выберите кодировку из списка.")
        encoding = ""
    elif request.POST.get("start"):
        return _start_staged(request, staged, profile, encoding)
    file_name = request.POST.get("file_name", "")[:300] or staged.name
    preview_data = {"staged": staged.name, "profile": profile, "file_name": file_name,
                    "force": bool(request.POST.get("force"))}  # fmt: skip
    try:
        preview_data.update(_preview(staged, profile, encoding))
    except ExtractError as exc:
        preview_data["error"] = str(exc)
        preview_data["encoding"] = Encoding(encoding, "выбрана вручную") if encoding else None
    return _runs_page(request, UploadForm(), preview_data)


def _preview(path: Path, profile: ExtractProfile, encoding: str = "") -> dict:
    """The first rows as the run will read them: in the encoding detected (or `encoding`, the
    user's choice), named on the page."""
    found = file_encoding(
        path, file_format=profile.file_format, declared=profile.encoding, override=encoding
    )
    columns, rows = preview(path, limit=10, file_format=profile.file_format, encoding=profile.encoding,
                            delimiter=profile.delimiter, xml_record=profile.xml_record,
                            override=found.name if found else "")  # fmt: skip
    if not rows:
        raise ExtractError("В файле нет ни одной записи")
    mapping = column_map(columns, profile.columns, list(FIELD_ALIASES)[:6])
    if "snils" not in mapping and not all(
        k in mapping for k in ("last_name", "first_name", "birth_date")
    ):
        raise ExtractError(
            "В файле нет нужных столбцов СНИЛС или Фамилия, Имя, Дата рождения. Найдены: "
            + ", ".join(columns[:15])
        )
    parsed = []
    for number, row in rows:
        line = {"number": number}
        for field in (
            "snils",
            "last_name",
            "first_name",
            "middle_name",
            "birth_date",
            "event_date",
        ):
            value = row.get(mapping[field], "") if field in mapping else ""
            if field in {"birth_date", "event_date"}:
                try:
                    day = parse_date(value, profile.date_format)
                    value = day.strftime("%d.%m.%Y") if day else ""
                except ValueError as exc:
                    value = f"⚠ {exc}"
            line[field] = value
        parsed.append(line)
    missing = [FIELD_TITLES[f] for f in FIELD_TITLES if f not in mapping]
    return {"columns": columns, "mapping": mapping, "rows": parsed, "encoding": found,
            "missing": missing, "no_event_date": "event_date" not in mapping}  # fmt: skip


# The fields of an extract as the preview names them.
FIELD_TITLES = {
    "snils": "СНИЛС",
    "last_name": "Фамилия",
    "first_name": "Имя",
    "middle_name": "Отчество",
    "birth_date": "Дата рождения",
    "event_date": "Дата события",
}


def _start_staged(request, staged: Path, profile: ExtractProfile, encoding: str):
    try:
        run = services.create_run(
            staged, profile=profile, actor=request.user, office=request.user.office,
            force=bool(request.POST.get("force")), file_name=request.POST.get("file_name", "")[:300] or staged.name,
            encoding=encoding,
        )  # fmt: skip
    except services.AlreadyProcessed as exc:
        messages.error(request, str(exc))
        return redirect("reconciliation:runs")
    finally:
        staged.unlink(missing_ok=True)
    from reconciliation.tasks import run_reconciliation

    transaction.on_commit(lambda: run_reconciliation.delay(run.pk))  # restarts it if it died
    if getattr(run, "resumed", False):
        messages.info(request, f"Этот файл уже обрабатывается: сверка № {run.pk}.")
    else:
        messages.success(request, f"Сверка № {run.pk} запущена.")
    return redirect("reconciliation:run", pk=run.pk)


@login_required
@permission_required("reconciliation.view_reconciliationrun", raise_exception=True)
def run_detail(request, pk: int):
    run = get_for_user_or_404(
        request, ReconciliationRun.objects.select_related("profile", "created_by"), pk=pk
    )
    template = "reconciliation/run.html#status" if request.htmx else "reconciliation/run.html"
    return render(
        request,
        template,
        {
            "run": run,
            "dead": services.interrupted([run]),
            "invalid": run.invalid_rows.all()[:50],
            "invalid_count": run.invalid_rows.count(),
        },
    )


@login_required
@permission_required("reconciliation.view_reconciliationrun", raise_exception=True)
def run_invalid_xlsx(request, pk: int):
    from openpyxl import Workbook

    run = get_for_user_or_404(request, ReconciliationRun.objects.all(), pk=pk)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Ошибки")
    sheet.append(["Строка", "Причина", "Данные строки"])
    for row in run.invalid_rows.iterator():
        sheet.append(
            [row.row_number, row.reason, "; ".join(f"{k}={v}" for k, v in row.data.items())]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="run-{run.pk}-errors.xlsx"'
    return response


@login_required
@permission_required("reconciliation.change_ambiguousrow", raise_exception=True)
@require_http_methods(["GET", "POST"])
def ambiguous(request):
    rows = (
        AmbiguousRow.objects.for_user(request.user)
        .filter(resolved=False)
        .select_related("run")
        .prefetch_related("candidates")
    )
    if request.method == "POST":
        row = get_for_user_or_404(
            request, AmbiguousRow.objects.all(), pk=request.POST.get("row", 0)
        )
        choice = request.POST.get("choice", "")
        chosen = row.candidates.filter(pk=choice).first() if choice.isdigit() else None
        if choice != "none" and chosen is None:
            messages.error(request, "Выберите одного из кандидатов или «никто из них».")
        else:
            created = services.resolve_ambiguous(row, chosen, actor=request.user)
            messages.success(
                request,
                "Совпадение подтверждено, создана селекция." if created else "Строка разобрана.",
            )
        return redirect("reconciliation:ambiguous")
    return render(request, "reconciliation/ambiguous.html", {"rows": rows[:200]})


def home_notices(user) -> list[dict]:
    """For the chief's home page: runs interrupted or failed in the last week."""
    if not user.has_perm("reconciliation.assign_selection"):
        return []
    since = timezone.now() - datetime.timedelta(days=7)
    runs = list(
        ReconciliationRun.objects.for_user(user)
        .filter(
            Q(status__in=[ReconciliationRun.Status.RUNNING, ReconciliationRun.Status.INTERRUPTED])
            | Q(status=ReconciliationRun.Status.FAILED, finished_at__gte=since)
        )
        .order_by("-pk")[:20]
    )
    dead = services.interrupted(runs)
    notices = []
    for run in runs:
        if run.status == ReconciliationRun.Status.RUNNING and run.pk not in dead:
            continue
        state = run.dead_state_display if run.pk in dead else run.state_display
        text = f"Сверка № {run.pk} ({run.file_name}) {state}"
        if run.status == ReconciliationRun.Status.FAILED and not run.interrupted_at:
            text = f"Сверка № {run.pk} ({run.file_name}) не выполнена: {run.error[:150]}"
        notices.append({"text": text, "url": reverse("reconciliation:run", args=[run.pk])})
    return notices[:5]
