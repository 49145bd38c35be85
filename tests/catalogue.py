"""Catalogue entries the tests load (regulation files in the loader's format) and services built from them."""

import datetime

import yaml
from django.utils import timezone

from cases import services as counter
from cases.models import (
    Application,
)
from services.models import Service
from services.regulations import apply_plan, build_plan, parse_change
from tests.conftest import FROZEN_AT
from tests.factories import ApplicantFactory, counter_marks

D = datetime.date
TODAY = FROZEN_AT.date()  # the suite's frozen day

BIRTH = {
    "code": "birth-intake",
    "action": "add",
    "title": "Назначение пособия при рождении ребёнка (проверка приёма)",
    "short_title": "Пособие при рождении (приём)",
    "deadline_days": 30,
    "deadline_kind": "calendar",
    "applicant_categories": ["родители", "студенческие семьи"],
    "apply_within": {"months": 6, "event": "рождения ребёнка"},
    "result": "решение о назначении пособия",
    "eligibility": [
        {"text": "среднедушевой доход семьи ниже прожиточного минимума", "clause": "п. 1.2"},
        "заявитель проживает в Волгоградской области",
    ],
    "grounds": {
        "refuse_acceptance": [
            {"clause": "п. 2.8", "text": "заявление подано лицом, не имеющим полномочий"}
        ],
        "refuse": [{"clause": "п. 2.9.1", "text": "отсутствие права на пособие"}],
    },
    "documents": [
        {"one_of": ["passport", "temp-id-card"], "title": "документ, удостоверяющий личность"},
        {"code": "birth-certificate", "per_member": "child"},
        {"code": "income-statement", "per_member": "adult", "valid_months": 3},
        {"code": "student-certificate", "for_categories": ["студенческие семьи"]},
        {"code": "power-of-attorney", "applies_to": "representative"},
    ],
}


def load(*services_, **extra):
    today = timezone.localdate()
    doc = {
        "regulation": {
            "kind": "приказ",
            "number": "584",
            "date": "2012-09-12",
            "title": "Об утверждении административного регламента",
            "issued_by": "Министерство социальной защиты населения Волгоградской области",
        },
        "effective_from": (today - datetime.timedelta(days=30)).isoformat(),
        "document_types": TYPES,
        "services": [{**s, **extra} for s in services_],
    }
    data = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode()
    apply_plan(build_plan(parse_change(data)), source="cli", allow_past=True)
    return {s["code"]: Service.objects.get(code=s["code"]).versions.get() for s in services_}


ACT_CITED = (
    "административного регламента, утверждённого приказом Комитета социальной защиты населения "
    "Волгоградской области от 01.06.2015 № 9001 «Об утверждении административного регламента "
    "предоставления государственной услуги „Назначение проверочного пособия“»"
)

GROUNDS = {
    "refuse": [
        {"clause": "п. 2.9.1", "text": "отсутствие права на пособие"},
        {"clause": "п. 2.9.2", "text": "представление недостоверных сведений"},
    ],
    "suspend": [{"clause": "п. 2.10", "text": "непоступление ответа на запрос"}],
}


def decision_service(code: str = "decision-test", *, since: D = TODAY, **rules) -> Service:
    body = {
        "code": code,
        "action": "add",
        "title": "Назначение проверочного пособия",
        "short_title": "Проверочное пособие",
        "deadline_days": 10,
        "documents": ["passport"],
        **rules,
    }
    load_regulation(body, effective_from=since)
    return Service.objects.get(code=code)


def in_review_application(service: Service, specialist, office, last_name="Решаева") -> Application:
    assert timezone.localdate() >= TODAY
    person = ApplicantFactory(office=office, snils="", last_name=last_name, first_name="Анна",
                              middle_name="Петровна", sex="F")  # fmt: skip
    application = counter.register_application(
        person, service, actor=specialist, marks=counter_marks(service)
    )
    for step in ("transfer", "review"):
        counter.transition(application, step, actor=specialist)
    return application


TYPES = [
    {"code": "temp-id-card", "title": "Временное удостоверение личности гражданина Российской Федерации"},
    {"code": "income-statement", "title": "Справка о доходах", "issuing_agency": "Работодатель"},
]  # fmt: skip


ACT = {
    "kind": "приказ",
    "number": "9001",
    "date": "2015-06-01",
    "title": "Об утверждении административного регламента предоставления государственной "
    "услуги «Назначение проверочного пособия»",
    "issued_by": "Комитет социальной защиты населения Волгоградской области",
}


def load_regulation(body: dict, *, effective_from: D, act: dict = ACT) -> None:
    doc = {"regulation": act, "effective_from": effective_from.isoformat(), "services": [body]}
    data = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode()
    apply_plan(build_plan(parse_change(data)), allow_past=True, source="cli")
