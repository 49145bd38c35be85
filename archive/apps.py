from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = "Архив личных дел"

    def ready(self) -> None:
        from django.db.models import Q

        from archive import jobs  # noqa: F401  (registers the background renders)
        from archive.services import register_erasure

        register_erasure()
        from archive import reports as archive_reports

        archive_reports.register()
        from archive import figures

        figures.register()  # the dashboard's figures (onewindow.dashboard)
        from archive.demo import archive_places
        from onewindow import demo

        demo.register(archive_places)
        from archive.models import FileIssue
        from onewindow import navigation, roles, work

        navigation.register(
            navigation.NavItem(
                "Архив", "archive:list", permission="archive.view_archivedfile", key="a", order=45
            )
        )
        from archive.views.destruction import home_notices

        if home_notices not in navigation.NOTICES:
            navigation.NOTICES.append(home_notices)
        work.register(
            work.WorkKind(
                "archive_issue", "Дела, выданные из архива", FileIssue, "issued_to",
                open_filter=Q(returned_on__isnull=True), due_field="due_back", url_name="archive:issue",
                select_related=("archived_file",),
            )
        )  # fmt: skip
        archivist = [
            f"archive.{action}_{model}"
            for model in ("archivedfile", "location", "fileissue", "inventory")
            for action in ("add", "change", "view")
        ] + [
            "archive.view_retentionrule", "cases.view_entitlement", "archive.add_destructionact",
            "archive.view_destructionact", "archive.execute_destructionact",
        ]  # fmt: skip
        viewer = [
            "archive.view_archivedfile",
            "archive.view_location",
            "archive.view_fileissue",
            "archive.view_retentionrule",
            "archive.view_inventory",
            # the chief agrees and the director approves the destruction act: both must open it
            "archive.view_destructionact",
        ]
        roles.register_role_permissions(
            {
                roles.ARCHIVIST: archivist,
                roles.CHIEF: [*viewer, "archive.agree_destructionact"],
                roles.DIRECTOR: [*viewer, "archive.approve_destructionact"],
                roles.ADMIN: [
                    "archive.view_retentionrule",
                    "archive.change_retentionrule",
                    "archive.add_retentionrule",
                ],
            }
        )
