"""Forms of an applicant's card: the person and their benefit categories."""

from __future__ import annotations

from django import forms

from cases.models import Applicant, BenefitCategory, Sex
from cases.models.people import MIN_BIRTH_DATE  # noqa: F401 (exported by cases.forms)
from onewindow.forms import DateInput
from onewindow.identity import clean_person_name, format_snils, snils_digits, validate_snils


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
        # the model's rule (`Applicant.snils` validators) on the digits; the form accepts any
        # formatting («123-456-789 01»), the model stores 11 digits
        value = self.cleaned_data.get("snils", "").strip()
        if not value:
            return ""
        validate_snils(value)
        return snils_digits(value)

    # The other rules (names, dates, the passport, the unit code) are the model's: validators
    # and `Applicant.clean()`, run by `_post_clean` and shown at their fields.

    def clean_last_name(self):
        return clean_person_name(self.cleaned_data.get("last_name"))

    def clean_first_name(self):
        return clean_person_name(self.cleaned_data.get("first_name"))

    def clean_middle_name(self):
        return clean_person_name(self.cleaned_data.get("middle_name"))

    def _post_clean(self):
        super()._post_clean()
        # what `Applicant.clean()` put into its written form (a passport's series without
        # spaces, the unit code «340-001») goes on to the service as it is stored
        for key in ("id_series", "id_number", "id_unit_code"):
            if key in self.cleaned_data and key not in self.errors:
                self.cleaned_data[key] = getattr(self.instance, key)


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
