from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Приём граждан"

    def ready(self) -> None:
        """Each concern registers itself from the module that owns it."""
        from cases import (
            demo,
            erasure,
            figures,
            jobs,  # noqa: F401  (registers the background renders)
            navigation,
            permissions,
            reports,
            requests,
            services,
            work_kinds,
        )
        from onewindow import demo as onewindow_demo

        erasure.register()
        reports.register()
        figures.register()  # the dashboard's figures (onewindow.dashboard)
        navigation.register()
        work_kinds.register()
        # open interagency requests block a decision unless overridden
        if requests.open_requests_guard not in services.DECISION_GUARDS:
            services.DECISION_GUARDS.append(requests.open_requests_guard)
        permissions.register()
        onewindow_demo.register(demo.queue_setup)  # bootstrap_demo: the hall's queue
