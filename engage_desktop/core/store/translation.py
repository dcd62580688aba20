"""SQLite's failures in words: each error the database raises becomes a
:class:`~engage_desktop.core.errors.DatabaseError` with a message and a hint.

Nothing outside :mod:`engage_desktop.core.store` sees an ``sqlite3`` exception: the store's
modules translate them here.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from engage_desktop.core import errors

# SQLite's extended result names (exc.sqlite_errorname), by what they mean to a person.
DISK_FULL = ("SQLITE_FULL", "SQLITE_IOERR_SHMSIZE", "SQLITE_IOERR_WRITE", "SQLITE_IOERR_FSYNC",
             "SQLITE_IOERR_TRUNCATE")
_READ_FAILED = ("SQLITE_IOERR_SHORT_READ", "SQLITE_IOERR_READ")
BUSY = ("SQLITE_BUSY", "SQLITE_LOCKED")
_DAMAGED = ("SQLITE_NOTADB", "SQLITE_CORRUPT")
_READ_ONLY = ("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")
_BAD_DATA = ("SQLITE_CONSTRAINT", "SQLITE_MISMATCH", "SQLITE_TOOBIG", "SQLITE_RANGE")


def translate(exc: Exception, path: Path) -> errors.DatabaseError:
    name = getattr(exc, "sqlite_errorname", "") or ""
    if isinstance(exc, OverflowError) or name.startswith(_BAD_DATA):
        return errors.InvalidDataError(
            f"Engage Desktop could not save these figures: {_plain(exc)}.",
            "Nothing was saved. Check the figures: no negative or impossibly large numbers, "
            "and each Page added before its readings.")
    if name.startswith(DISK_FULL):
        return errors.DiskFullError(
            f"Could not write to {path}: the disk is full (or failing), so the last change "
            "was not saved.",
            "Free some space and try again; the data saved before is intact.")
    if name.startswith(_READ_FAILED):
        return errors.DatabaseError(
            f"Could not read {path}: it changed while being read, or the disk failed to read "
            "it.", "Try again; if it keeps failing, check the disk or restore the file from "
                   "a backup.")
    if name.startswith(BUSY):
        return errors.DatabaseBusyError(
            f"{path} is locked by another program: an Engage Desktop window or sync, or a "
            "database tool (such as DB Browser for SQLite) with a change not yet saved.",
            "Wait for it to finish, or save or close the change in that program, and try "
            "again.")
    if name.startswith(_DAMAGED):
        return errors.NotADatabaseError(
            f"{path} is damaged or is not an Engage Desktop database.",
            "Restore it from a backup, or choose another file. The file was left untouched.")
    if name.startswith(_READ_ONLY):
        return errors.DatabaseNotWritableError(
            f"Engage Desktop cannot write to {path} (the file or its folder is read-only).",
            "Choose a folder you can write to with --db or the ENGAGE_DB variable.")
    return errors.DatabaseError(f"The database {path} failed: {_plain(exc)}.",
                                "Try again; if it keeps failing, restore it from a backup.")


def _plain(exc: Exception) -> str:
    text = str(exc)
    if isinstance(exc, OverflowError):
        return "a number is too large to store"
    return text.replace("CHECK constraint failed: ", "a value is out of range: ").replace(
        "FOREIGN KEY constraint failed", "a reading or note refers to a Page that is not there")


@contextlib.contextmanager
def translating(path: Path) -> Iterator[None]:
    try:
        yield
    except (sqlite3.Error, OverflowError) as exc:
        raise translate(exc, path) from None
