"""The queue's pre-booking housekeeping, as the periodic task does it (for a run by hand or by
cron where Celery beat is not used):

    manage.py queue_bookings erase    # name and phone of bookings past QUEUE_BOOKING_KEEP_DAYS
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from cases.services import queue


class Command(BaseCommand):
    help = "Предварительная запись: уничтожение ФИО и телефонов по сроку хранения."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("erase", help="уничтожить ФИО и телефон в записях старше срока хранения")

    def handle(self, *args, action: str, **options):
        count = queue.erase_past_bookings()
        self.stdout.write(
            f"ФИО и телефон уничтожены в записях старше {queue.booking_keep_days()} дн.: {count}."
        )
