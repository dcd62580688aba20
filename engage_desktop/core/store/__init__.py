"""The SQLite file: opening it safely, its schema, and typed reads and writes.

``open_store(path)`` checks a file before touching it: a file that is not SQLite, an SQLite
database of some other program, or one written by a newer Engage Desktop is refused and left
byte-for-byte as it was. Our own files are opened in WAL mode with a busy timeout and foreign
keys on, and brought up to date with the migrations in :mod:`.schema`.

One ``Store`` is one connection, for one thread. Writers take turns (SQLite allows one at a
time; the busy timeout makes the second wait); readers on their own connections are not blocked.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from engage_desktop.core import errors
from engage_desktop.core.engagement import Mode, Thresholds
from engage_desktop.core.models import (
    RUN_STATUSES,
    Annotation,
    DailyReading,
    Page,
    PageInfo,
    PageOverview,
    Reading,
    RunStatus,
    SyncError,
    SyncRun,
    TokenStatus,
)
from engage_desktop.core.paths import location_warning
from engage_desktop.core.store.schema import APPLICATION_ID, MIGRATION_SET, migrations
from engage_desktop.core.timeutil import from_utc_text, to_utc_text, uk_day, uk_day_bounds, utc_now

__all__ = ["Store", "open_store"]

BUSY_TIMEOUT_SECONDS = 10.0
_SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True, slots=True)
class _FileCheck:
    fresh: bool  # an empty database: ours to initialise


def open_store(
    path: str | Path,
    *,
    create: bool = True,
    busy_timeout: float = BUSY_TIMEOUT_SECONDS,
) -> Store:
    """Open (and, with ``create``, make) the database at ``path``.

    Raises a :class:`~engage_desktop.core.errors.DatabaseError` subclass, with a message and a
    hint, when the file cannot be used. Such files are never modified.
    """
    path = Path(path).expanduser()
    if path.exists():
        _check_existing(path)
    elif not create:
        raise errors.DatabaseMissingError(
            f"There is no database at {path}.",
            "Check the path, or create one: run 'engage-desktop demo --db PATH' for demo data, "
            "or connect a Facebook token.")
    else:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise errors.DatabaseNotWritableError(
                f"Cannot create the folder {path.parent}: {exc.strerror or exc}.",
                "Choose a folder you can write to with --db or the ENGAGE_DB variable.") from None
    try:
        conn = sqlite3.connect(path, timeout=busy_timeout)
    except sqlite3.Error as exc:
        raise _translate(exc, path) from None
    try:
        db = Database(conn, execute_plugins=False)
        with _translating(path):
            _configure(db, busy_timeout)
            migrations.apply(db)
    except BaseException:
        conn.close()
        raise
    return Store(db, path)


def _check_existing(path: Path) -> None:
    """Refuse, without writing anything, a file we must not open for writing."""
    if path.is_dir():
        raise errors.NotADatabaseError(
            f"{path} is a folder, not a database file.",
            "Give the path of a file, for example engage.sqlite inside that folder.")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(_SQLITE_HEADER))
    except OSError as exc:
        raise errors.DatabaseNotWritableError(
            f"Cannot read {path}: {exc.strerror or exc}.",
            "Check that the file is yours and not open in another program.") from None
    if header and header != _SQLITE_HEADER:
        raise errors.NotADatabaseError(
            f"{path} is not an Engage Desktop database (it is not an SQLite file).",
            "Choose the .sqlite file Engage Desktop made, or a new file name to start afresh. "
            "The file was left untouched.")
    if not header:
        return  # an empty file is an empty database: ours to initialise
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise _translate(exc, path) from None
    try:
        application_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = {row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
        applied: list[str] = []
        if "_sqlite_migrations" in tables:
            applied = [row[0] for row in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [MIGRATION_SET])]
    except sqlite3.Error as exc:
        raise _translate(exc, path) from None
    finally:
        conn.close()
    ours = application_id == APPLICATION_ID or (application_id == 0 and applied)
    if not ours and (tables or application_id != 0):
        raise errors.ForeignDatabaseError(
            f"{path} is an SQLite database made by another program, not by Engage Desktop.",
            "Choose the engage.sqlite file Engage Desktop made, or a new file name. "
            "The file was left untouched.")
    known = {migration.name for migration in migrations.pending(Database(memory=True))}
    unknown = [name for name in applied if name not in known]
    if unknown:
        from engage_desktop import __version__

        raise errors.NewerSchemaError(
            f"{path} was written by a newer version of Engage Desktop than this one "
            f"({__version__}); it has database changes this version does not know "
            f"({', '.join(unknown)}).",
            "Install the newer version to open it. The file was left untouched.")


def _configure(db: Database, busy_timeout: float) -> None:
    db.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
    db.execute("PRAGMA foreign_keys = ON")
    mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() == "wal":
        # In WAL mode NORMAL is durable against crashes of the program, and much faster.
        db.execute("PRAGMA synchronous = NORMAL")


_ERROR_NAMES = {
    "SQLITE_FULL": "full",
    "SQLITE_BUSY": "busy",
    "SQLITE_LOCKED": "busy",
    "SQLITE_NOTADB": "notadb",
    "SQLITE_CORRUPT": "corrupt",
    "SQLITE_CANTOPEN": "cantopen",
    "SQLITE_PERM": "readonly",
    "SQLITE_READONLY": "readonly",
}


def _translate(exc: sqlite3.Error, path: Path) -> errors.DatabaseError:
    name = getattr(exc, "sqlite_errorname", "") or ""
    kind = next((kind for prefix, kind in _ERROR_NAMES.items() if name.startswith(prefix)), None)
    if kind is None:
        text = str(exc).lower()
        kind = ("full" if "full" in text else "busy" if "locked" in text
                else "readonly" if "readonly" in text else "notadb" if "not a database" in text
                else "cantopen" if "unable to open" in text else None)
    if kind == "full":
        return errors.DiskFullError(
            f"The disk holding {path} is full, so the last change was not saved.",
            "Free some space and try again; the data saved before is intact.")
    if kind == "busy":
        return errors.DatabaseBusyError(
            f"{path} is busy: another Engage Desktop window or sync is writing to it.",
            "Wait for it to finish and try again.")
    if kind in ("notadb", "corrupt"):
        return errors.NotADatabaseError(
            f"{path} is damaged or is not an Engage Desktop database.",
            "Restore it from a backup, or choose another file. The file was left untouched.")
    if kind in ("readonly", "cantopen"):
        return errors.DatabaseNotWritableError(
            f"Engage Desktop cannot write to {path} (the file or its folder is read-only).",
            "Choose a folder you can write to with --db or the ENGAGE_DB variable.")
    return errors.DatabaseError(f"The database {path} failed: {exc}.",
                                "Try again; if it keeps failing, restore it from a backup.")


@contextlib.contextmanager
def _translating(path: Path) -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as exc:
        raise _translate(exc, path) from None


class Store:
    """Typed reads and writes over one connection to an Engage Desktop database."""

    def __init__(self, db: Database, path: Path) -> None:
        self.db = db
        self.path = path
        warning = location_warning(path)
        self.warnings: list[str] = [warning] if warning else []

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with _translating(self.path):
            cursor = self.db.conn.cursor()
            cursor.row_factory = sqlite3.Row
            return cursor.execute(sql, params).fetchall()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Several writes that land together or not at all."""
        with _translating(self.path), self.db.atomic():
            yield

    # Pages -----------------------------------------------------------------------------------

    def upsert_pages(self, pages: Iterable[PageInfo]) -> None:
        """Add Pages, or refresh what Meta says about known ones.

        A known Page keeps its tracking choice, notes, token status and the date it was added.
        """
        now = to_utc_text(utc_now())
        rows = [(page.id, page.name, page.username, page.link, page.category, page.kind, now)
                for page in pages]
        with self.transaction():
            self.db.conn.executemany(
                """
                INSERT INTO pages (id, name, username, link, category, kind, added_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET
                    name = excluded.name, username = excluded.username,
                    link = excluded.link, category = excluded.category, kind = excluded.kind
                """,
                rows,
            )

    def pages(self, *, tracked_only: bool = False) -> list[Page]:
        where = "WHERE tracked = 1" if tracked_only else ""
        rows = self._rows(f"SELECT * FROM pages {where} ORDER BY name, id")
        return [_page(row) for row in rows]

    def page(self, page_id: str) -> Page | None:
        rows = self._rows("SELECT * FROM pages WHERE id = ?", [page_id])
        return _page(rows[0]) if rows else None

    def find_page(self, ref: str) -> Page | None:
        """A Page by its ID or its username (any case)."""
        rows = self._rows("SELECT * FROM pages WHERE id = ? OR lower(username) = lower(?) "
                          "ORDER BY id = ? DESC LIMIT 1", [ref, ref, ref])
        return _page(rows[0]) if rows else None

    def set_tracked(self, page_ids: Sequence[str], tracked: bool) -> None:
        with self.transaction():
            self.db.conn.executemany("UPDATE pages SET tracked = ? WHERE id = ?",
                                     [(int(tracked), page_id) for page_id in page_ids])

    def set_token_status(self, page_ids: Sequence[str], status: TokenStatus,
                         problem: str | None = None) -> None:
        """Record whether the keyring holds a working token for these Pages (never the
        token), and why not in words."""
        now = to_utc_text(utc_now())
        with self.transaction():
            self.db.conn.executemany(
                "UPDATE pages SET token_status = ?, token_problem = ?, token_checked_at = ? "
                "WHERE id = ?", [(status, problem, now, page_id) for page_id in page_ids])

    def delete_pages(self, page_ids: Sequence[str]) -> None:
        """Remove Pages with their readings, Insights and notes."""
        with self.transaction():
            self.db.conn.executemany("DELETE FROM pages WHERE id = ?",
                                     [(page_id,) for page_id in page_ids])

    # Snapshots -------------------------------------------------------------------------------

    def add_snapshots(self, readings: Iterable[Reading]) -> int:
        """Store readings in one transaction; the same reading twice is one row.

        A reading for a Page and instant already stored replaces it (a corrected value wins).
        Returns how many readings were given.
        """
        count = 0

        def rows() -> Iterator[dict[str, Any]]:
            nonlocal count
            for reading in readings:
                count += 1
                yield {
                    "page_id": reading.page_id,
                    "taken_at": to_utc_text(reading.taken_at),
                    "followers": reading.followers,
                    "fans": reading.fans,
                    "talking_about": reading.talking_about,
                    "npe": None if reading.npe is None else int(reading.npe),
                    "source": reading.source,
                    "sync_run_id": reading.sync_run_id,
                }

        with self.transaction():
            self.db["snapshots"].upsert_all(rows(), pk=("page_id", "taken_at"), batch_size=500)
        return count

    def latest_readings(self) -> dict[str, Reading]:
        """The newest reading of every Page that has one, keyed by Page ID."""
        rows = self._rows(
            """
            SELECT s.* FROM pages p JOIN snapshots s ON s.page_id = p.id
            AND s.taken_at = (SELECT max(taken_at) FROM snapshots WHERE page_id = p.id)
            """)
        return {row["page_id"]: _reading(row) for row in rows}

    def daily_series(self, page_id: str, first: date, last: date) -> list[DailyReading]:
        """The last reading of each UK day from ``first`` to ``last``; days without one are
        absent (a gap, not a zero)."""
        start, end = uk_day_bounds(first, last)
        rows = self._rows(
            "SELECT * FROM snapshots WHERE page_id = ? AND taken_at >= ? AND taken_at < ? "
            "ORDER BY taken_at",
            [page_id, start, end])
        by_day: dict[date, DailyReading] = {}
        for row in rows:
            reading = _reading(row)
            day = uk_day(reading.taken_at)
            by_day[day] = DailyReading(day, reading.taken_at, reading.followers, reading.fans,
                                       reading.talking_about, reading.npe)
        return list(by_day.values())

    def page_overviews(self) -> list[PageOverview]:
        """Every tracked Page with its latest reading and the two weekly averages the trend
        needs, in one query (index seeks per Page, no scan of the whole history)."""
        ratio = "r.talking_about * 1000.0 / nullif(coalesce(r.followers, r.fans), 0)"
        shifted = "strftime('%Y-%m-%dT%H:%M:%SZ', l.latest_at, '{}')"
        rows = self._rows(
                f"""
                WITH latest AS (
                    SELECT p.id AS page_id,
                        (SELECT max(taken_at) FROM snapshots WHERE page_id = p.id) AS latest_at
                    FROM pages p WHERE p.tracked = 1
                )
                SELECT p.*, l.page_id, s.taken_at, s.followers, s.fans, s.talking_about,
                    s.npe, s.source, s.sync_run_id,
                    (SELECT avg({ratio}) FROM snapshots r WHERE r.page_id = l.page_id
                        AND r.taken_at > {shifted.format('-7 days')}
                        AND r.taken_at <= l.latest_at) AS recent_avg,
                    (SELECT avg({ratio}) FROM snapshots r WHERE r.page_id = l.page_id
                        AND r.taken_at > {shifted.format('-35 days')}
                        AND r.taken_at <= {shifted.format('-28 days')}) AS earlier_avg
                FROM latest l
                JOIN pages p ON p.id = l.page_id
                LEFT JOIN snapshots s ON s.page_id = l.page_id AND s.taken_at = l.latest_at
                ORDER BY p.name, p.id
                """)
        return [
            PageOverview(
                page=_page(row),
                latest=_reading(row) if row["taken_at"] else None,
                recent_avg=row["recent_avg"],
                earlier_avg=row["earlier_avg"],
            )
            for row in rows
        ]

    # Settings --------------------------------------------------------------------------------

    def setting(self, key: str, default: Any = None) -> Any:
        rows = self._rows("SELECT value FROM settings WHERE key = ?", [key])
        return default if not rows else json.loads(rows[0]["value"])

    def set_setting(self, key: str, value: Any) -> None:
        with self.transaction():
            self.db["settings"].upsert({"key": key, "value": json.dumps(value)}, pk="key")

    def thresholds(self) -> Thresholds:
        """The stored traffic-light thresholds; the defaults when none (or broken ones) are
        stored."""
        stored = self.setting("traffic_light", {})
        try:
            default = Thresholds()
            return Thresholds(amber=stored.get("amber", default.amber),
                              green=stored.get("green", default.green),
                              mode=Mode(stored.get("mode", Mode.ABSOLUTE.value)))
        except (errors.InvalidSettingError, ValueError, AttributeError):
            return Thresholds()

    def set_thresholds(self, thresholds: Thresholds) -> None:
        self.set_setting("traffic_light", {"amber": thresholds.amber, "green": thresholds.green,
                                           "mode": thresholds.mode.value})

    # Annotations -----------------------------------------------------------------------------

    def add_annotation(self, day: date, text: str, page_id: str | None = None) -> bool:
        """Note what happened on a day, for one Page or (``page_id=None``) for all.

        Returns ``False`` when the same note was already there.
        """
        text = text.strip()
        if not text:
            raise errors.EngageError("An annotation needs some text.",
                                     "Say what happened on that day, for example 'Storm Bert'.")
        with self.transaction():
            cursor = self.db.execute(
                "INSERT OR IGNORE INTO annotations (page_id, day, text) VALUES (?, ?, ?)",
                [page_id, day.isoformat(), text])
        return cursor.rowcount == 1

    def annotations(self, first: date, last: date,
                    page_ids: Sequence[str] | None = None) -> list[Annotation]:
        """Notes from ``first`` to ``last``: those for all Pages, and those for ``page_ids``
        (or for every Page when ``page_ids`` is None)."""
        sql = "SELECT * FROM annotations WHERE day >= ? AND day <= ?"
        params: list[Any] = [first.isoformat(), last.isoformat()]
        if page_ids is not None:
            marks = ", ".join("?" for _ in page_ids)
            sql += f" AND (page_id IS NULL OR page_id IN ({marks}))"
            params.extend(page_ids)
        rows = self._rows(sql + " ORDER BY day, id", params)
        return [Annotation(row["id"], row["page_id"], date.fromisoformat(row["day"]), row["text"])
                for row in rows]

    # Sync runs -------------------------------------------------------------------------------

    def start_sync_run(self, api_version: str | None = None) -> int:
        with self.transaction():
            cursor = self.db.execute(
                "INSERT INTO sync_runs (started_at, status, api_version) VALUES (?, 'running', ?)",
                [to_utc_text(utc_now()), api_version])
        assert cursor.lastrowid is not None
        return cursor.lastrowid

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
        if status not in RUN_STATUSES or status == "running":
            raise ValueError(f"a run cannot finish as {status!r}")
        with self.transaction():
            self.db.execute(
                """
                UPDATE sync_runs SET finished_at = ?, status = ?, pages_ok = ?, pages_failed = ?,
                    requests = ?, api_version = coalesce(?, api_version), resume_after = ?,
                    message = ?
                WHERE id = ?
                """,
                [to_utc_text(utc_now()), status, pages_ok, pages_failed, requests, api_version,
                 to_utc_text(resume_after) if resume_after else None, message, run_id])
            self.db.conn.executemany(
                "INSERT INTO sync_errors (run_id, page_id, code, subcode, kind, message) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(run_id, e.page_id, e.code, e.subcode, e.kind, e.message) for e in errors_])

    def sync_runs(self, limit: int = 20) -> list[SyncRun]:
        """The most recent runs, newest first."""
        rows = self._rows("SELECT * FROM sync_runs ORDER BY id DESC LIMIT ?", [limit])
        return [_sync_run(row) for row in rows]

    def sync_errors(self, run_id: int) -> list[SyncError]:
        rows = self._rows("SELECT * FROM sync_errors WHERE run_id = ? ORDER BY id", [run_id])
        return [SyncError(row["page_id"], row["kind"], row["message"], row["code"],
                          row["subcode"]) for row in rows]


def _optional_time(text: str | None) -> datetime | None:
    return from_utc_text(text) if text else None


def _optional_bool(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def _page(row: sqlite3.Row) -> Page:
    return Page(
        id=row["id"], name=row["name"], kind=row["kind"], username=row["username"],
        link=row["link"], category=row["category"], tracked=bool(row["tracked"]),
        added_at=from_utc_text(row["added_at"]), token_status=row["token_status"],
        token_checked_at=_optional_time(row["token_checked_at"]), notes=row["notes"],
        token_problem=row["token_problem"])


def _reading(row: sqlite3.Row) -> Reading:
    return Reading(
        page_id=row["page_id"],
        taken_at=from_utc_text(row["taken_at"]), followers=row["followers"], fans=row["fans"],
        talking_about=row["talking_about"], npe=_optional_bool(row["npe"]),
        source=row["source"], sync_run_id=row["sync_run_id"])


def _sync_run(row: sqlite3.Row) -> SyncRun:
    return SyncRun(
        id=row["id"], started_at=from_utc_text(row["started_at"]),
        finished_at=_optional_time(row["finished_at"]), status=row["status"],
        pages_ok=row["pages_ok"], pages_failed=row["pages_failed"], requests=row["requests"],
        api_version=row["api_version"], resume_after=_optional_time(row["resume_after"]),
        message=row["message"])
