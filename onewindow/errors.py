"""The one shape of a refusal in the service layer, and the one way to save with its actor."""

from __future__ import annotations


class DomainError(Exception):
    """A refusal with a Russian message; `field` names the form field it belongs to, `link`
    (optional) where the user can go to resolve it. Views show it at the field."""

    def __init__(
        self,
        message: str,
        field: str | None = None,
        link: str | None = None,
        link_title: str | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.field = field
        self.link = link
        self.link_title = link_title


def save_with_actor(obj, actor) -> None:
    """Save a model instance so that its history record names who made the change."""
    obj._history_user = actor
    obj.save()
