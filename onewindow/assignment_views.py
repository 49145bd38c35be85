"""Поручения: the chief's list and form, the assignment's page with «Выполнено» for the assignee
and «Передать» / «Отменить» for the chief. Thin: parse, call `onewindow.assignments`, render."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from onewindow import assignments as svc
from onewindow.audit import get_for_user_or_404, log_access, shown
from onewindow.forms import DateInput
from onewindow.lists import paginate_list
from onewindow.models import Assignment, User

ASSIGNMENTS_PAGE = 50
SORTS = {
    "number": ("year", "number"),
    "given": "given_at",
    "due": "due_date",
    "assignee": ("assignee__last_name", "assignee__first_name"),
    "done": "done_at",
}
STATES = [
    ("open", "на исполнении"),
    ("overdue", "просроченные"),
    ("done", "выполненные"),
    ("cancelled", "отменённые"),
    ("all", "все"),
]


def _person(user) -> str:
    return user.full_name or user.username


class AssignmentForm(forms.Form):
    text = forms.CharField(
        label="Поручение", max_length=svc.TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Напишите текст поручения.",
                        "max_length": f"Текст поручения длиннее {svc.TEXT_MAX} знаков: сократите."},
    )  # fmt: skip
    assignee = forms.ModelChoiceField(
        label="Исполнитель", queryset=User.objects.none(), empty_label="выберите…",
        error_messages={"required": "Выберите исполнителя.",
                        "invalid_choice": "Выберите действующего специалиста вашего учреждения из списка."},
    )  # fmt: skip
    days = forms.IntegerField(
        label="Срок: через сколько рабочих дней", required=False, min_value=1, max_value=svc.MAX_DAYS,
        help_text="Укажите одно: число рабочих дней (считаются по производственному календарю) или дату.",
        error_messages={"invalid": "Число рабочих дней — целое число.",
                        "min_value": f"Срок — от 1 до {svc.MAX_DAYS} рабочих дней.",
                        "max_value": f"Срок — от 1 до {svc.MAX_DAYS} рабочих дней."},
    )  # fmt: skip
    due_date = forms.DateField(
        label="или срок — дата", required=False, widget=DateInput(),
        error_messages={"invalid": "Неверная дата срока: укажите день, месяц и год."},
    )  # fmt: skip
    about = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        field.queryset = svc.assignees(actor.office).exclude(pk=actor.pk)
        field.label_from_instance = _person

    def clean(self):
        data = super().clean()
        if "days" in self.errors or "due_date" in self.errors:
            return data
        try:
            data["due"] = svc.due_date_for(days=data.get("days"), due_date=data.get("due_date"))
        except svc.AssignmentError as exc:
            self.add_error(exc.field, exc.message)
        return data


class DoneForm(forms.Form):
    note = forms.CharField(
        label="Что сделано", max_length=svc.NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Напишите, что сделано: без этого поручение не закрывается."},
    )  # fmt: skip


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Причина отмены", max_length=500,
        error_messages={"required": "Укажите, почему поручение отменяется."},
    )  # fmt: skip


class ReassignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label="Новый исполнитель", queryset=User.objects.none(), empty_label="выберите…",
        error_messages={"required": "Выберите, кому передать поручение.",
                        "invalid_choice": "Выберите действующего специалиста вашего учреждения из списка."},
    )  # fmt: skip

    def __init__(self, *args, assignment, actor, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        field.queryset = (
            svc.assignees(assignment.office).exclude(pk=assignment.assignee_id).exclude(pk=actor.pk)
        )
        field.label_from_instance = _person


class FilterForm(forms.Form):
    state = forms.ChoiceField(label="Состояние", choices=STATES, required=False)
    assignee = forms.ModelChoiceField(
        label="Исполнитель", queryset=User.objects.none(), required=False, empty_label="все",
        error_messages={"invalid_choice": "Такого сотрудника в учреждении нет."},
    )  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        staff = User.objects.order_by("last_name", "first_name", "pk")
        if not user.sees_all_offices:
            staff = staff.filter(office_id=user.office_id)
        self.fields["assignee"].queryset = staff
        self.fields["assignee"].label_from_instance = _person


# --- The chief's list ------------------------------------------------------------------------------


@login_required
def assignment_list(request):
    if not request.user.has_perm(svc.VIEW):
        raise PermissionDenied("Недостаточно прав")
    today = timezone.localdate()
    form = FilterForm(request.GET or None, user=request.user)
    items = Assignment.objects.for_user(request.user).select_related("assignee", "given_by")
    scoped = items
    state = "open"
    if form.is_bound and not form.is_valid():
        items = items.none()
    else:
        data = form.cleaned_data if form.is_bound else {}
        state = data.get("state") or "open"
        if state == "overdue":
            items = items.overdue(today)
        elif state != "all":
            items = items.filter(status=state)
        if data.get("assignee"):
            items = items.filter(assignee=data["assignee"])
    default = "-done" if state == "done" else "due"
    listing = paginate_list(
        request, svc.with_about(items), sorts=SORTS, default=default, per_page=ASSIGNMENTS_PAGE
    )
    rows = [
        {"item": a, "about": svc.describe(a), "overdue_days": svc.overdue_days(a, today)}
        for a in listing
    ]
    by_assignee = (
        scoped.open()
        .values("assignee", "assignee__last_name", "assignee__first_name", "assignee__middle_name")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
        .order_by("assignee__last_name", "assignee__first_name", "assignee")
    )
    log_access(request, event="view_list", subject_repr="Поручения",
               detail=shown(listing, limit=ASSIGNMENTS_PAGE))  # fmt: skip
    return render(
        request,
        "onewindow/assignments.html",
        {"form": form, "listing": listing, "rows": rows, "state": state, "states": STATES,
         "by_assignee": by_assignee, "today": today,
         "may_give": svc.may_give(request.user)},
    )  # fmt: skip


# --- Giving one ------------------------------------------------------------------------------------


def _about(request, value: str):
    """The record `?about=` names, through the office-scoped lookup (another office's: 404,
    logged as refused); None when it names none."""
    try:
        parsed = svc.parse_about(value)
    except svc.AssignmentError as exc:
        messages.error(request, exc.message)
        return None
    if parsed is None:
        return None
    target, pk = parsed
    return get_for_user_or_404(request, target.queryset(), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def assignment_new(request):
    if not svc.may_give(request.user):
        raise PermissionDenied("Давать поручения может главный специалист")
    source = request.POST if request.method == "POST" else request.GET
    about = _about(request, source.get("about", ""))
    about_key = svc.about_key(about) if about is not None else ""
    form = AssignmentForm(
        request.POST if request.method == "POST" else None,
        actor=request.user,
        initial={"about": about_key, "assignee": request.GET.get("assignee")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignment = svc.give_assignment(
                actor=request.user, assignee=data["assignee"], text=data["text"],
                days=data.get("days"), due_date=data.get("due_date"), about=about,
            )  # fmt: skip
        except svc.AssignmentError as exc:
            visible = exc.field in form.fields and exc.field != "about"
            form.add_error(exc.field if visible else None, exc.message)
        else:
            messages.success(
                request,
                f"Поручение № {assignment.number_display} дано: исполнитель "
                f"{assignment.assignee.short_name}, срок {assignment.due_date:%d.%m.%Y}.",
            )
            return redirect("assignment", pk=assignment.pk)
    target = svc.target_of(about)
    about_info = {"title": target.title(about), "url": target.url(about)} if about else None
    if about is not None:
        log_access(request, event="view_assignment", subject=about,
                   subject_repr=about_info["title"], detail="форма «Дать поручение»")  # fmt: skip
    return render(request, "onewindow/assignment_form.html", {"form": form, "about": about_info})


# --- One assignment -------------------------------------------------------------------------------


def _get(request, pk: int) -> Assignment:
    assignment = get_for_user_or_404(
        request,
        Assignment.objects.select_related("assignee", "given_by", "cancelled_by", "office"),
        pk=pk,
    )
    if not svc.may_see(request.user, assignment):
        raise PermissionDenied("Поручение дано другому специалисту")
    return assignment


def _history(assignment: Assignment) -> list[dict]:
    """Who did what when: the history records, each said in words (a handover moves the
    assignment without a reason of its own: the change of assignee says it)."""
    records = assignment.history.select_related("history_user", "assignee").order_by(
        "history_date", "history_id"
    )
    rows, previous = [], None
    for record in records:
        what = record.history_change_reason
        if not what and previous is not None and previous.assignee_id != record.assignee_id:
            what = f"исполнитель: {previous.assignee.short_name} → {record.assignee.short_name}"
        rows.append(
            {"at": record.history_date, "who": record.history_user,
             "what": what or "изменено", "assignee": record.assignee}
        )  # fmt: skip
        previous = record
    return rows


def _detail(request, assignment: Assignment, *, status: int = 200, **forms_):
    today = timezone.localdate()
    user = request.user
    context = {
        "assignment": assignment,
        "about": svc.describe(assignment),
        "overdue_days": svc.overdue_days(assignment, today),
        "today": today,
        "history": _history(assignment),
        "may_complete": assignment.is_open and user.pk == assignment.assignee_id,
        "may_manage": assignment.is_open and svc.may_give(user),
    }
    if context["may_complete"]:
        context["done_form"] = forms_.get("done_form") or DoneForm()
    if context["may_manage"]:
        context["reassign_form"] = forms_.get("reassign_form") or ReassignForm(
            assignment=assignment, actor=user
        )
        context["cancel_form"] = forms_.get("cancel_form") or CancelForm()
    log_access(request, event="view_assignment", subject=assignment)
    return render(request, "onewindow/assignment_detail.html", context, status=status)


@login_required
def assignment_detail(request, pk: int):
    return _detail(request, _get(request, pk))


@login_required
@require_POST
def assignment_done(request, pk: int):
    assignment = _get(request, pk)
    form = DoneForm(request.POST)
    if form.is_valid():
        try:
            svc.complete_assignment(assignment, actor=request.user, note=form.cleaned_data["note"])
        except svc.AssignmentError as exc:
            if exc.field != "note":  # closed meanwhile: the form is no longer shown
                messages.error(request, exc.message)
                return redirect("assignment", pk=assignment.pk)
            form.add_error("note", exc.message)
        else:
            messages.success(request, f"Поручение № {assignment.number_display} выполнено.")
            return redirect("assignment", pk=assignment.pk)
    return _detail(request, assignment, done_form=form)


@login_required
@require_POST
def assignment_cancel(request, pk: int):
    assignment = _get(request, pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            svc.cancel_assignment(
                assignment, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except svc.AssignmentError as exc:
            if exc.field != "reason":  # closed meanwhile: the form is no longer shown
                messages.error(request, exc.message)
                return redirect("assignment", pk=assignment.pk)
            form.add_error("reason", exc.message)
        else:
            messages.success(request, f"Поручение № {assignment.number_display} отменено.")
            return redirect("assignment", pk=assignment.pk)
    return _detail(request, assignment, cancel_form=form)


@login_required
@require_POST
def assignment_reassign(request, pk: int):
    assignment = _get(request, pk)
    if not svc.may_give(request.user):
        raise PermissionDenied("Передать поручение может главный специалист")
    form = ReassignForm(request.POST, assignment=assignment, actor=request.user)
    if form.is_valid():
        try:
            moved = svc.reassign_assignment(
                assignment, actor=request.user, assignee=form.cleaned_data["assignee"]
            )
        except svc.AssignmentError as exc:
            if exc.field != "assignee":  # closed meanwhile: the form is no longer shown
                messages.error(request, exc.message)
                return redirect("assignment", pk=assignment.pk)
            form.add_error("assignee", exc.message)
        else:
            messages.success(
                request,
                f"Поручение № {moved.number_display} передано: исполнитель "
                f"{moved.assignee.short_name}.",
            )
            return redirect("assignment", pk=assignment.pk)
    return _detail(request, assignment, reassign_form=form)
