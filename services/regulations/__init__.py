"""Regulation change files: read, validate, compare with the catalogue, apply.

    change = parse_change(data, file_name)        # RegulationFileError with every error
    plan = build_plan(change, today=...)           # the difference; RegulationFileError if it conflicts
    plan.diff                                      # JSON-able, for the preview and the record
    apply_plan(plan, actor=..., allow_past=...)    # one transaction

The web page and `manage.py load_regulations` (and `load_catalogue`) all go through here.
The file format is documented in docs/regulations.md.

The modules, each importing only those above it:
    errors      RegulationFileError, StalePreviewError
    schema      the file's keys and values, the catalogue's fields, the validated change
    reading     bytes -> the parsed document
    checker     one value read or its error noted, with its place in the file
    validation  the whole file validated: the act, document types, services, checklists
    display     values as the difference shows them; the difference as text
    planning    the difference against the catalogue (`Plan`, `diff`)
    applying    the plan written in one transaction
"""

from services.regulations.applying import apply_plan
from services.regulations.display import format_diff
from services.regulations.errors import RegulationFileError, StalePreviewError
from services.regulations.planning import Plan, ServicePlan, build_plan
from services.regulations.reading import read_document, sha256_of
from services.regulations.schema import MAX_FILE_BYTES, Change, DocSpec, ServiceSpec
from services.regulations.validation import parse_change, validate_change

__all__ = [
    "MAX_FILE_BYTES",
    "Change",
    "DocSpec",
    "Plan",
    "RegulationFileError",
    "ServicePlan",
    "ServiceSpec",
    "StalePreviewError",
    "apply_plan",
    "build_plan",
    "format_diff",
    "parse_change",
    "read_document",
    "sha256_of",
    "validate_change",
]
