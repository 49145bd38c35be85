"""Forms of the counter: every wrong value gets a Russian message at its field.

The modules by subject: `applicants` (the person's card), `application` (the checklist of an
application), `lifecycle` (the decision form), `filters` (the journal's and «Запросы» filters)
and `requests` (requests with deadlines, case-file transfers). Every form is importable from
`cases.forms` itself.
"""

from cases.forms.applicants import MIN_BIRTH_DATE, ApplicantForm, CategoryForm
from cases.forms.application import FORM_CHOICES, ApplicationForm
from cases.forms.filters import JournalFilterForm, RequestFilterForm
from cases.forms.lifecycle import IdListField, RublesField, TransitionForm
from cases.forms.requests import (
    AnswerForm,
    IncomingRequestForm,
    InteragencyResponseForm,
    OutgoingRequestForm,
    TransferDecisionForm,
    TransferRequestForm,
)

__all__ = [
    "FORM_CHOICES",
    "MIN_BIRTH_DATE",
    "AnswerForm",
    "ApplicantForm",
    "ApplicationForm",
    "CategoryForm",
    "IdListField",
    "IncomingRequestForm",
    "InteragencyResponseForm",
    "JournalFilterForm",
    "OutgoingRequestForm",
    "RequestFilterForm",
    "RublesField",
    "TransferDecisionForm",
    "TransferRequestForm",
    "TransitionForm",
]
