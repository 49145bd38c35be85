from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Приём граждан"

    def ready(self) -> None:
        from onewindow import navigation, roles

        navigation.register(
            navigation.NavItem(
                "Приём", "cases:counter", permission="cases.add_application", key="s", order=10
            )
        )
        navigation.register(
            navigation.NavItem(
                "Журнал", "cases:journal", permission="cases.view_application", key="j", order=20
            )
        )
        counter = [
            f"cases.{action}_{model}"
            for model in ("applicant", "application", "applicantcategory")
            for action in ("add", "change", "view")
        ] + ["cases.view_casefile", "cases.view_entitlement", "cases.view_full_identity"]
        read_only = [
            "cases.view_applicant",
            "cases.view_application",
            "cases.view_casefile",
            "cases.view_entitlement",
        ]
        roles.register_role_permissions(
            {
                roles.SPECIALIST: counter,
                roles.CHIEF: [*counter, "cases.decide_application", "cases.change_entitlement"],
                roles.DIRECTOR: read_only,
                roles.ARCHIVIST: ["cases.view_applicant", "cases.view_casefile"],
            }
        )
