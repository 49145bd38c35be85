"""Import an existing register of recipients: applicants, case files and measures."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from onewindow.models import Office
from reconciliation.readers import ExtractError
from reconciliation.register_import import import_register


class Command(BaseCommand):
    help = "Загружает реестр получателей из прежней системы (CSV/XLSX/DBF). С ошибками не применяется ничего."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--office", help="код учреждения (если их несколько)")
        parser.add_argument("--user", help="логин, от имени которого вносятся записи")
        parser.add_argument(
            "--dry-run", action="store_true", help="показать, что будет создано, и ошибки"
        )

    def handle(self, *args, file, office=None, user=None, dry_run=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Файл не найден: {path}")
        offices = Office.objects.filter(code=office) if office else Office.objects.all()
        if offices.count() != 1:
            raise CommandError(
                "Укажите учреждение: --office КОД"
                if not office
                else f"Учреждение «{office}» не найдено"
            )
        actor = get_user_model().objects.filter(username=user).first() if user else None
        try:
            report = import_register(path, office=offices.get(), actor=actor, dry_run=dry_run)
        except ExtractError as exc:
            raise CommandError(f"Файл не загружен: {exc}") from None
        for line in report.lines():
            self.stdout.write(line)
        if report.errors:
            raise CommandError(
                f"Ошибок: {len(report.errors)}; ничего не записано.\n"
                + "\n".join(report.errors[:200])
            )
        self.stdout.write("Пробный запуск: ничего не записано." if dry_run else "Реестр загружен.")
