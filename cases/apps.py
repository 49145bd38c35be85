from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Приём граждан"

    def ready(self) -> None:
        from cases import (
            erasure,
            jobs,  # noqa: F401  (registers the background renders)
        )
        from onewindow import navigation, roles

        erasure.register()
        from cases import reports as case_reports

        case_reports.register()
        from cases import figures

        figures.register()  # the dashboard's figures (onewindow.dashboard)

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
        from django.db.models import Q

        from cases import requests as case_requests
        from cases import services as case_services
        from cases.models import Application, IncomingRequest, InteragencyRequest, OutgoingRequest
        from onewindow import work

        work.register(
            work.WorkKind(
                "application",
                "Заявления",
                Application,
                "specialist",
                open_filter=Q(status__in=Application.OPEN_STATUSES),
                due_field="deadline",
                url_name="cases:application",
                select_related=("applicant", "service"),
            )
        )
        # A decision is not the end of the work: the applicant is to be told of it.
        work.register(
            work.WorkKind(
                "application_notice",
                "Решения: уведомить заявителя",
                Application,
                "specialist",
                open_filter=Q(status__in=Application.TO_NOTIFY_STATUSES),
                due_field="notice_due",
                url_name="cases:application",
                select_related=("applicant", "service"),
            )
        )
        work.register(
            work.WorkKind(
                "interagency",
                "Межведомственные запросы",
                InteragencyRequest,
                "handled_by",
                open_filter=Q(result="", application__status__in=Application.OPEN_STATUSES),
                due_field="due_date",
                url_name="cases:interagency",
                select_related=("agency", "document", "application__applicant"),
            )
        )
        work.register(
            work.WorkKind(
                "incoming", "Запросы из других районов и регионов", IncomingRequest, "assigned_to",
                open_filter=Q(answered_on__isnull=True), due_field="due_date", url_name="cases:incoming",
            )
        )  # fmt: skip
        work.register(
            work.WorkKind(
                "outgoing", "Наши запросы в другие учреждения", OutgoingRequest, "handled_by",
                open_filter=Q(answered_on__isnull=True), due_field="due_date", url_name="cases:outgoing",
                select_related=("to_office", "applicant"),
            )
        )  # fmt: skip
        from cases.models import Applicant
        from onewindow import assignments

        # what the chief's assignments may concern («Дать поручение» on these pages)
        assignments.register_target(
            Applicant, url_name="cases:applicant",
            describe=lambda a: f"заявитель {a.full_name}, {a.birth_date:%d.%m.%Y}",
        )  # fmt: skip
        assignments.register_target(
            Application, url_name="cases:application", select_related=("applicant", "service")
        )
        assignments.register_target(
            InteragencyRequest, url_name="cases:interagency",
            select_related=("agency", "document", "application__applicant"),
        )  # fmt: skip
        assignments.register_target(IncomingRequest, url_name="cases:incoming")
        from cases.transfer_views import home_notices

        if home_notices not in navigation.NOTICES:
            navigation.NOTICES.append(home_notices)
        if case_requests.open_requests_guard not in case_services.DECISION_GUARDS:
            case_services.DECISION_GUARDS.append(case_requests.open_requests_guard)
        navigation.register(
            navigation.NavItem(
                "Мои дела",
                "my_work",
                permission="cases.view_application",
                key="m",
                order=5,
                badge="my_work_count",
            )
        )
        navigation.register(
            navigation.NavItem(
                "Запросы",
                "cases:requests",
                permission="cases.view_incomingrequest",
                key="q",
                order=25,
            )
        )

        counter = [
            f"cases.{action}_{model}"
            for model in ("applicant", "application", "applicantcategory")
            for action in ("add", "change", "view")
        ] + [
            "cases.view_casefile", "cases.view_entitlement", "cases.view_full_identity",
            "cases.view_interagencyrequest", "cases.change_interagencyrequest",
            "cases.add_incomingrequest", "cases.change_incomingrequest", "cases.view_incomingrequest",
            "cases.add_outgoingrequest", "cases.view_outgoingrequest", "onewindow.handover_own",
            "onewindow.view_handover", "cases.add_casetransfer", "cases.view_casetransfer",
        ]  # fmt: skip
        read_only = [
            "cases.view_applicant",
            "cases.view_application",
            "cases.view_casefile",
            "cases.view_entitlement",
        ]
        roles.register_role_permissions(
            {
                roles.SPECIALIST: counter,
                roles.CHIEF: [
                    *counter,
                    "cases.decide_application",
                    "cases.change_entitlement",
                    "cases.override_interagency",
                    "onewindow.add_handover",
                    "cases.confirm_casetransfer",
                ],
                roles.DIRECTOR: read_only,
                roles.ARCHIVIST: ["cases.view_applicant", "cases.view_casefile"],
            }
        )
