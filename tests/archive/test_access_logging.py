"""Every view and print of personal data in the archive is written to the access log (152-ФЗ):
searches by name (with the files they showed), labels, substitute cards, presence-check acts and
personal-data destruction acts."""

import datetime

import pytest
from django.urls import reverse

from archive import services
from onewindow.models import AccessLog

pytestmark = pytest.mark.django_db
D = datetime.date


def test_archive_search_by_name_logs_the_query_and_the_files_it_showed(client, files, archivist):
    client.force_login(archivist)
    html = client.get(reverse("archive:list"), {"q": "Старов"}).content.decode()
    assert "Личное дело Старов" in html
    entry = AccessLog.objects.get(event="search", user=archivist)
    assert "Старов" in entry.subject_repr and entry.result == "allowed"
    assert entry.detail == f"дела в архиве: {files['old'].pk}"
    client.get(reverse("archive:list"), {"q": "Никтотакой"})
    assert AccessLog.objects.filter(event="search").count() == 1  # nothing shown, nothing seen


def test_label_substitute_card_and_acts_are_logged_as_prints(
    client, files, archivist, chief, director
):
    old = files["old"]
    client.force_login(archivist)
    assert client.get(reverse("archive:label", args=[old.pk])).status_code == 200
    issue = services.issue_file(old, actor=archivist, to_user=chief, purpose="проверка")
    assert client.get(reverse("archive:card", args=[issue.pk])).status_code == 200
    services.return_file(issue, actor=archivist)
    check = services.start_check(actor=archivist, order_number="5", order_date=D(2026, 11, 20),
                                 commission=[archivist, chief, director])  # fmt: skip
    assert client.get(reverse("archive:check_act", args=[check.pk])).status_code == 200
    act = services.draft_act(actor=archivist, act_date=D(2026, 11, 24))
    services.agree_act(act, actor=chief, protocol_number="1", protocol_date=D(2026, 11, 20))
    services.approve_act(act, actor=director)
    services.execute_act(act, actor=archivist, record={"method": "shredding", "volume": "2 кг"})
    assert client.get(reverse("archive:pd_act_pdf", args=[act.pk])).status_code == 200

    prints = {
        (e.subject_type, e.subject_id, e.detail)
        for e in AccessLog.objects.filter(event="print_document", user=archivist)
    }
    assert ("archive.archivedfile", str(old.pk), "ярлык дела") in prints
    assert ("archive.archivedfile", str(old.pk), "карта-заместитель") in prints
    assert ("archive.inventorycheck", str(check.pk), "акт проверки наличия") in prints
    assert (
        "archive.destructionact",
        str(act.pk),
        "акт об уничтожении персональных данных, субъектов: 1",
    ) in prints
