from django.urls import path

from reconciliation import views

app_name = "reconciliation"

urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("work-out/", views.bulk_work_out, name="bulk"),
    path("reassign/", views.bulk_reassign, name="reassign"),
    path("<int:pk>/", views.item_detail, name="item"),
    path("runs/", views.runs, name="runs"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/errors.xlsx", views.run_invalid_xlsx, name="run_errors"),
    path("ambiguous/", views.ambiguous, name="ambiguous"),
]
