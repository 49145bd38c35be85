"""The archivist's screens: the archive with search, taking a file in, a file with its label,
temporary issue and return, the inventory list, and the locations."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from archive import documents, figures, services
from archive.models import ArchivedFile, FileIssue, Inventory, Location, RetentionRule
from cases.models import CaseFile
from onewindow.audit import get_for_user_or_404, log_access
from onewindow.forms import DateInput
from onewindow.lists import paginate_list
from onewindow.models import Office, User
from onewindow.pdf import pdf_response, render_pdf
from onewindow.qr import qr_data_uri
from onewindow.text import counted, normalize_text, plural
from onewindow.xlsx import xlsx_response


class RegisterForm(forms.Form):
    case_number = forms.IntegerField(
        label="Номер личного дела (ЛД)",
        min_value=1,
        error_messages={"required": "Укажите номер личного дела."},
    )
    archive_number = forms.CharField(
        label="Архивный номер",
        max_length=32,
        error_messages={"required": "Укажите архивный номер."},
    )
    retention_rule = forms.ModelChoiceField(label="Правило хранения", queryset=RetentionRule.objects.all(), empty_label="выберите…",
                                            error_messages={"required": "Выберите правило хранения."})  # fmt: skip
    nomenclature_index = forms.CharField(
        label="Индекс дела (пусто — по правилу)", max_length=32, required=False
    )
    start_date = forms.DateField(
        label="Крайние даты: с",
        widget=DateInput(),
        error_messages={"required": "Укажите начальную дату.", "invalid": "Неверная дата."},
    )
    end_date = forms.DateField(
        label="по",
        widget=DateInput(),
        error_messages={"required": "Укажите конечную дату.", "invalid": "Неверная дата."},
    )
    event_date = forms.DateField(
        label="Снят с учёта (пусто — конечная дата)", widget=DateInput(), required=False
    )
    volumes = forms.IntegerField(label="Томов", min_value=1, initial=1)
    sheets = forms.IntegerField(
        label="Листов",
        min_value=1,
        error_messages={
            "required": "Укажите число листов.",
            "min_value": "Число листов — не меньше 1.",
        },
    )
    location = forms.ModelChoiceField(label="Короб", queryset=Location.objects.none(), empty_label="выберите…",
                                      error_messages={"required": "Выберите короб.", "invalid_choice": "Такого места хранения нет."})  # fmt: skip

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = Location.objects.filter(
            office=office, kind=Location.Kind.BOX
        )
        self.fields["location"].label_from_instance = lambda loc: loc.path


class IssueForm(forms.Form):
    to_user = forms.ModelChoiceField(label="Кому", queryset=User.objects.none(), empty_label="выберите…",
                                     error_messages={"required": "Выберите, кому выдаётся дело."})  # fmt: skip
    purpose = forms.CharField(
        label="Цель выдачи", max_length=300, error_messages={"required": "Укажите цель выдачи."}
    )
    due_back = forms.DateField(
        label="Вернуть до (пусто — через 1 рабочий день)", required=False, widget=DateInput()
    )

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = User.objects.filter(office=office, is_active=True)


class MoveForm(forms.Form):
    location = forms.ModelChoiceField(
        label="Новое место (короб)", queryset=Location.objects.none(), empty_label="выберите…",
        error_messages={"required": "Выберите, куда переместить дело."},
    )  # fmt: skip

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = Location.objects.filter(
            office=office, kind=Location.Kind.BOX
        )
        self.fields["location"].label_from_instance = lambda loc: loc.path


class HoldForm(forms.Form):
    reason = forms.CharField(label="Основание", max_length=300, required=False)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Основание возврата (например, новое заявление, решение по мере)",
        max_length=300,
        required=False,
    )


class LocationForm(forms.Form):
    parent = forms.ModelChoiceField(
        label="Входит в", queryset=Location.objects.none(), required=False, empty_label="—"
    )
    kind = forms.ChoiceField(label="Вид", choices=Location.Kind.choices)
    name = forms.CharField(label="Обозначение", max_length=100)
    capacity = forms.IntegerField(label="Вместимость (для короба)", required=False, min_value=1)

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Location.objects.filter(office=office).exclude(
            kind=Location.Kind.BOX
        )
        self.fields["parent"].label_from_instance = lambda loc: loc.path


BACKGROUND_ROWS = 1000  # a destruction act longer than this is rendered by a worker


class ListFilters(forms.Form):
    """The archive list's filters besides the search: so that every figure of the dashboard
    opens exactly its files (issued and not returned in time, eligible for destruction in a
    year, an office)."""

    office = forms.ModelChoiceField(
        label="Учреждение", required=False, queryset=Office.objects.none(), empty_label="все",
        error_messages={"invalid_choice": "Такого учреждения нет."},
    )  # fmt: skip
    overdue = forms.BooleanField(label="Не возвращены в срок", required=False)
    eligible = forms.IntegerField(
        label="Можно уничтожить с года", required=False, min_value=1990, max_value=2200,
        error_messages={"invalid": "Год — четыре цифры, например 2026.",
                        "min_value": "Год — не раньше 1990.", "max_value": "Год — не позже 2200."},
    )  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.sees_all_offices:
            self.fields["office"].queryset = Office.objects.all()
        else:
            del self.fields["office"]

    def filter(self, files, today):
        if not self.is_valid():
            return files.none()
        data = self.cleaned_data
        if data.get("office"):
            files = files.filter(office=data["office"])
        if data.get("overdue"):
            files = files.filter(pk__in=figures.overdue_issues(today).values("archived_file_id"))
        if data.get("eligible"):
            files = files.filter(figures.eligible_in_q(data["eligible"]))
        return files


ARCHIVE_SORTS = {"number": ("year", "nomenclature_index", "archive_number")}


@login_required
@permission_required("archive.view_archivedfile", raise_exception=True)
def archive_list(request):
    filters = ListFilters(request.GET, user=request.user)
    files = _listed_files(request, filters)
    query = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    overdue = (
        FileIssue.objects.for_user(request.user)
        .filter(returned_on__isnull=True, due_back__lt=timezone.localdate())
        .select_related("archived_file", "issued_to")
    )
    listing = paginate_list(request, files, sorts=ARCHIVE_SORTS, default="number", per_page=100)
    if (query or filters.has_changed()) and listing.items:
        # who looked for whom: the files the search showed, by id
        log_access(request, event="search", subject_repr=f"Архив: «{query[:60]}»: найдено {listing.total}",
                   detail="дела в архиве: " + ", ".join(str(f.pk) for f in listing))  # fmt: skip
    return render(request, "archive/list.html", {"files": listing, "query": query, "status": status,
                                                  "statuses": ArchivedFile.Status.choices, "overdue": overdue,
                                                  "filters": filters})  # fmt: skip


def _listed_files(request, filters=None):
    """The files of the archive list for its search (number, name or box), state and filters."""
    files = ArchivedFile.objects.for_user(request.user).select_related(
        "location", "case_file__applicant", "retention_rule", "office"
    )
    query = request.GET.get("q", "").strip()
    if query:
        box = (
            Location.objects.for_user(request.user)
            .filter(kind=Location.Kind.BOX, name__iexact=query)
            .first()
        )
        words = normalize_text(query)
        files = files.filter(
            services.archive_number_q(query) | Q(case_file__applicant__name_key__contains=words)
            | (Q(location=box) if box else Q(pk__in=[]))
        )  # fmt: skip
    status = request.GET.get("status", "")
    if status in ArchivedFile.Status.values:
        files = files.filter(status=status)
    filters = filters or ListFilters(request.GET, user=request.user)
    return filters.filter(files, timezone.localdate())


@login_required
@permission_required("archive.add_archivedfile", raise_exception=True)
@require_http_methods(["GET", "POST"])
def register(request):
    form = RegisterForm(request.POST if request.method == "POST" else None, office=request.user.office,
                        initial={"case_number": request.GET.get("case", "")})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case_file = (
            CaseFile.objects.for_user(request.user)
            .filter(number=data["case_number"])
            .select_related("applicant")
            .first()
        )
        if case_file is None:
            form.add_error(
                "case_number", f"Личного дела ЛД-{data['case_number']:06d} в учреждении нет."
            )
        else:
            try:
                item = services.register_file(case_file, data, actor=request.user)
            except services.ArchiveError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(
                    request,
                    f"Дело принято в архив под № {item.archive_number}. Распечатайте ярлык.",
                )
                return redirect("archive:file", pk=item.pk)
    return render(request, "archive/register.html", {"form": form})


@login_required
@permission_required("archive.view_archivedfile", raise_exception=True)
def file_detail(request, pk: int):
    item = get_for_user_or_404(
        request, ArchivedFile.objects.select_related("case_file__applicant", "location", "retention_rule", "registered_by"),
        event="view_casefile", pk=pk,
    )  # fmt: skip
    issues = item.issues.select_related("issued_to", "issued_by", "received_by")
    form = IssueForm(office=item.office)
    return render(request, "archive/file.html", {"item": item, "issues": issues, "form": form,
                                                  "move_form": MoveForm(office=item.office), "hold_form": HoldForm(),
                                                  "withdraw_form": WithdrawForm(auto_id="id_withdraw_%s"),
                                                  "open_issue": issues.filter(returned_on__isnull=True).first()})  # fmt: skip


@login_required
@permission_required("archive.change_archivedfile", raise_exception=True)
@require_POST
def file_move(request, pk: int):
    item = get_for_user_or_404(request, ArchivedFile.objects.all(), pk=pk)
    form = MoveForm(request.POST, office=item.office)
    if not form.is_valid():
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
        return redirect("archive:file", pk=pk)
    try:
        item = services.move_file(item, form.cleaned_data["location"], actor=request.user)
    except services.ArchiveError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"Дело перемещено: {item.location.path}. Перепечатайте ярлык, если на нём есть место.",
        )
    return redirect("archive:file", pk=pk)


@login_required
@permission_required("archive.change_archivedfile", raise_exception=True)
@require_POST
def file_hold(request, pk: int):
    item = get_for_user_or_404(request, ArchivedFile.objects.all(), pk=pk)
    form = HoldForm(request.POST)
    form.is_valid()
    hold = request.POST.get("hold") == "1"
    try:
        services.set_legal_hold(
            item, hold=hold, reason=form.cleaned_data.get("reason", ""), actor=request.user
        )
    except services.ArchiveError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, "Запрет уничтожения установлен." if hold else "Запрет уничтожения снят."
        )
    return redirect("archive:file", pk=pk)


@login_required
@permission_required("archive.change_archivedfile", raise_exception=True)
@require_POST
def file_withdraw(request, pk: int):
    """«Вернуть из архива»: the case file goes back into work, with the reason."""
    item = get_for_user_or_404(request, ArchivedFile.objects.all(), pk=pk)
    form = WithdrawForm(request.POST)
    form.is_valid()
    try:
        item = services.withdraw_file(
            item, actor=request.user, reason=form.cleaned_data.get("reason", "")
        )
    except services.ArchiveError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"Личное дело {item.case_file.number_display} возвращено из архива в работу: "
            "по нему снова принимают заявления и решения.",
        )
    return redirect("archive:file", pk=pk)


@login_required
@permission_required("archive.view_archivedfile", raise_exception=True)
def case_file_in_archive(request, pk: int):
    """The archive's record of a case file, found by the case file (the counter's refusals link
    here, knowing only the case file)."""
    item = get_for_user_or_404(request, ArchivedFile.objects.all(), case_file_id=pk)
    return redirect("archive:file", pk=item.pk)


def _printable_file(request, pk: int):
    return get_for_user_or_404(
        request, ArchivedFile.objects.select_related("office", "location", "retention_rule"), pk=pk
    )


@login_required
@permission_required("archive.view_archivedfile", raise_exception=True)
def file_label(request, pk: int):
    item = _printable_file(request, pk)
    try:
        docs = services.file_documents([item])
    except services.ArchiveError as exc:
        messages.error(request, exc.message)
        return redirect("archive:file", pk=pk)
    log_access(request, event="print_document", subject=item, detail="ярлык дела")
    return _labels_pdf(docs, request, f"Ярлык {item.archive_number}.pdf")


@login_required
@permission_required("archive.view_archivedfile", raise_exception=True)
def file_cover(request, pk: int):
    """Обложка дела (A4): the organisation, the structural unit, the index, the title, the
    dates, the sheets, the retention with the list's article and the archival cipher."""
    item = _printable_file(request, pk)
    try:
        (doc,) = services.file_documents([item])
    except services.ArchiveError as exc:
        messages.error(request, exc.message)
        return redirect("archive:file", pk=pk)
    log_access(request, event="print_document", subject=item, detail="обложка дела")
    pdf = render_pdf("archive/cover_pdf.html", {"doc": doc, "item": item})
    return pdf_response(pdf, f"Обложка {item.archive_number}.pdf")


LABELS_PER_SHEET = 8


def _labels_pdf(docs, request, file_name: str) -> HttpResponse:
    """Labels on A4 sheets of 8 (105 × 74 mm) for the spine or the box: `?start=N` begins at
    the N-th cell of a sheet already partly used."""
    start = request.GET.get("start", "1")
    skip = int(start) - 1 if start.isdigit() and 1 <= int(start) <= LABELS_PER_SHEET else 0
    labels = [
        {"doc": doc, "item": doc.item, "qr": qr_data_uri(f"ARCH:{doc.item.office.code}:{doc.item.archive_number}")}
        for doc in docs
    ]  # fmt: skip
    pdf = render_pdf("archive/label_pdf.html", {"labels": labels, "skip": range(skip)})
    return pdf_response(pdf, file_name)


@login_required
@permission_required("archive.view_archivedfile", raise_exception=True)
def labels(request):
    """Labels of the files the archive list shows (a box, a search), on A4 sheets; a destroyed
    file has none."""
    files = list(
        _listed_files(request)
        .exclude(status=ArchivedFile.Status.DESTROYED)
        .select_related("office", "location", "retention_rule")[: LABELS_PER_SHEET * 40]
    )
    if not files:
        messages.error(
            request,
            "Ярлыки печатать не для чего: в списке нет дел (уничтоженным делам ярлык не печатают).",
        )
        return redirect(
            reverse("archive:list") + ("?" + request.GET.urlencode() if request.GET else "")
        )
    log_access(request, event="print_document", subject_repr=f"ярлыки дел: {len(files)}",
               detail="дела в архиве: " + ", ".join(str(f.pk) for f in files))  # fmt: skip
    return _labels_pdf(services.file_documents(files), request, "Ярлыки дел.pdf")


@login_required
@permission_required("archive.change_fileissue", raise_exception=True)
@require_POST
def file_issue(request, pk: int):
    item = get_for_user_or_404(request, ArchivedFile.objects.all(), pk=pk)
    form = IssueForm(request.POST, office=item.office)
    if form.is_valid():
        try:
            issue = services.issue_file(item, actor=request.user, **form.cleaned_data)
        except services.ArchiveError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                f"Дело выдано до {issue.due_back:%d.%m.%Y}. Распечатайте карту-заместитель.",
            )
    else:
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
    return redirect("archive:file", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def issue_detail(request, pk: int):
    """The control card of an issue. The borrower sees their own card (it is on their «Мои
    дела») without the archive's permissions."""
    issue = get_for_user_or_404(
        request, FileIssue.objects.select_related("archived_file", "issued_to", "issued_by"), pk=pk
    )
    if not (
        request.user.has_perm("archive.view_fileissue") or issue.issued_to_id == request.user.pk
    ):
        raise PermissionDenied("Недостаточно прав")
    if request.method == "POST":
        if not request.user.has_perm("archive.change_fileissue"):
            raise PermissionDenied("Недостаточно прав")
        try:
            services.return_file(issue, actor=request.user)
        except services.ArchiveError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Дело возвращено в архив.")
        return redirect("archive:file", pk=issue.archived_file_id)
    return render(request, "archive/issue.html", {"issue": issue, "today": timezone.localdate()})


@login_required
@permission_required("archive.view_fileissue", raise_exception=True)
def substitute_card(request, pk: int):
    issue = get_for_user_or_404(
        request,
        FileIssue.objects.select_related(
            "archived_file__location", "issued_to", "issued_by", "office"
        ),
        pk=pk,
    )
    log_access(
        request, event="print_document", subject=issue.archived_file, detail="карта-заместитель"
    )
    (doc,) = services.file_documents([issue.archived_file], refuse_destroyed=False)
    pdf = render_pdf(
        "archive/substitute_card_pdf.html",
        {"issue": issue, "item": issue.archived_file, "doc": doc,
         "issuer_sign": documents.signature_name(issue.issued_by)},
    )  # fmt: skip
    return pdf_response(pdf, f"Карта-заместитель {issue.archived_file.archive_number}.pdf")


class InventoryForm(forms.Form):
    year = forms.TypedChoiceField(
        label="Год дел",
        coerce=int,
        choices=(),
        error_messages={
            "required": "Выберите год дел описи.",
            "invalid_choice": "Дел за %(value)s год в архиве нет: выберите год из списка.",
        },
    )
    group = forms.ChoiceField(
        label="Срок хранения дел",
        choices=Inventory.Group.choices,
        error_messages={
            "required": "Выберите срок хранения дел описи.",
            "invalid_choice": "Выберите срок хранения дел описи из списка.",
        },
    )
    index = forms.CharField(label="Индекс дела (пусто — все)", max_length=32, required=False,
                            widget=forms.TextInput(attrs={"list": "indexes"}))  # fmt: skip

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in years]


@login_required
@permission_required("archive.view_inventory", raise_exception=True)
@require_http_methods(["GET", "POST"])
def inventory(request):
    """The saved inventories (описи дел) and, for the archivist, compiling a new one."""
    files = ArchivedFile.objects.for_user(request.user).filter(
        status__in=services.INVENTORY_STATUSES
    )
    years = list(files.values_list("year", flat=True).distinct().order_by("-year"))
    form = InventoryForm(request.POST if request.method == "POST" else None, years=years)
    if request.method == "POST":
        if not request.user.has_perm("archive.add_inventory"):
            raise PermissionDenied("Опись составляет архивариус")
        if form.is_valid():
            try:
                made = services.compile_inventory(actor=request.user, **form.cleaned_data)
            except services.ArchiveError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(
                    request,
                    f"Составлена опись № {made.number} от {made.compiled_on:%d.%m.%Y}: "
                    f"{counted(made.items.count(), 'дело,дела,дел')} {made.get_group_display()} "
                    f"за {made.year} год.",
                )
                return redirect("archive:inventory")
    inventories = (
        Inventory.objects.for_user(request.user)
        .select_related("compiled_by")
        .annotate(files=Count("items"))[:100]
    )
    return render(request, "archive/inventory.html", {
        "form": form, "inventories": inventories,
        "indexes": files.values_list("nomenclature_index", flat=True).distinct().order_by("nomenclature_index"),
    })  # fmt: skip


def _saved_inventory(request, pk: int) -> Inventory:
    inv = get_for_user_or_404(
        request, Inventory.objects.select_related("office", "compiled_by"), pk=pk
    )
    log_access(request, event="export", subject=inv, detail=f"опись дел за {inv.year} год")
    return inv


@login_required
@permission_required("archive.view_inventory", raise_exception=True)
def inventory_pdf(request, pk: int):
    inv = _saved_inventory(request, pk)
    return pdf_response(documents.inventory_pdf(inv), f"Опись {inv.number} за {inv.year}.pdf")


@login_required
@permission_required("archive.view_inventory", raise_exception=True)
def inventory_xlsx(request, pk: int):
    """The same list as the PDF, column for column, with the closing entry under it."""
    inv = _saved_inventory(request, pk)
    context = documents.inventory_context(inv)
    closing = context["closing"]
    rows = [[int(r[0]), *r[1:6], int(r[6]), r[7]] for r in context["register"].rows]
    rows += [
        [],
        [f"В данный раздел описи внесено {closing['count_words']} с № {closing['first']} по № "
         f"{closing['last']}, в том числе: литерные номера: {closing['letters']}; пропущенные "
         f"номера: {closing['skipped']}."],
        [f"Составитель: {context['compiler'].position or context['compiler'].role_display.lower()} "
         f"{context['compiler_sign']}, {inv.compiled_on:%d.%m.%Y}"],
    ]  # fmt: skip
    return xlsx_response(
        f"inventory-{inv.number}-{inv.year}.xlsx",
        "Опись",
        rows,
        columns=[c.title for c in documents.INVENTORY_COLUMNS],
        caption=f"Опись № {inv.number} от {inv.compiled_on:%d.%m.%Y} дел {inv.get_group_display()} "
        f"за {inv.year} год" + (f", индекс {inv.index}" if inv.index else ""),
    )


@login_required
@permission_required("archive.view_location", raise_exception=True)
@require_http_methods(["GET", "POST"])
def locations(request):
    form = LocationForm(
        request.POST if request.method == "POST" else None, office=request.user.office
    )
    if request.method == "POST":
        if not request.user.has_perm("archive.add_location"):
            raise PermissionDenied("Недостаточно прав")
        if form.is_valid():
            data = form.cleaned_data
            if data["kind"] != Location.Kind.ROOM and data["parent"] is None:
                form.add_error(
                    "parent",
                    "Укажите, куда входит это место (стеллаж — в помещение, полка — в стеллаж, короб — на полку).",
                )
            elif Location.objects.filter(
                office=request.user.office, parent=data["parent"], name=data["name"]
            ).exists():
                form.add_error("name", "Такое обозначение здесь уже есть.")
            else:
                location = Location(office=request.user.office, **data)
                location._history_user = request.user
                location.save()
                messages.success(request, f"Добавлено: {location.path}.")
                return redirect("archive:locations")
    places = Location.objects.for_user(request.user).select_related("parent")
    return render(request, "archive/locations.html", {"form": form, "places": places})


# --- Presence checks ------------------------------------------------------------------------------

from archive.models import InventoryCheck  # noqa: E402


class CheckForm(forms.Form):
    order_number = forms.CharField(
        label="Номер приказа директора",
        max_length=50,
        error_messages={"required": "Укажите номер приказа."},
    )
    order_date = forms.DateField(
        label="Дата приказа",
        widget=DateInput(),
        error_messages={"required": "Укажите дату приказа.", "invalid": "Неверная дата."},
    )
    commission = forms.ModelMultipleChoiceField(label="Комиссия (не меньше трёх)", queryset=User.objects.none(),
                                                widget=forms.CheckboxSelectMultiple, error_messages={"required": "Выберите членов комиссии."})  # fmt: skip
    locations = forms.ModelMultipleChoiceField(
        label="Места хранения (пусто — весь архив)",
        queryset=Location.objects.none(),
        required=False,
    )
    chair = forms.ModelChoiceField(label="Председатель комиссии (один из членов)", queryset=User.objects.none(),
                                   empty_label="выберите…", error_messages={"required": "Выберите председателя комиссии."})  # fmt: skip
    years = forms.CharField(
        label="Годы через запятую (пусто — все)", required=False, max_length=200
    )
    place = forms.CharField(
        label="Место проведения (пусто — адрес учреждения и помещения архива)",
        required=False,
        max_length=500,
    )

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commission"].queryset = User.objects.filter(office=office, is_active=True)
        self.fields["chair"].queryset = User.objects.filter(office=office, is_active=True)
        self.fields["locations"].queryset = Location.objects.filter(office=office)
        self.fields["locations"].label_from_instance = lambda loc: loc.path

    def clean_years(self):
        raw = self.cleaned_data.get("years", "")
        years = []
        for part in raw.replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            if not part.isdigit() or not 1900 <= int(part) <= 2100:
                raise forms.ValidationError(f"Неверный год «{part}».")
            years.append(int(part))
        return years


@login_required
@permission_required("archive.view_archivedfile", raise_exception=True)
@require_http_methods(["GET", "POST"])
def checks(request):
    form = CheckForm(request.POST if request.method == "POST" else None, office=request.user.office)
    if request.method == "POST":
        if not request.user.has_perm("archive.change_archivedfile"):
            raise PermissionDenied("Недостаточно прав")
        if form.is_valid():
            try:
                check = services.start_check(actor=request.user, **form.cleaned_data)
            except services.ArchiveError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(
                    request,
                    f"Начата проверка наличия по приказу № {check.order_number}: дел в списке "
                    f"{check.items.count()}. Сканируйте ярлыки дел.",
                )
                return redirect("archive:check", pk=check.pk)
    return render(
        request,
        "archive/checks.html",
        {"form": form, "checks": InventoryCheck.objects.for_user(request.user)[:50]},
    )


def _check_context(check, **extra) -> dict:
    result = services.check_result(check)
    return {
        "check": check,
        "result": result,
        "total": len(result["listed"]),
        "done": len(result["present"]),
        **extra,
    }


@login_required
@permission_required("archive.view_archivedfile", raise_exception=True)
def check_detail(request, pk: int):
    check = get_for_user_or_404(request, InventoryCheck.objects.all(), pk=pk)
    return render(request, "archive/check.html", _check_context(check))


@login_required
@permission_required("archive.change_archivedfile", raise_exception=True)
@require_POST
def check_scan(request, pk: int):
    check = get_for_user_or_404(request, InventoryCheck.objects.all(), pk=pk)
    kind, message = services.scan(check, request.POST.get("code", ""), actor=request.user)
    context = _check_context(check, scan_kind=kind, scan_message=message)
    if request.htmx:
        return render(request, "archive/check.html#progress", context)
    messages.info(request, message)
    return redirect("archive:check", pk=pk)


@login_required
@permission_required("archive.change_archivedfile", raise_exception=True)
@require_http_methods(["GET", "POST"])
def check_finish(request, pk: int):
    """Finishing marks every unscanned file «не найдено» at once: a page first says how many and
    which, and only its «Да, завершить» (confirm=1) finishes. Works without JavaScript."""
    check = get_for_user_or_404(request, InventoryCheck.objects.all(), pk=pk)
    if check.status != InventoryCheck.Status.IN_PROGRESS:
        messages.error(request, "Проверка уже завершена.")
        return redirect("archive:check", pk=pk)
    if request.method == "POST" and request.POST.get("confirm") == "1":
        try:
            result = services.finish_check(
                check,
                actor=request.user,
                condition=request.POST.get("condition", "")[:100],
                condition_notes=request.POST.get("condition_notes", "")[:2000],
            )
        except services.ArchiveError as exc:
            messages.error(request, exc.message)
        else:
            missing = len(result["not_found"])
            messages.success(
                request,
                f"Проверка завершена: в наличии {len(result['present'])} из "
                f"{len(result['listed'])}, не найдено {missing} "
                f"{plural(missing, 'дело,дела,дел')}. Дата проверки записана в дела. "
                "Распечатайте акт.",
            )
        return redirect("archive:check", pk=pk)
    return render(request, "archive/check_finish.html", _check_context(check))


@login_required
@permission_required("archive.view_archivedfile", raise_exception=True)
def check_act(request, pk: int):
    check = get_for_user_or_404(request, InventoryCheck.objects.select_related("office"), pk=pk)
    log_access(request, event="print_document", subject=check, detail="акт проверки наличия")
    members = list(check.commission.all())
    members.sort(key=lambda m: (m.pk != check.chair_id, m.last_name, m.first_name, m.pk))
    pdf = render_pdf("archive/check_act_pdf.html", {**_check_context(check), "office": check.office,
                                                    "commission": members})  # fmt: skip
    return pdf_response(pdf, f"Акт проверки наличия {check.order_number}.pdf")


# --- Destruction acts -----------------------------------------------------------------------------

from archive.models import DestructionAct  # noqa: E402


@login_required
@permission_required("archive.view_destructionact", raise_exception=True)
@require_http_methods(["GET", "POST"])
def acts(request):
    today = timezone.localdate()
    if request.method == "POST":
        try:
            act_date = forms.DateField().clean(request.POST.get("act_date") or today)
            act = services.draft_act(actor=request.user, act_date=act_date)
        except forms.ValidationError:
            messages.error(request, "Неверная дата акта.")
        except services.ArchiveError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                f"Составлен проект акта № {act.number}: {counted(act.items.count(), 'дело,дела,дел')}.",
            )
            return redirect("archive:act", pk=act.pk)
        return redirect("archive:acts")
    eligible = services.eligible_files(request.user.office, today).count()
    acts = DestructionAct.objects.for_user(request.user)
    status = request.GET.get("status", "")
    if status in DestructionAct.Status.values:  # the dashboard's «ждут согласования / утверждения»
        acts = acts.filter(status=status)
    office = request.GET.get("office", "")
    if office.isdigit() and request.user.sees_all_offices:
        acts = acts.filter(office_id=int(office))
    return render(request, "archive/acts.html", {"acts": acts[:50], "eligible": eligible, "today": today})  # fmt: skip


class ExecuteForm(forms.Form):
    """The record of destruction (Правила хранения, приказ Росархива № 77), taken when the
    archivist marks the files destroyed; the service checks what depends on the method."""

    method = forms.ChoiceField(label="Способ уничтожения", choices=[("", "выберите…"), *DestructionAct.Method.choices],
                               required=False)  # fmt: skip
    volume = forms.CharField(
        label="Масса или объём (например, 3,5 кг)", max_length=50, required=False
    )
    destroyed_on = forms.DateField(label="Дата уничтожения", widget=DateInput(), required=False,
                                   error_messages={"invalid": "Дата уничтожения: неверная дата."})  # fmt: skip
    recycler = forms.CharField(label="Организация-переработчик (при передаче на переработку)",
                               max_length=300, required=False)  # fmt: skip
    handover_number = forms.CharField(label="Накладная №", max_length=50, required=False)
    handover_date = forms.DateField(label="Накладная от", widget=DateInput(), required=False,
                                    error_messages={"invalid": "Дата накладной: неверная дата."})  # fmt: skip


@login_required
@permission_required("archive.view_destructionact", raise_exception=True)
@require_http_methods(["GET", "POST"])
def act_detail(request, pk: int):
    act = get_for_user_or_404(
        request,
        DestructionAct.objects.select_related(
            "compiled_by", "agreed_by", "approved_by", "executed_by"
        ),
        pk=pk,
    )
    if request.method == "POST":
        step = request.POST.get("step")
        done = {
            "agree": f"Акт № {act.number} согласован экспертной комиссией.",
            "approve": f"Акт № {act.number} утверждён.",
            "execute": f"Уничтожение дел по акту № {act.number} отмечено, персональные данные удалены.",
        }.get(step, "")
        try:
            if step == "agree":
                protocol_date = forms.DateField(required=False).clean(
                    request.POST.get("protocol_date")
                )
                services.agree_act(act, actor=request.user, protocol_number=request.POST.get("protocol_number", ""),
                                   protocol_date=protocol_date)  # fmt: skip
            elif step == "approve":
                services.approve_act(act, actor=request.user)
            elif step == "execute":
                form = ExecuteForm(request.POST)
                if not form.is_valid():
                    raise services.ArchiveError(
                        "; ".join(e for errors in form.errors.values() for e in errors)
                    )
                if request.POST.get("confirm") != "1":
                    raise services.ArchiveError(
                        "Подтвердите, что дела уничтожены: действие необратимо."
                    )
                services.execute_act(act, actor=request.user, record=form.cleaned_data)
            else:
                raise services.ArchiveError("Неизвестное действие.")
        except forms.ValidationError:
            messages.error(request, "Неверная дата протокола.")
        except services.ArchiveError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done)
        return redirect("archive:act", pk=pk)
    years = sorted({item.year for item in act.items.all()})
    return render(
        request,
        "archive/act.html",
        {"act": act, "items": act.items.all()[:200], "count": act.items.count(), "years": years,
         "execute_form": ExecuteForm(initial={"destroyed_on": timezone.localdate()})},
    )  # fmt: skip


@login_required
@permission_required("archive.view_destructionact", raise_exception=True)
def act_pdf(request, pk: int):
    act = get_for_user_or_404(
        request,
        DestructionAct.objects.select_related("office", "compiled_by", "approved_by"),
        pk=pk,
    )
    log_access(request, event="print_document", subject=act, subject_repr=str(act))
    count = act.items.count()
    if count > BACKGROUND_ROWS:  # thousands of rows: rendered by a worker, the page does not wait
        from onewindow.jobs import enqueue_job

        job = enqueue_job("archive.render_act", actor=request.user, params={"act": act.pk})
        messages.info(
            request,
            f"Акт из {count} дел формируется в фоне; ссылка появится, когда он будет готов.",
        )
        return redirect("job_status", pk=job.pk)
    pdf = documents.destruction_act_pdf(act)
    return pdf_response(pdf, f"Акт о выделении к уничтожению {act.number}.pdf")


@login_required
@permission_required("archive.view_destructionact", raise_exception=True)
def pd_act_pdf(request, pk: int):
    act = get_for_user_or_404(request, DestructionAct.objects.select_related("office"), pk=pk)
    if not hasattr(act, "pd_destruction"):
        messages.error(
            request, "Акт об уничтожении персональных данных составляется после уничтожения дел."
        )
        return redirect("archive:act", pk=pk)
    pd = act.pd_destruction
    log_access(request, event="print_document", subject=act,
               detail=f"акт об уничтожении персональных данных, субъектов: {len(pd.subjects)}")  # fmt: skip
    pdf = render_pdf("archive/pd_act_pdf.html", _pd_context(act, pd))
    return pdf_response(pdf, f"Акт об уничтожении ПД {act.number}.pdf")


def _pd_context(act, pd) -> dict:
    from django.conf import settings

    return {
        "act": act, "pd": pd, "office": act.office, "destroyer": pd.destroyed_by,
        "anonymised": sum(1 for subject in pd.subjects if subject.get("anonymised")),
        "backup_days": settings.BACKUP_RETENTION_DAYS,
    }  # fmt: skip


PD_LOG_COLUMNS = ["№ п/п", "Дата и время (местное)", "Событие", "Субъект персональных данных",
                  "Уничтоженные категории данных", "Кто уничтожил", "Учётная запись", "Причина"]  # fmt: skip


@login_required
@permission_required("archive.view_destructionact", raise_exception=True)
def pd_event_log(request, pk: int):
    """The event-log export attached to the personal-data destruction act (приказ РКН № 179):
    its rows are the destruction events, one per subject, in local time. PDF, or XLSX with
    ?format=xlsx."""
    act = get_for_user_or_404(request, DestructionAct.objects.select_related("office"), pk=pk)
    if not hasattr(act, "pd_destruction"):
        messages.error(request, "Журнал событий уничтожения появляется после уничтожения дел.")
        return redirect("archive:act", pk=pk)
    pd = act.pd_destruction
    log_access(request, event="export", subject=act,
               detail=f"выгрузка журнала событий уничтожения ПД, записей: {len(pd.event_log)}")  # fmt: skip
    if request.GET.get("format") == "xlsx":
        rows = [
            [n, e.get("at", ""), f"{e.get('event', '')}: {e.get('what', '')}".strip(": "),
             ", ".join(p for p in (e.get("subject", ""), e.get("birth_date", ""), e.get("snils", "")) if p),
             e.get("categories", ""), e.get("who", ""), e.get("username", ""), e.get("reason", "")]
            for n, e in enumerate(pd.event_log, start=1)
        ]  # fmt: skip
        number = pd.number or act.number
        return xlsx_response(
            f"pd-event-log-{number}.xlsx", "Журнал событий", rows, columns=PD_LOG_COLUMNS,
            caption=f"Выгрузка журнала событий к акту об уничтожении персональных данных № {number} "
            f"от {pd.destroyed_on:%d.%m.%Y}, {act.office.name}",
        )  # fmt: skip
    pdf = render_pdf("archive/pd_event_log_pdf.html", _pd_context(act, pd))
    return pdf_response(pdf, f"Журнал событий уничтожения ПД {act.number}.pdf")


# (permission, state the act waits in, what the home page says)
ACT_STEPS = [
    ("archive.agree_destructionact", DestructionAct.Status.DRAFT,
     "Акты о выделении дел к уничтожению ждут согласования экспертной комиссии"),
    ("archive.approve_destructionact", DestructionAct.Status.AGREED,
     "Акты о выделении дел к уничтожению ждут утверждения"),
    ("archive.execute_destructionact", DestructionAct.Status.APPROVED,
     "Утверждённые акты ждут уничтожения дел"),
]  # fmt: skip


def home_notices(user) -> list[dict]:
    """The home page tells each role of the destruction acts waiting on its step."""
    notices = []
    for perm, status, text in ACT_STEPS:
        if not user.has_perm(perm):
            continue
        waiting = DestructionAct.objects.for_user(user).filter(status=status).count()
        if waiting:
            notices.append({"text": f"{text}: {waiting}", "url": reverse("archive:acts")})
    return notices
