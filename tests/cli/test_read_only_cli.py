"""The command line on a database open read-only (a copy published for the team, --read-only,
a file on a read-only share): reading commands work, writing ones refuse in words with exit 6,
and the file and its folder are left exactly as they were. Real processes, real files."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
from graph_server import GraphServer
from read_only_folder import read_only_view

from engage_desktop.core.demo import write_demo
from engage_desktop.core.settings import PUBLISHED_COPY
from engage_desktop.core.store import open_store

EXIT_READ_ONLY = 6
# every command that writes to the database, as an officer or a scheduled task would type it
WRITING = {
    "sync": ["sync"],
    "sync --json": ["sync", "--json"],
    "import": ["import", "{file}", "--page", "Kelderby Libraries"],
    "import --dry-run": ["import", "{file}", "--page", "Kelderby Libraries", "--dry-run"],
    "connect": ["connect", "--token-stdin"],
    "follow": ["follow", "kelderbyarchives"],
    "forget": ["forget", "{page}"],
    "demo": ["demo"],
    "thresholds": ["thresholds", "--amber", "10"],
    "network": ["network", "--proxy", "none"],
}
READING = (["status"], ["status", "--json"], ["status", "--changes"], ["pages", "--json"],
           ["thresholds"], ["network"])


def _state(folder: Path) -> dict[str, str]:
    return {file.name: hashlib.sha256(file.read_bytes()).hexdigest()
            for file in sorted(folder.iterdir())}


@pytest.fixture
def original(tmp_path: Path) -> Path:
    path = tmp_path / "office" / "engage.sqlite"
    path.parent.mkdir()
    with open_store(path) as store:
        write_demo(store, pages=5, days=60)
    return path


@pytest.fixture
def published(original: Path, tmp_path: Path) -> Path:
    """A copy as publishing writes it: made with SQLite's backup, carrying its setting."""
    copy = tmp_path / "share" / "engage.sqlite"
    copy.parent.mkdir()
    source = open_store(original)
    target = sqlite3.connect(copy)
    source.conn.backup(target)
    target.close()
    source.close()
    with open_store(copy) as store:  # (not yet marked: opened for writing to mark it)
        store.conn.execute("INSERT INTO settings (key, value) VALUES (?, ?)", [
            PUBLISHED_COPY.key, json.dumps({"published_at": "2026-11-30T07:15:00Z",
                                           "source": "engage.sqlite"})])
        store.conn.commit()
    return copy


def _command(words: list[str], db: Path, spreadsheet: Path) -> list[str]:
    with open_store(db, read_only=True) as store:
        page = store.pages()[0].id
    return [word.format(file=spreadsheet, page=page) for word in words] + ["--db", str(db)]


@pytest.fixture
def spreadsheet(tmp_path: Path) -> Path:
    path = tmp_path / "libraries.csv"
    path.write_text("Date,Followers,Talking about\n2026-11-01,4300,120\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("name", list(WRITING))
def test_a_published_copy_refuses_every_writing_command_untouched(
        name: str, published: Path, spreadsheet: Path, run_cli, graph: GraphServer) -> None:
    before = _state(published.parent)
    token = graph.state.users["1000001"].token
    result = run_cli(*_command(WRITING[name], published, spreadsheet), stdin=token)
    assert result.returncode == EXIT_READ_ONLY, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert ("is open read-only, so nothing was written: this is a copy published for the team "
            "on Mon 30 Nov 2026 at 07:15 from engage.sqlite. Open the original to sync or "
            "import.") in result.stderr
    assert token not in result.stdout + result.stderr
    assert _state(published.parent) == before  # the same bytes, no -wal, -shm or journal
    assert graph.state.requests == []  # refused before Meta was asked anything


def test_reading_commands_work_on_a_published_copy_and_match_the_original(
        original: Path, published: Path, run_cli, tmp_path: Path) -> None:
    before = _state(published.parent)
    for words in READING:
        result = run_cli(*words, "--db", str(published))
        assert result.returncode == 0, (words, result.stderr)
        assert result.stderr == "", words
    assert (json.loads(run_cli("status", "--json", "--db", str(published)).stdout)
            == json.loads(run_cli("status", "--json", "--db", str(original)).stdout))
    out = tmp_path / "status.csv"
    exported = run_cli("export", "data", "--db", str(published), "--out", str(out))
    assert exported.returncode == 0 and out.exists(), exported.stderr
    assert _state(published.parent) == before


def test_read_only_is_accepted_before_or_after_the_command(original: Path, run_cli) -> None:
    before = _state(original.parent)
    for words in (["--read-only", "status", "--json"], ["status", "--json", "--read-only"]):
        result = run_cli(*words, "--db", str(original))
        assert result.returncode == 0, result.stderr
        assert len(json.loads(result.stdout)) == 5
    refused = run_cli("sync", "--read-only", "--db", str(original))
    assert refused.returncode == EXIT_READ_ONLY
    assert "it was opened read-only, as asked" in refused.stderr
    assert _state(original.parent) == before
    assert run_cli("thresholds", "--amber", "10", "--db", str(original)).returncode == 0


def test_a_database_on_a_read_only_share_is_read_and_never_written(
        original: Path, spreadsheet: Path, run_cli) -> None:
    before = _state(original.parent)
    with read_only_view(original.parent) as share:
        db = share / original.name
        status = run_cli("status", "--json", "--db", str(db))
        assert status.returncode == 0, status.stderr
        assert len(json.loads(status.stdout)) == 5
        for words in (WRITING["sync"], WRITING["import"]):
            result = run_cli(*_command(words, db, spreadsheet))
            assert result.returncode == EXIT_READ_ONLY, result.stderr
            assert "Engage Desktop cannot write to this file or its folder" in result.stderr
            assert "ask for write access" in result.stderr
        assert _state(share) == before
    assert _state(original.parent) == before
