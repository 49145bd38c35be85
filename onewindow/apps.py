from django.apps import AppConfig
from django.db.models.signals import post_migrate


class OneWindowConfig(AppConfig):
    name = "onewindow"
    verbose_name = "Общие сведения: учреждения, пользователи, журнал доступа"

    def ready(self) -> None:
        # Permissions of every app exist only once the last app's post_migrate has run.
        from django.apps import apps

        from onewindow import auth_backends, roles

        auth_backends.connect()

        # (post_migrate is sent only for apps with a models module)
        last_app = [config for config in apps.get_app_configs() if config.models_module][-1]
        post_migrate.connect(
            roles.sync_role_permissions, sender=last_app, dispatch_uid="onewindow.sync_roles"
        )

        from onewindow import navigation, work

        navigation.BADGES["my_work_count"] = work.open_work_badge

        from django.db.models import Q

        from onewindow import assignments  # noqa: F401  (registers its eraser)
        from onewindow.models import Assignment

        work.register(
            work.WorkKind(
                "assignment", "Поручения", Assignment, "assignee",
                open_filter=Q(status=Assignment.Status.OPEN), due_field="due_date",
                url_name="assignment", select_related=("given_by",),
            )
        )  # fmt: skip
        from onewindow import reports

        if reports.latest_monthly_notice not in navigation.NOTICES:
            navigation.NOTICES.append(reports.latest_monthly_notice)

        from onewindow import dashboard

        dashboard.register_director_context(reports.director_reports)

        from django.contrib.auth import signals as auth_signals

        from onewindow import audit

        auth_signals.user_logged_in.connect(audit.on_login, dispatch_uid="ow.audit.login")
        auth_signals.user_logged_out.connect(audit.on_logout, dispatch_uid="ow.audit.logout")
        auth_signals.user_login_failed.connect(
            audit.on_login_failed, dispatch_uid="ow.audit.login_failed"
        )

        from django.db.models.signals import post_delete, post_save

        from onewindow import workdays
        from onewindow.models import CalendarOverride

        post_save.connect(workdays.clear_cache, sender=CalendarOverride, dispatch_uid="ow.cal.save")
        post_delete.connect(
            workdays.clear_cache, sender=CalendarOverride, dispatch_uid="ow.cal.del"
        )
