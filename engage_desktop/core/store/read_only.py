"""Opening a database without ever writing to it: a copy published for the team, a file on a
read-only share, or any database opened with ``--read-only``.

Nothing is migrated, no setting is written, and no -wal or -shm file is left beside the file:

- when Engage Desktop may write to the file and its folder (read-only by choice, or a published
  copy in a folder one can write to), the connection may write but is told not to
  (``PRAGMA query_only``). A connection opened with ``mode=ro`` would do too, except that on a
  database in WAL mode it makes a -wal and a -shm file that it can never remove; SQLite removes
  them itself when the last connection that may write closes.
- when it may not, the connection is ``mode=ro``, and ``immutable=1`` as well when no program
  has the database open for writing (no -wal or -journal beside it): the only way to read a
  WAL database in a folder where its -shm cannot be made.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from engage_desktop.core import errors


@dataclass(frozen=True)
class ReadOnly:
    """Why a database is open read-only (``reason``) and what to do to change it (``hint``)."""

    kind: str  # "asked", "published" or "not_writable"
    reason: str
    hint: str

    def sentence(self) -> str:
        """The reason and the hint as one sentence, for a status bar or a tooltip."""
        return f"{self.reason[0].upper()}{self.reason[1:]}: {self.hint[0].lower()}{self.hint[1:]}"

    def refusal(self, path: Path) -> errors.ReadOnlyDatabaseError:
        """The error a write to this database gets."""
        return errors.ReadOnlyDatabaseError(
            f"{path} is open read-only, so nothing was written: {self.reason}.", self.hint)


ASKED = ReadOnly("asked", "it was opened read-only, as asked",
                 "Open it again, not read-only, to sync, import or change it.")
NOT_WRITABLE = ReadOnly(
    "not_writable", "Engage Desktop cannot write to this file or its folder",
    "To sync or import, ask for write access to the folder, or open a copy kept in a folder "
    "you can write to.")


def published(value: str | None) -> ReadOnly | None:
    """The reason for a database carrying the ``published_copy`` setting (its JSON
    ``value``), or None when it carries none. A value that cannot be read still marks it."""
    if value is None:
        return None
    when = source = ""
    try:
        found = json.loads(value)
        if isinstance(found, dict):
            from engage_desktop.core.timeutil import UK, from_utc_text

            if isinstance(found.get("published_at"), str):
                moment = from_utc_text(found["published_at"]).astimezone(UK)
                when = f" on {moment:%a %d %b %Y} at {moment:%H:%M}"
            if isinstance(found.get("source"), str) and found["source"].strip():
                source = f" from {Path(found['source'].strip()).name}"
    except (ValueError, TypeError, OverflowError):
        pass  # still a published copy, said without its date and source
    return ReadOnly("published", f"this is a copy published for the team{when}{source}",
                    "Open the original to sync or import.")


def reason(path: Path, *, asked: bool, published_value: str | None) -> ReadOnly | None:
    """Why the existing database at ``path`` must be opened read-only, or None."""
    return published(published_value) or (ASKED if asked else None) or (
        None if can_write(path) else NOT_WRITABLE)


def can_write(path: Path) -> bool:
    """Whether this process may write to the file and make files beside it. Root passes
    permission bits, but not a read-only mount or an immutable file, and neither does this."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def connect(path: Path, *, busy_timeout: float, any_thread: bool) -> sqlite3.Connection:
    """A connection to ``path`` that never writes to it nor leaves files beside it."""
    if can_write(path):
        conn = sqlite3.connect(path, timeout=busy_timeout, check_same_thread=not any_thread)
        conn.execute("PRAGMA query_only = ON")
        return conn
    in_use = any(path.with_name(path.name + suffix).exists() for suffix in ("-wal", "-journal"))
    uri = f"{path.resolve().as_uri()}?mode=ro" + ("" if in_use else "&immutable=1")
    return sqlite3.connect(uri, uri=True, timeout=busy_timeout,
                           check_same_thread=not any_thread)


OLDER_COPY = ("This copy is from an older version of Engage Desktop: it is read as it is, "
              "brought up to date in memory only (the file is not changed).")


def older_schema(path: Path, pending: list[str], why: ReadOnly,
                 failure: BaseException) -> errors.OlderSchemaError:
    """The refusal of a database from an older version that could not be brought up to date
    in memory to be read (``failure`` says why)."""
    return errors.OlderSchemaError(
        f"This copy is from an older version of Engage Desktop: {path} lacks database changes "
        f"this version needs ({', '.join(pending)}), and {why.reason}, so they cannot be "
        f"made in it; making them in memory failed ({failure}).",
        "Open it once in Engage Desktop with write access to bring it up to date (a published "
        "copy: publish it again from an up-to-date Engage Desktop). The file was left "
        "untouched.")
