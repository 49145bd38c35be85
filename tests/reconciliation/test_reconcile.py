import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from cases.models import Entitlement
from onewindow import jobs
from reconciliation import copyable, fastpath, services
from reconciliation.models import (
    AmbiguousRow,
    ExtractProfile,
    InvalidRow,
    ReconciliationRun,
    Selection,
)
from reconciliation.services import runs
from tests.factories import ApplicantFactory, EntitlementFactory
from tests.reconciliation.files import (
    EMPLOYMENT_ROWS,
    HEADER,
    MIXED_ROWS,
    last_json,
    run_outcome,
    write_csv,
    write_dbf,
    write_xlsx,
    write_xml,
)

pytestmark = pytest.mark.django_db
D = datetime.date

set_based_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the set-based path runs on PostgreSQL"
)


def test_cli_csv_cp1251_semicolon_counts_and_selections(recipients, tmp_path, capsys):
    path = write_csv(tmp_path / "czn_employment.csv", HEADER, EMPLOYMENT_ROWS)
    call_command("reconcile", str(path), "--source", "czn", "--kind", "employment")
    summary = last_json(capsys)
    assert summary == {
        "rows_total": 8, "rows_invalid": 1, "matched_snils": 2, "matched_name_dob": 2, "probable": 1,
        "snils_only": 0, "ambiguous": 1, "unmatched": 1, "selections": 3,
    }  # fmt: skip
    assert list(summary) == services.COUNTER_KEYS
    items = {s.applicant_id: s for s in Selection.objects.all()}
    a, b, f = recipients["a"], recipients["b"], recipients["f"]
    assert set(items) == {a.pk, b.pk, f.pk}
    assert items[a.pk].match == "snils" and not items[a.pk].needs_confirmation
    assert (
        items[b.pk].match == "name_dob" and len(items[b.pk].evidence) == 2
    )  # repeated rows merged
    assert items[f.pk].match == "probable" and items[f.pk].needs_confirmation
    assert (
        items[a.pk].services == ["unemployed-mothers"] and items[a.pk].suggested_action == "review"
    )
    assert items[a.pk].event_date == D(2026, 11, 1)
    assert items[a.pk].assigned_to is not None
    assert Selection.history.filter(history_type="+").count() == 3  # created with history
    invalid = InvalidRow.objects.get()
    assert (
        invalid.row_number == 8
        and "поле «Дата рождения»: неверная дата «31.02.1950»" in invalid.reason
    )
    ambiguous = AmbiguousRow.objects.get()
    assert set(ambiguous.candidates.all()) == {recipients["d1"], recipients["d2"]}


def test_same_file_is_refused_naming_the_earlier_run(recipients, tmp_path, capsys):
    path = write_csv(tmp_path / "x.csv", HEADER, EMPLOYMENT_ROWS)
    call_command("reconcile", str(path), "--source", "czn", "--kind", "employment")
    run = ReconciliationRun.objects.get()
    with pytest.raises(CommandError, match=f"Этот файл уже обработан: сверка № {run.pk}"):
        call_command("reconcile", str(path), "--source", "czn", "--kind", "employment")
    call_command("reconcile", str(path), "--source", "czn", "--kind", "employment", "--force")
    assert last_json(capsys)["selections"] == 3
    assert Selection.objects.count() == 3  # evidence added, no duplicate items
    assert len(Selection.objects.get(applicant=recipients["a"]).evidence) == 2


def test_dbf_cp866_deaths_and_the_measure_stopped(recipients, tmp_path, capsys, specialist):
    fields = [
        ("NPERS", "C", 14),
        ("FAM", "C", 30),
        ("IM", "C", 30),
        ("OT", "C", 30),
        ("DR", "D", 8),
        ("DS", "D", 8),
    ]
    rows = [
        {"NPERS": "123-456-789 64", "FAM": "Сидоров", "IM": "Олег", "OT": "", "DR": D(1950, 1, 2), "DS": D(2026, 10, 30)},
        {"NPERS": "", "FAM": "Алексеева", "IM": "Анна", "OT": "Петровна", "DR": D(1990, 5, 1), "DS": D(2026, 10, 31)},
    ]  # fmt: skip
    path = write_dbf(tmp_path / "deaths.dbf", fields, rows, encoding="cp866", driver=0x26)
    call_command("reconcile", str(path), "--source", "pfr", "--kind", "deaths")
    summary = last_json(capsys)
    assert (summary["matched_snils"], summary["matched_name_dob"], summary["selections"]) == (
        1,
        1,
        2,
    )
    item = Selection.objects.get(applicant=recipients["c"])
    assert item.suggested_action == "stop" and item.services == ["food-subsidy"]
    services.work_out(item, "stopped", actor=specialist, note="свидетельство о смерти")
    measure = Entitlement.objects.get(applicant=recipients["c"])
    assert measure.status == "stopped" and measure.end_date == D(2026, 10, 30)
    # a confirmed death is recorded on the person with its source (the run and the row)
    assert "Смерть получателя 30.10.2026 (сверка № " in measure.status_reason
    assert "строка 1 (ПФР (СФР), смерть получателей, файл deaths.dbf)" in measure.status_reason
    assert measure.history.first().history_user == specialist
    with pytest.raises(services.SelectionError, match="Селекция уже отработана"):
        services.work_out(item, "no_action", actor=specialist)


def test_dbf_cp1251_and_unknown_driver_byte_uses_the_profile(recipients, tmp_path, capsys):
    fields = [("FAM", "C", 30), ("IM", "C", 30), ("OT", "C", 30), ("DR", "D", 8)]
    rows = [{"FAM": "Борисова", "IM": "Вера", "OT": "Ивановна", "DR": D(1992, 7, 12)}]
    write_dbf(tmp_path / "a.dbf", fields, rows, encoding="cp1251", driver=0xC9)
    call_command("reconcile", str(tmp_path / "a.dbf"), "--source", "pfr", "--kind", "deaths")
    assert last_json(capsys)["matched_name_dob"] == 1
    ExtractProfile.objects.filter(name="pfr-deaths").update(encoding="cp1251")
    write_dbf(tmp_path / "b.dbf", fields, rows, encoding="cp1251", driver=0x00)
    call_command(
        "reconcile", str(tmp_path / "b.dbf"), "--source", "pfr", "--kind", "deaths", "--force"
    )
    assert last_json(capsys)["matched_name_dob"] == 1


def test_xlsx_and_xml_readers(recipients, tmp_path, capsys):
    write_xlsx(tmp_path / "u.xlsx", ["snils", "last_name", "first_name", "birth_date"],
               [["11223344595", "Алексеева", "Анна", datetime.datetime(1990, 5, 1)]])  # fmt: skip
    call_command("reconcile", str(tmp_path / "u.xlsx"), "--source", "czn", "--kind", "unemployed")
    assert last_json(capsys)["matched_snils"] == 1
    write_xml(
        tmp_path / "u.xml",
        [{"FAM": "Борисова", "IM": "Вера", "OT": "Ивановна", "DR": "1992-07-12"}],
    )
    call_command("reconcile", str(tmp_path / "u.xml"), "--source", "czn", "--kind", "unemployed")
    summary = last_json(capsys)
    assert summary["matched_name_dob"] == 1 and summary["selections"] == 1


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("empty.csv", b"", "Файл пуст (0 байт)"),
        ("header.csv", "СНИЛС;Фамилия\n".encode("cp1251"), "В файле нет ни одной записи"),
        (
            "cols.csv",
            "Код;Город\n1;Волгоград\n".encode("cp1251"),
            "В файле нет нужных столбцов: «СНИЛС», «Фамилия», «Имя», «Дата рождения»",
        ),
        (
            "fake.xlsx",
            "СНИЛС;Фамилия\n1;2\n".encode("cp1251"),
            "Файл не является книгой XLSX (возможно, это переименованный CSV)",
        ),
        (
            "bad.dbf",
            b"not a dbf file at all, just text" * 3,
            "Файл не похож на DBF: неверный заголовок",
        ),
        (
            "xxe.xml",
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><extract><record><FAM>&x;</FAM></record></extract>',
            "XML отклонён: внешние сущности и DTD запрещены",
        ),
        ("bin.csv", b"\x00\x01\x02" * 100, "Файл не похож на CSV: в нём есть двоичные данные"),
        (
            "open-quote.csv",  # a quote opening a field, never closed: the rest is one field
            (
                'СНИЛС;Фамилия;Имя;Дата рождения\n;"Алексеева;Анна;01.05.1990\n'
                + ";Борисова;Вера;12.07.1992\n" * 6000
            ).encode("cp1251"),
            "Строка 2: поле длиннее 131 072 символов — вероятно, кавычка в начале поля не закрыта",
        ),
    ],
)
def test_bad_files_fail_the_run_with_the_reason(recipients, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError, match="не выполнена") as info:
        call_command("reconcile", str(path), "--source", "czn", "--kind", "employment")
    assert message in str(info.value)
    run = ReconciliationRun.objects.get()
    assert run.status == "failed" and message in run.error
    assert not Selection.objects.exists() and not InvalidRow.objects.exists()


@pytest.mark.parametrize("way", ["python", "sql"])
def test_killed_run_is_retried_without_duplicates_or_lost_rows(
    recipients, tmp_path, monkeypatch, settings, another_worker, way
):
    if way == "sql" and connection.vendor != "postgresql":
        pytest.skip("the set-based path runs on PostgreSQL")
    settings.RECONCILE_SQL = way == "sql"
    module, name = (runs, "_write") if way == "python" else (fastpath, "_write_items")
    path = write_csv(tmp_path / "k.csv", HEADER, EMPLOYMENT_ROWS)
    profile = ExtractProfile.objects.get(name="czn-employment")
    run = services.create_run(path, profile=profile)

    def killed(*args, **kwargs):
        raise SystemExit("worker killed")

    original = getattr(module, name)
    monkeypatch.setattr(module, name, killed)
    with pytest.raises(SystemExit):
        services.execute_run(run.pk)
    run.refresh_from_db()
    assert run.state == "running" and not Selection.objects.exists()
    assert not InvalidRow.objects.exists()
    # a redelivered message while a live worker holds the run does nothing
    monkeypatch.setattr(module, name, original)
    with another_worker(run.job_id):
        assert services.execute_run(run.pk).state == "running"
        assert jobs.recover_jobs() == []
    # the worker is gone: the run restarts from scratch
    run = services.execute_run(run.pk)
    assert run.status == "done" and run.counts["selections"] == 3 and run.counts["rows_total"] == 8
    assert run.attempts == 2 and run.interrupted_at is not None
    assert Selection.objects.count() == 3
    assert services.execute_run(run.pk).status == "done"  # and again: nothing more
    assert Selection.objects.count() == 3 and InvalidRow.objects.count() == 1


def test_dry_run_writes_nothing(recipients, tmp_path, capsys):
    path = write_csv(tmp_path / "d.csv", HEADER, EMPLOYMENT_ROWS)
    call_command("reconcile", str(path), "--source", "czn", "--kind", "employment", "--dry-run")
    assert last_json(capsys)["selections"] == 3
    assert not ReconciliationRun.objects.exists() and not Selection.objects.exists()


def test_bulk_work_out_is_all_or_nothing(recipients, tmp_path, specialist):
    path = write_csv(tmp_path / "e.csv", HEADER, EMPLOYMENT_ROWS)
    call_command("reconcile", str(path), "--source", "czn", "--kind", "employment")
    items = list(Selection.objects.all())
    services.work_out(items[0], "no_action", actor=specialist)
    with pytest.raises(services.SelectionError):
        services.work_out_many(Selection.objects.all(), "false_match", actor=specialist)
    assert Selection.objects.filter(status="open").count() == 2
    result = services.work_out_many(
        Selection.objects.filter(status="open"), "false_match", actor=specialist
    )
    # the probable match is never worked out in bulk
    assert result == services.BulkWorkOut(done=1, skipped_probable=1)
    assert list(Selection.objects.filter(status="open")) == list(
        Selection.objects.filter(needs_confirmation=True)
    )


@set_based_only
@pytest.mark.parametrize("fold", ["lower", "translate"])
def test_set_based_path_gives_exactly_what_the_python_path_gives(
    recipients, tmp_path, settings, monkeypatch, fold
):
    """The same mixed file through both paths: counts, items with their evidence, invalid rows
    with their reasons and data, ambiguous rows with their candidates. `translate` is the case
    folding used where the database's locale does not fold Cyrillic."""
    if fold == "translate":
        monkeypatch.setattr(
            fastpath,
            "_folder",
            lambda cursor: lambda x: f"translate({x}, '{fastpath.UPPER}', '{fastpath.LOWER}')",
        )
    # a recipient whose stored number has a wrong check number is never found by it
    EntitlementFactory(
        applicant=ApplicantFactory(
            office=recipients["a"].office, snils="11223344500", last_name="Ошибкина",
            first_name="Ольга", birth_date=datetime.date(1970, 1, 1),
        ),
        service="unemployed-mothers",
    )  # fmt: skip
    # a recipient whose СНИЛС a row carries with another person's name and birth date
    pavlova = EntitlementFactory(
        applicant=ApplicantFactory(
            office=recipients["a"].office, snils="17890123494", last_name="Павлова",
            first_name="Светлана", middle_name="Фёдоровна", birth_date=datetime.date(1954, 3, 21),
        ),
        service="unemployed-mothers",
    ).applicant  # fmt: skip
    finished = []
    original = fastpath.execute

    def spy(*args, **kwargs):
        result = original(*args, **kwargs)
        finished.append(result)
        return result

    monkeypatch.setattr(fastpath, "execute", spy)
    path = write_csv(tmp_path / "mixed.csv", HEADER, MIXED_ROWS)
    profile = ExtractProfile.objects.get(name="czn-employment")
    results = {}
    for way in ("python", "sql"):
        settings.RECONCILE_SQL = way == "sql"
        run = services.create_run(path, profile=profile, force=True)
        assert fastpath.usable(run) is (way == "sql")
        run = services.execute_run(run.pk)
        assert run.status == "done", run.error
        results[way] = run_outcome(run)
        Selection.history.all().delete()
        AmbiguousRow.objects.all().delete()
        Selection.objects.all().delete()
    assert len(finished) == 1  # the SQL way did run set-based, not fall back
    assert results["sql"] == results["python"]
    counts = results["sql"]["counts"]
    assert counts["rows_total"] == len(MIXED_ROWS) - 2 and counts["rows_invalid"] == 10
    assert (
        counts["matched_snils"]
        + counts["matched_name_dob"]
        + counts["probable"]
        + counts["snils_only"]
        + counts["ambiguous"]
        + counts["unmatched"]
        + counts["rows_invalid"]
        == counts["rows_total"]
    )
    a = recipients["a"].pk
    evidence = results["sql"]["items"][a][5]
    assert [e["row"] for e in evidence] == [2, 11, 12, 20, 22, 28, 33]
    assert evidence[3]["name"] == "Алексеева Анна" and evidence[3]["birth_date"] == ""
    # a СНИЛС without a surname or a birth date to back it: flagged, counted apart; a's item
    # stands by its other rows; c's number with b's name and birth date: ambiguous
    assert evidence[6]["step"] == "snils_only" and results["sql"]["items"][a][:2] == (
        "snils",
        False,
    )
    assert results["sql"]["items"][pavlova.pk][:2] == ("snils_only", True)
    assert counts["snils_only"] == 3 and recipients["c"].pk not in results["sql"]["items"]
    assert (30, "snils_only") in [row[:2] for row in results["sql"]["ambiguous"]]
    assert [row[3] for row in results["sql"]["ambiguous"] if row[0] == 30] == [
        sorted([recipients["b"].pk, recipients["c"].pk])
    ]
    invalid = {row: reason for row, reason, _ in results["sql"]["invalid"]}
    assert list(invalid)[-5:] == [23, 24, 25, 26, 27]
    assert invalid[18] == "поле «Дата события»: неверная дата «01.13.2026»"
    assert invalid[24] == "поле «Дата события»: неверная дата «31.02.2026»"
    assert invalid[26] == "поле «Дата события»: неверная дата «2026-02-30»"
    assert invalid[27] == "поле «Дата события»: неверная дата «29.02.2025»"


@set_based_only
def test_set_based_path_adds_evidence_to_an_open_item_with_history(recipients, tmp_path, settings):
    settings.RECONCILE_SQL = True
    profile = ExtractProfile.objects.get(name="czn-employment")
    first = services.execute_run(services.create_run(write_csv(tmp_path / "1.csv", HEADER, EMPLOYMENT_ROWS[3:4]), profile=profile).pk)  # fmt: skip
    item = Selection.objects.get()
    assert first.counts["probable"] == 1 and item.match == "probable" and item.needs_confirmation
    rows = [["", "Фёдорова", "Светлана", "Юрьевна", "08.08.1988", "12.11.2026"]]
    second = services.execute_run(services.create_run(write_csv(tmp_path / "2.csv", HEADER, rows), profile=profile).pk)  # fmt: skip
    item.refresh_from_db()
    assert Selection.objects.count() == 1 and second.counts["selections"] == 1
    assert item.match == "name_dob" and not item.needs_confirmation and item.run == second
    assert [e["run"] for e in item.evidence] == [first.pk, second.pk]
    assert list(item.history.values_list("history_type", flat=True)) == ["~", "+"]


@set_based_only
def test_a_file_copy_cannot_take_is_streamed_the_set_based_way(
    recipients, tmp_path, settings, monkeypatch, caplog
):
    """A row with a missing field: COPY refuses it, Python's reader reads the file into COPY."""
    caplog.set_level("INFO", logger="reconciliation")
    settings.RECONCILE_SQL = True
    path = tmp_path / "short.csv"
    path.write_bytes("СНИЛС;Фамилия;Имя;Отчество;Дата рождения;Дата события\r\n112-233-445 95;Алексеева\r\n".encode("cp1251"))  # fmt: skip
    profile = ExtractProfile.objects.get(name="czn-employment")
    run = services.execute_run(services.create_run(path, profile=profile).pk)
    assert (
        run.status == "done" and run.counts["matched_snils"] == 1 and run.counts["selections"] == 1
    )
    assert "COPY не читает файл сам" in caplog.text and "без SQL-ускорения" not in caplog.text


ODD_FILES = {
    # COPY would take a quote inside a field as the start of a quoted part: streamed
    "stray quotes": (HEADER, [["", "О\"Брайен", "Анна", "", "01.05.1990", ""],
                              ["", "Д\"Арк", "Жанна", "", "01.05.1990", ""], EMPLOYMENT_ROWS[0]], ""),
    # the profile's own date format: an ISO date is a wrong date there
    "profile date format": (HEADER, [EMPLOYMENT_ROWS[1], ["", "Борисова", "Вера", "Ивановна", "1992-07-12", ""]], "%d.%m.%Y"),
    # nothing in the six fields, a no-break space in another column: a blank record
    "blank but for a no-break space": ([*HEADER, "Примечание"], [[*EMPLOYMENT_ROWS[0], ""], ["", "", "", "", "", "", "\u00a0"],
                                                               ["", "", "", "", "", "", "см. дело"]], ""),
    # a name typed with Latin look-alikes (o, p, A, E) is the same person either way
    "latin look-alikes": (HEADER, [["", "Фёдopова", "Светлана", "Юрьевна", "08.08.1988", ""],
                                   ["", "AЛЕКСЕЕВА", "Анна", "", "01.05.1990", ""]], ""),
}  # fmt: skip


@set_based_only
@pytest.mark.parametrize("case", list(ODD_FILES))
def test_odd_files_give_the_same_either_way(recipients, tmp_path, settings, caplog, case):
    caplog.set_level("INFO", logger="reconciliation.services")
    header, rows, date_format = ODD_FILES[case]
    path = tmp_path / "odd.csv"  # written as is: a CSV writer would quote the quotes
    path.write_bytes("".join(";".join(r) + "\r\n" for r in [header, *rows]).encode("cp1251"))
    profile = ExtractProfile.objects.get(name="czn-employment")
    profile.date_format = date_format
    profile.save()
    results = {}
    for way in ("python", "sql"):
        settings.RECONCILE_SQL = way == "sql"
        run = services.execute_run(services.create_run(path, profile=profile, force=True).pk)
        assert run.status == "done", run.error
        results[way] = run_outcome(run)
        Selection.history.all().delete()
        AmbiguousRow.objects.all().delete()
        Selection.objects.all().delete()
    assert results["sql"] == results["python"]
    assert results["sql"]["counts"]["rows_total"] == {"stray quotes": 3, "profile date format": 2,
                                                      "blank but for a no-break space": 2, "latin look-alikes": 2}[case]  # fmt: skip
    # a quote inside an unquoted field is read differently by COPY: such a file is read by
    # Python's reader and streamed into COPY, never the Python way
    assert "без SQL-ускорения" not in caplog.text


@set_based_only
@pytest.mark.parametrize("quoting", ["all", "minimal"])
def test_a_quoted_csv_goes_the_set_based_way_and_reads_the_same(
    recipients, tmp_path, settings, caplog, quoting
):
    """As 1C or Excel write CSV: every field quoted, or only those that need it (a delimiter or a
    quote inside). COPY reads such a file as Python's reader does."""
    import csv

    caplog.set_level("INFO", logger="reconciliation.services")
    rows = [*EMPLOYMENT_ROWS, ["", 'О"Брайен', "Анна", "", "01.05.1990", ""],
            ["", "Иванова; Петрова", "Ольга", "", "02.02.1980", ""]]  # fmt: skip
    path = tmp_path / "quoted.csv"
    with path.open("w", encoding="cp1251", newline="") as handle:
        mode = csv.QUOTE_ALL if quoting == "all" else csv.QUOTE_MINIMAL
        csv.writer(handle, delimiter=";", quoting=mode).writerows([HEADER, *rows])
    assert '"О""Брайен"' in path.read_text("cp1251")
    profile = ExtractProfile.objects.get(name="czn-employment")
    results = {}
    for way in ("python", "sql"):
        settings.RECONCILE_SQL = way == "sql"
        caplog.clear()
        run = services.execute_run(services.create_run(path, profile=profile, force=True).pk)
        assert run.status == "done", run.error
        assert "без SQL-ускорения" not in caplog.text
        results[way] = run_outcome(run)
        Selection.history.all().delete()
        AmbiguousRow.objects.all().delete()
        Selection.objects.all().delete()
    assert results["sql"] == results["python"]
    assert results["sql"]["counts"]["rows_total"] == len(rows) - 1  # the blank record is skipped
    assert results["sql"]["counts"]["selections"] > 0


@pytest.mark.parametrize(
    ("text", "delimiter", "safe"),
    [
        ("a;b\r\n1;2\r\n", ";", True),
        ('"a";"b"\r\n"1";"x;y"\r\n', ";", True),
        ('\ufeff"a";"b"\r\n"О""Брайен";""\r\n', ";", True),  # a BOM, a doubled quote, an empty one
        ('a\tb\r\n"1\t2"\t3\r\n', "\t", True),
        ('a;b\r\nО"Брайен;2\r\n', ";", False),  # a quote inside an unquoted field
        ('a;b\r\nабв";2\r\n', ";", False),  # ... at its end
        ('a;b\r\n"абв"г;2\r\n', ";", False),  # text after the closing quote
        ('a;b\r\n"много\r\nстрок";2\r\n', ";", False),  # a quoted field across lines
        ("a;b\r\n\\.\r\n1;2\r\n", ";", False),  # COPY's end-of-data line
        ('a;b\r\n"a;b";"c"\r\n', ";", True),
        ('a;b\r\n"a";"b"c"\r\n', ";", False),
        ('a;b\r\n"a";b";"c"\r\n', ";", False),
        ('a;b\r\n";"a""\r\n', ";", False),  # a delimiter opening the first quoted field
        ('a;b\r\n";";a"a"\r\n', ";", False),
    ],
)
def test_which_csv_files_copy_reads_as_python_does(tmp_path, text, delimiter, safe):
    path = tmp_path / "f.csv"
    path.write_bytes(text.encode("utf-8"))
    assert copyable.safe_for_copy(path, delimiter) is safe
