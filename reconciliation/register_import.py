"""Importing an existing register of recipients (moving an office onto OneWindow).

One row per person and measure; rows sharing a СНИЛС (or, without one, the same name and birth
date) are one person. Everything is validated first and every error reported with its row and
field; a file with errors applies nothing; a valid file applies in one transaction; running it
again updates what it created instead of duplicating it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from cases.models import Applicant, CaseFile, Entitlement
from cases.services import ensure_case_file
from onewindow.identity import format_snils, full_name_key, name_error, snils_digits, snils_error
from reconciliation.readers import ExtractError, column_map, parse_date, read_rows
from services.models import Service

FIELDS = ["snils", "last_name", "first_name", "middle_name", "birth_date", "sex", "address", "phone",
          "service", "start_date", "end_date"]  # fmt: skip
TITLES = {"snils": "СНИЛС", "last_name": "Фамилия", "first_name": "Имя", "middle_name": "Отчество",
          "birth_date": "Дата рождения", "sex": "Пол", "address": "Адрес", "phone": "Телефон",
          "service": "Мера", "start_date": "Дата назначения", "end_date": "Дата окончания"}  # fmt: skip
NAMES = ("last_name", "first_name", "middle_name")
# where each text lands: its length is checked against the column, not left to a DataError
LENGTHS = {key: Applicant._meta.get_field(field).max_length for key, field in
           {"last_name": "last_name", "first_name": "first_name", "middle_name": "middle_name",
            "address": "reg_address", "phone": "phone"}.items()}  # fmt: skip
SEX = {
    "м": "M",
    "муж": "M",
    "мужской": "M",
    "m": "M",
    "ж": "F",
    "жен": "F",
    "женский": "F",
    "f": "F",
}


@dataclass
class Person:
    key: tuple
    snils: str
    last_name: str
    first_name: str
    middle_name: str
    birth_date: datetime.date
    sex: str
    address: str
    phone: str
    measures: list[tuple[str, datetime.date, datetime.date | None, int]] = field(
        default_factory=list
    )

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    @property
    def row(self) -> int:
        return self.measures[0][3]


@dataclass
class Report:
    rows: int = 0
    errors: list[str] = field(default_factory=list)
    people_new: int = 0
    people_updated: int = 0
    case_files_new: int = 0
    measures_new: int = 0
    measures_updated: int = 0

    def lines(self) -> list[str]:
        return [
            f"Строк: {self.rows}",
            f"Заявителей: новых {self.people_new}, обновляемых {self.people_updated}",
            f"Личных дел новых: {self.case_files_new}",
            f"Мер: новых {self.measures_new}, обновляемых {self.measures_updated}",
        ]


def parse_register(path: Path) -> tuple[dict[tuple, Person], Report]:
    report = Report()
    people: dict[tuple, Person] = {}
    services = set(Service.objects.values_list("code", flat=True))
    mapping = None
    for number, row in read_rows(Path(path)):
        if mapping is None:
            mapping = column_map(list(row), None, FIELDS)
            missing = [
                TITLES[k]
                for k in ("last_name", "first_name", "birth_date", "service", "start_date")
                if k not in mapping
            ]
            if missing:
                raise ExtractError("В файле нет столбцов: " + ", ".join(f"«{m}»" for m in missing))
        report.rows += 1
        value = {k: _cell(row.get(c)) for k, c in mapping.items()}
        errors = []

        def error(key, message, errors=errors, number=number):
            errors.append(f"строка {number}, поле «{TITLES.get(key, key)}»: {message}")

        snils = value.get("snils", "")
        if snils:
            problem = snils_error(snils)
            if problem:
                error("snils", problem)
            snils = snils_digits(snils)
        for key in NAMES:  # as the counter form cleans and checks them
            name = " ".join(str(value.get(key, "")).split())
            value[key] = name[:1].upper() + name[1:]
            problem = name_error(name)
            if problem:
                error(key, problem)
            elif not name and key != "middle_name":
                error(key, "обязательное поле")
        for key, limit in LENGTHS.items():
            text = value.get(key, "")
            if isinstance(text, str) and len(text) > limit:
                error(key, f"не длиннее {limit} знаков (здесь {len(text)})")
        dates = {}
        for key in ("birth_date", "start_date", "end_date"):
            try:
                dates[key] = parse_date(value.get(key))
            except ValueError as exc:
                error(key, str(exc))
                dates[key] = None
            else:
                if key != "end_date" and dates[key] is None:
                    error(key, "обязательное поле")
        if dates.get("birth_date") and not (
            datetime.date(1900, 1, 1) <= dates["birth_date"] <= timezone.localdate()
        ):
            error("birth_date", "дата рождения вне допустимого диапазона")
        if (
            dates.get("start_date")
            and dates.get("end_date")
            and dates["end_date"] < dates["start_date"]
        ):
            error("end_date", "раньше даты назначения")
        service = value.get("service", "")
        if service not in services:
            error("service", f"неизвестный код меры «{service}»")
        sex = SEX.get(value.get("sex", "").lower(), "") if value.get("sex") else ""
        if value.get("sex") and not sex:
            error("sex", f"ожидается «М» или «Ж», получено «{value.get('sex')}»")
        if errors:
            report.errors.extend(errors)
            continue
        key = (
            ("snils", snils)
            if snils
            else (
                "name",
                full_name_key(
                    value["last_name"], value["first_name"], value.get("middle_name", "")
                ),
                dates["birth_date"],
            )
        )
        person = people.get(key)
        if person is None:
            person = people[key] = Person(
                key=key, snils=snils, last_name=value["last_name"], first_name=value["first_name"],
                middle_name=value.get("middle_name", ""), birth_date=dates["birth_date"],
                sex=sex or guess_sex(value.get("middle_name", ""), value["last_name"]),
                address=value.get("address", ""), phone=value.get("phone", ""),
            )  # fmt: skip
        elif person.birth_date != dates["birth_date"]:
            report.errors.append(
                f"строка {number}, поле «Дата рождения»: у этого СНИЛС в другой строке дата {person.birth_date:%d.%m.%Y}"
            )
            continue
        elif full_name_key(*(value.get(k, "") for k in NAMES)) != full_name_key(
            person.last_name, person.first_name, person.middle_name
        ):
            report.errors.append(
                f"строка {number}, поле «Фамилия»: у этого СНИЛС в строке {person.row} — {person.full_name}"
            )
            continue
        person.measures.append((service, dates["start_date"], dates["end_date"], number))
    if report.rows == 0:
        raise ExtractError("В файле нет ни одной записи")
    return people, report


def _cell(value):
    if isinstance(value, datetime.date):
        return value
    return str(value if value is not None else "").strip()


def guess_sex(middle_name: str, last_name: str) -> str:
    if middle_name.endswith(("вна", "чна", "кызы")) or last_name.endswith(
        ("ова", "ева", "ина", "ая")
    ):
        return "F"
    return "M"


def _existing(person: Person, office) -> tuple[Applicant | None, str | None]:
    """The registered applicant the row updates, or the reason the row cannot be applied: a
    СНИЛС of another office, or of a person with another name or birth date (a register row
    never renames a person silently; a change of surname is entered in the applicant's card)."""
    if not person.snils:
        found = Applicant.objects.filter(
            office=office, name_key=person.key[1], birth_date=person.birth_date
        ).first()
        return found, None
    found = Applicant.objects.filter(snils=person.snils).select_related("office").first()
    if found is None:
        return None, None
    where = f"строка {person.row}, поле «СНИЛС»: СНИЛС {format_snils(person.snils)}"
    if found.office_id != office.pk:
        return None, f"{where}: заявитель уже зарегистрирован в другом учреждении ({found.office})"
    same_name = found.name_key == full_name_key(
        person.last_name, person.first_name, person.middle_name
    )
    if not same_name or found.birth_date != person.birth_date:
        return None, (
            f"{where} уже у заявителя {found.short_name}, {found.birth_date:%d.%m.%Y} г. р.; "
            f"в файле — {person.full_name}, {person.birth_date:%d.%m.%Y}. Проверьте строку; "
            "смена фамилии вносится в карточке заявителя"
        )
    return found, None


def import_register(path: Path, *, office, actor=None, dry_run: bool = False) -> Report:
    people, report = parse_register(path)
    if report.errors:
        return report
    existing = {}
    for key, person in people.items():
        existing[key], problem = _existing(person, office)
        if problem:
            report.errors.append(problem)
    if report.errors:  # the preview shows every conflict; nothing is applied
        return report
    today = timezone.localdate()
    with transaction.atomic():
        for key, person in people.items():
            applicant = existing[key]
            if applicant is None:
                report.people_new += 1
                applicant = Applicant(office=office, created_by=actor)
            else:
                report.people_updated += 1
            applicant.snils = person.snils or applicant.snils
            applicant.last_name, applicant.first_name, applicant.middle_name = (
                person.last_name,
                person.first_name,
                person.middle_name,
            )
            applicant.birth_date, applicant.sex = (
                person.birth_date,
                person.sex or applicant.sex or "M",
            )
            applicant.reg_address = person.address or applicant.reg_address
            applicant.phone = person.phone or applicant.phone
            applicant._history_user = actor
            applicant.save()
            if not CaseFile.objects.filter(office=office, applicant=applicant).exists():
                report.case_files_new += 1
            case_file = ensure_case_file(
                applicant, actor=actor, on=min(m[1] for m in person.measures)
            )
            for code, start, end, _ in person.measures:
                status = (
                    Entitlement.Status.STOPPED if end and end < today else Entitlement.Status.ACTIVE
                )
                measure = Entitlement.objects.filter(
                    applicant=applicant, service__code=code, start_date=start
                ).first()
                if measure is None:
                    report.measures_new += 1
                    measure = Entitlement(office=office, applicant=applicant, case_file=case_file,
                                          service=Service.objects.get(code=code), start_date=start)  # fmt: skip
                else:
                    report.measures_updated += 1
                measure.end_date = end
                if (
                    measure.status != Entitlement.Status.SUSPENDED
                    or status == Entitlement.Status.STOPPED
                ):
                    measure.status = status
                measure.status_reason = measure.status_reason or "перенесено из прежней системы"
                measure._history_user = actor
                measure.save()
        if report.errors or dry_run:
            transaction.set_rollback(True)
    return report
