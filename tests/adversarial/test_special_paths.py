"""Only regular files are databases or imports: a named pipe would make every command wait for
ever, a device would get a journal written beside it, and an empty file is not a database to
fill unless the command makes databases (issue: `status` on a FIFO hung; `status` on a 0-byte
file wrote a 77 KB database into it; `--db /dev/null` made /dev/null-journal)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from engage_desktop.core import errors
from engage_desktop.core.demo import write_demo
from engage_desktop.core.opening import Opening
from engage_desktop.core.settings import DEMO
from engage_desktop.core.store import _translate, open_store

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "engage.sqlite"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("command", [["status"], ["pages", "--json"],
                                     ["export", "data", "--out", "x.csv"],
                                     ["thresholds", "--amber", "5"]])
def test_a_named_pipe_as_the_database_is_refused_at_once(run_cli, fifo: Path,
                                                         command) -> None:
    result = run_cli(*command, "--db", str(fifo))
    assert result.returncode == 1
    assert "is a named pipe, not a database file" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_window_refuses_a_named_pipe_without_waiting(fifo: Path) -> None:
    opening = Opening(fifo, create=False)
    assert isinstance(opening.error, errors.NotADatabaseError)
    assert "named pipe" in opening.error.message


def test_a_device_as_the_database_is_refused_and_nothing_is_written_beside_it(run_cli) -> None:
    before = set(Path("/dev").iterdir())
    for command in (["status"], ["demo", "--pages", "1", "--days", "2"]):
        result = run_cli(*command, "--db", os.devnull)
        assert result.returncode == 1, result.stdout
        assert "is a device, not a database file" in result.stderr
    assert set(Path("/dev").iterdir()) == before
    assert not Path(f"{os.devnull}-journal").exists()


@pytest.mark.parametrize("source", ["fifo", "/dev/zero"])
def test_a_pipe_or_device_is_not_a_file_to_import(run_cli, tmp_path: Path, source: str) -> None:
    if source == "fifo":
        source = str(tmp_path / "export.csv")
        os.mkfifo(source)
    result = run_cli("import", source, "--dry-run", "--db", str(tmp_path / "new.sqlite"))
    assert result.returncode == 1
    said = result.stdout + result.stderr
    assert "not a file to import" in said and "Nothing was written" in said
    assert "the file is empty" not in said
    assert not (tmp_path / "new.sqlite").exists()


def test_an_empty_file_is_not_a_database_to_a_command_that_only_reads(run_cli,
                                                                      tmp_path: Path) -> None:
    empty = tmp_path / "engage.sqlite"
    empty.touch()
    for command in (["status"], ["pages"], ["sync"]):
        result = run_cli(*command, "--db", str(empty))
        assert result.returncode == 1
        assert "is an empty file, not an Engage Desktop database" in result.stderr
        assert empty.stat().st_size == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == ["engage.sqlite"]
    assert isinstance(Opening(empty, create=False).error, errors.NotADatabaseError)


def test_an_empty_file_named_for_a_new_database_becomes_one(run_cli, tmp_path: Path) -> None:
    empty = tmp_path / "engage.sqlite"
    empty.touch()
    made = run_cli("demo", "--pages", "2", "--days", "3", "--db", str(empty))
    assert made.returncode == 0, made.stderr
    assert run_cli("status", "--db", str(empty)).returncode == 0


def test_a_lock_held_by_another_program_is_not_blamed_on_engage_desktop(tmp_path: Path) -> None:
    path = tmp_path / "engage.sqlite"
    with open_store(path) as store:
        write_demo(store, pages=1, days=2)
    other = sqlite3.connect(path, isolation_level=None)  # say, DB Browser with an edit open
    other.execute("BEGIN EXCLUSIVE")
    try:
        with open_store(path, busy_timeout=0.2) as store, \
                pytest.raises(errors.DatabaseBusyError) as caught:
            store.settings.set(DEMO, True)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "locked by another program" in caught.value.message
    assert "DB Browser" in caught.value.message


def test_a_short_read_is_not_called_a_full_disk(tmp_path: Path) -> None:
    # SQLite's extended code when a file shrank under it; the read-only check met it while
    # a sync and an import committed, and said "the disk is full" with 75 GB free.
    failure = sqlite3.OperationalError("disk I/O error")
    failure.sqlite_errorname = "SQLITE_IOERR_SHORT_READ"
    translated = _translate(failure, tmp_path / "engage.sqlite")
    assert not isinstance(translated, errors.DiskFullError)
    assert "full" not in str(translated)
    assert "Could not read" in translated.message
