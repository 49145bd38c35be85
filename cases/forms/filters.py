"""The filters of the journal and of «Запросы»: they live in the URL, so a link (the
dashboard's figures are links) opens exactly those records."""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import F

from cases.models import Agency, Application
from onewindow import workdays
from onewindow.forms import DateInput, date_field, office_field, scope_to_user, staff_field
from services.models import Service


class JournalFilterForm(forms.Form):
    """The journal's filters; the page, its XLSX and its PDF read the same ones from the URL, so
    a link (the dashboard's figures are links) opens exactly those applications."""

    STATUS_CHOICES = [("", "любое"), ("open", "не решено"), *Application.Status.choices]
    DUE_CHOICES = [
        ("", "любой"),
        ("soon", "истекает в ближайшие 3 рабочих дня"),
        ("late", "решение принято позже срока"),
    ]

    date_from = date_field("С")
    date_to = date_field("по")
    all_dates = forms.BooleanField(label="За всё время", required=False)
    office = office_field()
    service = forms.ModelChoiceField(
        label="Услуга", required=False, queryset=Service.objects.all(), empty_label="все",
        error_messages={"invalid_choice": "Такой услуги нет в каталоге."},
    )  # fmt: skip
    status = forms.ChoiceField(label="Состояние", required=False, choices=STATUS_CHOICES)
    specialist = staff_field("Исполнитель")
    # who accepted the documents at the counter (the counter's «Сегодня принято мной»)
    accepted_by = staff_field("Принял")
    overdue = forms.BooleanField(label="Только просроченные", required=False)
    due = forms.ChoiceField(label="Срок решения", required=False, choices=DUE_CHOICES)
    decided_from = date_field("Решение с")
    decided_to = date_field("по")

    # «истекает в ближайшие N рабочих дней»
    SOON_WORKING_DAYS = 3

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        scope_to_user(
            self,
            user,
            {"specialist": "cases.change_application", "accepted_by": "cases.add_application"},
        )

    def filter(self, entries, today: datetime.date):
        """`entries` narrowed by the cleaned filters (period, office, service, state, people,
        deadlines). «За всё время» leaves the registration period out."""
        data = self.cleaned_data
        start = data.get("date_from") or today
        end = data.get("date_to") or start
        if not data.get("all_dates"):
            entries = entries.filter(registered_on__range=(start, end))
        if data.get("office"):
            entries = entries.filter(office=data["office"])
        if data.get("service"):
            entries = entries.filter(service=data["service"])
        if data.get("status") == "open":
            entries = entries.filter(status__in=Application.OPEN_STATUSES)
        elif data.get("status"):
            entries = entries.filter(status=data["status"])
        if data.get("specialist"):
            entries = entries.filter(specialist=data["specialist"])
        if data.get("accepted_by"):
            entries = entries.filter(accepted_by=data["accepted_by"])
        if data.get("overdue"):
            entries = entries.filter(status__in=Application.OPEN_STATUSES, deadline__lt=today)
        if data.get("due") == "soon":
            last = workdays.add_working_days(today, self.SOON_WORKING_DAYS)
            entries = entries.filter(
                status__in=Application.OPEN_STATUSES, deadline__gte=today, deadline__lte=last
            )
        elif data.get("due") == "late":
            entries = entries.filter(
                status__in=Application.DECIDED_STATUSES, decision_date__gt=F("deadline")
            )
        if data.get("decided_from"):
            entries = entries.filter(decision_date__gte=data["decided_from"])
        if data.get("decided_to"):
            entries = entries.filter(decision_date__lte=data["decided_to"])
        return entries, start, end

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "Дата окончания раньше даты начала.")
        if start and end and (end - start).days > 366 and not data.get("all_dates"):
            self.add_error("date_to", "Период журнала — не больше года.")
        decided_from, decided_to = data.get("decided_from"), data.get("decided_to")
        if decided_from and decided_to and decided_from > decided_to:
            self.add_error("decided_to", "Дата окончания раньше даты начала.")
        return data


class RequestFilterForm(forms.Form):
    """The filters of «Запросы»: they live in the URL, so a link opens exactly these requests."""

    SHOW = [
        ("open", "открытые"),
        ("overdue", "просроченные"),
        ("answered", "с ответом"),
        ("all", "все"),
    ]

    show = forms.ChoiceField(label="Какие", choices=SHOW, required=False)
    date_from = forms.DateField(label="Поступил (направлен) с", required=False, widget=DateInput())
    date_to = forms.DateField(label="по", required=False, widget=DateInput())
    office = office_field()
    agency = forms.ModelChoiceField(
        label="Ведомство", required=False, queryset=Agency.objects.all(), empty_label="все",
        error_messages={"invalid_choice": "Такого ведомства нет."},
    )  # fmt: skip
    specialist = staff_field("Исполнитель")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope_to_user(self, user, {"specialist": "cases.change_interagencyrequest"})

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "Дата окончания раньше даты начала.")
        return data
