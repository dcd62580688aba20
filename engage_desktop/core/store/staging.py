"""An import's scratch tables: the files' rows streamed into TEMP tables on the store's
connection (never into the database file), settled per Page and day, compared with the
database, and written to it in the import's transaction.

:class:`~engage_desktop.core.importing.importer.Importer` drives the steps; every statement
it needs is a method here. The tables belong to the connection: a preview by another import
on the same store replaces them (``import_owner`` says whose they are).

Scratch tables: ``import_rows`` and ``import_values`` (the files' readings and Insights values,
as read), ``import_pages`` (the Page each key in the files is for), ``import_readings`` and
``import_insights`` (one per Page and day, the first in the files), ``import_days`` (when each
UK day starts and ends, and when Meta's day of that date ends), and ``import_plan_readings``
and ``import_plan_insights`` (what each would do to the database).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, timedelta

from engage_desktop.core.store.connection import Connection
from engage_desktop.core.store.translation import translating
from engage_desktop.core.timeutil import meta_day_end, to_utc_text, uk_day_start

SQL_CHECK_STEPS = 20_000  # SQLite steps between checks for a cancel in a long statement
FILE_LINE = 1_000_000_000  # a row's place in the files: file * FILE_LINE + line

_ADD_ROW = "INSERT INTO temp.import_rows VALUES (?, ?, ?, ?, ?, ?, ?)"
_ADD_VALUE = "INSERT INTO temp.import_values VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"


class Staging:
    """The scratch tables of the import being previewed on one connection."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    @contextlib.contextmanager
    def stopping_when(self, stop: Callable[[], bool] | None) -> Iterator[None]:
        """Interrupt a long statement when ``stop()`` answers true (SQLite asks every few
        thousand steps; the statement fails and its transaction rolls back)."""
        conn = self._c.conn
        if stop is not None:
            conn.set_progress_handler(stop, SQL_CHECK_STEPS)
        try:
            yield
        finally:
            conn.set_progress_handler(None, 0)

    def drop(self) -> None:
        """Undo what a stopped preview left on the connection: its open transaction and its
        scratch tables."""
        conn = self._c.conn
        with translating(self._c.path):
            conn.rollback()
            tables = conn.execute("SELECT name FROM temp.sqlite_master WHERE type = 'table' "
                                  "AND name LIKE 'import!_%' ESCAPE '!'").fetchall()
            for (name,) in tables:
                conn.execute(f"DROP TABLE temp.{name}")

    def start(self, owner: int) -> None:
        """Empty scratch tables for the files' readings and Insights values (narrow tables:
        they take a row per line of the files), owned by import ``owner``."""
        conn = self._c.conn
        with translating(self._c.path):
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS import_owner (owner INTEGER)")
            conn.execute("DELETE FROM temp.import_owner")
            conn.execute("INSERT INTO temp.import_owner VALUES (?)", [owner])
            conn.execute("DROP TABLE IF EXISTS temp.import_rows")
            conn.execute("""
                CREATE TEMP TABLE import_rows (file INTEGER, line INTEGER, page_key TEXT,
                                               day TEXT, followers REAL, fans REAL,
                                               talking_about REAL)""")
            conn.execute("DROP TABLE IF EXISTS temp.import_values")
            conn.execute("""
                CREATE TEMP TABLE import_values (file INTEGER, line INTEGER, page_key TEXT,
                                                 day TEXT, metric TEXT, period TEXT,
                                                 value REAL, summed INTEGER, item TEXT)""")

    def owner(self) -> int | None:
        """The import whose scratch tables these are (None: a stopped preview dropped them)."""
        with translating(self._c.path):
            tables = self._c.conn.execute(
                "SELECT 1 FROM temp.sqlite_master WHERE type = 'table' "
                "AND name = 'import_owner'").fetchone()
            if tables is None:
                return None
            row = self._c.conn.execute("SELECT owner FROM temp.import_owner").fetchone()
        return None if row is None else row[0]

    def add_rows(self, rows: Sequence[tuple]) -> None:
        """Readings as read: (file, line, page key, day, followers, fans, talking about)."""
        with translating(self._c.path):
            self._c.conn.executemany(_ADD_ROW, rows)

    def add_values(self, values: Sequence[tuple]) -> None:
        """Insights values as read: (file, line, page key, day, metric, period, value,
        summed, item)."""
        with translating(self._c.path):
            self._c.conn.executemany(_ADD_VALUE, values)

    def forget_file(self, number: int) -> None:
        """Leave out what was read of file ``number`` (it could not be read to the end)."""
        with translating(self._c.path):
            for table in ("import_rows", "import_values"):
                self._c.conn.execute(f"DELETE FROM temp.{table} WHERE file = ?", [number])

    def keep(self) -> None:
        """End the transaction the scratch tables were written in (the database file is
        untouched: only TEMP tables were written)."""
        with translating(self._c.path):
            self._c.conn.commit()

    def settle(self, pages: Iterable[tuple[str, str]]) -> None:
        """Join each page key of the files to its Page (``pages``: key, Page ID), and keep
        one reading per Page and day, and one value per Insights metric, period and day: the
        first in the files (SQLite takes the bare columns from the min() row); values of posts
        add up (a post in two overlapping exports counts once: by its ID)."""
        conn = self._c.conn
        with translating(self._c.path):
            conn.execute("DROP TABLE IF EXISTS temp.import_pages")
            conn.execute("CREATE TEMP TABLE import_pages (page_key TEXT PRIMARY KEY, "
                         "page_id TEXT)")
            conn.executemany("INSERT INTO temp.import_pages VALUES (?, ?)", pages)
            conn.executescript(f"""
                DROP TABLE IF EXISTS temp.import_readings;
                DROP TABLE IF EXISTS temp.import_insights;
                DROP TABLE IF EXISTS temp.import_days;
                CREATE TEMP TABLE import_readings AS
                    SELECT p.page_id, r.day, r.followers, r.fans, r.talking_about,
                        min(r.file * {FILE_LINE} + r.line) AS first
                    FROM temp.import_rows r JOIN temp.import_pages p ON p.page_key = r.page_key
                    GROUP BY p.page_id, r.day;
                CREATE TEMP TABLE import_insights AS
                    SELECT page_id, metric, period, day, summed,
                        CASE WHEN summed THEN sum(value) ELSE value END AS value,
                        min(first) AS first
                    FROM (SELECT p.page_id, r.metric, r.period, r.day, r.summed, r.value,
                              min(r.file * {FILE_LINE} + r.line) AS first
                          FROM temp.import_values r
                          JOIN temp.import_pages p ON p.page_key = r.page_key
                          GROUP BY p.page_id, r.metric, r.period, r.day,
                              CASE WHEN r.summed THEN ifnull(r.item, r.file || ':' || r.line)
                              END)
                    GROUP BY page_id, metric, period, day;
                CREATE TEMP TABLE import_days (day TEXT PRIMARY KEY, starts TEXT, ends TEXT,
                                               end_time TEXT);
            """)

    def repeated_days(self) -> list[tuple[int, int, str, int]]:
        """The rows left out by :meth:`settle` because their Page and day (and metric) came
        earlier in the files: (file, line, day, the first's place: file * FILE_LINE + line),
        in the files' order."""
        conn = self._c.conn
        with translating(self._c.path):
            (rows_in,) = conn.execute(
                "SELECT (SELECT count(*) FROM temp.import_rows) + "
                "(SELECT count(*) FROM temp.import_values WHERE summed = 0)").fetchone()
            (kept,) = conn.execute(
                "SELECT (SELECT count(*) FROM temp.import_readings) + "
                "(SELECT count(*) FROM temp.import_insights WHERE summed = 0)").fetchone()
            if rows_in == kept:
                return []
            return conn.execute(f"""
                SELECT DISTINCT r.file, r.line, r.day, first.first
                FROM (SELECT file, line, page_key, day, '' AS metric, '' AS period
                      FROM temp.import_rows
                      UNION ALL
                      SELECT file, line, page_key, day, metric, period FROM temp.import_values
                      WHERE summed = 0) r
                JOIN temp.import_pages p ON p.page_key = r.page_key
                JOIN (SELECT page_id, day, '' AS metric, '' AS period, first
                      FROM temp.import_readings
                      UNION ALL
                      SELECT page_id, day, metric, period, first FROM temp.import_insights
                      WHERE summed = 0) first
                  ON first.page_id = p.page_id AND first.day = r.day
                 AND first.metric = r.metric AND first.period = r.period
                WHERE r.file * {FILE_LINE} + r.line != first.first
                ORDER BY r.file, r.line""").fetchall()

    def pages_with_audience(self) -> set[str]:
        """The Pages whose settled readings hold a follower or like total."""
        with translating(self._c.path):
            return {row[0] for row in self._c.conn.execute(
                "SELECT DISTINCT page_id FROM temp.import_readings "
                "WHERE followers IS NOT NULL OR fans IS NOT NULL")}

    def daily_values(self, page_id: str, metric: str, until: date) -> list[tuple[str, float]]:
        """A Page's settled values of a daily metric up to ``until``: (day, value), newest
        first."""
        with translating(self._c.path):
            return self._c.conn.execute(
                "SELECT day, value FROM temp.import_insights WHERE page_id = ? AND metric = ? "
                "AND day <= ? ORDER BY day DESC", [page_id, metric, until.isoformat()]
            ).fetchall()

    def set_followers(self, estimates: Sequence[tuple[str, str, int]]) -> None:
        """Settled readings holding only a follower total, (Page ID, day, followers), in
        place of what the files had for those days."""
        conn = self._c.conn
        with translating(self._c.path):
            conn.executemany("DELETE FROM temp.import_readings WHERE page_id = ? AND day = ?",
                             [(page_id, day) for page_id, day, _ in estimates])
            conn.executemany("INSERT INTO temp.import_readings VALUES (?, ?, ?, ?, ?, ?)",
                             [(page_id, day, followers, None, None, None)
                              for page_id, day, followers in estimates])

    def date_days(self) -> None:
        """When each day of the settled readings and values starts and ends."""
        conn = self._c.conn
        with translating(self._c.path):
            days = {row[0] for row in conn.execute(
                "SELECT day FROM temp.import_readings "
                "UNION SELECT day FROM temp.import_insights")}
            conn.executemany("INSERT INTO temp.import_days VALUES (?, ?, ?, ?)",
                             [_day_times(date.fromisoformat(day)) for day in days])

    def compare(self) -> tuple[list[tuple], list[tuple]]:
        """What each settled reading and value would do to the database as it is now: 'new',
        'changed', 'unchanged', or 'synced' (a synced one is there). Returns, for readings
        and then for Insights values, (Page ID, state, count, first day, last day) rows."""
        conn = self._c.conn
        with translating(self._c.path):
            # one statement at a time: executescript would commit the import's transaction
            for statement in _COMPARE_SQL:
                conn.execute(statement)
            readings = conn.execute(
                "SELECT page_id, state, count(*), min(day), max(day) "
                "FROM temp.import_plan_readings GROUP BY page_id, state").fetchall()
            insights = conn.execute(
                "SELECT page_id, state, count(*), min(day), max(day) "
                "FROM temp.import_plan_insights GROUP BY page_id, state").fetchall()
        return readings, insights

    # Writing (inside the import's transaction) -----------------------------------------------

    def add_pages(self, pages: Sequence[tuple[str, str]], added_at: str) -> None:
        """Pages (ID, name) the files name and the database did not have, kind 'imported'
        (a Page synced in the meantime keeps what Meta says of it)."""
        with translating(self._c.path):
            self._c.conn.executemany(
                "INSERT INTO pages (id, name, kind, added_at) VALUES (?, ?, 'imported', ?) "
                "ON CONFLICT (id) DO NOTHING",
                [(page_id, name, added_at) for page_id, name in pages])

    def follow(self, page_ids: Sequence[str]) -> None:
        """Follow these Pages (again, if the officer had stopped)."""
        with translating(self._c.path):
            self._c.conn.executemany("UPDATE pages SET followed = 1 WHERE id = ?",
                                     [(page_id,) for page_id in page_ids])

    def write(self, *, replace_synced: bool) -> None:
        """Write the new and changed readings and values (and, with ``replace_synced``, those
        over a synced one, whose synced readings of that day go)."""
        conn = self._c.conn
        with translating(self._c.path):
            if replace_synced:
                conn.execute("""
                    DELETE FROM readings WHERE source != 'import' AND EXISTS (
                        SELECT 1 FROM temp.import_plan_readings r
                        JOIN temp.import_days d ON d.day = r.day
                        WHERE r.state = 'synced' AND r.page_id = readings.page_id
                          AND readings.taken_at >= d.starts
                          AND readings.taken_at < d.ends)""")
            wanted = ("('new', 'changed', 'synced')" if replace_synced
                      else "('new', 'changed')")
            conn.execute(f"""
                INSERT INTO readings (page_id, taken_at, followers, fans, talking_about, npe,
                                       source)
                SELECT page_id, taken_at, followers, fans, talking_about, NULL, 'import'
                FROM temp.import_plan_readings WHERE state IN {wanted}
                ON CONFLICT (page_id, taken_at) DO UPDATE SET
                    followers = coalesce(excluded.followers, followers),
                    fans = coalesce(excluded.fans, fans),
                    talking_about = coalesce(excluded.talking_about, talking_about),
                    source = 'import'""")
            conn.execute(f"""
                INSERT INTO insights (page_id, metric, period, end_time, value, source)
                SELECT page_id, metric, period, end_time, value, 'import'
                FROM temp.import_plan_insights WHERE state IN {wanted}
                ON CONFLICT (page_id, metric, period, end_time) DO UPDATE SET
                    value = excluded.value, source = 'import'""")


def _day_times(day: date) -> tuple[str, str, str, str]:
    """A day's row for import_days: when its UK day starts and ends (readings), and when
    Meta's Pacific day of that date ends (Insights)."""
    return (day.isoformat(), to_utc_text(uk_day_start(day)),
            to_utc_text(uk_day_start(day + timedelta(days=1))),
            to_utc_text(meta_day_end(day)))


_COMPARE_SQL = (
    """
    DROP TABLE IF EXISTS temp.import_plan_readings
    """,
    """
    CREATE TEMP TABLE import_plan_readings AS
        SELECT r.page_id, r.day, d.starts AS taken_at,
            CAST(r.followers AS INTEGER) AS followers, CAST(r.fans AS INTEGER) AS fans,
            CAST(r.talking_about AS INTEGER) AS talking_about,
            CASE
                WHEN EXISTS (SELECT 1 FROM readings s WHERE s.page_id = r.page_id
                     AND s.taken_at >= d.starts AND s.taken_at < d.ends
                     AND s.source != 'import') THEN 'synced'
                WHEN old.page_id IS NULL THEN 'new'
                WHEN coalesce(CAST(r.followers AS INTEGER), old.followers)
                         IS old.followers
                     AND coalesce(CAST(r.fans AS INTEGER), old.fans) IS old.fans
                     AND coalesce(CAST(r.talking_about AS INTEGER), old.talking_about)
                         IS old.talking_about THEN 'unchanged'
                ELSE 'changed' END AS state
        FROM temp.import_readings r
        JOIN temp.import_days d ON d.day = r.day
        LEFT JOIN readings old ON old.page_id = r.page_id AND old.taken_at = d.starts
            AND old.source = 'import'
    """,
    """
    DROP TABLE IF EXISTS temp.import_plan_insights
    """,
    """
    CREATE TEMP TABLE import_plan_insights AS
        SELECT i.page_id, i.metric, i.period, d.end_time, i.value, i.day,
            CASE WHEN old.page_id IS NULL THEN 'new'
                 WHEN old.value IS i.value THEN 'unchanged'
                 WHEN old.source = 'graph' THEN 'synced'
                 ELSE 'changed' END AS state
        FROM temp.import_insights i
        JOIN temp.import_days d ON d.day = i.day
        LEFT JOIN insights old ON old.page_id = i.page_id AND old.metric = i.metric
            AND old.period = i.period AND old.end_time = d.end_time
    """,
)
