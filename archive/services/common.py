"""What every part of the archive's services shares: the refusal and the statuses of files no
longer on the shelves."""

from __future__ import annotations

from archive.models import ArchivedFile
from onewindow.errors import DomainError

# Files no longer on the archive's shelves: destroyed, or returned into work.
GONE = (ArchivedFile.Status.DESTROYED, ArchivedFile.Status.WITHDRAWN)


class ArchiveError(DomainError):
    """A refusal in the archive."""
