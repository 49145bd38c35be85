"""The rules of a checklist at the counter, as the catalogue states them (issue 17): which lines
a given applicant needs, how many documents a per-member line counts, «one of» groups, how
recent a document must be, the window to apply, an organisation's numbers.

Pure functions over the catalogue's objects: the form shows and checks with them (every problem
at its field), `services.register_application` decides with them (the first problem refuses).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from onewindow import workdays
from onewindow.text import counted, quoted
from services.models import RequiredDocument, ServiceVersion

BROUGHT, REQUESTED, MISSING, NOT_REQUIRED = "brought", "requested", "missing", "not_required"
SATISFYING = {BROUGHT, REQUESTED}

Applies = RequiredDocument.AppliesTo
PerMember = RequiredDocument.PerMember

# «на каждого ребёнка: 3 документа»
MEMBER_NOUNS = {
    PerMember.CHILD: "ребёнка",
    PerMember.ADULT: "совершеннолетнего члена семьи",
    PerMember.MEMBER: "члена семьи",
}
NO_MEMBERS = {
    PerMember.CHILD: "детей в семье нет",
    PerMember.ADULT: "совершеннолетних членов семьи нет",
    PerMember.MEMBER: "членов семьи нет",
}
APPLIES_OFF = {
    Applies.REPRESENTATIVE: "заявитель обращается лично",
    Applies.ORGANISATION: "обращается гражданин, не организация",
    Applies.CITIZEN: "обращается организация",
}
ASK_MEMBERS = {
    PerMember.CHILD: "укажите число детей в семье",
    PerMember.ADULT: "укажите число совершеннолетних членов семьи",
    PerMember.MEMBER: "укажите состав семьи",
}


@dataclass(frozen=True)
class Facts:
    """What the counter knows of who applies; None: not said (yet)."""

    representative: bool = False  # someone acts for the applicant (an organisation always does)
    organisation: bool = False
    category: str | None = None
    children: int | None = None
    adults: int | None = None  # adult members, the applicant included


@dataclass(frozen=True)
class Need:
    """Whether a line applies to this applicant: True, False («не требуется», with the reason),
    or None (a fact it depends on is not given yet; `reason` says which)."""

    needed: bool | None
    quantity: int = 1
    reason: str = ""


def office_obtains(rd: RequiredDocument) -> bool:
    return bool(rd.interagency or rd.document_type.interagency)


def member_count(per_member: str, facts: Facts) -> int | None:
    if per_member == PerMember.CHILD:
        return facts.children
    if per_member == PerMember.ADULT:
        return facts.adults
    if facts.children is None or facts.adults is None:
        return None
    return facts.children + facts.adults


def need_of(rd: RequiredDocument, facts: Facts) -> Need:
    if (
        (rd.applies_to == Applies.REPRESENTATIVE and not facts.representative)
        or (rd.applies_to == Applies.ORGANISATION and not facts.organisation)
        or (rd.applies_to == Applies.CITIZEN and facts.organisation)
    ):
        return Need(False, reason=APPLIES_OFF[rd.applies_to])
    if rd.for_categories:
        if not facts.category:
            return Need(None, reason="выберите категорию заявителя")
        if facts.category not in rd.for_categories:
            return Need(False, reason=categories_reason(rd))
    if rd.per_member:
        count = member_count(rd.per_member, facts)
        if count is None:
            return Need(None, reason=ASK_MEMBERS[rd.per_member])
        if count == 0:
            return Need(False, reason=NO_MEMBERS[rd.per_member])
        return Need(True, quantity=count)
    return Need(True)


def categories_reason(rd: RequiredDocument) -> str:
    return "только для категорий: " + "; ".join(rd.for_categories)


def quantity_display(rd: RequiredDocument, quantity: int) -> str:
    """«на каждого ребёнка: 3 документа» (empty for a line of one document)."""
    if not rd.per_member:
        return ""
    return f"на каждого {MEMBER_NOUNS[rd.per_member]}: " + counted(
        quantity, "документ,документа,документов"
    )


# --- «one of» groups -------------------------------------------------------------------------


@dataclass
class Block:
    """One line of the checklist, or a «one of» group of lines."""

    lines: list[RequiredDocument]
    group: int | None = None

    @property
    def is_group(self) -> bool:
        return self.group is not None

    @property
    def title(self) -> str:
        first = self.lines[0]
        if not self.is_group:
            return first.document_type.title
        return first.group_title or "документ на выбор"

    @property
    def alternatives(self) -> str:
        """«паспорт … или временное удостоверение …»."""
        return " или ".join(quoted(rd.document_type.title) for rd in self.lines)


def blocks(lines: list[RequiredDocument]) -> list[Block]:
    """The checklist's lines in order, the members of a group gathered where the first is."""
    result: list[Block] = []
    groups: dict[int, Block] = {}
    for rd in lines:
        if rd.group is None:
            result.append(Block([rd]))
        elif rd.group in groups:
            groups[rd.group].lines.append(rd)
        else:
            groups[rd.group] = Block([rd], group=rd.group)
            result.append(groups[rd.group])
    return result


# --- resolving the marks ---------------------------------------------------------------------


@dataclass
class Problem:
    field: str | None
    message: str  # the whole sentence (the service's refusal)
    short: str = ""  # what the form shows at the row, where the document is named already

    @property
    def at_field(self) -> str:
        return self.short or self.message


@dataclass
class Line:
    rd: RequiredDocument
    status: str
    quantity: int = 1
    need: Need = field(default_factory=lambda: Need(True))


@dataclass
class Resolution:
    lines: dict[int, Line]
    problems: list[Problem]
    unmarked: list[Block]  # lines (or whole groups) that need a mark and have none
    incomplete: bool = False


def resolve(
    version: ServiceVersion,
    lines: list[RequiredDocument],
    marks: dict[int, str | None],
    facts: Facts,
) -> Resolution:
    """What each line's status is, given the specialist's marks (None: not marked) and the facts.

    A line that does not apply is «не требуется» whatever was left on it (a document brought
    for it is refused: nothing is taken that the regulation does not ask for). A «one of» group
    is satisfied when a member is brought or requested; its other members are then «не
    требуется»; none: the group is missing — refused unless the version accepts an incomplete
    set. A line whose need is unknown (a fact not given) is left to the fact's own error."""
    resolution = Resolution({}, [], [])
    for block in blocks(lines):
        _resolve_block(version, block, marks, facts, resolution)
    return resolution


def _refusal(rd: RequiredDocument, message: str, short: str = "") -> Problem:
    return Problem(f"doc_{rd.pk}_status", message, short)


def _resolve_block(
    version: ServiceVersion,
    block: Block,
    marks: dict[int, str | None],
    facts: Facts,
    out: Resolution,
) -> None:
    """One line, or one «one of» group, resolved into `out`."""
    needs = {rd.pk: need_of(rd, facts) for rd in block.lines}
    applicable = [rd for rd in block.lines if needs[rd.pk].needed]
    satisfied = any(marks.get(rd.pk) in SATISFYING for rd in applicable)
    required_group = block.is_group and bool(applicable) and applicable[0].required
    untouched_group = required_group and all(marks.get(rd.pk) is None for rd in applicable)
    if untouched_group:
        out.unmarked.append(block)
    for rd in block.lines:
        line = _resolve_line(version, rd, needs[rd.pk], marks.get(rd.pk), out)
        if line is None:
            continue
        mark = marks.get(rd.pk)
        if block.is_group and satisfied and mark not in SATISFYING:
            line.status = NOT_REQUIRED  # another member satisfies the group
        elif required_group and not satisfied:
            line.status = MISSING  # the group's problem is said once, below
            if mark == REQUESTED or (mark == MISSING and office_obtains(rd)):
                problem = _line_problem(version, rd, mark, quoted(rd.document_type.title))
                if problem:
                    out.problems.append(problem)
        else:
            _check_marked_line(version, rd, mark, out)
    if required_group and not satisfied and not untouched_group:
        _group_missing(version, block, applicable, out)


def _resolve_line(
    version: ServiceVersion, rd: RequiredDocument, need: Need, mark: str | None, out: Resolution
) -> Line | None:
    """The line written into `out`; returned when it applies (its group decides the rest),
    None when its need is unknown or it does not apply."""
    if need.needed is None:
        out.lines[rd.pk] = Line(rd, mark or NOT_REQUIRED, need=need)
        return None
    if need.needed is False:
        if mark == BROUGHT:
            out.problems.append(
                _refusal(
                    rd,
                    f"{quoted(rd.document_type.title)} не требуется ({need.reason}): отметьте "
                    "«не требуется».",
                    f"Не требуется ({need.reason}): отметьте «не требуется».",
                )
            )
        out.lines[rd.pk] = Line(rd, NOT_REQUIRED, need=need)
        return None
    line = Line(rd, mark or "", quantity=need.quantity, need=need)
    out.lines[rd.pk] = line
    return line


def _check_marked_line(
    version: ServiceVersion, rd: RequiredDocument, mark: str | None, out: Resolution
) -> None:
    """A line on its own: unmarked, wrongly marked, or missing (the set is then incomplete)."""
    if mark is None:
        out.unmarked.append(Block([rd]))
        return
    problem = _line_problem(version, rd, mark, quoted(rd.document_type.title))
    if problem:
        out.problems.append(problem)
    elif mark == MISSING and rd.required:
        out.incomplete = True


def _group_missing(
    version: ServiceVersion, block: Block, applicable: list[RequiredDocument], out: Resolution
) -> None:
    """A required group none of whose documents is brought or requested."""
    first = applicable[0]
    what = f"{block.title[:1].upper()}{block.title[1:]}: не представлен ни один из документов ({block.alternatives})"
    obtained = [rd for rd in applicable if office_obtains(rd)]
    if obtained:
        out.problems.append(
            _refusal(
                first,
                f"{what}. {quoted(obtained[0].document_type.title)} учреждение получает само: "
                "отметьте «запрашивает учреждение».",
                "Не представлен ни один из документов группы: отметьте «запрашивает "
                f"учреждение» у документа {quoted(obtained[0].document_type.title)}.",
            )
        )
    elif not version.allow_incomplete:
        out.problems.append(
            _refusal(
                first,
                f"{what}. Регламент не допускает приём при неполном комплекте: примите "
                "заявление, когда один из них будет представлен.",
                "Не представлен ни один из документов группы: регламент не допускает приём "
                "при неполном комплекте.",
            )
        )
    else:
        out.incomplete = True


def _line_problem(version, rd, mark: str, title: str) -> Problem | None:
    field_name = f"doc_{rd.pk}_status"
    obtains = office_obtains(rd)
    if mark not in {BROUGHT, REQUESTED, MISSING, NOT_REQUIRED}:
        return Problem(field_name, f"{title}: отметьте, представлен ли документ.")
    if mark == REQUESTED and not obtains:
        return Problem(
            field_name,
            f"{title}: этот документ учреждение не запрашивает, его представляет заявитель.",
            "Этот документ учреждение не запрашивает: его представляет заявитель.",
        )
    if mark == MISSING and obtains:
        # 210-ФЗ ст. 7: what another agency holds is requested by the office, never
        # demanded of the applicant.
        return Problem(
            field_name,
            f"{title}: этот документ учреждение получает по межведомственному запросу — отметьте "
            "«запрашивает учреждение» (или «представлен», если заявитель принёс его сам).",
            "Этот документ учреждение получает по межведомственному запросу: его не требуют с "
            "заявителя.",
        )
    if mark == NOT_REQUIRED and rd.required:
        if rd.group is not None:
            return Problem(
                field_name,
                f"{title}: «не требуется» — только когда представлен другой документ группы.",
            )
        return Problem(
            field_name,
            f"{title} — обязательный документ: «не требуется» к нему не относится.",
            "Обязательный документ: «не требуется» к нему не относится.",
        )
    if mark == MISSING and rd.required and not version.allow_incomplete:
        return Problem(
            field_name,
            f"{title} — обязательный документ. Регламент не допускает приём при неполном "
            "комплекте: примите заявление, когда документ будет представлен.",
            "Обязательный документ: регламент не допускает приём при неполном комплекте.",
        )
    return None


# --- time limits -----------------------------------------------------------------------------


def issue_date_problem(
    rd: RequiredDocument, issued_on: datetime.date | None, applied_on: datetime.date
) -> str | None:
    """Why a brought document's date does not do (None: it does). The date is asked only of
    documents with a validity period."""
    if not rd.valid_months:
        return None
    title = quoted(rd.document_type.title)
    if issued_on is None:
        return f"{title}: укажите дату выдачи документа."
    if issued_on > applied_on:
        return f"{title}: дата выдачи {issued_on:%d.%m.%Y} позже дня обращения ({applied_on:%d.%m.%Y})."
    oldest = rd.oldest_valid_issue(applied_on)
    if issued_on < oldest:
        months = counted(rd.valid_months, "месяц,месяца,месяцев")
        return (
            f"{title} от {issued_on:%d.%m.%Y}: документ должен быть выдан не ранее "
            f"{oldest:%d.%m.%Y} (не ранее чем за {months} до обращения). Попросите заявителя "
            "представить новый."
        )
    return None


def last_day_to_apply(version: ServiceVersion, event_date: datetime.date) -> datetime.date:
    """The window's last day; one ending on a day off ends on the next working day (ГК РФ
    ст. 193), as the catalogue counts its calendar periods."""
    return workdays.next_working_day(version.last_day_to_apply(event_date))


def event_date_problem(
    version: ServiceVersion, event_date: datetime.date | None, applied_on: datetime.date
) -> str | None:
    if not version.has_window:
        return None
    if event_date is None:
        return f"Укажите: {version.event_label[:1].lower()}{version.event_label[1:]}."
    if event_date > applied_on:
        return (
            f"{version.event_label} ({event_date:%d.%m.%Y}) позже дня обращения "
            f"({applied_on:%d.%m.%Y}): проверьте дату."
        )
    last = last_day_to_apply(version, event_date)
    if applied_on > last:
        return (
            f"Срок обращения истёк {last:%d.%m.%Y}: заявление принимается {version.window_display}."
        )
    return None


# --- organisations ---------------------------------------------------------------------------


def inn_problem(value: str) -> str | None:
    from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError
    from stdnum.ru import inn

    value = value.strip()
    if not value:
        return "Укажите ИНН организации."
    try:
        inn.validate(value)
    except InvalidLength:
        return (
            f"ИНН организации — 10 цифр (индивидуального предпринимателя — 12), введено «{value}»."
        )
    except InvalidChecksum:
        return (
            f"ИНН «{value}»: неверные контрольные цифры — сверьте номер с документами организации."
        )
    except ValidationError:
        return f"ИНН — только цифры, введено «{value}»."
    return None


def ogrn_problem(value: str) -> str | None:
    from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidLength, ValidationError
    from stdnum.ru import ogrn

    value = value.strip()
    if not value:
        return None
    try:
        ogrn.validate(value)
    except InvalidLength:
        return f"ОГРН — 13 цифр (ОГРНИП — 15), введено «{value}»."
    except InvalidChecksum:
        return f"ОГРН «{value}»: неверная контрольная цифра — сверьте номер с выпиской из ЕГРЮЛ."
    except InvalidComponent:
        return f"ОГРН «{value}»: такой номер не выдаётся (неверная первая цифра)."
    except ValidationError:
        return f"ОГРН — только цифры, введено «{value}»."
    return None


def satisfying_marks(
    lines: list[RequiredDocument], facts: Facts, *, bring_all: bool = False
) -> dict[int, str]:
    """The marks that satisfy a checklist for these facts, as a specialist would set them: each
    line that applies brought — or requested where the office obtains it (`bring_all`: brought
    all the same) —, the first applicable document of each «one of» group (its other members left
    unmarked, so the group's rule greys them), «не требуется» on lines that do not apply; a line
    whose need depends on a fact not given is left unmarked. For the demo data and the tests."""
    marks: dict[int, str] = {}
    for block in blocks(lines):
        satisfied = False
        for rd in block.lines:
            need = need_of(rd, facts)
            if need.needed is False:
                marks[rd.pk] = NOT_REQUIRED
            elif need.needed and not (block.is_group and satisfied):
                marks[rd.pk] = REQUESTED if office_obtains(rd) and not bring_all else BROUGHT
                satisfied = True
    return marks
