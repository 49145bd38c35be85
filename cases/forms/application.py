"""The application form: the checklist of the service version in force with the intake rules."""

from __future__ import annotations

import datetime
import uuid

from django import forms
from django.utils import timezone

from cases import intake as intake_rules
from cases.models import (
    Organisation,
)
from cases.services import (
    MAX_FAMILY,
    DocumentMark,
    Intake,
    OrganisationDetails,
    Representative,
    family_kinds,
)
from onewindow.forms import DateInput
from services.models import RequiredDocument

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
            self._add_document_fields(rd)
        self._add_confirmation_fields()

    def _add_document_fields(self, rd: RequiredDocument) -> None:
        """The row of one checklist line: its mark, form, sheets, copies, the original handed
        back and (for a document with a validity period) its issue date."""
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

    def _add_confirmation_fields(self) -> None:
        """The conditions the specialist confirms by the documents, and the consent."""
        version = self.version
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
        organisation = self._clean_organisation(data)
        self._clean_intake(data)
        self.facts = intake_rules.Facts(
            representative=bool(data.get("representative_kind")) or organisation,
            organisation=organisation,
            category=data.get("applicant_category") or None,
            children=data.get("family_children"),
            adults=data.get("family_adults"),
        )
        marks = {rd.pk: data.get(f"doc_{rd.pk}_status") or None for rd in self.lines}
        self.resolution = intake_rules.resolve(self.version, self.lines, marks, self.facts)
        self._clean_resolution(self.resolution)
        for rd in self.lines:
            line = self.resolution.lines[rd.pk]
            if line.status == "brought" and marks[rd.pk] == "brought":
                self._clean_brought(rd, data)
        self._clean_consent_and_representative(data, organisation)
        return data

    def _clean_intake(self, data) -> None:
        """The category, the family's counts and the event date, where the checklist asks."""
        version = self.version
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

    def _clean_resolution(self, resolution: intake_rules.Resolution) -> None:
        """Every block left unmarked and every problem of the rules, at their fields."""
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

    def _clean_brought(self, rd: RequiredDocument, data) -> None:
        """A document brought: its sheets, copies and (with a validity period) issue date."""
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

    def _clean_consent_and_representative(self, data, organisation: bool) -> None:
        if self.version.requires_consent and not data.get("consent_given"):
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
