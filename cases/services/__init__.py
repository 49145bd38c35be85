"""Every write of the reception: registering applicants, opening case files, registering
applications against the checklist, moving them through their lifecycle, granting measures.

Each function runs in one transaction and takes the acting user as `actor`; history records who
(django-simple-history reads `_history_user`), and lifecycle steps are written as events.
Views, the API, commands and tasks call these functions; none writes the models directly.

The modules by subject: `applicants` (people and their case files), `registration` (accepting an
application against the checklist), `lifecycle` (its steps after that), `measures` (suspending,
stopping, a death), `reassign` (the chief moving work) and `queue` (the hall's electronic
queue: the kiosk's tickets, the specialist's window, the display). Every public name is importable from
`cases.services` itself.
"""

from cases.errors import CounterError
from cases.services.applicants import (
    APPLICANT_FIELDS,
    ApplicantChanges,
    applicant_fields,
    archived_case_file,
    archived_refusal,
    ensure_case_file,
    find_namesakes,
    find_snils_owner,
    register_applicant,
    remove_applicant_category,
    set_applicant_category,
    update_applicant,
)
from cases.services.lifecycle import (
    DECISION_GUARDS,
    NOTICE_WORKING_DAYS,
    TRANSITIONS,
    available_transitions,
    number_notice,
    transition,
)
from cases.services.measures import (
    change_entitlement_status,
    record_death,
    record_imported_measure,
)
from cases.services.queue import (
    book_slot,
    call_next_ticket,
    call_ticket,
    cancel_booking,
    check_in,
    erase_past_bookings,
    finish_ticket,
    issue_ticket,
    leave_window,
    link_ticket_applicant,
    link_ticket_application,
    mark_missed_bookings,
    mark_no_show,
    recall_ticket,
    redirect_ticket,
    start_ticket,
    take_window,
)
from cases.services.reassign import TAKES_APPLICATIONS, reassign_applications
from cases.services.registration import (
    MAX_FAMILY,
    DocumentMark,
    Intake,
    OrganisationDetails,
    Representative,
    family_kinds,
    find_or_register_organisation,
    intake_facts,
    register_application,
    version_for_registration,
)

__all__ = [
    "APPLICANT_FIELDS",
    "DECISION_GUARDS",
    "MAX_FAMILY",
    "NOTICE_WORKING_DAYS",
    "TAKES_APPLICATIONS",
    "TRANSITIONS",
    "ApplicantChanges",
    "CounterError",
    "DocumentMark",
    "Intake",
    "OrganisationDetails",
    "Representative",
    "applicant_fields",
    "archived_case_file",
    "archived_refusal",
    "available_transitions",
    "book_slot",
    "call_next_ticket",
    "call_ticket",
    "cancel_booking",
    "change_entitlement_status",
    "check_in",
    "ensure_case_file",
    "erase_past_bookings",
    "family_kinds",
    "find_namesakes",
    "find_or_register_organisation",
    "find_snils_owner",
    "finish_ticket",
    "intake_facts",
    "issue_ticket",
    "leave_window",
    "link_ticket_applicant",
    "link_ticket_application",
    "mark_missed_bookings",
    "mark_no_show",
    "number_notice",
    "reassign_applications",
    "recall_ticket",
    "record_death",
    "record_imported_measure",
    "redirect_ticket",
    "register_applicant",
    "register_application",
    "remove_applicant_category",
    "set_applicant_category",
    "start_ticket",
    "take_window",
    "transition",
    "update_applicant",
    "version_for_registration",
]
