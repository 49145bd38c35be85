from django.urls import path

from cases import views
from cases.views import reassign, requests, transfers

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
    path("journal/reassign/", reassign.journal_reassign, name="journal_reassign"),
    path("requests/reassign/", reassign.requests_reassign, name="requests_reassign"),
    path("requests/", requests.request_list, name="requests"),
    path("interagency/<int:pk>/", requests.interagency_detail, name="interagency"),
    path("incoming/new/", requests.incoming_new, name="incoming_new"),
    path("incoming/<int:pk>/", requests.incoming_detail, name="incoming"),
    path("incoming/<int:pk>/letter.pdf", requests.incoming_letter, name="incoming_letter"),
    path("applicants/<int:applicant_pk>/ask-office/", requests.outgoing_new, name="outgoing_new"),
    path("outgoing/<int:pk>/", requests.outgoing_detail, name="outgoing"),
    path("transfers/new/", transfers.transfer_new, name="transfer_new"),
    path("transfers/<int:pk>/", transfers.transfer_detail, name="transfer"),
    path(
        "transfers/<int:pk>/<slug:action>/",
        transfers.transfer_decide,
        name="transfer_decide",
    ),
]
