"""The production calendar on known dates (the domain notes' examples)."""

import datetime

import pytest
from django.urls import reverse

from onewindow import workdays
from onewindow.models import CalendarOverride

D = datetime.date


@pytest.mark.django_db
@pytest.mark.parametrize(
    "day,working",
    [
        (D(2025, 11, 1), True),  # a working Saturday (transferred)
        (D(2025, 11, 3), False),  # the day off it was transferred to
        (D(2025, 11, 4), False),  # Unity Day
        (D(2026, 1, 9), False),  # transferred day off after the New Year holidays
        (D(2026, 1, 12), True),
        (D(2026, 3, 9), False),  # 8 March fell on a Sunday
        (D(2026, 3, 10), True),
        (D(2026, 11, 21), False),  # an ordinary Saturday
        (D(2026, 12, 31), False),  # transferred from 4 January
    ],
)
def test_known_days(day, working):
    assert workdays.is_working_day(day) is working


@pytest.mark.django_db
def test_ten_working_days_across_the_new_year_holidays():
    # Registered on Friday 2025-12-26: 29 and 30 December are working days, 31 December is a
    # transferred day off, the holidays run to 11 January 2026 (9 January transferred), work
    # resumes on 12 January: 2 + 8 working days -> Wednesday 21 January.
    assert not workdays.is_working_day(D(2025, 12, 31))
    assert workdays.add_working_days(D(2025, 12, 26), 10) == D(2026, 1, 21)
    assert workdays.working_days_between(D(2025, 12, 26), D(2026, 1, 21)) == 10


@pytest.mark.django_db
def test_a_start_on_a_day_off_counts_from_the_next_working_day():
    # Saturday 2026-11-21 -> registered Monday 23rd; 5 working days later is Monday 30th.
    assert workdays.next_working_day(D(2026, 11, 21)) == D(2026, 11, 23)
    assert workdays.add_working_days(D(2026, 11, 21), 5) == D(2026, 11, 30)
    assert workdays.add_working_days(D(2026, 11, 23), 5) == D(2026, 11, 30)
    assert workdays.add_working_days(D(2026, 11, 21), 0) == D(2026, 11, 23)


@pytest.mark.django_db
def test_working_days_between_is_negative_when_overdue():
    assert workdays.working_days_between(D(2026, 11, 30), D(2026, 11, 23)) == -5
    assert workdays.working_days_between(D(2026, 11, 23), D(2026, 11, 23)) == 0


@pytest.mark.django_db
def test_override_table_wins_over_the_package():
    day = D(2027, 6, 16)  # a Wednesday: suppose a decree makes it a day off
    assert workdays.is_working_day(day)
    CalendarOverride.objects.create(date=day, is_working=False, reason="Постановление № 1")
    assert not workdays.is_working_day(day)
    assert workdays.day_info(day) == (False, "Постановление № 1")
    saturday = D(2027, 6, 19)
    CalendarOverride.objects.create(date=saturday, is_working=True, reason="рабочая суббота")
    assert workdays.add_working_days(D(2027, 6, 18), 1) == saturday


def test_negative_working_days_are_refused():
    with pytest.raises(ValueError, match="не может быть отрицательным"):
        workdays.add_working_days(D(2026, 1, 1), -1)


@pytest.mark.django_db
def test_calendar_page_shows_the_year_with_holiday_names(client, specialist):
    client.force_login(specialist)
    html = client.get(reverse("calendar_year", args=[2026])).content.decode()
    assert "Производственный календарь на 2026 год" in html
    assert 'title="Выходной (перенесено с 03.01.2026)"' in html
    assert "Рабочих дней в году: <strong>247</strong>" in html
    assert "Добавить исключение" not in html  # a specialist cannot edit


@pytest.mark.django_db
def test_admin_adds_an_override_and_a_specialist_cannot(client, reg_admin, specialist):
    client.force_login(specialist)
    response = client.post(
        reverse("calendar"), {"date": "2027-06-16", "is_working": "", "reason": "Постановление"}
    )
    assert response.status_code == 403
    assert not CalendarOverride.objects.exists()
    client.force_login(reg_admin)
    response = client.post(
        reverse("calendar"), {"date": "2027-06-16", "reason": "Постановление № 1"}, follow=True
    )
    assert (
        "Исключение сохранено: 16.06.2027: выходной (Постановление № 1)."
        in response.content.decode()
    )
    assert not workdays.is_working_day(D(2027, 6, 16))
    response = client.post(reverse("calendar"), {"date": "2027-06-16", "reason": "повтор"})
    assert "На эту дату исключение уже внесено." in response.content.decode()
    assert CalendarOverride.objects.count() == 1
    # who added it is kept, and deleting goes through the same service with history
    override = CalendarOverride.objects.get()
    assert override.history.get().history_user == reg_admin
    client.force_login(specialist)
    delete = reverse("calendar_override_delete", args=[override.pk])
    assert client.post(delete).status_code == 403
    client.force_login(reg_admin)
    client.post(delete)
    assert not CalendarOverride.objects.exists()
    assert workdays.is_working_day(D(2027, 6, 16))
    assert CalendarOverride.history.latest("history_date").history_user == reg_admin


def test_an_override_without_a_reason_is_refused_at_its_field(reg_admin):
    with pytest.raises(workdays.CalendarError) as refused:
        workdays.add_override(day=D(2027, 6, 16), is_working=False, reason="  ", actor=reg_admin)
    assert refused.value.field == "reason" and "Укажите основание" in refused.value.message
