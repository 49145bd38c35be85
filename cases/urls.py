from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("", views.counter, name="counter"),
    path("applicants/new/", views.applicant_new, name="applicant_new"),
    path("applicants/<int:pk>/", views.applicant_detail, name="applicant"),
    path("applicants/<int:pk>/edit/", views.applicant_edit, name="applicant_edit"),
    path("applicants/<int:pk>/categories/", views.applicant_category_add, name="category_add"),
    path(
        "applicants/<int:pk>/categories/<int:item_pk>/remove/",
        views.applicant_category_remove,
        name="category_remove",
    ),
    path("applicants/<int:pk>/apply/", views.apply_choose_service, name="apply"),
    path("applicants/<int:pk>/apply/<slug:code>/", views.apply_form, name="apply_form"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/receipt.pdf", views.application_receipt, name="receipt"),
    path("applications/<int:pk>/notice.pdf", views.application_notice, name="notice"),
    path("applications/<int:pk>/<slug:action>/", views.application_transition, name="transition"),
    path("files/<int:pk>/", views.casefile_detail, name="casefile"),
    path("journal/", views.journal, name="journal"),
]
