"""The refusals of the counter's services (a module of its own: every service module of `cases`
raises them, and none has to import another to do so)."""

from onewindow.errors import DomainError


class CounterError(DomainError):
    """A refusal at the counter."""


class QueueError(CounterError):
    """A refusal of the electronic queue (the kiosk, the specialist's window)."""
