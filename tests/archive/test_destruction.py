import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from archive import services
from archive.models import ArchivedFile, DestructionAct
from cases.models import Applicant, ApplicationDocument, Entitlement
from onewindow.audit import log_access
from services.models import Service
from tests.factories import ArchivedFileFactory
from tests.pdf_utils import pdf_text

pytestmark = pytest.mark.django_db
D = datetime.date


def test_only_files_past_retention_by_1_january_are_eligible(files, office, archivist):
    person = files["old"].case_file.applicant
    # past retention (eligible from 01.01.2025), but the person receives a measure again
    live_file = ArchivedFileFactory(
        actor=archivist, applicant__last_name="Живов", archive_number="Живов", sheets=1,
        end_date=D(2019, 1, 1), retention_rule=files["old"].retention_rule,
        location=files["old"].location,
    ).case_file  # fmt: skip
    Entitlement.objects.create(office=office, applicant=live_file.applicant, case_file=live_file,
                               service=Service.objects.get(code="asp"), start_date=D(2024, 1, 1))  # fmt: skip
    eligible = {f.archive_number for f in services.eligible_files(office, D(2026, 11, 24))}
    assert eligible == {"Старов"}
    assert {f.archive_number for f in services.eligible_files(office, D(2025, 12, 31))} == set()
    assert person.pk


def test_workflow_roles_erasure_and_the_acts(client, files, archivist, chief, director, specialist):
    log_access(
        None, event="view_applicant", subject=files["old"].case_file.applicant, user=specialist
    )
    act = services.draft_act(actor=archivist, act_date=D(2026, 11, 24))
    assert act.items.count() == 1
    with pytest.raises(services.ArchiveError, match="Акт ещё не согласован экспертной комиссией"):
        services.approve_act(act, actor=director)
    with pytest.raises(PermissionDenied):
        services.agree_act(act, actor=archivist, protocol_number="3", protocol_date=D(2026, 11, 20))
    services.agree_act(act, actor=chief, protocol_number="3", protocol_date=D(2026, 11, 20))
    with pytest.raises(PermissionDenied):
        services.approve_act(act, actor=archivist)
    services.approve_act(act, actor=director)
    with pytest.raises(PermissionDenied):
        services.execute_act(act, actor=chief, record={"method": "shredding", "volume": "2 кг"})

    client.force_login(archivist)
    html = client.post(
        reverse("archive:act", args=[act.pk]),
        {"step": "execute", "method": "shredding", "volume": "2 кг"},
        follow=True,
    ).content.decode()
    assert "Подтвердите, что дела уничтожены" in html
    html = client.post(
        reverse("archive:act", args=[act.pk]),
        {"step": "execute", "confirm": "1", "method": "shredding", "volume": "2 кг"},
        follow=True,
    ).content.decode()
    assert f"Уничтожение дел по акту № {act.number} отмечено" in html
    act.refresh_from_db()
    assert act.status == "executed"
    old = ArchivedFile.objects.get(archive_number="Старов")
    assert old.status == "destroyed"
    person = Applicant.objects.get(pk=old.case_file.applicant_id)
    assert (
        person.is_anonymised
        and person.last_name == "Обезличено"
        and person.snils == ""
        and person.reg_address == ""
    )
    assert not person.history.exclude(
        last_name="Обезличено"
    ).exists()  # no old values left in history
    assert not ApplicationDocument.objects.filter(application__case_file=old.case_file).exists()

    text = pdf_text(client.get(reverse("archive:act_pdf", args=[act.pk])).content)
    assert "УТВЕРЖДАЮ" in text and f"АКТ № {act.number}" in text
    assert "о выделении к уничтожению документов, не подлежащих хранению" in text
    flat = text.replace(" ", "")
    for column in (
        "№ п/п",
        "Заголовок дела",
        "Крайние даты",
        "Номера описей",
        "Индекс дела",
        "Количество дел",
        "Сроки хранения и номера статей по перечню",
        "Примечание",
    ):
        assert column.replace(" ", "") in flat, column
    assert (
        "Личное дело [обезличено]" in text
        and "Старов" not in text
        and "Итого 1 дело за 2020 год." in text
        and "5 лет, ст. 477" in text
    )
    assert "Протокол ЭК от 20.11.2026 № 3" in text
    assert "Документы в количестве 1 дела за 2020 год уничтожены 24.11.2026." in text
    assert "Изменения в учётные документы внесены." in text
    assert "Волкова Анна Сергеевна, 24.11.2026" in text
    pd = pdf_text(client.get(reverse("archive:pd_act_pdf", args=[act.pk])).content)
    assert "ОБ УНИЧТОЖЕНИИ ПЕРСОНАЛЬНЫХ ДАННЫХ" in pd and "обезличено записей о гражданах: 1" in pd
    assert "Выгрузка из журнала регистрации событий" in pd and "хранится до" in pd
    # the act names the subject and its event log records the destruction itself, local time
    assert "Старов" in pd and "Уничтожение персональных данных" in pd and "24.11.2026 10:00" in pd
    assert "archivist" in pd and "specialist" not in pd


def test_act_with_nothing_eligible_is_refused(files, archivist):
    with pytest.raises(
        services.ArchiveError, match=r"Нет дел, срок хранения которых истёк к 01\.01\.2025"
    ):
        services.draft_act(actor=archivist, act_date=D(2025, 6, 1))
    assert not DestructionAct.objects.exists()


def test_each_role_is_told_on_its_home_page_of_the_acts_waiting_on_it(
    client, archivist, chief, director, files
):
    from archive import services

    act = services.draft_act(actor=archivist, act_date=datetime.date(2026, 11, 24))
    waits = {
        chief: "Акты о выделении дел к уничтожению ждут согласования экспертной комиссии: 1",
        director: "Акты о выделении дел к уничтожению ждут утверждения: 1",
        archivist: "Утверждённые акты ждут уничтожения дел: 1",
    }

    def home(user):
        client.force_login(user)
        return client.get(reverse("home")).content.decode()

    assert waits[chief] in home(chief) and "ждут утверждения" not in home(director)
    services.agree_act(
        act, actor=chief, protocol_number="4", protocol_date=datetime.date(2026, 11, 20)
    )
    assert waits[director] in home(director) and "согласования" not in home(chief)
    services.approve_act(act, actor=director)
    assert waits[archivist] in home(archivist) and "ждут утверждения" not in home(director)
