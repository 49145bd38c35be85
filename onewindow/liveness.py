"""Is the worker of a job alive? A lock that the worker holds while it works and that goes away
with it — never a clock.

A job that writes its results in one transaction at its end (a reconciliation run) leaves, when
its worker dies (an out-of-memory kill, a deploy, a restart of the machine), the job
«выполняется» and nothing written. To restart such a job exactly once, the next worker must
know for certain that the first one is gone, and two workers must never both believe they hold
the job. A lock is named by a namespace (a 32-bit number of the caller's: `onewindow.jobs` has
one for jobs, keyed by the job's id; an app may hold its own, as the nightly inbox scan does to
never overlap itself) and a key in it:

* PostgreSQL: a session-level advisory lock (`pg_try_advisory_lock(namespace, key)`) on the
  worker's own connection, taken before the job is claimed and released after its results are
  committed. When the worker dies its connection closes and PostgreSQL releases the lock as the
  backend ends — at once if it was idle, after the statement in flight otherwise (whose
  transaction is then rolled back, so nothing half-written either). Other sessions read the
  lock in `pg_locks` without taking it. (A pooler in transaction mode, such as pgbouncer's,
  would share sessions between clients: workers must connect directly or in session mode.)
* SQLite: the database is one file on one machine, so its workers share one kernel: an
  exclusive `flock` on a lock file per key beside the database file, which the kernel drops
  when the process that holds it dies. (An in-memory database lives in one process: its lock
  files are that process's own.)

Why not a heartbeat that expires: a threshold is either short, and a live worker in one long
statement (the set-based reconciliation writes 142,500 items in one) is taken for dead and its
job is run twice, or long, and a dead job waits; and it compares the clocks of different
processes and machines (in the tests, a process frozen by time-machine and one on the real
clock). The lock says exactly whether the holder is alive, on any clock.

The claim with its attempt token (`onewindow.jobs`) stays the second safety: a job taken over
cannot be written by its former attempt.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.db import connection

RETRIES = 5  # a probe of `alive` holds a SQLite lock file for an instant: a taker tries again
RETRY_PAUSE = 0.02


@contextlib.contextmanager
def hold(namespace: int, key: int) -> Iterator[bool]:
    """Take the lock (namespace, key) for the block: True when taken (no live worker holds it),
    False when another one does. The lock goes with the block's end or the process's death."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [int(namespace), int(key)])
            taken = cursor.fetchone()[0]
        try:
            yield taken
        finally:
            # (a broken connection has released it already)
            if taken:
                with contextlib.suppress(Exception), connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [int(namespace), int(key)])
        return
    handle = _lock_file(namespace, key).open("a+b")
    try:
        taken = False
        for attempt in range(RETRIES):
            if _flock(handle, shared=False):
                taken = True
                break
            if attempt + 1 < RETRIES:
                time.sleep(RETRY_PAUSE)
        yield taken
    finally:
        handle.close()  # closing the file releases the lock


def alive(namespace: int, keys: Iterable[int]) -> set[int]:
    """The keys of `keys` whose lock in the namespace a live worker holds (this process too)."""
    ids = [int(pk) for pk in keys]
    if not ids:
        return set()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT objid::bigint FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                "AND classid = %s::bigint::oid AND objsubid = 2 AND objid = ANY(%s::bigint[]::oid[])",
                [int(namespace), ids],
            )
            return {int(pk) for (pk,) in cursor.fetchall()}
    held = set()
    for pk in ids:
        path = _lock_file(namespace, pk, create=False)
        if not path.exists():
            continue
        with path.open("rb") as handle:
            if not _flock(handle, shared=True):
                held.add(pk)
    return held


def _flock(handle, *, shared: bool) -> bool:
    import fcntl

    try:
        fcntl.flock(handle.fileno(), (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _lock_file(namespace: int, key: int, *, create: bool = True) -> Path:
    if connection.is_in_memory_db():
        folder = Path(tempfile.gettempdir()) / f"onewindow-locks-{os.getpid()}"
    else:
        database = Path(connection.settings_dict["NAME"]).resolve()
        folder = database.parent / f"{database.name}.locks"
    if create:
        folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{int(namespace):08x}-{int(key)}.lock"
