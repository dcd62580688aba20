"""Files no export may replace: the databases this process has open, the files SQLite and
the sync keep beside them, and the window's settings. ``--force`` replaces an older export,
never the data itself."""

from __future__ import annotations

import os
from pathlib import Path

from engage_desktop.core.paths import window_settings_file

# the database, its write-ahead log and shared memory, a rollback journal, the sync's lock
COMPANIONS = ("", "-wal", "-shm", "-journal", ".sync-lock")
_protected: set[str] = set()


def _real(path: Path) -> str:
    """The path with links and ".." resolved, as the file system will find it."""
    return os.path.normcase(os.path.realpath(Path(path).expanduser()))


def protect_database(path: Path) -> None:
    """From now on, nothing in this process writes an export onto ``path`` or its companions."""
    for suffix in COMPANIONS:
        protect(Path(f"{path}{suffix}"))


def protect(path: Path) -> None:
    """From now on, nothing in this process writes an export onto ``path`` (the window's
    settings file, a database)."""
    _protected.add(_real(path))


def is_protected(path: Path) -> bool:
    settings = window_settings_file()
    real = _real(path)
    return real in _protected or (settings is not None and real == _real(settings))
