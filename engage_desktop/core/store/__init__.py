"""The SQLite file: opening it safely, its schema, and typed reads and writes.

``open_store(path)`` (:mod:`.opening`) checks a file before touching it and opens it: in WAL
mode with a busy timeout and foreign keys on, brought up to date with the migrations in
:mod:`.schema`; or, for a copy published for the team, a file that cannot be written, or with
``read_only``, without ever writing to it (:mod:`.read_only`).

:class:`Store` is the facade the rest of the program uses: one connection
(:mod:`.connection`), for one thread, and a repository per group of tables, each in a module of
its own: :mod:`.pages`, :mod:`.readings`, :mod:`.insights` (with
``metric_status``), :mod:`.notes`, :mod:`.runs` (``sync_runs``, ``sync_errors``),
:mod:`.alerts`, :mod:`.settings`; and :mod:`.staging` (an import's scratch tables) and
:mod:`.copies` (the copy published for the team). No SQL runs outside this package.
Writers take turns (SQLite allows one at a time; the busy timeout makes the second wait);
readers on their own connections are not blocked.

The facade is long only because it names every read and write in one place; each method hands
the work to its repository.
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engage_desktop.core.engagement import Thresholds
from engage_desktop.core.models import (
    Alert,
    DailyReading,
    InsightValue,
    MetricStatus,
    Note,
    Page,
    PageInfo,
    PageOverview,
    Reading,
    RunStatus,
    SyncError,
    SyncRun,
    TokenStatus,
)
from engage_desktop.core.store import copies
from engage_desktop.core.store import read_only as readonly
from engage_desktop.core.store.alerts import Alerts
from engage_desktop.core.store.connection import Connection
from engage_desktop.core.store.insights import Insights
from engage_desktop.core.store.notes import Notes
from engage_desktop.core.store.opening import BUSY_TIMEOUT_SECONDS, open_store
from engage_desktop.core.store.pages import Pages
from engage_desktop.core.store.pages import page_from_row as _page  # noqa: F401 (tests)
from engage_desktop.core.store.readings import Readings
from engage_desktop.core.store.readings import reading_from_row as _reading  # noqa: F401
from engage_desktop.core.store.runs import SyncRuns
from engage_desktop.core.store.settings import Settings as StoredSettings
from engage_desktop.core.store.staging import Staging
from engage_desktop.core.store.translation import translate as _translate  # noqa: F401

if TYPE_CHECKING:
    from sqlite_utils import Database

__all__ = ["BUSY_TIMEOUT_SECONDS", "Store", "open_store"]
# _page, _reading and _translate keep the names they had here before the store was split:
# tests and benchmarks import them from here.


class Store:
    """Typed reads and writes over one connection to an Engage Desktop database."""

    def __init__(self, conn: sqlite3.Connection, path: Path,
                 read_only: readonly.ReadOnly | None = None) -> None:
        self._connection = Connection(conn, path, read_only)
        self._pages = Pages(self._connection)
        self._readings = Readings(self._connection)
        self._insights = Insights(self._connection)
        self._notes = Notes(self._connection)
        self._runs = SyncRuns(self._connection)
        self._alerts = Alerts(self._connection)
        self.staging = Staging(self._connection)  # an import's scratch tables

    @property
    def conn(self) -> sqlite3.Connection:
        return self._connection.conn

    @property
    def path(self) -> Path:
        return self._connection.path

    @property
    def read_only(self) -> readonly.ReadOnly | None:
        """Why it is open read-only (None: it may be written)."""
        return self._connection.read_only

    @property
    def warnings(self) -> list[str]:
        """What was found wrong while reading (unreadable rows, unusable settings), in words."""
        return self._connection.warnings

    @property
    def db(self) -> Database:
        """The sqlite-utils view of the connection, made on first use."""
        return self._connection.db

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def transaction(self) -> contextlib.AbstractContextManager[None]:
        """Several writes that land together or not at all (see
        :meth:`.connection.Connection.transaction`)."""
        return self._connection.transaction()

    def ensure_writable(self) -> None:
        """Raise :class:`~engage_desktop.core.errors.ReadOnlyDatabaseError`, with the reason
        and what to do, when the database is open read-only."""
        self._connection.ensure_writable()

    def write_published_copy(self, copy: Path, *, read: Callable[[], copies.Moment],
                             table: str, rows: Callable[[copies.Moment], list[dict[str, Any]]],
                             columns: dict[str, type], setting: tuple[str, Any]
                             ) -> tuple[copies.Moment, int, int]:
        """Write the copy of the database published for the team into ``copy``, with a table
        and a setting of its own (see :func:`.copies.write_copy`)."""
        return copies.write_copy(self._connection, copy, read=read, table=table, rows=rows,
                                 columns=columns, setting=setting)

    # Pages -----------------------------------------------------------------------------------

    def upsert_pages(self, pages: Iterable[PageInfo]) -> None:
        """Add Pages, or refresh what Meta says about known ones (see :mod:`.pages`)."""
        self._pages.upsert(pages)

    def pages(self, *, followed_only: bool = False) -> list[Page]:
        return self._pages.all(followed_only=followed_only)

    def page(self, page_id: str) -> Page | None:
        return self._pages.page(page_id)

    def find_page(self, ref: str) -> Page | None:
        """A Page by its ID or its username (any case)."""
        return self._pages.find(ref)

    def page_named(self, name: str) -> Page | None:
        """A Page by its name (any case)."""
        return self._pages.named(name)

    def followed(self, page_ids: Iterable[str]) -> set[str]:
        """Which of these Pages are still in the database and followed."""
        return self._pages.followed(page_ids)

    def set_followed(self, page_ids: Sequence[str], followed: bool) -> None:
        self._pages.set_followed(page_ids, followed)

    def set_page_description(self, page_id: str, description: str) -> None:
        """The officer's own description of a Page; empty clears it."""
        self._pages.set_description(page_id, description)

    def set_token_status(self, page_ids: Sequence[str], status: TokenStatus,
                         problem: str | None = None) -> None:
        """Record whether the keyring holds a working token for these Pages (never the
        token), and why not in words."""
        self._pages.set_token_status(page_ids, status, problem)

    def delete_pages(self, page_ids: Sequence[str]) -> None:
        """Remove Pages with their readings, Insights and notes."""
        self._pages.delete(page_ids)

    def remove_demo_pages_and_notes(self) -> None:
        """Remove every Page and every note: only the demo, writing its data afresh into a
        database holding nothing else, does this."""
        with self.transaction():
            self._pages.remove_all()
            self._notes.remove_all()

    # Readings --------------------------------------------------------------------------------

    def add_readings(self, readings: Iterable[Reading]) -> int:
        """Store readings in one transaction; the same reading twice is one row."""
        return self._readings.add(readings)

    def latest_readings(self) -> dict[str, Reading]:
        """The newest reading of every Page that has one, keyed by Page ID."""
        return self._readings.latest()

    def readings_not_from(self, source: str) -> int:
        """How many readings came from elsewhere than ``source``."""
        return self._readings.count_not_from(source)

    def latest_synced_audience(self, page_id: str) -> tuple[str, int] | None:
        """When a Page's latest reading not from an import was taken (UTC text), and its
        audience; None when there is none."""
        return self._readings.latest_synced_audience(page_id)

    def first_day(self, today: date) -> date:
        """The first day of "All": the oldest reading's UK day, or ``today``."""
        return self._readings.first_day(today)

    def daily_series(self, page_id: str, first: date, last: date) -> list[DailyReading]:
        """The last reading of each UK day from ``first`` to ``last``."""
        return self._readings.daily_series(page_id, first, last)

    def daily_series_of(self, page_ids: Sequence[str], first: date, last: date
                        ) -> dict[str, list[DailyReading]]:
        """:meth:`daily_series` of several Pages in one query, keyed by Page ID."""
        return self._readings.daily_series_of(page_ids, first, last)

    def page_overviews(self) -> list[PageOverview]:
        """Every followed Page with its latest reading and the trend's two weekly averages."""
        return self._readings.overviews()

    # Insights --------------------------------------------------------------------------------

    def add_insights(self, values: Iterable[InsightValue]) -> int:
        """Store Insights values; a value already stored is replaced."""
        return self._insights.add(values)

    def daily_total(self, page_id: str, metric: str, first: date, last: date
                    ) -> tuple[float, int]:
        """The sum of a daily Insights metric over Meta's days ``first`` to ``last``, and how
        many of those days have a value."""
        return self._insights.daily_total(page_id, metric, first, last)

    def insights(self, page_id: str, metric: str) -> list[InsightValue]:
        return self._insights.values(page_id, metric)

    def metric_statuses(self) -> dict[tuple[str, str], MetricStatus]:
        return self._insights.statuses()

    def record_metric(self, page_id: str, metric: str, *, ok: bool,
                      covered: tuple[date, date] | None = None,
                      error: str | None = None) -> None:
        """After a request for a metric: Meta sent values for the days ``covered``, or refused
        it (see :meth:`.insights.Insights.record_metric`)."""
        self._insights.record_metric(page_id, metric, ok=ok, covered=covered, error=error)

    def note_metric_error(self, page_id: str, metrics: Sequence[str], error: str) -> None:
        """Remember why Meta refused these metrics for a Page, without giving up on them."""
        self._insights.note_metric_error(page_id, metrics, error)

    def note_metric_empty(self, page_id: str, metric: str, reason: str) -> None:
        """Meta answered without values for a metric: the days asked stay uncovered."""
        self._insights.note_metric_empty(page_id, metric, reason)

    def reset_unavailable_metrics(self) -> None:
        """Ask Meta again for metrics it refused (after the API version changes)."""
        self._insights.reset_unavailable()

    # Settings --------------------------------------------------------------------------------

    @functools.cached_property
    def settings(self) -> StoredSettings:
        """The settings table, read and written as the settings declared in
        :mod:`engage_desktop.core.settings` (:mod:`.settings`)."""
        return StoredSettings(self._connection)

    def thresholds(self, measure: str = "talking_about") -> Thresholds:
        """The stored traffic-light thresholds (of the talking-about measure, or of the
        interactions measure used when talking-about is absent); the defaults when none are
        stored, or (with a warning naming the problem) when the stored ones cannot be used."""
        return self.settings.thresholds(measure)

    def set_thresholds(self, thresholds: Thresholds, measure: str = "talking_about") -> None:
        self.settings.set_thresholds(thresholds, measure)

    # Notes -----------------------------------------------------------------------------------

    def add_note(self, day: date, text: str, page_id: str | None = None) -> bool:
        """Note what happened on a day, for one Page or (``page_id=None``) for all; ``False``
        when the same note was already there."""
        return self._notes.add(day, text, page_id)

    def update_note(self, note_id: int, text: str, page_id: str | None = None,
                          day: date | None = None) -> None:
        """Change a note: its text, whom it is for and, when ``day`` is given, its day."""
        self._notes.update(note_id, text, page_id, day)

    def delete_note(self, note_id: int) -> bool:
        """Remove a note; ``False`` when it was not there."""
        return self._notes.delete(note_id)

    def notes(self, first: date, last: date,
                    page_ids: Sequence[str] | None = None) -> list[Note]:
        """Notes from ``first`` to ``last``: those for all Pages, and those for ``page_ids``
        (or for every Page when ``page_ids`` is None)."""
        return self._notes.between(first, last, page_ids)

    # Sync runs -------------------------------------------------------------------------------

    def start_sync_run(self, api_version: str | None = None) -> int:
        return self._runs.start(api_version)

    def finish_sync_run(
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
        self._runs.finish(run_id, status, pages_ok=pages_ok, pages_failed=pages_failed,
                          requests=requests, api_version=api_version,
                          resume_after=resume_after, message=message, errors_=errors_)

    def close_abandoned_runs(self, message: str) -> int:
        """Mark failed the runs still marked running when no sync holds the lock."""
        return self._runs.close_abandoned(message)

    def sync_runs(self, limit: int = 20) -> list[SyncRun]:
        """The most recent runs, newest first."""
        return self._runs.recent(limit)

    def page_problems(self) -> dict[str, str]:
        """What is wrong with each Page, in words with what to do."""
        return self._runs.page_problems()

    def sync_errors(self, run_id: int) -> list[SyncError]:
        return self._runs.errors(run_id)

    # Alerts ----------------------------------------------------------------------------------

    def add_alerts(self, alerts: Iterable[tuple[str, str, date, dict[str, Any], str]]
                   ) -> list[int]:
        """Record alerts (Page, kind, UK day, numbers, sentence) in one transaction; returns
        the IDs of those recorded now."""
        return self._alerts.add(alerts)

    def alerts(self, *, unseen_only: bool = True, since: date | None = None,
               ids: Sequence[int] | None = None) -> list[Alert]:
        """Alerts, newest first (within a day, the most urgent kind first)."""
        return self._alerts.listed(unseen_only=unseen_only, since=since, ids=ids)

    def alert_history(self) -> list[tuple[str, str, date]]:
        """Every readable alert's Page, kind and day, oldest first."""
        return self._alerts.history()

    def unseen_alert_count(self) -> int:
        """How many readable alerts are not seen yet."""
        return self._alerts.unseen_count()

    def mark_alerts_seen(self, ids: Sequence[int] | None = None) -> int:
        """Mark these alerts (or every unseen one) seen now; returns how many."""
        return self._alerts.mark_seen(ids)

