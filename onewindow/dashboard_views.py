"""The chief's dashboard (the chief's home page) and the director's page: thin views over
`onewindow.dashboard` (figures the apps register) and `onewindow.charts`.

Office scoping: a user sees their own office; a user who sees every office (and the director on
the director's page, read-only) picks one or all. An office outside that answers 404 and the
attempt is written to the access log as refused. A wrong day or office value is told next to its
field; the page then shows today and the default offices, never a 500."""

from __future__ import annotations

import datetime

from csp.constants import NONCE
from csp.decorators import csp_update
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from onewindow import charts, dashboard, navigation, roles
from onewindow.audit import log_access
from onewindow.forms import DateInput
from onewindow.models import Office

EARLIEST_DAY = datetime.date(2000, 1, 1)


class DashboardForm(forms.Form):
    office = forms.ChoiceField(
        label="Учреждение", required=False,
        error_messages={"invalid_choice": "Учреждение указано неверно: выберите его из списка."},
    )  # fmt: skip
    day = forms.DateField(
        label="Приём на день", required=False, widget=DateInput(),
        error_messages={"invalid": "Неверная дата: укажите день в виде ДД.ММ.ГГГГ."},
    )  # fmt: skip

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(office.pk), office.short_name) for office in offices]
        self.fields["office"].choices = (
            [("", "все учреждения")] if len(offices) > 1 else []
        ) + choices

    def clean_day(self):
        day = self.cleaned_data.get("day")
        today = timezone.localdate()
        if day and day > today:
            raise forms.ValidationError(
                f"Сводку можно посмотреть только по сегодняшний день ({today:%d.%m.%Y})."
            )
        if day and day < EARLIEST_DAY:
            raise forms.ValidationError(f"Слишком ранняя дата: не раньше {EARLIEST_DAY:%d.%m.%Y}.")
        return day


def _scope(request, *, director: bool):
    offices = dashboard.visible_offices(request.user, director=director)
    if not offices:
        raise PermissionDenied("Учётная запись не привязана к учреждению")
    raw = (request.GET.get("office") or "").strip()
    if raw.isdigit() and not any(str(office.pk) == raw for office in offices):
        _refuse(request, raw)  # another office's figures: 404, logged as refused
    form = DashboardForm(request.GET or None, offices=offices)
    valid = form.is_bound and form.is_valid()  # a wrong value is told at its field
    today = timezone.localdate()
    day = (form.cleaned_data.get("day") if valid else None) or today
    picked = offices[0] if len(offices) == 1 else None
    if valid and form.cleaned_data.get("office"):
        picked = next(o for o in offices if str(o.pk) == form.cleaned_data["office"])
    scope = dashboard.Scope(
        user=request.user, offices=[picked] if picked else offices, office=picked,
        today=today, day=day, read_only=director,
    )  # fmt: skip
    return form, scope


def _refuse(request, office_id: str) -> None:
    office = Office.objects.filter(pk=office_id).first() if office_id.isdigit() else None
    log_access(
        request,
        event="forbidden",
        allowed=False,
        subject=office,
        subject_repr=f"сводка учреждения #{office_id}"[:300],
        detail="сводка чужого учреждения" if office else "сводка: такого учреждения нет",
    )
    raise Http404("Учреждение не найдено")


def _context(request, form, scope) -> dict:
    board = dashboard.build(scope)
    nonce = str(request.csp_nonce)
    return {
        "form": form,
        "scope": scope,
        "board": board,
        "charts": [{"chart": c, "svg": charts.chart_svg(c, nonce=nonce)} for c in board.charts],
        "notices": navigation.notices_for(request.user),
        "office_title": scope.office.short_name if scope.office else "все учреждения",
    }


@login_required
@csp_update({"style-src": [NONCE]})  # the charts' own stylesheet, inside each SVG
def dashboard_page(request):
    if not request.user.has_perm("onewindow.view_office_reports"):
        raise PermissionDenied("Сводка — для главного специалиста и директора")
    form, scope = _scope(request, director=False)
    return render(request, "onewindow/dashboard.html", _context(request, form, scope))


@login_required
@csp_update({"style-src": [NONCE]})
def director_page(request):
    """The director's page: the dashboard of any office of the installation, read-only; what
    waits for approval; the monthly reports."""
    user = request.user
    if not (user.is_superuser or user.has_role(roles.DIRECTOR)):
        raise PermissionDenied("Страница директора")
    form, scope = _scope(request, director=True)
    context = _context(request, form, scope)
    context["approvals"] = dashboard.approvals(scope)
    for provider in dashboard.DIRECTOR_CONTEXT:
        context.update(provider(request, scope))
    return render(request, "onewindow/director.html", context)
