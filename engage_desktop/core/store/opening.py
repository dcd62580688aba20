"""Opening the SQLite file safely: checking a file before touching it, read-only opening of
published copies and of files that cannot be written, WAL and the busy timeout, and bringing
the schema up to date with the migrations in :mod:`.schema`.

``open_store(path)`` checks a file before touching it: a file that is not SQLite, an SQLite
database of some other program, or one written by a newer Engage Desktop is refused and left
byte-for-byte as it was. Our own files are opened in WAL mode with a busy timeout and foreign
keys on; a copy published for the team, a file that cannot be written, or one opened with
``read_only`` is opened without ever writing to it (:mod:`.read_only`).
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from engage_desktop.core import errors, interrupts
from engage_desktop.core.paths import make_private_file, make_private_folder, special_file
from engage_desktop.core.protected import protect_database
from engage_desktop.core.settings import PUBLISHED_COPY
from engage_desktop.core.store import read_only as readonly
from engage_desktop.core.store.translation import BUSY, translate, translating
from engage_desktop.core.store.uk_days import uk_day_sql
from engage_desktop.core.store.versions import APPLICATION_ID, MIGRATION_SET, MIGRATIONS

if TYPE_CHECKING:
    from engage_desktop.core.store import Store

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
    if not exists and (not create or read_only):
        raise errors.DatabaseMissingError(
            f"There is no database at {path}.",
            "Check the path, or create one: run 'engage-desktop demo --db PATH' for demo "
            "data, or connect a Facebook token.")
    if exists:
        return _open_writable(path, exists=True, fresh=fresh, busy_timeout=busy_timeout,
                              any_thread=any_thread)
    # A new file: Ctrl+C waits until its tables exist, so a command stopped while making it
    # leaves either no file or a whole, empty database.
    store = None
    try:
        with interrupts.held():
            store = _open_writable(path, exists=False, fresh=True, busy_timeout=busy_timeout,
                                   any_thread=any_thread)
    except KeyboardInterrupt:
        if store is not None:
            store.close()  # whole: the held Ctrl+C is raised once it was made
        raise
    return store


def _open_writable(path: Path, *, exists: bool, fresh: bool, busy_timeout: float,
                   any_thread: bool) -> Store:
    """Open (and when it does not exist, make) a database to write to, bringing its schema
    up to date."""
    if not exists:
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
        raise translate(exc, path) from None
    try:
        with translating(path):
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
    return _store(conn, path)


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
        raise translate(exc, path) from None
    try:
        with translating(path):
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # readable now
        if pending:
            conn = _brought_up_to_date_in_memory(conn, path, pending, why, any_thread)
        conn.create_function("uk_day", 1, uk_day_sql, deterministic=True)
    except BaseException:
        conn.close()
        raise
    protect_database(path)
    store = _store(conn, path, read_only=why)
    if pending:
        store.warnings.append(readonly.OLDER_COPY)
    return store


def _store(conn: sqlite3.Connection, path: Path,
           read_only: readonly.ReadOnly | None = None) -> Store:
    """The facade over an opened connection (imported here: the package imports this
    module)."""
    from engage_desktop.core.store import Store

    return Store(conn, path, read_only)


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
            with translating(path):
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
        raise translate(failure, path) from None
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



def _configure(conn: sqlite3.Connection, busy_timeout: float) -> None:
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    mode = _switch_to_wal(conn, busy_timeout)
    if str(mode).lower() == "wal":
        # In WAL mode NORMAL is durable against crashes of the program, and much faster.
        conn.execute("PRAGMA synchronous = NORMAL")
    conn.create_function("uk_day", 1, uk_day_sql, deterministic=True)


def _switch_to_wal(conn: sqlite3.Connection, busy_timeout: float) -> str:
    """Turn on write-ahead logging (it stays on in the file). Switching needs the file to
    itself, and SQLite answers "locked" at once, without waiting, while another program opens
    it at the same moment: so wait here, as the busy timeout would."""
    deadline = time.monotonic() + busy_timeout
    while True:
        try:
            return str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0])
        except sqlite3.OperationalError as exc:
            if not getattr(exc, "sqlite_errorname", "").startswith(BUSY) \
                    or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def wal_works_in(folder: Path) -> tuple[str, int]:
    """Make a scratch database in ``folder`` in WAL mode, write a row and read it back (the
    self-test's check that SQLite works in the data folder). Returns SQLite's version and the
    value read; raises RuntimeError when SQLite will not use WAL there, and SQLite's own
    error when it fails otherwise."""
    import tempfile

    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        conn = sqlite3.connect(Path(scratch) / "self-test.sqlite")
        try:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise RuntimeError(f"SQLite could not use WAL mode here (it chose {mode}).")
            conn.execute("CREATE TABLE t (x)")
            conn.execute("INSERT INTO t VALUES (1)")
            conn.commit()
            (value,) = conn.execute("SELECT x FROM t").fetchone()
        finally:
            conn.close()
    return sqlite3.sqlite_version, value
