"""Any number of programs opening a database at once succeed: the first brings an old database
up to date (or makes a new one) while the others wait their turn (issue: four commands at once
on a database at an older migration failed 5 of 12 times with "duplicate column name")."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from sqlite_utils import Database

from engage_desktop.core.store.schema import migrations
from engage_desktop.core.store.versions import APPLICATION_ID, MIGRATIONS

AT_ONCE = 4


def _old_database(path: Path) -> None:
    """A database as the first release left it: only the first migration applied, one Page."""
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    migrations.apply(Database(conn), stop_before=MIGRATIONS[1])
    conn.execute("INSERT INTO pages (id, name, kind, added_at) "
                 "VALUES ('1', 'Kelderby Libraries', 'own', '2026-01-01T00:00:00Z')")
    conn.commit()
    conn.close()


def _all_at_once(*commands: list[str]) -> list[subprocess.CompletedProcess[str]]:
    started = [subprocess.Popen([sys.executable, "-m", "engage_desktop", *command],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for command in commands]
    results = []
    for process in started:
        out, err = process.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return results


def _applied(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [row[0] for row in conn.execute(
            "SELECT name FROM _sqlite_migrations ORDER BY id")]


def test_four_commands_at_once_bring_an_old_database_up_to_date(
        tmp_path: Path, isolated_data_dirs: Path) -> None:
    for attempt in range(3):
        path = tmp_path / f"old-{attempt}.sqlite"
        _old_database(path)
        results = _all_at_once(*[["pages", "--json", "--db", str(path)]] * AT_ONCE)
        for result in results:
            assert result.returncode == 0, result.stderr
            assert "Kelderby Libraries" in result.stdout
        assert _applied(path) == list(MIGRATIONS)  # each migration once


def test_four_first_opens_of_a_new_database_at_once(tmp_path: Path,
                                                   isolated_data_dirs: Path) -> None:
    for attempt in range(3):
        path = tmp_path / f"new-{attempt}.sqlite"
        results = _all_at_once(*[["demo", "--pages", "2", "--days", "5", "--db", str(path)]]
                               * AT_ONCE)
        for result in results:
            assert result.returncode == 0, result.stderr
        assert _applied(path) == list(MIGRATIONS)
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
            assert conn.execute("SELECT count(*) FROM pages").fetchone()[0] == 2
