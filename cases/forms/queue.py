"""The pre-booking form of the bookings page (a specialist booking a visitor on the phone)."""

from __future__ import annotations

from django import forms

from cases.models import ServiceGroup


class BookingForm(forms.Form):
    group = forms.ModelChoiceField(
        label="Группа услуг",
        queryset=ServiceGroup.objects.none(),
        error_messages={
            "required": "Выберите группу услуг.",
            "invalid_choice": "Выберите группу услуг.",
        },
    )
    day = forms.DateField(
        label="День",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Укажите день.", "invalid": "День в виде ДД.ММ.ГГГГ."},
    )
    time = forms.TimeField(
        label="Время (начало интервала)",
        widget=forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M"),
        error_messages={"required": "Укажите время.", "invalid": "Время в виде ЧЧ:ММ."},
    )
    visitor_name = forms.CharField(
        label="Посетитель (фамилия, имя, отчество)",
        max_length=200,
        error_messages={"required": "Укажите, кто придёт."},
    )
    visitor_phone = forms.CharField(
        label="Телефон",
        max_length=30,
        help_text="Для звонка, если приём переносится.",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        error_messages={"required": "Укажите телефон."},
    )

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        if groups is not None:
            self.fields["group"].queryset = groups
