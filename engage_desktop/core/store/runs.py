"""The ``sync_runs`` and ``sync_errors`` tables: each sync run with its outcome and its
per-Page errors, and what is wrong with each Page in words."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime

from engage_desktop.core.models import RUN_STATUSES, RunStatus, SyncError, SyncRun
from engage_desktop.core.store import cells
from engage_desktop.core.store.connection import Connection, optional_time
from engage_desktop.core.store.pages import GOOD_PAGE
from engage_desktop.core.timeutil import from_utc_text, to_utc_text, utc_now

_GOOD_RUN = cells.readable("sync_runs")


class SyncRuns:
    """Reads and writes of the ``sync_runs`` and ``sync_errors`` tables."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def start(self, api_version: str | None = None) -> int:
        with self._c.transaction():
            cursor = self._c.conn.execute(
                "INSERT INTO sync_runs (started_at, status, api_version) VALUES (?, 'running', ?)",
                [to_utc_text(utc_now()), api_version])
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def finish(
        self,
        run_id: int,
        status: RunStatus,
        *,
        pages_ok: int = 0,
        pages_failed: int = 0,
        requests: int = 0,
        api_version: str | None = None,
        resume_after: datetime | None = None,
        message: str | None = None,
        errors_: Sequence[SyncError] = (),
    ) -> None:
        """Close a run with its outcome and its per-Page errors, in one transaction."""
        if status not in RUN_STATUSES or status == "running":
            raise ValueError(f"a run cannot finish as {status!r}")
        with self._c.transaction():
            self._c.conn.execute(
                """
                UPDATE sync_runs SET finished_at = ?, status = ?, pages_ok = ?, pages_failed = ?,
                    requests = ?, api_version = coalesce(?, api_version), resume_after = ?,
                    message = ?
                WHERE id = ?
                """,
                [to_utc_text(utc_now()), status, pages_ok, pages_failed, requests, api_version,
                 to_utc_text(resume_after) if resume_after else None, message, run_id])
            self._c.conn.executemany(
                "INSERT INTO sync_errors (run_id, page_id, code, subcode, kind, message) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(run_id, e.page_id, e.code, e.subcode, e.kind, e.message) for e in errors_])

    def close_abandoned(self, message: str) -> int:
        """Runs still marked running when no sync holds the lock were interrupted (power cut,
        killed): mark them failed. Returns how many."""
        with self._c.transaction():
            cursor = self._c.conn.execute(
                "UPDATE sync_runs SET status = 'failed', finished_at = ?, message = ? "
                "WHERE status = 'running'", [to_utc_text(utc_now()), message])
        return cursor.rowcount

    def recent(self, limit: int = 20) -> list[SyncRun]:
        """The most recent runs, newest first."""
        rows = self._c.readable("sync_runs", self._c.rows(
            f"SELECT *, {cells.problem('sync_runs')} AS problem FROM sync_runs "
            "ORDER BY id DESC LIMIT ?", [limit]))
        return [sync_run_from_row(row) for row in rows]

    def page_problems(self) -> dict[str, str]:
        """What is wrong with each Page, in words with what to do: its errors in the last sync
        that finished, and a token that needs reconnecting."""
        problems: dict[str, list[str]] = {}
        last = self._c.conn.execute(
            f"SELECT id FROM sync_runs WHERE status != 'running' AND {_GOOD_RUN} "
            "ORDER BY id DESC LIMIT 1").fetchone()
        for error in self.errors(last[0]) if last else []:
            if error.page_id and error.message not in problems.get(error.page_id, []):
                problems.setdefault(error.page_id, []).append(error.message)
        for row in self._c.conn.execute(f"SELECT id, token_problem FROM pages "
                                     f"WHERE token_status = 'needs_reconnect' AND {GOOD_PAGE}"):
            message = f"Reconnect: {row[1] or 'the token no longer works'}."
            if not any(m.startswith("Reconnect") for m in problems.get(row[0], [])):
                problems.setdefault(row[0], []).insert(0, message)
        return {page_id: " ".join(messages) for page_id, messages in problems.items()}

    def errors(self, run_id: int) -> list[SyncError]:
        rows = self._c.readable("sync_errors", self._c.rows(
            f"SELECT *, {cells.problem('sync_errors')} AS problem FROM sync_errors "
            "WHERE run_id = ? ORDER BY id", [run_id]))
        return [SyncError(row["page_id"], row["kind"], row["message"], row["code"],
                          row["subcode"]) for row in rows]


def sync_run_from_row(row: sqlite3.Row) -> SyncRun:
    return SyncRun(
        id=row["id"], started_at=from_utc_text(row["started_at"]),
        finished_at=optional_time(row["finished_at"]), status=row["status"],
        pages_ok=row["pages_ok"], pages_failed=row["pages_failed"], requests=row["requests"],
        api_version=row["api_version"], resume_after=optional_time(row["resume_after"]),
        message=row["message"])
