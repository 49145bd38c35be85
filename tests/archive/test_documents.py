"""Issue 16: the archive's printed documents as an inspector accepts them — the inventory list
(a saved document with its approval block, retention column and closing entry, keeping destroyed
files), the case-file cover and the spine/box label, the substitute card."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from archive import services
from archive.models import ArchivedFile, Inventory, InventoryItem, RetentionRule
from onewindow.names import NBSP
from onewindow.text import counted, counted_in_words, number_in_words, years_phrase
from services.models import Service
from tests.factories import ApplicantFactory, ArchivedFileFactory
from tests.pdf_utils import pdf_text

pytestmark = pytest.mark.django_db
D = datetime.date
BASIS_236 = (
    "Перечень типовых управленческих архивных документов, образующихся в процессе деятельности "
    "государственных органов, органов местного самоуправления и организаций, с указанием сроков "
    "их хранения (приказ Росархива от 20.12.2019 № 236), ст. 900"
)
UNIT = "Отдел назначения мер социальной поддержки"


def test_numbers_in_words_and_agreeing_nouns():
    assert number_in_words(12) == "двенадцать"
    assert number_in_words(1, "n") == "одно" and number_in_words(2, "f") == "две"
    assert number_in_words(21, "n") == "двадцать одно"
    assert number_in_words(2341) == "две тысячи триста сорок один"
    assert [counted(n, "дело,дела,дел") for n in (1, 2, 5, 11, 21)] == [
        "1 дело", "2 дела", "5 дел", "11 дел", "21 дело",
    ]  # fmt: skip
    assert counted_in_words(12, "дело,дела,дел", "n") == "12 (двенадцать) дел"
    assert counted_in_words(1, "дело,дела,дел", "n") == "1 (одно) дело"
    assert years_phrase([2019]) == "за 2019 год"
    assert years_phrase([2019, 2018]) == "за 2018–2019 годы"


@pytest.mark.parametrize(
    "last,first,middle,sex,genitive",
    [
        ("Григорьев", "Олег", "Семёнович", "M", "Григорьева Олега Семёновича"),
        ("Волкова", "Ирина", "Павловна", "F", "Волковой Ирины Павловны"),
        ("Римская-Корсакова", "Анна", "Павловна", "F", "Римской-Корсаковой Анны Павловны"),
        ("Ким", "Анна", "", "F", "Ким Анны"),
    ],
)
def test_file_title_names_the_recipient_in_the_genitive(last, first, middle, sex, genitive):
    person = ApplicantFactory.build(last_name=last, first_name=first, middle_name=middle, sex=sex)
    assert services.file_title(person) == (
        f"Личное дело получателя мер социальной поддержки {genitive}"
    )


@pytest.fixture
def rules(catalogue):
    five = RetentionRule.objects.get(code="benefit-recipient")
    five.legal_basis = BASIS_236
    five.save()
    return {"five": five, "forever": RetentionRule.objects.get(code="rehabilitated")}


@pytest.fixture
def make_file(office, archivist, rules, box):
    box.capacity = 100
    box.save()
    Service.objects.filter(code="asp").update(department=UNIT)

    def make(number, last_name, *, year=2018, rule="five", sheets=12, **person):
        applicant = ApplicantFactory(office=office, snils="", last_name=last_name, **person)
        return ArchivedFileFactory(
            actor=archivist, applicant=applicant, archive_number=number, sheets=sheets,
            title=services.file_title(applicant), end_date=D(year, 6, 30), retention_rule=rules[rule],
            location=box,
        )  # fmt: skip

    return make


def destroy(files, archivist, chief, director):
    act = services.draft_act(actor=archivist, act_date=D(2026, 11, 24))
    assert {i.archived_file_id for i in act.items.all()} == {f.pk for f in files}
    services.agree_act(act, actor=chief, protocol_number="7", protocol_date=D(2026, 11, 20))
    services.approve_act(act, actor=director)
    services.execute_act(act, actor=archivist, record={"method": "shredding", "volume": "1 кг"})
    return act


def test_inventory_is_a_saved_document_with_every_requisite_and_keeps_destroyed_files(
    client, archivist, chief, director, make_file
):
    make_file("2018-0001", "Григорьев", first_name="Олег", middle_name="Семёнович")
    gone = make_file("2018-0002", "Волкова", first_name="Ирина", middle_name="Павловна", sex="F")
    make_file("2018-0004", "Ким", first_name="Анна", middle_name="", sex="F")
    make_file("2018-0004а", "Римская-Корсакова", first_name="Анна", middle_name="Павловна", sex="F")
    make_file("2018-П-1", "Вечнов", rule="forever")
    make_file("2019-0001", "Новиков", year=2019)
    client.force_login(archivist)
    response = client.post(reverse("archive:inventory"), {"year": 2018, "group": "short"})
    assert response.status_code == 302
    short = Inventory.objects.get()
    assert (short.number, short.year, short.compiled_by, short.compiled_on) == (
        1, 2018, archivist, D(2026, 11, 24),
    )  # fmt: skip
    assert short.history.get().history_user == archivist
    # 5-year and permanent files are not mixed: the permanent file has its own list
    assert list(short.items.values_list("archive_number", flat=True)) == [
        "2018-0001", "2018-0002", "2018-0004", "2018-0004а",
    ]  # fmt: skip
    client.post(reverse("archive:inventory"), {"year": 2018, "group": "permanent"})
    permanent = Inventory.objects.get(group="permanent")
    assert permanent.number == 2
    assert list(permanent.items.values_list("archive_number", flat=True)) == ["2018-П-1"]

    text = pdf_text(client.get(reverse("archive:inventory_pdf", args=[short.pk])).content)
    assert "ОПИСЬ № 1" in text and "от 24.11.2026" in text
    assert "дел временного (до 10 лет включительно) хранения за 2018 год" in text
    for column in ("Индекс дела", "Заголовок дела", "Крайние даты",
                   "Срок хранения, статья перечня", "Количество листов", "Примечание"):  # fmt: skip
        assert column in text
    assert "Личное дело получателя мер социальной поддержки Григорьева Олега Семёновича" in text
    assert "5 лет, ст. 900" in text and "01.01.2015 – 30.06.2018" in text
    assert (
        "В данный раздел описи внесено 4 (четыре) дела с № 1 по № 4, в том числе: "
        "литерные номера: 2018-0004а; пропущенные номера: 2018-0003." in text
    )
    sign = f"{archivist.first_name[0]}. {archivist.middle_name[0]}. Волкова"
    assert f"Составитель: архивариус {sign} 24.11.2026" in text.replace(NBSP, " ")
    assert "УТВЕРЖДАЮ" not in text  # a short-term list is a simple list
    text = pdf_text(client.get(reverse("archive:inventory_pdf", args=[permanent.pk])).content)
    assert "УТВЕРЖДАЮ Директор" in text and "О. В. Сергеева" in text.replace(NBSP, " ")
    assert "СОГЛАСОВАНО Протокол ЭК" in text and "дел постоянного хранения за 2018 год" in text
    assert "1 (одно) дело с № 1 по № 1" in text

    # the 5-year files are destroyed; the 2018 list still shows them, marked with the act
    act = destroy(
        ArchivedFile.objects.filter(retention_rule__permanent=False), archivist, chief, director
    )
    gone.refresh_from_db()
    assert gone.status == ArchivedFile.Status.DESTROYED
    text = pdf_text(client.get(reverse("archive:inventory_pdf", args=[short.pk])).content)
    assert "2018-0002" in text and "4 (четыре) дела с № 1 по № 4" in text
    assert text.count(f"уничтожено, акт № {act.number} от 24.11.2026") == 4
    assert "Волковой" not in text and "Григорьева" not in text  # the names are erased
    rows = list(
        load_workbook(
            io.BytesIO(client.get(reverse("archive:inventory_xlsx", args=[short.pk])).content)
        ).active.iter_rows(values_only=True)
    )
    assert rows[0][0].startswith("Опись № 1 от 24.11.2026 дел временного (до 10 лет")
    assert rows[1] == (
        "№ п/п", "Индекс дела", "Архивный номер", "Заголовок дела", "Крайние даты",
        "Срок хранения, статья перечня", "Количество листов", "Примечание",
    )  # fmt: skip
    assert rows[3][:3] == (2, "07-15", "2018-0002") and rows[3][5:] == (
        "5 лет, ст. 900", 12, f"уничтожено, акт № {act.number} от 24.11.2026",
    )  # fmt: skip
    closing = " ".join(str(c) for r in rows[6:] for c in r if c)
    assert "В данный раздел описи внесено 4 (четыре) дела с № 1 по № 4" in closing
    assert "Составитель: архивариус" in closing

    # a list compiled after the destruction lists the destroyed files too
    client.post(reverse("archive:inventory"), {"year": 2018, "group": "short"})
    later = Inventory.objects.get(number=3)
    assert set(later.items.values_list("note", flat=True)) == {
        f"уничтожено, акт № {act.number} от 24.11.2026"
    }
    # the screen lists the saved inventories
    html = client.get(reverse("archive:inventory")).content.decode()
    assert "№ 1 от 24.11.2026" in html and "№ 3 от 24.11.2026" in html


def test_inventory_refusals_write_nothing(client, archivist, chief, other_office, make_file):
    from onewindow import roles
    from tests.factories import make_user

    make_file("2018-0001", "Григорьев")
    client.force_login(archivist)
    html = client.post(
        reverse("archive:inventory"), {"year": 2018, "group": "long"}
    ).content.decode()
    assert (
        "Нет дел временного (свыше 10 лет) хранения за 2018 год: опись составлять не из чего."
        in html
    )
    html = client.post(
        reverse("archive:inventory"), {"year": 1999, "group": "short"}
    ).content.decode()
    assert "Дел за 1999 год в архиве нет: выберите год из списка." in html
    html = client.post(reverse("archive:inventory"), {"year": "x", "group": ""}).content.decode()
    assert "Выберите срок хранения дел описи." in html
    assert not Inventory.objects.exists() and not InventoryItem.objects.exists()
    client.force_login(chief)  # the chief reads the lists, the archivist compiles them
    assert client.get(reverse("archive:inventory")).status_code == 200
    response = client.post(reverse("archive:inventory"), {"year": 2018, "group": "short"})
    assert response.status_code == 403 and not Inventory.objects.exists()
    client.force_login(archivist)
    client.post(reverse("archive:inventory"), {"year": 2018, "group": "short"})
    inventory = Inventory.objects.get()
    stranger = make_user(roles.ARCHIVIST, other_office, "other_archivist")
    client.force_login(stranger)
    assert client.get(reverse("archive:inventory_pdf", args=[inventory.pk])).status_code == 404


def test_cover_and_label_carry_every_requisite_and_a_destroyed_file_has_none(
    client, archivist, chief, director, make_file, office
):
    from cases.models import Entitlement

    item = make_file("2018-0007", "Григорьев", first_name="Олег", middle_name="Семёнович",
                     sheets=48)  # fmt: skip
    Entitlement.objects.create(office=office, applicant=item.case_file.applicant, case_file=item.case_file,
                               service=Service.objects.get(code="asp"), start_date=D(2015, 1, 1),
                               status=Entitlement.Status.STOPPED)  # fmt: skip
    client.force_login(archivist)
    text = pdf_text(client.get(reverse("archive:cover", args=[item.pk])).content)
    assert office.name.upper() in text.upper() and UNIT in text
    assert "ДЕЛО № 07-15" in text
    assert "Личное дело получателя мер социальной поддержки Григорьева Олега Семёновича" in text
    assert "01.01.2015 – 30.06.2018" in text and "На 48 листах" in text
    assert "Хранить 5 лет" in text and "ст. 900 (приказ Росархива от 20.12.2019 № 236)" in text
    assert "558" not in text and "томов" not in text
    assert "Архивный шифр: Арх. № 2018-0007" in text
    # described in an inventory: the cipher names the inventory and the number in it
    client.post(reverse("archive:inventory"), {"year": 2018, "group": "short"})
    text = pdf_text(client.get(reverse("archive:cover", args=[item.pk])).content)
    assert "Архивный шифр: Оп. № 1 за 2018 г., д. № 1; арх. № 2018-0007" in text

    label = pdf_text(client.get(reverse("archive:label", args=[item.pk])).content)
    assert "Дело № 2018-0007" in label and "На 48 листах" in label and UNIT in label
    assert "Григорьева Олега Семёновича" in label and "№ 236" in label and "ст. 900" in label
    assert "Оп. № 1 за 2018 г., д. № 1" in label and "томов" not in label

    destroy([item], archivist, chief, director)
    for name in ("archive:cover", "archive:label"):
        response = client.get(reverse(name, args=[item.pk]), follow=True)
        assert response.redirect_chain[-1][0] == reverse("archive:file", args=[item.pk])
        html = response.content.decode()
        assert (
            "Дело № 2018-0007 уничтожено: ярлык и обложку уничтоженного дела не печатают." in html
        )
        assert "Григорьев" not in html
    response = client.get(reverse("archive:labels"), {"status": "destroyed"}, follow=True)
    assert "уничтоженным делам ярлык не печатают" in response.content.decode()
    assert response["Content-Type"].startswith("text/html")


def test_substitute_card_has_sheets_cipher_and_the_issuers_signature(
    client, archivist, specialist, make_file
):
    item = make_file("2018-0009", "Волкова", first_name="Ирина", middle_name="Павловна", sex="F",
                     sheets=31)  # fmt: skip
    issue = services.issue_file(item, actor=archivist, to_user=specialist, purpose="проверка права")
    client.force_login(archivist)
    text = pdf_text(client.get(reverse("archive:card", args=[issue.pk])).content)
    assert "КАРТА-ЗАМЕСТИТЕЛЬ" in text and "Количество листов" in text and "На 31 листе" in text
    assert "Архивный шифр: Арх. № 2018-0009" in text
    assert "Личное дело получателя мер социальной поддержки Волковой Ирины Павловны" in text
    assert "Выдал: архивариус" in text and "24.11.2026" in text
    sign = f"{archivist.first_name[0]}. {archivist.middle_name[0]}. Волкова"
    assert f"Выдал: архивариус {sign} 24.11.2026" in text.replace(NBSP, " ")


def test_archive_numbers_are_ordered_as_numbers():
    from onewindow.text import natural_key

    numbers = ["А-10", "А-2", "2018-0004а", "А-6", "2018-0004", "2018-0010"]
    assert sorted(numbers, key=natural_key) == [
        "2018-0004", "2018-0004а", "2018-0010", "А-2", "А-6", "А-10",
    ]  # fmt: skip
