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

from django.core.exceptions import ValidationError
from django.db import transaction

from cases import services as cases_services
from cases.models import Applicant, CaseFile
from onewindow.errors import DomainError
from onewindow.identity import (
    clean_person_name,
    format_snils,
    full_name_key,
    snils_digits,
    snils_error,
)
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
            mapping = _columns(list(row))
        report.rows += 1
        value = {k: _cell(row.get(c)) for k, c in mapping.items()}
        errors = _check_row(value, number, services)
        if errors:
            report.errors.extend(errors)
            continue
        problem = _add_row(people, value, number)
        if problem:
            report.errors.append(problem)
    if report.rows == 0:
        raise ExtractError("В файле нет ни одной записи")
    return people, report


def _columns(header: list[str]) -> dict[str, str]:
    mapping = column_map(header, None, FIELDS)
    missing = [
        TITLES[k]
        for k in ("last_name", "first_name", "birth_date", "service", "start_date")
        if k not in mapping
    ]
    if missing:
        raise ExtractError("В файле нет столбцов: " + ", ".join(f"«{m}»" for m in missing))
    return mapping


def _check_row(value: dict, number: int, services: set[str]) -> list[str]:
    """Every error of one row, with its row and field; `value` is cleaned in place: names as the
    counter form cleans them, the СНИЛС as digits, the dates parsed, the sex as «M»/«F»."""
    errors, reported = [], set()

    def error(key, message):
        reported.add(key)
        errors.append(f"строка {number}, поле «{TITLES.get(key, key)}»: {message}")

    if not snils_error(value.get("snils", "")):
        value["snils"] = snils_digits(value["snils"])
    for key in NAMES:
        value[key] = clean_person_name(str(value.get(key, "")))
        if not value[key] and key != "middle_name":
            error(key, "обязательное поле")
    for key, limit in LENGTHS.items():
        text = value.get(key, "")
        if isinstance(text, str) and len(text) > limit:
            error(key, f"не длиннее {limit} знаков (здесь {len(text)})")
    for key in ("birth_date", "start_date", "end_date"):
        try:
            value[key] = parse_date(value.get(key))
        except ValueError as exc:
            error(key, str(exc))
            value[key] = None
        else:
            if key != "end_date" and value[key] is None:
                error(key, "обязательное поле")
    given = value.get("sex")
    value["sex"] = SEX.get(given.lower(), "") if given else ""
    if given and not value["sex"]:
        error("sex", f"ожидается «М» или «Ж», получено «{given}»")
    for key, message in _applicant_rules(value, reported=reported):
        error(key, message)
    if value["start_date"] and value["end_date"] and value["end_date"] < value["start_date"]:
        error("end_date", "раньше даты назначения")
    service = value.get("service", "")
    if service not in services:
        error("service", f"неизвестный код меры «{service}»")
    return errors


# the applicant's fields as the file's columns are titled
FIELD_TITLES = {"reg_address": TITLES["address"], **TITLES}

# the row's columns that are the applicant's fields, and where they land
APPLICANT_COLUMNS = {"snils": "snils", "last_name": "last_name", "first_name": "first_name",
                     "middle_name": "middle_name", "birth_date": "birth_date", "sex": "sex"}  # fmt: skip


def _applicant_rules(value: dict, *, reported: set[str]):
    """The model's rules for the person of a row (`Applicant.validate`: the СНИЛС with its
    check number, names, the birth date) as (column, message), for the columns the row fills
    and that have no error of their own yet."""
    given = {f: value[k] for k, f in APPLICANT_COLUMNS.items() if value.get(k) not in (None, "")}
    try:
        Applicant(**given).validate(
            exclude=tuple(f.name for f in Applicant._meta.fields if f.name not in given)
        )
    except ValidationError as exc:
        by_field = {f: k for k, f in APPLICANT_COLUMNS.items()}
        for name, messages in exc.message_dict.items():
            key = by_field.get(name)
            if key and key not in reported:
                yield key, as_clause(messages[0])


def as_clause(message: str) -> str:
    """«Неверное контрольное число СНИЛС — проверьте номер.» as the tail of «строка N, поле
    «…»: …»: lower case first letter (unless an abbreviation), no closing full stop."""
    message = message.rstrip(".")
    if len(message) > 1 and message[1].islower():
        message = message[0].lower() + message[1:]
    return message


def _add_row(people: dict[tuple, Person], value: dict, number: int) -> str | None:
    """The row's measure added to its person (by СНИЛС, or name and birth date), who is created
    with the row; the error when the row names the same СНИЛС with another person."""
    snils, birth_date = value.get("snils", ""), value["birth_date"]
    key = (
        ("snils", snils)
        if snils
        else ("name", full_name_key(value["last_name"], value["first_name"], value.get("middle_name", "")), birth_date)
    )  # fmt: skip
    person = people.get(key)
    if person is None:
        person = people[key] = Person(
            key=key, snils=snils, last_name=value["last_name"], first_name=value["first_name"],
            middle_name=value.get("middle_name", ""), birth_date=birth_date,
            sex=value["sex"] or guess_sex(value.get("middle_name", ""), value["last_name"]),
            address=value.get("address", ""), phone=value.get("phone", ""),
        )  # fmt: skip
    elif person.birth_date != birth_date:
        return f"строка {number}, поле «Дата рождения»: у этого СНИЛС в другой строке дата {person.birth_date:%d.%m.%Y}"  # fmt: skip
    elif full_name_key(*(value.get(k, "") for k in NAMES)) != full_name_key(
        person.last_name, person.first_name, person.middle_name
    ):
        return f"строка {number}, поле «Фамилия»: у этого СНИЛС в строке {person.row} — {person.full_name}"  # fmt: skip
    person.measures.append(
        (value.get("service", ""), value["start_date"], value["end_date"], number)
    )
    return None


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
    with transaction.atomic():
        for key, person in people.items():
            try:
                applicant = _save_applicant(person, existing[key], office=office, actor=actor)
            except DomainError as exc:  # the checks of cases (a СНИЛС taken meanwhile)
                title = FIELD_TITLES.get(exc.field or "snils", "СНИЛС")
                report.errors.append(f"строка {person.row}, поле «{title}»: {exc.message}")
                continue
            except ValidationError as exc:  # the model's field rules, should a row pass ours
                report.errors.extend(
                    f"строка {person.row}, поле «{FIELD_TITLES.get(name, name)}»: {as_clause(m)}"
                    for name, messages in exc.message_dict.items()
                    for m in messages
                )
                continue
            if existing[key] is None:
                report.people_new += 1
            else:
                report.people_updated += 1
            try:
                _save_measures(person, applicant, office=office, actor=actor, report=report)
            except DomainError as exc:  # the checks of cases on a measure
                title = FIELD_TITLES.get(exc.field or "", "Мера")
                report.errors.append(
                    f"строка {person.row}, поле «{title}»: {as_clause(exc.message)}"
                )
        if report.errors or dry_run:
            transaction.set_rollback(True)
    return report


def _save_applicant(person: Person, applicant: Applicant | None, *, office, actor) -> Applicant:
    """The person registered, or their card updated, through the services of cases (so the
    СНИЛС uniqueness and the other checks of the counter apply). A row never blanks what the
    card has: an empty СНИЛС, address or phone keeps the card's."""
    data = {"last_name": person.last_name, "first_name": person.first_name,
            "middle_name": person.middle_name, "birth_date": person.birth_date,
            "sex": person.sex or (applicant.sex if applicant else "") or "M"}  # fmt: skip
    for key, given in (("snils", person.snils), ("reg_address", person.address), ("phone", person.phone)):  # fmt: skip
        if given:
            data[key] = given
    if applicant is None:
        return cases_services.register_applicant(actor=actor, office=office, **data)
    return cases_services.update_applicant(applicant, actor=actor, **data)


def _save_measures(person: Person, applicant: Applicant, *, office, actor, report: Report) -> None:
    """The person's case file (opened through cases) and their measures through
    `cases.services.record_imported_measure`: new ones, or the one of the same service and
    start updated."""
    if not CaseFile.objects.filter(office=office, applicant=applicant).exists():
        report.case_files_new += 1
    case_file = cases_services.ensure_case_file(
        applicant, actor=actor, on=min(m[1] for m in person.measures)
    )
    services = {s.code: s for s in Service.objects.filter(code__in={m[0] for m in person.measures})}
    for code, start, end, _ in person.measures:
        _, created = cases_services.record_imported_measure(
            actor=actor, case_file=case_file, service=services[code], start_date=start, end_date=end
        )
        if created:
            report.measures_new += 1
        else:
            report.measures_updated += 1
