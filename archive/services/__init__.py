"""Every write of the archive, by subject:

- `storage`: taking a case file in, returning it into work, temporary issue and return, moving,
  the legal hold, the places of storage (`intake` holds what a file must be to be taken in);
- `checks`: presence checks and the archive numbers as they are scanned or typed;
- `inventory`: the inventory list and what covers, labels and substitute cards print;
- `destruction`: the destruction act, its steps, the destruction and the erasure it causes.

Each function runs in one transaction with history; refusals are `ArchiveError` with a Russian
message and the form field they belong to. The names below are the package's public face:
callers import them from `archive.services`."""

from archive.services.checks import (
    CASE_FILE_NUMBER_RE,
    SCAN_PREFIX,
    archive_number_q,
    case_file_number,
    check_place,
    check_result,
    finish_check,
    number_variants,
    scan,
    start_check,
    technical_errors,
)
from archive.services.common import GONE, ArchiveError
from archive.services.destruction import (
    IS_METHOD,
    agree_act,
    approve_act,
    check_destruction_record,
    draft_act,
    eligible_files,
    erase_archive_records,
    execute_act,
    register_erasure,
)
from archive.services.intake import (
    UNFINISHED_APPLICATIONS,
    check_file_dates,
    file_title,
    open_work,
)
from archive.services.inventory import (
    INVENTORY_STATUSES,
    FileDocument,
    compile_inventory,
    destroyed_marks,
    file_documents,
    inventory_closing,
    inventory_files,
    inventory_rows,
)
from archive.services.storage import (
    DEFAULT_ISSUE_DAYS,
    check_box,
    create_location,
    issue_file,
    move_file,
    register_by_number,
    register_file,
    return_file,
    set_legal_hold,
    withdraw_file,
)

__all__ = [
    "CASE_FILE_NUMBER_RE",
    "DEFAULT_ISSUE_DAYS",
    "GONE",
    "INVENTORY_STATUSES",
    "IS_METHOD",
    "SCAN_PREFIX",
    "UNFINISHED_APPLICATIONS",
    "ArchiveError",
    "FileDocument",
    "agree_act",
    "approve_act",
    "archive_number_q",
    "case_file_number",
    "check_box",
    "check_destruction_record",
    "check_file_dates",
    "check_place",
    "check_result",
    "compile_inventory",
    "create_location",
    "destroyed_marks",
    "draft_act",
    "eligible_files",
    "erase_archive_records",
    "execute_act",
    "file_documents",
    "file_title",
    "finish_check",
    "inventory_closing",
    "inventory_files",
    "inventory_rows",
    "issue_file",
    "move_file",
    "number_variants",
    "open_work",
    "register_by_number",
    "register_erasure",
    "register_file",
    "return_file",
    "scan",
    "set_legal_hold",
    "start_check",
    "technical_errors",
    "withdraw_file",
]  # fmt: skip
