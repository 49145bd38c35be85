import pytest
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse

from onewindow.audit import get_for_user_or_404, log_access
from onewindow.models import AccessLog, Job

pytestmark = pytest.mark.django_db


def request_for(user, path="/cases/42/"):
    request = RequestFactory().get(path, REMOTE_ADDR="10.0.0.7", HTTP_USER_AGENT="Firefox")
    request.user = user
    return request


def test_log_access_records_who_what_when_where_and_result(specialist, other_office):
    entry = log_access(
        request_for(specialist), event="view_casefile", subject=other_office, allowed=True
    )
    entry.refresh_from_db()
    assert entry.user == specialist
    assert entry.username == "specialist"
    assert entry.office == specialist.office
    assert entry.event == "view_casefile"
    assert entry.subject_type == "onewindow.office"
    assert entry.subject_id == str(other_office.pk)
    assert entry.subject_repr == "ЦСЗН Центрального района"
    assert entry.result == AccessLog.Result.ALLOWED
    assert entry.ip_address == "10.0.0.7"
    assert entry.user_agent == "Firefox"
    assert entry.path == "/cases/42/"
    assert entry.at is not None


def test_scoped_lookup_of_own_office_record_is_logged_as_allowed(specialist):
    job = Job.objects.create(kind="system.selftest", office=specialist.office)
    found = get_for_user_or_404(
        request_for(specialist), Job.objects.all(), event="view_casefile", pk=job.pk
    )
    assert found == job
    entry = AccessLog.objects.get()
    assert (entry.result, entry.event, entry.subject_id) == (
        "allowed",
        "view_casefile",
        str(job.pk),
    )


def test_scoped_lookup_of_other_office_record_is_404_and_logged_as_refused(
    specialist, other_office
):
    job = Job.objects.create(kind="system.selftest", office=other_office)
    with pytest.raises(Http404):
        get_for_user_or_404(
            request_for(specialist), Job.objects.all(), event="view_casefile", pk=job.pk
        )
    entry = AccessLog.objects.get()
    assert entry.result == AccessLog.Result.REFUSED
    assert entry.user == specialist
    assert entry.subject_id == str(job.pk)
    assert entry.detail == "запись другого учреждения"


def test_missing_record_is_404_without_a_log_entry(specialist):
    with pytest.raises(Http404):
        get_for_user_or_404(request_for(specialist), Job.objects.all(), pk=999999)
    assert not AccessLog.objects.exists()


def test_user_of_another_office_gets_404_page(client, specialist, other_specialist):
    job = Job.objects.create(kind="system.selftest", office=specialist.office)
    client.force_login(other_specialist)
    response = client.get(reverse("job_status", args=[job.pk]))
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()
    assert AccessLog.objects.filter(user=other_specialist, result="refused").count() == 1
    client.force_login(specialist)
    response = client.get(reverse("job_status", args=[job.pk]))
    assert response.status_code == 200
    assert "Фоновая задача № " in response.content.decode()


def test_specialist_opening_the_access_log_is_refused_and_logged(client, specialist):
    client.force_login(specialist)
    response = client.get(reverse("access_log"))
    assert response.status_code == 403
    assert "Недостаточно прав" in response.content.decode()
    entry = AccessLog.objects.exclude(event="login").get(user=specialist)
    assert entry.result == AccessLog.Result.REFUSED
    assert entry.event == "forbidden"
    assert entry.path == reverse("access_log")


def test_chief_sees_own_office_entries_only(client, chief, specialist, other_specialist):
    log_access(request_for(specialist), event="view_casefile", subject_repr="Иванов Иван Иванович")
    log_access(
        request_for(other_specialist), event="view_casefile", subject_repr="Сидоров Пётр Петрович"
    )
    client.force_login(chief)
    html = client.get(reverse("access_log")).content.decode()
    assert "Иванов Иван Иванович" in html
    assert "Сидоров Пётр Петрович" not in html


def test_chief_filters_by_person_and_result(client, chief, specialist):
    log_access(request_for(specialist), event="view_casefile", subject_repr="Иванов Иван Иванович")
    log_access(
        request_for(specialist),
        event="view_applicant",
        subject_repr="Петров Пётр Петрович",
        allowed=False,
    )
    client.force_login(chief)
    html = client.get(reverse("access_log"), {"q": "иванов"}).content.decode()
    assert "Иванов Иван Иванович" in html and "Петров Пётр" not in html
    assert "Найдено записей: 1" in html
    html = client.get(reverse("access_log"), {"result": "refused"}).content.decode()
    assert "Петров Пётр Петрович" in html and "Иванов Иван" not in html
    assert "Открыта карточка заявителя" in html


def test_access_log_bad_dates_give_a_russian_message(client, chief):
    client.force_login(chief)
    html = client.get(
        reverse("access_log"), {"date_from": "2026-05-01", "date_to": "2026-04-01"}
    ).content.decode()
    assert "Дата окончания раньше даты начала." in html
    html = client.get(reverse("access_log"), {"date_from": "31.02.2026"}).content.decode()
    assert "Введите правильную дату." in html


def test_access_log_page_query_count_does_not_grow_with_rows(
    client, chief, specialist, django_assert_max_num_queries
):
    for n in range(30):
        log_access(request_for(specialist), event="view_casefile", subject_repr=f"Лицо {n}")
    client.force_login(chief)
    from onewindow import work

    # incl. logging this view and reading the chain's head, + one «Мои дела» counter per kind
    with django_assert_max_num_queries(14 + len(work.KINDS)):
        response = client.get(reverse("access_log"))
    assert "Лицо 29" in response.content.decode()


def test_access_log_entries_cannot_be_changed_in_admin(admin_client):
    entry = log_access(None, event="export", subject_repr="выгрузка")
    response = admin_client.post(
        reverse("admin:onewindow_accesslog_change", args=[entry.pk]), {"event": "x"}
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.event == "export"


@pytest.mark.parametrize("query", ["q=%D0%98%D0%B2%D0%B0%D0%BD%D0%BE%D0%B2+%D0%98.", "q=Иванов И."])
def test_the_logged_address_reads_in_cyrillic_however_it_arrived(specialist, query):
    """Browsers %-escape the query; a WSGI server hands raw bytes over as Latin-1 text."""
    request = RequestFactory().get("/cases/")
    request.META["QUERY_STRING"] = query.encode().decode("iso-8859-1")
    request.user = specialist
    entry = log_access(request, event="search")
    entry.refresh_from_db()
    assert entry.path == "/cases/?q=Иванов И."


@pytest.mark.django_db(transaction=True)
def test_a_row_on_its_own_is_committed_lazily_and_one_in_a_transaction_durably(specialist):
    """PostgreSQL: a search's row needs no wait for the disk; a row written with a change of data
    commits with it, durably."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as alone:
        log_access(request_for(specialist), event="search")
    with CaptureQueriesContext(connection) as inside, transaction.atomic():
        log_access(request_for(specialist), event="search")
    lazily = "SET LOCAL synchronous_commit TO OFF; INSERT"
    assert [q["sql"].startswith(lazily) for q in alone.captured_queries if 'INSERT INTO "onewindow_accesslog"' in q["sql"]] == [connection.vendor == "postgresql"]  # fmt: skip
    assert not any(lazily in q["sql"] for q in inside.captured_queries)
    assert AccessLog.objects.filter(event="search").count() == 2
