from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = "Каталог услуг"

    def ready(self) -> None:
        from onewindow import navigation, roles

        navigation.register(navigation.NavItem("Каталог услуг", "services:list", key="k", order=30))
        navigation.register(
            navigation.NavItem(
                "Загрузка регламентов",
                "services:loads",
                permission="services.add_regulationload",
                order=35,
            )
        )
        catalogue_edit = [
            f"services.{action}_{model}"
            for model in ("regulation", "documenttype", "service")
            for action in ("add", "change", "view")
        ]
        roles.register_role_permissions(
            {
                roles.ADMIN: [
                    *catalogue_edit,
                    "services.view_serviceversion",
                    "services.view_requireddocument",
                    "services.add_regulationload",
                    "services.view_regulationload",
                    "onewindow.add_calendaroverride",
                    "onewindow.change_calendaroverride",
                    "onewindow.delete_calendaroverride",
                    "onewindow.view_calendaroverride",
                ],
                roles.CHIEF: ["services.view_regulationload"],
                roles.DIRECTOR: ["services.view_regulationload"],
            }
        )
