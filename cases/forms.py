"""Forms of the counter: every wrong value gets a Russian message at its field."""

from __future__ import annotations

import datetime
import uuid

from django import forms
from django.db.models import F
from django.utils import timezone

from cases.models import Applicant, Application, BenefitCategory, IdDocumentType, Sex
from cases.requests import ANSWERS_REQUESTS
from cases.services import DocumentMark, Representative
from onewindow import roles, workdays
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
from onewindow.models import Office, User
from services.models import RequiredDocument, Service

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


FORM_CHOICES = RequiredDocument.Form.choices


class ApplicationForm(forms.Form):
    """The checklist of the service version in force, one row per required document."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    representative_kind = forms.ChoiceField(
        label="Кто подаёт", required=False,
        choices=[("", "заявитель лично"), ("legal", "законный представитель"), ("proxy", "представитель по доверенности")],
    )  # fmt: skip
    representative_name = forms.CharField(label="ФИО представителя", required=False, max_length=300)
    representative_document = forms.CharField(
        label="Документ, удостоверяющий личность представителя", required=False, max_length=300
    )
    representative_authority = forms.CharField(
        label="Документ о полномочиях", required=False, max_length=300,
        help_text="Доверенность (номер, дата, кем удостоверена), решение об опеке, свидетельство о рождении ребёнка",
    )  # fmt: skip
    note = forms.CharField(
        label="Примечание", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.lines = list(version.documents.select_related("document_type").order_by("order", "id"))
        if not self.is_bound:
            self.initial["idempotency_key"] = uuid.uuid4()
        for rd in self.lines:
            # Nothing is marked in advance: the specialist says of every line what the applicant
            # brought. What another agency holds is requested by the office, never demanded of
            # the applicant (210-ФЗ ст. 7); a conditional line may not apply at all.
            office_obtains = rd.interagency or rd.document_type.interagency
            choices = [("brought", "представлен")]
            if office_obtains:
                choices.append(("requested", "запрашивает учреждение"))
            else:
                choices.append(("missing", "не представлен"))
            if not rd.required:
                choices.append(("not_required", "не требуется"))
            self.fields[f"doc_{rd.pk}_status"] = forms.ChoiceField(
                label=rd.document_type.title, choices=choices, widget=forms.RadioSelect,
                error_messages={
                    "required": "Отметьте документ: " + ", ".join(f"«{label}»" for _, label in choices) + ".",
                    "invalid_choice": (
                        "Этот документ учреждение получает по межведомственному запросу: его не требуют с заявителя."
                        if office_obtains else "Этот документ учреждение не запрашивает: его представляет заявитель."
                    ),
                },
            )  # fmt: skip
            # named by the column and the row's document: «Форма Паспорт…», «Листов Паспорт…»
            title_id = f"doc-{rd.pk}-title"
            self.fields[f"doc_{rd.pk}_form"] = forms.ChoiceField(
                label="форма", choices=FORM_CHOICES, initial=rd.form, required=False,
                widget=forms.Select(attrs={"aria-labelledby": f"col-form {title_id}"}),
            )  # fmt: skip
            self.fields[f"doc_{rd.pk}_sheets"] = forms.IntegerField(
                label="листов", required=False,
                error_messages={"invalid": "Число листов — целое число."},
                widget=forms.NumberInput(
                    attrs={"min": 1, "max": 999, "class": "sheets", "aria-labelledby": f"col-sheets {title_id}"}
                ),
            )  # fmt: skip
            self.fields[f"doc_{rd.pk}_copies"] = forms.IntegerField(
                label="экземпляров", required=False,
                error_messages={"invalid": "Число экземпляров — целое число."},
                # nothing is filled in advance: empty means as many as the checklist asks
                widget=forms.NumberInput(
                    attrs={"min": 1, "max": 99, "class": "copies", "placeholder": rd.copies,
                           "aria-labelledby": f"col-copies {title_id}"}
                ),
            )  # fmt: skip
            self.fields[f"doc_{rd.pk}_returned"] = forms.BooleanField(
                label="подлинник возвращён", required=False,
                widget=forms.CheckboxInput(
                    attrs={"class": "returned", "aria-labelledby": f"col-returned {title_id}"}
                ),
            )  # fmt: skip
        if version.requires_consent:
            self.fields["consent_given"] = forms.BooleanField(
                label="Согласие на обработку персональных данных подписано", required=False
            )

    def rows(self):
        for rd in self.lines:
            yield {
                "rd": rd,
                "status": self[f"doc_{rd.pk}_status"],
                "form": self[f"doc_{rd.pk}_form"],
                "sheets": self[f"doc_{rd.pk}_sheets"],
                "copies": self[f"doc_{rd.pk}_copies"],
                "returned": self[f"doc_{rd.pk}_returned"],
            }

    def clean(self):
        data = super().clean()
        unmarked = [
            rd for rd in self.lines if not self.data.get(self.add_prefix(f"doc_{rd.pk}_status"))
        ]
        if unmarked:
            self.add_error(
                None,
                f"Не отмечено документов: {len(unmarked)} из {len(self.lines)}. Отметьте каждый документ "
                "перечня — представлен он, запрашивает его учреждение, не представлен или не требуется.",
            )
        for rd in self.lines:
            status = data.get(f"doc_{rd.pk}_status")
            sheets = data.get(f"doc_{rd.pk}_sheets")
            if status == "brought":
                if sheets is None and f"doc_{rd.pk}_sheets" not in self.errors:
                    self.add_error(f"doc_{rd.pk}_sheets", "Укажите число листов.")
                elif sheets is not None and sheets < 1:
                    self.add_error(f"doc_{rd.pk}_sheets", "Число листов — целое число не меньше 1.")
                elif sheets is not None and sheets > 999:
                    self.add_error(f"doc_{rd.pk}_sheets", "Число листов не больше 999.")
                copies = data.get(f"doc_{rd.pk}_copies")
                if copies is not None and not 1 <= copies <= 99:
                    self.add_error(f"doc_{rd.pk}_copies", "Число экземпляров — от 1 до 99.")
            if status == "missing" and rd.required and not self.version.allow_incomplete:
                self.add_error(
                    f"doc_{rd.pk}_status",
                    "Обязательный документ: регламент не допускает приём при неполном комплекте.",
                )
        if self.version.requires_consent and not data.get("consent_given"):
            self.add_error(
                "consent_given",
                "Без подписанного согласия заявление по этой услуге не принимается.",
            )
        if data.get("representative_kind"):
            if not data.get("representative_name", "").strip():
                self.add_error("representative_name", "Укажите ФИО представителя.")
            if not data.get("representative_authority", "").strip():
                self.add_error(
                    "representative_authority", "Укажите документ о полномочиях представителя."
                )
        return data

    def marks(self) -> list[DocumentMark]:
        data = self.cleaned_data
        return [
            DocumentMark(
                required_document=rd,
                status=data[f"doc_{rd.pk}_status"],
                form=data.get(f"doc_{rd.pk}_form") or rd.form,
                sheets=data.get(f"doc_{rd.pk}_sheets"),
                copies=data.get(f"doc_{rd.pk}_copies") or rd.copies,
                original_returned=bool(data.get(f"doc_{rd.pk}_returned")),
            )
            for rd in self.lines
        ]

    def representative(self) -> Representative:
        data = self.cleaned_data
        return Representative(
            kind=data.get("representative_kind", ""),
            name=data.get("representative_name", ""),
            document=data.get("representative_document", ""),
            authority=data.get("representative_authority", ""),
        )


class RublesField(forms.DecimalField):
    """A sum as people type it: «1 234,56», «1 234,56 руб.», «1234.56»."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
            value = value.removesuffix("руб.").removesuffix("р.").strip()
        return super().to_python(value)


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


class JournalFilterForm(forms.Form):
    """The journal's filters; the page, its XLSX and its PDF read the same ones from the URL, so
    a link (the dashboard's figures are links) opens exactly those applications."""

    STATUS_CHOICES = [("", "любое"), ("open", "не решено"), *Application.Status.choices]
    DUE_CHOICES = [
        ("", "любой"),
        ("soon", "истекает в ближайшие 3 рабочих дня"),
        ("late", "решение принято позже срока"),
    ]

    date_from = forms.DateField(
        label="С", required=False, widget=DateInput(),
        error_messages={"invalid": "Неверная дата: ДД.ММ.ГГГГ."},
    )  # fmt: skip
    date_to = forms.DateField(
        label="по", required=False, widget=DateInput(),
        error_messages={"invalid": "Неверная дата: ДД.ММ.ГГГГ."},
    )  # fmt: skip
    all_dates = forms.BooleanField(label="За всё время", required=False)
    office = forms.ModelChoiceField(
        label="Учреждение", required=False, queryset=Office.objects.none(), empty_label="все",
        error_messages={"invalid_choice": "Такого учреждения нет."},
    )  # fmt: skip
    service = forms.ModelChoiceField(
        label="Услуга", required=False, queryset=Service.objects.all(), empty_label="все",
        error_messages={"invalid_choice": "Такой услуги нет в каталоге."},
    )  # fmt: skip
    status = forms.ChoiceField(label="Состояние", required=False, choices=STATUS_CHOICES)
    specialist = forms.ModelChoiceField(
        label="Исполнитель", required=False, queryset=User.objects.none(), empty_label="все",
        error_messages={"invalid_choice": "Такого сотрудника в учреждении нет."},
    )  # fmt: skip
    accepted_by = forms.ModelChoiceField(
        label="Принял", required=False, queryset=User.objects.none(), empty_label="все",
        error_messages={"invalid_choice": "Такого сотрудника в учреждении нет."},
    )  # fmt: skip
    overdue = forms.BooleanField(label="Только просроченные", required=False)
    due = forms.ChoiceField(label="Срок решения", required=False, choices=DUE_CHOICES)
    decided_from = forms.DateField(
        label="Решение с", required=False, widget=DateInput(),
        error_messages={"invalid": "Неверная дата: ДД.ММ.ГГГГ."},
    )  # fmt: skip
    decided_to = forms.DateField(
        label="по", required=False, widget=DateInput(),
        error_messages={"invalid": "Неверная дата: ДД.ММ.ГГГГ."},
    )  # fmt: skip

    # «истекает в ближайшие N рабочих дней»
    SOON_WORKING_DAYS = 3

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        staff = User.objects.filter(is_active=True).order_by("last_name", "first_name")
        if user is not None and not user.sees_all_offices:
            staff = staff.filter(office_id=user.office_id)
        for name in ("specialist", "accepted_by"):
            self.fields[name].queryset = staff
            self.fields[name].label_from_instance = lambda u: u.short_name or u.username
        if user is not None and user.sees_all_offices:
            self.fields["office"].queryset = Office.objects.all()
        else:  # one office: its own records only, nothing to pick
            del self.fields["office"]

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
        label="О ком: ФИО", max_length=300, error_messages={"required": "Укажите, о ком запрос."}
    )
    subject_birth_date = forms.DateField(label="Дата рождения", required=False, widget=DateInput())
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
        if value and snils_error(value):
            raise forms.ValidationError(
                snils_error(value)[0].upper() + snils_error(value)[1:] + "."
            )
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
        from onewindow.models import Office

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
    )  # fmt: skip
    stated_birth_date = forms.DateField(
        label="Дата рождения", widget=DateInput(),
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
        error = snils_error(value)
        if error:
            raise forms.ValidationError(error[0].upper() + error[1:] + ".")
        return value


class TransferDecisionForm(forms.Form):
    measures_stop_on = forms.DateField(
        label="Меры прекращаются с", required=False, widget=DateInput(),
        help_text="Пусто — с сегодняшнего дня",
    )  # fmt: skip
    reason = forms.CharField(
        label="Причина отказа", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
