from django.urls import path

from cases import reassign_views, request_views, transfer_views, views

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
    path("measures/<int:pk>/status/", views.entitlement_status, name="entitlement_status"),
    path("journal/", views.journal, name="journal"),
    path("journal/reassign/", reassign_views.journal_reassign, name="journal_reassign"),
    path("requests/reassign/", reassign_views.requests_reassign, name="requests_reassign"),
    path("requests/", request_views.request_list, name="requests"),
    path("interagency/<int:pk>/", request_views.interagency_detail, name="interagency"),
    path("incoming/new/", request_views.incoming_new, name="incoming_new"),
    path("incoming/<int:pk>/", request_views.incoming_detail, name="incoming"),
    path("incoming/<int:pk>/letter.pdf", request_views.incoming_letter, name="incoming_letter"),
    path(
        "applicants/<int:applicant_pk>/ask-office/", request_views.outgoing_new, name="outgoing_new"
    ),
    path("outgoing/<int:pk>/", request_views.outgoing_detail, name="outgoing"),
    path("transfers/new/", transfer_views.transfer_new, name="transfer_new"),
    path("transfers/<int:pk>/", transfer_views.transfer_detail, name="transfer"),
    path(
        "transfers/<int:pk>/<slug:action>/",
        transfer_views.transfer_decide,
        name="transfer_decide",
    ),
]
