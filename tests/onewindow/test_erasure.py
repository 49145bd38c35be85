"""The needles of a destroyed person: every stored form is found, other people's words are not."""

from urllib.parse import quote_plus

import pytest

from onewindow import erasure
from onewindow.erasure import redact_subjects
from onewindow.models import AccessLog

pytestmark = pytest.mark.django_db


def test_redact_finds_the_name_in_any_case_and_percent_encoded_but_not_inside_other_words():
    needles, weak = ["Смирнов"], ["Олег"]
    assert erasure.redact("поиск «смирнов олег»", needles, weak) == "поиск «[обезличено]»"
    assert (
        erasure.redact("Смирновский переулок, Олег", needles, weak) == "Смирновский переулок, Олег"
    )
    path = "/counter/?q=" + quote_plus("СМИРНОВ Олег")
    assert "%D0" not in erasure.redact(path, needles, weak)
    # a JSON record that names the person anywhere loses the first name everywhere
    row = {"FAM": "Смирнов", "IM": "Олег", "ROW": 3}
    assert erasure.redact_value(row, needles, weak) == {
        "FAM": "[обезличено]",
        "IM": "[обезличено]",
        "ROW": 3,
    }
    assert erasure.redact_value({"IM": "Олег"}, needles, weak) == {"IM": "Олег"}


def test_redact_subjects_keeps_the_event_and_erases_the_search_query(specialist):
    for query in ("смирнов олег", "Смирновская"):
        AccessLog.objects.create(user=specialist, username="specialist", event="search", result="allowed",
                                 subject_repr=f"«{query}»: найдено 1", path="/?q=" + quote_plus(query))  # fmt: skip
    changed = redact_subjects(
        subject_type="", subject_ids=[], needles=["Смирнов"], weak_needles=["Олег"]
    )
    assert changed == 1
    ours, other = AccessLog.objects.order_by("pk")
    assert (
        ours.subject_repr == "«[обезличено]»: найдено 1" and "%D1%81%D0%BC" not in ours.path.lower()
    )
    assert ours.event == "search" and ours.user == specialist
    assert other.subject_repr == "«Смирновская»: найдено 1"
