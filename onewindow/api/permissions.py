"""Who may call what: the same permissions as the screens (the role → permission maps of each
app, onewindow.roles). An endpoint names what it needs per action:

    permissions = {"list": ["cases.view_applicant"], "create": ["cases.add_applicant"]}

(`"*"` for every action not named). Records are scoped to the user's office by the querysets
(`for_user`), so another office's id answers 404 like a missing one."""

from __future__ import annotations

from rest_framework.permissions import BasePermission


def needed(view, request) -> list[str]:
    table = getattr(view, "permissions", {})
    action = getattr(view, "action", None)
    for key in (action, request.method.lower(), "*"):
        if key and key in table:
            return list(table[key])
    return []


class RolePermission(BasePermission):
    message = "Недостаточно прав для этого действия."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        return user.has_perms(needed(view, request))
