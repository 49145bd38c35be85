"""Forms of the `archive` app: parse and validate input, with Russian messages at the field."""

from __future__ import annotations

from django import forms

from archive import figures
from archive.models import DestructionAct, Inventory, Location, RetentionRule
from onewindow.forms import DateInput, office_field, scope_to_user
from onewindow.models import User


class ByPath:
    """Places of storage shown by their paths («Помещение 101 / Стеллаж 2 / Полка 3 / Короб 7»)."""

    def label_from_instance(self, obj: Location) -> str:
        return obj.path


class PlaceChoiceField(ByPath, forms.ModelChoiceField):
    pass


class PlacesChoiceField(ByPath, forms.ModelMultipleChoiceField):
    pass


def boxes(office):
    """The boxes of `office`: where files are put."""
    return Location.objects.filter(office=office, kind=Location.Kind.BOX)


class RegisterForm(forms.Form):
    case_number = forms.IntegerField(
        label="Номер личного дела (ЛД)",
        min_value=1,
        error_messages={"required": "Укажите номер личного дела."},
    )
    archive_number = forms.CharField(
        label="Архивный номер",
        max_length=32,
        error_messages={"required": "Укажите архивный номер."},
    )
    retention_rule = forms.ModelChoiceField(label="Правило хранения", queryset=RetentionRule.objects.all(), empty_label="выберите…",
                                            error_messages={"required": "Выберите правило хранения."})  # fmt: skip
    nomenclature_index = forms.CharField(
        label="Индекс дела (пусто — по правилу)", max_length=32, required=False
    )
    start_date = forms.DateField(
        label="Крайние даты: с",
        widget=DateInput(),
        error_messages={"required": "Укажите начальную дату.", "invalid": "Неверная дата."},
    )
    end_date = forms.DateField(
        label="по",
        widget=DateInput(),
        error_messages={"required": "Укажите конечную дату.", "invalid": "Неверная дата."},
    )
    event_date = forms.DateField(
        label="Снят с учёта (пусто — конечная дата)", widget=DateInput(), required=False
    )
    volumes = forms.IntegerField(label="Томов", min_value=1, initial=1)
    sheets = forms.IntegerField(
        label="Листов",
        min_value=1,
        error_messages={
            "required": "Укажите число листов.",
            "min_value": "Число листов — не меньше 1.",
        },
    )
    location = PlaceChoiceField(label="Короб", queryset=Location.objects.none(), empty_label="выберите…",
                                      error_messages={"required": "Выберите короб.", "invalid_choice": "Такого места хранения нет."})  # fmt: skip

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = boxes(office)


class IssueForm(forms.Form):
    to_user = forms.ModelChoiceField(label="Кому", queryset=User.objects.none(), empty_label="выберите…",
                                     error_messages={"required": "Выберите, кому выдаётся дело."})  # fmt: skip
    purpose = forms.CharField(
        label="Цель выдачи", max_length=300, error_messages={"required": "Укажите цель выдачи."}
    )
    due_back = forms.DateField(
        label="Вернуть до (пусто — через 1 рабочий день)", required=False, widget=DateInput()
    )

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = User.objects.filter(office=office, is_active=True)


class MoveForm(forms.Form):
    location = PlaceChoiceField(
        label="Новое место (короб)", queryset=Location.objects.none(), empty_label="выберите…",
        error_messages={"required": "Выберите, куда переместить дело."},
    )  # fmt: skip

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = boxes(office)


class HoldForm(forms.Form):
    reason = forms.CharField(label="Основание", max_length=300, required=False)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Основание возврата (например, новое заявление, решение по мере)",
        max_length=300,
        required=False,
    )


class LocationForm(forms.Form):
    parent = PlaceChoiceField(
        label="Входит в", queryset=Location.objects.none(), required=False, empty_label="—"
    )
    kind = forms.ChoiceField(label="Вид", choices=Location.Kind.choices)
    name = forms.CharField(label="Обозначение", max_length=100)
    capacity = forms.IntegerField(label="Вместимость (для короба)", required=False, min_value=1)

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Location.objects.filter(office=office).exclude(
            kind=Location.Kind.BOX
        )


class ListFilters(forms.Form):
    """The archive list's filters besides the search: so that every figure of the dashboard
    opens exactly its files (issued and not returned in time, eligible for destruction in a
    year, an office)."""

    office = office_field()
    overdue = forms.BooleanField(label="Не возвращены в срок", required=False)
    eligible = forms.IntegerField(
        label="Можно уничтожить с года", required=False, min_value=1990, max_value=2200,
        error_messages={"invalid": "Год — четыре цифры, например 2026.",
                        "min_value": "Год — не раньше 1990.", "max_value": "Год — не позже 2200."},
    )  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope_to_user(self, user, ())

    def filter(self, files, today):
        if not self.is_valid():
            return files.none()
        data = self.cleaned_data
        if data.get("office"):
            files = files.filter(office=data["office"])
        if data.get("overdue"):
            files = files.filter(pk__in=figures.overdue_issues(today).values("archived_file_id"))
        if data.get("eligible"):
            files = files.filter(figures.eligible_in_q(data["eligible"]))
        return files


class InventoryForm(forms.Form):
    year = forms.TypedChoiceField(
        label="Год дел",
        coerce=int,
        choices=(),
        error_messages={
            "required": "Выберите год дел описи.",
            "invalid_choice": "Дел за %(value)s год в архиве нет: выберите год из списка.",
        },
    )
    group = forms.ChoiceField(
        label="Срок хранения дел",
        choices=Inventory.Group.choices,
        error_messages={
            "required": "Выберите срок хранения дел описи.",
            "invalid_choice": "Выберите срок хранения дел описи из списка.",
        },
    )
    index = forms.CharField(label="Индекс дела (пусто — все)", max_length=32, required=False,
                            widget=forms.TextInput(attrs={"list": "indexes"}))  # fmt: skip

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in years]


class CheckForm(forms.Form):
    order_number = forms.CharField(
        label="Номер приказа директора",
        max_length=50,
        error_messages={"required": "Укажите номер приказа."},
    )
    order_date = forms.DateField(
        label="Дата приказа",
        widget=DateInput(),
        error_messages={"required": "Укажите дату приказа.", "invalid": "Неверная дата."},
    )
    commission = forms.ModelMultipleChoiceField(label="Комиссия (не меньше трёх)", queryset=User.objects.none(),
                                                widget=forms.CheckboxSelectMultiple, error_messages={"required": "Выберите членов комиссии."})  # fmt: skip
    locations = PlacesChoiceField(
        label="Места хранения (пусто — весь архив)",
        queryset=Location.objects.none(),
        required=False,
    )
    chair = forms.ModelChoiceField(label="Председатель комиссии (один из членов)", queryset=User.objects.none(),
                                   empty_label="выберите…", error_messages={"required": "Выберите председателя комиссии."})  # fmt: skip
    years = forms.CharField(
        label="Годы через запятую (пусто — все)", required=False, max_length=200
    )
    place = forms.CharField(
        label="Место проведения (пусто — адрес учреждения и помещения архива)",
        required=False,
        max_length=500,
    )

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commission"].queryset = User.objects.filter(office=office, is_active=True)
        self.fields["chair"].queryset = User.objects.filter(office=office, is_active=True)
        self.fields["locations"].queryset = Location.objects.filter(office=office)

    def clean_years(self):
        raw = self.cleaned_data.get("years", "")
        years = []
        for part in raw.replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            if not part.isdigit() or not 1900 <= int(part) <= 2100:
                raise forms.ValidationError(f"Неверный год «{part}».")
            years.append(int(part))
        return years


class ExecuteForm(forms.Form):
    """The record of destruction (Правила хранения, приказ Росархива № 77), taken when the
    archivist marks the files destroyed; the service checks what depends on the method."""

    method = forms.ChoiceField(label="Способ уничтожения", choices=[("", "выберите…"), *DestructionAct.Method.choices],
                               required=False)  # fmt: skip
    volume = forms.CharField(
        label="Масса или объём (например, 3,5 кг)", max_length=50, required=False
    )
    destroyed_on = forms.DateField(label="Дата уничтожения", widget=DateInput(), required=False,
                                   error_messages={"invalid": "Дата уничтожения: неверная дата."})  # fmt: skip
    recycler = forms.CharField(label="Организация-переработчик (при передаче на переработку)",
                               max_length=300, required=False)  # fmt: skip
    handover_number = forms.CharField(label="Накладная №", max_length=50, required=False)
    handover_date = forms.DateField(label="Накладная от", widget=DateInput(), required=False,
                                    error_messages={"invalid": "Дата накладной: неверная дата."})  # fmt: skip
