from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from onewindow import assignment_views, dashboard_views, health, report_views, views, work_views
from onewindow.api import errors as api_errors

admin.site.site_header = "OneWindow: администрирование"
admin.site.site_title = "OneWindow"
admin.site.index_title = "Справочники и пользователи"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", dashboard_views.dashboard_page, name="dashboard"),
    path("director/", dashboard_views.director_page, name="director"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("audit/access-log/", views.access_log, name="access_log"),
    path("audit/access-log/export/", views.access_log_export, name="access_log_export"),
    path("audit/access-log/verify/", views.access_log_verify, name="access_log_verify"),
    path("work/", work_views.my_work, name="my_work"),
    path("handovers/", work_views.handover_list, name="handovers"),
    path("handovers/<int:pk>/", work_views.handover_detail, name="handover"),
    path("handovers/<int:pk>/return/", work_views.handover_return, name="handover_return"),
    path("handovers/<int:pk>/act.pdf", work_views.handover_act, name="handover_act"),
    path(
        "handovers/<int:pk>/return-act.pdf",
        work_views.handover_act,
        {"which": "return"},
        name="handover_return_act",
    ),
    path("assignments/", assignment_views.assignment_list, name="assignments"),
    path("assignments/new/", assignment_views.assignment_new, name="assignment_new"),
    path("assignments/<int:pk>/", assignment_views.assignment_detail, name="assignment"),
    path("assignments/<int:pk>/done/", assignment_views.assignment_done, name="assignment_done"),
    path(
        "assignments/<int:pk>/cancel/", assignment_views.assignment_cancel, name="assignment_cancel"
    ),
    path(
        "assignments/<int:pk>/reassign/",
        assignment_views.assignment_reassign,
        name="assignment_reassign",
    ),
    path("reports/", report_views.report_list, name="reports"),
    path("reports/<int:pk>/", report_views.report_detail, name="report"),
    path("reports/<int:pk>/report.xlsx", report_views.report_xlsx, name="report_xlsx"),
    path("reports/<int:pk>/report.pdf", report_views.report_pdf, name="report_pdf"),
    path("jobs/<int:pk>/", views.job_status, name="job_status"),
    path("jobs/<int:pk>/file/", views.job_file, name="job_file"),
    path("calendar/", views.calendar_year, name="calendar"),
    path("calendar/<int:year>/", views.calendar_year, name="calendar_year"),
    path(
        "calendar/override/<int:pk>/delete/",
        views.calendar_override_delete,
        name="calendar_override_delete",
    ),
    path("healthz", health.healthz, name="healthz"),
    path("services/", include("services.urls")),
    path("cases/", include("cases.urls")),
    path("", include("cases.public_urls")),
    path("queue/", include("cases.queue_urls")),
    path("archive/", include("archive.urls")),
    path("selections/", include("reconciliation.urls")),
    path("api/", include("onewindow.api.urls")),
    path("api/v1/", include("services.api.urls")),
    path("api/v1/", include("cases.api.urls")),
    path("api/v1/", include("archive.api.urls")),
    path("api/v1/", include("reconciliation.api.urls")),
    path("api/v1/", include("onewindow.api.v1")),
    re_path(r"^api/", api_errors.not_found),
    path("admin/", admin.site.urls),
]

handler400 = "onewindow.views.bad_request"
handler403 = "onewindow.views.permission_denied"
handler404 = "onewindow.views.page_not_found"
handler500 = "onewindow.views.server_error"

if settings.DEBUG:  # pragma: no cover - local run only
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
