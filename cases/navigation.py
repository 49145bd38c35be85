"""The counter's menu items and home-page notices (`onewindow.navigation`)."""

from onewindow import navigation


def register() -> None:
    from cases.views.transfers import home_notices

    for item in (
        navigation.NavItem(
            "Приём", "cases:counter", permission="cases.add_application", key="s", order=10
        ),
        navigation.NavItem("Запись", "queue:bookings", permission="cases.add_booking", order=15),
        navigation.NavItem(
            "Журнал", "cases:journal", permission="cases.view_application", key="j", order=20
        ),
        navigation.NavItem(
            "Мои дела",
            "my_work",
            permission="cases.view_application",
            key="m",
            order=5,
            badge="my_work_count",
        ),
        navigation.NavItem(
            "Запросы",
            "cases:requests",
            permission="cases.view_incomingrequest",
            key="q",
            order=25,
        ),
    ):
        navigation.register(item)
    if home_notices not in navigation.NOTICES:
        navigation.NOTICES.append(home_notices)
