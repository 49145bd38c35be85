"""The decision form of an application and the fields it needs."""

from __future__ import annotations

from django import forms

from onewindow.forms import DateInput


class RublesField(forms.DecimalField):
    """A sum as people type it: «1 234,56», «1 234,56 руб.», «1234.56»."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
            value = value.removesuffix("руб.").removesuffix("р.").strip()
        return super().to_python(value)


class IdListField(forms.Field):
    """Ticked checkboxes carrying record ids: a list of ints (empty when none is ticked)."""

    widget = forms.CheckboxSelectMultiple

    def to_python(self, value) -> list[int]:
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        try:
            return [int(item) for item in value]
        except (TypeError, ValueError):
            raise forms.ValidationError(
                "Отмечено неизвестное основание отказа: обновите страницу.", code="invalid"
            ) from None


class TransitionForm(forms.Form):
    reason = forms.CharField(
        label="Причина / основание", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    start_date = forms.DateField(label="Мера назначена с", required=False, widget=DateInput())
    end_date = forms.DateField(label="по (пусто — бессрочно)", required=False, widget=DateInput())
    amount = RublesField(
        label="Размер выплаты, руб.", required=False, max_digits=12, decimal_places=2,
        localize=True,
        error_messages={
            "invalid": "Размер выплаты — сумма в рублях, например 1250,50.",
            "max_digits": "Размер выплаты слишком велик.",
            "max_decimal_places": "В размере выплаты не больше двух знаков после запятой (копейки).",
            "max_whole_digits": "Размер выплаты слишком велик.",
        },
    )  # fmt: skip
    override_reason = forms.CharField(
        label="Основание решения при открытых запросах", required=False
    )
    # Ids of the version's refuse grounds; the service checks they are this version's.
    grounds = IdListField(label="Основания отказа", required=False)
