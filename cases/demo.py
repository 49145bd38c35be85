"""The reception's demo data (`manage.py bootstrap_demo`, through `onewindow.demo`): the hall's
electronic queue — service groups with their letters, out-of-turn categories, four windows and
the opening hours of the demo office."""

from __future__ import annotations

import datetime

from cases.models import OpeningHours, PriorityCategory, ServiceGroup, Window
from services.models import Service

DEMO_OFFICE = "krasnooktyabrsky"

# letter, title, hint, catalogue codes
GROUPS = [
    ("А", "Пособия на детей", "пособия, выплаты семьям с детьми, многодетным",
     ["child-allowance", "birth-extra", "large-family", "twins-subsidy", "single-father-children",
      "childcare-uninsured", "unemployed-mothers"]),
    ("Б", "Ветераны, льготы", "ЕДВ, компенсации ЖКУ, меры поддержки отдельных категорий",
     ["edv-veterans", "veteran-certificate", "msp-categories", "housing-utilities-regional",
      "donor-edv", "radiation-compensation", "chernobyl-health", "phone-rehabilitated",
      "military-family-housing", "phone-disabled", "osago-disabled", "asp", "esp-single",
      "food-subsidy", "gas-compensation", "burial-allowance"]),
    ("В", "Справки и удостоверения", "справки, удостоверения, ходатайства",
     ["legal-aid-certificate", "travel-petition", "chernobyl-certificate"]),
    ("Г", "Выдача документов, архив", "получить готовый документ, справку из архива", []),
]  # fmt: skip

CATEGORIES = [
    "Инвалиды I и II групп, дети-инвалиды и сопровождающие их лица",
    "Участники и инвалиды Великой Отечественной войны",
    "Участники специальной военной операции и члены их семей",
    "Беременные женщины и граждане с детьми до 3 лет",
]
CATEGORY_BASIS = "перечень требует проверки по региональному регламенту «Одного окна»"

# window number → letters it serves
WINDOWS = {1: "АВ", 2: "АБ", 3: "БВ", 4: "ГВ"}

HOURS = {weekday: ("08:30", "17:30") for weekday in range(4)} | {4: ("08:30", "16:30")}


def queue_setup(offices: dict) -> None:
    groups = {}
    for order, (letter, title, hint, codes) in enumerate(GROUPS, start=1):
        group, _ = ServiceGroup.objects.update_or_create(
            letter=letter, defaults={"title": title, "hint": hint, "order": order * 10}
        )
        group.services.set(Service.objects.filter(code__in=codes))
        groups[letter] = group
    for order, title in enumerate(CATEGORIES, start=1):
        PriorityCategory.objects.update_or_create(
            title=title, defaults={"order": order * 10, "basis": CATEGORY_BASIS}
        )
    office = offices.get(DEMO_OFFICE)
    if office is None:
        return
    for number, letters in WINDOWS.items():
        window, _ = Window.objects.get_or_create(office=office, number=number)
        window.groups.set([groups[letter] for letter in letters])
    for weekday, (opens, closes) in HOURS.items():
        OpeningHours.objects.update_or_create(
            office=office,
            weekday=weekday,
            defaults={
                "opens_at": datetime.time.fromisoformat(opens),
                "closes_at": datetime.time.fromisoformat(closes),
            },
        )
