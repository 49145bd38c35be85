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


@register.inclusion_tag("includes/sort_th.html")
def sort_th(listing, key: str, title: str) -> dict:
    """A column header that sorts the list (onewindow.lists.Listing) by `key`, then reverses."""
    return {
        "title": title,
        "query": listing.sort_query(key),
        "current": listing.sort == key,
        "descending": listing.descending,
    }


@register.inclusion_tag("includes/pager.html")
def pager(listing, label: str = "") -> dict:
    """«Показаны 51–100 из 1485» and the links to the pages around."""
    page = listing.page
    return {
        "label": label,
        "total": listing.total,
        "start": page.start_index(),
        "end": page.end_index(),
        "number": page.number,
        "pages": page.paginator.num_pages,
        "previous": listing.page_query(page.previous_page_number()) if page.has_previous() else "",
        "next": listing.page_query(page.next_page_number()) if page.has_next() else "",
    }
