"""The encoding of an extract comes from its content (a BOM, UTF-8, the Cyrillic letters of the
cp1251 and cp866 readings); the profile's encoding only breaks a tie; the user may override it on
the preview. Both ways of running, the nightly scan and `manage.py reconcile` read alike."""

import datetime
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from reconciliation import fastpath, services
from reconciliation.models import ExtractProfile, InvalidRow, ReconciliationRun, Selection
from reconciliation.readers import detect_encoding, file_encoding, read_rows
from reconciliation.tasks import scan_inbox
from tests.reconciliation.files import (
    EMPLOYMENT_ROWS,
    HEADER,
    MIXED_ROWS,
    last_json,
    run_outcome,
    write_csv,
    write_dbf,
)

pytestmark = pytest.mark.django_db
D = datetime.date

EXPECTED = {
    "rows_total": 8, "rows_invalid": 1, "matched_snils": 2, "matched_name_dob": 2, "probable": 1,
    "snils_only": 0, "ambiguous": 1, "unmatched": 1, "selections": 3,
}  # fmt: skip

TEXTS = {
    "header and a row": "СНИЛС;Фамилия;Имя;Отчество;Дата рождения\n112-233-445 95;Алексеева;Анна;Петровна;01.05.1990\n",
    "capitals only": "SNILS;FAM\n1;СИДОРОВ\n",
    "small letters only": "snils;fam;im\n1;иванова;анна\n",
    "small letters of the upper half": "snils;fam;im;ot\n1;шишкина;ольга;юрьевна\n",
    "one short name": "a;b\n1;Ли\n",
    "a name with ё": "fam;im\nФёдорова;Светлана\n",
}  # fmt: skip


@pytest.mark.parametrize("encoding", ["cp1251", "cp866"])
@pytest.mark.parametrize("declared", ["", "cp1251", "cp866"])
@pytest.mark.parametrize("text", list(TEXTS))
def test_cp1251_and_cp866_are_told_apart_whatever_the_profile_says(text, declared, encoding):
    found = detect_encoding(TEXTS[text].encode(encoding), declared)
    assert found.name == encoding, found.how


@pytest.mark.parametrize("declared", ["", "cp1251", "cp866"])
def test_utf8_with_or_without_a_bom(declared):
    text = TEXTS["header and a row"]
    assert detect_encoding(text.encode("utf-8"), declared).name == "utf-8"
    found = detect_encoding(text.encode("utf-8-sig"), declared)
    assert found.name == "utf-8-sig" and found.label == "UTF-8 (с меткой BOM)"


def test_a_utf8_character_cut_at_the_end_of_a_sample_is_no_error():
    data = "фамилия;имя\nАлексеева;Анна\n".encode()
    assert detect_encoding(data[:-2], complete=False).name == "utf-8"
    # the same bytes as a whole file are not UTF-8: read as a code page
    assert detect_encoding(data[:-2], complete=True).name != "utf-8"


@pytest.mark.parametrize("declared", ["cp1251", "cp866"])
def test_the_profile_decides_what_the_content_cannot(declared):
    assert detect_encoding(b"snils;fam\n1;Smith\n", declared).name == declared  # no Cyrillic
    assert detect_encoding(b"snils;fam\n1;Smith\n", "").name == "utf-8"
    # one byte that is a common small letter either way: «в» in cp1251, «т» in cp866
    found = detect_encoding(b"a;b\n1;\xe2\n", declared)
    assert found.name == declared and found.how == "по тексту не различить: кодировка из профиля"


def test_cli_reads_a_cp1251_file_with_the_pension_fund_profile(recipients, tmp_path, capsys):
    """The Pension Fund profiles say cp866; their CSV files often come in cp1251."""
    assert ExtractProfile.objects.get(name="pfr-employment").encoding == "cp866"
    path = write_csv(tmp_path / "pfr.csv", HEADER, EMPLOYMENT_ROWS, encoding="cp1251")
    call_command("reconcile", str(path), "--source", "pfr", "--kind", "employment")
    out = capsys.readouterr().out
    assert json.loads(out.strip().splitlines()[-1]) == EXPECTED
    assert "Кодировка файла: Windows-1251 (cp1251)" in out
    run = ReconciliationRun.objects.get()
    assert run.encoding == "cp1251"
    assert (
        Selection.objects.get(applicant=recipients["b"]).evidence[0]["name"]
        == "БОРИСОВА Вера Ивановна"
    )


def test_cli_reads_a_cp866_file_with_an_employment_centre_profile(recipients, tmp_path, capsys):
    assert ExtractProfile.objects.get(name="czn-employment").encoding == "cp1251"
    path = write_csv(tmp_path / "czn.csv", HEADER, EMPLOYMENT_ROWS, encoding="cp866")
    call_command("reconcile", str(path), "--source", "czn", "--kind", "employment")
    assert last_json(capsys) == EXPECTED
    assert ReconciliationRun.objects.get().encoding == "cp866"


def test_cli_encoding_chosen_by_hand_is_what_the_run_reads(recipients, tmp_path, capsys):
    path = write_csv(tmp_path / "pfr.csv", HEADER, EMPLOYMENT_ROWS, encoding="cp1251")
    with pytest.raises(CommandError, match="Найдены столбцы: ╤═╚╦╤, ╘рьшыш"):  # the issue's symptom
        call_command(
            "reconcile", str(path), "--source", "pfr", "--kind", "employment", "--encoding", "cp866"
        )
    run = ReconciliationRun.objects.get()
    assert run.encoding == "cp866" and run.status == "failed"
    call_command(
        "reconcile", str(path), "--source", "pfr", "--kind", "employment", "--dry-run",
        "--encoding", "cp1251",
    )  # fmt: skip
    assert last_json(capsys)["selections"] == 3
    assert not Selection.objects.exists()


def test_the_nightly_scan_detects_the_encoding_too(recipients, settings):
    folder = settings.RECONCILIATION_INBOX / "pfr" / "employment"
    folder.mkdir(parents=True)
    write_csv(folder / "pfr-2026-11-24.csv", HEADER, EMPLOYMENT_ROWS, encoding="cp1251")
    scan_inbox()
    run = ReconciliationRun.objects.get()
    assert run.status == "done" and run.encoding == "cp1251" and run.counts == EXPECTED
    assert (settings.RECONCILIATION_INBOX / "processed" / "pfr" / "employment" / "pfr-2026-11-24.csv").exists()  # fmt: skip


DBF_FIELDS = [("FAM", "C", 30), ("IM", "C", 30), ("OT", "C", 30), ("DR", "D", 8)]
DBF_ROWS = [{"FAM": "Борисова", "IM": "Вера", "OT": "Ивановна", "DR": D(1992, 7, 12)}]


@pytest.mark.parametrize("encoding", ["cp1251", "cp866"])
def test_dbf_without_a_language_driver_byte_is_read_by_its_content(
    recipients, tmp_path, capsys, encoding
):
    """The profile says cp866; a DBF whose header names no code page (0x00) is read by its
    letters; a header that names one is believed."""
    path = write_dbf(tmp_path / "d.dbf", DBF_FIELDS, DBF_ROWS, encoding=encoding, driver=0x00)
    found = file_encoding(path, declared="cp866")
    assert found.name == encoding and "байт языкового драйвера DBF не задан (0x00)" in found.how
    call_command("reconcile", str(path), "--source", "pfr", "--kind", "deaths")
    assert last_json(capsys)["matched_name_dob"] == 1
    labelled = write_dbf(tmp_path / "l.dbf", DBF_FIELDS, DBF_ROWS, encoding="cp1251", driver=0xC9)
    assert file_encoding(labelled, declared="cp866").name == "cp1251"
    plain = write_dbf(tmp_path / "p.dbf", DBF_FIELDS, [{"FAM": "Smith", "IM": "John"}], encoding="ascii", driver=0x00)  # fmt: skip
    assert file_encoding(plain, declared="cp866").name == "cp866"


def test_a_file_not_in_the_chosen_encoding_says_so(tmp_path):
    path = write_csv(tmp_path / "x.csv", HEADER, EMPLOYMENT_ROWS, encoding="cp1251")
    with pytest.raises(services.ExtractError, match="не в кодировке utf-8"):
        list(read_rows(path, override="utf-8"))


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the set-based path runs on PostgreSQL"
)
@pytest.mark.parametrize("encoding", ["cp1251", "cp866"])
def test_set_based_path_reads_the_detected_encoding_as_the_python_path(
    recipients, tmp_path, settings, monkeypatch, encoding
):
    """A file in the other code page than its profile's: COPY's ENCODING is the detected one."""
    finished = []
    original = fastpath.execute
    monkeypatch.setattr(fastpath, "execute", lambda *a, **k: finished.append(original(*a, **k)) or finished[-1])  # fmt: skip
    path = write_csv(tmp_path / "mixed.csv", HEADER, MIXED_ROWS, encoding=encoding)
    profile = ExtractProfile.objects.get(name="pfr-employment" if encoding == "cp1251" else "czn-employment")  # fmt: skip
    assert profile.encoding != encoding
    results = {}
    for way in ("python", "sql"):
        settings.RECONCILE_SQL = way == "sql"
        run = services.execute_run(services.create_run(path, profile=profile, force=True).pk)
        assert run.status == "done" and run.encoding == encoding, run.error
        results[way] = run_outcome(run)
        Selection.history.all().delete()
        Selection.objects.all().delete()
        InvalidRow.objects.all().delete()
    assert len(finished) == 1  # the SQL way did run set-based
    assert results["sql"] == results["python"]
    assert results["sql"]["counts"]["matched_name_dob"] >= 2
    names = {e["name"] for item in results["sql"]["items"].values() for e in item[5]}
    assert "БОРИСОВА Вера Ивановна" in names


def test_preview_names_the_encoding_and_the_user_may_choose_another(
    client, specialist, recipients, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(specialist)
    profile = ExtractProfile.objects.get(name="pfr-employment")
    data = write_csv(tmp_path / "up.csv", HEADER, EMPLOYMENT_ROWS, encoding="cp1251").read_bytes()
    html = client.post(reverse("reconciliation:runs"),
                       {"profile": profile.pk, "file": SimpleUploadedFile("pfr.csv", data)}).content.decode()  # fmt: skip
    assert "Кодировка файла: <strong>Windows-1251 (cp1251)</strong> — по буквам текста (в профиле указана cp866)" in html  # fmt: skip
    assert "Алексеева" in html and '<option value="cp1251" selected>' in html
    staged = html.split('name="staged" value="')[1].split('"')[0]
    form = {"staged": staged, "profile": profile.pk, "file_name": "pfr.csv"}
    # another encoding, to look again: the letters come out wrong and the page says which
    html = client.post(reverse("reconciliation:runs"), {**form, "encoding": "cp866", "refresh": "1"}).content.decode()  # fmt: skip
    assert "Алексеева" not in html and "╤═╚╦╤" in html and "выбрана вручную" in html
    assert '<option value="cp866" selected>' in html
    # UTF-8 cannot read it at all: the reason, no start button, the file kept for another choice
    html = client.post(reverse("reconciliation:runs"), {**form, "encoding": "utf-8", "refresh": "1"}).content.decode()  # fmt: skip
    assert "не в кодировке utf-8" in html and "Запустить сверку" not in html
    # an encoding that is not offered changes nothing
    html = client.post(reverse("reconciliation:runs"), {**form, "encoding": "koi8-r", "start": "1"}, follow=True).content.decode()  # fmt: skip
    assert "Выберите кодировку из списка." in html and not ReconciliationRun.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reconciliation:runs"), {**form, "encoding": "cp866", "start": "1"})
    run = ReconciliationRun.objects.get()  # read as chosen: the columns are not found
    assert run.encoding == "cp866" and run.status == "failed" and "╤═╚╦╤" in run.error
    assert not Selection.objects.exists() and not InvalidRow.objects.exists()


def test_start_takes_only_a_file_the_preview_staged(client, specialist, recipients, tmp_path):
    """A run's stored copy is not a staged upload: it is neither run again nor deleted."""
    path = write_csv(tmp_path / "w.csv", HEADER, EMPLOYMENT_ROWS)
    call_command("reconcile", str(path), "--source", "czn", "--kind", "employment", stdout=io.StringIO())  # fmt: skip
    stored = services.storage_dir() / f"{ReconciliationRun.objects.get().sha256}.csv"
    assert stored.exists()
    client.force_login(specialist)
    profile = ExtractProfile.objects.get(name="czn-employment")
    for name in (stored.name, "../w.csv", "upload-1.csv"):
        response = client.post(
            reverse("reconciliation:runs"),
            {"staged": name, "profile": profile.pk, "start": "1", "force": "1"},
            follow=True,
        )
        assert "Файл для запуска не найден: загрузите его ещё раз." in response.content.decode()
    assert stored.exists() and ReconciliationRun.objects.count() == 1


def test_headers_written_together_or_with_underscores_are_recognised():
    from reconciliation.readers import column_map

    wanted = ["snils", "last_name", "first_name", "middle_name", "birth_date", "event_date"]
    found = column_map(
        ["СНИЛС", "Фамилия", "Имя", "Отчество", "ДатаРождения", "ДатаСмерти"], None, wanted
    )
    assert found == {
        "snils": "СНИЛС", "last_name": "Фамилия", "first_name": "Имя", "middle_name": "Отчество",
        "birth_date": "ДатаРождения", "event_date": "ДатаСмерти",
    }  # fmt: skip
    found = column_map(
        ["snils", "fam", "im", "ot", "Дата_рождения", "дата приёма на работу"], None, wanted
    )
    assert (found["birth_date"], found["event_date"]) == ("Дата_рождения", "дата приёма на работу")
