"""Files no export may replace: the databases this process has open and the files SQLite and
the sync keep beside them. ``--force`` replaces an older export, never the data itself."""

from __future__ import annotations

import os
from pathlib import Path

# the database, its write-ahead log and shared memory, a rollback journal, the sync's lock
COMPANIONS = ("", "-wal", "-shm", "-journal", ".sync-lock")
_protected: set[str] = set()


def _real(path: Path) -> str:
    """The path with links and ".." resolved, as the file system will find it."""
    return os.path.normcase(os.path.realpath(Path(path).expanduser()))


def protect_database(path: Path) -> None:
    """From now on, nothing in this process writes an export onto ``path`` or its companions."""
    for suffix in COMPANIONS:
        _protected.add(_real(Path(f"{path}{suffix}")))


def is_protected(path: Path) -> bool:
    return _real(path) in _protected
