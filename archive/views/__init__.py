"""The archivist's screens, by subject: `storage` (the archive, taking in, files, issue and
return, places of storage), `checks` (inventory lists and presence checks) and `destruction`
(destruction acts and the personal-data act); `common` holds what they share. The URLs name the
views in their modules."""

from archive.views.destruction import home_notices

__all__ = ["home_notices"]
