"""Forms of the `reconciliation` app: parse and validate input, with Russian messages at the field."""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings

from onewindow.forms import DateInput, office_field, scope_to_user, staff_field
from reconciliation import figures
from reconciliation.models import ExtractProfile, Selection

OUTCOME_CHOICES = [("", "выберите…"), *Selection.Outcome.choices]


class WorkOutForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Результат",
        choices=OUTCOME_CHOICES,
        error_messages={"required": "Выберите результат."},
    )
    note = forms.CharField(label="Примечание", required=False, max_length=1000)
    event_date = forms.DateField(
        label="Дата события (в выгрузке её нет)", required=False, widget=DateInput(),
        help_text="Для смерти — по свидетельству о смерти или ответу ЗАГС: меры прекращаются с этого дня.",
        error_messages={"invalid": "Неверная дата."},
    )  # fmt: skip


class UploadForm(forms.Form):
    profile = forms.ModelChoiceField(label="Профиль выгрузки", queryset=ExtractProfile.objects.filter(is_active=True),
                                     empty_label="выберите…", error_messages={"required": "Выберите профиль выгрузки."})  # fmt: skip
    file = forms.FileField(
        label="Файл выгрузки (DBF, CSV, XLSX, XML)",
        error_messages={"required": "Выберите файл.", "empty": "Файл пуст (0 байт)."},
    )
    force = forms.BooleanField(
        label="Обработать повторно, если этот файл уже обрабатывался", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = f"Не более {settings.EXTRACT_MAX_MB} МБ."


class DashboardFilters(forms.Form):
    """More filters of the worklist, so that every figure of the dashboard opens exactly its
    items: the office, the assignee, the age in working days, worked out this week."""

    AGES = [("", "любой"), ("0-3", "0–3 рабочих дня"), ("4-10", "4–10 рабочих дней"),
            ("11-", "более 10 рабочих дней")]  # fmt: skip

    office = office_field()
    assignee = staff_field("Исполнитель", empty_label="любой")
    age = forms.ChoiceField(label="Возраст", required=False, choices=AGES,
                            error_messages={"invalid_choice": "Выберите возраст из списка."})  # fmt: skip
    worked = forms.ChoiceField(
        label="Отработаны", required=False, choices=[("", "когда угодно"), ("week", "на этой неделе")],
        error_messages={"invalid_choice": "Выберите из списка."},
    )  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope_to_user(self, user, {"assignee": "reconciliation.change_selection"})

    def filter(self, items, today: datetime.date):
        if not self.is_valid():
            return items.none()
        data = self.cleaned_data
        if data.get("office"):
            items = items.filter(office=data["office"])
        if data.get("assignee"):
            items = items.filter(assigned_to=data["assignee"])
        if data.get("age"):
            items = items.filter(figures.age_q(data["age"], today))
        if data.get("worked") == "week":
            items = items.filter(figures.worked_this_week_q(today))
        return items
