from django import forms
from django.contrib.auth import get_user_model

from onewindow.audit import EVENT_TITLES
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
    class Meta:
        model = CalendarOverride
        fields = ["date", "is_working", "reason"]
        widgets = {"date": DateInput()}
        labels = {"is_working": "рабочий день (снимите отметку для выходного)"}
