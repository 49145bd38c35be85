from django.apps import AppConfig


class ReconciliationConfig(AppConfig):
    name = "reconciliation"
    verbose_name = "Селекции"

    def ready(self) -> None:
        # the tasks registered with Celery in every process: services start them by name
        from reconciliation import erasure, tasks  # noqa: F401

        erasure.register()
        from reconciliation import reports as selection_reports

        selection_reports.register()
        from reconciliation import figures

        figures.register()  # the dashboard's figures (onewindow.dashboard)
        from django.conf import settings
        from django.db.models import Q

        from onewindow import navigation, roles, work
        from reconciliation.models import Selection
        from reconciliation.views import home_notices

        navigation.register(
            navigation.NavItem(
                "Селекции",
                "reconciliation:worklist",
                permission="reconciliation.view_selection",
                key="l",
                order=40,
            )
        )
        if home_notices not in navigation.NOTICES:
            navigation.NOTICES.append(home_notices)
        work.register(
            work.WorkKind(
                "selection", "Селекции", Selection, "assigned_to", open_filter=Q(status="open"),
                due_field="created_at", due_days=settings.SELECTION_WORK_DAYS,
                url_name="reconciliation:item", select_related=("applicant",),
            )
        )  # fmt: skip
        from onewindow import assignments

        assignments.register_target(
            Selection, url_name="reconciliation:item", select_related=("applicant",)
        )
        from cases import transfers

        def open_selections(applicant, office) -> list[str]:
            return [
                f"селекция «{item.get_kind_display()}» (сверка № {item.run_id}) не отработана"
                for item in Selection.objects.open().filter(applicant=applicant, office=office)
            ]

        if not any(g.__name__ == "open_selections" for g in transfers.TRANSFER_GUARDS):
            transfers.TRANSFER_GUARDS.append(open_selections)
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
