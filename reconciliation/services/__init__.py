"""The service layer of reconciliation: every write of the app, by subject.

- `staging`: an uploaded extract kept for its preview, started, discarded or purged;
- `runs`: registering a run for a file with its job, the job's handler (executing the run,
  writing its results), the dry run;
- `inbox`: the nightly scan of the inbox;
- `cascade`: the Python matching cascade (index of recipients, `match_rows`);
- `selections`: working items out, reassigning them, resolving ambiguous rows.

Callers import from `reconciliation.services`; the names below are its public surface.
"""

from reconciliation.matching import (  # noqa: F401  (the row rules are matching's)
    EVENT_DATE,
    FIELDS,
    FUZZY_MAX_DISTANCE,
    NO_IDENTITY,
    WRONG_SNILS,
    check_columns,
    parse_row,
)
from reconciliation.readers import ExtractError  # noqa: F401
from reconciliation.services.cascade import (  # noqa: F401
    COUNTER_KEYS,
    MATCH_RANK,
    PROGRESS_EVERY,
    Index,
    Outcome,
    active_measures,
    build_index,
    match_rows,
    offices_of,
)
from reconciliation.services.inbox import SUFFIXES, scan_inbox  # noqa: F401
from reconciliation.services.runs import (  # noqa: F401
    RUN_JOB,
    AlreadyProcessed,
    create_run,
    dry_run,
    execute_run,
    file_sha256,
    interrupted,
    storage_dir,
)
from reconciliation.services.selections import (  # noqa: F401
    ASSIGNS_SELECTIONS,
    TAKES_SELECTIONS,
    BulkWorkOut,
    SelectionError,
    reassign_selections,
    resolve_ambiguous,
    work_out,
    work_out_many,
)
from reconciliation.services.staging import (  # noqa: F401
    FIELD_TITLES,
    STAGED_NOT_FOUND,
    StagedExtractError,
    check_extract_size,
    discard_staged,
    preview_extract,
    preview_staged,
    purge_staged_extracts,
    stage_extract,
    staging_dir,
    start_staged,
)
