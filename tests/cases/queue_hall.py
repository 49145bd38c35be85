"""A reception hall for the queue's tests: groups А (children) and Б (veterans), window 1 serves А,
window 2 serves А and Б; open Monday–Friday 08:30–17:30, the last ticket 40 minutes before."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from cases.models import OpeningHours, PriorityCategory, ServiceGroup, Window
from onewindow import roles
from services.models import Service
from tests.factories import make_user


@dataclass
class Hall:
    office: object
    children: ServiceGroup
    veterans: ServiceGroup
    window1: Window
    window2: Window
    disabled: PriorityCategory


def build_hall(office) -> Hall:
    children = ServiceGroup.objects.create(title="Пособия на детей", letter="А", order=10)
    veterans = ServiceGroup.objects.create(title="Ветераны, льготы", letter="Б", order=20)
    children.services.set(Service.objects.filter(code="child-allowance"))
    veterans.services.set(Service.objects.filter(code="edv-veterans"))
    window1 = Window.objects.create(office=office, number=1)
    window1.groups.set([children])
    window2 = Window.objects.create(office=office, number=2)
    window2.groups.set([children, veterans])
    for weekday in range(5):
        OpeningHours.objects.create(
            office=office,
            weekday=weekday,
            opens_at=datetime.time(8, 30),
            closes_at=datetime.time(17, 30),
        )
    disabled = PriorityCategory.objects.create(title="Инвалиды I и II групп")
    return Hall(office, children, veterans, window1, window2, disabled)


def kiosk_user(office):
    return make_user(roles.KIOSK, office, "kiosk", last_name="Киоск")


def display_user(office):
    return make_user(roles.DISPLAY, office, "display", last_name="Табло")


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """That day's hour and minute in the office's time zone."""
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone()
    )
