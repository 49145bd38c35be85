from django.urls import path

from archive import views

app_name = "archive"

urlpatterns = [
    path("", views.archive_list, name="list"),
    path("register/", views.register, name="register"),
    path("files/<int:pk>/", views.file_detail, name="file"),
    path("files/<int:pk>/label.pdf", views.file_label, name="label"),
    path("files/<int:pk>/cover.pdf", views.file_cover, name="cover"),
    path("labels.pdf", views.labels, name="labels"),
    path("files/<int:pk>/issue/", views.file_issue, name="issue_file"),
    path("files/<int:pk>/move/", views.file_move, name="move_file"),
    path("files/<int:pk>/hold/", views.file_hold, name="hold_file"),
    path("files/<int:pk>/withdraw/", views.file_withdraw, name="withdraw_file"),
    path("case-files/<int:pk>/", views.case_file_in_archive, name="case_file"),
    path("issues/<int:pk>/", views.issue_detail, name="issue"),
    path("issues/<int:pk>/card.pdf", views.substitute_card, name="card"),
    path("inventory/", views.inventory, name="inventory"),
    path("inventory/<int:pk>/inventory.pdf", views.inventory_pdf, name="inventory_pdf"),
    path("inventory/<int:pk>/inventory.xlsx", views.inventory_xlsx, name="inventory_xlsx"),
    path("locations/", views.locations, name="locations"),
    path("acts/", views.acts, name="acts"),
    path("acts/<int:pk>/", views.act_detail, name="act"),
    path("acts/<int:pk>/act.pdf", views.act_pdf, name="act_pdf"),
    path("acts/<int:pk>/personal-data.pdf", views.pd_act_pdf, name="pd_act_pdf"),
    path("acts/<int:pk>/personal-data-log/", views.pd_event_log, name="pd_event_log"),
    path("checks/", views.checks, name="checks"),
    path("checks/<int:pk>/", views.check_detail, name="check"),
    path("checks/<int:pk>/scan/", views.check_scan, name="check_scan"),
    path("checks/<int:pk>/finish/", views.check_finish, name="check_finish"),
    path("checks/<int:pk>/act.pdf", views.check_act, name="check_act"),
]
