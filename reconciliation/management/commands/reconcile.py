"""Run a reconciliation synchronously; the last line printed is the JSON summary."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reconciliation import services
from reconciliation.defaults import default_profile
from reconciliation.models import ExtractProfile, Kind, ReconciliationRun, Source
from reconciliation.readers import ENCODING_CHOICES, ExtractError


class Command(BaseCommand):
    help = "Сверка выгрузки ПФР/ЦЗН с получателями. Последняя строка вывода — итог в JSON."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--source", required=True, choices=Source.values)
        parser.add_argument("--kind", required=True, choices=Kind.values)
        parser.add_argument(
            "--profile", help="код профиля выгрузки (по умолчанию — для источника и вида)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="только сопоставить, ничего не записывать"
        )
        parser.add_argument(
            "--force", action="store_true", help="обработать повторно уже обработанный файл"
        )
        parser.add_argument(
            "--encoding",
            choices=list(ENCODING_CHOICES),
            help="кодировка CSV или DBF (по умолчанию определяется по файлу)",
        )

    def _progress(self, run_id: int):
        """Progress on stderr (stdout ends with the JSON summary): each step, and the rows read."""
        said = {"step": None}

        def listener(done: int, total: int, step: str | None) -> None:
            step = step or said["step"] or "обработка"
            if step == said["step"] and not done:
                return
            said["step"] = step
            rows = f": прочитано строк {done:,}".replace(",", " ") if done else ""
            of = f" из {total:,}".replace(",", " ") if total and done else ""
            self.stderr.write(f"Сверка № {run_id} — {step}{rows}{of}")

        return listener

    def handle(
        self, *args, file, source, kind, profile=None, dry_run=False, force=False, encoding=None,
        **options,
    ):  # fmt: skip
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Файл не найден: {path}")
        if profile:
            chosen = ExtractProfile.objects.filter(name=profile).first()
            if chosen is None:
                raise CommandError(f"Профиль «{profile}» не найден")
            if (chosen.source, chosen.kind) != (source, kind):
                raise CommandError(
                    f"Профиль «{profile}» предназначен для {chosen.source}/{chosen.kind}, а не {source}/{kind}"
                )
        else:
            chosen = default_profile(source, kind)
            if chosen is None:
                raise CommandError(
                    f"Нет профиля выгрузки для {source}/{kind}: выполните manage.py load_catalogue"
                )
        if dry_run:
            try:
                counts = services.dry_run(path, profile=chosen, encoding=encoding or "")
            except ExtractError as exc:
                raise CommandError(f"Файл не обработан: {exc}") from None
            self.stdout.write("Пробный запуск: ничего не записано.")
            self.stdout.write(json.dumps(counts, ensure_ascii=False))
            return
        try:
            run = services.create_run(
                path, profile=chosen, force=force, origin="cli", encoding=encoding or ""
            )
        except services.AlreadyProcessed as exc:
            raise CommandError(f"{exc} В командной строке: --force.") from None
        if getattr(run, "resumed", False):
            self.stdout.write(
                f"Этот файл уже обрабатывается: сверка № {run.pk} ({run.state_display})."
            )
        run = services.execute_run(run.pk, listener=self._progress(run.pk))
        if run.status in ReconciliationRun.UNFINISHED:
            raise CommandError(
                f"Сверка № {run.pk} выполняется другим процессом: дождитесь её конца."
            )
        if run.status != ReconciliationRun.Status.DONE:
            raise CommandError(f"Сверка № {run.pk} не выполнена: {run.error}")
        counts = run.counts
        invalid = run.invalid_rows.all()[:20]
        for row in invalid:
            self.stdout.write(f"строка {row.row_number}: {row.reason}")
        if run.encoding:
            self.stdout.write(f"Кодировка файла: {run.encoding_label}")
        self.stdout.write(f"Сверка № {run.pk}: готово.")
        self.stdout.write(
            json.dumps(
                {key: int(counts.get(key, 0)) for key in services.COUNTER_KEYS}, ensure_ascii=False
            )
        )
