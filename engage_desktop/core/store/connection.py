"""One open database as the repositories share it: the connection, its path, why it is
read-only (if it is), the warnings gathered while reading, transactions, and the reporting of
rows whose cells cannot be read (see :mod:`.cells`).

Each repository module (:mod:`.pages`, :mod:`.readings`, :mod:`.insights`,
:mod:`.notes`, :mod:`.runs`, :mod:`.alerts`, :mod:`.settings`, :mod:`.staging`) reads
and writes its tables through one :class:`Connection`;
:class:`~engage_desktop.core.store.Store` is the facade over them all.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engage_desktop.core.paths import location_warning
from engage_desktop.core.store import cells
from engage_desktop.core.store import read_only as readonly
from engage_desktop.core.store.translation import translating
from engage_desktop.core.timeutil import from_utc_text, uk_day

if TYPE_CHECKING:
    from sqlite_utils import Database


class Connection:
    """One connection to an Engage Desktop database, for one thread."""

    def __init__(self, conn: sqlite3.Connection, path: Path,
                 read_only: readonly.ReadOnly | None = None) -> None:
        self.conn = conn
        self.path = path
        self.read_only = read_only  # why it is open read-only (None: it may be written)
        self._db: Database | None = None
        warning = location_warning(path)
        self.warnings: list[str] = [warning] if warning else []
        self._reported: set[str] = set()  # tables and Pages whose unreadable rows are reported

    @property
    def db(self) -> Database:
        """The sqlite-utils view of the connection, made on first use (importing sqlite-utils
        and NumPy is kept off the window's start-up path)."""
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self.conn, execute_plugins=False)
        return self._db

    def rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        """The rows of a query, by column name."""
        with translating(self.path):
            cursor = self.conn.cursor()
            cursor.row_factory = sqlite3.Row
            return cursor.execute(sql, params).fetchall()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Several writes that land together or not at all.

        The outermost transaction starts with BEGIN IMMEDIATE: it takes the write lock at once,
        waiting up to the busy timeout for another writer, instead of failing half way when
        another process committed after this one read. Nested ones are savepoints. A database
        open read-only refuses, saying why.
        """
        self.ensure_writable()
        conn = self.conn
        with translating(self.path):
            if conn.in_transaction:
                with self.db.atomic():
                    yield
                return
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            try:
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def ensure_writable(self) -> None:
        """Raise :class:`~engage_desktop.core.errors.ReadOnlyDatabaseError`, with the reason
        and what to do, when the database is open read-only."""
        if self.read_only is not None:
            raise self.read_only.refusal(self.path)

    def warn(self, warning: str) -> None:
        if warning not in self.warnings:
            self.warnings.append(warning)

    # Unreadable cells ------------------------------------------------------------------------

    def readable(self, table: str, rows: list[sqlite3.Row]) -> list[sqlite3.Row]:
        """The rows (selected with their ``problem``, see :mod:`.cells`) whose cells are all
        readable; when some are not, the table's unreadable rows are reported."""
        readable = [row for row in rows if row["problem"] is None]
        if len(readable) < len(rows):
            self.report(table)
        return readable

    def report(self, table: str) -> None:
        """Warn, once, how many rows of ``table`` are unreadable, naming a cell."""
        if table in self._reported:
            return
        self._reported.add(table)
        count, example = self.conn.execute(
            f"SELECT count(*), min(problem) FROM (SELECT {cells.problem(table)} AS problem "
            f"FROM {table}) WHERE problem IS NOT NULL").fetchone()
        if count:
            self.warn(cells.left_out(table, count, example))

    def report_readings(self, page_ids: Iterable[str]) -> None:
        """Warn, once per Page, how many of its readings are unreadable and on which days."""
        new = sorted({page_id for page_id in page_ids} - self._reported)
        if not new:
            return
        self._reported.update(new)
        marks = ", ".join("?" for _ in new)
        rows = self.conn.execute(
            f"""
            SELECT coalesce(CASE WHEN typeof(p.name) = 'text' THEN p.name END, s.page_id),
                count(*), min(s.day), max(s.day), min(s.problem)
            FROM (SELECT page_id, {cells.problem('readings')} AS problem,
                    CASE WHEN {cells.cell_ok('instant', 'taken_at')} THEN taken_at END AS day
                  FROM readings WHERE page_id IN ({marks})) AS s
            LEFT JOIN pages p ON p.id = s.page_id
            WHERE s.problem IS NOT NULL GROUP BY s.page_id ORDER BY 1
            """, new).fetchall()
        for name, count, first, last, example in rows:
            self.warn(cells.left_out(
                "readings", count, example, of=name,
                first=first and uk_day(from_utc_text(first)),
                last=last and uk_day(from_utc_text(last))))


def optional_time(text: str | None) -> datetime | None:
    """A stored UTC instant, or None for an empty cell."""
    return from_utc_text(text) if text else None


def optional_bool(value: int | None) -> bool | None:
    """A stored 0/1 flag, or None for an empty cell."""
    return None if value is None else bool(value)
