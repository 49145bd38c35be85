from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from onewindow import roles
from onewindow.errors import DomainError
from onewindow.events import EVENT_TITLES
from onewindow.models import AccessLog, CalendarOverride, Office
from onewindow.text import normalize_text


def show_refusal(form: forms.Form, exc: DomainError, message: str | None = None) -> None:
    """A service's refusal at its field when the form has it, else above the fields."""
    form.add_error(exc.field if exc.field in form.fields else None, message or exc.message)


def show_invalid(form: forms.Form, exc: ValidationError) -> None:
    """A model's field rules refused by a service (`ValidationError` by field) on the form: at
    each field the form has, the rest above the fields."""
    for field, messages in (
        exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
    ):
        form.add_error(field if field in form.fields else None, messages)


def submitted(form: forms.Form, service):
    """Call `service(**form.cleaned_data)` when the bound form is valid and return what it
    returns. A refusal (`DomainError`) goes onto the form at its field, or above the fields when
    the form has no such field; None then, and when the form is unbound or invalid."""
    if not form.is_bound or not form.is_valid():
        return None
    try:
        return service(**form.cleaned_data)
    except DomainError as exc:
        show_refusal(form, exc)
        return None
    except ValidationError as exc:
        show_invalid(form, exc)
        return None


def errors_text(form: forms.Form) -> str:
    """Every error of the form in one line, for a page that shows it as a message."""
    return "; ".join(e for errors in form.errors.values() for e in errors)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


# --- Filters scoped to the user: the office and staff pickers every app's lists offer -------


def office_field() -> forms.ModelChoiceField:
    """«Учреждение» of a filter: offered (with every office) only to those who see every office
    (`scope_to_user`)."""
    return forms.ModelChoiceField(
        label="Учреждение", required=False, queryset=Office.objects.none(), empty_label="все",
        error_messages={"invalid_choice": "Такого учреждения нет."},
    )  # fmt: skip


def date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label, required=False, widget=DateInput(),
        error_messages={"invalid": "Неверная дата: ДД.ММ.ГГГГ."},
    )  # fmt: skip


def staff_field(label: str, *, empty_label: str = "все") -> forms.ModelChoiceField:
    """A person of the office (all offices for those who see them), filled by `scope_to_user`."""
    return forms.ModelChoiceField(
        label=label, required=False, queryset=get_user_model().objects.none(),
        empty_label=empty_label,
        error_messages={"invalid_choice": "Такого сотрудника в учреждении нет."},
    )  # fmt: skip


def scope_to_user(form: forms.Form, user, staff_fields: dict[str, str] | tuple[str, ...]) -> None:
    """The staff fields offer the active staff the user sees — for a field given with a
    permission, only those whose role gives it (the journal's «Исполнитель» lists no archivist,
    kiosk or hall display); the office field is left only to those who see every office (one
    office: its own records only, nothing to pick)."""
    staff = get_user_model().objects.filter(is_active=True).order_by("last_name", "first_name")
    if user is not None and not user.sees_all_offices:
        staff = staff.filter(office_id=user.office_id)
    if not isinstance(staff_fields, dict):
        staff_fields = dict.fromkeys(staff_fields, "")
    for name, permission in staff_fields.items():
        offered = staff
        if permission:
            offered = roles.holding(permission, staff)
            # someone who did the work before their role changed (a figure of the dashboard
            # links to them) stays a valid choice of the office's staff
            chosen = form.data.get(form.add_prefix(name)) if form.is_bound else None
            if chosen and str(chosen).isdigit():
                offered = offered | staff.filter(pk=int(chosen))
        form.fields[name].queryset = offered
        form.fields[name].label_from_instance = lambda u: u.short_name or u.username
    if user is not None and user.sees_all_offices:
        form.fields["office"].queryset = Office.objects.all()
    else:
        del form.fields["office"]


class AccessLogFilterForm(forms.Form):
    date_from = forms.DateField(label="С", required=False, widget=DateInput())
    date_to = forms.DateField(label="по", required=False, widget=DateInput())
    user = forms.ModelChoiceField(
        label="Пользователь",
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="все",
    )
    q = forms.CharField(label="О ком / о чём", required=False, max_length=100)
    event = forms.ChoiceField(label="Событие", required=False)
    result = forms.ChoiceField(
        label="Результат", required=False, choices=[("", "любой"), *AccessLog.Result.choices]
    )

    def __init__(self, *args, users=None, **kwargs):
        super().__init__(*args, **kwargs)
        if users is not None:
            self.fields["user"].queryset = users
        self.fields["event"].choices = [("", "любое"), *EVENT_TITLES.items()]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "Дата окончания раньше даты начала.")
        return data

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("date_from"):
            queryset = queryset.filter(at__date__gte=data["date_from"])
        if data.get("date_to"):
            queryset = queryset.filter(at__date__lte=data["date_to"])
        if data.get("user"):
            queryset = queryset.filter(user=data["user"])
        if data.get("q"):
            queryset = queryset.filter(subject_search__contains=normalize_text(data["q"]))
        if data.get("event"):
            queryset = queryset.filter(event=data["event"])
        if data.get("result"):
            queryset = queryset.filter(result=data["result"])
        return queryset


class CalendarOverrideForm(forms.ModelForm):
    """Parses an override; `workdays.add_override` keeps it (with who added it)."""

    class Meta:
        model = CalendarOverride
        fields = ["date", "is_working", "reason"]
        widgets = {"date": DateInput()}
        labels = {"is_working": "рабочий день (снимите отметку для выходного)"}


class ReassignForm(forms.Form):
    """«Передать отмеченные»: to whom (who may take this work in the office) and why."""

    # it may share a form with another action (the worklist's «Отработать»): the server checks
    use_required_attribute = False

    to_user = forms.ModelChoiceField(
        label="Передать отмеченные", queryset=get_user_model().objects.none(),
        empty_label="кому передать…",
        error_messages={"required": "Выберите, кому передать.",
                        "invalid_choice": "Этому сотруднику нельзя передать эту работу."},
    )  # fmt: skip
    note = forms.CharField(label="Причина (необязательно)", required=False, max_length=300)

    def __init__(self, *args, users=None, **kwargs):
        super().__init__(*args, **kwargs)
        if users is not None:
            self.fields["to_user"].queryset = users
        self.fields["to_user"].label_from_instance = lambda u: u.short_name or u.username


def reassign_form(user, permission: str, takes_work: str, office=None, data=None):
    """The reassign control of a list, for a user who may move work (`permission`): the people
    of the list's office (narrowed to one, else the user's own) who may take it; None for
    anyone else or when there is no one office to offer."""
    from onewindow import roles

    if not user.has_perm(permission):
        return None
    office = office or user.office
    if office is None:
        return None
    users = roles.may_take_work(takes_work, office)
    return ReassignForm(data, users=users, prefix="reassign")


def reassign_posted(request):
    """(form, ids) of a posted «Передать отмеченные»: the form over every active user the poster
    may see (the service checks the office and the role), the ticked ids."""
    users = get_user_model().objects.filter(is_active=True)
    if not request.user.sees_all_offices:
        users = users.filter(office_id=request.user.office_id)
    form = ReassignForm(request.POST, users=users, prefix="reassign")
    ids = [int(pk) for pk in request.POST.getlist("items") if pk.isdigit()]
    return form, ids
