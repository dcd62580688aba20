"""Publishing for the team: a consistent copy of the database in a folder colleagues (or IT's
Datasette) can read, with the traffic light as a table and a Datasette metadata file.

The copy is made with SQLite's online backup API, inside one read transaction that also reads
the traffic light, so the copy and its ``traffic_light`` table are the same moment of the data
even while a sync writes. It is written under a temporary name in the folder and renamed into
place, so the folder holds the previous copy or the new one, never half of one; the copy's
journal is DELETE (no -wal or -shm beside it), so a read-only share serves it as it is. The
source database is only read. The copy alone gets the ``traffic_light`` table and the
``published_copy`` setting (JSON: ``published_at``, ``source``), by which Engage Desktop knows
it for a copy to open read-only.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from engage_desktop.core import traffic_light
from engage_desktop.core.errors import EngageError
from engage_desktop.core.exporting.files import sweep_unfinished
from engage_desktop.core.protected import COMPANIONS
from engage_desktop.core.publishing_metadata import datasette_metadata
from engage_desktop.core.settings import PUBLISHED_COPY
from engage_desktop.core.store import Store
from engage_desktop.core.store.copies import CopyError, read_setting
from engage_desktop.core.timeutil import from_utc_text, to_utc_text, utc_now

COPY_NAME = "engage.sqlite"  # Datasette serves it at /engage
METADATA_NAME = "metadata.json"
UNFINISHED = ".unfinished-publish.tmp"

# The traffic light's columns, in the order and with the names of ``status --json``
_LIGHT_COLUMNS = {"page_id": str, "name": str, "followers": int, "talking_about": int,
                  "per_1000": float, "status": str, "trend_28d": float, "as_of": str,
                  "reason": str, "kind": str, "measure": str}


class PublishError(EngageError):
    """The copy for the team cannot be written as asked."""


@dataclass(frozen=True, slots=True)
class Published:
    database: Path
    metadata: Path
    published_at: datetime
    pages: int
    readings: int


@dataclass(frozen=True, slots=True)
class PublishedCopy:
    """What a published copy says about itself."""

    published_at: datetime
    source: str


def publish(store: Store, folder: Path, *, now: datetime | None = None) -> Published:
    """Write the copy of ``store``'s database and its metadata into ``folder`` (made when its
    parent exists). Raises :class:`PublishError` saying what is wrong; the source is never
    written and nothing half-written is left in the folder."""
    folder = _usable_folder(store.path, Path(os.path.abspath(Path(folder).expanduser())))
    target = folder / COPY_NAME
    _refuse_replacing(store.path, target)
    sweep_unfinished(folder, f"{UNFINISHED}*")  # what a killed publish left (and its journal)
    now = utc_now() if now is None else now
    with _temporary(folder, COPY_NAME) as copy, _temporary(folder, METADATA_NAME) as metadata:
        try:
            light, pages, readings = _backup(store, copy, now)
            metadata.write_text(json.dumps(datasette_metadata(
                published_at=now, source=store.path.name, summary=light.summary(),
                thresholds=light.thresholds.describe()), indent=2, ensure_ascii=False),
                encoding="utf-8")
        except CopyError as exc:
            raise _copy_failed(folder, exc) from None
        except OSError as exc:
            raise _write_failed(folder, exc) from None
        try:
            os.replace(copy, target)  # first: the metadata alone changes little
        except OSError as exc:
            # the new copy was written: what is in the way is the old one, held open
            raise PublishError(
                f"Could not replace {COPY_NAME} in {folder} ({exc.strerror or exc}): another "
                "program has it open (on Windows, Datasette holds the copy it serves).",
                "Try again when it has let go of it, or stop it first. Your database is "
                "untouched, and the copy published before is still there.") from None
        try:
            os.replace(metadata, folder / METADATA_NAME)
        except OSError as exc:
            raise _write_failed(folder, exc) from None
    return Published(target, folder / METADATA_NAME, now, pages, readings)


def last_published(folder: Path) -> PublishedCopy | None:
    """When the copy in ``folder`` was published, and from which file; None when there is no
    readable copy there. Read without writing anything beside it."""
    return _published_copy(Path(folder).expanduser() / COPY_NAME)


def _usable_folder(source: Path, folder: Path) -> Path:
    if _same_file(folder, source):
        raise PublishError(
            f"{folder} is the database itself: publishing needs a folder to write the copy "
            "into.", "Give a shared folder, such as the team's folder on the network drive.")
    if folder.exists() and not folder.is_dir():
        raise PublishError(f"{folder} is a file, not a folder.",
                           "Give the folder to publish into; the copy is written there as "
                           f"{COPY_NAME} with {METADATA_NAME}.")
    if not folder.exists():
        if not folder.parent.is_dir():
            raise PublishError(f"The folder {folder.parent} does not exist.",
                               "Check the path, or create the folder first.")
        try:
            folder.mkdir()
        except OSError as exc:
            raise _write_failed(folder, exc) from None
    return folder


def _refuse_replacing(source: Path, target: Path) -> None:
    """Never over the source (nor its -wal, -shm, journal or sync lock), nor over a database
    that is not a copy published before: it may be someone's own data."""
    if any(_same_file(target, Path(f"{source}{suffix}")) for suffix in COMPANIONS):
        raise PublishError(
            f"Publishing into {target.parent} would replace the database itself "
            f"({target.name}).",
            "Choose another folder, such as the team's shared folder: the copy is always "
            f"named {COPY_NAME}.")
    if target.exists() and _published_copy(target) is None:
        raise PublishError(
            f"{target} already exists and is not a copy published by Engage Desktop (it may "
            "be someone's own database), so it is left as it is.",
            "Choose another folder, or an empty one for the team.")


def _same_file(one: Path, other: Path) -> bool:
    return os.path.normcase(os.path.realpath(one)) == os.path.normcase(os.path.realpath(other))


def _published_copy(path: Path) -> PublishedCopy | None:
    if not path.is_file():
        return None
    stored = read_setting(path, PUBLISHED_COPY.key)  # None too when it is not SQLite
    try:
        found = json.loads(stored) if stored is not None else None
        return PublishedCopy(from_utc_text(found["published_at"]), str(found["source"]))
    except (ValueError, TypeError, KeyError):
        return None


@contextlib.contextmanager
def _temporary(folder: Path, name: str) -> Iterator[Path]:
    """A new empty file in ``folder`` named so that nobody takes it for a result, removed
    (with any journal SQLite made beside it) unless it was renamed into place. It is made
    readable as the folder's other files are (the process's umask), not private like the
    database: the team reads the copy."""
    path = folder / f"{name}.{secrets.token_hex(4)}{UNFINISHED}"
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
    except OSError as exc:
        raise _write_failed(folder, exc) from None
    try:
        yield path
    finally:
        for suffix in ("", "-journal", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                Path(f"{path}{suffix}").unlink(missing_ok=True)


def _backup(store: Store, copy: Path, now: datetime) -> tuple[traffic_light.TrafficLight,
                                                            int, int]:
    """Copy the database into ``copy`` and add the copy's own table and setting. The traffic
    light and the copy are read in one read transaction: the same moment of the data."""
    return store.write_published_copy(
        copy, read=lambda: traffic_light.build(store, now=now), table="traffic_light",
        rows=_light_records,
        columns=_LIGHT_COLUMNS, setting=(PUBLISHED_COPY.key, PUBLISHED_COPY.dump(
            {"published_at": to_utc_text(now), "source": store.path.name})))


def _light_records(light: traffic_light.TrafficLight) -> list[dict[str, object]]:
    records = [{"position": position, **row.as_json()}
               for position, row in enumerate(light.rows, start=1)]
    for record in records:
        unknown = set(record) - {"position", *_LIGHT_COLUMNS}
        if unknown:  # a new key in status --json belongs in the published table too
            raise ValueError(f"traffic light key(s) without a column: {sorted(unknown)}")
    return records


def _copy_failed(folder: Path, exc: CopyError) -> PublishError:
    if exc.disk_full:
        return PublishError(
            f"Could not write the copy in {folder}: the disk is full (or refused a file this "
            "large).", "Free some space there, or choose another folder. Your database is "
                       "untouched, and the copy published before (if any) is still there.")
    return PublishError(f"Could not write the copy in {folder}: {exc}.",
                        "Try again; if it keeps failing, choose another folder. Your "
                        "database is untouched.")


def _write_failed(folder: Path, exc: OSError) -> PublishError:
    import errno

    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return PublishError(f"Could not write in {folder}: {reason} (the disk is full).",
                            "Free some space there, or choose another folder. Your database "
                            "is untouched.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return PublishError(f"Cannot write in {folder} ({reason}).",
                            "Choose a folder you may write to, or ask IT for write access to "
                            "the team's folder. Your database is untouched.")
    return PublishError(f"Could not write in {folder}: {reason}.",
                        "Check the folder and try again. Your database is untouched.")
