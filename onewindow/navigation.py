"""The navigation: which sections each role sees. Apps add their sections as they land."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse

from onewindow import roles


@dataclass(frozen=True)
class NavItem:
    title: str
    url_name: str
    roles: tuple[str, ...] = ()  # empty: every signed-in user
    permission: str = ""
    key: str = ""  # accesskey hint shown next to the title
    badge: str = ""  # name of a counter in BADGES, shown next to the title when not zero
    children: list = field(default_factory=list)
    order: int = 50  # position in the bar: lower first

    def visible_to(self, user) -> bool:
        if self.permission and not user.has_perm(self.permission):
            return False
        return not self.roles or user.is_superuser or user.has_role(*self.roles)


NAVIGATION: list[NavItem] = [
    NavItem("Главная", "home", order=0),
    NavItem("Поручения", "assignments", permission="onewindow.view_assignment", order=70),
    NavItem("Передача дел", "handovers", permission="onewindow.view_handover", order=80),
    NavItem(
        "Отчёты",
        "reports",
        roles=(roles.CHIEF, roles.DIRECTOR),
        permission="onewindow.view_report",
        key="o",
        order=85,
    ),
    NavItem(
        "Журнал доступа",
        "access_log",
        roles=(roles.CHIEF, roles.DIRECTOR),
        permission="onewindow.view_accesslog",
        order=90,
    ),
]


# name -> function(user) -> int
BADGES: dict = {}

# function(user) -> [{"text": …, "url": …}]: what the home page asks the user to look at (e.g. a
# reconciliation run that was interrupted); apps register theirs from AppConfig.ready
NOTICES: list = []


def notices_for(user) -> list[dict]:
    return [notice for source in NOTICES for notice in source(user)]


def register(item: NavItem) -> None:
    """Let an app add its section (from AppConfig.ready); `item.order` places it."""
    if any(existing.url_name == item.url_name for existing in NAVIGATION):
        return
    NAVIGATION.append(item)
    NAVIGATION.sort(key=lambda nav: nav.order)


def _matches(url: str, current_path: str) -> bool:
    return current_path == url or (url != "/" and current_path.startswith(url))


def items_for(user, current_path: str = "") -> list[dict]:
    result = []
    for item in NAVIGATION:
        if not item.visible_to(user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        badge = BADGES[item.badge](user) if item.badge in BADGES else 0
        result.append(
            {
                "title": item.title,
                "url": url,
                "active": False,
                "key": item.key,
                "badge": badge or "",
            }
        )
    # One section is current: the longest matching URL wins («Журнал» /cases/journal/ over
    # «Приём» /cases/), so a page never highlights two items.
    matching = [entry for entry in result if _matches(entry["url"], current_path)]
    if matching:
        max(matching, key=lambda entry: len(entry["url"]))["active"] = True
    return result
