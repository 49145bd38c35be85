"""Offices (district centres) and users with their roles."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from simple_history.models import HistoricalRecords

from onewindow import roles
from onewindow.names import short_name


class Office(models.Model):
    """A district centre of social protection; every personal record belongs to one."""

    code = models.SlugField("код", max_length=32, unique=True)
    name = models.CharField("полное наименование", max_length=500)
    short_name = models.CharField("краткое наименование", max_length=200)
    address = models.CharField("адрес", max_length=500, blank=True)
    director_name = models.CharField("ФИО директора", max_length=200, blank=True)
    phone = models.CharField("телефон", max_length=100, blank=True)
    email = models.EmailField("электронная почта", blank=True)
    ogrn = models.CharField("ОГРН", max_length=13, blank=True)
    inn = models.CharField("ИНН", max_length=10, blank=True)
    kpp = models.CharField("КПП", max_length=9, blank=True)
    # where a refusal is appealed above the director (the notice of decision names it)
    superior_body = models.CharField(
        "вышестоящий орган", max_length=500, blank=True,
        help_text="Орган исполнительной власти субъекта в сфере социальной защиты: в него обжалуются решения директора.",
    )  # fmt: skip
    is_active = models.BooleanField("действует", default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "учреждение (район)"
        verbose_name_plural = "учреждения (районы)"
        ordering = ["short_name"]

    def __str__(self) -> str:
        return self.short_name


class OfficeScopedQuerySet(models.QuerySet):
    """`.for_user(user)`: the records of the user's own office, or all for a regional user."""

    office_field = "office"

    def for_user(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_all_offices:
            return self
        if user.office_id is None:
            return self.none()
        return self.filter(self.office_q(user.office_id))

    def office_q(self, office_id: int) -> models.Q:
        """The records an office sees (a record that concerns two offices says so here)."""
        return models.Q(**{self.office_field: office_id})


class User(AbstractUser):
    office = models.ForeignKey(
        Office,
        verbose_name="учреждение",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    middle_name = models.CharField("отчество", max_length=150, blank=True)
    position = models.CharField("должность", max_length=200, blank=True)

    history = HistoricalRecords(excluded_fields=["last_login", "password"])
    objects = UserManager()

    class Meta:
        verbose_name = "пользователь"
        verbose_name_plural = "пользователи"
        ordering = ["last_name", "first_name"]
        permissions = [
            ("view_all_offices", "Видит данные всех учреждений"),
            ("view_office_reports", "Видит сводки и отчёты учреждения"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    @property
    def short_name(self) -> str:
        """«Иванова А. С.» for signatures and lists (non-breaking spaces)."""
        return short_name(self.last_name, self.first_name, self.middle_name) or self.username

    @property
    def sees_all_offices(self) -> bool:
        # asked on every scoped query; a user object lives for one request, so cache it there
        cached = self.__dict__.get("_sees_all_offices")
        if cached is None:
            cached = self.is_superuser or self.has_perm("onewindow.view_all_offices")
            self.__dict__["_sees_all_offices"] = cached
        return cached

    @property
    def role_names(self) -> list[str]:
        if not hasattr(self, "_role_names"):
            names = set(self.groups.values_list("name", flat=True))
            self._role_names = [r for r in roles.ALL_ROLES if r in names]
        return self._role_names

    def has_role(self, *names: str) -> bool:
        return any(name in self.role_names for name in names)

    @property
    def role_display(self) -> str:
        if self.role_names:
            return ", ".join(self.role_names)
        return "Суперпользователь" if self.is_superuser else "роль не назначена"
