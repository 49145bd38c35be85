"""The archivist's screens of storage and issue: the archive list with its search and filters,
taking a file in, a file with its label and cover, moving, the legal hold, returning into work,
temporary issue and return with the substitute card, and the places of storage."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from archive import documents, services
from archive.forms import (
    HoldForm,
    IssueForm,
    ListFilters,
    LocationForm,
    MoveForm,
    RegisterForm,
    WithdrawForm,
)
from archive.models import ArchivedFile, FileIssue, Location
from onewindow.audit import get_for_user_or_404, log_access
from onewindow.forms import errors_text, submitted
from onewindow.http import with_messages
from onewindow.lists import paginate_list
from onewindow.pdf import pdf_response, render_pdf
from onewindow.qr import qr_data_uri
from onewindow.text import normalize_text

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
    item = submitted(form, lambda **data: services.register_by_number(actor=request.user, **data))
    if item is not None:
        messages.success(
            request, f"Дело принято в архив под № {item.archive_number}. Распечатайте ярлык."
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
        messages.error(request, errors_text(form))
        return redirect("archive:file", pk=pk)
    with_messages(
        request,
        lambda: services.move_file(item, form.cleaned_data["location"], actor=request.user),
        lambda moved: f"Дело перемещено: {moved.location.path}. Перепечатайте ярлык, если на нём есть место.",
    )  # fmt: skip
    return redirect("archive:file", pk=pk)


@login_required
@permission_required("archive.change_archivedfile", raise_exception=True)
@require_POST
def file_hold(request, pk: int):
    item = get_for_user_or_404(request, ArchivedFile.objects.all(), pk=pk)
    form = HoldForm(request.POST)
    form.is_valid()
    hold = request.POST.get("hold") == "1"
    with_messages(
        request,
        lambda: services.set_legal_hold(item, hold=hold, reason=form.cleaned_data.get("reason", ""), actor=request.user),
        "Запрет уничтожения установлен." if hold else "Запрет уничтожения снят.",
    )  # fmt: skip
    return redirect("archive:file", pk=pk)


@login_required
@permission_required("archive.change_archivedfile", raise_exception=True)
@require_POST
def file_withdraw(request, pk: int):
    """«Вернуть из архива»: the case file goes back into work, with the reason."""
    item = get_for_user_or_404(request, ArchivedFile.objects.all(), pk=pk)
    form = WithdrawForm(request.POST)
    form.is_valid()
    with_messages(
        request,
        lambda: services.withdraw_file(item, actor=request.user, reason=form.cleaned_data.get("reason", "")),
        lambda done: f"Личное дело {done.case_file.number_display} возвращено из архива в работу: "
        "по нему снова принимают заявления и решения.",
    )  # fmt: skip
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
        with_messages(
            request,
            lambda: services.issue_file(item, actor=request.user, **form.cleaned_data),
            lambda issue: f"Дело выдано до {issue.due_back:%d.%m.%Y}. Распечатайте карту-заместитель.",
        )  # fmt: skip
    else:
        messages.error(request, errors_text(form))
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
        with_messages(
            request,
            lambda: services.return_file(issue, actor=request.user),
            "Дело возвращено в архив.",
        )
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
        location = submitted(form, partial(services.create_location, actor=request.user))
        if location is not None:
            messages.success(request, f"Добавлено: {location.path}.")
            return redirect("archive:locations")
    places = Location.objects.for_user(request.user).select_related("parent")
    return render(request, "archive/locations.html", {"form": form, "places": places})
