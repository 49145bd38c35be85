"""Transfer of a person's case file between offices: thin views over `cases.transfers`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cases import transfers as svc
from cases.forms import TransferDecisionForm, TransferRequestForm
from cases.models import CaseTransfer, Entitlement
from cases.services import CounterError
from cases.views.common import show_refusal
from onewindow.audit import get_for_user_or_404, log_access


@login_required
@permission_required("cases.add_casetransfer", raise_exception=True)
@require_http_methods(["GET", "POST"])
def transfer_new(request):
    initial = {
        "snils": request.GET.get("snils", ""),
        "stated_name": request.GET.get("name", ""),
        "stated_birth_date": request.GET.get("birth_date", ""),
        "new_address": request.GET.get("address", ""),
    }
    form = TransferRequestForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            transfer = svc.request_transfer(
                snils=data["snils"],
                stated_name=data["stated_name"],
                stated_birth_date=data["stated_birth_date"],
                reason=data["reason"],
                new_address=data["new_address"],
                actor=request.user,
            )
        except CounterError as exc:
            show_refusal(form, exc)
        else:
            messages.success(
                request,
                f"Запрос направлен в {transfer.from_office}. Когда там подтвердят передачу, "
                "заявитель и его личное дело появятся в вашем учреждении.",
            )
            return redirect("cases:transfer", pk=transfer.pk)
    return render(request, "cases/transfer_form.html", {"form": form})


@login_required
@permission_required("cases.view_casetransfer", raise_exception=True)
def transfer_detail(request, pk: int):
    queryset = CaseTransfer.objects.select_related(
        "applicant", "from_office", "to_office", "requested_by", "decided_by",
        "old_case_file", "new_case_file",
    )  # fmt: skip
    transfer = get_for_user_or_404(request, queryset, event="view_request", pk=pk)
    # The asking office sees what it sent; the person's file is shown only to the office that
    # holds it (and after the transfer, to the new one through the usual pages).
    holder = request.user.office_id == transfer.from_office_id or request.user.sees_all_offices
    context = {
        "transfer": transfer,
        "holder": holder,
        "may_decide": transfer.is_open and svc.may_decide(transfer, request.user),
        "may_cancel": transfer.is_open and svc.may_cancel(transfer, request.user),
        "form": TransferDecisionForm(initial={"measures_stop_on": timezone.localdate()}),
    }
    if holder and transfer.is_open:
        applicant = transfer.applicant
        context.update(
            matches=svc.stated_data_match(transfer),
            blockers=svc.open_work_of(applicant, transfer.from_office),
            measures=Entitlement.objects.filter(
                applicant=applicant,
                office=transfer.from_office,
                status__in=[Entitlement.Status.ACTIVE, Entitlement.Status.SUSPENDED],
            ).select_related("service"),
        )
        log_access(
            request, event="view_applicant", subject=applicant, detail="передача личного дела"
        )
    return render(request, "cases/transfer_detail.html", context)


@login_required
@permission_required("cases.view_casetransfer", raise_exception=True)
@require_POST
def transfer_decide(request, pk: int, action: str):
    transfer = get_for_user_or_404(request, CaseTransfer.objects.all(), pk=pk)
    form = TransferDecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("cases:transfer", pk=transfer.pk)
    data = form.cleaned_data
    try:
        if action == "confirm":
            svc.confirm_transfer(
                transfer, actor=request.user, measures_stop_on=data.get("measures_stop_on")
            )
            log_access(
                request, event="transfer_casefile", subject=transfer.applicant,
                detail=f"личное дело передано: {transfer.from_office} → {transfer.to_office}",
            )  # fmt: skip
            messages.success(
                request,
                f"Личное дело передано в {transfer.to_office}: заявитель состоит на учёте там.",
            )
        elif action == "refuse":
            svc.refuse_transfer(transfer, actor=request.user, reason=data.get("reason", ""))
            log_access(
                request, event="transfer_casefile", subject=transfer.applicant,
                detail=f"в передаче личного дела в {transfer.to_office} отказано",
            )  # fmt: skip
            messages.success(request, "В передаче отказано; запросившее учреждение это увидит.")
        elif action == "cancel":
            svc.cancel_transfer(transfer, actor=request.user)
            messages.success(request, "Запрос отозван.")
        else:
            raise PermissionDenied("Неизвестное действие")
    except CounterError as exc:
        messages.error(request, exc.message)
    return redirect("cases:transfer", pk=transfer.pk)


def home_notices(user) -> list[dict]:
    """For the chief's home page: case files other offices ask for and wait on us to decide."""
    if not user.has_perm("cases.confirm_casetransfer") or user.office_id is None:
        return []
    waiting = CaseTransfer.objects.open().filter(from_office_id=user.office_id).count()
    if not waiting:
        return []
    return [
        {
            "text": f"Запросы на передачу личных дел в другие учреждения ждут решения: {waiting}",
            "url": reverse("cases:requests") + "?kind=transfers",
        }
    ]
