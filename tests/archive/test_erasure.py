"""Executing a destruction act destroys the person everywhere (152-ФЗ, приказ РКН № 179): a file
with every kind of attached record, then every table of the database (and, on PostgreSQL,
`pg_dump`) is searched for the person's identifying values. Only the personal-data destruction
act may name them."""

import datetime
import re
import subprocess

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from archive.models import ArchivedFile, PersonalDataDestruction
from cases.models import (
    Applicant,
    Application,
    IncomingRequest,
    InteragencyRequest,
    OutgoingRequest,
)
from onewindow import erasure
from onewindow.models import AccessLog
from onewindow.numbering import next_number
from reconciliation.models import (
    Selection,
)
from tests.archive.rich_file import SNILS, execute_destruction, found_in, table_leaks
from tests.pdf_utils import pdf_text

pytestmark = pytest.mark.django_db
D = datetime.date


def test_executing_an_act_erases_the_person_from_every_table(
    client, rich_file, archivist, chief, director
):
    before = table_leaks()
    assert {"cases_applicant", "cases_historicalapplicantcategory", "archive_archivedfile", "onewindow_accesslog",
            "reconciliation_selection", "cases_historicalinteragencyrequest"} <= set(before)  # fmt: skip

    act = execute_destruction(client, archivist, chief, director)

    assert table_leaks() == {}
    # the records stay, without the person
    person = Applicant.objects.get(pk=rich_file["person"].pk)
    assert (
        person.is_anonymised and person.last_name == "Обезличено" and not person.categories.exists()
    )
    assert not InteragencyRequest.objects.filter(application=rich_file["application"]).exists()
    assert Application.objects.get(pk=rich_file["application"].pk).representative_name == ""
    incoming = IncomingRequest.objects.get(pk=rich_file["incoming"].pk)
    assert incoming.sender_number == "15/77" and incoming.out_number and incoming.answered_on
    assert incoming.question == erasure.ERASED and incoming.subject_snils == ""
    assert OutgoingRequest.objects.get(pk=rich_file["outgoing"].pk).answer == erasure.ERASED
    selection = Selection.objects.get(pk=rich_file["selection"].pk)
    assert selection.evidence == [
        {"row": 3, "run": selection.run_id, "step": "snils", "event_date": "2020-06-01"}
    ]
    assert AccessLog.objects.filter(event="search").count() >= 3  # the events stay
    archived = ArchivedFile.objects.get(pk=rich_file["archived"].pk)
    assert archived.status == "destroyed" and archived.title.endswith("[обезличено]")

    # the personal-data destruction act is the one record that names them
    pd = PersonalDataDestruction.objects.get(act=act)
    (subject,) = pd.subjects
    assert (
        subject["full_name"] == "Тиховодов Евлампий Никодимович"
        and subject["birth_date"] == "07.03.1951"
    )
    assert (
        subject["anonymised"] is True
        and "118" not in subject["snils"]
        and subject["snils"].endswith(SNILS[-2:])
    )
    assert any("льготных категориях" in c for c in subject["categories"])
    assert any("межведомственные" in c for c in subject["categories"])
    (event,) = pd.event_log
    assert event["subject"] == subject["full_name"] and event["at"] == "24.11.2026 10:00:00"
    assert (
        event["username"] == archivist.username and "истечение сроков хранения" in event["reason"]
    )
    text = pdf_text(client.get(reverse("archive:pd_act_pdf", args=[act.pk])).content)
    assert "Тиховодов Евлампий Никодимович" in text and "07.03.1951" in text


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_pg_dump_after_an_act_holds_the_person_only_in_the_personal_data_act(
    client, rich_file, archivist, chief, director
):
    execute_destruction(client, archivist, chief, director)
    settings = connection.settings_dict
    dump = subprocess.run(
        ["/usr/bin/pg_dump", "--data-only", "-h", settings["HOST"] or "127.0.0.1", "-p", str(settings["PORT"] or 5432),
         "-U", settings["USER"] or "postgres", settings["NAME"]],
        capture_output=True, text=True, check=True, env={"PGPASSWORD": settings["PASSWORD"] or ""},
    ).stdout  # fmt: skip
    table = PersonalDataDestruction._meta.db_table
    blocks = re.split(r"(?m)^(?=COPY )", dump)
    assert any(
        block.startswith(f"COPY public.{table} ") and "Тиховодов" in block for block in blocks
    )
    leaks = {
        block.split("(", 1)[0]: found_in(block)
        for block in blocks
        if not block.startswith(f"COPY public.{table} ")
    }
    assert {name: found for name, found in leaks.items() if found} == {}


def test_a_person_with_another_live_file_keeps_the_card_but_the_file_goes(
    client, rich_file, archivist, chief, director, other_office, other_specialist
):
    from cases.models import CaseFile

    person = rich_file["person"]
    # their file in another office lives on
    CaseFile.objects.create(office=other_office, applicant=person, number=next_number(other_office, "casefile"),
                            opened_on=D(2026, 1, 10), opened_by=other_specialist)  # fmt: skip
    act = execute_destruction(client, archivist, chief, director)
    person.refresh_from_db()
    assert (
        not person.is_anonymised and person.last_name == "Тиховодов" and person.categories.exists()
    )
    archived = ArchivedFile.objects.get(pk=rich_file["archived"].pk)
    assert "Тиховодов" not in archived.title
    assert not any("Тиховодов" in h.title for h in archived.history.all())
    assert not InteragencyRequest.objects.filter(application=rich_file["application"]).exists()
    assert IncomingRequest.objects.get(pk=rich_file["incoming"].pk).question == erasure.ERASED
    # the other office's copy of our request is theirs: it stays
    assert "Тиховодов" in IncomingRequest.objects.get(pk=rich_file["their_copy"].pk).answer
    assert PersonalDataDestruction.objects.get(act=act).subjects[0]["anonymised"] is False


def test_every_model_is_erased_or_declared_free_of_personal_data():
    """A new model with text fields must register with `onewindow.erasure` or say why not."""
    covered = erasure.covered_models() | set(erasure.NO_PERSONAL_DATA)
    ours = {"onewindow", "services", "cases", "archive", "reconciliation"}
    missing = []
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label not in ours or model.__name__.startswith("Historical"):
            continue
        if model._meta.app_label == "services":
            continue  # the catalogue: regulations and services, nobody's data
        if label not in covered:
            missing.append(label)
    assert missing == []
