from django.apps import AppConfig


class ReconciliationConfig(AppConfig):
    name = "reconciliation"
    verbose_name = "Селекции"

    def ready(self) -> None:
        from django.conf import settings
        from django.db.models import Q

        from onewindow import navigation, roles, work
        from reconciliation.models import Selection

        navigation.register(
            navigation.NavItem(
                "Селекции",
                "reconciliation:worklist",
                permission="reconciliation.view_selection",
                key="l",
                order=40,
            )
        )
        work.register(
            work.WorkKind(
                "selection", "Селекции", Selection, "assigned_to", open_filter=Q(status="open"),
                due_field="created_at", due_days=settings.SELECTION_WORK_DAYS,
                url_name="reconciliation:item", select_related=("applicant",),
            )
        )  # fmt: skip
        worker = [
            "reconciliation.view_selection", "reconciliation.change_selection",
            "reconciliation.view_reconciliationrun", "reconciliation.add_reconciliationrun",
            "reconciliation.view_ambiguousrow", "reconciliation.change_ambiguousrow",
        ]  # fmt: skip
        roles.register_role_permissions(
            {
                roles.SPECIALIST: worker,
                roles.CHIEF: [*worker, "reconciliation.assign_selection"],
                roles.ADMIN: [
                    "reconciliation.view_extractprofile",
                    "reconciliation.change_extractprofile",
                    "reconciliation.add_extractprofile",
                ],
                roles.DIRECTOR: [
                    "reconciliation.view_selection",
                    "reconciliation.view_reconciliationrun",
                ],
            }
        )
