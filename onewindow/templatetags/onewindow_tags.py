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


@register.filter
def counted(number, forms: str) -> str:
    """{{ n|counted:"дело,дела,дел" }}: «1 дело», «5 дел»."""
    from onewindow.text import counted as agree

    return agree(number or 0, forms)


@register.filter
def years_phrase(years) -> str:
    """{{ years|years_phrase }}: «за 2010 год», «за 2010–2012 годы»."""
    from onewindow.text import years_phrase as phrase

    return phrase(years or [])


@register.filter
def quoted(text) -> str:
    """{{ service.title|quoted }}: «…» with inner quotes as „…“."""
    from onewindow.text import quoted as quote

    return quote(str(text or ""))


@register.filter
def name_case(person, case: str = "genitive") -> str:
    """{{ applicant|name_case:"genitive" }}: «Иванова Петра Сергеевича». Takes an applicant, a
    user or a free-text «Фамилия Имя Отчество»."""
    from onewindow.names import name_in

    return name_in(person, case)


@register.filter
def short_name_case(person, case: str = "genitive") -> str:
    """{{ user|short_name_case:"dative" }}: «Волковой И. П.»."""
    from onewindow.names import name_in

    return name_in(person, case, short=True)


@register.filter
def signature_name(person) -> str:
    """{{ office.director_name|signature_name }}: «О. В. Сергеева», as under a signature."""
    from onewindow.names import signature_name as spelt

    return spelt(person)


@register.filter
def rubles(amount) -> str:
    """{{ 1234.5|rubles }}: «1 234,50 руб.» (non-breaking spaces between the thousands)."""
    from onewindow.text import rubles as spelt

    return spelt(amount)


@register.filter
def about(text) -> str:
    """{{ applicant|short_name_case:"prepositional"|about }}: «об Иванове П. С.»."""
    from onewindow.names import about as preposition

    return preposition(str(text or ""))


@register.filter
def gendered(person, forms: str) -> str:
    """{{ person|gendered:"получил,получила" }}: the word agreeing with the person's sex (or,
    without a recorded sex, with the name)."""
    from onewindow.names import is_female

    male, female = (form.strip() for form in forms.split(","))
    return female if is_female(person) else male


@register.filter
def titles(codes, mapping) -> str:
    """{{ item.services|titles:service_titles }}: codes shown as their titles (a code the
    mapping does not know is left out: a code is never shown to a person)."""
    mapping = mapping or {}
    return ", ".join(mapping[code] for code in codes or () if code in mapping)


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


@register.simple_tag(takes_context=True)
def give_assignment_button(context, obj, wrap: bool = False) -> str:
    """«Дать поручение» about `obj` (its page's record), for whoever may give assignments;
    `wrap`: in a line of its own (a page without a row of actions)."""
    from urllib.parse import quote

    from django.urls import reverse
    from django.utils.html import format_html

    from onewindow import assignments

    user = context.get("user")
    if obj is None or user is None or not assignments.may_give(user):
        return ""
    url = f"{reverse('assignment_new')}?about={quote(assignments.about_key(obj))}"
    button = format_html('<a class="button" href="{}">Дать поручение</a>', url)
    return format_html('<p class="actions">{}</p>', button) if wrap else button
