"""The ``insights`` and ``metric_status`` tables: Insights values by Meta's (Pacific) day,
and what the program knows of each metric per Page (served, refused, the days fetched)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date

from engage_desktop.core.models import InsightValue, MetricStatus
from engage_desktop.core.store import cells
from engage_desktop.core.store.connection import Connection, optional_time
from engage_desktop.core.timeutil import from_utc_text, meta_day_end, to_utc_text, utc_now

_GOOD_INSIGHT = cells.readable("insights")


class Insights:
    """Reads and writes of the ``insights`` and ``metric_status`` tables."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(self, values: Iterable[InsightValue]) -> int:
        """Store Insights values; a value already stored is replaced (Meta revises the last
        days, so a re-fetched window corrects them)."""
        rows = ((v.page_id, v.metric, v.period, to_utc_text(v.end_time), v.value)
                for v in values)
        with self._c.transaction():
            cursor = self._c.conn.executemany(
                "INSERT INTO insights (page_id, metric, period, end_time, value) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (page_id, metric, period, end_time) "
                "DO UPDATE SET value = excluded.value, source = 'graph'", rows)
        return cursor.rowcount

    def daily_total(self, page_id: str, metric: str, first: date, last: date
                    ) -> tuple[float, int]:
        """The sum of a daily Insights metric over Meta's days ``first`` to ``last``, and how
        many of those days have a value."""
        low = to_utc_text(meta_day_end(first))
        high = to_utc_text(meta_day_end(last))
        total, days, unreadable = self._c.conn.execute(
            f"SELECT total(value) FILTER (WHERE {_GOOD_INSIGHT}), "
            f"count(value) FILTER (WHERE {_GOOD_INSIGHT}), count(*) FILTER (WHERE NOT "
            f"{_GOOD_INSIGHT}) FROM insights WHERE page_id = ? AND metric = ? "
            "AND period = 'day' AND end_time >= ? AND end_time <= ?",
            [page_id, metric, low, high]).fetchone()
        if unreadable:
            self._c.report("insights")
        return total, days

    def values(self, page_id: str, metric: str) -> list[InsightValue]:
        rows = self._c.readable("insights", self._c.rows(
            f"SELECT *, {cells.problem('insights')} AS problem FROM insights "
            "WHERE page_id = ? AND metric = ? ORDER BY end_time", [page_id, metric]))
        return [InsightValue(r["page_id"], r["metric"], r["period"],
                             from_utc_text(r["end_time"]), r["value"]) for r in rows]

    def statuses(self) -> dict[tuple[str, str], MetricStatus]:
        rows = self._c.readable("metric_status", self._c.rows(
            f"SELECT *, {cells.problem('metric_status')} AS problem FROM metric_status"))
        return {(row["page_id"], row["metric"]): metric_status_from_row(row) for row in rows}

    def record_metric(self, page_id: str, metric: str, *, ok: bool,
                      covered: tuple[date, date] | None = None,
                      error: str | None = None) -> None:
        """After a request for a metric: Meta sent values for the days ``covered`` (widening
        the days held), or refused it as retired/unknown (``ok=False``: not asked for again
        until reset). Values only for days already held (or the days after) keep the note of
        an earlier empty answer (:meth:`note_metric_empty`); values for older days clear it."""
        now = to_utc_text(utc_now())
        first, last = (covered[0].isoformat(), covered[1].isoformat()) if covered else (
            None, None)
        with self._c.transaction():
            self._c.conn.execute(
                """
                INSERT INTO metric_status (page_id, metric, available, last_ok_at,
                    unavailable_since, last_error, covered_from, covered_until)
                VALUES (:page, :metric, :ok, CASE WHEN :ok THEN :now END,
                    CASE WHEN :ok THEN NULL ELSE :now END, :error, :first, :last)
                ON CONFLICT (page_id, metric) DO UPDATE SET
                    available = :ok,
                    last_ok_at = CASE WHEN :ok THEN :now ELSE last_ok_at END,
                    unavailable_since = CASE WHEN NOT :ok THEN coalesce(unavailable_since, :now)
                        WHEN available AND :first >= covered_from THEN unavailable_since
                        END,
                    last_error = CASE WHEN :ok AND available AND unavailable_since IS NOT NULL
                        AND :first >= covered_from THEN last_error ELSE :error END,
                    -- the days covered grow only by ranges that touch them, so a window
                    -- that failed in between is fetched again, not skipped
                    covered_from = CASE WHEN :first IS NULL THEN covered_from
                        WHEN covered_from IS NULL THEN :first
                        WHEN :first < covered_from AND :last >= date(covered_from, '-1 day')
                            THEN :first
                        ELSE covered_from END,
                    covered_until = CASE WHEN :last IS NULL THEN covered_until
                        WHEN covered_until IS NULL THEN :last
                        WHEN :last > covered_until AND :first <= date(covered_until, '+1 day')
                            THEN :last
                        ELSE covered_until END
                """,
                {"page": page_id, "metric": metric, "ok": int(ok), "now": now,
                 "error": error, "first": first, "last": last})

    def note_metric_error(self, page_id: str, metrics: Sequence[str], error: str) -> None:
        """Remember why Meta refused these metrics for a Page, without giving up on them."""
        with self._c.transaction():
            self._c.conn.executemany(
                "INSERT INTO metric_status (page_id, metric, last_error) VALUES (?, ?, ?) "
                "ON CONFLICT (page_id, metric) DO UPDATE SET last_error = excluded.last_error",
                [(page_id, metric, error) for metric in metrics])

    def note_metric_empty(self, page_id: str, metric: str, reason: str) -> None:
        """Meta answered without values for a metric (``{"data": []}``, or the metric left
        out): the days asked stay uncovered; ``reason`` goes in ``last_error`` and the time
        in ``unavailable_since`` (the metric stays ``available``: the sync asks again)."""
        with self._c.transaction():
            self._c.conn.execute(
                "INSERT INTO metric_status (page_id, metric, unavailable_since, last_error) "
                "VALUES (:page, :metric, :now, :reason) ON CONFLICT (page_id, metric) DO "
                "UPDATE SET unavailable_since = :now, last_error = :reason",
                {"page": page_id, "metric": metric, "now": to_utc_text(utc_now()),
                 "reason": reason})

    def reset_unavailable(self) -> None:
        """Ask Meta again for metrics it refused (after the API version changes)."""
        with self._c.transaction():
            self._c.conn.execute("UPDATE metric_status SET available = 1, "
                                 "unavailable_since = NULL WHERE available = 0")



def metric_status_from_row(row: sqlite3.Row) -> MetricStatus:
    return MetricStatus(
        page_id=row["page_id"], metric=row["metric"], available=bool(row["available"]),
        last_ok_at=optional_time(row["last_ok_at"]),
        unavailable_since=optional_time(row["unavailable_since"]),
        last_error=row["last_error"],
        covered_from=date.fromisoformat(row["covered_from"]) if row["covered_from"] else None,
        covered_until=date.fromisoformat(row["covered_until"]) if row["covered_until"]
        else None)
