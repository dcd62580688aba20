"""No export replaces the database it was made from, nor the files SQLite and the sync keep
beside it, whatever --force says (issue: `export data --out DB --force --db DB` replaced the
open database with a CSV and orphaned its -wal and -shm)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from engage_desktop.core.demo import write_demo
from engage_desktop.core.store import open_store


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    path = tmp_path / "engage.sqlite"
    with open_store(path) as store:
        write_demo(store, pages=3, days=30)
    return path


def _readings(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM readings").fetchone()[0]


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", ".sync-lock"])
@pytest.mark.parametrize("command", [["data", "--what", "status"],
                                     ["chart", "--format", "png", "--page", "ALL"]])
def test_an_export_onto_the_database_or_its_files_is_refused(run_cli, demo_db: Path,
                                                             command, suffix) -> None:
    before = _readings(demo_db)
    if "ALL" in command:
        with sqlite3.connect(demo_db) as conn:
            page = conn.execute("SELECT id FROM pages LIMIT 1").fetchone()[0]
        command = [part if part != "ALL" else page for part in command]
    target = Path(f"{demo_db}{suffix}")
    result = run_cli("export", *command, "--out", str(target), "--force", "--db", str(demo_db))
    assert result.returncode == 1, result.stderr
    assert "cannot replace it, even with --force" in result.stderr
    assert "Choose another file name" in result.stderr
    assert _readings(demo_db) == before  # the database is whole
    status = run_cli("status", "--db", str(demo_db))
    assert status.returncode == 0, status.stderr


def test_a_link_to_the_database_is_refused_too(run_cli, demo_db: Path, tmp_path: Path) -> None:
    link = tmp_path / "export.csv"
    link.symlink_to(demo_db)
    result = run_cli("export", "data", "--what", "status", "--out", str(link), "--force",
                     "--db", str(demo_db))
    assert result.returncode == 1 and "cannot replace it" in result.stderr
    assert _readings(demo_db) > 0
