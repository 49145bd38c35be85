"""«Мои дела» and handovers of work (передача дел)."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from onewindow import handover as svc
from onewindow import roles, work, workdays
from onewindow.audit import get_for_user_or_404, log_access, shown
from onewindow.forms import DateInput, submitted
from onewindow.http import with_messages
from onewindow.lists import paginate_list
from onewindow.models import Handover, User
from onewindow.pdf import pdf_response, render_pdf
from onewindow.text import counted

MY_WORK_PREVIEW = 10  # rows of each kind on the overview; the rest behind «Показать все»
MY_WORK_PAGE = 50
MY_WORK_SORTS = {"due": ("due_sort", "pk"), "title": "title"}


def _work_rows(kind, objects, today) -> list[dict]:
    rows = []
    for obj in objects:
        due = kind.due_of(obj)
        overdue = bool(due and due < today)
        rows.append(
            {
                "pk": obj.pk,
                "title": getattr(obj, "work_title", None) or str(obj),
                "url": reverse(kind.url_name, args=[obj.pk]) if kind.url_name else "",
                "due": due,
                "due_sort": due or datetime.date.max,
                "overdue": overdue,
                # in working days of the production calendar, as deadlines are counted
                "overdue_days": workdays.working_days_between(due, today) if overdue else 0,
            }
        )
    return rows


@login_required
def my_work(request):
    """The overview: each kind with its count, overdue count and its most urgent rows; with
    `?kind=…` one kind, paginated, filtered (`overdue=1`) and sorted (`sort=due|-due|title`)."""
    today = timezone.localdate()
    open_work = work.open_work(request.user)
    code = request.GET.get("kind", "")
    if code in open_work:
        kind = work.KINDS[code]
        objects = list(open_work[code])
        rows = _work_rows(kind, objects, today)
        overdue_only = request.GET.get("overdue") == "1"
        if overdue_only:
            rows = [row for row in rows if row["overdue"]]
        listing = paginate_list(
            request, rows, sorts=MY_WORK_SORTS, default="due", per_page=MY_WORK_PAGE
        )
        shown_objects = [obj for obj in objects if obj.pk in {row["pk"] for row in listing}]
        log_access(
            request, event="view_list", subject_repr=f"Мои дела: {kind.title}",
            detail=shown(shown_objects, limit=MY_WORK_PAGE),
        )  # fmt: skip
        return render(
            request,
            "onewindow/my_work_kind.html",
            {"kind": kind, "code": code, "rows": listing, "overdue_only": overdue_only,
             "total": len(objects), "today": today},
        )  # fmt: skip
    # `?overdue=1`: only what is overdue, every kind (the counter's «Мои просроченные»)
    overdue_only = request.GET.get("overdue") == "1"
    sections, shown_ids = [], []
    for code, items in open_work.items():
        kind = work.KINDS[code]
        objects = list(items)
        rows = _work_rows(kind, objects, today)
        if overdue_only:
            rows = [row for row in rows if row["overdue"]]
        # overdue first, then by due date
        rows.sort(key=lambda r: (not r["overdue"], r["due"] or today))
        preview = rows[:MY_WORK_PREVIEW]
        sections.append(
            {
                "code": code,
                "title": kind.title,
                "rows": preview,
                "count": len(rows),
                "more": len(rows) - len(preview),
                "overdue": sum(r["overdue"] for r in rows),
            }
        )
        if preview:
            ids = {row["pk"] for row in preview}
            shown_ids.append(
                f"{kind.title}: {shown([o for o in objects if o.pk in ids], limit=20)}"
            )
    handovers = Handover.objects.filter(
        to_user=request.user, status=Handover.Status.ACTIVE
    ).select_related("from_user")
    log_access(request, event="view_list", subject_repr="Мои дела", detail="; ".join(shown_ids))
    return render(
        request,
        "onewindow/my_work.html",
        {
            "sections": sections,
            "today": today,
            "handovers": handovers,
            "overdue_only": overdue_only,
        },
    )


class HandoverForm(forms.Form):
    from_user = forms.ModelChoiceField(label="Кто передаёт дела", queryset=User.objects.none(), empty_label="выберите…",
                                       error_messages={"required": "Выберите, чьи дела передаются."})  # fmt: skip
    to_user = forms.ModelChoiceField(label="Кому", queryset=User.objects.none(), empty_label="выберите…",
                                     error_messages={"required": "Выберите, кому передаются дела."})  # fmt: skip
    reason = forms.ChoiceField(label="Основание", choices=Handover.Reason.choices)
    order_number = forms.CharField(
        label="№ приказа", max_length=50, required=False,
        help_text="Отпуск, командировка, увольнение оформляются приказом директора",
    )  # fmt: skip
    order_date = forms.DateField(
        label="Дата приказа", widget=DateInput(), required=False,
        error_messages={"invalid": "Неверная дата приказа."},
    )  # fmt: skip
    permanent = forms.BooleanField(
        label="Окончательно (увольнение, перевод) — без возврата", required=False
    )
    starts_on = forms.DateField(
        label="С", widget=DateInput(), error_messages={"required": "Укажите дату начала."}
    )
    ends_on = forms.DateField(label="По", widget=DateInput(), required=False)
    note = forms.CharField(
        label="Примечание", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        colleagues = User.objects.filter(office=actor.office).order_by("last_name", "first_name")
        if actor.has_perm("onewindow.add_handover"):
            self.fields["from_user"].queryset = colleagues
        else:
            self.fields["from_user"].queryset = colleagues.filter(pk=actor.pk)
            self.fields["from_user"].initial = actor.pk
        # only whom the work may go to, by the rule the service applies (the service says why
        # anyone else is refused, for the API and the commands)
        self.fields["to_user"].queryset = roles.may_take_work(svc.TAKES_WORK, actor.office)
        self.fields["to_user"].error_messages["invalid_choice"] = (
            "Выберите действующего сотрудника вашего учреждения из списка."
        )
        self.fields["to_user"].label_from_instance = lambda u: u.full_name or u.username

    def clean(self):
        data = super().clean()
        if data.get("reason") in svc.ORDER_REASONS:
            reason = Handover.Reason(data["reason"]).label
            if not (data.get("order_number") or "").strip():
                self.add_error(
                    "order_number", f"Укажите номер приказа ({reason} оформляется приказом)."
                )
            if not data.get("order_date") and "order_date" not in self.errors:
                self.add_error("order_date", "Укажите дату приказа.")
        return data


@login_required
@require_http_methods(["GET", "POST"])
def handover_list(request):
    if not (
        request.user.has_perm("onewindow.view_handover")
        or request.user.has_perm("onewindow.add_handover")
    ):
        raise PermissionDenied("Недостаточно прав")
    handovers = Handover.objects.for_user(request.user).select_related("from_user", "to_user")
    if not request.user.has_perm("onewindow.add_handover"):
        from django.db.models import Q

        handovers = handovers.filter(Q(from_user=request.user) | Q(to_user=request.user))
    form = HandoverForm(request.POST if request.method == "POST" else None, actor=request.user,
                        initial={"starts_on": timezone.localdate()})  # fmt: skip
    handover = submitted(form, lambda **data: svc.hand_over(actor=request.user, **data))
    if handover is not None:
        messages.success(
            request,
            f"Передано: {counted(handover.items.count(), 'дело,дела,дел')}. Распечатайте акт.",
        )
        return redirect("handover", pk=handover.pk)
    return render(request, "onewindow/handovers.html", {"handovers": handovers[:100], "form": form})


@login_required
def handover_detail(request, pk: int):
    handover = get_for_user_or_404(
        request, Handover.objects.select_related("from_user", "to_user", "created_by"), pk=pk
    )
    if not svc.may_see_handover(request.user, handover):
        raise PermissionDenied("Недостаточно прав")
    log_access(request, event="view_handover", subject=handover)
    return render(
        request,
        "onewindow/handover_detail.html",
        {"handover": handover, "items": handover.items.all()},
    )


@login_required
@require_POST
def handover_return(request, pk: int):
    handover = get_for_user_or_404(request, Handover.objects.all(), pk=pk)
    with_messages(
        request,
        lambda: svc.return_handover(handover, actor=request.user),
        lambda returned: (
            f"Возвращено: {counted(len(returned), 'дело,дела,дел')}. Распечатайте акт возврата."
        ),
    )
    return redirect("handover", pk=pk)


@login_required
def handover_act(request, pk: int, which: str = "handover"):
    handover = get_for_user_or_404(
        request,
        Handover.objects.select_related(
            "from_user", "to_user", "office", "created_by", "returned_by"
        ),
        pk=pk,
    )
    if not svc.may_see_handover(request.user, handover):
        raise PermissionDenied("Недостаточно прав")
    items = list(handover.items.all())
    if which == "return":
        if handover.status != Handover.Status.RETURNED:
            messages.error(request, "Акт возврата печатается после возврата дел.")
            return redirect("handover", pk=pk)
        items = [item for item in items if item.returned]
    approver_position, approver_name = svc.approver(handover)
    returned_on = timezone.localdate(handover.returned_at) if handover.returned_at else None
    pdf = render_pdf(
        "onewindow/handover_act_pdf.html",
        {
            "handover": handover,
            "items": items,
            "which": which,
            "office": handover.office,
            "approver_position": approver_position,
            "approver_name": approver_name,
            # the act of return is dated the day the work went back, whenever it is printed
            "returned_on": returned_on,
            "early": bool(returned_on and handover.ends_on and returned_on < handover.ends_on),
        },
    )
    log_access(request, event="print_document", subject=handover, subject_repr=str(handover))
    name = "Акт возврата дел" if which == "return" else "Акт передачи дел"
    return pdf_response(pdf, f"{name} {handover.number}.pdf")
