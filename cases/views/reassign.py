"""The chief's «Передать отмеченные» on the journal and on «Запросы»: thin views over
`cases.services.reassign_applications` and `cases.requests.reassign_requests`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from cases import requests as request_services
from cases import services
from cases.models import Application, IncomingRequest, InteragencyRequest
from onewindow.errors import DomainError
from onewindow.forms import reassign_posted
from onewindow.http import safe_next
from onewindow.text import counted


def report(request, result, noun: str) -> None:
    """What the reassignment did, in words: «Передано 2 заявления: Ивановой А. С.»."""
    if result.moved:
        messages.success(request, f"Передано: {counted(result.moved, noun)}.")
    if result.unchanged:
        messages.info(request, f"Уже у этого специалиста: {counted(result.unchanged, noun)}.")


def _reassign(request, queryset, move, noun: str, default: str):
    form, ids = reassign_posted(request)
    target = safe_next(request, default)
    if not ids:
        messages.error(request, "Ничего не передано: отметьте, что передать.")
        return redirect(target)
    if not form.is_valid():
        messages.error(
            request,
            "Ничего не передано: "
            + " ".join(
                error[:1].lower() + error[1:]
                for error in form.errors.get("to_user", ["выберите, кому передать."])
            ),
        )
        return redirect(target)
    # only rows the user may see; anything else is not there for them
    rows = list(queryset.for_user(request.user).filter(pk__in=ids).values_list("pk", flat=True))
    if len(rows) != len(set(ids)):
        messages.error(request, "Ничего не передано: часть отмеченного не найдена.")
        return redirect(target)
    try:
        result = move(rows, form.cleaned_data["to_user"], actor=request.user,
                      note=form.cleaned_data["note"])  # fmt: skip
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        report(request, result, noun)
    return redirect(target)


@login_required
@require_POST
def journal_reassign(request):
    return _reassign(
        request, Application.objects, services.reassign_applications,
        "заявление,заявления,заявлений", "cases:journal",
    )  # fmt: skip


@login_required
@require_POST
def requests_reassign(request):
    kind = request.POST.get("kind", "")
    model = {"interagency": InteragencyRequest, "incoming": IncomingRequest}.get(kind)
    if model is None:
        messages.error(request, "Передать можно межведомственные и входящие запросы.")
        return redirect(safe_next(request, "cases:requests"))

    def move(rows, to_user, **kwargs):
        return request_services.reassign_requests(kind, rows, to_user, **kwargs)

    return _reassign(request, model.objects, move, "запрос,запроса,запросов", "cases:requests")
