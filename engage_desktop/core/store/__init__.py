"""The SQLite file: opening it safely, its schema, and typed reads and writes.

``open_store(path)`` checks a file before touching it: a file that is not SQLite, an SQLite
database of some other program, or one written by a newer Engage Desktop is refused and left
byte-for-byte as it was. Our own files are opened in WAL mode with a busy timeout and foreign
keys on, and brought up to date with the migrations in :mod:`.schema`; a copy published for the
team, a file that cannot be written, or one opened with ``read_only`` is opened without ever
writing to it (:mod:`.read_only`).

One ``Store`` is one connection, for one thread. Writers take turns (SQLite allows one at a
time; the busy timeout makes the second wait); readers on their own connections are not blocked.
"""

from __future__ import annotations

import contextlib
import functools
import json
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engage_desktop.core import errors
from engage_desktop.core.engagement import Thresholds
from engage_desktop.core.models import (
    ALERT_KINDS,
    RUN_STATUSES,
    Alert,
    Annotation,
    DailyReading,
    InsightValue,
    MetricStatus,
    Page,
    PageInfo,
    PageOverview,
    Reading,
    RunStatus,
    SyncError,
    SyncRun,
    TokenStatus,
)
from engage_desktop.core.paths import (
    location_warning,
    make_private_file,
    make_private_folder,
    special_file,
)
from engage_desktop.core.protected import protect_database
from engage_desktop.core.settings import PUBLISHED_COPY
from engage_desktop.core.store import cells
from engage_desktop.core.store import read_only as readonly
from engage_desktop.core.store.settings import Settings as StoredSettings
from engage_desktop.core.store.versions import APPLICATION_ID, MIGRATION_SET, MIGRATIONS
from engage_desktop.core.timeutil import (
    EARLIEST_DAY,
    from_utc_text,
    to_utc_text,
    uk_day,
    uk_day_bounds,
    utc_now,
)

if TYPE_CHECKING:
    from sqlite_utils import Database

__all__ = ["Store", "open_store"]

BUSY_TIMEOUT_SECONDS = 10.0
_SQLITE_HEADER = b"SQLite format 3\x00"


def open_store(
    path: str | Path,
    *,
    create: bool = True,
    busy_timeout: float = BUSY_TIMEOUT_SECONDS,
    any_thread: bool = False,
    read_only: bool = False,
) -> Store:
    """Open (and, with ``create``, make) the database at ``path``.

    With ``read_only``, and whenever the file is a copy published for the team or cannot be
    written, it is opened without ever writing to it (see :mod:`.read_only`): the store's
    ``read_only`` then says why, and every write is refused with that reason.

    With ``any_thread`` the connection may be handed from one thread to another (never used by
    two at once): the window reads its first traffic light on a thread of its own.

    Raises a :class:`~engage_desktop.core.errors.DatabaseError` subclass, with a message and a
    hint, when the file cannot be used. Such files are never modified.
    """
    path = Path(path).expanduser()
    try:
        exists = path.exists()
    except OSError as exc:
        raise _unreadable(path, exc) from None
    marks = None if not exists else _check_existing(path, create=create and not read_only)
    fresh = marks is None or marks.fresh
    if marks is not None:
        why = readonly.reason(path, asked=read_only, published_value=marks.published)
        if why is not None:
            return _open_read_only(path, why, marks, busy_timeout, any_thread)
    if not exists:
        if not create or read_only:
            raise errors.DatabaseMissingError(
                f"There is no database at {path}.",
                "Check the path, or create one: run 'engage-desktop demo --db PATH' for demo "
                "data, or connect a Facebook token.")
        try:
            make_private_folder(path.parent)
        except OSError as exc:
            raise errors.DatabaseNotWritableError(
                f"Cannot create the folder {path.parent}: {exc.strerror or exc}.",
                "Choose a folder you can write to with --db or the ENGAGE_DB variable.") from None
        try:
            make_private_file(path)  # SQLite gives its -wal and -shm the same permissions
        except OSError as exc:
            raise errors.DatabaseNotWritableError(
                f"Engage Desktop cannot write to {path} ({exc.strerror or exc}).",
                "Choose a folder you can write to with --db or the ENGAGE_DB variable.") from None
    try:
        conn = sqlite3.connect(path, timeout=busy_timeout, check_same_thread=not any_thread)
    except sqlite3.Error as exc:
        raise _translate(exc, path) from None
    try:
        with _translating(path):
            if fresh:
                # Mark the file as ours before anything else, so a first run that fails part
                # way (a full disk) leaves a file the next run recognises and finishes.
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            _configure(conn, busy_timeout)
            if _pending_migrations(conn):
                _migrate(conn)
    except BaseException:
        conn.close()
        raise
    protect_database(path)  # no export in this process may replace it
    return Store(conn, path)


def _open_read_only(path: Path, why: readonly.ReadOnly, marks: _Marks, busy_timeout: float,
                    any_thread: bool) -> Store:
    """The store of an existing database opened without writing (``why`` says why)."""
    if marks.fresh:
        raise errors.DatabaseError(
            f"{path} holds no Engage Desktop data yet, and {why.reason}, so it cannot be set "
            "up.", "Choose the engage.sqlite file Engage Desktop made. The file was left "
                   "untouched.")
    pending = [name for name in MIGRATIONS if name not in marks.applied]
    try:
        conn = readonly.connect(path, busy_timeout=busy_timeout, any_thread=any_thread)
    except sqlite3.Error as exc:
        raise _translate(exc, path) from None
    try:
        with _translating(path):
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # readable now
        if pending:
            conn = _brought_up_to_date_in_memory(conn, path, pending, why, any_thread)
        conn.create_function("uk_day", 1, _uk_day_sql, deterministic=True)
    except BaseException:
        conn.close()
        raise
    protect_database(path)
    store = Store(conn, path, read_only=why)
    if pending:
        store.warnings.append(readonly.OLDER_COPY)
    return store


def _brought_up_to_date_in_memory(file: sqlite3.Connection, path: Path, pending: list[str],
                                  why: readonly.ReadOnly,
                                  any_thread: bool) -> sqlite3.Connection:
    """A database from an older version, opened read-only: copied into memory (with SQLite's
    backup, one consistent moment) and brought up to date there, so that this version reads
    it; the file is never written. Closes ``file``."""
    from sqlite_utils import Database

    from engage_desktop.core.store.schema import migrations

    memory = sqlite3.connect(":memory:", check_same_thread=not any_thread)
    try:
        try:
            with _translating(path):
                file.backup(memory)
        finally:
            file.close()
        migrations.apply(Database(memory, execute_plugins=False))
        memory.execute("PRAGMA query_only = ON")
    except errors.DatabaseError:
        memory.close()
        raise
    except (sqlite3.Error, MemoryError) as exc:
        memory.close()
        raise readonly.older_schema(path, pending, why, exc) from None
    return memory


def _migrate(conn: sqlite3.Connection) -> None:
    """Apply the pending migrations holding the write lock, so that any number of programs
    opening an old (or new) database at once take turns: the first migrates, the others wait
    (up to the busy timeout), then find nothing left to do."""
    from sqlite_utils import Database

    from engage_desktop.core.store.schema import migrations

    conn.execute("BEGIN IMMEDIATE")
    try:
        if _pending_migrations(conn):  # again: another program may have just done it
            migrations.apply(Database(conn, execute_plugins=False))
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _pending_migrations(conn: sqlite3.Connection) -> list[str]:
    tables = {row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    applied: set[str] = set()
    if "_sqlite_migrations" in tables:
        applied = {row[0] for row in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [MIGRATION_SET])}
    return [name for name in MIGRATIONS if name not in applied]


@dataclass(frozen=True)
class _Marks:
    """What an existing file says of itself, read without writing: whether it is an empty
    database ours to initialise, the migrations applied, and its ``published_copy`` setting."""

    fresh: bool
    applied: tuple[str, ...] = ()
    published: str | None = None


def _check_existing(path: Path, *, create: bool) -> _Marks:
    """Refuse, without writing anything, a file we must not open for writing. Says whether
    it is an empty database, ours to initialise (an empty file is, when ``create``)."""
    if path.is_dir():
        raise errors.NotADatabaseError(
            f"{path} is a folder, not a database file.",
            "Give the path of a file, for example engage.sqlite inside that folder.")
    kind = special_file(path)
    if kind:
        # Opening a pipe would wait for ever; SQLite would write a journal beside a device.
        raise errors.NotADatabaseError(
            f"{path} is {kind}, not a database file.",
            "Give the path of a database file, such as engage.sqlite.")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(_SQLITE_HEADER))
    except OSError as exc:
        raise _unreadable(path, exc) from None
    if header and header != _SQLITE_HEADER:
        raise errors.NotADatabaseError(
            f"{path} is not an Engage Desktop database (it is not an SQLite file).",
            "Choose the .sqlite file Engage Desktop made, or a new file name to start afresh. "
            "The file was left untouched.")
    if not header:
        if not create:
            raise errors.NotADatabaseError(
                f"{path} is an empty file, not an Engage Desktop database.",
                "Choose the engage.sqlite file Engage Desktop made. To start a new database "
                "in that file, import files or connect a token with --db. The file was left "
                "untouched.")
        return _Marks(fresh=True)  # an empty file named for a new database is one
    for _attempt in range(_PRE_CHECK_ATTEMPTS):
        before = _signature(path)
        failure: sqlite3.Error | None = None
        try:
            found = _read_marks(path)
        except sqlite3.Error as exc:
            failure = exc
        if _signature(path) == before:
            break  # what a file that did not change says is the file's answer
        time.sleep(0.05)  # another program wrote to it while it was read: read it again
    else:
        raise errors.DatabaseBusyError(
            f"{path} kept changing while Engage Desktop checked it: another program is "
            "writing to it.", "Try again when it has finished.")
    if failure is not None:
        raise _translate(failure, path) from None
    application_id, tables, applied, published = found
    if application_id == 0 and tables <= {"_sqlite_migrations"} and not applied:
        return _Marks(fresh=True)  # empty, or a first run stopped before the schema was written
    if application_id != APPLICATION_ID and not (application_id == 0 and applied):
        raise errors.ForeignDatabaseError(
            f"{path} is an SQLite database made by another program, not by Engage Desktop.",
            "Choose the engage.sqlite file Engage Desktop made, or a new file name. "
            "The file was left untouched.")
    unknown = [name for name in applied if name not in MIGRATIONS]
    if unknown:
        from engage_desktop import __version__

        raise errors.NewerSchemaError(
            f"{path} was written by a newer version of Engage Desktop than this one "
            f"({__version__}); it has database changes this version does not know "
            f"({', '.join(unknown)}).",
            "Install the newer version to open it. The file was left untouched.")
    return _Marks(fresh=False, applied=tuple(applied), published=published)


_PRE_CHECK_ATTEMPTS = 5


def _signature(path: Path) -> tuple[float, ...]:
    """What changes when another program writes to a database or its write-ahead log."""
    marks: list[float] = []
    for name in (path.name, path.name + "-wal"):
        try:
            found = path.with_name(name).stat()
        except OSError:
            marks += [-1, -1]
        else:
            marks += [found.st_mtime_ns, found.st_size]
    return tuple(marks)


def _read_marks(path: Path) -> tuple[int, set[str], list[str], str | None]:
    """The file's application ID, tables, applied migrations and ``published_copy`` setting,
    read without writing.

    Read-only, and "immutable" unless another program has a write-ahead log open beside it:
    then SQLite creates no -wal or -shm files of its own next to a file we may refuse. An
    immutable read of a file another program is writing can fail or see half a change, so the
    caller compares the file before and after."""
    wal = path.with_name(path.name + "-wal")
    uri = f"{path.resolve().as_uri()}?mode=ro" + ("" if wal.exists() else "&immutable=1")
    conn = sqlite3.connect(uri, uri=True)
    try:
        application_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = {row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
        applied: list[str] = []
        if "_sqlite_migrations" in tables:
            applied = [row[0] for row in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [MIGRATION_SET])]
        published = None
        if "settings" in tables:
            row = conn.execute("SELECT value FROM settings WHERE key = ?",
                               [PUBLISHED_COPY.key]).fetchone()
            published = None if row is None else str(row[0])
    finally:
        conn.close()
    return application_id, tables, applied, published


def _unreadable(path: Path, exc: OSError) -> errors.DatabaseError:
    return errors.DatabaseError(
        f"Cannot read {path}: {exc.strerror or exc}.",
        "Check that you may open that folder and file, and that no other program locks it.")


def _pacific_day_end(day: date) -> datetime:
    """When Meta's day ``day`` ends (Insights days end at midnight Pacific time)."""
    from datetime import time, timedelta
    from zoneinfo import ZoneInfo

    return datetime.combine(day + timedelta(days=1), time(0, 0),
                            tzinfo=ZoneInfo("America/Los_Angeles"))


def _configure(conn: sqlite3.Connection, busy_timeout: float) -> None:
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    mode = _switch_to_wal(conn, busy_timeout)
    if str(mode).lower() == "wal":
        # In WAL mode NORMAL is durable against crashes of the program, and much faster.
        conn.execute("PRAGMA synchronous = NORMAL")
    conn.create_function("uk_day", 1, _uk_day_sql, deterministic=True)


def _switch_to_wal(conn: sqlite3.Connection, busy_timeout: float) -> str:
    """Turn on write-ahead logging (it stays on in the file). Switching needs the file to
    itself, and SQLite answers "locked" at once, without waiting, while another program opens
    it at the same moment: so wait here, as the busy timeout would."""
    deadline = time.monotonic() + busy_timeout
    while True:
        try:
            return str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0])
        except sqlite3.OperationalError as exc:
            if not getattr(exc, "sqlite_errorname", "").startswith(_BUSY) \
                    or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


@functools.lru_cache(maxsize=4096)
def _uk_day_of_hour(hour_prefix: str) -> str:
    """The UK date of an instant, from its first 13 characters ("2026-06-01T23"): the UK
    offset only changes on the hour, so this is exact and caches well."""
    return uk_day(from_utc_text(hour_prefix + ":00:00Z")).isoformat()


def _uk_day_sql(taken_at: object) -> str | None:
    try:
        return _uk_day_of_hour(taken_at[:13])  # type: ignore[index]
    except (TypeError, ValueError, OverflowError):  # none, or a cell edited into nonsense
        return None


# SQLite's extended result names (exc.sqlite_errorname), by what they mean to a person.
_DISK_FULL = ("SQLITE_FULL", "SQLITE_IOERR_SHMSIZE", "SQLITE_IOERR_WRITE", "SQLITE_IOERR_FSYNC",
              "SQLITE_IOERR_TRUNCATE")
_READ_FAILED = ("SQLITE_IOERR_SHORT_READ", "SQLITE_IOERR_READ")
_BUSY = ("SQLITE_BUSY", "SQLITE_LOCKED")
_DAMAGED = ("SQLITE_NOTADB", "SQLITE_CORRUPT")
_READ_ONLY = ("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")
_BAD_DATA = ("SQLITE_CONSTRAINT", "SQLITE_MISMATCH", "SQLITE_TOOBIG", "SQLITE_RANGE")


def _translate(exc: Exception, path: Path) -> errors.DatabaseError:
    name = getattr(exc, "sqlite_errorname", "") or ""
    if isinstance(exc, OverflowError) or name.startswith(_BAD_DATA):
        return errors.InvalidDataError(
            f"Engage Desktop could not save these figures: {_plain(exc)}.",
            "Nothing was saved. Check the figures: no negative or impossibly large numbers, "
            "and each Page added before its readings.")
    if name.startswith(_DISK_FULL):
        return errors.DiskFullError(
            f"Could not write to {path}: the disk is full (or failing), so the last change "
            "was not saved.",
            "Free some space and try again; the data saved before is intact.")
    if name.startswith(_READ_FAILED):
        return errors.DatabaseError(
            f"Could not read {path}: it changed while being read, or the disk failed to read "
            "it.", "Try again; if it keeps failing, check the disk or restore the file from "
                   "a backup.")
    if name.startswith(_BUSY):
        return errors.DatabaseBusyError(
            f"{path} is locked by another program: an Engage Desktop window or sync, or a "
            "database tool (such as DB Browser for SQLite) with a change not yet saved.",
            "Wait for it to finish, or save or close the change in that program, and try "
            "again.")
    if name.startswith(_DAMAGED):
        return errors.NotADatabaseError(
            f"{path} is damaged or is not an Engage Desktop database.",
            "Restore it from a backup, or choose another file. The file was left untouched.")
    if name.startswith(_READ_ONLY):
        return errors.DatabaseNotWritableError(
            f"Engage Desktop cannot write to {path} (the file or its folder is read-only).",
            "Choose a folder you can write to with --db or the ENGAGE_DB variable.")
    return errors.DatabaseError(f"The database {path} failed: {_plain(exc)}.",
                                "Try again; if it keeps failing, restore it from a backup.")


def _plain(exc: Exception) -> str:
    text = str(exc)
    if isinstance(exc, OverflowError):
        return "a number is too large to store"
    return text.replace("CHECK constraint failed: ", "a value is out of range: ").replace(
        "FOREIGN KEY constraint failed", "a reading or note refers to a Page that is not there")


@contextlib.contextmanager
def _translating(path: Path) -> Iterator[None]:
    try:
        yield
    except (sqlite3.Error, OverflowError) as exc:
        raise _translate(exc, path) from None


class Store:
    """Typed reads and writes over one connection to an Engage Desktop database."""

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

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with _translating(self.path):
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
        with _translating(self.path):
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

    # Pages -----------------------------------------------------------------------------------

    def upsert_pages(self, pages: Iterable[PageInfo]) -> None:
        """Add Pages, or refresh what Meta says about known ones.

        A known Page keeps its tracking choice, notes, token status and the date it was added.
        """
        now = to_utc_text(utc_now())
        rows = [(page.id, page.name, page.username, page.link, page.category, page.kind, now)
                for page in pages]
        with self.transaction():
            self.conn.executemany(
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
        rows = self._readable("pages", self._rows(
            f"SELECT *, {_PAGE_PROBLEM} AS problem FROM pages {where} ORDER BY name, id"))
        return [_page(row) for row in rows]

    def page(self, page_id: str) -> Page | None:
        rows = self._readable("pages", self._rows(
            f"SELECT *, {_PAGE_PROBLEM} AS problem FROM pages WHERE id = ?", [page_id]))
        return _page(rows[0]) if rows else None

    def find_page(self, ref: str) -> Page | None:
        """A Page by its ID or its username (any case)."""
        rows = self._readable("pages", self._rows(
            f"SELECT *, {_PAGE_PROBLEM} AS problem FROM pages WHERE id = ? OR "
            "lower(username) = lower(?) ORDER BY id = ? DESC LIMIT 1", [ref, ref, ref]))
        return _page(rows[0]) if rows else None

    def followed(self, page_ids: Iterable[str]) -> set[str]:
        """Which of these Pages are still in the database and followed (one may be forgotten
        while a sync runs: the sync asks this in the transaction that writes for them)."""
        rows = self._rows("SELECT id FROM pages WHERE tracked = 1 AND id IN "
                          "(SELECT value FROM json_each(?))", [json.dumps(list(page_ids))])
        return {row["id"] for row in rows}

    def set_tracked(self, page_ids: Sequence[str], tracked: bool) -> None:
        with self.transaction():
            self.conn.executemany("UPDATE pages SET tracked = ? WHERE id = ?",
                                     [(int(tracked), page_id) for page_id in page_ids])

    def set_page_notes(self, page_id: str, notes: str) -> None:
        """The officer's own notes about a Page (who runs it, what it is for); empty clears
        them. Names come from Meta and are never edited here."""
        text = notes.strip()
        if len(text) > 2000:
            raise errors.EngageError("Notes about a Page are limited to 2,000 characters.",
                                     "Shorten them, or keep longer notes elsewhere.")
        with self.transaction():
            self.conn.execute("UPDATE pages SET notes = ? WHERE id = ?", [text or None, page_id])

    def set_token_status(self, page_ids: Sequence[str], status: TokenStatus,
                         problem: str | None = None) -> None:
        """Record whether the keyring holds a working token for these Pages (never the
        token), and why not in words."""
        now = to_utc_text(utc_now())
        with self.transaction():
            self.conn.executemany(
                "UPDATE pages SET token_status = ?, token_problem = ?, token_checked_at = ? "
                "WHERE id = ?", [(status, problem, now, page_id) for page_id in page_ids])

    def delete_pages(self, page_ids: Sequence[str]) -> None:
        """Remove Pages with their readings, Insights and notes."""
        with self.transaction():
            self.conn.executemany("DELETE FROM pages WHERE id = ?",
                                     [(page_id,) for page_id in page_ids])

    # Snapshots -------------------------------------------------------------------------------

    def add_snapshots(self, readings: Iterable[Reading]) -> int:
        """Store readings in one transaction; the same reading twice is one row.

        A reading for a Page and instant already stored replaces it (a corrected value wins).
        Returns how many readings were given.
        """
        rows = (
            (r.page_id, to_utc_text(r.taken_at), r.followers, r.fans, r.talking_about,
             None if r.npe is None else int(r.npe), r.source, r.sync_run_id)
            for r in readings)
        with self.transaction():
            cursor = self.conn.executemany(
                """
                INSERT INTO snapshots (page_id, taken_at, followers, fans, talking_about, npe,
                    source, sync_run_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (page_id, taken_at) DO UPDATE SET
                    followers = excluded.followers, fans = excluded.fans,
                    talking_about = excluded.talking_about, npe = excluded.npe,
                    source = excluded.source, sync_run_id = excluded.sync_run_id
                """, rows)
        return cursor.rowcount

    def latest_readings(self) -> dict[str, Reading]:
        """The newest reading of every Page that has one, keyed by Page ID."""
        rows = self._rows(
            f"""
            SELECT p.id AS page, s.*,
                (SELECT max(taken_at) FROM snapshots WHERE page_id = p.id) AS newest
            FROM pages p LEFT JOIN snapshots s ON s.page_id = p.id AND s.taken_at = (
                SELECT max(taken_at) FROM snapshots WHERE page_id = p.id AND {_GOOD_READING})
            """)
        self._report_readings(row["page"] for row in rows if row["newest"] != row["taken_at"])
        return {row["page_id"]: _reading(row) for row in rows if row["taken_at"] is not None}

    def first_day(self, today: date) -> date:
        """The first day of "All": the oldest reading's UK day (not before the earliest day a
        chart covers, nor after ``today``), or ``today`` when there is none."""
        # one index seek per Page (a plain min() over snapshots reads the whole table), past
        # any time edited into nonsense
        oldest = self.conn.execute(
            "SELECT min((SELECT min(taken_at) FROM snapshots WHERE page_id = pages.id "
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
        rows = self.conn.execute(
            f"SELECT page_id, taken_at, followers, fans, talking_about, npe, {_GOOD_READING} "
            "FROM snapshots WHERE page_id IN (SELECT value FROM json_each(?)) "
            "AND taken_at >= ? AND taken_at < ? ORDER BY page_id, taken_at",
            [json.dumps(list(page_ids)), start, end]).fetchall()
        by_page: dict[str, dict[str, tuple]] = {}
        unreadable = set()
        for row in rows:
            if not row[6]:
                unreadable.add(row[0])
                continue
            taken_at = row[1]
            # the UK day is the UTC date but at 23:xx UTC in summer (as in the SQL of the
            # traffic light)
            day = _uk_day_sql(taken_at) if taken_at[11:13] == "23" else taken_at[:10]
            by_page.setdefault(row[0], {})[day] = row  # the day's last reading wins
        self._report_readings(unreadable)
        return {
            page_id: [DailyReading(date.fromisoformat(day), from_utc_text(row[1]), row[2],
                                   row[3], row[4], _optional_bool(row[5]))
                      for day, row in days.items()]
            for page_id, days in by_page.items()}

    def page_overviews(self) -> list[PageOverview]:
        """Every tracked Page with its latest reading and the two weekly averages the trend
        needs, in one query (index seeks per Page, no scan of the whole history).

        Each week is 7 UK days, each day counted once by its last reading: the week ending on
        the latest reading's day, and the week ending 28 days before that.
        """
        ratio = "talking_about * 1000.0 / nullif(coalesce(followers, fans), 0)"
        day_of = _day_of
        day = day_of("r.taken_at")
        utc = "strftime('%Y-%m-%dT%H:%M:%SZ', l.latest_at, '{}')"

        def readings_between(after: str, until: str) -> str:
            return f"""
                SELECT r.page_id, {day} AS day, r.taken_at, r.talking_about, r.followers,
                    r.fans, {_AVERAGED_R} AS good
                FROM latest l CROSS JOIN snapshots r
                WHERE r.page_id = l.page_id AND r.taken_at > {utc.format(after)}
                  AND r.taken_at <= {utc.format(until)}"""

        rows = self._rows(
            f"""
            WITH newest AS MATERIALIZED (
                SELECT p.id AS page_id,
                    (SELECT max(taken_at) FROM snapshots
                     WHERE page_id = p.id AND {_GOOD_READING}) AS latest_at,
                    -- the first and last rows of all, readable or not (index seeks)
                    (SELECT max(taken_at) FROM snapshots WHERE page_id = p.id) AS newest_at,
                    (SELECT min(taken_at) FROM snapshots WHERE page_id = p.id) AS oldest_at
                FROM pages p WHERE p.tracked IS NOT 0
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
            SELECT p.*, {_PAGE_PROBLEM_P} AS problem, l.page_id, s.taken_at, s.followers,
                s.fans, s.talking_about, s.npe, s.source, s.sync_run_id, w.recent_avg,
                w.earlier_avg, w.unreadable OR l.newest_at IS NOT l.latest_at
                    OR NOT {_INSTANT_OLDEST} AS unreadable_readings
            FROM latest l
            JOIN pages p ON p.id = l.page_id
            LEFT JOIN snapshots s ON s.page_id = l.page_id AND s.taken_at = l.latest_at
            LEFT JOIN weekly w ON w.page_id = l.page_id
            ORDER BY p.name, p.id
            """)
        rows = self._readable("pages", rows)
        self._report_readings(row["page_id"] for row in rows if row["unreadable_readings"])
        return [
            PageOverview(
                page=_page(row),
                latest=_reading(row) if row["taken_at"] else None,
                recent_avg=row["recent_avg"],
                earlier_avg=row["earlier_avg"],
            )
            for row in rows
        ]

    # Insights ------------------------------------------------------------------------------

    def add_insights(self, values: Iterable[InsightValue]) -> int:
        """Store Insights values; a value already stored is replaced (Meta revises the last
        days, so a re-fetched window corrects them)."""
        rows = ((v.page_id, v.metric, v.period, to_utc_text(v.end_time), v.value)
                for v in values)
        with self.transaction():
            cursor = self.conn.executemany(
                "INSERT INTO insights (page_id, metric, period, end_time, value) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (page_id, metric, period, end_time) "
                "DO UPDATE SET value = excluded.value, source = 'graph'", rows)
        return cursor.rowcount

    def daily_total(self, page_id: str, metric: str, first: date, last: date
                    ) -> tuple[float, int]:
        """The sum of a daily Insights metric over Meta's days ``first`` to ``last``, and how
        many of those days have a value."""
        low = to_utc_text(_pacific_day_end(first))
        high = to_utc_text(_pacific_day_end(last))
        total, days, unreadable = self.conn.execute(
            f"SELECT total(value) FILTER (WHERE {_GOOD_INSIGHT}), "
            f"count(value) FILTER (WHERE {_GOOD_INSIGHT}), count(*) FILTER (WHERE NOT "
            f"{_GOOD_INSIGHT}) FROM insights WHERE page_id = ? AND metric = ? "
            "AND period = 'day' AND end_time >= ? AND end_time <= ?",
            [page_id, metric, low, high]).fetchone()
        if unreadable:
            self._report("insights")
        return total, days

    def insights(self, page_id: str, metric: str) -> list[InsightValue]:
        rows = self._readable("insights", self._rows(
            f"SELECT *, {cells.problem('insights')} AS problem FROM insights "
            "WHERE page_id = ? AND metric = ? ORDER BY end_time", [page_id, metric]))
        return [InsightValue(r["page_id"], r["metric"], r["period"],
                             from_utc_text(r["end_time"]), r["value"]) for r in rows]

    def metric_statuses(self) -> dict[tuple[str, str], MetricStatus]:
        rows = self._readable("metric_status", self._rows(
            f"SELECT *, {cells.problem('metric_status')} AS problem FROM metric_status"))
        return {(row["page_id"], row["metric"]): _metric_status(row) for row in rows}

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
        with self.transaction():
            self.conn.execute(
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
        with self.transaction():
            self.conn.executemany(
                "INSERT INTO metric_status (page_id, metric, last_error) VALUES (?, ?, ?) "
                "ON CONFLICT (page_id, metric) DO UPDATE SET last_error = excluded.last_error",
                [(page_id, metric, error) for metric in metrics])

    def note_metric_empty(self, page_id: str, metric: str, reason: str) -> None:
        """Meta answered without values for a metric (``{"data": []}``, or the metric left
        out): the days asked stay uncovered; ``reason`` goes in ``last_error`` and the time
        in ``unavailable_since`` (the metric stays ``available``: the sync asks again)."""
        with self.transaction():
            self.conn.execute(
                "INSERT INTO metric_status (page_id, metric, unavailable_since, last_error) "
                "VALUES (:page, :metric, :now, :reason) ON CONFLICT (page_id, metric) DO "
                "UPDATE SET unavailable_since = :now, last_error = :reason",
                {"page": page_id, "metric": metric, "now": to_utc_text(utc_now()),
                 "reason": reason})

    def reset_unavailable_metrics(self) -> None:
        """Ask Meta again for metrics it refused (after the API version changes)."""
        with self.transaction():
            self.conn.execute("UPDATE metric_status SET available = 1, unavailable_since = NULL "
                              "WHERE available = 0")

    # Settings --------------------------------------------------------------------------------

    @functools.cached_property
    def settings(self) -> StoredSettings:
        """The settings table, read and written as the settings declared in
        :mod:`engage_desktop.core.settings` (:mod:`.settings`)."""
        return StoredSettings(self)

    def thresholds(self, measure: str = "talking_about") -> Thresholds:
        """The stored traffic-light thresholds (of the talking-about measure, or of the
        interactions measure used when talking-about is absent); the defaults when none are
        stored, or (with a warning naming the problem) when the stored ones cannot be used."""
        return self.settings.thresholds(measure)

    def set_thresholds(self, thresholds: Thresholds, measure: str = "talking_about") -> None:
        self.settings.set_thresholds(thresholds, measure)

    def _warn(self, warning: str) -> None:
        if warning not in self.warnings:
            self.warnings.append(warning)

    # Unreadable cells ------------------------------------------------------------------------

    def _readable(self, table: str, rows: list[sqlite3.Row]) -> list[sqlite3.Row]:
        """The rows (selected with their ``problem``, see :mod:`.cells`) whose cells are all
        readable; when some are not, the table's unreadable rows are reported."""
        readable = [row for row in rows if row["problem"] is None]
        if len(readable) < len(rows):
            self._report(table)
        return readable

    def _report(self, table: str) -> None:
        """Warn, once, how many rows of ``table`` are unreadable, naming a cell."""
        if table in self._reported:
            return
        self._reported.add(table)
        count, example = self.conn.execute(
            f"SELECT count(*), min(problem) FROM (SELECT {cells.problem(table)} AS problem "
            f"FROM {table}) WHERE problem IS NOT NULL").fetchone()
        if count:
            self._warn(cells.left_out(table, count, example))

    def _report_readings(self, page_ids: Iterable[str]) -> None:
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
            FROM (SELECT page_id, {cells.problem('snapshots')} AS problem,
                    CASE WHEN {cells.cell_ok('instant', 'taken_at')} THEN taken_at END AS day
                  FROM snapshots WHERE page_id IN ({marks})) AS s
            LEFT JOIN pages p ON p.id = s.page_id
            WHERE s.problem IS NOT NULL GROUP BY s.page_id ORDER BY 1
            """, new).fetchall()
        for name, count, first, last, example in rows:
            self._warn(cells.left_out(
                "snapshots", count, example, of=name,
                first=first and uk_day(from_utc_text(first)),
                last=last and uk_day(from_utc_text(last))))

    # Annotations -----------------------------------------------------------------------------

    def add_annotation(self, day: date, text: str, page_id: str | None = None) -> bool:
        """Note what happened on a day, for one Page or (``page_id=None``) for all.

        Returns ``False`` when the same note was already there.
        """
        text = _note_text(text)
        with self.transaction():
            cursor = self.conn.execute(
                "INSERT OR IGNORE INTO annotations (page_id, day, text) VALUES (?, ?, ?)",
                [page_id, day.isoformat(), text])
        return cursor.rowcount == 1

    def update_annotation(self, annotation_id: int, text: str, page_id: str | None = None,
                          day: date | None = None) -> None:
        """Change a note: its text, whom it is for (``page_id=None``: all Pages) and, when
        ``day`` is given, its day (otherwise the day stays)."""
        text = _note_text(text)
        day_text = None if day is None else day.isoformat()
        try:
            with self.transaction():
                cursor = self.conn.execute(
                    "UPDATE annotations SET text = ?, page_id = ?, day = ifnull(?, day) "
                    "WHERE id = ?", [text, page_id, day_text, annotation_id])
        except errors.InvalidDataError:
            if self._annotation_clashes(annotation_id, text, page_id, day_text):
                raise errors.EngageError(
                    "That note is already there.",
                    "The same note is already on that day for the same Pages: change the "
                    "text, or delete this one instead.") from None
            raise
        if cursor.rowcount == 0:
            raise errors.EngageError("That note is no longer there.",
                                     "It may have been deleted in another window.")

    def delete_annotation(self, annotation_id: int) -> bool:
        """Remove a note; ``False`` when it was not there."""
        with self.transaction():
            cursor = self.conn.execute("DELETE FROM annotations WHERE id = ?",
                                       [annotation_id])
        return cursor.rowcount == 1

    def _annotation_clashes(self, annotation_id: int, text: str, page_id: str | None,
                            day: str | None) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM annotations AS other, annotations AS this WHERE this.id = ? "
            "AND other.id != this.id AND ifnull(other.page_id, '') = ifnull(?, '') "
            "AND other.day = ifnull(?, this.day) AND other.text = ?",
            [annotation_id, page_id, day, text]).fetchone()
        return row is not None

    def annotations(self, first: date, last: date,
                    page_ids: Sequence[str] | None = None) -> list[Annotation]:
        """Notes from ``first`` to ``last``: those for all Pages, and those for ``page_ids``
        (or for every Page when ``page_ids`` is None)."""
        # with the notes whose day is unreadable (and so in no range), to report them
        sql = (f"SELECT *, {cells.problem('annotations')} AS problem FROM annotations "
               f"WHERE (day >= ? AND day <= ? OR NOT {_GOOD_DAY})")
        params: list[Any] = [first.isoformat(), last.isoformat()]
        if page_ids is not None:
            marks = ", ".join("?" for _ in page_ids)
            sql += f" AND (page_id IS NULL OR page_id IN ({marks}))"
            params.extend(page_ids)
        rows = self._readable("annotations", self._rows(sql + " ORDER BY day, id", params))
        return [Annotation(row["id"], row["page_id"], date.fromisoformat(row["day"]), row["text"])
                for row in rows]

    # Sync runs -------------------------------------------------------------------------------

    def start_sync_run(self, api_version: str | None = None) -> int:
        with self.transaction():
            cursor = self.conn.execute(
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
            self.conn.execute(
                """
                UPDATE sync_runs SET finished_at = ?, status = ?, pages_ok = ?, pages_failed = ?,
                    requests = ?, api_version = coalesce(?, api_version), resume_after = ?,
                    message = ?
                WHERE id = ?
                """,
                [to_utc_text(utc_now()), status, pages_ok, pages_failed, requests, api_version,
                 to_utc_text(resume_after) if resume_after else None, message, run_id])
            self.conn.executemany(
                "INSERT INTO sync_errors (run_id, page_id, code, subcode, kind, message) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(run_id, e.page_id, e.code, e.subcode, e.kind, e.message) for e in errors_])

    def close_abandoned_runs(self, message: str) -> int:
        """Runs still marked running when no sync holds the lock were interrupted (power cut,
        killed): mark them failed. Returns how many."""
        with self.transaction():
            cursor = self.conn.execute(
                "UPDATE sync_runs SET status = 'failed', finished_at = ?, message = ? "
                "WHERE status = 'running'", [to_utc_text(utc_now()), message])
        return cursor.rowcount

    def sync_runs(self, limit: int = 20) -> list[SyncRun]:
        """The most recent runs, newest first."""
        rows = self._readable("sync_runs", self._rows(
            f"SELECT *, {cells.problem('sync_runs')} AS problem FROM sync_runs "
            "ORDER BY id DESC LIMIT ?", [limit]))
        return [_sync_run(row) for row in rows]

    def page_problems(self) -> dict[str, str]:
        """What is wrong with each Page, in words with what to do: its errors in the last sync
        that finished, and a token that needs reconnecting."""
        problems: dict[str, list[str]] = {}
        last = self.conn.execute(
            f"SELECT id FROM sync_runs WHERE status != 'running' AND {_GOOD_RUN} "
            "ORDER BY id DESC LIMIT 1").fetchone()
        for error in self.sync_errors(last[0]) if last else []:
            if error.page_id and error.message not in problems.get(error.page_id, []):
                problems.setdefault(error.page_id, []).append(error.message)
        for row in self.conn.execute(f"SELECT id, token_problem FROM pages "
                                     f"WHERE token_status = 'needs_reconnect' AND {_GOOD_PAGE}"):
            message = f"Reconnect: {row[1] or 'the token no longer works'}."
            if not any(m.startswith("Reconnect") for m in problems.get(row[0], [])):
                problems.setdefault(row[0], []).insert(0, message)
        return {page_id: " ".join(messages) for page_id, messages in problems.items()}

    def sync_errors(self, run_id: int) -> list[SyncError]:
        rows = self._readable("sync_errors", self._rows(
            f"SELECT *, {cells.problem('sync_errors')} AS problem FROM sync_errors "
            "WHERE run_id = ? ORDER BY id", [run_id]))
        return [SyncError(row["page_id"], row["kind"], row["message"], row["code"],
                          row["subcode"]) for row in rows]

    # Alerts ----------------------------------------------------------------------------------

    def add_alerts(self, alerts: Iterable[tuple[str, str, date, dict[str, Any], str]]
                   ) -> list[int]:
        """Record alerts (Page, kind, UK day, numbers, sentence) in one transaction; one
        already there for the same Page, kind and day is left as it is. Returns the IDs of
        those recorded now."""
        added = []
        created = to_utc_text(utc_now())
        with self.transaction():
            for page_id, kind, day, numbers, sentence in alerts:
                cursor = self.conn.execute(
                    "INSERT OR IGNORE INTO alerts (page_id, kind, day, numbers, sentence, "
                    "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    [page_id, kind, day.isoformat(), json.dumps(numbers), sentence, created])
                if cursor.rowcount == 1:
                    assert cursor.lastrowid is not None
                    added.append(cursor.lastrowid)
        return added

    def alerts(self, *, unseen_only: bool = True, since: date | None = None,
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
        rows = self._readable("alerts", self._rows(
            sql + f" ORDER BY a.day DESC, {_ALERT_URGENCY}, a.id", params))
        return [_alert(row) for row in rows]

    def alert_history(self) -> list[tuple[str, str, date]]:
        """Every readable alert's Page, kind and day, oldest first (what the alert rules
        compare with)."""
        rows = self._readable("alerts", self._rows(
            f"SELECT page_id, kind, day, {cells.problem('alerts')} AS problem FROM alerts "
            "ORDER BY day, id"))
        return [(row["page_id"], row["kind"], date.fromisoformat(row["day"])) for row in rows]

    def unseen_alert_count(self) -> int:
        """How many readable alerts are not seen yet."""
        return self.conn.execute(
            f"SELECT count(*) FROM alerts WHERE seen_at IS NULL AND {_GOOD_ALERT}"
        ).fetchone()[0]

    def mark_alerts_seen(self, ids: Sequence[int] | None = None) -> int:
        """Mark these alerts (or every unseen one) seen now; returns how many."""
        sql = "UPDATE alerts SET seen_at = ? WHERE seen_at IS NULL"
        params: list[Any] = [to_utc_text(utc_now())]
        if ids is not None:
            sql += f" AND id IN ({', '.join('?' for _ in ids)})"
            params.extend(ids)
        with self.transaction():
            cursor = self.conn.execute(sql, params)
        return cursor.rowcount


_PAGE_PROBLEM = cells.problem("pages")
_PAGE_PROBLEM_P = cells.problem("pages", "p")
_GOOD_PAGE = cells.readable("pages")
_GOOD_READING = cells.readable("snapshots")
# the readings the trend averages: the cells it uses, checked cheaply (the hot path)
_AVERAGED_R = "(" + " AND ".join([cells.cell_ok("stamp", "r.taken_at"), *(
    cells.cell_ok("count?", f"r.{column}") for column in ("followers", "fans", "talking_about")
)]) + ")"
_INSTANT_OLDEST = cells.cell_ok("instant?", "l.oldest_at")
_GOOD_INSIGHT = cells.readable("insights")
_GOOD_RUN = cells.readable("sync_runs")
_GOOD_DAY = cells.cell_ok("day", "day")
_GOOD_INSTANT = cells.cell_ok("instant", "taken_at")
_ALERT_PROBLEM_A = cells.problem("alerts", "a")
_GOOD_ALERT = cells.readable("alerts")
_GOOD_ALERT_DAY = cells.cell_ok("day", "a.day")
# the order of ALERT_KINDS: what to act on first
_ALERT_URGENCY = ("CASE a.kind " + " ".join(f"WHEN '{kind}' THEN {rank}"
                                            for rank, kind in enumerate(ALERT_KINDS))
                  + " END")


def _day_of(column: str) -> str:
    """SQL for the UK day of an instant column. The UK date differs from the UTC date only at
    23:xx UTC in summer, so only those readings need the (Python) uk_day function."""
    return (f"CASE WHEN substr({column}, 12, 2) = '23' THEN uk_day({column}) "
            f"ELSE substr({column}, 1, 10) END")


def _note_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise errors.EngageError("An annotation needs some text.",
                                 "Say what happened on that day, for example 'Storm Bert'.")
    return text


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


def _metric_status(row: sqlite3.Row) -> MetricStatus:
    return MetricStatus(
        page_id=row["page_id"], metric=row["metric"], available=bool(row["available"]),
        last_ok_at=_optional_time(row["last_ok_at"]),
        unavailable_since=_optional_time(row["unavailable_since"]),
        last_error=row["last_error"],
        covered_from=date.fromisoformat(row["covered_from"]) if row["covered_from"] else None,
        covered_until=date.fromisoformat(row["covered_until"]) if row["covered_until"]
        else None)


def _alert(row: sqlite3.Row) -> Alert:
    return Alert(row["id"], row["page_id"], row["page_name"] or row["page_id"], row["kind"],
                 date.fromisoformat(row["day"]), json.loads(row["numbers"]), row["sentence"],
                 from_utc_text(row["created_at"]), _optional_time(row["seen_at"]))


def _sync_run(row: sqlite3.Row) -> SyncRun:
    return SyncRun(
        id=row["id"], started_at=from_utc_text(row["started_at"]),
        finished_at=_optional_time(row["finished_at"]), status=row["status"],
        pages_ok=row["pages_ok"], pages_failed=row["pages_failed"], requests=row["requests"],
        api_version=row["api_version"], resume_after=_optional_time(row["resume_after"]),
        message=row["message"])
