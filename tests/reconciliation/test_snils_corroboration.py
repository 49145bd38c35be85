"""A СНИЛС match must be corroborated (issue 22, item 5): it stands when the record's surname (up
to a typo) or birth date is the person's; a record with only the СНИЛС agreeing is flagged
«совпал только СНИЛС — проверить» with both data sets side by side, never worked out in bulk,
and counted apart; one whose name and birth date are another recipient's is ambiguous between
the two. Both ways of a run (Python, and set-based on PostgreSQL) give the same."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from cases.models import Entitlement
from reconciliation import fastpath, services
from reconciliation.matching import corroborates
from reconciliation.models import AmbiguousRow, ExtractProfile, Selection
from tests.factories import ApplicantFactory, EntitlementFactory
from tests.reconciliation.files import HEADER, last_json, run_outcome, write_csv

pytestmark = pytest.mark.django_db
D = datetime.date

# A Pension Fund deaths extract: each row carries a recipient's СНИЛС
ROWS = [
    ["145-678-901 05", "Орлов", "Николай", "Ильич", "01.01.1950", "01.11.2026"],  # right person
    ["156-789-012 11", "Сергееев", "Пётр", "Алексеевич", "06.05.1960", "02.11.2026"],  # a typo in the surname (and the day)
    ["167-890-123 07", "Иванова", "Ольга", "Николаевна", "10.10.1970", "03.11.2026"],  # her surname before marriage
    ["178-901-234 94", "Кузнецов", "Игорь", "Петрович", "02.02.1961", "04.11.2026"],  # a wholly different person
    ["189-012-345 70", "Белов", "Андрей", "Сергеевич", "07.07.1957", "05.11.2026"],  # another recipient's data
    ["190-123-456 36", "", "", "", "", "06.11.2026"],  # the СНИЛС alone: nothing disagrees
]  # fmt: skip

EXPECTED_COUNTS = {
    "rows_total": 6, "rows_invalid": 0, "matched_snils": 4, "matched_name_dob": 0, "probable": 0,
    "snils_only": 1, "ambiguous": 1, "unmatched": 0, "selections": 5,
}  # fmt: skip

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the set-based way runs on PostgreSQL"
)
WAYS = ["python", pytest.param("sql", marks=on_postgresql)]


@pytest.fixture
def people(office, catalogue, specialist):
    def person(key, snils, last, first, middle, born, sex="M"):
        applicant = ApplicantFactory(office=office, snils=snils, last_name=last, first_name=first,
                                     middle_name=middle, sex=sex, birth_date=born)  # fmt: skip
        EntitlementFactory(applicant=applicant, service="asp", actor=specialist)
        return key, applicant

    return dict(
        [
            person("orlov", "14567890105", "Орлов", "Николай", "Ильич", D(1950, 1, 1)),
            person("sergeev", "15678901211", "Сергеев", "Пётр", "Алексеевич", D(1960, 5, 5)),
            person("smirnova", "16789012307", "Смирнова", "Ольга", "Николаевна", D(1970, 10, 10), "F"),
            person("pavlova", "17890123494", "Павлова", "Светлана", "Фёдоровна", D(1954, 3, 21), "F"),
            person("zaitseva", "18901234570", "Зайцева", "Анна", "Игоревна", D(1965, 12, 12), "F"),
            person("belov", "", "Белов", "Андрей", "Сергеевич", D(1957, 7, 7)),
            person("titov", "19012345636", "Титов", "Семён", "Ильич", D(1953, 3, 3)),
        ]
    )  # fmt: skip


def run_deaths(tmp_path, settings, way: str, rows=ROWS, name="deaths.csv"):
    settings.RECONCILE_SQL = way == "sql"
    path = write_csv(tmp_path / name, HEADER, rows)
    profile = ExtractProfile.objects.get(name="pfr-deaths")
    run = services.create_run(path, profile=profile, force=True)
    assert fastpath.usable(run) is (way == "sql")
    run = services.execute_run(run.pk)
    assert run.status == "done", run.error
    return run


def test_the_rule_itself():
    born = D(1954, 3, 21)
    assert corroborates("павлова", born, "павлова", born)
    assert corroborates("павловаа", D(1961, 2, 2), "павлова", born)  # a typo in the surname
    assert corroborates("иванова", born, "смирнова", born)  # a new surname: the birth date agrees
    assert corroborates("", None, "павлова", born)  # the СНИЛС alone: nothing disagrees
    assert not corroborates("кузнецов", D(1961, 2, 2), "павлова", born)
    assert not corroborates("кузнецов", None, "павлова", born)  # a surname and nothing else
    assert not corroborates("", D(1961, 2, 2), "павлова", born)  # a birth date and nothing else
    assert not corroborates("павлов" + "а" * 300, None, "павлова", born)  # far too long


@pytest.mark.parametrize("way", WAYS)
def test_a_snils_match_stands_only_when_the_surname_or_the_birth_date_agrees(
    people, tmp_path, settings, way
):
    run = run_deaths(tmp_path, settings, way)
    assert run.counts == EXPECTED_COUNTS
    counts = run.counts
    assert counts["rows_total"] == counts["rows_invalid"] + sum(
        counts[key]
        for key in ("matched_snils", "matched_name_dob", "probable", "snils_only", "ambiguous", "unmatched")
    )  # fmt: skip
    items = {item.applicant_id: item for item in Selection.objects.filter(run=run)}
    for key in ("orlov", "sergeev", "smirnova", "titov"):  # confirmed: worked out as usual
        item = items[people[key].pk]
        assert (item.match, item.needs_confirmation) == ("snils", False), key
    flagged = items[people["pavlova"].pk]
    assert (flagged.match, flagged.needs_confirmation) == ("snils_only", True)
    assert flagged.get_match_display() == "совпал только СНИЛС — проверить"
    [evidence] = flagged.evidence
    assert (evidence["step"], evidence["name"], evidence["birth_date"]) == (
        "snils_only", "Кузнецов Игорь Петрович", "1961-02-02"
    )  # fmt: skip
    [side] = flagged.snils_only_rows
    assert (side["person_name"], side["person_birth_date"]) == ("Павлова Светлана Фёдоровна", "1954-03-21")  # fmt: skip
    assert side["name_differs"] and side["birth_differs"]
    # the row with Зайцева's СНИЛС and Белов's name and birth date: which of the two?
    ambiguous = AmbiguousRow.objects.get(run=run)
    assert ambiguous.step == "snils_only" and ambiguous.row_number == 6
    assert set(ambiguous.candidates.all()) == {people["zaitseva"], people["belov"]}
    assert people["zaitseva"].pk not in items and people["belov"].pk not in items


@on_postgresql
def test_both_ways_give_the_same_for_corroboration(people, tmp_path, settings):
    rows = [
        *ROWS,
        # Павлова's СНИЛС again, the surname with a no-break space: Python reads the record
        ["178-901-234 94", "Павлова\u00a0", "Светлана", "", "01.01.1900", ""],
        # Орлов's number with no-break spaces (read by Python) and a stranger's data
        ["145\u00a0678\u00a0901 05", "Кузнецов", "Игорь", "", "02.02.1961", ""],
        # Титов's number, Белов's data: ambiguous, found straight from the file
        ["190-123-456 36", "Белов", "Андрей", "Сергеевич", "07.07.1957", ""],
        # Зайцева's number, a surname and nothing to back it
        ["189-012-345 70", "Кошкина", "", "", "", ""],
    ]
    results = {}
    for way in ("python", "sql"):
        run = run_deaths(tmp_path, settings, way, rows)
        results[way] = run_outcome(run)
        Selection.history.all().delete()
        AmbiguousRow.objects.all().delete()
        Selection.objects.all().delete()
    assert results["sql"] == results["python"]
    counts = results["sql"]["counts"]
    assert (counts["matched_snils"], counts["snils_only"], counts["ambiguous"]) == (5, 3, 2)
    items = results["sql"]["items"]
    # Павлова: one row agrees by the surname, so her item stands; Орлов's stays confirmed too
    assert items[people["pavlova"].pk][:2] == ("snils", False)
    assert [e["step"] for e in items[people["orlov"].pk][5]] == ["snils", "snils_only"]
    assert items[people["zaitseva"].pk][:2] == ("snils_only", True)


@pytest.mark.parametrize("way", WAYS)
def test_bulk_work_out_skips_the_flagged_item_and_says_so(
    people, tmp_path, settings, client, chief, way
):
    run_deaths(tmp_path, settings, way)
    flagged = Selection.objects.get(applicant=people["pavlova"])
    result = services.work_out_many(Selection.objects.open(), "no_action", actor=chief)
    assert result == services.BulkWorkOut(done=4, skipped_probable=0, skipped_snils_only=1)
    assert list(Selection.objects.open()) == [flagged]
    assert Entitlement.objects.get(applicant=people["pavlova"]).status == "active"
    # and in the browser: the page names what it skipped
    client.force_login(chief)
    html = client.post(
        reverse("reconciliation:bulk"), {"items": [flagged.pk], "outcome": "stopped"}, follow=True
    ).content.decode()
    assert (
        "Ничего не отработано. Пропущено 1: совпал только СНИЛС — сверьте ФИО и дату рождения "
        "на странице каждой селекции." in html
    )
    flagged.refresh_from_db()
    assert flagged.status == "open"


def test_the_item_page_and_the_worklist_show_both_data_sets(
    people, tmp_path, settings, client, chief
):
    run = run_deaths(tmp_path, settings, "python")
    flagged = Selection.objects.get(applicant=people["pavlova"])
    client.force_login(chief)
    html = client.get(reverse("reconciliation:item", args=[flagged.pk])).content.decode()
    assert "Совпал только СНИЛС — проверить: ни фамилия, ни дата рождения" in html
    table = html.split('id="snils-only"')[1].split("</table>")[0]
    for text in ("Кузнецов Игорь Петрович", "02.02.1961", "Павлова Светлана Фёдоровна", "21.03.1954"):  # fmt: skip
        assert text in table
    assert table.count('class="row-warn"') == 2  # the name and the birth date differ
    confirmed = Selection.objects.get(applicant=people["orlov"])
    html = client.get(reverse("reconciliation:item", args=[confirmed.pk])).content.decode()
    assert 'id="snils-only"' not in html and "Совпал только СНИЛС" not in html
    html = client.get(reverse("reconciliation:worklist"), {"whose": "all"}).content.decode()
    row = html.split("Павлова Светлана Фёдоровна")[1].split("</tr>")[0]
    assert "совпал только СНИЛС — проверить" in row
    assert "в выгрузке: Кузнецов Игорь Петрович, 02.02.1961" in row
    html = client.get(reverse("reconciliation:run", args=[run.pk])).content.decode()
    assert "<tr><td>Совпал только СНИЛС (проверить)</td><td>1</td></tr>" in html
    html = client.get(reverse("reconciliation:ambiguous")).content.decode()
    assert "СНИЛС в строке — одного получателя, а ФИО и дата рождения — другого." in html


def test_the_cli_summary_counts_the_rows_apart(people, tmp_path, capsys):
    path = write_csv(tmp_path / "d.csv", HEADER, ROWS)
    call_command("reconcile", str(path), "--source", "pfr", "--kind", "deaths")
    summary = last_json(capsys)
    assert summary == EXPECTED_COUNTS and list(summary) == services.COUNTER_KEYS
    call_command("reconcile", str(path), "--source", "pfr", "--kind", "deaths", "--dry-run")
    assert last_json(capsys) == EXPECTED_COUNTS


@pytest.mark.parametrize("chosen,match", [("belov", "name_dob"), ("zaitseva", "snils")])
def test_the_ambiguous_row_resolved_makes_a_confirmed_item(people, tmp_path, settings, chief, chosen, match):  # fmt: skip
    run_deaths(tmp_path, settings, "python")
    row = AmbiguousRow.objects.get()
    item = services.resolve_ambiguous(row, people[chosen], actor=chief)
    assert (item.applicant, item.match, item.needs_confirmation) == (people[chosen], match, False)


def test_api_run_counts_carry_the_counter(people, tmp_path, settings, chief):
    from tests.api.conftest import client_with, token_for

    run = run_deaths(tmp_path, settings, "python")
    response = client_with(token_for(chief)).get(f"/api/v1/reconciliation-runs/{run.pk}/")
    assert response.status_code == 200, response.content
    assert response.json()["counts"]["snils_only"] == 1


def test_a_run_from_before_the_counter_shows_naught(people, tmp_path, client, chief):
    """A run finished before the counter existed has none: its page shows 0."""
    path = write_csv(tmp_path / "d.csv", HEADER, ROWS[:1])
    call_command(
        "reconcile", str(path), "--source", "pfr", "--kind", "deaths", stdout=io.StringIO()
    )
    from reconciliation.models import ReconciliationRun

    run = ReconciliationRun.objects.get()
    counts = dict(run.counts)
    del counts["snils_only"]
    ReconciliationRun.objects.filter(pk=run.pk).update(counts=counts)
    client.force_login(chief)
    html = client.get(reverse("reconciliation:run", args=[run.pk])).content.decode()
    assert "<tr><td>Совпал только СНИЛС (проверить)</td><td>0</td></tr>" in html
