"""Permissions read once, not on every request: Django's ModelBackend asks the database for a
user's and his groups' permissions on the first check of each request (two queries, every
keystroke of the counter's search). This backend keeps the set in the cache for
PERMISSIONS_CACHE_SECONDS under a version that any change of roles, groups or grants bumps, so
a changed right applies at the next request (in every process, when the cache is shared —
Redis in production; a process's own memory otherwise, where the TTL bounds the delay)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

VERSION_KEY = "onewindow:perms:version"


def version() -> int:
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, 1, None)
        current = cache.get(VERSION_KEY) or 1
    return current


def invalidate(**kwargs) -> None:
    """Signal receiver: a role, group, grant or user changed — every cached set is stale."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


class CachedModelBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            key = f"onewindow:perms:{version()}:{user_obj.pk}"
            perms = cache.get(key)
            if perms is None:
                perms = super().get_all_permissions(user_obj)
                cache.set(key, perms, settings.PERMISSIONS_CACHE_SECONDS)
            user_obj._perm_cache = perms
        return user_obj._perm_cache


def connect() -> None:
    """Called from OneWindowConfig.ready."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.db.models.signals import m2m_changed, post_delete, post_save

    user_model = get_user_model()
    for through in (
        user_model.groups.through,
        user_model.user_permissions.through,
        Group.permissions.through,
    ):
        m2m_changed.connect(invalidate, sender=through, dispatch_uid=f"perms-{through._meta.label}")
    for model in (Group, Permission, user_model):
        post_save.connect(invalidate, sender=model, dispatch_uid=f"perms-save-{model._meta.label}")
        post_delete.connect(
            invalidate, sender=model, dispatch_uid=f"perms-delete-{model._meta.label}"
        )
