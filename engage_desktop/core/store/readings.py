"""The ``readings`` table: each Page's readings (followers, likes, talking about), and the
views of them the window and the traffic light read: the latest reading, daily series, the
overview with the trend's weekly averages, and the first day of "All"."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date

from engage_desktop.core.engagement import per_1000_sql
from engage_desktop.core.models import DailyReading, PageOverview, Reading
from engage_desktop.core.store import cells
from engage_desktop.core.store.connection import Connection, optional_bool
from engage_desktop.core.store.pages import PAGE_PROBLEM_P, page_from_row
from engage_desktop.core.store.uk_days import day_of, day_of_text
from engage_desktop.core.timeutil import (
    EARLIEST_DAY,
    from_utc_text,
    to_utc_text,
    uk_day,
    uk_day_bounds,
)

GOOD_READING = cells.readable("readings")
_GOOD_INSTANT = cells.cell_ok("instant", "taken_at")
# the readings the trend averages: the cells it uses, checked cheaply (the hot path)
_AVERAGED_R = "(" + " AND ".join([cells.cell_ok("stamp", "r.taken_at"), *(
    cells.cell_ok("count?", f"r.{column}") for column in ("followers", "fans", "talking_about")
)]) + ")"
_INSTANT_OLDEST = cells.cell_ok("instant?", "l.oldest_at")


class Readings:
    """Reads and writes of the ``readings`` table."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(self, readings: Iterable[Reading]) -> int:
        """Store readings in one transaction; the same reading twice is one row.

        A reading for a Page and instant already stored replaces it (a corrected value wins).
        Returns how many readings were given.
        """
        rows = (
            (r.page_id, to_utc_text(r.taken_at), r.followers, r.fans, r.talking_about,
             None if r.npe is None else int(r.npe), r.source, r.sync_run_id)
            for r in readings)
        with self._c.transaction():
            cursor = self._c.conn.executemany(
                """
                INSERT INTO readings (page_id, taken_at, followers, fans, talking_about, npe,
                    source, sync_run_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (page_id, taken_at) DO UPDATE SET
                    followers = excluded.followers, fans = excluded.fans,
                    talking_about = excluded.talking_about, npe = excluded.npe,
                    source = excluded.source, sync_run_id = excluded.sync_run_id
                """, rows)
        return cursor.rowcount

    def latest(self) -> dict[str, Reading]:
        """The newest reading of every Page that has one, keyed by Page ID."""
        rows = self._c.rows(
            f"""
            SELECT p.id AS page, s.*,
                (SELECT max(taken_at) FROM readings WHERE page_id = p.id) AS newest
            FROM pages p LEFT JOIN readings s ON s.page_id = p.id AND s.taken_at = (
                SELECT max(taken_at) FROM readings WHERE page_id = p.id AND {GOOD_READING})
            """)
        self._c.report_readings(row["page"] for row in rows if row["newest"] != row["taken_at"])
        return {row["page_id"]: reading_from_row(row) for row in rows
                if row["taken_at"] is not None}

    def first_day(self, today: date) -> date:
        """The first day of "All": the oldest reading's UK day (not before the earliest day a
        chart covers, nor after ``today``), or ``today`` when there is none."""
        # one index seek per Page (a plain min() over readings reads the whole table), past
        # any time edited into nonsense
        oldest = self._c.conn.execute(
            "SELECT min((SELECT min(taken_at) FROM readings WHERE page_id = pages.id "
            f"AND {_GOOD_INSTANT})) FROM pages").fetchone()[0]
        if oldest is None:
            return today
        return min(max(uk_day(from_utc_text(oldest)), EARLIEST_DAY), today)

    def daily_series(self, page_id: str, first: date, last: date) -> list[DailyReading]:
        """The last reading of each UK day from ``first`` to ``last``; days without one are
        absent (a gap, not a zero)."""
        return self.daily_series_of([page_id], first, last).get(page_id, [])

    def daily_series_of(self, page_ids: Sequence[str], first: date, last: date
                        ) -> dict[str, list[DailyReading]]:
        """:meth:`daily_series` of several Pages in one query (an index range per Page, in
        the index's order: nothing sorted), keyed by Page ID; a Page without readings in the
        period is absent."""
        start, end = uk_day_bounds(first, last)
        rows = self._c.conn.execute(
            f"SELECT page_id, taken_at, followers, fans, talking_about, npe, {GOOD_READING} "
            "FROM readings WHERE page_id IN (SELECT value FROM json_each(?)) "
            "AND taken_at >= ? AND taken_at < ? ORDER BY page_id, taken_at",
            [json.dumps(list(page_ids)), start, end]).fetchall()
        by_page: dict[str, dict[str, tuple]] = {}
        unreadable = set()
        for row in rows:
            if not row[6]:
                unreadable.add(row[0])
                continue
            taken_at = row[1]
            day = day_of_text(taken_at)  # as the traffic light's SQL counts days
            by_page.setdefault(row[0], {})[day] = row  # the day's last reading wins
        self._c.report_readings(unreadable)
        return {
            page_id: [DailyReading(date.fromisoformat(day), from_utc_text(row[1]), row[2],
                                   row[3], row[4], optional_bool(row[5]))
                      for day, row in days.items()]
            for page_id, days in by_page.items()}

    def overviews(self) -> list[PageOverview]:
        """Every followed Page with its latest reading and the two weekly averages the trend
        needs, in one query (index seeks per Page, no scan of the whole history).

        Each week is 7 UK days, each day counted once by its last reading: the week ending on
        the latest reading's day, and the week ending 28 days before that.
        """
        ratio = per_1000_sql("talking_about", "nullif(coalesce(followers, fans), 0)")
        day = day_of("r.taken_at")
        utc = "strftime('%Y-%m-%dT%H:%M:%SZ', l.latest_at, '{}')"

        def readings_between(after: str, until: str) -> str:
            return f"""
                SELECT r.page_id, {day} AS day, r.taken_at, r.talking_about, r.followers,
                    r.fans, {_AVERAGED_R} AS good
                FROM latest l CROSS JOIN readings r
                WHERE r.page_id = l.page_id AND r.taken_at > {utc.format(after)}
                  AND r.taken_at <= {utc.format(until)}"""

        rows = self._c.rows(
            f"""
            WITH newest AS MATERIALIZED (
                SELECT p.id AS page_id,
                    (SELECT max(taken_at) FROM readings
                     WHERE page_id = p.id AND {GOOD_READING}) AS latest_at,
                    -- the first and last rows of all, readable or not (index seeks)
                    (SELECT max(taken_at) FROM readings WHERE page_id = p.id) AS newest_at,
                    (SELECT min(taken_at) FROM readings WHERE page_id = p.id) AS oldest_at
                FROM pages p WHERE p.followed IS NOT 0
            ),
            latest AS MATERIALIZED (
                SELECT page_id, latest_at, newest_at, oldest_at, day AS latest_day,
                    date(day, '-7 days') AS recent_after,
                    date(day, '-35 days') AS earlier_after,
                    date(day, '-28 days') AS earlier_until
                FROM (SELECT page_id, latest_at, newest_at, oldest_at,
                    {day_of("latest_at")} AS day FROM newest)
            ),
            -- the readings of both weeks (with a day to spare), by an index range per Page
            window AS NOT MATERIALIZED (
                {readings_between('-8 days', '+0 days')}
                UNION ALL
                {readings_between('-36 days', '-27 days')}
            ),
            -- one value per UK day: SQLite takes the bare columns from the max(taken_at) row
            -- of the readable ones (from any row, an unreadable one, when there is none)
            daily AS (
                SELECT page_id, day, max(CASE WHEN good THEN taken_at END),
                    CASE WHEN good THEN {ratio} END AS ratio, sum(NOT good) AS unreadable
                FROM window GROUP BY page_id, day
            ),
            weekly AS (
                SELECT d.page_id,
                    avg(CASE WHEN d.day > l.recent_after AND d.day <= l.latest_day
                        THEN d.ratio END) AS recent_avg,
                    avg(CASE WHEN d.day > l.earlier_after AND d.day <= l.earlier_until
                        THEN d.ratio END) AS earlier_avg,
                    sum(d.unreadable) AS unreadable
                FROM daily d JOIN latest l ON l.page_id = d.page_id
                GROUP BY d.page_id
            )
            SELECT p.*, {PAGE_PROBLEM_P} AS problem, l.page_id, s.taken_at, s.followers,
                s.fans, s.talking_about, s.npe, s.source, s.sync_run_id, w.recent_avg,
                w.earlier_avg, w.unreadable OR l.newest_at IS NOT l.latest_at
                    OR NOT {_INSTANT_OLDEST} AS unreadable_readings
            FROM latest l
            JOIN pages p ON p.id = l.page_id
            LEFT JOIN readings s ON s.page_id = l.page_id AND s.taken_at = l.latest_at
            LEFT JOIN weekly w ON w.page_id = l.page_id
            ORDER BY p.name, p.id
            """)
        rows = self._c.readable("pages", rows)
        self._c.report_readings(row["page_id"] for row in rows if row["unreadable_readings"])
        return [
            PageOverview(
                page=page_from_row(row),
                latest=reading_from_row(row) if row["taken_at"] else None,
                recent_avg=row["recent_avg"],
                earlier_avg=row["earlier_avg"],
            )
            for row in rows
        ]

    def count_not_from(self, source: str) -> int:
        """How many readings came from elsewhere than ``source`` ("demo": real readings)."""
        return self._c.rows("SELECT count(*) AS n FROM readings WHERE source != ?",
                            [source])[0]["n"]

    def latest_synced_audience(self, page_id: str) -> tuple[str, int] | None:
        """When a Page's latest readable reading not from an import was taken (UTC text),
        and its audience (followers, or likes), or None when there is none."""
        rows = self._c.rows(
            "SELECT taken_at, coalesce(followers, fans) AS audience FROM readings "
            "WHERE page_id = ? AND source != 'import' AND coalesce(followers, fans) IS NOT NULL "
            f"AND {GOOD_READING} ORDER BY taken_at DESC LIMIT 1", [page_id])
        return (rows[0]["taken_at"], rows[0]["audience"]) if rows else None


def reading_from_row(row: sqlite3.Row) -> Reading:
    """A reading from its row."""
    return Reading(
        page_id=row["page_id"],
        taken_at=from_utc_text(row["taken_at"]), followers=row["followers"], fans=row["fans"],
        talking_about=row["talking_about"], npe=optional_bool(row["npe"]),
        source=row["source"], sync_run_id=row["sync_run_id"])

