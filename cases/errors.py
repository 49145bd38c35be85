"""The refusals of the counter's services (a module of its own: every service module of `cases`
raises them, and none has to import another to do so)."""

from onewindow.errors import DomainError


class CounterError(DomainError):
    """A refusal at the counter."""


class QueueError(CounterError):
    """A refusal of the electronic queue (the kiosk, the specialist's window)."""


class LateForBooking(QueueError):
    """A booked visitor at the kiosk after the slot's grace: the booking no longer holds, a
    walk-in ticket of `group` is offered instead."""

    def __init__(self, message: str, group):
        super().__init__(message, field="code")
        self.group = group


class TooManyAttempts(QueueError):
    """Too many wrong booking codes from this kiosk or address: refused for a while, whatever
    the code (a guesser learns nothing more)."""
