"""The copy of the database published for the team: SQLite's online backup of one moment of
the data, the copy's own ``traffic_light`` table and ``published_copy`` setting, and reading
that setting back from a copy without writing anything beside it.

:mod:`engage_desktop.core.publishing` decides where the copy goes and what it holds; the SQL
is here.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from engage_desktop.core.store.connection import Connection

Moment = TypeVar("Moment")
# SQLite's extended result names for a write the folder's disk refused (full, or a file
# larger than it or a quota allows)
_FULL = ("SQLITE_FULL", "SQLITE_IOERR_WRITE", "SQLITE_IOERR_FSYNC", "SQLITE_IOERR_TRUNCATE")


class CopyError(Exception):
    """SQLite could not write the copy; ``disk_full`` when the disk (or a quota) refused it.
    The text is SQLite's message."""

    def __init__(self, message: str, *, disk_full: bool) -> None:
        super().__init__(message)
        self.disk_full = disk_full


def write_copy(connection: Connection, copy: Path, *, read: Callable[[], Moment],
               table: str, rows: Callable[[Moment], list[dict[str, Any]]],
               columns: dict[str, type], setting: tuple[str, Any]) -> tuple[Moment, int, int]:
    """Copy the database into the empty file ``copy`` and give the copy a table of its own,
    one row per Page (``table``: ``rows(what read() returned)``, with ``columns`` after
    ``position``), and a setting (key, value as JSON). ``read()`` runs in the same read
    transaction as the backup: what it reads and the copy are the same moment of the data.
    Returns what ``read()`` returned, and how many Pages and readings the copy holds. Raises
    :class:`CopyError`."""
    source = connection.conn
    try:
        target = sqlite3.connect(copy)
        try:
            source.execute("BEGIN")  # a read transaction: a sync may go on writing meanwhile
            try:
                moment = read()
                source.backup(target)
            finally:
                source.execute("COMMIT")
            # the source is in WAL mode, and the copy came with it: a share needs no -wal or
            # -shm
            target.execute("PRAGMA journal_mode = DELETE")
            with target:
                _write_table(target, table, rows(moment), columns)
                key, value = setting
                target.execute(
                    "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO "
                    "UPDATE SET value = excluded.value", [key, json.dumps(value)])
            pages = target.execute("SELECT count(*) FROM pages").fetchone()[0]
            readings = target.execute("SELECT count(*) FROM readings").fetchone()[0]
        finally:
            target.close()
    except sqlite3.Error as exc:
        name = getattr(exc, "sqlite_errorname", "") or ""
        raise CopyError(str(exc), disk_full=name.startswith(_FULL)) from None
    return moment, pages, readings


def _write_table(target: sqlite3.Connection, name: str, records: list[dict[str, Any]],
                 columns: dict[str, type]) -> None:
    from sqlite_utils import Database

    table = Database(target, execute_plugins=False).table(name)
    table.create({"position": int, **columns}, pk="position",
                 not_null={"page_id", "name", "status"},
                 foreign_keys=[("page_id", "pages", "id")])
    table.insert_all(records)


def read_setting(path: Path, key: str) -> str | None:
    """The stored text of setting ``key`` in the database at ``path``; None when it has none
    or cannot be read as SQLite. Read-only and immutable: a copy is never written in place,
    and nothing is created beside it (a share may be read-only)."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            row = conn.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return None if row is None else row[0]
