"""The counter: search -> applicant card -> new application against the checklist -> receipt.

Thin views: parse input, call `cases.services`, render. Every record is fetched through
`.for_user(request.user)` (another office's record answers 404 and is logged as refused) and
every view of a person's data is written to the access log.

The modules by subject: `counter` (the search), `applicants` (the card, categories, measures,
the case file), `applications` (the checklist, the application's page and steps, its receipt and
notice) and `journal`; requests (`requests`), transfers of a case file (`transfers`) and the
chief's reassigning (`reassign`) are reached through their module
(`cases.views.requests.request_list`). The other views are importable from `cases.views` itself.
"""

from cases.views.applicants import (
    applicant_category_add,
    applicant_category_remove,
    applicant_detail,
    applicant_edit,
    applicant_new,
    casefile_detail,
    entitlement_status,
)
from cases.views.applications import (
    application_detail,
    application_notice,
    application_receipt,
    application_transition,
    apply_choose_service,
    apply_form,
)
from cases.views.counter import counter
from cases.views.journal import journal

__all__ = [
    "applicant_category_add",
    "applicant_category_remove",
    "applicant_detail",
    "applicant_edit",
    "applicant_new",
    "application_detail",
    "application_notice",
    "application_receipt",
    "application_transition",
    "apply_choose_service",
    "apply_form",
    "casefile_detail",
    "counter",
    "entitlement_status",
    "journal",
]
