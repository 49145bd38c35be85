"""The chief reassigns selected applications, requests and selection items to another
specialist of the office: with history and an event, all or nothing, from the lists the
dashboard links to; the specialist then finds them in «Мои дела»."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from cases import requests as request_services
from cases import services as case_services
from cases.models import Application, ApplicationEvent, IncomingRequest, InteragencyRequest
from onewindow import work
from onewindow.reassign import ReassignError
from reconciliation import services as selection_services
from reconciliation.models import Selection
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_reassigning_applications_writes_history_and_an_event(
    chief, specialist, colleague, known_office
):
    apps = known_office["applications"]
    moved = case_services.reassign_applications(
        [apps["overdue"], apps["today"]], colleague, actor=chief, note="отпуск Петровой"
    )
    assert moved.moved == 2 and moved.unchanged == 0
    for app in (apps["overdue"], apps["today"]):
        app.refresh_from_db()
        assert app.specialist == colleague and app.accepted_by == specialist  # who accepted stays
        last = app.history.order_by("-history_id").first()
        assert last.history_user == chief and "отпуск Петровой" in last.history_change_reason
        event = ApplicationEvent.objects.filter(application=app).order_by("pk").last()
        assert event.actor == chief and "Передано Ивановой" in event.note and "отпуск" in event.note
    assert {a.pk for a in work.KINDS["application"].open_items(colleague)} >= {
        apps["overdue"].pk,
        apps["today"].pk,
    }
    # again to the same person: nothing moves
    again = case_services.reassign_applications([apps["today"]], colleague, actor=chief)
    assert again.moved == 0 and again.unchanged == 1


def test_a_refused_reassignment_changes_nothing(
    chief, specialist, colleague, other_specialist, archivist, known_office
):
    apps = known_office["applications"]
    before = ApplicationEvent.objects.count()
    # a decided and notified application is nobody's work any more: the whole lot is refused
    Application.objects.filter(pk=apps["in_time"].pk).update(status="notified")
    with pytest.raises(ReassignError, match="уже завершено"):
        case_services.reassign_applications(
            [apps["today"], apps["in_time"]], colleague, actor=chief
        )
    with pytest.raises(ReassignError, match="того же учреждения"):
        case_services.reassign_applications([apps["today"]], other_specialist, actor=chief)
    with pytest.raises(ReassignError, match="нет такой роли"):
        case_services.reassign_applications([apps["today"]], archivist, actor=chief)
    with pytest.raises(PermissionDenied):
        case_services.reassign_applications([apps["today"]], colleague, actor=specialist)
    colleague.is_active = False
    colleague.save()
    with pytest.raises(ReassignError, match="отключена"):
        case_services.reassign_applications([apps["today"]], colleague, actor=chief)
    apps["today"].refresh_from_db()
    assert apps["today"].specialist == specialist and ApplicationEvent.objects.count() == before


def test_reassigning_requests_and_selection_items(chief, specialist, colleague, known_office):
    req, sel = known_office["requests"], known_office["selections"]
    result = request_services.reassign_requests(
        "interagency", [req["open"]], colleague, actor=chief
    )
    assert result.moved == 1
    assert InteragencyRequest.objects.get(pk=req["open"].pk).handled_by == colleague
    request_services.reassign_requests("incoming", [req["in_open"]], colleague, actor=chief)
    item = IncomingRequest.objects.get(pk=req["in_open"].pk)
    assert item.assigned_to == colleague
    assert item.history.order_by("-history_id").first().history_user == chief
    with pytest.raises(ReassignError, match="уже завершено"):
        request_services.reassign_requests("incoming", [req["in_answered"]], colleague, actor=chief)
    # a queued item (nobody's yet) and an assigned one
    selection_services.reassign_selections([sel["eleventh"], sel["today"]], colleague, actor=chief)
    assert set(Selection.objects.filter(assigned_to=colleague).values_list("pk", flat=True)) >= {
        sel["eleventh"].pk,
        sel["today"].pk,
    }
    with pytest.raises(ReassignError, match="уже завершено"):
        selection_services.reassign_selections([sel["worked"]], colleague, actor=chief)


def test_the_chief_reassigns_from_the_journal_and_the_specialist_sees_it(
    client, chief, specialist, colleague, known_office
):
    apps = known_office["applications"]
    client.force_login(chief)
    url = reverse("cases:journal") + "?all_dates=1&overdue=1"
    html = client.get(url).content.decode()
    assert 'name="items"' in html and "Передать отмеченные" in html and colleague.last_name in html
    response = client.post(
        reverse("cases:journal_reassign"),
        {"items": [apps["overdue"].pk], "reassign-to_user": colleague.pk, "next": url},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url
    assert "Передано: 1 заявление." in response.content.decode()
    client.force_login(colleague)
    html = client.get(reverse("my_work")).content.decode()
    assert "Просрочкин" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "отметьте, что передать"),
        ({"reassign-to_user": ""}, "отметьте, что передать"),
        ({"items": ["APP"]}, "Ничего не передано: выберите, кому передать"),
        ({"items": ["APP"], "reassign-to_user": "999999"}, "нельзя передать эту работу"),
    ],
)
def test_a_bad_reassign_form_says_why_and_moves_nothing(
    client, chief, specialist, colleague, known_office, data, message
):
    app = known_office["applications"]["today"]
    data = {
        k: [app.pk if x == "APP" else x for x in v] if isinstance(v, list) else v
        for k, v in data.items()
    }
    client.force_login(chief)
    response = client.post(reverse("cases:journal_reassign"), data, follow=True)
    assert message in response.content.decode()
    app.refresh_from_db()
    assert app.specialist == specialist


def test_another_office_s_items_cannot_be_reassigned(client, chief, colleague, known_office):
    foreign = known_office["applications"]["other_office"]
    client.force_login(chief)
    response = client.post(
        reverse("cases:journal_reassign"),
        {"items": [foreign.pk], "reassign-to_user": colleague.pk},
        follow=True,
    )
    assert "часть отмеченного не найдена" in response.content.decode()
    foreign.refresh_from_db()
    assert foreign.specialist != colleague


def test_specialists_are_not_offered_reassigning_and_cannot_post_it(
    client, specialist, colleague, known_office
):
    client.force_login(specialist)
    html = client.get(reverse("cases:journal") + "?all_dates=1").content.decode()
    assert "Передать отмеченные" not in html
    response = client.post(
        reverse("cases:journal_reassign"),
        {"items": [known_office["applications"]["today"].pk], "reassign-to_user": colleague.pk},
    )
    assert response.status_code == 403


def test_requests_and_worklist_offer_reassigning_to_the_chief(
    client, chief, colleague, known_office
):
    req, sel = known_office["requests"], known_office["selections"]
    client.force_login(chief)
    html = client.get(reverse("cases:requests") + "?kind=incoming&show=overdue").content.decode()
    assert f'name="items" value="{req["in_overdue"].pk}"' in html
    response = client.post(
        reverse("cases:requests_reassign"),
        {"kind": "incoming", "items": [req["in_overdue"].pk], "reassign-to_user": chief.pk},
        follow=True,
    )
    assert "Передано: 1 запрос." in response.content.decode()
    assert IncomingRequest.objects.get(pk=req["in_overdue"].pk).assigned_to == chief
    html = client.get(
        reverse("reconciliation:worklist") + "?status=open&whose=all&age=11-"
    ).content.decode()
    assert f'value="{sel["tenth"].pk}"' in html and 'formaction="/selections/reassign/"' in html
    response = client.post(
        reverse("reconciliation:reassign"),
        {"items": [sel["tenth"].pk], "reassign-to_user": chief.pk},
        follow=True,
    )
    assert "Передано: 1 селекция." in response.content.decode()
    assert Selection.objects.get(pk=sel["tenth"].pk).assigned_to == chief


def test_a_deactivated_or_foreign_user_is_not_offered(client, chief, office, known_office):
    gone = make_user("Специалист", office, "gone", last_name="Уволенова")
    gone.is_active = False
    gone.save()
    client.force_login(chief)
    html = client.get(reverse("cases:journal") + "?all_dates=1").content.decode()
    assert "Уволенова" not in html.split("Передать отмеченные", 1)[1]
    assert "Никитина" not in html.split("Передать отмеченные", 1)[1]
