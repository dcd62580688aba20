"""The ``alerts`` table: what the alert rules found, per Page, kind and UK day, and whether
the officer has seen it."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from engage_desktop.core.models import ALERT_KINDS, Alert
from engage_desktop.core.store import cells
from engage_desktop.core.store.connection import Connection, optional_time
from engage_desktop.core.timeutil import from_utc_text, to_utc_text, utc_now

_ALERT_PROBLEM_A = cells.problem("alerts", "a")
_GOOD_ALERT = cells.readable("alerts")
_GOOD_ALERT_DAY = cells.cell_ok("day", "a.day")
# the order of ALERT_KINDS: what to act on first
_ALERT_URGENCY = ("CASE a.kind " + " ".join(f"WHEN '{kind}' THEN {rank}"
                                            for rank, kind in enumerate(ALERT_KINDS))
                  + " END")


class Alerts:
    """Reads and writes of the ``alerts`` table."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(self, alerts: Iterable[tuple[str, str, date, dict[str, Any], str]]
                   ) -> list[int]:
        """Record alerts (Page, kind, UK day, numbers, sentence) in one transaction; one
        already there for the same Page, kind and day is left as it is. Returns the IDs of
        those recorded now."""
        added = []
        created = to_utc_text(utc_now())
        with self._c.transaction():
            for page_id, kind, day, numbers, sentence in alerts:
                cursor = self._c.conn.execute(
                    "INSERT OR IGNORE INTO alerts (page_id, kind, day, numbers, sentence, "
                    "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    [page_id, kind, day.isoformat(), json.dumps(numbers), sentence, created])
                if cursor.rowcount == 1:
                    assert cursor.lastrowid is not None
                    added.append(cursor.lastrowid)
        return added

    def listed(self, *, unseen_only: bool = True, since: date | None = None,
               ids: Sequence[int] | None = None) -> list[Alert]:
        """Alerts, newest first (within a day, the most urgent kind first): the unseen ones,
        or all; from ``since`` (a UK day) on; or those with ``ids``. Rows with unreadable
        cells are left out and reported."""
        sql = (f"SELECT a.*, {_ALERT_PROBLEM_A} AS problem, "
               f"CASE WHEN typeof(p.name) = 'text' THEN p.name END AS page_name "
               "FROM alerts a LEFT JOIN pages p ON p.id = a.page_id WHERE 1")
        params: list[Any] = []
        if unseen_only:
            sql += " AND a.seen_at IS NULL"
        if since is not None:
            sql += f" AND (a.day >= ? OR NOT {_GOOD_ALERT_DAY})"
            params.append(since.isoformat())
        if ids is not None:
            sql += f" AND a.id IN ({', '.join('?' for _ in ids)})"
            params.extend(ids)
        rows = self._c.readable("alerts", self._c.rows(
            sql + f" ORDER BY a.day DESC, {_ALERT_URGENCY}, a.id", params))
        return [alert_from_row(row) for row in rows]

    def history(self) -> list[tuple[str, str, date]]:
        """Every readable alert's Page, kind and day, oldest first (what the alert rules
        compare with)."""
        rows = self._c.readable("alerts", self._c.rows(
            f"SELECT page_id, kind, day, {cells.problem('alerts')} AS problem FROM alerts "
            "ORDER BY day, id"))
        return [(row["page_id"], row["kind"], date.fromisoformat(row["day"])) for row in rows]

    def unseen_count(self) -> int:
        """How many readable alerts are not seen yet."""
        return self._c.conn.execute(
            f"SELECT count(*) FROM alerts WHERE seen_at IS NULL AND {_GOOD_ALERT}"
        ).fetchone()[0]

    def mark_seen(self, ids: Sequence[int] | None = None) -> int:
        """Mark these alerts (or every unseen one) seen now; returns how many."""
        sql = "UPDATE alerts SET seen_at = ? WHERE seen_at IS NULL"
        params: list[Any] = [to_utc_text(utc_now())]
        if ids is not None:
            sql += f" AND id IN ({', '.join('?' for _ in ids)})"
            params.extend(ids)
        with self._c.transaction():
            cursor = self._c.conn.execute(sql, params)
        return cursor.rowcount


def alert_from_row(row: sqlite3.Row) -> Alert:
    return Alert(row["id"], row["page_id"], row["page_name"] or row["page_id"], row["kind"],
                 date.fromisoformat(row["day"]), json.loads(row["numbers"]), row["sentence"],
                 from_utc_text(row["created_at"]), optional_time(row["seen_at"]))
