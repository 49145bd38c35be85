"""«Мои дела»: every kind of work registered by the apps, open for one user, on one page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import InteragencyRequest
from onewindow import handover, work
from onewindow.models import Handover
from tests.factories import (
    ApplicationFactory,
    ArchivedFileFactory,
    IncomingRequestFactory,
    OutgoingRequestFactory,
    SelectionFactory,
    make_user,
    roles,
)

pytestmark = pytest.mark.django_db


def _application(client, user, office, last_name):
    client.force_login(user)
    return ApplicationFactory(actor=user, applicant__last_name=last_name)


def _decided(client, user, chief, office, last_name):
    application = _application(client, user, office, last_name)
    for step in ("transfer", "review"):
        case_services.transition(application, step, actor=user)
    return case_services.transition(
        application, "grant", actor=chief, override_reason="ответ получен по телефону"
    )


def _archive_issue(user, archivist, office, last_name):
    from archive.services import issue_file

    item = ArchivedFileFactory(
        actor=archivist, applicant__last_name=last_name, archive_number="А-1",
        title=f"Личное дело {last_name}", end_date=datetime.date(2020, 6, 1),
    )  # fmt: skip
    return issue_file(item, actor=archivist, to_user=user, purpose="проверка")


def _assignment(chief, user, last_name, **kwargs):
    from onewindow.assignments import give_assignment

    kwargs.setdefault("days", 3)
    return give_assignment(
        actor=chief, assignee=user, text=f"Позвонить {last_name} И. П. о справке", **kwargs
    )


def test_my_work_lists_every_kind_of_registered_work_and_counts_it(
    client, specialist, chief, archivist, office, other_office, other_specialist, catalogue
):
    makers = {
        "application": lambda: _application(client, specialist, office, "Заявленова"),
        "application_notice": lambda: _decided(client, specialist, chief, office, "Решенова"),
        "interagency": lambda: None,  # opened by the registrations above
        "incoming": lambda: IncomingRequestFactory(
            actor=specialist, office=office, last_name="Запросова"
        ),
        "outgoing": lambda: OutgoingRequestFactory(
            actor=specialist, to_office=other_office, applicant__last_name="Исходящева"
        ),
        "selection": lambda: SelectionFactory(
            office=office, assigned_to=specialist, applicant__last_name="Селекцова"
        ),
        "archive_issue": lambda: _archive_issue(specialist, archivist, office, "Архивова"),
        "assignment": lambda: _assignment(chief, specialist, "Поручениевой"),
    }
    missing = set(work.KINDS) - set(makers)
    assert not missing, f"a kind of work without an example here: {missing} — add one"
    for make in makers.values():
        make()
    counts = {code: items.count() for code, items in work.open_work(specialist).items()}
    assert all(counts.values()), counts
    # the one-query counts agree with the lists, kind by kind
    assert {code: n for code, (n, _) in work.open_counts(specialist).items()} == counts

    client.force_login(specialist)
    response = client.get(reverse("my_work"))
    assert response.status_code == 200
    html = response.content.decode()
    for code in work.KINDS:
        assert work.KINDS[code].title in html
    # a request is about someone: «о Запросовой И. П.», «об Исходящеве И. И.»
    for name in (
        "Заявленова",
        "Решенова",
        "о Запросовой",
        "об Исходящеве",
        "Селекцова",
        "Архивова",
        "Поручениевой",
    ):
        assert name in html
    assert "уведомить заявителя" in html
    # the navigation counter is the same number
    total = sum(counts.values())
    nav = client.get(reverse("home")).content.decode()
    assert f'Мои дела <span class="badge">{total}</span>' in nav


def test_a_selection_is_due_ten_working_days_after_it_was_found(
    client, specialist, office, catalogue
):
    item = SelectionFactory(office=office, assigned_to=specialist, applicant__last_name="Сроков")
    due = work.KINDS["selection"].due_of(item)
    assert isinstance(due, datetime.date) and not isinstance(due, datetime.datetime)
    assert due == datetime.date(2026, 12, 8)  # found Tue 24.11.2026 + 10 working days
    client.force_login(specialist)
    html = client.get(reverse("my_work")).content.decode()
    assert "08.12.2026" in html and "просрочено" not in html


def test_decided_applications_stay_with_their_specialist_until_notified(
    client, specialist, chief, office, catalogue
):
    application = _decided(client, specialist, chief, office, "Решенова")
    assert application.notice_due == datetime.date(2026, 12, 1)  # 5 working days
    assert application in work.KINDS["application_notice"].open_items(specialist)
    client.force_login(specialist)
    html = client.get(reverse("my_work")).content.decode()
    assert "Решенова" in html and "01.12.2026" in html

    case_services.transition(application, "notify", actor=specialist)
    assert not work.KINDS["application_notice"].open_items(specialist).exists()
    assert "Решенова" not in client.get(reverse("my_work")).content.decode()


def test_handover_return_brings_back_what_was_decided_meanwhile(
    client, specialist, chief, office, catalogue
):
    substitute = make_user(roles.SPECIALIST, office, "substitute", last_name="Заменова")
    application = _application(client, specialist, office, "Вернова")
    today = timezone.localdate()
    moved = handover.hand_over(
        actor=chief, from_user=specialist, to_user=substitute, reason="leave",
        starts_on=today, ends_on=today + datetime.timedelta(days=6),
    )  # fmt: skip
    for step in ("transfer", "review"):
        case_services.transition(application, step, actor=substitute)
    case_services.transition(application, "refuse", actor=chief, reason="нет права",
                             override_reason="ответ получен")  # fmt: skip

    handover.return_handover(moved, actor=chief)
    application.refresh_from_db()
    assert application.specialist == specialist  # the notice is the specialist's again
    assert application.accepted_by == specialist
    assert moved.items.get(object_id=application.pk, kind="application").returned
    assert Handover.objects.get(pk=moved.pk).status == "returned"


def test_withdrawn_application_leaves_no_open_requests_in_my_work(
    client, specialist, catalogue, office
):
    client.force_login(specialist)
    application = ApplicationFactory(actor=specialist)
    assert work.KINDS["interagency"].open_items(specialist).exists()
    client.post(
        reverse("cases:transition", args=[application.pk, "withdraw"]),
        {"reason": "заявление об отзыве"},
    )
    assert InteragencyRequest.objects.filter(result="").exists()
    assert not work.KINDS["interagency"].open_items(specialist).exists()
    assert handover.deactivation_blockers(specialist) == []


def test_the_badge_counts_up_to_its_cap(client, specialist, catalogue, monkeypatch):
    """A person with a great deal of open work sees «99+»: the badge on every page never counts
    to the end."""
    from onewindow import work
    from tests.factories import ApplicationFactory

    for _ in range(3):
        ApplicationFactory(actor=specialist)
    total = work.open_work_count(specialist)  # «Мои дела» itself counts everything
    assert total >= 3
    client.force_login(specialist)
    assert (
        f'Мои дела <span class="badge">{total}</span>'
        in client.get(reverse("home")).content.decode()
    )
    monkeypatch.setattr(work, "BADGE_CAP", 2)
    assert work.open_work_badge(specialist) == "2+"
    assert 'Мои дела <span class="badge">2+</span>' in client.get(reverse("home")).content.decode()
