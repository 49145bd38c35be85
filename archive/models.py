"""The archive of personal case files: retention rules (data, not code), locations, archived
files with their destruction dates, and temporary issue."""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from onewindow.models import Office, OfficeScopedQuerySet


class RetentionRule(models.Model):
    class Event(models.TextChoices):
        DEREGISTRATION = "deregistration", "снятие получателя с учёта"
        CLOSING = "closing", "закрытие дела"

    code = models.SlugField("код", max_length=64, unique=True)
    title = models.CharField("категория дел", max_length=300)
    years = models.PositiveSmallIntegerField(
        "срок хранения, лет", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    permanent = models.BooleanField("постоянно", default=False)
    event = models.CharField(
        "срок считается от", max_length=32, choices=Event.choices, default=Event.DEREGISTRATION
    )
    legal_basis = models.CharField("основание (статья перечня)", max_length=500)
    nomenclature_index = models.CharField("индекс по номенклатуре", max_length=32, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "правило хранения"
        verbose_name_plural = "правила хранения"
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(permanent=True, years__isnull=True)
                | models.Q(permanent=False, years__isnull=False),
                name="retention_years_or_permanent",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def period_display(self) -> str:
        return "постоянно" if self.permanent else f"{self.years} лет"

    @property
    def act_basis(self) -> str:
        """The list (перечень) the rule rests on, without the article: the act's header cites
        it, and each line of the act cites the article of the same list."""
        return (
            re.sub(r"[,;]?\s*ст\.\s*\d+[а-я]?.*$", "", self.legal_basis).strip() or self.legal_basis
        )

    @property
    def act_reference(self) -> str:
        """«5 лет, ст. 900»: the period and the article, as the act's column asks."""
        article = re.search(r"ст\.\s*\d+[а-я]?", self.legal_basis)
        return f"{self.period_display}, {article.group(0) if article else self.legal_basis}"

    @property
    def list_reference(self) -> str:
        """«ст. 900 (приказ Росархива от 20.12.2019 № 236)»: the article and the order that
        approved the list, short enough for a label; the whole basis when it has no such parts."""
        order = re.search(r"\(([^()]*приказ[^()]*)\)", self.legal_basis, flags=re.I)
        article = re.search(r"ст\.\s*\d+[а-я]?", self.legal_basis)
        if order and article:
            return f"{article.group(0)} ({order.group(1).strip()})"
        return self.legal_basis

    def eligible_from(self, event_date: datetime.date | None) -> datetime.date | None:
        """A file may be destroyed from 1 January of the year after its retention ends."""
        if self.permanent or event_date is None:
            return None
        return datetime.date(event_date.year + self.years + 1, 1, 1)


class Location(models.Model):
    class Kind(models.TextChoices):
        ROOM = "room", "помещение"
        RACK = "rack", "стеллаж"
        SHELF = "shelf", "полка"
        BOX = "box", "короб"

    office = models.ForeignKey(
        Office, verbose_name="учреждение", on_delete=models.PROTECT, related_name="+"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="входит в",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    kind = models.CharField("вид", max_length=8, choices=Kind.choices)
    name = models.CharField("обозначение", max_length=100)
    capacity = models.PositiveIntegerField("вместимость, дел", null=True, blank=True)

    history = HistoricalRecords()
    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "место хранения"
        verbose_name_plural = "места хранения"
        ordering = ["office", "parent_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "parent", "name"], name="location_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.path

    @property
    def path(self) -> str:
        parts, node, seen = [], self, set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            parts.append(f"{node.get_kind_display()} {node.name}")
            node = node.parent
        return " / ".join(reversed(parts))


class ArchivedFile(models.Model):
    class Status(models.TextChoices):
        IN_ARCHIVE = "in_archive", "в архиве"
        ISSUED = "issued", "выдано во временное пользование"
        NOT_FOUND = "not_found", "не найдено при проверке"
        DESTROYED = "destroyed", "уничтожено"
        # taken out of the archive back into work (a new application, a decision): the record
        # stays, with who returned it, when and why; taking the file in again reuses it
        WITHDRAWN = "withdrawn", "возвращено из архива в работу"

    office = models.ForeignKey(
        Office, verbose_name="учреждение", on_delete=models.PROTECT, related_name="+"
    )
    case_file = models.OneToOneField(
        "cases.CaseFile",
        verbose_name="личное дело",
        on_delete=models.PROTECT,
        related_name="archived",
    )
    archive_number = models.CharField("архивный номер", max_length=32)
    nomenclature_index = models.CharField("индекс дела", max_length=32)
    year = models.PositiveSmallIntegerField("год")
    volumes = models.PositiveSmallIntegerField(
        "томов", default=1, validators=[MinValueValidator(1)]
    )
    sheets = models.PositiveIntegerField("листов", validators=[MinValueValidator(1)])
    title = models.CharField("заголовок дела", max_length=500)
    start_date = models.DateField("крайние даты: начало")
    end_date = models.DateField("крайние даты: конец")
    event_date = models.DateField("снят с учёта", help_text="от этой даты считается срок хранения")
    retention_rule = models.ForeignKey(
        RetentionRule, verbose_name="правило хранения", on_delete=models.PROTECT, related_name="+"
    )
    eligible_from = models.DateField("можно уничтожить с", null=True, blank=True, db_index=True)
    location = models.ForeignKey(
        Location, verbose_name="место хранения", on_delete=models.PROTECT, related_name="files"
    )
    status = models.CharField(
        "состояние", max_length=16, choices=Status.choices, default=Status.IN_ARCHIVE, db_index=True
    )
    legal_hold = models.BooleanField("запрет уничтожения (суд, проверка)", default=False)
    legal_hold_reason = models.CharField("основание запрета", max_length=300, blank=True)
    last_checked_on = models.DateField("проверено наличие", null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="принял в архив",
        on_delete=models.PROTECT,
        related_name="+",
    )
    registered_at = models.DateTimeField("принято", auto_now_add=True)
    withdrawn_on = models.DateField("возвращено из архива", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто вернул из архива",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawal_reason = models.CharField("основание возврата из архива", max_length=300, blank=True)

    history = HistoricalRecords()
    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "дело в архиве"
        verbose_name_plural = "дела в архиве"
        ordering = ["year", "nomenclature_index", "archive_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "archive_number"], name="archive_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Дело № {self.archive_number}: {self.title}"

    @property
    def dates_display(self) -> str:
        return f"{self.start_date:%d.%m.%Y} – {self.end_date:%d.%m.%Y}"


class FileIssue(models.Model):
    """Temporary issue of a file (control card); a substitute card stands in its place."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    archived_file = models.ForeignKey(
        ArchivedFile, verbose_name="дело", on_delete=models.PROTECT, related_name="issues"
    )
    issued_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кому выдано",
        on_delete=models.PROTECT,
        related_name="archive_issues",
    )
    purpose = models.CharField("цель выдачи", max_length=300)
    issued_on = models.DateField("выдано")
    due_back = models.DateField("вернуть до")
    returned_on = models.DateField("возвращено", null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="выдал", on_delete=models.PROTECT, related_name="+"
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="принял",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "выдача дела"
        verbose_name_plural = "выдачи дел"
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["archived_file"],
                condition=models.Q(returned_on__isnull=True),
                name="file_issued_once",
            )
        ]

    def __str__(self) -> str:
        return f"Выдача дела № {self.archived_file.archive_number}"

    @property
    def work_title(self) -> str:
        return f"Дело из архива № {self.archived_file.archive_number}: {self.archived_file.title}"


class InventoryCheck(models.Model):
    """A presence check of archived files by the director's order, by a commission of three or more."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "идёт проверка"
        FINISHED = "finished", "завершена"

    office = models.ForeignKey(
        Office, verbose_name="учреждение", on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveIntegerField("номер акта", null=True, blank=True)
    order_number = models.CharField("номер приказа", max_length=50)
    order_date = models.DateField("дата приказа")
    place = models.CharField("место проведения", max_length=500, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="председатель комиссии",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    commission = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="комиссия", related_name="+"
    )
    locations = models.ManyToManyField(
        Location, verbose_name="места хранения", blank=True, related_name="+"
    )
    years = models.JSONField("годы", default=list, blank=True)
    status = models.CharField(
        "состояние", max_length=16, choices=Status.choices, default=Status.IN_PROGRESS
    )
    started_on = models.DateField("начата")
    finished_on = models.DateField("завершена", null=True, blank=True)
    condition = models.CharField(
        "физическое состояние дел", max_length=100, default="удовлетворительное"
    )
    condition_notes = models.TextField("замечания о состоянии дел", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="начал", on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()
    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "проверка наличия"
        verbose_name_plural = "проверки наличия"
        ordering = ["-started_on", "-id"]

    def __str__(self) -> str:
        return f"Проверка наличия по приказу № {self.order_number} от {self.order_date:%d.%m.%Y}"


class InventoryCheckItem(models.Model):
    inventory = models.ForeignKey(InventoryCheck, on_delete=models.CASCADE, related_name="items")
    archived_file = models.ForeignKey(ArchivedFile, on_delete=models.PROTECT, related_name="+")
    found = models.BooleanField("найдено", default=False)
    found_at = models.DateTimeField("отмечено", null=True, blank=True)
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "дело в проверке"
        verbose_name_plural = "дела в проверке"
        ordering = ["inventory", "archived_file__archive_number"]
        constraints = [
            models.UniqueConstraint(fields=["inventory", "archived_file"], name="check_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.archived_file.archive_number}: {'найдено' if self.found else 'не отмечено'}"


class InventoryCheckExtra(models.Model):
    """Found on the shelf but not in the check's list (or not in the archive at all)."""

    inventory = models.ForeignKey(InventoryCheck, on_delete=models.CASCADE, related_name="extras")
    scanned = models.CharField("отсканировано", max_length=64)
    archived_file = models.ForeignKey(
        ArchivedFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField("когда", auto_now_add=True)

    class Meta:
        verbose_name = "лишнее дело"
        verbose_name_plural = "лишние дела"
        constraints = [
            models.UniqueConstraint(fields=["inventory", "scanned"], name="check_extra_unique")
        ]

    def __str__(self) -> str:
        return self.scanned


class DestructionAct(models.Model):
    """Акт о выделении к уничтожению документов, не подлежащих хранению."""

    class Status(models.TextChoices):
        DRAFT = "draft", "проект"
        AGREED = "agreed", "согласован ЭК"
        APPROVED = "approved", "утверждён директором"
        EXECUTED = "executed", "дела уничтожены"

    class Method(models.TextChoices):
        SHREDDING = "shredding", "измельчение (шредирование)"
        RECYCLING = "recycling", "передача на переработку (утилизацию)"
        BURNING = "burning", "сжигание"

    office = models.ForeignKey(
        Office, verbose_name="учреждение", on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveIntegerField("номер")
    act_date = models.DateField("дата акта")
    place = models.CharField("место составления", max_length=100, default="Волгоград")
    basis = models.CharField(
        "основание", max_length=500,
        default="Перечень типовых управленческих архивных документов, образующихся в процессе деятельности "
        "государственных органов, органов местного самоуправления и организаций, с указанием сроков их хранения "
        "(приказ Росархива от 20.12.2019 № 236)",
    )  # fmt: skip
    status = models.CharField(
        "состояние", max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    compiled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="составил",
        on_delete=models.PROTECT,
        related_name="+",
    )
    protocol_number = models.CharField("протокол ЭК №", max_length=50, blank=True)
    protocol_date = models.DateField("протокол ЭК от", null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_on = models.DateField("утверждён", null=True, blank=True)
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    executed_on = models.DateField("дела уничтожены", null=True, blank=True)
    # the record of destruction (Правила хранения, приказ Росархива № 77): how, how much, to whom
    destruction_method = models.CharField(
        "способ уничтожения", max_length=16, choices=Method.choices, blank=True
    )
    destruction_volume = models.CharField("масса или объём", max_length=50, blank=True)
    recycler = models.CharField("кому переданы на переработку", max_length=300, blank=True)
    handover_number = models.CharField("накладная №", max_length=50, blank=True)
    handover_date = models.DateField("накладная от", null=True, blank=True)

    history = HistoricalRecords()
    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "акт о выделении к уничтожению"
        verbose_name_plural = "акты о выделении к уничтожению"
        ordering = ["-act_date", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "act_date", "number"], name="destruction_act_number"
            )
        ]
        permissions = [
            ("agree_destructionact", "Вносит согласование ЭК"),
            ("approve_destructionact", "Утверждает акт о выделении к уничтожению"),
            ("execute_destructionact", "Отмечает уничтожение дел"),
        ]

    def __str__(self) -> str:
        return f"Акт № {self.number} от {self.act_date:%d.%m.%Y}"


class DestructionItem(models.Model):
    """A line of the act: a snapshot that outlives the file it describes."""

    act = models.ForeignKey(DestructionAct, on_delete=models.CASCADE, related_name="items")
    archived_file = models.ForeignKey(ArchivedFile, on_delete=models.PROTECT, related_name="+")
    title = models.CharField("заголовок дела", max_length=500)
    dates = models.CharField("крайние даты", max_length=50)
    year = models.PositiveSmallIntegerField("год")
    inventory = models.CharField("номер описи", max_length=50)
    index = models.CharField("индекс дела", max_length=32)
    count = models.PositiveSmallIntegerField("количество дел", default=1)
    retention = models.CharField("срок хранения и статья перечня", max_length=500)
    note = models.CharField("примечание", max_length=200, blank=True)

    class Meta:
        verbose_name = "дело в акте"
        verbose_name_plural = "дела в акте"
        ordering = ["act", "year", "index", "id"]

    def __str__(self) -> str:
        return self.title


class PersonalDataDestruction(models.Model):
    """Акт об уничтожении персональных данных (152-ФЗ, приказ Роскомнадзора № 179), kept 3 years."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    act = models.OneToOneField(
        DestructionAct, on_delete=models.PROTECT, related_name="pd_destruction"
    )
    destroyed_on = models.DateField("дата уничтожения")
    destroyed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveIntegerField("номер акта", null=True, blank=True)
    subjects = models.JSONField("субъекты", default=list)
    data_categories = models.TextField("уничтоженные персональные данные")
    media = models.CharField("носители", max_length=300)
    method = models.CharField("способ уничтожения", max_length=500, blank=True)
    reason = models.CharField("причина", max_length=500)
    event_log = models.JSONField("выгрузка журнала событий", default=list)
    keep_until = models.DateField("хранить до")

    class Meta:
        verbose_name = "акт об уничтожении персональных данных"
        verbose_name_plural = "акты об уничтожении персональных данных"

    def __str__(self) -> str:
        return f"Уничтожение ПД по акту № {self.act.number}"


class Inventory(models.Model):
    """Опись дел: a saved document, not a live query. Its rows are a snapshot taken when it was
    compiled; a file destroyed later stays listed (marked with its act). One list per year and
    retention group: files kept permanently, over 10 years and up to 10 years are never mixed."""

    class Group(models.TextChoices):
        PERMANENT = "permanent", "постоянного хранения"
        LONG = "long", "временного (свыше 10 лет) хранения"
        SHORT = "short", "временного (до 10 лет включительно) хранения"

    office = models.ForeignKey(
        Office, verbose_name="учреждение", on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveIntegerField("номер")
    year = models.PositiveSmallIntegerField("год дел")
    group = models.CharField("срок хранения дел", max_length=16, choices=Group.choices)
    index = models.CharField("индекс дела (пусто — все)", max_length=32, blank=True)
    compiled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="составил",
        on_delete=models.PROTECT,
        related_name="+",
    )
    compiled_on = models.DateField("дата составления")

    history = HistoricalRecords()
    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "опись дел"
        verbose_name_plural = "описи дел"
        ordering = ["-compiled_on", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "compiled_on", "number"], name="inventory_number"
            )
        ]

    def __str__(self) -> str:
        return f"Опись № {self.number} от {self.compiled_on:%d.%m.%Y}"

    @staticmethod
    def group_of(rule: RetentionRule) -> str:
        if rule.permanent:
            return Inventory.Group.PERMANENT
        return Inventory.Group.LONG if rule.years > 10 else Inventory.Group.SHORT

    @property
    def needs_approval(self) -> bool:
        """Описи дел постоянного и временного (свыше 10 лет) хранения are approved by the head
        after the expert commission; a list of short-term files is a simple list."""
        return self.group != Inventory.Group.SHORT


class InventoryItem(models.Model):
    """A row of the inventory as it was compiled: outlives the file it describes."""

    inventory = models.ForeignKey(Inventory, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField("№ п/п")
    archived_file = models.ForeignKey(ArchivedFile, on_delete=models.PROTECT, related_name="+")
    archive_number = models.CharField("архивный номер", max_length=32)
    index = models.CharField("индекс дела", max_length=32)
    title = models.CharField("заголовок дела", max_length=500)
    dates = models.CharField("крайние даты", max_length=50)
    sheets = models.PositiveIntegerField("количество листов")
    retention = models.CharField("срок хранения и статья перечня", max_length=500)
    note = models.CharField("примечание", max_length=200, blank=True)

    class Meta:
        verbose_name = "дело в описи"
        verbose_name_plural = "дела в описи"
        ordering = ["inventory", "position"]
        constraints = [
            models.UniqueConstraint(fields=["inventory", "position"], name="inventory_position")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"
