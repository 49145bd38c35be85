"""Load a regulation change file: print the difference, apply it unless --dry-run."""

import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from services.regulations import (
    RegulationFileError,
    StalePreviewError,
    apply_plan,
    build_plan,
    format_diff,
    parse_change,
    sha256_of,
)


class Command(BaseCommand):
    help = "Загружает файл изменений регламента (YAML или JSON, формат: docs/regulations.md)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="путь к файлу .yaml/.yml/.json")
        parser.add_argument("--dry-run", action="store_true", help="только показать изменения")
        parser.add_argument(
            "--allow-past", action="store_true", help="подтвердить изменение задним числом"
        )
        parser.add_argument(
            "--user", help="логин пользователя, от имени которого вносится изменение"
        )
        parser.add_argument(
            "--effective-from",
            help="дата вступления в силу вместо указанной в файле: ГГГГ-ММ-ДД или «завтра»",
        )

    def handle(
        self,
        *args,
        file,
        dry_run=False,
        allow_past=False,
        user=None,
        effective_from=None,
        **options,
    ):
        path = Path(file)
        day = _day(effective_from) if effective_from else None
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Не удалось прочитать файл {path}: {exc.strerror}") from None
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(f"Пользователь «{user}» не найден или отключён")
        try:
            plan = build_plan(parse_change(data, path.name, effective_from=day))
        except RegulationFileError as exc:
            raise CommandError(
                f"Файл {path.name} не загружен, ошибок: {len(exc.errors)}\n" + "\n".join(exc.errors)
            ) from None
        for line in format_diff(plan.diff):
            self.stdout.write(line)
        if not plan.has_changes:
            self.stdout.write("изменений нет: ничего не записано")
            return
        if dry_run:
            self.stdout.write("Пробный запуск (--dry-run): ничего не записано.")
            return
        try:
            load = apply_plan(
                plan,
                actor=actor,
                allow_past=allow_past,
                file_name=path.name,
                content=data.decode("utf-8-sig"),
                sha256=sha256_of(data),
                source="cli",
            )
        except RegulationFileError as exc:
            raise CommandError("\n".join(exc.errors)) from None
        except StalePreviewError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"Применено: загрузка № {load.pk}"))


def _day(value: str) -> datetime.date:
    if value.strip().lower() in {"завтра", "tomorrow"}:
        return timezone.localdate() + datetime.timedelta(days=1)
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise CommandError(
            f"--effective-from: неверная дата «{value}»: ожидается ГГГГ-ММ-ДД или «завтра»"
        ) from None
