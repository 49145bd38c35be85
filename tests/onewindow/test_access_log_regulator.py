"""The access log a regulator accepts (issue 14, items 13–17): sign-in events, lists that say
whose records were shown, refusals visible to the owning office, a verifiable hash chain with
retention and export, and the headers and session lifetime around personal data."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from onewindow import audit, erasure
from onewindow.audit import AUTH_AT
from onewindow.models import AccessLog, AccessLogChain
from tests.conftest import PASSWORD
from tests.factories import ApplicantFactory

pytestmark = pytest.mark.django_db


def events(**lookup) -> list[str]:
    return list(AccessLog.objects.filter(**lookup).order_by("id").values_list("event", flat=True))


# --- 13: signing in and out ------------------------------------------------------------------


def test_login_logout_and_failed_login_are_events_of_the_log(client, specialist):
    login = reverse("login")
    client.post(login, {"username": "specialist", "password": "wrong"})
    client.post(login, {"username": "nobody", "password": "wrong"})
    failed = AccessLog.objects.filter(event="login_failed").order_by("id")
    assert [(row.username, row.result, row.office_id) for row in failed] == [
        ("specialist", "refused", specialist.office_id),
        ("nobody", "refused", None),
    ]
    assert "существует" in failed[0].detail and "нет" in failed[1].detail

    response = client.post(login, {"username": "specialist", "password": PASSWORD})
    assert response.status_code == 302
    client.post(reverse("logout"))
    assert events(user=specialist) == ["login", "logout"]
    row = AccessLog.objects.get(event="login")
    assert row.office == specialist.office and row.ip_address == "127.0.0.1"


def test_the_office_sees_failed_logins_on_its_accounts(client, chief, specialist, other_specialist):
    client.post(reverse("login"), {"username": "specialist", "password": "wrong"})
    client.post(reverse("login"), {"username": other_specialist.username, "password": "wrong"})
    client.force_login(chief)
    html = client.get(reverse("access_log"), {"event": "login_failed"}).content.decode()
    assert "Неудачная попытка входа" in html
    assert ">specialist<" in html and other_specialist.username not in html


# --- 14: lists say whose records were shown ---------------------------------------------------


def test_counter_search_records_whose_records_were_shown(client, specialist, catalogue):
    people = [
        ApplicantFactory(office=specialist.office, last_name="Журавлёва", snils=snils)
        for snils in ("11223344595", "12345678964")
    ]
    client.force_login(specialist)
    client.get(reverse("cases:counter"), {"q": "Журавлёва"})
    row = AccessLog.objects.get(event="search")
    assert "найдено 2" in row.subject_repr
    assert row.detail == "показаны: " + ", ".join(str(p.pk) for p in people) or row.detail == (
        "показаны: " + ", ".join(str(p.pk) for p in reversed(people))
    )


def test_requests_list_and_my_work_are_logged(client, chief):
    client.force_login(chief)
    client.get(reverse("cases:requests"), {"show": "all"})
    client.get(reverse("my_work"))
    rows = AccessLog.objects.filter(event="view_list", user=chief).order_by("id")
    assert [row.subject_repr for row in rows] == ["Запросы (all)", "Мои дела"]


# --- 15: a refusal on another office's record is that office's business too -------------------


def test_refusal_on_another_offices_record_is_visible_to_the_owner(
    client, specialist, other_specialist, other_chief, chief, catalogue
):
    person = ApplicantFactory(office=other_specialist.office, last_name="Тихонова")
    client.force_login(specialist)
    assert client.get(reverse("cases:applicant", args=[person.pk])).status_code == 404
    refused = AccessLog.objects.get(result="refused")
    assert (refused.office, refused.subject_office) == (specialist.office, other_chief.office)

    client.force_login(other_chief)
    html = client.get(reverse("access_log"), {"result": "refused"}).content.decode()
    assert "Петрова" in html  # the specialist who tried, from the other office
    assert f"{specialist.office} → запись {other_chief.office}" in html
    # and the trying office's chief sees the attempt of their own employee
    client.force_login(chief)
    html = client.get(reverse("access_log"), {"result": "refused"}).content.decode()
    assert "Петрова" in html


# --- 16: the hash chain -----------------------------------------------------------------------


def write_rows(n: int, user) -> list[AccessLog]:
    rows = [
        audit.log_access(None, event="view_applicant", subject_repr=f"Иванов {i}", user=user)
        for i in range(n)
    ]
    audit.seal_pending()
    return [AccessLog.objects.get(pk=row.pk) for row in rows]


def test_each_row_is_chained_to_the_previous_and_the_chain_verifies(specialist):
    rows = write_rows(5, specialist)
    assert [row.seq for row in rows] == [1, 2, 3, 4, 5]
    assert all(rows[i].prev_digest == rows[i - 1].digest for i in range(1, 5))
    assert len({row.digest for row in rows}) == 5
    result = audit.verify_chain()
    assert result.ok and result.checked == 5
    assert AccessLogChain.objects.get().digest == rows[-1].digest


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"subject_repr": "Петров 2"}, "сведения о субъекте"),
        ({"event": "search"}, "изменены поля записи"),
        ({"result": "refused"}, "изменены поля записи"),
        ({"username": "director"}, "изменены поля записи"),
        ({"path": "/cases/"}, "сведения о субъекте"),
    ],
)
def test_a_changed_row_is_named(specialist, change, reason):
    rows = write_rows(5, specialist)
    AccessLog.objects.filter(pk=rows[2].pk).update(**change)
    result = audit.verify_chain()
    assert not result.ok
    assert (result.broken_seq, result.broken_id) == (3, rows[2].pk)
    assert reason in result.reason
    assert "запись № 3" in str(result)


def test_a_deleted_row_and_deleted_last_rows_are_found(specialist):
    rows = write_rows(5, specialist)
    AccessLog.objects.filter(pk=rows[1].pk).delete()
    result = audit.verify_chain()
    assert (result.broken_seq, result.reason) == (2, "запись удалена")

    AccessLog.objects.all().delete()
    AccessLogChain.objects.all().delete()
    rows = write_rows(3, specialist)
    AccessLog.objects.filter(pk=rows[-1].pk).delete()
    result = audit.verify_chain()
    assert not result.ok and "последние записи удалены" in result.reason


def test_redacting_a_destroyed_person_keeps_the_chain(specialist, catalogue):
    person = ApplicantFactory(office=specialist.office, last_name="Смирнов", first_name="Олег")
    audit.log_access(None, event="view_applicant", subject=person, user=specialist)
    audit.log_access(None, event="search", subject_repr="«Смирнов»: найдено 1", user=specialist)
    audit.seal_pending()
    changed = erasure.redact_subjects(
        subject_type="cases.applicant", subject_ids=[person.pk], needles=["Смирнов", "Олег"]
    )
    assert changed == 2
    assert not AccessLog.objects.filter(subject_repr__icontains="Смирнов").exists()
    assert audit.verify_chain().ok


def test_the_command_verifies_and_names_the_first_broken_row(specialist, capsys):
    rows = write_rows(4, specialist)
    call_command("access_log", "verify")
    assert "цела: проверено записей 4" in capsys.readouterr().out
    AccessLog.objects.filter(pk=rows[1].pk).update(detail="подделано")
    with pytest.raises(SystemExit) as exit_:
        call_command("access_log", "verify")
    assert exit_.value.code == 1
    assert f"запись № 2 (id {rows[1].pk})" in capsys.readouterr().out


def test_rows_are_sealed_when_their_transaction_commits(
    client, specialist, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        audit.log_access(None, event="export", subject_repr="выгрузка", user=specialist)
    assert AccessLog.objects.get().seq == 1


def test_a_burst_of_rows_is_sealed_together(
    client, specialist, django_capture_on_commit_callbacks, freeze_now, settings
):
    """One seal per ACCESS_LOG_SEAL_EVERY_SECONDS: the rows in between wait for the next."""
    settings.ACCESS_LOG_SEAL_EVERY_SECONDS = 5
    start = timezone.localtime().replace(tzinfo=None)
    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            audit.log_access(None, event="export", subject_repr=f"выгрузка {n}", user=specialist)
    assert list(AccessLog.objects.order_by("id").values_list("seq", flat=True)) == [1, None, None]
    freeze_now(start + datetime.timedelta(seconds=6))
    with django_capture_on_commit_callbacks(execute=True):
        audit.log_access(None, event="export", subject_repr="выгрузка 3", user=specialist)
    assert list(AccessLog.objects.order_by("id").values_list("seq", flat=True)) == [1, 2, 3, 4]
    assert audit.verify_chain().ok


def test_retention_removes_old_rows_from_the_start_and_the_chain_still_verifies(
    specialist, freeze_now, settings
):
    settings.ACCESS_LOG_RETENTION_DAYS = 30
    now = timezone.now()
    freeze_now(now - datetime.timedelta(days=40))
    write_rows(3, specialist)
    freeze_now(now)
    write_rows(2, specialist)
    assert audit.purge_expired() == 3
    assert list(AccessLog.objects.filter(seq__isnull=False).values_list("seq", flat=True)) == [
        5,
        4,
    ]
    purge = AccessLog.objects.get(event="purge_access_log")
    assert "удалено записей: 3" in purge.detail
    audit.seal_pending()
    result = audit.verify_chain()
    assert result.ok and result.checked == 3  # the two kept and the purge's own row
    assert audit.purge_expired() == 0


def test_export_for_a_collector_and_for_a_person(specialist, tmp_path):
    audit.log_access(None, event="search", subject_repr='=HYPERLINK("x")', user=specialist)
    write_rows(2, specialist)
    out = tmp_path / "log.jsonl"
    call_command("access_log", "export", "--format", "jsonl", "--output", str(out))
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["seq"] for line in lines] == [1, 2, 3]
    assert lines[0]["subject_repr"] == '=HYPERLINK("x")'
    assert lines[0]["event_title"] == "Поиск заявителя"
    assert lines[1]["prev_digest"] == lines[0]["digest"]
    assert lines[0]["at"].endswith("+03:00")  # local time, as a person reads it
    call_command(
        "access_log", "export", "--format", "csv", "--after-seq", "0", "--output", str(out)
    )
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("seq;at;username")
    assert "'=HYPERLINK" in text  # a spreadsheet does not run it
    with pytest.raises(CommandError, match="не прочитана"):
        call_command("access_log", "export", "--since", "31.12.2026")


def test_the_chief_exports_and_verifies_from_the_page(
    client, chief, specialist, django_capture_on_commit_callbacks
):
    write_rows(3, specialist)
    client.force_login(chief)
    page = client.get(reverse("access_log")).content.decode()
    assert "Выгрузить CSV" in page and "Проверить целостность журнала" in page
    response = client.get(
        reverse("access_log_export"), {"format": "csv", "event": "view_applicant"}
    )
    body = b"".join(response.streaming_content).decode("utf-8")
    assert response["Content-Disposition"].startswith('attachment; filename="access-log-')
    assert body.count("view_applicant") == 3
    assert AccessLog.objects.filter(event="export_access_log", user=chief).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("access_log_verify"))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Цепочка журнала доступа цела" in page


def test_a_specialist_can_neither_export_nor_verify(client, specialist):
    client.force_login(specialist)
    assert client.get(reverse("access_log_export")).status_code == 403
    assert client.post(reverse("access_log_verify")).status_code == 403


# --- 17: headers and the session's absolute lifetime ------------------------------------------


def test_pages_with_personal_data_are_not_stored_and_policy_is_sent(client, specialist):
    anonymous = client.get(reverse("login"))
    assert "camera=()" in anonymous["Permissions-Policy"]
    client.force_login(specialist)
    response = client.get(reverse("cases:counter"))
    assert "no-store" in response["Cache-Control"]
    assert "camera=()" in response["Permissions-Policy"]


def test_a_session_ends_hours_after_login_however_active(client, specialist, settings):
    settings.SESSION_ABSOLUTE_HOURS = 12
    client.post(reverse("login"), {"username": "specialist", "password": PASSWORD})
    assert client.get(reverse("cases:counter")).status_code == 200
    session = client.session
    session[AUTH_AT] = session[AUTH_AT] - 12 * 3600 - 60
    session.save()
    response = client.get(reverse("cases:counter"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    page = client.get(response["Location"]).content.decode()
    assert "с момента входа прошло более 12 ч" in page
    assert client.get(reverse("cases:counter")).status_code == 302  # signed out
    assert events(user=specialist)[-2:] == ["session_expired", "logout"]


def test_a_wrong_filter_says_which_field_even_in_the_htmx_partial(client, chief):
    client.force_login(chief)
    html = client.get(
        reverse("access_log"),
        {"date_from": "2026-12-01", "date_to": "2026-11-01"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "Исправьте условия отбора:" in html
    assert "по: Дата окончания раньше даты начала." in html
