"""The inventory lists (описи дел) and the presence checks (проверки наличия) with their scanning
and acts."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from archive import documents, services
from archive.forms import CheckForm, InventoryForm
from archive.models import ArchivedFile, Inventory, InventoryCheck
from onewindow.audit import get_for_user_or_404, log_access
from onewindow.forms import submitted
from onewindow.http import with_messages
from onewindow.pdf import pdf_response, render_pdf
from onewindow.text import counted, plural
from onewindow.xlsx import xlsx_response


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
        made = submitted(form, partial(services.compile_inventory, actor=request.user))
        if made is not None:
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
@permission_required("archive.view_archivedfile", raise_exception=True)
@require_http_methods(["GET", "POST"])
def checks(request):
    form = CheckForm(request.POST if request.method == "POST" else None, office=request.user.office)
    if request.method == "POST":
        if not request.user.has_perm("archive.change_archivedfile"):
            raise PermissionDenied("Недостаточно прав")
        check = submitted(form, partial(services.start_check, actor=request.user))
        if check is not None:
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
        with_messages(
            request,
            lambda: services.finish_check(
                check,
                actor=request.user,
                condition=request.POST.get("condition", "")[:100],
                condition_notes=request.POST.get("condition_notes", "")[:2000],
            ),
            _finished_message,
        )
        return redirect("archive:check", pk=pk)
    return render(request, "archive/check_finish.html", _check_context(check))


def _finished_message(result: dict) -> str:
    missing = len(result["not_found"])
    return (
        f"Проверка завершена: в наличии {len(result['present'])} из {len(result['listed'])}, "
        f"не найдено {missing} {plural(missing, 'дело,дела,дел')}. Дата проверки записана в "
        "дела. Распечатайте акт."
    )


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
