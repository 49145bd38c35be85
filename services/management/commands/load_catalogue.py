"""Load the shipped default data: the service catalogue, and the defaults of every app that
has a `defaults.py` with `load_defaults(write)` (reconciliation profiles, retention rules, …).
Idempotent: brings an existing database up to date without duplicating anything."""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from services.regulations import RegulationFileError

# The catalogue first: other defaults refer to its services.
ORDER = ["services"]


class Command(BaseCommand):
    help = (
        "Загружает каталог услуг и справочники по умолчанию (повторный запуск ничего не дублирует)."
    )

    def handle(self, *args, **options):
        configs = sorted(
            apps.get_app_configs(),
            key=lambda c: (ORDER.index(c.label) if c.label in ORDER else len(ORDER), c.label),
        )
        try:
            with transaction.atomic():
                for config in configs:
                    try:
                        module = import_module(f"{config.name}.defaults")
                    except ModuleNotFoundError as exc:
                        if exc.name != f"{config.name}.defaults":
                            raise
                        continue
                    module.load_defaults(write=self.stdout.write)
        except RegulationFileError as exc:
            raise CommandError("Ошибка в файлах каталога:\n" + "\n".join(exc.errors)) from None
