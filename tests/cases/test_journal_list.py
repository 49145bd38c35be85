"""The journal as a list: filters in the URL, sorting, pages with the total, exports with the
same filters, and a long PDF rendered in the background."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cases.models import Application
from onewindow import roles
from onewindow.jobs import run_job_now
from onewindow.models import Job
from services.models import Service
from tests.cases.builders import many_applications
from tests.factories import ApplicantFactory, ApplicationFactory
from tests.pdf_utils import pdf_text

pytestmark = pytest.mark.django_db


def journal(client, **params):
    return client.get(reverse("cases:journal"), params)


def test_journal_pages_with_the_total_and_sorts(client, specialist, office, catalogue):
    day = many_applications(client, specialist, office, 60)
    html = journal(client, date_from=day).content.decode()
    assert "60 заявлений" in html and "Показаны 1–50 из 60" in html
    assert "Фамилия049" in html and "Фамилия050" not in html
    html = journal(client, date_from=day, page=2).content.decode()
    assert "Показаны 51–60 из 60" in html and "Фамилия050" in html and "Фамилия049" not in html
    # by applicant, descending: the last surname first
    html = journal(client, date_from=day, sort="-applicant").content.decode()
    assert html.index("Фамилия059") < html.index("Фамилия058")
    assert 'aria-sort="descending"' in html
    # a header links to the other direction, keeping the filters and leaving the page
    assert "sort=applicant" in html and f"date_from={day.isoformat()}" in html


@pytest.mark.parametrize(
    "params",
    [{"sort": "nonsense"}, {"sort": "-"}, {"page": "abc"}, {"page": "999"}, {"page": "-1"},
     {"sort": "applicant__snils"}, {"specialist": "999999"}, {"service": "x"}, {"status": "zzz"}],
)  # fmt: skip
def test_unknown_sort_page_or_filter_never_fails(client, specialist, office, catalogue, params):
    day = many_applications(client, specialist, office, 3)
    response = journal(client, date_from=day, **params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "заявлени" in html
    if "specialist" in params or "service" in params or "status" in params:
        assert "Исправьте условия отбора:" in html


def test_journal_filters_by_service_state_specialist_and_overdue(
    client, specialist, chief, office, catalogue
):
    today = datetime.date(2026, 11, 24)
    person = ApplicantFactory(office=office, last_name="Донорова", first_name="Ольга", sex="F")
    client.force_login(specialist)
    ApplicationFactory(actor=specialist, applicant=person, service="donor-edv")  # numbered first
    day = many_applications(
        client, specialist, office, 12,
        status=lambda n: "granted" if n % 3 == 0 else "accepted",
        deadline=lambda n: today - datetime.timedelta(days=1) if n % 2 else today + datetime.timedelta(days=5),
        specialist=lambda n: chief if n % 4 == 0 else specialist,
    )  # fmt: skip
    donor = Service.objects.get(code="donor-edv")
    rows = Application.objects.filter(registered_on=day)

    def shown(**params):
        html = journal(client, date_from=day, **params).content.decode()
        return {a.applicant.last_name for a in rows if f">{a.applicant.short_name}<" in html}

    assert shown(service=donor.pk) == {"Донорова"}
    decided = {a.applicant.last_name for a in rows if a.status == "granted"}
    assert shown(status="granted") == decided and decided
    chiefs = {a.applicant.last_name for a in rows if a.specialist_id == chief.pk}
    assert shown(specialist=chief.pk) == chiefs and chiefs
    late = {a.applicant.last_name for a in rows if a.is_open and a.deadline < today}
    assert shown(overdue="on") == late and late


def test_exports_follow_the_filters_and_the_order(client, specialist, office, catalogue):
    person = ApplicantFactory(office=office, last_name="Донорова", first_name="Ольга", sex="F")
    client.force_login(specialist)
    ApplicationFactory(actor=specialist, applicant=person, service="donor-edv")
    day = many_applications(client, specialist, office, 5)
    donor = Service.objects.get(code="donor-edv")
    response = journal(client, date_from=day, service=donor.pk, format="xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[2].split()[0] for row in rows[3:]] == ["Донорова"]
    response = journal(client, date_from=day, sort="-applicant", format="xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    surnames = [row[2].split()[0] for row in rows[3:]]
    assert surnames == sorted(surnames, reverse=True) and len(surnames) == 6
    text = pdf_text(journal(client, date_from=day, service=donor.pk, format="pdf").content)
    assert "Донорова" in text and "Фамилия001" not in text
    assert "Всего заявлений: 1" in text


def test_small_journal_pdf_renders_in_the_request(client, specialist, office, catalogue):
    day = many_applications(client, specialist, office, 4)
    response = journal(client, date_from=day, format="pdf")
    assert response["Content-Type"] == "application/pdf"
    assert not Job.objects.exists()
    text = pdf_text(response.content)
    assert "Фамилия003" in text and "Всего заявлений: 4" in text


def test_long_journal_pdf_goes_through_a_job_and_downloads(
    client, specialist, office, catalogue, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.JOURNAL_PDF_BACKGROUND_ROWS = 10
    day = many_applications(client, specialist, office, 25)
    response = journal(client, date_from=day, sort="-applicant", format="pdf")
    job = Job.objects.get(kind="cases.render_journal")
    assert response.status_code == 302
    assert response["Location"] == reverse("job_status", args=[job.pk])
    if Job.objects.get(pk=job.pk).status == "queued":
        run_job_now(job.pk)
    html = client.get(reverse("job_status", args=[job.pk])).content.decode()
    assert f"Скачать: Журнал регистрации за {day:%d.%m.%Y}" in html
    pdf = b"".join(client.get(reverse("job_file", args=[job.pk])).streaming_content)
    text = pdf_text(pdf)
    assert all(f"Фамилия{n:03d}" in text for n in range(25))
    assert text.index("Фамилия024") < text.index("Фамилия001")  # in the order asked
    assert "Всего заявлений: 25" in text


def test_my_work_shows_counts_and_pages_each_kind(client, specialist, office, catalogue):
    today = datetime.date(2026, 11, 24)
    many_applications(
        client, specialist, office, 65,
        deadline=lambda n: today - datetime.timedelta(days=n) if n % 5 == 0 else today + datetime.timedelta(days=n),
    )  # fmt: skip
    html = client.get(reverse("my_work")).content.decode()
    overview = html.split("<h2>Заявления")[1].split("<h2>")[0]
    assert overview.count("<tr") == 1 + 10  # the head and the 10 most urgent
    assert "Показать все: 65" in overview and "только просроченные (12)" in overview
    html = client.get(reverse("my_work"), {"kind": "application"}).content.decode()
    assert "Показаны 1–50 из 65" in html
    html = client.get(
        reverse("my_work"), {"kind": "application", "overdue": "1", "sort": "-due"}
    ).content.decode()
    # «просрочено на N рабочих дней»
    assert "Показаны 1–12 из 12" in html and html.count('status-off">просрочено') == 12
    dues = [line for line in html.split("<tr") if 'status-off">просрочено' in line]
    days = [
        datetime.datetime.strptime(row.split("<td>")[2][:10], "%d.%m.%Y").date() for row in dues
    ]
    assert days == sorted(days, reverse=True)
    for params in ({"kind": "nope"}, {"kind": "application", "sort": "x", "page": "zz"}):
        assert client.get(reverse("my_work"), params).status_code == 200


def test_a_python_list_sorts_numbers_in_texts_as_numbers():
    from onewindow.lists import _sort_list

    rows = [{"title": f"Заявление № {n}/2026"} for n in (10, 2, 1, 19, 11)]
    assert [r["title"] for r in _sort_list(rows, "title", False)] == [
        f"Заявление № {n}/2026" for n in (1, 2, 10, 11, 19)
    ]
    assert _sort_list(rows, "title", True)[0]["title"] == "Заявление № 19/2026"


def test_the_people_filters_offer_only_those_whose_role_does_that_work(
    client, specialist, chief, archivist, director, office
):
    """«Исполнитель» and «Принял» list the office's specialists and chief — not the archivist,
    the director, a kiosk or a hall display, who never register or decide an application."""
    from tests.cases.queue_hall import display_user, kiosk_user

    kiosk_user(office), display_user(office)
    client.force_login(chief)
    form = journal(client).context["form"]
    for name in ("specialist", "accepted_by"):
        offered = set(form.fields[name].queryset)
        assert {specialist, chief} <= offered, name
        assert not {
            p for p in offered if p.username in {"archivist", "director", "kiosk", "display"}
        }
    # someone whose role changed after doing the work (a dashboard figure links to them) is
    # still a valid filter; a person of another office is refused with the field's message
    from tests.factories import OfficeFactory, make_user

    response = journal(client, specialist=archivist.pk)
    assert response.status_code == 200
    assert "Такого сотрудника в учреждении нет." not in response.content.decode()
    assert response.context["form"].cleaned_data["specialist"] == archivist
    stranger = make_user(roles.SPECIALIST, OfficeFactory(code="elsewhere"), "stranger")
    response = journal(client, accepted_by=stranger.pk)
    assert "Такого сотрудника в учреждении нет." in response.content.decode()
