"""Forms of an applicant's card: the person and their benefit categories."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from cases.models import (
    Applicant,
    BenefitCategory,
    IdDocumentType,
    Sex,
)
from onewindow.forms import DateInput
from onewindow.identity import (
    PASSPORT_NUMBER_RE,
    PASSPORT_SERIES_RE,
    UNIT_CODE_RE,
    format_snils,
    snils_digits,
    snils_error,
    validate_person_name,
)

MIN_BIRTH_DATE = datetime.date(1900, 1, 1)


class ApplicantForm(forms.ModelForm):
    snils = forms.CharField(
        label="СНИЛС", required=False, max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "123-456-789 01", "inputmode": "numeric", "autocomplete": "off"}),
    )  # fmt: skip
    confirm_namesake = forms.BooleanField(
        label="Это другой человек: зарегистрировать", required=False, widget=forms.HiddenInput
    )

    class Meta:
        model = Applicant
        fields = [
            "snils", "last_name", "first_name", "middle_name", "sex", "birth_date", "birth_place",
            "id_doc_type", "id_series", "id_number", "id_issued_by", "id_issued_date", "id_unit_code",
            "reg_address", "actual_address", "phone", "email",
        ]  # fmt: skip
        widgets = {
            "birth_date": DateInput(),
            "id_issued_date": DateInput(),
            "id_series": forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "1234"}),
            "id_number": forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "567890"}),
            "id_unit_code": forms.TextInput(attrs={"placeholder": "340-001"}),
            "phone": forms.TextInput(attrs={"type": "tel"}),
            "sex": forms.RadioSelect,
            "birth_place": forms.TextInput(attrs={"class": "wide"}),
            "id_issued_by": forms.TextInput(attrs={"class": "wide"}),
            "reg_address": forms.TextInput(attrs={"class": "wide"}),
            "actual_address": forms.TextInput(attrs={"class": "wide"}),
        }
        error_messages = {
            "last_name": {"required": "Укажите фамилию."},
            "first_name": {"required": "Укажите имя."},
            "sex": {"required": "Укажите пол."},
            "birth_date": {
                "required": "Укажите дату рождения.",
                "invalid": "Неверная дата рождения.",
            },
            "email": {"invalid": "Неверный адрес электронной почты."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.snils:
            self.initial["snils"] = format_snils(self.instance.snils)
        self.fields["sex"].choices = Sex.choices  # radio buttons without a blank "---------"
        first_empty = "last_name" if self.initial.get("snils") else "snils"
        self.fields[first_empty].widget.attrs["autofocus"] = True

    def _get_validation_exclusions(self):
        # The service layer checks the СНИЛС against every office and says whose it is (with a
        # link when the user may open that card); the database constraint stays the last guard.
        return {*super()._get_validation_exclusions(), "snils"}

    def clean_snils(self):
        value = self.cleaned_data.get("snils", "").strip()
        if not value:
            return ""
        error = snils_error(value)
        if error:
            raise forms.ValidationError(error[0].upper() + error[1:] + ".")
        return snils_digits(value)

    def _clean_name(self, key):
        value = " ".join(self.cleaned_data.get(key, "").split())
        validate_person_name(value)
        return value[:1].upper() + value[1:] if value else value

    def clean_last_name(self):
        return self._clean_name("last_name")

    def clean_first_name(self):
        return self._clean_name("first_name")

    def clean_middle_name(self):
        return self._clean_name("middle_name")

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        if value > timezone.localdate():
            raise forms.ValidationError("Дата рождения не может быть в будущем.")
        if value < MIN_BIRTH_DATE:
            raise forms.ValidationError("Дата рождения не может быть раньше 01.01.1900.")
        return value

    def clean_id_unit_code(self):
        value = self.cleaned_data.get("id_unit_code", "").strip()
        if value and len(value) == 6 and value.isdigit():
            value = f"{value[:3]}-{value[3:]}"
        if value and not UNIT_CODE_RE.match(value):
            raise forms.ValidationError("Код подразделения — 6 цифр в виде 340-001.")
        return value

    def clean(self):
        data = super().clean()
        if data.get("id_doc_type") == IdDocumentType.PASSPORT_RF:
            series = (data.get("id_series") or "").replace(" ", "")
            number = (data.get("id_number") or "").replace(" ", "")
            if series and not PASSPORT_SERIES_RE.match(series):
                self.add_error(
                    "id_series", f"Серия паспорта — 4 цифры, введено «{data.get('id_series')}»."
                )
            else:
                data["id_series"] = series
            if number and not PASSPORT_NUMBER_RE.match(number):
                self.add_error(
                    "id_number", f"Номер паспорта — 6 цифр, введено «{data.get('id_number')}»."
                )
            else:
                data["id_number"] = number
        issued = data.get("id_issued_date")
        born = data.get("birth_date")
        if issued and issued > timezone.localdate():
            self.add_error("id_issued_date", "Дата выдачи не может быть в будущем.")
        elif issued and born and issued < born:
            self.add_error("id_issued_date", "Дата выдачи раньше даты рождения.")
        return data


class CategoryForm(forms.Form):
    category = forms.ModelChoiceField(
        label="Категория", queryset=BenefitCategory.objects.filter(is_active=True), empty_label="выберите…",
        error_messages={"required": "Выберите категорию."},
    )  # fmt: skip
    document = forms.CharField(
        label="Подтверждающий документ", max_length=300,
        error_messages={"required": "Укажите документ, подтверждающий категорию."},
        widget=forms.TextInput(attrs={"placeholder": "Удостоверение ветерана труда серия Т-I № 123456 от 01.02.2010"}),
    )  # fmt: skip
    valid_to = forms.DateField(label="Действует по", required=False, widget=DateInput())
