"""Reception at the counter: applicants, personal case files, applications against a service's
checklist, their lifecycle, and the measures (entitlements) granted.

Office-owned models use `OfficeScopedQuerySet`, so views fetch them with `.for_user(user)`;
every model keeps history (django-simple-history). All writes go through `cases.services`.

The modules by subject: `people` (applicants, categories, case files), `applications`
(applications, their documents and events, organisations, measures), `requests` (requests with
deadlines), `queue` (the hall's electronic queue: groups, windows, hours, tickets) and `transfers` (case files moving between offices). Every model is importable from
`cases.models` itself.
"""

from cases.models.applications import (
    STATUS_CODE_ALPHABET,
    STATUS_CODE_LENGTH,
    Application,
    ApplicationDocument,
    ApplicationEvent,
    ApplicationQuerySet,
    Entitlement,
    Organisation,
    new_status_code,
    validate_inn,
    validate_ogrn,
)
from cases.models.people import (
    Applicant,
    ApplicantCategory,
    BenefitCategory,
    CaseFile,
    IdDocumentType,
    NameKey,
    Sex,
)
from cases.models.queue import (
    BOOKING_CODE_ALPHABET,
    BOOKING_CODE_LENGTH,
    Booking,
    BookingQuerySet,
    OpeningHours,
    PriorityCategory,
    ServiceGroup,
    Ticket,
    TicketQuerySet,
    Window,
    WindowQuerySet,
)
from cases.models.requests import (
    Agency,
    IncomingRequest,
    InteragencyRequest,
    OutgoingRequest,
    RequestKind,
)
from cases.models.transfers import CaseTransfer, CaseTransferQuerySet

__all__ = [
    "BOOKING_CODE_ALPHABET",
    "BOOKING_CODE_LENGTH",
    "STATUS_CODE_ALPHABET",
    "STATUS_CODE_LENGTH",
    "Agency",
    "Applicant",
    "ApplicantCategory",
    "Application",
    "ApplicationDocument",
    "ApplicationEvent",
    "ApplicationQuerySet",
    "BenefitCategory",
    "Booking",
    "BookingQuerySet",
    "CaseFile",
    "CaseTransfer",
    "CaseTransferQuerySet",
    "Entitlement",
    "IdDocumentType",
    "IncomingRequest",
    "InteragencyRequest",
    "NameKey",
    "OpeningHours",
    "Organisation",
    "OutgoingRequest",
    "PriorityCategory",
    "RequestKind",
    "ServiceGroup",
    "Sex",
    "Ticket",
    "TicketQuerySet",
    "Window",
    "WindowQuerySet",
    "new_status_code",
    "validate_inn",
    "validate_ogrn",
]
