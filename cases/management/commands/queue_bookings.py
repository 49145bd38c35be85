"""The queue's pre-booking housekeeping, as the periodic tasks do it (for a run by hand or by
cron where Celery beat is not used):

    manage.py queue_bookings missed   # bookings past their slot and grace → «не пришёл»
    manage.py queue_bookings erase    # name and phone of bookings past QUEUE_BOOKING_KEEP_DAYS
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from cases.services import queue


class Command(BaseCommand):
    help = "Предварительная запись: отметка неявившихся, уничтожение ФИО и телефонов по сроку."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("missed", help="отметить «не пришёл» записи, по которым не отметились")
        sub.add_parser("erase", help="уничтожить ФИО и телефон в записях старше срока хранения")

    def handle(self, *args, action: str, **options):
        if action == "missed":
            count = queue.mark_missed_bookings()
            self.stdout.write(f"Отмечено «не пришёл»: {count}.")
        else:
            count = queue.erase_past_bookings()
            self.stdout.write(
                f"ФИО и телефон уничтожены в записях старше {queue.booking_keep_days()} дн.: "
                f"{count}."
            )
