"""The matching cascade in Python: our recipients in an in-memory index, every row of an extract
looked up in it — by СНИЛС, then by name and birth date, then by one typo in the name among people
born the same day — and each match that affects an active measure kept as an item's data.

A СНИЛС match stands only when the record's surname (up to a typo) or birth date agrees with the
person's (`matching.corroborates`); otherwise the row is «совпал только СНИЛС» — an item that
needs confirmation — or, when its name and birth date are another recipient's, an ambiguous row
between the two. The row
rules (fields, column check, a row's parts and its invalid reason) are `reconciliation.matching`'s,
which the set-based way (`reconciliation/fastpath.py`) shares.
"""

from __future__ import annotations

import datetime
import sys
from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from cases.models import Applicant, Entitlement
from reconciliation.matching import (
    FIELDS,
    FUZZY_MAX_DISTANCE,
    check_columns,
    corroborates,
    parse_row,
)
from reconciliation.models import ExtractProfile, Selection
from reconciliation.readers import column_map

PROGRESS_EVERY = 10000
# `snils_only`: rows whose СНИЛС alone matched (neither surname nor birth date agrees), one
# person: not in `matched_snils`. Every row counts in exactly one of the counters after the first
# two, so they add up to `rows_total`.
COUNTER_KEYS = ["rows_total", "rows_invalid", "matched_snils", "matched_name_dob", "probable", "snils_only", "ambiguous", "unmatched", "selections"]  # fmt: skip
MATCH_RANK = {Selection.Match.SNILS: 0, Selection.Match.NAME_DOB: 1, Selection.Match.PROBABLE: 2,
              Selection.Match.SNILS_ONLY: 3}  # fmt: skip
# the matches a specialist confirms one by one (never worked out in bulk)
UNCONFIRMED = {Selection.Match.PROBABLE, Selection.Match.SNILS_ONLY}


@dataclass
class Index:
    """Our recipients in memory, kept lean for a million people: СНИЛС -> (id, birth date,
    folded surname — interned, surnames repeat), "name|date" -> id (or ids for namesakes),
    birth date -> [(id, name)] for the fuzzy step."""

    by_snils: dict[str, tuple[int, datetime.date, str]] = field(default_factory=dict)
    by_name_dob: dict[str, int | list[int]] = field(default_factory=dict)
    by_dob: dict[datetime.date, list[tuple[int, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def name_dob(self, name_key: str, birth_date: datetime.date) -> list[int]:
        found = self.by_name_dob.get(f"{name_key}|{birth_date.isoformat()}")
        if found is None:
            return []
        return found if isinstance(found, list) else [found]


def build_index(office=None) -> Index:
    index = Index()
    applicants = Applicant.objects.filter(is_anonymised=False)
    if office is not None:
        applicants = applicants.filter(office=office)
    rows = applicants.values_list("id", "snils", "name_key", "birth_date", "last_name_key")
    by_name_dob = index.by_name_dob
    for pk, snils, name_key, birth_date, surname in rows.iterator(chunk_size=20000):
        if snils:
            index.by_snils[snils] = (pk, birth_date, sys.intern(surname))
        key = f"{name_key}|{birth_date.isoformat()}"
        present = by_name_dob.get(key)
        if present is None:
            by_name_dob[key] = pk
        elif isinstance(present, list):
            present.append(pk)
        else:
            by_name_dob[key] = [present, pk]
        index.by_dob[birth_date].append((pk, name_key))
    return index


def offices_of(applicant_ids: list[int]) -> dict[int, int]:
    result = {}
    for start in range(0, len(applicant_ids), 5000):
        chunk = applicant_ids[start : start + 5000]
        result.update(Applicant.objects.filter(pk__in=chunk).values_list("id", "office_id"))
    return result


def active_measures(profile: ExtractProfile, applicant_ids=None) -> dict[int, list[str]]:
    """applicant -> codes of their active measures that this kind of extract affects."""
    qs = Entitlement.objects.filter(status=Entitlement.Status.ACTIVE)
    if "*" not in profile.services:
        qs = qs.filter(service__code__in=profile.services)
    result: dict[int, list[str]] = defaultdict(list)
    for applicant_id, code in qs.values_list("applicant_id", "service__code").iterator(
        chunk_size=20000
    ):
        if code not in result[applicant_id]:
            result[applicant_id].append(code)
    return result


@dataclass
class Outcome:
    counts: dict = field(default_factory=lambda: dict.fromkeys(COUNTER_KEYS, 0))
    items: dict[int, dict] = field(default_factory=dict)  # applicant -> item data
    invalid: list[tuple[int, str, dict]] = field(default_factory=list)
    ambiguous: list[tuple[int, str, dict, list[int]]] = field(default_factory=list)


def match_rows(
    rows, profile: ExtractProfile, index: Index, measures: dict[int, list[str]], *, progress=None
) -> Outcome:
    outcome = Outcome()
    counts = outcome.counts
    mapping = None
    date_format = profile.date_format
    for number, row in rows:
        if mapping is None:
            mapping = column_map(list(row), profile.columns, FIELDS)
            check_columns(mapping, list(row))
        counts["rows_total"] += 1
        if progress and counts["rows_total"] % PROGRESS_EVERY == 0:
            progress(counts["rows_total"])
        parsed = parse_row({key: row.get(column, "") for key, column in mapping.items()}, number, date_format)  # fmt: skip
        if parsed["reason"]:
            counts["rows_invalid"] += 1
            outcome.invalid.append((number, parsed["reason"], {k: str(v) for k, v in row.items()}))
            continue
        digits, snils_ok, name_key = parsed["digits"], parsed["snils_ok"], parsed["name_key"]
        birth, event, evidence = parsed["birth"], parsed["event"], parsed["evidence"]
        found: list[int] = []
        step = ""
        if snils_ok:
            person = index.by_snils.get(digits)
            if person is not None:
                pk, born, surname = person
                found, step = [pk], Selection.Match.SNILS
                if not corroborates(parsed["surname_key"], birth, surname, born):
                    step = Selection.Match.SNILS_ONLY
                    # the record's name and birth date are another recipient's: which of the two?
                    if name_key and birth:
                        found = sorted({pk, *index.name_dob(name_key, birth)})
        if not found and name_key and birth:
            found = index.name_dob(name_key, birth)
            step = Selection.Match.NAME_DOB
        if not found and name_key and birth:
            found = [
                pk for pk, candidate in index.by_dob.get(birth, ())
                if Levenshtein.distance(name_key, candidate, score_cutoff=FUZZY_MAX_DISTANCE) <= FUZZY_MAX_DISTANCE
            ]  # fmt: skip
            step = Selection.Match.PROBABLE
        if not found:
            counts["unmatched"] += 1
            continue
        if len(found) > 1:
            counts["ambiguous"] += 1
            outcome.ambiguous.append((number, step, evidence, sorted(found)))  # as SQL orders them
            continue
        counts[
            {"snils": "matched_snils", "name_dob": "matched_name_dob", "probable": "probable",
             "snils_only": "snils_only"}[step]
        ] += 1  # fmt: skip
        applicant_id = found[0]
        affected = measures.get(applicant_id)
        if not affected:
            continue
        item = outcome.items.get(applicant_id)
        evidence["step"] = step
        if item is None:
            outcome.items[applicant_id] = {
                "match": step,
                "evidence": [evidence],
                "event_date": event,
                "services": list(affected),
            }
        else:  # repeated rows for one person make one item
            item["evidence"].append(evidence)
            if MATCH_RANK[step] < MATCH_RANK[item["match"]]:
                item["match"] = step
            if event and (item["event_date"] is None or event < item["event_date"]):
                item["event_date"] = event
    return outcome
