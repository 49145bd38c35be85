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
}


def register() -> None:
    roles.register_role_permissions(ROLE_PERMISSIONS)
