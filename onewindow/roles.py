"""Roles are auth groups; this map is the one place that says which role may do what.

A data migration creates the groups; `sync_role_permissions` (run after every migrate) gives each
group the permissions listed here, so the permissions that later apps add reach their roles
without another hand-written migration.
"""

from __future__ import annotations

SPECIALIST = "Специалист"
CHIEF = "Главный специалист"
ARCHIVIST = "Архивариус"
ADMIN = "Администратор"
DIRECTOR = "Директор"
# Accounts of devices, not people: the hall's kiosk and display, each limited to its own pages
# (`DEVICE_PAGES`, filled by the app that owns them; `onewindow.middleware.DevicePagesMiddleware`)
KIOSK = "Киоск очереди"
DISPLAY = "Табло очереди"

ALL_ROLES = [SPECIALIST, CHIEF, ARCHIVIST, ADMIN, DIRECTOR, KIOSK, DISPLAY]
DEVICE_ROLES = (KIOSK, DISPLAY)

# "app_label.codename" per role. Codenames that do not exist (yet) are skipped, so an app can
# list the permissions it will define before its models land.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    SPECIALIST: [],
    CHIEF: [
        "onewindow.view_accesslog",
        "onewindow.view_office_reports",
        "onewindow.give_assignment",
        "onewindow.view_assignment",
        "onewindow.view_report",
        "onewindow.form_report",
    ],
    ARCHIVIST: [],
    ADMIN: [],
    DIRECTOR: [
        "onewindow.view_accesslog",
        "onewindow.view_office_reports",
        "onewindow.view_assignment",
        "onewindow.view_report",
        "onewindow.form_report",
    ],
    KIOSK: [],
    DISPLAY: [],
}


# role → (its landing URL name, the URL names it may open): a device account opens nothing else
DEVICE_PAGES: dict[str, tuple[str, frozenset[str]]] = {}

# what every device account may open besides its pages (logging in and out)
DEVICE_ALWAYS = frozenset({"login", "logout"})


def register_device_pages(role: str, landing: str, url_names) -> None:
    """Let an app say which pages a device account opens (from its AppConfig.ready)."""
    DEVICE_PAGES[role] = (landing, frozenset(url_names) | {landing})


def device_role(user) -> str | None:
    """The device role of `user` (a kiosk, a display), or None for a person's account."""
    if user is None or not user.is_authenticated or user.is_superuser:
        return None
    # asked on every request: kept in the cache with the permissions (a change of groups bumps
    # the version), so a keystroke at the counter reads no groups
    from django.conf import settings
    from django.core.cache import cache

    from onewindow.auth_backends import version

    key = f"onewindow:device-role:{version()}:{user.pk}"
    role = cache.get(key)
    if role is None:
        role = next((r for r in DEVICE_ROLES if user.has_role(r)), "")
        cache.set(key, role, settings.PERMISSIONS_CACHE_SECONDS)
    return role or None


def register_role_permissions(mapping: dict[str, list[str]]) -> None:
    """Let an app add the permissions its roles need (called from its AppConfig.ready)."""
    for role, perms in mapping.items():
        bucket = ROLE_PERMISSIONS.setdefault(role, [])
        for perm in perms:
            if perm not in bucket:
                bucket.append(perm)


def sync_role_permissions(**kwargs) -> None:
    """post_migrate handler: create the role groups and set their permissions from the map."""
    from django.contrib.auth.models import Group, Permission

    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".", 1)
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is not None:
                wanted.append(perm)
        group.permissions.set(wanted)


def may_take_work(permission: str, office):
    """The people work needing `permission` may go to: active users of `office` whose role (or
    own grant) gives it. The one rule behind both the drop-downs («Кому», «Исполнитель») and the
    services' checks, so a list never offers someone the service would then refuse."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(office=office, is_active=True)
    return holding(permission, users)


def holding(permission: str, users):
    """Those of `users` whose role (or own grant) gives `permission`."""
    from django.db.models import Q

    app_label, codename = permission.split(".", 1)
    granted = Q(
        groups__permissions__content_type__app_label=app_label,
        groups__permissions__codename=codename,
    ) | Q(
        user_permissions__content_type__app_label=app_label,
        user_permissions__codename=codename,
    )
    return users.filter(pk__in=users.filter(granted).values("pk")).order_by(
        "last_name", "first_name", "pk"
    )


def can_take_work(user, permission: str, office) -> bool:
    return user is not None and may_take_work(permission, office).filter(pk=user.pk).exists()
