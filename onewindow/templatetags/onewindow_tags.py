"""Template helpers used across the apps (loaded as builtins)."""

import datetime

from django import template

register = template.Library()


@register.filter
def ru_date(value) -> str:
    """A date or an ISO date string as ДД.ММ.ГГГГ."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value[:10])
        except ValueError:
            return value
    return value.strftime("%d.%m.%Y")


@register.filter
def plural(number, forms: str) -> str:
    """{{ n|plural:"дело,дела,дел" }}: the noun agreeing with the number."""
    from onewindow.text import plural as agree

    return agree(number or 0, forms)
