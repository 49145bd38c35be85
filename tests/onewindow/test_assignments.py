"""Поручения: the chief gives, the specialist sees it in «Мои дела» and marks it done with a
note; overdue in working days of the production calendar; who may do what; handover; the
specialist's strip over the counter."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from cases.models import Application, IncomingRequest
from onewindow import assignments as svc
from onewindow import handover, roles, work
from onewindow.models import AccessLog, Assignment, HandoverItem
from tests.archive.rich_file import execute_destruction, table_leaks
from tests.factories import (
    ApplicationFactory,
    IncomingRequestFactory,
    InteragencyRequestFactory,
    SelectionFactory,
    make_user,
)
from tests.pdf_utils import pdf_text

pytestmark = pytest.mark.django_db
D = datetime.date
NBSP = "\xa0"


def _text(response) -> str:
    """The page's words, tags dropped and spaces folded (names hold non-breaking spaces)."""
    html = response.content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace(NBSP, " ").split())


def _give(chief, specialist, **kwargs):
    kwargs.setdefault("text", "Запросить у заявителя справку о составе семьи")
    kwargs.setdefault("days", 3)
    return svc.give_assignment(actor=chief, assignee=specialist, **kwargs)


@pytest.fixture
def substitute(office):
    return make_user(
        roles.SPECIALIST, office, "substitute", last_name="Заменова", first_name="Ольга"
    )


# --- The lifecycle -------------------------------------------------------------------------------


def test_chief_gives_from_an_application_specialist_marks_it_done_with_a_note(
    client, chief, specialist, office, catalogue
):
    application = ApplicationFactory(actor=specialist, applicant__last_name="Поручаев")
    client.force_login(chief)
    page = client.get(reverse("cases:application", args=[application.pk])).content.decode()
    link = f"{reverse('assignment_new')}?about=cases.application%3A{application.pk}"
    assert f'<a class="button" href="{link}">Дать поручение</a>' in page
    form = client.get(link)
    assert f"Касается: Заявление № {application.number_display}" in _text(form)

    response = client.post(
        reverse("assignment_new"),
        {"text": "Запросить справку о доходах", "assignee": specialist.pk, "days": "3",
         "about": f"cases.application:{application.pk}"},
    )  # fmt: skip
    assignment = Assignment.objects.get()
    assert response["Location"] == reverse("assignment", args=[assignment.pk])
    # Tue 24.11.2026 + 3 working days
    assert assignment.due_date == D(2026, 11, 27)
    assert (assignment.number_display, assignment.about, assignment.given_by) == (
        "1/2026", application, chief,
    )  # fmt: skip

    client.force_login(specialist)
    my_work = _text(client.get(reverse("my_work")))
    assert "Поручения" in my_work
    assert "Поручение № 1/2026 (Смирнова Е. С.): Запросить справку о доходах" in my_work
    page = client.get(reverse("assignment", args=[assignment.pk]))
    assert f"Касается Заявление № {application.number_display}" in _text(page)
    assert AccessLog.objects.filter(
        event="view_assignment", subject_id=str(assignment.pk), user=specialist
    ).exists()

    # «Выполнено» without a note: refused at the field, nothing written
    refused = client.post(reverse("assignment_done", args=[assignment.pk]), {"note": "  "})
    assert refused.status_code == 200
    assert "Напишите, что сделано" in refused.content.decode()
    assignment.refresh_from_db()
    assert assignment.status == "open" and assignment.history.count() == 1

    done = client.post(
        reverse("assignment_done", args=[assignment.pk]),
        {"note": "Справка получена, приложена к делу"},
    )
    assert done["Location"] == reverse("assignment", args=[assignment.pk])
    assignment.refresh_from_db()
    assert assignment.status == "done" and assignment.done_note.startswith("Справка получена")
    assert assignment.done_at == timezone.now()
    history = list(assignment.history.order_by("history_date", "history_id"))
    assert [(h.history_user, h.history_change_reason, h.status) for h in history] == [
        (chief, "поручение дано", "open"),
        (specialist, "выполнено", "done"),
    ]
    assert all(h.history_date == timezone.now() for h in history)
    # gone from «Мои дела»
    assert "Запросить справку о доходах" not in _text(client.get(reverse("my_work")))

    # the chief sees it done, with the note and the course of it
    client.force_login(chief)
    listing = _text(client.get(reverse("assignments"), {"state": "done"}))
    assert "1/2026" in listing and "выполнено 24.11.2026" in listing
    detail = _text(client.get(reverse("assignment", args=[assignment.pk])))
    assert "Справка получена, приложена к делу" in detail
    assert "24.11.2026 10:00 Смирнова Е. С. Поручение дано" in detail
    assert "24.11.2026 10:00 Петрова А. С. Выполнено" in detail


def test_the_form_refuses_bad_input_with_messages_at_the_fields_and_writes_nothing(
    client, chief, specialist, freeze_now
):
    freeze_now(datetime.datetime(2026, 11, 2, 10, 0))  # Monday, two days before the holiday
    client.force_login(chief)
    cases = [
        ({"days": "", "due_date": ""}, "Укажите срок исполнения: через сколько рабочих дней или дату."),
        ({"days": "2", "due_date": "2026-11-05"}, "Укажите срок одним способом"),
        ({"days": "0"}, "Срок — от 1 до 120 рабочих дней."),
        ({"due_date": "2026-10-30"}, "Срок 30.10.2026 уже прошёл"),
        ({"due_date": "2026-11-04"},
         "04.11.2026 — нерабочий день (День народного единства): укажите рабочий день, например 05.11.2026."),
        ({"due_date": "2026-11-07"}, "07.11.2026 — нерабочий день (выходной)"),
        ({"due_date": "04.11.2026x"}, "Неверная дата срока"),
        ({"text": "", "days": "2"}, "Напишите текст поручения."),
        ({"assignee": chief.pk, "days": "2"}, "Выберите действующего специалиста вашего учреждения"),
    ]  # fmt: skip
    for overrides, message in cases:
        data = {"text": "Проверить комплект", "assignee": specialist.pk, **overrides}
        response = client.post(reverse("assignment_new"), data)
        assert response.status_code == 200, overrides
        assert message in response.content.decode(), (overrides, message)
    assert not Assignment.objects.exists()

    # a number of working days steps over the holiday
    client.post(reverse("assignment_new"),
                {"text": "Проверить комплект", "assignee": specialist.pk, "days": "2"})  # fmt: skip
    assert Assignment.objects.get().due_date == D(2026, 11, 5)


def test_overdue_is_counted_in_working_days_across_the_holiday_on_both_sides(
    client, chief, specialist, freeze_now
):
    freeze_now(datetime.datetime(2026, 11, 2, 10, 0))
    assignment = _give(chief, specialist, days=None, due_date=D(2026, 11, 3))
    assert work.open_counts(specialist)["assignment"] == (1, 0)

    freeze_now(datetime.datetime(2026, 11, 5, 9, 0))  # 04.11 was a holiday: one working day late
    assert svc.overdue_days(assignment, timezone.localdate()) == 1
    assert work.open_counts(specialist)["assignment"] == (1, 1)
    client.force_login(specialist)
    assert "просрочено на 1 рабочий день" in _text(client.get(reverse("my_work")))
    client.force_login(chief)
    overdue = _text(client.get(reverse("assignments"), {"state": "overdue"}))
    assert "1/2026" in overdue and "просрочено на 1 рабочий день" in overdue

    freeze_now(datetime.datetime(2026, 11, 9, 9, 0))  # Thu 5, Fri 6, Mon 9
    client.force_login(chief)  # (the session ended over the weekend)
    assert "просрочено на 3 рабочих дня" in _text(
        client.get(reverse("assignment", args=[assignment.pk]))
    )
    # done late: still says so, to the chief
    client.force_login(specialist)
    client.post(reverse("assignment_done", args=[assignment.pk]), {"note": "сделано"})
    client.force_login(chief)
    done = _text(client.get(reverse("assignments"), {"state": "done"}))
    assert "выполнено 09.11.2026 с опозданием на 3 рабочих дня" in done
    assert "1/2026" not in _text(client.get(reverse("assignments"), {"state": "overdue"}))


def test_overdue_filter_in_sql_agrees_with_the_due_dates_of_every_row(
    specialist, chief, office, catalogue, freeze_now
):
    """`WorkKind.overdue_q` (what the strip counts) and `due_of` (what the rows show) agree,
    also for work due N working days after it arrived (selection items), across the holiday."""
    freeze_now(datetime.datetime(2026, 10, 1, 10, 0))
    items = []
    for offset in range(0, 40):
        item = SelectionFactory(
            office=office, assigned_to=specialist, applicant__last_name=f"Сроков{offset}"
        )
        moment = timezone.make_aware(datetime.datetime(2026, 10, 1, 23, 50))
        moment += datetime.timedelta(days=offset)
        type(item).objects.filter(pk=item.pk).update(created_at=moment)
        items.append(item.pk)
    for day in (D(2026, 11, 3), D(2026, 11, 5), D(2026, 11, 9), D(2026, 11, 24)):
        kind = work.KINDS["selection"]
        flagged = {o.pk for o in kind.open_items(specialist) if kind.due_of(o) < day}
        counted = set(
            kind.open_items(specialist).filter(kind.overdue_q(day)).values_list("pk", flat=True)
        )
        assert flagged == counted and flagged, day


# --- Who may do what -----------------------------------------------------------------------------


def test_a_specialist_cannot_give_nor_complete_anothers_and_another_office_gets_404(
    client, chief, specialist, substitute, other_chief, office, catalogue
):
    application = ApplicationFactory(actor=specialist, applicant__last_name="Чужаков")
    assignment = _give(chief, specialist, about=application)

    client.force_login(specialist)
    assert client.get(reverse("assignment_new")).status_code == 403
    assert (
        "Дать поручение"
        not in client.get(reverse("cases:application", args=[application.pk])).content.decode()
    )
    with pytest.raises(PermissionDenied):
        _give(specialist, substitute)

    # a colleague may neither open nor complete it
    client.force_login(substitute)
    assert client.get(reverse("assignment", args=[assignment.pk])).status_code == 403
    response = client.post(reverse("assignment_done", args=[assignment.pk]), {"note": "сделала"})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        svc.complete_assignment(assignment, actor=substitute, note="сделала")
    assignment.refresh_from_db()
    assert assignment.status == "open"

    # another office: not found, and the attempt is in the access log as refused
    client.force_login(other_chief)
    for url in (
        reverse("assignment", args=[assignment.pk]),
        f"{reverse('assignment_new')}?about=cases.application:{application.pk}",
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("assignment_cancel", args=[assignment.pk]),
                       {"reason": "чужое"}).status_code == 404  # fmt: skip
    refused = AccessLog.objects.filter(user=other_chief, result="refused")
    assert (
        refused.filter(subject_type="onewindow.assignment", subject_id=str(assignment.pk)).count()
        == 2
    )
    assert refused.filter(subject_type="cases.application", subject_id=str(application.pk)).exists()
    assert "Запросить у заявителя" not in _text(client.get(reverse("assignments")))
    with pytest.raises(PermissionDenied):
        svc.cancel_assignment(assignment, actor=other_chief, reason="чужое")
    # nor can they give it to our specialist, or about our record
    with pytest.raises(svc.AssignmentError, match="не может быть исполнителем"):
        _give(other_chief, specialist)
    other_specialist = make_user(roles.SPECIALIST, other_chief.office, "theirs")
    with pytest.raises(svc.AssignmentError, match="только записи вашего учреждения"):
        _give(other_chief, other_specialist, about=application)
    assert Assignment.objects.count() == 1


def test_chief_reassigns_and_cancels_with_a_reason_in_the_history(
    client, chief, specialist, substitute
):
    assignment = _give(chief, specialist)
    client.force_login(chief)
    response = client.post(
        reverse("assignment_reassign", args=[assignment.pk]), {"assignee": substitute.pk}
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.assignee == substitute
    assert assignment.history.order_by("-history_id").first().history_change_reason == (
        f"исполнитель: Петрова{NBSP}А.{NBSP}С. → Заменова{NBSP}О.{NBSP}С."
    )
    # the first assignee may no longer complete it
    with pytest.raises(PermissionDenied):
        svc.complete_assignment(assignment, actor=specialist, note="сделано")

    refused = client.post(reverse("assignment_cancel", args=[assignment.pk]), {"reason": ""})
    assert "Укажите, почему поручение отменяется." in refused.content.decode()
    client.post(
        reverse("assignment_cancel", args=[assignment.pk]),
        {"reason": "Заявитель отозвал заявление"},
    )
    assignment.refresh_from_db()
    assert assignment.status == "cancelled" and assignment.cancelled_by == chief
    assert not work.KINDS["assignment"].open_items(substitute).exists()
    # a closed one cannot be done or moved any more
    with pytest.raises(svc.AssignmentError, match=r"отменено 24\.11\.2026: Заявитель отозвал"):
        svc.complete_assignment(assignment, actor=substitute, note="сделано")
    response = client.post(
        reverse("assignment_reassign", args=[assignment.pk]), {"assignee": specialist.pk}
    )
    assert response.status_code == 302
    assert "Поручение отменено" in _text(client.get(response["Location"]))
    assignment.refresh_from_db()
    assert assignment.assignee == substitute


# --- Handover ------------------------------------------------------------------------------------


def test_handover_moves_open_assignments_lists_them_in_the_act_and_returns_them(
    client, chief, specialist, substitute, office, catalogue
):
    ApplicationFactory(actor=specialist, applicant__last_name="Передаев")
    open_one = _give(chief, specialist, text="Подготовить ответ в прокуратуру")
    done_one = _give(chief, specialist, text="Сверить журнал")
    svc.complete_assignment(done_one, actor=specialist, note="сверено")

    today = timezone.localdate()
    moved = handover.hand_over(
        actor=chief, from_user=specialist, to_user=substitute, reason="illness",
        starts_on=today, ends_on=today + datetime.timedelta(days=6),
    )  # fmt: skip
    open_one.refresh_from_db()
    done_one.refresh_from_db()
    assert open_one.assignee == substitute and done_one.assignee == specialist
    item = HandoverItem.objects.get(handover=moved, kind="assignment")
    assert item.object_id == open_one.pk and item.due_date == open_one.due_date
    record = open_one.history.order_by("-history_id").first()
    assert record.history_user == chief and record.assignee == substitute

    client.force_login(chief)
    text = pdf_text(client.get(reverse("handover_act", args=[moved.pk])).content)
    assert "Поручение № 1/2026" in text and "Подготовить ответ в прокуратуру" in text
    assert "Сверить журнал" not in text
    detail = _text(client.get(reverse("assignment", args=[open_one.pk])))
    assert "Исполнитель: Петрова А. С. → Заменова О. С." in detail

    client.force_login(substitute)
    assert "Подготовить ответ в прокуратуру" in _text(client.get(reverse("my_work")))

    handover.return_handover(moved, actor=chief)
    open_one.refresh_from_db()
    assert open_one.assignee == specialist


# --- The buttons on the pages of the records ------------------------------------------------------


def test_give_button_on_each_record_page_prefills_the_link_for_the_chief_only(
    client, chief, specialist, office, catalogue
):
    interagency = InteragencyRequestFactory(
        actor=specialist, application__applicant__last_name="Кнопкин"
    )
    application = interagency.application
    incoming = IncomingRequestFactory(actor=specialist, office=office, last_name="Запросова")
    selection = SelectionFactory(
        office=office, assigned_to=specialist, applicant__last_name="Селекцова"
    )
    pages = {
        "cases.application": (reverse("cases:application", args=[application.pk]), application),
        "cases.applicant": (reverse("cases:applicant", args=[application.applicant_id]),
                            application.applicant),
        "cases.interagencyrequest": (reverse("cases:interagency", args=[interagency.pk]), interagency),
        "cases.incomingrequest": (reverse("cases:incoming", args=[incoming.pk]), incoming),
        "reconciliation.selection": (reverse("reconciliation:item", args=[selection.pk]), selection),
    }  # fmt: skip
    for label, (url, obj) in pages.items():
        client.force_login(chief)
        html = client.get(url).content.decode()
        match = re.search(r'href="([^"]+)">Дать поручение</a>', html)
        assert match, label
        assert match.group(1).endswith(f"about={label}%3A{obj.pk}")
        form = client.get(match.group(1).replace("&amp;", "&"))
        assert form.status_code == 200
        assert f'name="about" value="{label}:{obj.pk}"' in form.content.decode()
        client.post(match.group(1).replace("&amp;", "&"),
                    {"text": f"по {label}", "assignee": specialist.pk, "days": "1",
                     "about": f"{label}:{obj.pk}"})  # fmt: skip
        assert Assignment.objects.get(text=f"по {label}").about == obj
        client.force_login(specialist)
        assert "Дать поручение" not in client.get(url).content.decode()
    # the chief's list says what each concerns, each a link to it
    client.force_login(chief)
    listing = client.get(reverse("assignments")).content.decode()
    for url, _ in pages.values():
        assert f'href="{url}"' in listing
    assert IncomingRequest.objects.filter(pk=incoming.pk).exists()


def test_chiefs_list_filters_by_specialist_and_counts_by_specialist(
    client, chief, specialist, substitute, freeze_now
):
    freeze_now(datetime.datetime(2026, 11, 2, 10, 0))
    _give(chief, specialist, text="Первое", days=None, due_date=D(2026, 11, 3))
    _give(chief, substitute, text="Второе", days=None, due_date=D(2026, 11, 3))
    _give(chief, substitute, text="Третье", days=10)
    freeze_now(datetime.datetime(2026, 11, 5, 10, 0))
    client.force_login(chief)
    page = client.get(reverse("assignments"), {"state": "overdue", "assignee": substitute.pk})
    text = _text(page)
    assert "Второе" in text and "Первое" not in text and "Третье" not in text
    html = page.content.decode()
    assert f'href="?state=overdue&amp;assignee={substitute.pk}">1</a>' in html
    assert f'href="?state=open&amp;assignee={substitute.pk}">2</a>' in html
    bad = client.get(reverse("assignments"), {"assignee": "999999"})
    assert "Такого сотрудника в учреждении нет." in bad.content.decode()
    assert "Первое" not in _text(bad)


# --- The specialist's strip over the counter ----------------------------------------------------

STRIP_PAGE_QUERIES = 12


def test_strip_shows_my_figures_each_a_link_to_exactly_those_records(
    client, chief, specialist, substitute, office, catalogue, freeze_now,
    django_assert_max_num_queries,
):  # fmt: skip
    freeze_now(datetime.datetime(2026, 11, 2, 10, 0))
    late = _give(
        chief, specialist, text="Просроченное поручение", days=None, due_date=D(2026, 11, 3)
    )
    SelectionFactory(office=office, assigned_to=specialist, applicant__last_name="Селекцова")
    ApplicationFactory(
        actor=specialist, applicant__last_name="Вчерашний"
    )  # accepted on another day
    freeze_now(datetime.datetime(2026, 11, 24, 10, 0))
    _give(chief, specialist, text="Свежее поручение", days=3)
    today = [
        ApplicationFactory(actor=specialist, applicant__last_name=name)
        for name in ("Сегодняшний", "Утренний")
    ]
    ApplicationFactory(
        actor=substitute, applicant__last_name="Чужой"
    )  # accepted today by someone else

    client.force_login(specialist)
    client.get(reverse("cases:counter"))  # warm the session and the calendar
    # session, user, permissions (2), groups, office, the session saved (3); the navigation's
    # badge (1); the strip: every kind's counts (1) and today's intake (1)
    with django_assert_max_num_queries(STRIP_PAGE_QUERIES):
        page = client.get(reverse("cases:counter"))
    html = page.content.decode()
    strip = re.search(r'<nav class="my-strip".*?</nav>', html, re.S).group(0)
    links = dict(
        (re.sub(r"<[^>]+>", "", text).strip(), href.replace("&amp;", "&"))
        for href, text in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', strip)
    )
    journal = f"{reverse('cases:journal')}?date_from=2026-11-24&date_to=2026-11-24&accepted_by={specialist.pk}"
    # the selection item is overdue (10 working days after 02.11), the old assignment too, and
    # the applications accepted 02.11 are past their 10-working-day deadline
    overdue = sum(late_ for _, late_ in work.open_counts(specialist).values())
    assert overdue >= 3
    assert links == {
        "Сегодня принято мной: 2": journal,
        f"Мои просроченные: {overdue}": f"{reverse('my_work')}?overdue=1",
        "Мои открытые селекции: 1": f"{reverse('reconciliation:worklist')}?status=open&whose=mine",
        "Поручения: 2": f"{reverse('my_work')}?kind=assignment",
        "(просрочено 1)": f"{reverse('my_work')}?kind=assignment&overdue=1",
    }

    # each link lists exactly those records
    listed = _text(client.get(journal))
    assert all(a.applicant.last_name in listed for a in today)
    assert "Вчерашний" not in listed and "Чужой" not in listed
    assert "2 заявления" in listed
    overdue_page = _text(client.get(f"{reverse('my_work')}?overdue=1"))
    assert "Просроченное поручение" in overdue_page and "Свежее поручение" not in overdue_page
    assert "Вчерашний" in overdue_page and "Сегодняшний" not in overdue_page
    assert "Селекцова" in overdue_page
    assert overdue_page.count("просрочено на") == overdue
    worklist = _text(client.get(f"{reverse('reconciliation:worklist')}?status=open&whose=mine"))
    assert "Селекцова" in worklist
    late_page = _text(client.get(f"{reverse('my_work')}?kind=assignment&overdue=1"))
    assert "Просроченное поручение" in late_page and "Свежее поручение" not in late_page
    assert late.pk

    # the same number of queries with more data behind the figures
    for n in range(5):
        _give(chief, specialist, text=f"Ещё {n}", days=2)
        ApplicationFactory(actor=specialist, applicant__last_name=f"Ещё{n}")
    with django_assert_max_num_queries(STRIP_PAGE_QUERIES):
        client.get(reverse("cases:counter"))
    # not on the search box's partial requests
    partial = client.get(reverse("cases:counter"), {"q": "Сегодняшний"}, HTTP_HX_REQUEST="true")
    assert "Сегодняшний" in partial.content.decode()
    assert "my-strip" not in partial.content.decode()


def test_strip_counts_match_open_work_for_every_kind(
    client, specialist, chief, office, catalogue, freeze_now
):
    """The badge and the strip read one query; its figures are the lists' own."""
    ApplicationFactory(actor=specialist, applicant__last_name="Считаев")
    _give(chief, specialist)
    SelectionFactory(office=office, assigned_to=specialist, applicant__last_name="Селекцова")
    freeze_now(datetime.datetime(2027, 1, 20, 10, 0))
    today = timezone.localdate()
    counts = work.open_counts(specialist)
    for code, items in work.open_work(specialist).items():
        kind = work.KINDS[code]
        rows = list(items)
        flagged = sum(1 for obj in rows if (due := kind.due_of(obj)) and due < today)
        assert counts[code] == (len(rows), flagged), code
    assert work.open_work_count(specialist) == sum(n for n, _ in counts.values()) > 0
    assert Application.objects.exists()


# --- Destroying a person's data -----------------------------------------------------------------


def test_destroying_a_file_erases_what_assignments_say_about_the_person(
    client,
    rich_file,
    archivist,
    chief,
    director,
    specialist,
):
    from archive.models import PersonalDataDestruction
    from onewindow import erasure

    linked = _give(chief, specialist, text="Позвонить Тиховодову Е. Н. по заявлению",
                   about=rich_file["application"])  # fmt: skip
    svc.complete_assignment(
        linked, actor=specialist, note="Тиховодов извещён по телефону +7 (917) 555-44-33"
    )
    about_selection = _give(chief, specialist, text="Проверить совпадение",
                            about=rich_file["selection"])  # fmt: skip
    named = _give(chief, specialist, text="Найти в архиве дело Тиховодова Е. Н.")
    unrelated = _give(chief, specialist, text="Сверить журнал за ноябрь")
    substitute = make_user(roles.SPECIALIST, specialist.office, "substitute")
    moved = handover.hand_over(actor=chief, from_user=specialist, to_user=substitute,
                               reason="illness", starts_on=D(2026, 11, 24), ends_on=D(2026, 11, 30))  # fmt: skip
    assert "Тиховодова" in HandoverItem.objects.get(handover=moved, object_id=named.pk,
                                                    kind="assignment").description  # fmt: skip

    act = execute_destruction(client, archivist, chief, director)

    assert table_leaks() == {}
    linked.refresh_from_db()
    # the assignment stays: who, to whom, when, done; not what it said about the person
    assert (linked.text, linked.done_note, linked.status) == (erasure.ERASED, "", "done")
    assert linked.given_by == chief and linked.done_at is not None
    assert {h.text for h in linked.history.all()} == {erasure.ERASED}
    about_selection.refresh_from_db()
    assert about_selection.text == erasure.ERASED
    named.refresh_from_db()
    assert named.text == "Найти в архиве дело [обезличено] Е. Н."
    unrelated.refresh_from_db()
    assert unrelated.text == "Сверить журнал за ноябрь"
    (subject,) = PersonalDataDestruction.objects.get(act=act).subjects
    assert "поручения сотрудникам по делам гражданина" in subject["categories"]


def test_with_nobody_else_to_take_it_the_page_says_so_instead_of_an_empty_picker(
    client, chief, specialist, substitute
):
    assignment = _give(chief, specialist)
    client.force_login(chief)
    url = reverse("assignment", args=[assignment.pk])
    page = client.get(url).content.decode()
    assert reverse("assignment_reassign", args=[assignment.pk]) in page  # the substitute can
    substitute.is_active = False
    substitute.save(update_fields=["is_active"])
    page = client.get(url).content.decode()
    assert "Передать некому" in page
    assert reverse("assignment_reassign", args=[assignment.pk]) not in page
