from django import forms
from django.contrib.auth import get_user_model

from onewindow.events import EVENT_TITLES
from onewindow.models import AccessLog, CalendarOverride
from onewindow.text import normalize_text


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


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
