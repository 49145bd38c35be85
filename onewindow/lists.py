"""A sorted, filtered, paginated list read from the GET parameters, the same on every list page.

    listing = paginate_list(
        request, queryset,
        sorts={"number": ("reg_year", "reg_number"), "due": "deadline", "name": "applicant__name_key"},
        default="-number", per_page=50,
    )

- `?sort=due` sorts by the key's fields ascending, `?sort=-due` descending; a key outside
  `sorts` falls back to `default` (the URL is typed or old: never a 500).
- `?page=N` picks the page; a page that is not a number or past the end gives the first or the
  last page (Django's `get_page`).
- `prefix` names the parameters (`ia_sort`, `ia_page`) when one page shows several lists.
- The filters are the page's own (a GET form): they stay in the URL, so a link to the page is a
  link to exactly these records. `listing.query` is the current query without the page, for the
  pager; `listing.sort_query(key)` the one a column header links to.

Templates: `{% include "includes/pager.html" with listing=... %}` under the table and
`{% sort_th listing "due" "Срок" %}` for a sortable column header.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet
from django.http import QueryDict

from onewindow.text import natural_key

SortSpec = str | Sequence[str]


@dataclass
class Listing:
    page: Page
    sort: str  # the key, without the sign
    descending: bool
    params: QueryDict
    prefix: str = ""
    sorts: dict[str, SortSpec] = field(default_factory=dict)

    @property
    def sort_param(self) -> str:
        return self.prefix + "sort"

    @property
    def page_param(self) -> str:
        return self.prefix + "page"

    @property
    def sort_value(self) -> str:
        return ("-" if self.descending else "") + self.sort

    @property
    def total(self) -> int:
        return self.page.paginator.count

    @property
    def items(self) -> list:
        return list(self.page.object_list)

    @property
    def query(self) -> str:
        """The current query without the page number: what the pager's links extend."""
        params = self.params.copy()
        params.pop(self.page_param, None)
        params[self.sort_param] = self.sort_value
        return params.urlencode()

    def page_query(self, number: int) -> str:
        params = self.params.copy()
        params[self.sort_param] = self.sort_value
        params[self.page_param] = str(number)
        return params.urlencode()

    def sort_query(self, key: str) -> str:
        """The query a column header links to: this key, the other way round if it is the
        current one; back to the first page."""
        params = self.params.copy()
        params.pop(self.page_param, None)
        descending = not self.descending if key == self.sort else False
        params[self.sort_param] = ("-" if descending else "") + key
        return params.urlencode()

    def __iter__(self):
        return iter(self.page.object_list)

    def __len__(self) -> int:
        return len(self.page.object_list)


def sort_order(spec: SortSpec, descending: bool) -> list:
    """The ORDER BY terms of a column's sort (`spec`: a field or fields, '-' reverses one),
    empty values last either way."""
    fields = [spec] if isinstance(spec, str) else list(spec)
    order = []
    for name in fields:
        reverse = descending != name.startswith("-")
        expression = F(name.lstrip("-"))
        # empty values last whichever way the column is sorted
        order.append(
            expression.desc(nulls_last=True) if reverse else expression.asc(nulls_last=True)
        )
    return order


def parse_sort(value: str, sorts: dict[str, SortSpec], default: str) -> tuple[str, bool]:
    value = (value or "").strip()
    key = value.lstrip("-")
    if key not in sorts:
        value = default
        key = value.lstrip("-")
    return key, value.startswith("-")


def paginate_list(
    request,
    queryset: QuerySet | list,
    *,
    sorts: dict[str, SortSpec],
    default: str,
    per_page: int = 50,
    prefix: str = "",
    params: QueryDict | None = None,
) -> Listing:
    """One page of `queryset` in the order the GET parameters ask for (see the module's doc).
    A list (already in memory) is sorted by the same keys read as attributes."""
    params = params if params is not None else request.GET
    key, descending = parse_sort(params.get(prefix + "sort", ""), sorts, default)
    spec = sorts[key]
    if isinstance(queryset, QuerySet):
        queryset = queryset.order_by(*sort_order(spec, descending), "pk")
    else:
        queryset = _sort_list(queryset, spec, descending)
    page = Paginator(queryset, per_page).get_page(params.get(prefix + "page"))
    return Listing(
        page=page,
        sort=key,
        descending=descending,
        params=params,
        prefix=prefix,
        sorts=dict(sorts),
    )


def _sort_list(items: list, spec: SortSpec, descending: bool) -> list:
    fields = [spec] if isinstance(spec, str) else list(spec)
    for name in reversed(fields):  # a stable sort, least significant key first
        reverse = descending != name.startswith("-")
        attr = name.lstrip("-")
        present = [i for i in items if _value(i, attr) is not None]
        missing = [i for i in items if _value(i, attr) is None]
        items = sorted(present, key=lambda i, a=attr: _natural(_value(i, a)), reverse=reverse)
        items += missing
    return items


def _natural(value):
    """Texts with numbers sort as people read them: «№ 2/2026» before «№ 10/2026»."""
    return natural_key(value) if isinstance(value, str) else value


def _value(item, name: str):
    for part in name.split("__"):
        item = item.get(part) if isinstance(item, dict) else getattr(item, part, None)
        if item is None:
            return None
    return item
