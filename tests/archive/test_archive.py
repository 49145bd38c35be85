import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from archive import services
from archive.models import ArchivedFile, FileIssue, Inventory, RetentionRule
from cases.models import CaseFile, Entitlement
from cases.services import ensure_case_file
from services.models import Service
from tests.archive.helpers import form_data
from tests.factories import ApplicantFactory
from tests.pdf_utils import pdf_pages, pdf_text

pytestmark = pytest.mark.django_db
D = datetime.date


def test_retention_ends_and_eligibility_starts_on_1_january():
    rule = RetentionRule(years=5, permanent=False)
    assert rule.eligible_from(D(2020, 6, 30)) == D(2026, 1, 1)
    assert rule.eligible_from(D(2020, 1, 1)) == D(2026, 1, 1)
    assert rule.eligible_from(D(2020, 12, 31)) == D(2026, 1, 1)
    assert RetentionRule(years=None, permanent=True).eligible_from(D(2020, 6, 30)) is None


def test_archivist_takes_a_closed_file_in(client, archivist, closed_file, box):
    client.force_login(archivist)
    response = client.post(reverse("archive:register"), form_data(closed_file, box))
    item = ArchivedFile.objects.get()
    assert response["Location"] == reverse("archive:file", args=[item.pk])
    assert item.eligible_from == D(2026, 1, 1) and item.nomenclature_index == "07-15"
    assert item.title == "Личное дело получателя мер социальной поддержки Архивова Ивана Ивановича"
    closed_file.refresh_from_db()
    assert closed_file.status == CaseFile.Status.ARCHIVED
    assert item.history.get().history_user == archivist
    text = pdf_text(client.get(reverse("archive:label", args=[item.pk])).content)
    assert (
        "Дело № 2020-001" in text
        and "07-15" in text
        and "Крайние даты: 01.01.2018 – 30.06.2020" in text
    )
    assert "уничтожить не ранее 01.01.2026" in text and "ст. 477" in text


def test_file_with_an_active_measure_is_refused(client, archivist, office, box, catalogue):
    person = ApplicantFactory(office=office, snils="")
    case_file = ensure_case_file(person, actor=archivist, on=D(2018, 1, 1))
    Entitlement.objects.create(office=office, applicant=person, case_file=case_file,
                               service=Service.objects.get(code="asp"), start_date=D(2024, 1, 1))  # fmt: skip
    client.force_login(archivist)
    html = client.post(reverse("archive:register"), form_data(case_file, box)).content.decode()
    assert "действующие или приостановленные меры: Адресное социальное пособие (действует)" in html
    assert not ArchivedFile.objects.exists()


def test_full_box_wrong_place_and_taken_number_are_refused(
    client, archivist, closed_file, box, office
):
    client.force_login(archivist)
    shelf = box.parent
    html = client.post(
        reverse("archive:register"), form_data(closed_file, box, location=shelf.pk)
    ).content.decode()
    assert "Такого места хранения нет." in html  # only boxes are offered
    html = client.post(
        reverse("archive:register"), form_data(closed_file, box, location=999999)
    ).content.decode()
    assert "Такого места хранения нет." in html
    for n in range(2):
        other = ensure_case_file(
            ApplicantFactory(office=office, snils="", last_name=f"Коробов{n}"),
            actor=archivist,
            on=D(2018, 1, 1),
        )
        client.post(reverse("archive:register"), form_data(other, box, archive_number=f"X-{n}"))
    assert ArchivedFile.objects.count() == 2
    html = client.post(reverse("archive:register"), form_data(closed_file, box)).content.decode()
    assert "Короб «помещение 101 / стеллаж 1 / полка 2 / короб К-15» заполнен: 2 из 2 дел." in html
    box.capacity = 10
    box.save()
    html = client.post(
        reverse("archive:register"), form_data(closed_file, box, archive_number="X-0")
    ).content.decode()
    assert "Архивный номер «X-0» уже занят." in html


def test_issue_return_overdue_and_no_double_issue(
    client, archivist, specialist, closed_file, box, freeze_now
):
    client.force_login(archivist)
    client.post(reverse("archive:register"), form_data(closed_file, box))
    item = ArchivedFile.objects.get()
    client.post(
        reverse("archive:issue_file", args=[item.pk]),
        {"to_user": specialist.pk, "purpose": "проверка права"},
    )
    issue = FileIssue.objects.get()
    assert issue.due_back == D(2026, 11, 25)  # one working day after Tuesday 24.11.2026
    item.refresh_from_db()
    assert item.status == "issued"
    with pytest.raises(services.ArchiveError, match="Дело уже выдано"):
        services.issue_file(item, actor=archivist, to_user=specialist, purpose="ещё раз")
    with pytest.raises(
        services.ArchiveError, match=r"Дело выдано: переместить его можно после возврата\."
    ):
        services.move_file(item, box, actor=archivist)
    text = pdf_text(client.get(reverse("archive:card", args=[issue.pk])).content)
    assert (
        "КАРТА-ЗАМЕСТИТЕЛЬ" in text
        and "проверка права" in text
        and "Петрова Анна Сергеевна" in text
    )
    freeze_now(datetime.datetime(2026, 11, 27, 10, 0))
    client.force_login(archivist)
    html = client.get(reverse("archive:list")).content.decode()
    assert "Не возвращены в срок" in html and "вернуть до 25.11.2026" in html
    client.force_login(specialist)
    assert "Дело из архива № 2020-001" in client.get(reverse("my_work")).content.decode()
    client.force_login(archivist)
    client.post(reverse("archive:issue", args=[issue.pk]))
    item.refresh_from_db()
    issue.refresh_from_db()
    assert (
        item.status == "in_archive"
        and issue.returned_on == D(2026, 11, 27)
        and issue.received_by == archivist
    )


def test_inventory_pdf_and_xlsx_have_the_standard_columns(client, archivist, closed_file, box):
    client.force_login(archivist)
    client.post(reverse("archive:register"), form_data(closed_file, box))
    client.post(reverse("archive:inventory"), {"year": 2020, "group": "short", "index": "07-15"})
    inventory = Inventory.objects.get()
    text = pdf_text(client.get(reverse("archive:inventory_pdf", args=[inventory.pk])).content)
    assert "ОПИСЬ № 1" in text and "за 2020 год, индекс 07-15" in text
    for column in ("Индекс дела", "Заголовок дела", "Крайние даты", "Срок хранения, статья перечня",
                   "Количество листов", "Примечание"):  # fmt: skip
        assert column in text
    assert "01.01.2018 – 30.06.2020" in text
    assert "В данный раздел описи внесено 1 (одно) дело с № 1 по № 1" in text
    # the compiler signs with position, name and date (the archivist who drew the list up)
    assert "Составитель: архивариус А. С. Волкова 24.11.2026" in text
    response = client.get(reverse("archive:inventory_xlsx", args=[inventory.pk]))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][:2] == ("№ п/п", "Индекс дела") and rows[1][-2:] == (
        "Количество листов",
        "Примечание",
    )
    assert rows[2][:3] == (1, "07-15", "2020-001") and rows[2][6] == 48


def test_search_by_number_name_and_box(client, archivist, closed_file, box):
    client.force_login(archivist)
    client.post(reverse("archive:register"), form_data(closed_file, box))
    for query in ("2020-001", "архивов", "К-15"):
        assert "2020-001" in client.get(reverse("archive:list"), {"q": query}).content.decode(), (
            query
        )
    assert (
        "Ничего не найдено"
        in client.get(reverse("archive:list"), {"q": "нет такого"}).content.decode()
    )


def test_specialist_cannot_take_files_in_and_other_office_gets_404(
    client, specialist, other_office, archivist, closed_file, box
):
    from onewindow import roles
    from tests.factories import make_user

    other_archivist = make_user(roles.ARCHIVIST, other_office, "archivist2")
    client.force_login(specialist)
    assert client.post(reverse("archive:register"), form_data(closed_file, box)).status_code == 403
    client.force_login(archivist)
    client.post(reverse("archive:register"), form_data(closed_file, box))
    item = ArchivedFile.objects.get()
    client.force_login(other_archivist)
    assert client.get(reverse("archive:file", args=[item.pk])).status_code == 404
    assert "2020-001" not in client.get(reverse("archive:list")).content.decode()


def test_archivist_moves_a_file_and_a_full_box_or_issued_file_is_refused(
    client, archivist, files, office
):
    from archive.models import Location

    client.force_login(archivist)
    item = files["old"]
    room = Location.objects.get(office=office, kind="room", name="1")
    new_box = Location.objects.create(
        office=office, kind="box", name="К-10", parent=room, capacity=1
    )
    response = client.post(
        reverse("archive:move_file", args=[item.pk]), {"location": new_box.pk}, follow=True
    )
    assert f"Дело перемещено: {new_box.path}." in response.content.decode()
    item.refresh_from_db()
    assert item.location == new_box
    assert item.history.first().history_user == archivist
    other = files["young"]
    response = client.post(
        reverse("archive:move_file", args=[other.pk]), {"location": new_box.pk}, follow=True
    )
    assert "заполнен" in response.content.decode()
    other.refresh_from_db()
    assert other.location != new_box
    issued = files["issued"]
    response = client.post(
        reverse("archive:move_file", args=[issued.pk]), {"location": new_box.pk}, follow=True
    )
    assert "Дело выдано: переместить его можно после возврата." in response.content.decode()


def test_legal_hold_needs_a_reason_blocks_destruction_and_can_be_lifted(
    client, archivist, chief, files
):
    item = files["old"]
    client.force_login(chief)
    assert (
        client.post(
            reverse("archive:hold_file", args=[item.pk]), {"hold": "1", "reason": "суд"}
        ).status_code
        == 403
    )
    client.force_login(archivist)
    response = client.post(
        reverse("archive:hold_file", args=[item.pk]), {"hold": "1", "reason": ""}, follow=True
    )
    assert "Укажите основание запрета" in response.content.decode()
    response = client.post(
        reverse("archive:hold_file", args=[item.pk]),
        {"hold": "1", "reason": "запрос суда № 2-15/2026"},
        follow=True,
    )
    html = response.content.decode()
    assert "Запрет уничтожения установлен." in html and "запрос суда № 2-15/2026" in html
    item.refresh_from_db()
    assert (
        item.legal_hold
        and item.history.first().history_change_reason
        == "Запрет уничтожения: запрос суда № 2-15/2026"
    )
    assert item not in services.eligible_files(item.office, datetime.date(2026, 11, 24))
    client.post(
        reverse("archive:hold_file", args=[item.pk]), {"hold": "0", "reason": "дело рассмотрено"}
    )
    item.refresh_from_db()
    assert not item.legal_hold and item.legal_hold_reason == ""
    assert item in services.eligible_files(item.office, datetime.date(2026, 11, 24))


def test_labels_print_eight_to_an_a4_sheet(client, archivist, office, box, catalogue):
    from pypdf import PdfReader

    box.capacity = None
    box.save()
    client.force_login(archivist)
    for n in range(9):
        case_file = ensure_case_file(
            ApplicantFactory(office=office, snils="", last_name=f"Ярлыков{'абвгдеёжз'[n]}"),
            actor=archivist,
            on=D(2018, 1, 1),
        )
        client.post(
            reverse("archive:register"), form_data(case_file, box, archive_number=f"L-{n + 1}")
        )
    assert ArchivedFile.objects.count() == 9
    pdf = client.get(reverse("archive:labels"), {"q": box.name}).content
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) == 2  # 9 labels: a full sheet of 8 and one more
    width, height = (round(float(v) / 72 * 25.4) for v in pages[0].mediabox[2:])
    assert (width, height) == (210, 297)  # A4, not one label per page
    first = pdf_pages(pdf)[0]
    assert all(f"Дело № L-{n}" in first for n in range(1, 9)) and "L-9" not in first
    # one file's label: the same sheet; ?start= skips the cells already used
    item = ArchivedFile.objects.get(archive_number="L-1")
    single = client.get(reverse("archive:label", args=[item.pk]), {"start": "3"}).content
    assert len(PdfReader(io.BytesIO(single)).pages) == 1
    assert "Дело № L-1" in pdf_text(single)
