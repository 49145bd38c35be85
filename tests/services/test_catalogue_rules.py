"""What the catalogue can say since issue 17: grounds with clauses, «one of» groups, documents
per category, family member and representative, organisations, deadline kinds, time limits,
the result and the eligibility conditions — loaded, previewed, kept, and counted right."""

import datetime

import pytest
import yaml
from django.utils import timezone

from services.models import (
    EligibilityCondition,
    Ground,
    Regulation,
    RequiredDocument,
    Service,
    ServiceVersion,
)
from services.periods import DayKind, add_months, count_days
from services.regulations import RegulationFileError, apply_plan, build_plan, parse_change

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    return timezone.localdate()


def as_yaml(doc) -> bytes:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode()


def new_service_doc(**service) -> dict:
    body = {
        "code": "birth-test",
        "action": "add",
        "title": "Назначение пособия при рождении ребёнка (проверочная услуга)",
        "short_title": "Пособие при рождении (проверка)",
        "deadline_days": 10,
        "applicant_categories": ["родители", "студенческие семьи"],
        "documents": ["passport"],
    }
    body.update(service)
    return {
        "regulation": {
            "kind": "приказ",
            "number": "584",
            "date": "2012-09-12",
            "title": "Об утверждении административного регламента",
            "issued_by": "Министерство социальной защиты населения Волгоградской области",
            "amendments": ["от 18.08.2015 № 1215"],
        },
        "effective_from": (today() + datetime.timedelta(days=7)).isoformat(),
        "services": [body],
    }


RICH = {
    "deadline_kind": "calendar",
    "deadline_days": 30,
    "deadline_from": "last_answer",
    "notice_days": 3,
    "payment_days": 30,
    "payment_kind": "calendar",
    "apply_within": {"months": 6, "event": "рождения ребёнка"},
    "applicants": ["citizen"],
    "result": "решение о назначении пособия",
    "result_form": "уведомление по форме приложения 2 к регламенту",
    "eligibility": [
        {"text": "среднедушевой доход семьи ниже прожиточного минимума", "clause": "п. 1.2"},
        "заявитель проживает в Волгоградской области",
    ],
    "grounds": {
        "refuse_acceptance": [{"clause": "п. 2.8", "text": "заявление подано ненадлежащим лицом"}],
        "refuse": [
            {"clause": "п. 2.9.1", "text": "отсутствие права на пособие"},
            {"clause": "п. 2.9.2", "text": "представление недостоверных сведений"},
        ],
        "suspend": [{"clause": "п. 2.10", "text": "непоступление ответа на запрос"}],
    },
    "unverified": "номер приказа об изменениях 2016 года не подтверждён",
    "documents": [
        {
            "one_of": ["passport", {"code": "photo-3x4", "form": "original"}],
            "title": "документ, удостоверяющий личность",
        },
        {"code": "birth-certificate", "per_member": "child", "interagency": True},
        {"code": "income-certificate", "per_member": "adult", "valid_months": 3},
        {"code": "student-certificate", "for_categories": ["студенческие семьи"]},
        {"code": "power-of-attorney", "applies_to": "representative"},
    ],
}


def load(doc):
    plan = build_plan(parse_change(as_yaml(doc)))
    return plan, apply_plan(plan, source="cli")


def test_everything_the_regulation_says_is_loaded_and_kept(catalogue):
    plan, record = load(new_service_doc(**RICH))
    assert record is not None
    version = Service.objects.get(code="birth-test").versions.get()
    assert (version.deadline_kind, version.deadline_days, version.deadline_from) == (
        "calendar", 30, "last_answer"
    )  # fmt: skip
    assert version.deadline_display == (
        "30 календарных дней со дня поступления последнего ответа на межведомственный запрос"
    )
    assert version.window_display == "в течение 6 месяцев со дня рождения ребёнка"
    assert version.event_label == "Дата рождения ребёнка"
    assert version.result_display == (
        "решение о назначении пособия (уведомление по форме приложения 2 к регламенту)"
    )
    assert version.unverified.startswith("номер приказа")
    grounds = {(g.kind, g.clause, g.text) for g in Ground.objects.filter(version=version)}
    assert ("refuse", "п. 2.9.2", "представление недостоверных сведений") in grounds
    assert len(grounds) == 4
    assert [g.clause for g in version.grounds_of(Ground.Kind.REFUSE)] == ["п. 2.9.1", "п. 2.9.2"]
    assert [(c.text, c.clause) for c in EligibilityCondition.objects.filter(version=version)] == [
        ("среднедушевой доход семьи ниже прожиточного минимума", "п. 1.2"),
        ("заявитель проживает в Волгоградской области", ""),
    ]
    docs = {d.document_type.code: d for d in version.documents.select_related("document_type")}
    assert docs["passport"].group == docs["photo-3x4"].group == 1
    assert docs["passport"].group_title == "документ, удостоверяющий личность"
    assert docs["photo-3x4"].form == "original"
    assert docs["birth-certificate"].per_member == "child"
    assert docs["income-certificate"].valid_months == 3
    assert (
        "выдан не ранее чем за 3 месяца до обращения"
        in docs["income-certificate"].requirement_display
    )
    assert docs["student-certificate"].for_categories == ["студенческие семьи"]
    assert docs["power-of-attorney"].applies_to == "representative"
    regulation = Regulation.objects.get(number="584")
    assert regulation.amendments == ["от 18.08.2015 № 1215"]
    assert regulation.citation.endswith("(в ред. от 18.08.2015 №\u00a01215)")
    assert regulation.citation.startswith(
        "Приказ Министерства социальной защиты населения Волгоградской области"
    )
    # the preview named the new facts
    fields = {c["field"]: c["new"] for c in plan.diff["services"][0]["changes"]}
    assert fields["срок принятия решения"] == "30 календарных дней"
    assert (
        "отказ в предоставлении услуги — п. 2.9.1: «отсутствие права на пособие»"
        in fields["основания отказа и приостановления"]
    )

    # the same file again: nothing to write
    again = build_plan(parse_change(as_yaml(new_service_doc(**RICH))))
    assert not again.has_changes


def test_a_change_of_grounds_is_a_new_version_and_the_diff_says_so(catalogue):
    load(new_service_doc(**RICH))
    doc = new_service_doc()
    doc["services"] = [
        {
            "code": "birth-test",
            "action": "change",
            "grounds": {"refuse": [{"clause": "п. 2.9", "text": "отсутствие права на пособие"}]},
        }
    ]
    doc["effective_from"] = (today() + datetime.timedelta(days=20)).isoformat()
    plan, _ = load(doc)
    change = next(
        c for c in plan.diff["services"][0]["changes"]
        if c["field"] == "основания отказа и приостановления"
    )  # fmt: skip
    assert "п. 2.9.2" in change["old"] and "п. 2.9.2" not in change["new"]
    versions = list(Service.objects.get(code="birth-test").versions.order_by("effective_from"))
    assert len(versions) == 2
    assert versions[0].grounds.count() == 4  # the old version keeps its grounds
    assert [g.clause for g in versions[1].grounds.all()] == ["п. 2.9"]
    # what the change did not name is carried over
    assert versions[1].window_display == versions[0].window_display
    assert versions[1].documents.filter(group=1).count() == 2


def test_amended_requisites_of_a_known_act_are_previewed_and_written(catalogue):
    load(new_service_doc(**RICH))
    doc = new_service_doc(**RICH)
    doc["regulation"]["amendments"] = ["от 18.08.2015 № 1215", "от 21.03.2017 № 374"]
    plan, record = load(doc)
    assert plan.diff["regulation"]["status"] == "changed"
    assert plan.diff["regulation"]["changes"][0]["new"] == (
        "от 18.08.2015 № 1215; от 21.03.2017 № 374"
    )
    assert record is not None
    assert Regulation.objects.get(number="584").amendments[-1] == "от 21.03.2017 № 374"


@pytest.mark.parametrize(
    "service, expected",
    [
        (
            {"documents": [{"one_of": ["passport"]}]},
            "services[0].documents[0].one_of: в группе «один из» нужно не меньше двух документов",
        ),
        (
            {"documents": [{"one_of": ["passport", {"code": "snils", "required": False}]}]},
            "services[0].documents[0].one_of[1].required: в группе «один из» это поле "
            "указывается для группы, а не для документа",
        ),
        (
            {"documents": [{"code": "passport", "for_categories": ["пенсионеры"]}]},
            "services[0].documents[0].for_categories: категории «пенсионеры» нет среди категорий "
            "заявителей услуги «birth-test» (applicant_categories)",
        ),
        (
            {"deadline_kind": "weeks"},
            "services[0].deadline_kind: недопустимое значение «weeks»: допустимо calendar, "
            "same_day, working",
        ),
        (
            {"documents": [{"code": "passport", "per_member": "cousin"}]},
            "services[0].documents[0].per_member: недопустимое значение «cousin»: допустимо "
            "adult, child, member",
        ),
        (
            {"grounds": {"refuse": [{"text": "нет права"}]}},
            "services[0].grounds.refuse[0].clause: обязательное поле",
        ),
        (
            {"grounds": {"deny": []}},
            "services[0].grounds.deny: неизвестное поле",
        ),
        (
            {"apply_within": {"months": 6, "days": 10, "event": "смерти"}},
            "services[0].apply_within: укажите months или days, не оба",
        ),
        (
            {"applicants": ["company"]},
            "services[0].applicants[0]: недопустимое значение «company»: допустимо citizen, "
            "organisation",
        ),
        (
            {"documents": [{"code": "passport", "applies_to": "organisation"}]},
            "services[0].documents[0].applies_to: услуга «birth-test» не принимает заявлений от "
            "организаций (applicants)",
        ),
    ],
)
def test_an_invalid_rule_is_refused_with_its_place(catalogue, service, expected):
    versions = ServiceVersion.objects.count()
    with pytest.raises(RegulationFileError) as info:
        build_plan(parse_change(as_yaml(new_service_doc(**service))))
    assert expected in info.value.errors
    assert ServiceVersion.objects.count() == versions


def test_a_same_day_service_needs_no_days(catalogue):
    load(new_service_doc(deadline_days=None, deadline_kind="same_day"))
    version = Service.objects.get(code="birth-test").versions.get()
    assert (version.deadline_days, version.deadline_display) == (0, "в день обращения")
    assert version.decision_deadline(today()) == today()


def test_retiring_records_the_reason_and_the_act(catalogue):
    service = Service.objects.get(code="osago-disabled")
    if service.version_on(today()) is None:
        pytest.skip("the shipped catalogue has already retired it")
    doc = {
        "regulation": {
            "kind": "постановление",
            "number": "2579",
            "date": "2021-12-30",
            "title": "Об утверждении Правил компенсации инвалидам страховых премий по договору ОСАГО",
            "issued_by": "Правительство Российской Федерации",
        },
        "effective_from": (today() + datetime.timedelta(days=7)).isoformat(),
        "services": [
            {"code": "osago-disabled", "action": "retire", "reason": "выплату производит СФР"}
        ],
    }
    plan, _ = load(doc)
    assert plan.diff["services"][0]["reason"] == "выплату производит СФР"
    closed = service.versions.order_by("-effective_from").first()
    assert closed.end_reason.startswith("выплату производит СФР (Постановление Правительства")


def test_periods_are_counted_as_the_civil_code_counts_them():
    # Tuesday 24.11.2026 + 4 calendar days = Saturday 28.11 → Monday 30.11 (ГК РФ ст. 193)
    tuesday = datetime.date(2026, 11, 24)
    assert count_days(tuesday, 4, DayKind.CALENDAR) == datetime.date(2026, 11, 30)
    assert count_days(tuesday, 2, DayKind.CALENDAR) == datetime.date(2026, 11, 26)
    assert count_days(tuesday, 5, DayKind.WORKING) == datetime.date(2026, 12, 1)
    assert count_days(tuesday, 0, DayKind.SAME_DAY) == tuesday
    # a period in months ends on the same date, or the month's last day
    assert add_months(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2026, 5, 15), -3) == datetime.date(2026, 2, 15)


def test_requirement_display_names_who_needs_the_document(catalogue):
    load(new_service_doc(**RICH))
    version = Service.objects.get(code="birth-test").versions.get()
    shown = {
        d.document_type.code: d.requirement_display
        for d in RequiredDocument.objects.filter(version=version).select_related("document_type")
    }
    assert shown["power-of-attorney"] == "обязательно, если обращается представитель"
    assert shown["birth-certificate"] == "обязательно, на каждого ребёнка"
    assert shown["student-certificate"] == "обязательно, для категорий: студенческие семьи"


# --- The catalogue's pages follow the rules ---------------------------------------------------


def test_service_page_and_memo_show_groups_grounds_window_and_result(client, specialist, catalogue):
    from django.urls import reverse

    from tests.pdf_utils import pdf_text

    load(new_service_doc(**RICH))
    client.force_login(specialist)
    day = (today() + datetime.timedelta(days=7)).isoformat()
    html = client.get(reverse("services:detail", args=["birth-test"]), {"date": day})
    html = html.content.decode()
    assert "Один из документов: документ, удостоверяющий личность" in html
    assert "30 календарных дней со дня поступления последнего ответа" in html
    assert "в течение 6 месяцев со дня рождения ребёнка" in html
    assert "решение о назначении пособия (уведомление по форме приложения 2 к регламенту)" in html
    assert "Реквизиты требуют проверки:" in html and "номер приказа об изменениях" in html
    assert "п. 2.9.2" in html and "представление недостоверных сведений" in html
    assert "Отказ в приёме документов" in html
    assert "среднедушевой доход семьи ниже прожиточного минимума" in html
    assert "обязательно, если обращается представитель" in html

    response = client.get(reverse("services:memo", args=["birth-test"]), {"date": day})
    text = " ".join(pdf_text(response.content).split())
    assert "Один из документов (документ, удостоверяющий личность)" in text
    assert "или Фотография" in text
    assert "Срок обращения: в течение 6 месяцев со дня рождения ребёнка" in text
    assert "заявление подано ненадлежащим лицом (п. 2.8 регламента)" in text
    assert "отсутствие права на пособие (п. 2.9.1 регламента)" in text
    assert "Выплата производится в течение 30 календарных дней" in text
    assert "Результат: решение о назначении пособия" in text


def test_the_admin_lists_services_whose_requisites_need_checking(
    client, reg_admin, specialist, catalogue
):
    from django.urls import reverse

    doc = new_service_doc(**RICH)
    doc["effective_from"] = today().isoformat()
    plan = build_plan(parse_change(as_yaml(doc)))
    apply_plan(plan, source="cli", allow_past=True)
    client.force_login(reg_admin)
    html = client.get(reverse("services:list")).content.decode()
    assert "Требуют проверки (" in html
    listed = client.get(reverse("services:list"), {"check": "1"}).content.decode()
    assert "Пособие при рождении (проверка)" in listed
    assert "Требует проверки:</strong> номер приказа об изменениях 2016 года" in listed
    unverified = [
        s.code for s in Service.objects.all() if (v := s.version_on(today())) and v.unverified
    ]
    assert listed.count('class="result-link"') == len(unverified)
    client.force_login(specialist)
    assert "Требуют проверки (" not in client.get(reverse("services:list")).content.decode()


def test_a_retired_service_page_says_since_when_and_why(client, specialist, catalogue):
    from django.urls import reverse

    service = Service.objects.get(code="osago-disabled")
    last = service.versions.order_by("-effective_from").first()
    if last.effective_to is None:
        last.effective_to = today() - datetime.timedelta(days=1)
        last.end_reason = "выплату производит Социальный фонд России"
        last.save()
    client.force_login(specialist)
    html = client.get(reverse("services:detail", args=["osago-disabled"])).content.decode()
    assert "услуга не действует" in html
    assert f"действовала по {last.effective_to:%d.%m.%Y}: {last.end_reason}" in html
