import datetime

import pytest
from django.urls import reverse

from archive import services
from archive.models import ArchivedFile, InventoryCheck
from cases.services import ensure_case_file
from onewindow import roles
from tests.archive.helpers import form_data
from tests.factories import ApplicantFactory, make_user
from tests.pdf_utils import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive_with_files(client, archivist, office, box):
    box.capacity = None
    box.save()
    client.force_login(archivist)
    for number in ("001", "002", "004", "005а"):
        case_file = ensure_case_file(
            ApplicantFactory(office=office, snils="", last_name=f"Полкин{number}"),
            actor=archivist,
            on=datetime.date(2018, 1, 1),
        )
        client.post(reverse("archive:register"), form_data(case_file, box, archive_number=number))
    assert ArchivedFile.objects.count() == 4
    return ArchivedFile.objects.all()


@pytest.fixture
def commission(office, archivist, chief):
    return [
        archivist,
        chief,
        make_user(roles.SPECIALIST, office, "member3", last_name="Третьякова"),
    ]


def test_commission_of_fewer_than_three_is_refused(client, archivist, chief, archive_with_files):
    html = client.post(reverse("archive:checks"), {"order_number": "15", "order_date": "2026-11-20",
                                                   "commission": [archivist.pk, chief.pk], "chair": chief.pk}).content.decode()  # fmt: skip
    assert "Комиссия — не меньше трёх человек." in html
    assert not InventoryCheck.objects.exists()


def test_scan_results_and_the_act(client, archivist, commission, archive_with_files):
    html = client.post(reverse("archive:checks"), {"order_number": "15", "order_date": "2026-11-20",
                                                   "commission": [m.pk for m in commission], "years": "2020",
                                                   "chair": commission[0].pk},
                       follow=True).content.decode()  # fmt: skip
    assert "Начата проверка наличия по приказу № 15: дел в списке 4." in html
    check = InventoryCheck.objects.get()
    assert check.items.count() == 4
    scan = reverse("archive:check_scan", args=[check.pk])
    html = client.post(
        scan, {"code": "ARCH:krasnooktyabrsky:001"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "№ 001 — найдено" in html and "Найдено 1 из 4" in html
    html = client.post(scan, {"code": "001"}, headers={"HX-Request": "true"}).content.decode()
    assert "№ 001 уже отмечено" in html
    html = client.post(scan, {"code": "999"}, headers={"HX-Request": "true"}).content.decode()
    assert "№ 999 в архиве не числится" in html and 'data-beep="1"' in html
    client.post(scan, {"code": "002"})
    client.post(scan, {"code": "005а"})
    finish = reverse("archive:check_finish", args=[check.pk])
    # the first step only asks: how many files will be marked not found, and which
    html = client.get(finish).content.decode()
    assert "1 дело не отмечено и будет отмечено как «не найдено при проверке»" in html
    assert "№ 004" in html and "Да, завершить: 1 дело не найдено" in html
    client.post(finish)  # without the confirmation: nothing happens
    assert ArchivedFile.objects.get(archive_number="004").status == "in_archive"
    assert InventoryCheck.objects.get().status == "in_progress"
    html = client.post(finish, {"confirm": "1"}, follow=True).content.decode()
    assert "Проверка завершена: в наличии 3 из 4, не найдено 1 дело." in html
    missing = ArchivedFile.objects.get(archive_number="004")
    assert missing.status == "not_found" and missing.last_checked_on is not None
    assert ArchivedFile.objects.get(archive_number="001").last_checked_on is not None
    text = pdf_text(client.get(reverse("archive:check_act", args=[check.pk])).content)
    assert "АКТ № 1 ПРОВЕРКИ НАЛИЧИЯ ДЕЛ" in text and "приказ директора от 20.11.2026 № 15" in text
    assert (
        "Числится по описям (дел) 4" in text
        and "Имеется в наличии 3" in text
        and "Не обнаружено 1" in text
    )
    assert "пропущен номер 003" in text and "литерный номер 005а" in text
    assert "Обнаружено лишних (не числящихся) 1" in text and "999 — в архиве не числится" in text
    for member in commission:
        assert member.full_name in text


def test_technical_errors():
    assert services.technical_errors(["1", "2", "4", "4а"]) == [
        "литерный номер 4а",
        "пропущен номер 3",
    ]


def test_a_number_typed_in_lower_case_or_the_latin_layout_is_the_same_file(
    client, archivist, commission, office, box
):
    box.capacity = None
    box.save()
    client.force_login(archivist)
    for number in ("А-2015-0005", "А-2015-0006"):  # Cyrillic А, as the labels print it
        case_file = ensure_case_file(
            ApplicantFactory(office=office, snils="", last_name=f"Буквин{number[-1]}"),
            actor=archivist, on=datetime.date(2018, 1, 1),
        )  # fmt: skip
        client.post(reverse("archive:register"), form_data(case_file, box, archive_number=number))
    check = services.start_check(
        actor=archivist,
        order_number="3",
        order_date=datetime.date(2026, 11, 20),
        commission=commission,
    )
    assert services.scan(check, "а-2015-0005", actor=archivist)[0] == "found"  # lower case
    assert services.scan(check, "A-2015-0006", actor=archivist)[0] == "found"  # Latin A
    assert services.scan(check, "a-2015-0006", actor=archivist)[0] == "again"
    assert not check.extras.exists()


def _printed(case_file_number: int) -> str:
    return f"ЛД-{case_file_number:06d}"  # as the case file and the counter print it


@pytest.mark.parametrize(
    "typed",
    [
        lambda n: _printed(n),  # «ЛД-000003»
        lambda n: f"ЛД-{n}",  # without the leading zeros
        lambda n: f"лд {n}",
        lambda n: f"LD-{n:06d}",  # Latin letters
        lambda n: f"KL-{n:06d}",  # the same keys in the Latin layout
        lambda n: "004",  # the archive number as stored
        lambda n: "4",  # …without its leading zeros
        lambda n: "0004",
    ],
)
def test_scan_and_archive_search_accept_the_printed_numbers(
    client, archivist, commission, archive_with_files, typed
):
    item = ArchivedFile.objects.get(archive_number="004")
    query = typed(item.case_file.number)
    html = client.get(reverse("archive:list"), {"q": query}).content.decode()
    assert "Полкин004" in html and "Полкин001" not in html
    check = services.start_check(
        actor=archivist, order_number="7", order_date=datetime.date(2026, 11, 20),
        commission=commission,
    )  # fmt: skip
    kind, message = services.scan(check, query, actor=archivist)
    assert (kind, message.split(" — ")[0]) == ("found", "№ 004")


def test_a_case_file_number_of_no_archived_file_is_unknown(
    archivist, commission, archive_with_files
):
    check = services.start_check(
        actor=archivist, order_number="8", order_date=datetime.date(2026, 11, 20),
        commission=commission,
    )  # fmt: skip
    assert services.scan(check, "ЛД-009999", actor=archivist)[0] == "unknown"
    assert services.scan(check, "0003", actor=archivist)[0] == "unknown"  # 003 is not there
