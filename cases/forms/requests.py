"""Forms of requests with deadlines and of case-file transfers between offices."""

from __future__ import annotations

from django import forms

from cases.requests import ANSWERS_REQUESTS
from onewindow import roles
from onewindow.forms import DateInput
from onewindow.identity import NotInFuture, validate_no_control_characters, validate_snils
from onewindow.models import Office

# the models' rules (`IncomingRequest`, `CaseTransfer`), so the form says what the service would
NO_FUTURE_BIRTH = NotInFuture("Дата рождения не может быть в будущем.")


class InteragencyResponseForm(forms.Form):
    result = forms.ChoiceField(
        label="Результат",
        choices=[("received", "документ (сведения) получен"), ("refused", "отказ в предоставлении"), ("no_answer", "ответ не поступил")],
        widget=forms.RadioSelect,
        error_messages={"required": "Выберите результат."},
    )  # fmt: skip
    response_on = forms.DateField(
        label="Дата ответа",
        widget=DateInput(),
        error_messages={"required": "Укажите дату ответа.", "invalid": "Неверная дата."},
    )
    note = forms.CharField(label="Содержание ответа", required=False, max_length=500)


class IncomingRequestForm(forms.Form):
    kind = forms.ModelChoiceField(label="Вид запроса", queryset=None, empty_label="выберите…",
                                  error_messages={"required": "Выберите вид запроса."})  # fmt: skip
    sender = forms.CharField(
        label="Организация-отправитель",
        max_length=500,
        error_messages={"required": "Укажите отправителя."},
    )
    sender_address = forms.CharField(
        label="Почтовый адрес отправителя", max_length=500, required=False,
        help_text="Для ответного письма: индекс, город, улица, дом",
    )  # fmt: skip
    sender_number = forms.CharField(
        label="Исходящий номер отправителя",
        max_length=100,
        error_messages={"required": "Укажите номер запроса."},
    )
    sender_date = forms.DateField(
        label="Дата запроса",
        widget=DateInput(),
        error_messages={"required": "Укажите дату запроса.", "invalid": "Неверная дата."},
    )
    received_on = forms.DateField(
        label="Дата поступления",
        widget=DateInput(),
        error_messages={"required": "Укажите дату поступления.", "invalid": "Неверная дата."},
    )
    subject_name = forms.CharField(
        label="О ком: ФИО", max_length=300, error_messages={"required": "Укажите, о ком запрос."},
        validators=[validate_no_control_characters],
    )  # fmt: skip
    subject_birth_date = forms.DateField(
        label="Дата рождения", required=False, widget=DateInput(), validators=[NO_FUTURE_BIRTH]
    )
    subject_snils = forms.CharField(label="СНИЛС", required=False, max_length=20)
    question = forms.CharField(
        label="Что запрашивается",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Укажите, что запрашивается."},
    )
    due_date = forms.DateField(
        label="Срок ответа (пусто — по виду запроса)", required=False, widget=DateInput()
    )
    assigned_to = forms.ModelChoiceField(
        label="Исполнитель", queryset=None, required=False, empty_label="я"
    )

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        from cases.models import RequestKind

        self.fields["kind"].queryset = RequestKind.objects.all()
        # the same rule as the service's check: only who may answer requests
        self.fields["assigned_to"].queryset = roles.may_take_work(ANSWERS_REQUESTS, office)
        self.fields["assigned_to"].label_from_instance = lambda u: u.full_name or u.username

    def clean_subject_snils(self):
        value = self.cleaned_data.get("subject_snils", "").strip()
        if value:
            validate_snils(value)
        return value

    def clean(self):
        data = super().clean()
        if (
            data.get("sender_date")
            and data.get("received_on")
            and data["sender_date"] > data["received_on"]
        ):
            self.add_error("sender_date", "Дата запроса позже даты поступления.")
        if (
            data.get("due_date")
            and data.get("received_on")
            and data["due_date"] < data["received_on"]
        ):
            self.add_error("due_date", "Срок ответа раньше даты поступления запроса.")
        return data


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label="Текст ответа",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Напишите текст ответа."},
    )
    attachments = forms.CharField(
        label="Приложения (по строке на документ)", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Например: «Копия решения о назначении ЕДВ — 1 л.»",
    )  # fmt: skip


class OutgoingRequestForm(forms.Form):
    to_office = forms.ModelChoiceField(label="В учреждение", queryset=None, empty_label="выберите…",
                                       error_messages={"required": "Выберите учреждение."})  # fmt: skip
    kind = forms.ModelChoiceField(label="Вид запроса", queryset=None, empty_label="выберите…",
                                  error_messages={"required": "Выберите вид запроса."})  # fmt: skip
    question = forms.CharField(label="Что запрашиваем", widget=forms.Textarea(attrs={"rows": 3}),
                               error_messages={"required": "Напишите, что запрашивается."})  # fmt: skip

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        from cases.models import RequestKind

        self.fields["to_office"].queryset = Office.objects.filter(is_active=True).exclude(
            pk=office.pk
        )
        self.fields["kind"].queryset = RequestKind.objects.all()


class TransferRequestForm(forms.Form):
    snils = forms.CharField(
        label="СНИЛС", max_length=20, error_messages={"required": "Укажите СНИЛС заявителя."}
    )
    stated_name = forms.CharField(
        label="ФИО (как в документе)", max_length=300,
        error_messages={"required": "Укажите ФИО заявителя."},
        validators=[validate_no_control_characters],
    )  # fmt: skip
    stated_birth_date = forms.DateField(
        label="Дата рождения", widget=DateInput(), validators=[NO_FUTURE_BIRTH],
        error_messages={"required": "Укажите дату рождения.", "invalid": "Неверная дата."},
    )  # fmt: skip
    new_address = forms.CharField(label="Новый адрес регистрации", max_length=500, required=False)
    reason = forms.CharField(
        label="Основание", widget=forms.Textarea(attrs={"rows": 2}),
        initial="Переезд на постоянное место жительства в наш район; заявление гражданина о передаче личного дела.",
        error_messages={"required": "Укажите основание запроса."},
    )  # fmt: skip

    def clean_snils(self):
        value = self.cleaned_data["snils"].strip()
        validate_snils(value)
        return value


class TransferDecisionForm(forms.Form):
    measures_stop_on = forms.DateField(
        label="Меры прекращаются с", required=False, widget=DateInput(),
        help_text="Пусто — с сегодняшнего дня",
    )  # fmt: skip
    reason = forms.CharField(
        label="Причина отказа", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
