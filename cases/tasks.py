"""Celery tasks of the reception: thin wrappers around services (scheduled in settings'
CELERY_BEAT_SCHEDULE)."""

from celery import shared_task


@shared_task(name="cases.mark_missed_bookings")
def mark_missed_bookings() -> int:
    """Every few minutes: bookings never checked in, past their slot and grace → «не пришёл»."""
    from cases.services import queue

    return queue.mark_missed_bookings()


@shared_task(name="cases.erase_past_bookings")
def erase_past_bookings() -> int:
    """Nightly: bookings past QUEUE_BOOKING_KEEP_DAYS lose the visitor's name and phone."""
    from cases.services import queue

    return queue.erase_past_bookings()
