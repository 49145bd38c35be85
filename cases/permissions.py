"""What each role may do at the counter: the role → permission map of `cases`, in one place."""

from onewindow import roles

COUNTER = [
    f"cases.{action}_{model}"
    for model in ("applicant", "application", "applicantcategory")
    for action in ("add", "change", "view")
] + [
    "cases.view_casefile", "cases.view_entitlement", "cases.view_full_identity",
    "cases.view_interagencyrequest", "cases.change_interagencyrequest",
    "cases.add_incomingrequest", "cases.change_incomingrequest", "cases.view_incomingrequest",
    "cases.add_outgoingrequest", "cases.view_outgoingrequest", "onewindow.handover_own",
    "onewindow.view_handover", "cases.add_casetransfer", "cases.view_casetransfer",
    "cases.serve_queue", "cases.add_booking", "cases.view_booking", "cases.change_booking",
]  # fmt: skip

READ_ONLY = [
    "cases.view_applicant",
    "cases.view_application",
    "cases.view_casefile",
    "cases.view_entitlement",
]

ROLE_PERMISSIONS = {
    roles.SPECIALIST: COUNTER,
    roles.CHIEF: [
        *COUNTER,
        "cases.decide_application",
        "cases.change_entitlement",
        "cases.override_interagency",
        "onewindow.add_handover",
        "cases.confirm_casetransfer",
    ],
    roles.DIRECTOR: READ_ONLY,
    roles.ARCHIVIST: ["cases.view_applicant", "cases.view_casefile"],
    # the hall's devices: each its own page and nothing else (onewindow.roles.DEVICE_PAGES)
    roles.KIOSK: ["cases.use_kiosk"],
    roles.DISPLAY: ["cases.view_queue_display"],
}

DEVICE_PAGES = {
    roles.KIOSK: (
        "queue:kiosk",
        ["queue:kiosk_status", "queue:kiosk_priority", "queue:kiosk_take", "queue:ticket",
         "queue:kiosk_booking",
         "queue:ticket_pdf"],
    ),
    roles.DISPLAY: ("queue:display", ["queue:display_board"]),
}  # fmt: skip


def register() -> None:
    roles.register_role_permissions(ROLE_PERMISSIONS)
    for role, (landing, pages) in DEVICE_PAGES.items():
        roles.register_device_pages(role, landing, pages)
