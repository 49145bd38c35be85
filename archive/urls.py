from django.urls import path

from archive.views import checks, destruction, storage

app_name = "archive"

urlpatterns = [
    path("", storage.archive_list, name="list"),
    path("register/", storage.register, name="register"),
    path("files/<int:pk>/", storage.file_detail, name="file"),
    path("files/<int:pk>/label.pdf", storage.file_label, name="label"),
    path("files/<int:pk>/cover.pdf", storage.file_cover, name="cover"),
    path("labels.pdf", storage.labels, name="labels"),
    path("files/<int:pk>/issue/", storage.file_issue, name="issue_file"),
    path("files/<int:pk>/move/", storage.file_move, name="move_file"),
    path("files/<int:pk>/hold/", storage.file_hold, name="hold_file"),
    path("files/<int:pk>/withdraw/", storage.file_withdraw, name="withdraw_file"),
    path("case-files/<int:pk>/", storage.case_file_in_archive, name="case_file"),
    path("issues/<int:pk>/", storage.issue_detail, name="issue"),
    path("issues/<int:pk>/card.pdf", storage.substitute_card, name="card"),
    path("inventory/", checks.inventory, name="inventory"),
    path("inventory/<int:pk>/inventory.pdf", checks.inventory_pdf, name="inventory_pdf"),
    path("inventory/<int:pk>/inventory.xlsx", checks.inventory_xlsx, name="inventory_xlsx"),
    path("locations/", storage.locations, name="locations"),
    path("acts/", destruction.acts, name="acts"),
    path("acts/<int:pk>/", destruction.act_detail, name="act"),
    path("acts/<int:pk>/act.pdf", destruction.act_pdf, name="act_pdf"),
    path("acts/<int:pk>/personal-data.pdf", destruction.pd_act_pdf, name="pd_act_pdf"),
    path("acts/<int:pk>/personal-data-log/", destruction.pd_event_log, name="pd_event_log"),
    path("checks/", checks.checks, name="checks"),
    path("checks/<int:pk>/", checks.check_detail, name="check"),
    path("checks/<int:pk>/scan/", checks.check_scan, name="check_scan"),
    path("checks/<int:pk>/finish/", checks.check_finish, name="check_finish"),
    path("checks/<int:pk>/act.pdf", checks.check_act, name="check_act"),
]
