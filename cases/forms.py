"""Forms of the counter: every wrong value gets a Russian message at its field."""

from __future__ import annotations

import datetime
import uuid

from django import forms
from django.db.models import F
from django.utils import timezone

from cases import intake as intake_rules
from cases.models import (
    Applicant,
    Application,
    BenefitCategory,
    IdDocumentType,
    Organisation,
    Sex,
)
from cases.requests import ANSWERS_REQUESTS
from cases.services import (
    MAX_FAMILY,
    DocumentMark,
    Intake,
    OrganisationDetails,
    Representative,
    family_kinds,
)
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


def _is_conditional(rd: RequiredDocument) -> bool:
    """A line that may not apply to this applicant (it then is «не требуется»)."""
    return bool(
        not rd.required or rd.group is not None or rd.applies_to or rd.for_categories
        or rd.per_member
    )  # fmt: skip


def _int_or_none(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


class ApplicationForm(forms.Form):
    """The checklist of the service version in force, one row per required document, with what
    its rules ask of the counter (cases.intake): who applies, the category, the family, the
    event the window runs from, the documents' dates and the conditions to confirm."""

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

    def __init__(
        self,
        *args,
        version,
        applied_on: datetime.date | None = None,
        event_date: datetime.date | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.version = version
        self.applied_on = applied_on or timezone.localdate()
        self.lines = list(version.documents.select_related("document_type").order_by("order", "id"))
        self.conditions = list(version.conditions.all())
        self.family_kinds = family_kinds(self.lines)
        self.facts: intake_rules.Facts | None = None  # known once the form is cleaned
        self.resolution: intake_rules.Resolution | None = None
        self.known_event_date = event_date
        if not self.is_bound:
            self.initial["idempotency_key"] = uuid.uuid4()
        self._add_intake_fields()
        for rd in self.lines:
            # Nothing is marked in advance: the specialist says of every line what the applicant
            # brought. What another agency holds is requested by the office, never demanded of
            # the applicant (210-ФЗ ст. 7); a conditional line may not apply at all.
            office_obtains = intake_rules.office_obtains(rd)
            choices = [("brought", "представлен")]
            if office_obtains:
                choices.append(("requested", "запрашивает учреждение"))
            else:
                choices.append(("missing", "не представлен"))
            if _is_conditional(rd):
                choices.append(("not_required", "не требуется"))
            # Whether a mark is needed depends on the line's rules (checked in clean).
            self.fields[f"doc_{rd.pk}_status"] = forms.ChoiceField(
                label=rd.document_type.title, choices=choices, widget=forms.RadioSelect,
                required=False,
                error_messages={
                    "invalid_choice": (
                        "Этот документ учреждение получает по межведомственному запросу: его не требуют с заявителя."
                        if office_obtains else "Этот документ учреждение не запрашивает: его представляет заявитель."
                    ),
                },
            )  # fmt: skip
            self.fields[f"doc_{rd.pk}_status"].mark_required_message = (
                "Отметьте документ: " + ", ".join(f"«{label}»" for _, label in choices) + "."
            )
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
            if rd.valid_months:
                self.fields[f"doc_{rd.pk}_issued_on"] = forms.DateField(
                    label="Дата выдачи" + (" (самого раннего)" if rd.per_member else ""),
                    required=False, widget=DateInput(attrs={"class": "issued-on"}),
                    error_messages={"invalid": "Неверная дата выдачи."},
                )  # fmt: skip
        for condition in self.conditions:
            label = f"Подтверждаю по документам: {condition.text}"
            if condition.clause:
                label += f" ({condition.clause})"
            self.fields[f"condition_{condition.pk}"] = forms.BooleanField(
                label=label, required=False
            )
        if version.requires_consent:
            self.fields["consent_given"] = forms.BooleanField(
                label="Согласие на обработку персональных данных подписано", required=False
            )

    def _add_intake_fields(self):
        version = self.version
        if version.accepts_organisations:
            self.fields["is_organisation"] = forms.BooleanField(
                label="Заявитель — организация", required=False,
                initial=not version.accepts_citizens,
            )  # fmt: skip
            self.fields["org_inn"] = forms.CharField(
                label="ИНН организации", required=False, max_length=12,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                help_text="Организация, уже обращавшаяся в учреждение, найдётся по ИНН.",
            )  # fmt: skip
            self.fields["org_ogrn"] = forms.CharField(
                label="ОГРН", required=False, max_length=15,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            )  # fmt: skip
            self.fields["org_name"] = forms.CharField(
                label="Полное наименование организации", required=False, max_length=500,
                widget=forms.TextInput(attrs={"class": "wide"}),
            )  # fmt: skip
            self.fields["org_address"] = forms.CharField(
                label="Адрес организации", required=False, max_length=500,
                widget=forms.TextInput(attrs={"class": "wide"}),
            )  # fmt: skip
        if version.applicant_categories:
            self.fields["applicant_category"] = forms.ChoiceField(
                label="Категория заявителя", required=False,
                choices=[("", "выберите…"), *((c, c) for c in version.applicant_categories)],
                error_messages={"invalid_choice": "Выберите категорию из списка услуги."},
            )  # fmt: skip
        if self.family_kinds:
            family = {
                "family_children": "Детей в семье",
                "family_adults": "Совершеннолетних членов семьи (вместе с заявителем)",
            }
            for name, label in family.items():
                self.fields[name] = forms.IntegerField(
                    label=label, required=False, min_value=0, max_value=MAX_FAMILY,
                    widget=forms.NumberInput(attrs={"class": "count", "min": 0, "max": MAX_FAMILY}),
                    error_messages={
                        "invalid": f"{label} — целое число.",
                        "min_value": f"{label} — не меньше 0.",
                        "max_value": f"{label} — не больше {MAX_FAMILY}.",
                    },
                )  # fmt: skip
        if version.has_window:
            self.fields["event_date"] = forms.DateField(
                label=version.event_label, required=False, widget=DateInput(),
                help_text=f"Заявление принимается {version.window_display}.",
                error_messages={"invalid": f"Неверная дата: {version.event_label.lower()}."},
                initial=self.known_event_date,
            )  # fmt: skip

    # --- what the page shows ---------------------------------------------------------------

    @property
    def category_required(self) -> bool:
        return any(rd.for_categories for rd in self.lines)

    def _shown_facts(self) -> intake_rules.Facts:
        """The facts as cleaned, or as typed when the form is not valid (the page greys the
        lines that do not apply either way); unbound: nobody acts for the applicant."""
        if self.facts is not None:
            return self.facts
        raw = self.data if self.is_bound else {}
        organisation = self.version.accepts_organisations and (
            not self.version.accepts_citizens or bool(raw.get(self.add_prefix("is_organisation")))
        )
        return intake_rules.Facts(
            representative=bool(raw.get(self.add_prefix("representative_kind"))) or organisation,
            organisation=organisation,
            category=raw.get(self.add_prefix("applicant_category")) or None,
            children=_int_or_none(raw.get(self.add_prefix("family_children"))),
            adults=_int_or_none(raw.get(self.add_prefix("family_adults"))),
        )

    def blocks(self):
        """The checklist for the template: a block per line or per «one of» group."""
        facts = self._shown_facts()
        for number, block in enumerate(intake_rules.blocks(self.lines), start=1):
            rows = []
            for rd in block.lines:
                need = intake_rules.need_of(rd, facts)
                rows.append(
                    {
                        "rd": rd,
                        "need": need,
                        "quantity": intake_rules.quantity_display(rd, need.quantity)
                        if need.needed
                        else "",
                        "reasons": _rule_reasons(rd),
                        "member_noun": intake_rules.MEMBER_NOUNS.get(rd.per_member, ""),
                        "status": self[f"doc_{rd.pk}_status"],
                        "form": self[f"doc_{rd.pk}_form"],
                        "sheets": self[f"doc_{rd.pk}_sheets"],
                        "copies": self[f"doc_{rd.pk}_copies"],
                        "returned": self[f"doc_{rd.pk}_returned"],
                        "issued_on": self[f"doc_{rd.pk}_issued_on"] if rd.valid_months else None,
                    }
                )
            yield {"number": number, "block": block, "rows": rows}

    def rows(self):
        for block in self.blocks():
            yield from block["rows"]

    def condition_fields(self):
        return [self[f"condition_{c.pk}"] for c in self.conditions]

    # --- checking --------------------------------------------------------------------------

    def clean(self):
        data = super().clean()
        version = self.version
        organisation = self._clean_organisation(data)
        if (
            self.category_required
            and not data.get("applicant_category")
            and "applicant_category" not in self.errors
        ):
            self.add_error(
                "applicant_category",
                "Выберите категорию заявителя: от неё зависит перечень документов.",
            )
        for kind, name, what in (
            ("children", "family_children", "число детей в семье"),
            ("adults", "family_adults", "число совершеннолетних членов семьи"),
        ):
            if kind in self.family_kinds and data.get(name) is None and name not in self.errors:
                self.add_error(name, f"Укажите {what}: по нему считаются документы.")
        if version.has_window and "event_date" not in self.errors:
            if data.get("event_date") is None and self.known_event_date:
                data["event_date"] = self.known_event_date  # the death the card records
            problem = intake_rules.event_date_problem(
                version, data.get("event_date"), self.applied_on
            )
            if problem:
                self.add_error("event_date", problem)

        self.facts = intake_rules.Facts(
            representative=bool(data.get("representative_kind")) or organisation,
            organisation=organisation,
            category=data.get("applicant_category") or None,
            children=data.get("family_children"),
            adults=data.get("family_adults"),
        )
        marks = {rd.pk: data.get(f"doc_{rd.pk}_status") or None for rd in self.lines}
        self.resolution = resolution = intake_rules.resolve(version, self.lines, marks, self.facts)
        if resolution.unmarked:
            total = sum(
                1
                for block in intake_rules.blocks(self.lines)
                if any(intake_rules.need_of(rd, self.facts).needed for rd in block.lines)
            )
            self.add_error(
                None,
                f"Не отмечено документов: {len(resolution.unmarked)} из {total}. Отметьте каждый "
                "документ перечня — представлен он, запрашивает его учреждение, не представлен "
                "или не требуется.",
            )
            for block in resolution.unmarked:
                name = f"doc_{block.lines[0].pk}_status"
                if name not in self.errors:
                    self.add_error(name, self.fields[name].mark_required_message)
        for problem in resolution.problems:
            if problem.field not in self.errors:
                self.add_error(problem.field, problem.at_field)
        for rd in self.lines:
            line = resolution.lines[rd.pk]
            if line.status != "brought" or marks[rd.pk] != "brought":
                continue
            sheets = data.get(f"doc_{rd.pk}_sheets")
            if sheets is None and f"doc_{rd.pk}_sheets" not in self.errors:
                self.add_error(f"doc_{rd.pk}_sheets", "Укажите число листов.")
            elif sheets is not None and sheets < 1:
                self.add_error(f"doc_{rd.pk}_sheets", "Число листов — целое число не меньше 1.")
            elif sheets is not None and sheets > 999:
                self.add_error(f"doc_{rd.pk}_sheets", "Число листов не больше 999.")
            copies = data.get(f"doc_{rd.pk}_copies")
            if copies is not None and not 1 <= copies <= 99:
                self.add_error(f"doc_{rd.pk}_copies", "Число экземпляров — от 1 до 99.")
            name = f"doc_{rd.pk}_issued_on"
            if rd.valid_months and name not in self.errors:
                problem = intake_rules.issue_date_problem(rd, data.get(name), self.applied_on)
                if problem:
                    self.add_error(name, problem)
        if version.requires_consent and not data.get("consent_given"):
            self.add_error(
                "consent_given",
                "Без подписанного согласия заявление по этой услуге не принимается.",
            )
        if data.get("representative_kind") or organisation:
            whose = "организации" if organisation else ""
            if not data.get("representative_name", "").strip():
                self.add_error(
                    "representative_name",
                    "Организация обращается через представителя: укажите его ФИО."
                    if organisation
                    else "Укажите ФИО представителя.",
                )
            if not data.get("representative_authority", "").strip():
                self.add_error(
                    "representative_authority",
                    f"Укажите документ о полномочиях представителя {whose}".rstrip() + ".",
                )
        return data

    def _clean_organisation(self, data) -> bool:
        """Whether an organisation applies; its ИНН, ОГРН and name checked at their fields."""
        if not self.version.accepts_organisations:
            return False
        if not self.version.accepts_citizens:
            data["is_organisation"] = True
        if not data.get("is_organisation"):
            return False
        inn = (data.get("org_inn") or "").strip()
        problem = intake_rules.inn_problem(inn)
        if problem:
            self.add_error("org_inn", problem)
        problem = intake_rules.ogrn_problem(data.get("org_ogrn") or "")
        if problem:
            self.add_error("org_ogrn", problem)
        if (
            not problem
            and inn
            and not intake_rules.inn_problem(inn)
            and not (data.get("org_name") or "").strip()
            and not Organisation.objects.filter(inn=inn).exists()
        ):
            self.add_error(
                "org_name",
                f"Организации с ИНН {inn} в системе нет: укажите её полное наименование.",
            )
        return True

    # --- what the service is given ---------------------------------------------------------

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
                issued_on=data.get(f"doc_{rd.pk}_issued_on"),
            )
            for rd in self.lines
            if data.get(f"doc_{rd.pk}_status")  # a line that does not apply may stay unmarked
        ]

    def representative(self) -> Representative:
        data = self.cleaned_data
        return Representative(
            kind=data.get("representative_kind", ""),
            name=data.get("representative_name", ""),
            document=data.get("representative_document", ""),
            authority=data.get("representative_authority", ""),
        )

    def intake(self) -> Intake:
        data = self.cleaned_data
        organisation = None
        if self.facts is not None and self.facts.organisation:
            organisation = OrganisationDetails(
                inn=data.get("org_inn", ""),
                ogrn=data.get("org_ogrn", ""),
                name=data.get("org_name", ""),
                address=data.get("org_address", ""),
            )
        return Intake(
            applicant_category=data.get("applicant_category", ""),
            family_children=data.get("family_children"),
            family_adults=data.get("family_adults"),
            event_date=data.get("event_date"),
            confirmed_conditions=frozenset(
                c.pk for c in self.conditions if data.get(f"condition_{c.pk}")
            ),
            organisation=organisation,
        )


def _rule_reasons(rd: RequiredDocument) -> dict[str, str]:
    """Why the line would not apply, per rule: the page greys it with these as the facts
    change (the words the server says, from cases.intake)."""
    return {
        "applies": intake_rules.APPLIES_OFF.get(rd.applies_to, ""),
        "category": intake_rules.categories_reason(rd) if rd.for_categories else "",
        "members": intake_rules.NO_MEMBERS.get(rd.per_member, ""),
        "ask_members": intake_rules.ASK_MEMBERS.get(rd.per_member, ""),
    }


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
    # who accepted the documents at the counter (the counter's «Сегодня принято мной»)
    accepted_by = forms.ModelChoiceField(
        label="Принял", required=False, queryset=User.objects.none(), empty_label="все",
        error_messages={"invalid_choice": "Такого сотрудника в учреждении нет."},
    )  # fmt: skip
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
