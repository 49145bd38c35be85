import datetime
import io

import pytest
from django.urls import reverse

from cases.models import Application, IncomingRequest, InteragencyRequest
from onewindow import handover as svc
from onewindow import roles
from onewindow.models import AccessLog, Handover
from tests.conftest import FROZEN_AT
from tests.factories import ApplicantFactory, ApplicationFactory, make_user
from tests.pdf_utils import pdf_text

pytestmark = pytest.mark.django_db
TODAY = FROZEN_AT.date()  # Tuesday


@pytest.fixture
def work_of_specialist(client, specialist, office, catalogue):
    client.force_login(specialist)
    for n in range(2):
        person = ApplicantFactory(office=office, snils="", last_name=f"Передаев{'аб'[n]}")
        ApplicationFactory(actor=specialist, applicant=person)
    return Application.objects.filter(specialist=specialist)


@pytest.fixture
def substitute(office):
    return make_user(
        roles.SPECIALIST, office, "substitute", last_name="Заменова", first_name="Ольга"
    )


def test_temporary_handover_moves_everything_and_returns_what_is_open(
    client, chief, specialist, substitute, work_of_specialist
):
    requests = InteragencyRequest.objects.filter(handled_by=specialist)
    moved_requests = requests.count()
    assert moved_requests >= 1
    client.force_login(chief)
    response = client.post(
        reverse("handovers"),
        {"from_user": specialist.pk, "to_user": substitute.pk, "reason": "leave",
         "order_number": "45-о", "order_date": "2026-11-20",
         "starts_on": "2026-11-24", "ends_on": "2026-11-30"},
    )  # fmt: skip
    handover = Handover.objects.get()
    assert response["Location"] == reverse("handover", args=[handover.pk])
    assert client.get(response["Location"]).status_code == 200
    assert AccessLog.objects.filter(event="view_handover", subject_id=str(handover.pk)).exists()
    assert handover.items.count() == 2 + moved_requests
    assert not Application.objects.filter(specialist=specialist).exists()
    assert Application.objects.filter(specialist=substitute).count() == 2
    assert InteragencyRequest.objects.filter(handled_by=substitute).count() == moved_requests

    text = pdf_text(client.get(reverse("handover_act", args=[handover.pk])).content)
    assert "АКТ ПРИЁМА-ПЕРЕДАЧИ ДЕЛ" in text and f"№ {handover.number}" in text
    assert "Петрова Анна Сергеевна" in text and "Заменова Ольга" in text
    assert "Передаева" in text and "Передаевб" in text
    assert "Основание: приказ от 20.11.2026 № 45-о (отпуск)" in text

    # one application was finished meanwhile: it stays with the substitute
    finished = Application.objects.filter(specialist=substitute).first()
    Application.objects.filter(pk=finished.pk).update(status="withdrawn")
    client.post(reverse("handover_return", args=[handover.pk]))
    handover.refresh_from_db()
    assert handover.status == "returned"
    assert Application.objects.get(pk=finished.pk).specialist == substitute
    assert Application.objects.filter(specialist=specialist).count() == 1
    text = pdf_text(client.get(reverse("handover_return_act", args=[handover.pk])).content)
    assert "АКТ ВОЗВРАТА ДЕЛ" in text and "Заменова Ольга" in text


def test_substitute_sees_the_work_on_my_work(
    client, chief, specialist, substitute, work_of_specialist
):
    svc.hand_over(actor=chief, from_user=specialist, to_user=substitute, reason="illness",
                  starts_on=datetime.date(2026, 11, 24), ends_on=datetime.date(2026, 11, 27))  # fmt: skip
    client.force_login(substitute)
    html = client.get(reverse("my_work")).content.decode()
    assert "Передаева" in html and "Передаевб" in html
    assert "Вам переданы дела Петровой\u00a0А.\u00a0С." in html
    nav = (
        client.get(reverse("home"))
        .content.decode()
        .split('<nav class="mainnav"', 1)[1]
        .split("</nav>")[0]
    )
    assert 'Мои дела <span class="badge">' in nav


@pytest.mark.parametrize(
    "case,message",
    [
        ("self", "Нельзя передать дела самому себе."),
        ("other_office", "Дела передаются только сотруднику того же учреждения."),
        ("inactive", "Заменовой\u00a0О.\u00a0С. нельзя передать дела: учётная запись отключена."),
        ("backwards", "Период передачи заканчивается раньше, чем начинается."),
        ("no_end", "Укажите, по какое число передаются дела"),
    ],
)
def test_bad_handovers_are_refused_and_nothing_moves(
    client, chief, specialist, substitute, other_specialist, work_of_specialist, case, message
):
    to_user = {"self": specialist, "other_office": other_specialist}.get(case, substitute)
    if case == "inactive":
        substitute.is_active = False
        substitute.save()
    data = {"from_user": specialist.pk, "to_user": to_user.pk, "reason": "trip", "starts_on": "2026-11-24",
            "order_number": "46-к", "order_date": "2026-11-20",
            "ends_on": "2026-11-20" if case == "backwards" else ("" if case == "no_end" else "2026-11-30")}  # fmt: skip
    client.force_login(chief)
    if case in {"other_office", "inactive"}:
        # the form does not offer them; the service refuses them whoever calls it
        offered = client.get(reverse("handovers")).content.decode().split('name="to_user"')[1]
        assert to_user.last_name not in offered.split("</select>")[0]
        html = client.post(reverse("handovers"), data).content.decode()
        assert "Выберите действующего сотрудника вашего учреждения из списка." in html
        with pytest.raises(svc.HandoverError, match=message):
            svc.hand_over(actor=chief, from_user=specialist, to_user=to_user, reason="trip",
                          starts_on=datetime.date(2026, 11, 24), permanent=True)  # fmt: skip
    else:
        html = client.post(reverse("handovers"), data).content.decode()
        assert message in html
    assert not Handover.objects.exists()
    assert Application.objects.filter(specialist=specialist).count() == 2


def test_handover_of_nothing_is_refused(chief, substitute, office):
    idle = make_user(roles.SPECIALIST, office, "idle")
    with pytest.raises(svc.HandoverError, match="нет незавершённых дел: передавать нечего"):
        svc.hand_over(actor=chief, from_user=idle, to_user=substitute, reason="leave",
                      starts_on=datetime.date(2026, 11, 24), permanent=True)  # fmt: skip


def test_specialist_may_hand_over_own_work_only(
    client, specialist, substitute, chief, work_of_specialist
):
    with pytest.raises(svc.PermissionDenied):
        svc.hand_over(actor=substitute, from_user=specialist, to_user=chief, reason="leave",
                      starts_on=datetime.date(2026, 11, 24), permanent=True)  # fmt: skip
    handover = svc.hand_over(actor=specialist, from_user=specialist, to_user=substitute, reason="dismissal",
                             starts_on=datetime.date(2026, 11, 24), permanent=True)  # fmt: skip
    assert handover.status == "final" and handover.ends_on is None


def test_deactivation_is_refused_while_work_is_open(
    admin_client, specialist, substitute, chief, work_of_specialist
):
    assert svc.deactivation_blockers(specialist) == [
        "Заявления: 2",
        f"Межведомственные запросы: {InteragencyRequest.objects.count()}",
    ]
    with pytest.raises(svc.HandoverError, match="Нельзя отключить учётную запись"):
        svc.deactivate_user(specialist, actor=chief)
    url = reverse("admin:onewindow_user_change", args=[specialist.pk])
    page = admin_client.get(url)
    form = page.context["adminform"].form
    data = {
        k: v
        for k, v in form.initial.items()
        if v is not None and k not in {"groups", "user_permissions", "password"}
    }
    data.update(
        {
            "is_active": "",
            "groups": [g.pk for g in specialist.groups.all()],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00",
        }
    )
    html = admin_client.post(url, data).content.decode()
    assert "Нельзя отключить учётную запись: за сотрудником числятся незавершённые дела" in html
    specialist.refresh_from_db()
    assert specialist.is_active
    svc.hand_over(actor=chief, from_user=specialist, to_user=substitute, reason="dismissal",
                  starts_on=datetime.date(2026, 11, 24), permanent=True)  # fmt: skip
    svc.deactivate_user(specialist, actor=chief)
    specialist.refresh_from_db()
    assert not specialist.is_active


def test_incoming_requests_move_with_the_handover(chief, specialist, substitute, catalogue):
    from cases import requests
    from cases.models import RequestKind

    requests.register_incoming_request(
        **{"kind": RequestKind.objects.get(code="other"), "sender": "Суд", "sender_number": "1",
         "sender_date": datetime.date(2026, 11, 20), "received_on": datetime.date(2026, 11, 23),
         "subject_name": "Кто-то", "question": "?", "assigned_to": specialist},
        actor=chief,
    )  # fmt: skip
    svc.hand_over(actor=chief, from_user=specialist, to_user=substitute, reason="leave",
                  starts_on=datetime.date(2026, 11, 24), ends_on=datetime.date(2026, 12, 1))  # fmt: skip
    assert IncomingRequest.objects.get().assigned_to == substitute


def test_who_accepted_an_application_survives_a_handover(
    client, chief, specialist, substitute, work_of_specialist
):
    from openpyxl import load_workbook

    svc.hand_over(actor=chief, from_user=specialist, to_user=substitute, reason="leave",
                  starts_on=datetime.date(2026, 11, 24), ends_on=datetime.date(2026, 11, 27))  # fmt: skip
    application = Application.objects.order_by("pk").first()
    assert (application.accepted_by, application.specialist) == (specialist, substitute)

    client.force_login(chief)
    html = client.get(reverse("cases:application", args=[application.pk])).content.decode()
    assert "<dt>Документы принял</dt><dd>Петрова\u00a0А.\u00a0С.</dd>" in html
    assert "<dt>Ответственный специалист</dt><dd>Заменова\u00a0О.\u00a0С." in html

    day = {"date_from": "2026-11-24"}
    html = client.get(reverse("cases:journal"), day).content.decode()
    assert '<th scope="col">Принял</th>' in html and ">Исполнитель</a></th>" in html
    assert "<td>Петрова\u00a0А.\u00a0С.</td><td>Заменова\u00a0О.\u00a0С.</td>" in html
    text = pdf_text(client.get(reverse("cases:journal"), {**day, "format": "pdf"}).content)
    assert "Петрова А. С." in text and "Заменова О. С." in text
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("cases:journal"), {**day, "format": "xlsx"}).content)
    ).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert rows[0][-2:] == ("Принял", "Исполнитель")
    assert rows[1][-2:] == ("Петрова\u00a0А.\u00a0С.", "Заменова\u00a0О.\u00a0С.")
    text = pdf_text(client.get(reverse("cases:receipt", args=[application.pk])).content)
    assert "А. С. Петрова" in text and "Заменова" not in text


def test_handover_to_list_offers_only_who_may_take_the_work(
    client, chief, specialist, substitute, archivist, reg_admin, director, other_specialist
):
    from onewindow.work_views import HandoverForm

    gone = make_user(roles.SPECIALIST, chief.office, "gone", last_name="Уволенная", is_active=False)
    offered = set(HandoverForm(actor=chief).fields["to_user"].queryset)
    assert offered == {chief, specialist, substitute}
    client.force_login(chief)
    html = client.get(reverse("handovers")).content.decode()
    to_list = html.split('name="to_user"', 1)[1].split("</select>", 1)[0]
    for person in (archivist, reg_admin, director, other_specialist, gone):
        assert f'value="{person.pk}"' not in to_list
    for person in (archivist, reg_admin, director, gone):
        with pytest.raises(svc.HandoverError):
            svc.hand_over(
                actor=chief, from_user=specialist, to_user=person, reason="leave",
                starts_on=datetime.date(2026, 11, 24), permanent=True,
            )  # fmt: skip


def test_receipt_names_who_accepted_even_after_a_handover(
    client, specialist, chief, catalogue, office
):
    substitute = make_user(
        roles.SPECIALIST, office, "substitute", last_name="Заменова", first_name="Ольга"
    )
    application = ApplicationFactory(actor=specialist)
    svc.hand_over(actor=chief, from_user=specialist, to_user=substitute, reason="leave",
                       starts_on=TODAY, ends_on=TODAY + datetime.timedelta(days=6))  # fmt: skip
    client.force_login(substitute)
    text = pdf_text(client.get(reverse("cases:receipt", args=[application.pk])).content)
    assert "А. С. Петрова" in text and "Заменова" not in text


def test_work_goes_only_to_someone_who_works_cases(
    chief, specialist, archivist, catalogue, office, client
):
    ApplicationFactory(actor=specialist)
    with pytest.raises(svc.HandoverError, match="нет роли специалиста"):
        svc.hand_over(actor=chief, from_user=specialist, to_user=archivist, reason="leave",
                           starts_on=TODAY, ends_on=TODAY + datetime.timedelta(days=6))  # fmt: skip


def test_expired_temporary_handovers_return_by_themselves(
    client, specialist, chief, catalogue, office
):
    substitute = make_user(roles.SPECIALIST, office, "substitute")
    ApplicationFactory(actor=specialist)
    h = svc.hand_over(actor=chief, from_user=specialist, to_user=substitute, reason="trip",
                           starts_on=TODAY, ends_on=TODAY + datetime.timedelta(days=2))  # fmt: skip
    assert svc.return_expired(today=TODAY + datetime.timedelta(days=2)) == []
    assert svc.return_expired(today=TODAY + datetime.timedelta(days=3)) == [h]
    assert Application.objects.get().specialist == specialist
