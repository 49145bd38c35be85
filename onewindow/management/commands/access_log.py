"""The access log's operations: `verify` the hash chain, `seal` pending rows, `export` for an
external collector, `purge` rows past the retention period.

    manage.py access_log verify
    manage.py access_log export --since 2026-11-01 --format jsonl --output log.jsonl
"""

from __future__ import annotations

import datetime
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from onewindow import audit
from onewindow.models import AccessLog


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Дата «{value}» не прочитана: нужна ГГГГ-ММ-ДД.") from None


class Command(BaseCommand):
    help = "Журнал доступа: проверка цепочки хешей, выгрузка, удаление по сроку хранения."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="проверить цепочку хешей; код 1, если она нарушена")
        sub.add_parser("seal", help="включить в цепочку записи, которые ещё не включены")
        sub.add_parser("purge", help="удалить записи старше срока хранения")
        export = sub.add_parser("export", help="выгрузить записи (JSON lines или CSV)")
        export.add_argument("--since", type=_date, help="с даты (включительно), ГГГГ-ММ-ДД")
        export.add_argument("--until", type=_date, help="по дату (включительно), ГГГГ-ММ-ДД")
        export.add_argument("--after-seq", type=int, help="только записи после этого номера")
        export.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
        export.add_argument("--output", help="файл (по умолчанию — стандартный вывод)")

    def handle(self, *args, action: str, **options):
        if action == "verify":
            result = audit.verify_chain()
            self.stdout.write(str(result))
            if not result.ok:
                sys.exit(1)
        elif action == "seal":
            self.stdout.write(f"Включено в цепочку записей: {audit.seal_pending()}.")
        elif action == "purge":
            self.stdout.write(f"Удалено записей старше срока хранения: {audit.purge_expired()}.")
        else:
            self._export(options)

    def _export(self, options) -> None:
        audit.seal_pending()
        rows = AccessLog.objects.all()
        if options["since"]:
            rows = rows.filter(at__gte=_start(options["since"]))
        if options["until"]:
            rows = rows.filter(at__lt=_start(options["until"] + datetime.timedelta(days=1)))
        if options["after_seq"] is not None:
            rows = rows.filter(seq__gt=options["after_seq"])
        if not options["output"]:
            for chunk in audit.export_lines(rows, options["format"]):
                self.stdout.write(chunk, ending="")
            return
        with open(options["output"], "w", encoding="utf-8", newline="") as out:
            for chunk in audit.export_lines(rows, options["format"]):
                out.write(chunk)
        self.stderr.write(f"Записано в {options['output']}.")


def _start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
