"""Selections: reconciliation of recipients against Pension Fund (ПФР/СФР) and Employment Centre
(ЦЗН) extracts, and the worklist of selection items specialists work out."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from onewindow.identity import normalize_name
from onewindow.models import Job, Office, OfficeScopedQuerySet


class Source(models.TextChoices):
    PFR = "pfr", "ПФР (СФР)"
    CZN = "czn", "ЦЗН"


class Kind(models.TextChoices):
    DEATHS = "deaths", "смерть получателей"
    EMPLOYMENT = "employment", "трудоустройство"
    UNEMPLOYED = "unemployed", "признание безработным / пособие по безработице"
    PENSION = "pension", "назначение пенсии"


class Action(models.TextChoices):
    STOP = "stop", "прекратить меры"
    SUSPEND = "suspend", "приостановить меры"
    REVIEW = "review", "проверить право на меры"


class ExtractProfile(models.Model):
    """How to read one kind of extract and what it means for measures."""

    class Format(models.TextChoices):
        AUTO = "auto", "по расширению файла"
        CSV = "csv", "CSV"
        DBF = "dbf", "DBF"
        XLSX = "xlsx", "XLSX"
        XML = "xml", "XML"

    name = models.SlugField("код профиля", max_length=64, unique=True)
    title = models.CharField("наименование", max_length=300)
    source = models.CharField("источник", max_length=8, choices=Source.choices)
    kind = models.CharField("вид сведений", max_length=16, choices=Kind.choices)
    file_format = models.CharField(
        "формат", max_length=8, choices=Format.choices, default=Format.AUTO
    )
    encoding = models.CharField(
        "кодировка", max_length=16, blank=True,
        help_text="cp866, cp1251 или utf-8. Кодировка CSV определяется по тексту файла, DBF — по байту "
                  "языкового драйвера; указанная здесь решает, только когда по файлу не различить",
    )  # fmt: skip
    delimiter = models.CharField(
        "разделитель CSV", max_length=2, blank=True, help_text="пусто — определить"
    )
    columns = models.JSONField(
        "сопоставление полей", default=dict, blank=True,
        help_text='{"snils": "NPERS", "last_name": "FAM", …}; пусто — стандартные названия столбцов',
    )  # fmt: skip
    date_format = models.CharField(
        "формат даты",
        max_length=20,
        blank=True,
        help_text="например %d.%m.%Y; пусто — ДД.ММ.ГГГГ или ГГГГ-ММ-ДД",
    )
    xml_record = models.CharField(
        "XML: элемент записи", max_length=64, blank=True, default="record"
    )
    services = models.JSONField("затрагиваемые услуги (коды)", default=list, blank=True,
                                help_text='["*"] — все меры получателя')  # fmt: skip
    action = models.CharField(
        "предлагаемое действие", max_length=16, choices=Action.choices, default=Action.REVIEW
    )
    is_active = models.BooleanField("используется", default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "профиль выгрузки"
        verbose_name_plural = "профили выгрузок"
        ordering = ["source", "kind", "name"]

    def __str__(self) -> str:
        return self.title

    def affects(self, service_code: str) -> bool:
        return "*" in self.services or service_code in self.services


class RunQuerySet(OfficeScopedQuerySet):
    def for_user(self, user):
        """A run of the user's office, or a regional (nightly) run over every office."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_all_offices:
            return self
        return self.filter(models.Q(office__isnull=True) | models.Q(office_id=user.office_id))


class ReconciliationRun(models.Model):
    """A reconciliation of one file. It is run by a background job (`job`, of kind
    «reconciliation.run»): the job's attempts, progress and interruptions are the job's
    (`onewindow.jobs`); the run records the outcome — done with its results, in their
    transaction, or failed with a reason the user can read."""

    class Status(models.TextChoices):
        QUEUED = "queued", "в очереди"  # not finished: its job says where it is
        DONE = "done", "завершена"
        FAILED = "failed", "ошибка"

    office = models.ForeignKey(
        Office, verbose_name="учреждение (пусто — все учреждения)", on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    profile = models.ForeignKey(
        ExtractProfile, verbose_name="профиль", on_delete=models.PROTECT, related_name="runs"
    )
    source = models.CharField("источник", max_length=8, choices=Source.choices)
    kind = models.CharField("вид сведений", max_length=16, choices=Kind.choices)
    file_name = models.CharField("файл", max_length=300)
    file_path = models.CharField("путь к файлу", max_length=1000)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    forced = models.BooleanField("повторная обработка того же файла", default=False)
    # CSV and DBF: detected when the run is registered, or chosen on the preview; both ways of
    # running read the file in it (blank: XLSX, XML, or a file that could not be read)
    encoding = models.CharField("кодировка файла", max_length=16, blank=True)
    status = models.CharField(
        "состояние", max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    counts = models.JSONField("итоги", default=dict, blank=True)
    error = models.TextField("ошибка", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто запустил",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("создана", auto_now_add=True)
    finished_at = models.DateTimeField("завершена", null=True, blank=True)
    origin = models.CharField("откуда", max_length=16, default="upload")  # upload | inbox | cli
    job = models.OneToOneField(
        Job, verbose_name="фоновая задача", on_delete=models.PROTECT, null=True, blank=True,
        related_name="reconciliation_run",
    )  # fmt: skip

    objects = RunQuerySet.as_manager()

    class Meta:
        verbose_name = "сверка"
        verbose_name_plural = "сверки"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Сверка № {self.pk}: {self.file_name}"

    def finish(self, counts: dict) -> None:
        """Done with these counts (both ways of running end here, inside the run's transaction)."""
        self.counts = counts
        self.status = self.Status.DONE
        self.finished_at = timezone.now()
        self.save(update_fields=["counts", "status", "finished_at"])

    UNFINISHED = (Status.QUEUED,)
    MAX_ATTEMPTS = Job.MAX_ATTEMPTS

    @property
    def state(self) -> str:
        """Where the run is: its outcome once written, else its job's state (queued, running,
        interrupted)."""
        if self.status != self.Status.QUEUED or self.job is None:
            return self.status
        return self.job.status

    @property
    def attempts(self) -> int:
        return self.job.attempts if self.job is not None else 0

    @property
    def interrupted_at(self):
        return self.job.interrupted_at if self.job is not None else None

    @property
    def started_at(self):
        return self.job.started_at if self.job is not None else None

    @property
    def progress(self) -> int:
        """Rows processed: all of them once done, else as far as the job has reported."""
        if self.status == self.Status.DONE:
            return int(self.counts.get("rows_total", 0))
        return self.job.progress if self.job is not None else 0

    @property
    def step(self) -> str:
        """What the unfinished run is doing now («загрузка», «сопоставление», …), if it says."""
        if self.status != self.Status.QUEUED or self.job is None:
            return ""
        return self.job.step

    @property
    def state_display(self) -> str:
        """The state as the runs list says it: an interruption is named with its time."""
        state = self.state
        if self.interrupted_at and state in (Job.Status.INTERRUPTED, self.Status.FAILED):
            when = timezone.localtime(self.interrupted_at).strftime("%d.%m.%Y %H:%M")
            if state == Job.Status.INTERRUPTED and self.attempts < self.MAX_ATTEMPTS:
                return f"прервана {when}, будет перезапущена"
            if state == Job.Status.INTERRUPTED:
                return f"прервана {when} повторно, перезапуска не будет"
            return f"прервана {when}, не завершена"
        if self.status == self.Status.DONE and self.attempts > 1:
            return "завершена после перезапуска"
        if self.status == self.Status.QUEUED and state != self.Status.QUEUED:
            return Job.Status(state).label  # «выполняется», «прервана, будет перезапущена»
        return self.get_status_display()

    @property
    def dead_state_display(self) -> str:
        """A run still marked running whose worker is found dead (not yet taken up again)."""
        if self.attempts < self.MAX_ATTEMPTS:
            return "прервана, будет перезапущена"
        return "прервана повторно, перезапуска не будет"

    @property
    def encoding_label(self) -> str:
        from reconciliation.readers import ENCODING_LABELS

        return ENCODING_LABELS.get(self.encoding, self.encoding)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if self.job is None or not self.job.total:
            return 0
        return min(99, int(self.job.progress * 100 / self.job.total))


def new_staged_token() -> str:
    import secrets

    return secrets.token_urlsafe(24)  # 32 characters: unguessable, safe in a form field


class StagedExtract(models.Model):
    """An uploaded extract waiting on its preview for «Запустить сверку». It belongs to the office
    and the user who uploaded it: the preview's form sends back only its `token`, looked up for
    that user, never a file name. The file lives under `services.staging_dir()` with a name the
    server made; an upload not started by `expires_at` is deleted with its file by the periodic
    task `reconciliation.purge_staged_extracts`."""

    class State(models.TextChoices):
        STAGED = "staged", "ждёт запуска"
        STARTED = "started", "сверка запущена"

    token = models.CharField(max_length=64, unique=True, default=new_staged_token, editable=False)
    office = models.ForeignKey(
        Office, verbose_name="учреждение", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="кто загрузил", on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    profile = models.ForeignKey(
        ExtractProfile, verbose_name="профиль", on_delete=models.PROTECT, related_name="+"
    )
    file_path = models.CharField("путь к файлу", max_length=1000, editable=False)
    original_name = models.CharField("имя файла", max_length=300)
    size = models.PositiveBigIntegerField("размер, байт")
    sha256 = models.CharField("SHA-256", max_length=64)
    file_format = models.CharField("формат", max_length=8, blank=True)
    force = models.BooleanField("обработать повторно", default=False)
    state = models.CharField(
        "состояние", max_length=16, choices=State.choices, default=State.STAGED
    )
    run = models.ForeignKey(
        ReconciliationRun, verbose_name="сверка", on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField("загружен", default=timezone.now)
    expires_at = models.DateTimeField("удаляется, если не запущен", db_index=True)

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "загруженная выгрузка"
        verbose_name_plural = "загруженные выгрузки"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Выгрузка «{self.original_name}»"


class InvalidRow(models.Model):
    run = models.ForeignKey(
        ReconciliationRun, on_delete=models.CASCADE, related_name="invalid_rows"
    )
    row_number = models.PositiveIntegerField("строка")
    reason = models.CharField("причина", max_length=500)
    data = models.JSONField("данные строки", default=dict)

    class Meta:
        verbose_name = "ошибочная строка"
        verbose_name_plural = "ошибочные строки"
        ordering = ["run", "row_number"]

    def __str__(self) -> str:
        return f"строка {self.row_number}: {self.reason}"


class SelectionQuerySet(OfficeScopedQuerySet):
    def open(self):
        return self.filter(status=Selection.Status.OPEN)


class Selection(models.Model):
    """A recipient found in an extract who holds an active measure the extract affects."""

    class Match(models.TextChoices):
        SNILS = "snils", "по СНИЛС"
        NAME_DOB = "name_dob", "по ФИО и дате рождения"
        PROBABLE = "probable", "вероятное совпадение (проверить)"
        # the record's СНИЛС is the person's, but neither its surname nor its birth date is
        SNILS_ONLY = "snils_only", "совпал только СНИЛС — проверить"

    class Status(models.TextChoices):
        OPEN = "open", "в работе"
        DONE = "done", "отработана"

    class Outcome(models.TextChoices):
        STOPPED = "stopped", "меры прекращены"
        SUSPENDED = "suspended", "меры приостановлены"
        DOCUMENTS = "documents", "запрошены документы"
        RECALCULATE = "recalculate", "нужен перерасчёт"
        NO_ACTION = "no_action", "действий не требуется"
        FALSE_MATCH = "false_match", "ложное совпадение"

    # A night's run writes its items in one statement (up to a few hundred thousand): the table
    # keeps only the indexes its lists use (office + state, run, person, assignee).
    office = models.ForeignKey(
        Office,
        verbose_name="учреждение",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # the (office, status) index serves
    )
    run = models.ForeignKey(
        ReconciliationRun,
        verbose_name="сверка",
        on_delete=models.PROTECT,
        related_name="selections",
    )
    applicant = models.ForeignKey(
        "cases.Applicant",
        verbose_name="получатель",
        on_delete=models.PROTECT,
        related_name="selections",
    )
    kind = models.CharField("вид сведений", max_length=16, choices=Kind.choices)
    source = models.CharField("источник", max_length=8, choices=Source.choices)
    match = models.CharField("совпадение", max_length=16, choices=Match.choices)
    needs_confirmation = models.BooleanField("совпадение нужно подтвердить", default=False)
    event_date = models.DateField("дата события", null=True, blank=True)
    evidence = models.JSONField("основания", default=list)
    suggested_action = models.CharField(
        "предлагаемое действие", max_length=16, choices=Action.choices
    )
    services = models.JSONField("затронутые меры (коды)", default=list)
    status = models.CharField(
        "состояние", max_length=16, choices=Status.choices, default=Status.OPEN
    )
    outcome = models.CharField("результат", max_length=16, choices=Outcome.choices, blank=True)
    note = models.TextField("примечание", blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="исполнитель",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="selections",
    )
    created_at = models.DateTimeField("создана", auto_now_add=True)
    updated_at = models.DateTimeField("обновлена", auto_now=True)
    worked_at = models.DateTimeField("отработана", null=True, blank=True)
    worked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто отработал",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )

    # The history is read per item (by `id`) and by date; the copies of the foreign keys and the
    # state need no indexes of their own there.
    history = HistoricalRecords(
        no_db_index=["office", "run", "applicant", "assigned_to", "worked_by", "status"]
    )
    objects = SelectionQuerySet.as_manager()

    class Meta:
        verbose_name = "селекция"
        verbose_name_plural = "селекции"
        ordering = ["created_at", "id"]
        permissions = [("assign_selection", "Распределяет селекции между специалистами")]
        indexes = [models.Index(fields=["office", "status"], name="selection_office_status")]
        constraints = [
            # an open item per person and kind: a later run adds evidence instead of a duplicate
            models.UniqueConstraint(
                fields=["applicant", "kind"],
                condition=models.Q(status="open"),
                name="selection_one_open_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"Селекция: {self.get_kind_display()}"

    @property
    def work_title(self) -> str:
        return f"Селекция «{self.get_kind_display()}»: {self.applicant.short_name}"

    @property
    def evidence_rows(self) -> list[dict]:
        """The evidence with each row's match step in words («по СНИЛС»), never its code."""
        return [{**row, "step_title": step_title(row.get("step", ""))} for row in self.evidence]

    @property
    def snils_only_rows(self) -> list[dict]:
        """The rows that matched only by СНИЛС, each beside the recipient's own data: what
        differs is marked, so the specialist sees the discrepancy before any measure changes."""
        if not any(row.get("step") == Selection.Match.SNILS_ONLY for row in self.evidence):
            return []
        person = self.applicant
        born = person.birth_date.isoformat() if person.birth_date else ""
        return [
            {**row, "person_name": person.full_name, "person_birth_date": born,
             "name_differs": normalize_name(row.get("name", "")) != person.name_key,
             "birth_differs": row.get("birth_date", "") != born}
            for row in self.evidence
            if row.get("step") == Selection.Match.SNILS_ONLY
        ]  # fmt: skip


def step_title(step: str) -> str:
    """A match step's code («snils», «name_dob», …) in words."""
    titles = {**dict(Selection.Match.choices), "chosen": "выбран специалистом из нескольких"}
    return titles.get(step, "—")


class AmbiguousRow(models.Model):
    """A row that matched two or more recipients at the first step that found any: a specialist
    picks the right person (or none)."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    run = models.ForeignKey(
        ReconciliationRun, on_delete=models.CASCADE, related_name="ambiguous_rows"
    )
    row_number = models.PositiveIntegerField("строка")
    data = models.JSONField("данные строки", default=dict)
    step = models.CharField("шаг", max_length=16)
    candidates = models.ManyToManyField("cases.Applicant", related_name="+")
    resolved = models.BooleanField("разобрано", default=False)
    chosen = models.ForeignKey(
        "cases.Applicant", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "неоднозначная строка"
        verbose_name_plural = "неоднозначные строки"
        ordering = ["run", "row_number"]

    def __str__(self) -> str:
        return f"строка {self.row_number} сверки № {self.run_id}"
