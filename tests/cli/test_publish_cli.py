"""engage-desktop publish FOLDER: the copy, what is in it, and the careless or unlucky cases
(its own folder, onto itself, someone else's database, a read-only folder, a full disk)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from graph_server import GraphServer
from privileges import without_root_file_powers

from engage_desktop.core.publishing import COPY_NAME, METADATA_NAME
from engage_desktop.core.settings import PUBLISHED_COPY


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def demo_db(tmp_path: Path, run_cli) -> Path:
    path = tmp_path / "data" / "engage.sqlite"
    assert run_cli("demo", "--db", str(path)).returncode == 0
    return path


def _copy(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)


def test_publish_writes_the_copy_the_traffic_light_and_the_metadata(
        demo_db: Path, tmp_path: Path, run_cli) -> None:
    folder = tmp_path / "team"
    result = run_cli("publish", str(folder), "--db", str(demo_db))
    assert result.returncode == 0, result.stderr
    assert "Published 12 Pages (" in result.stdout and str(folder / COPY_NAME) in result.stdout
    assert sorted(p.name for p in folder.iterdir()) == [COPY_NAME, METADATA_NAME]
    conn = _copy(folder / COPY_NAME)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    source = _copy(demo_db)
    for table in ("pages", "readings", "insights", "notes"):
        assert conn.execute(f"SELECT count(*) FROM {table}").fetchone() == source.execute(
            f"SELECT count(*) FROM {table}").fetchone()
    # the same rows as status --json, in its order (position 1 is the most urgent)
    status = json.loads(run_cli("status", "--json", "--db", str(demo_db)).stdout)
    cursor = conn.execute("SELECT * FROM traffic_light ORDER BY position")
    names = [column[0] for column in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor]
    assert [row.pop("position") for row in rows] == list(range(1, 13))
    assert rows == status
    published = json.loads(conn.execute("SELECT value FROM settings WHERE key = ?",
                                        [PUBLISHED_COPY.key]).fetchone()[0])
    assert published["source"] == "engage.sqlite" and published["published_at"].endswith("Z")
    # only the copy has them
    assert source.execute("SELECT count(*) FROM settings WHERE key = ?",
                          [PUBLISHED_COPY.key]).fetchone()[0] == 0
    assert source.execute("SELECT count(*) FROM sqlite_master WHERE name = 'traffic_light'"
                          ).fetchone()[0] == 0
    metadata = json.loads((folder / METADATA_NAME).read_text(encoding="utf-8"))
    assert metadata["source"] == "Facebook Graph API via Engage Desktop"
    tables = metadata["databases"]["engage"]["tables"]
    actual = {row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
    assert set(tables) == actual  # every table described, none invented
    for name, described in tables.items():
        if described.get("hidden"):
            continue
        columns = {row[1] for row in conn.execute(f"PRAGMA table_info({name})")}
        assert set(described["columns"]) <= columns, name
        assert all(described["columns"].values())
    assert tables["traffic_light"]["facets"] == ["status", "kind", "measure"]
    assert set(tables["traffic_light"]["columns"]) == set(names)
    # the team reads it: not private like the database
    assert (folder / COPY_NAME).stat().st_mode & 0o044 == 0o044


def test_publishing_again_replaces_the_copy_whole(demo_db: Path, tmp_path: Path,
                                                  run_cli) -> None:
    folder = tmp_path / "team"
    assert run_cli("publish", str(folder), "--db", str(demo_db)).returncode == 0
    assert run_cli("thresholds", "--amber", "1", "--green", "2", "--db",
                   str(demo_db)).returncode == 0
    assert run_cli("publish", str(folder), "--db", str(demo_db)).returncode == 0
    statuses = {row[0] for row in _copy(folder / COPY_NAME).execute(
        "SELECT status FROM traffic_light")}
    assert "red" not in statuses and "green" in statuses
    assert sorted(p.name for p in folder.iterdir()) == [COPY_NAME, METADATA_NAME]


def test_publishing_onto_the_database_itself_is_refused(demo_db: Path, run_cli) -> None:
    before = _digest(demo_db)
    result = run_cli("publish", str(demo_db), "--db", str(demo_db))
    assert result.returncode == 1
    assert "is the database itself" in result.stderr and "Give a shared folder" in result.stderr
    # its own folder: the copy would have the database's name
    result = run_cli("publish", str(demo_db.parent), "--db", str(demo_db))
    assert result.returncode == 1
    assert "would replace the database itself" in result.stderr
    assert _digest(demo_db) == before
    assert sorted(p.name for p in demo_db.parent.iterdir() if "sqlite" in p.name) == [
        "engage.sqlite", "engage.sqlite-shm", "engage.sqlite-wal"] or sorted(
        p.name for p in demo_db.parent.iterdir()) == ["engage.sqlite"]
    assert not list(demo_db.parent.glob("*.tmp"))


def test_the_databases_own_folder_is_allowed_under_another_name(tmp_path: Path,
                                                                 run_cli) -> None:
    own = tmp_path / "council.sqlite"
    assert run_cli("demo", "--db", str(own), "--pages", "3", "--days", "30").returncode == 0
    result = run_cli("publish", str(tmp_path), "--db", str(own))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / COPY_NAME).is_file() and own.is_file()
    assert _copy(tmp_path / COPY_NAME).execute("SELECT count(*) FROM pages").fetchone()[0] == 3


def test_someone_elses_database_in_the_folder_is_left_alone(demo_db: Path, tmp_path: Path,
                                                            run_cli) -> None:
    folder = tmp_path / "shared"
    other = folder / COPY_NAME
    assert run_cli("demo", "--db", str(other), "--pages", "2", "--days", "10").returncode == 0
    before = _digest(other)
    result = run_cli("publish", str(folder), "--db", str(demo_db))
    assert result.returncode == 1
    assert "is not a copy published by Engage Desktop" in result.stderr
    assert _digest(other) == before
    assert not list(folder.glob("*.tmp")) and not (folder / METADATA_NAME).exists()


def test_a_file_or_a_missing_parent_is_refused(demo_db: Path, tmp_path: Path,
                                               run_cli) -> None:
    note = tmp_path / "note.txt"
    note.write_text("hello", encoding="utf-8")
    result = run_cli("publish", str(note), "--db", str(demo_db))
    assert result.returncode == 1 and "is a file, not a folder" in result.stderr
    result = run_cli("publish", str(tmp_path / "no" / "such"), "--db", str(demo_db))
    assert result.returncode == 1 and "does not exist" in result.stderr
    assert not (tmp_path / "no").exists()


def test_a_read_only_folder_is_refused_and_left_empty(demo_db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    before = _digest(demo_db)
    try:
        result = subprocess.run(
            [*without_root_file_powers(), sys.executable, "-m", "engage_desktop", "publish",
             str(folder), "--db", str(demo_db)], capture_output=True, text=True, check=False)
        assert result.returncode == 1, result.stdout + result.stderr
        assert f"Cannot write in {folder}" in result.stderr
        assert "ask IT for write access" in result.stderr
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)
    assert _digest(demo_db) == before


_FULL_DISK = """
import resource, signal, sys
from engage_desktop import cli
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))
sys.exit(cli.main(sys.argv[1:]))
"""


def test_a_full_disk_leaves_the_copy_published_before(demo_db: Path, tmp_path: Path,
                                                      run_cli) -> None:
    """A file-size limit in the child stands in for a full disk: each write past 200 kB fails
    as on a full disk (the demo database is larger)."""
    folder = tmp_path / "team"
    assert run_cli("demo", "--db", str(tmp_path / "small.sqlite"), "--pages", "1", "--days",
                   "2").returncode == 0
    assert run_cli("publish", str(folder), "--db", str(tmp_path / "small.sqlite")
                   ).returncode == 0
    before = {path.name: _digest(path) for path in folder.iterdir()}
    source = _digest(demo_db)
    result = subprocess.run([sys.executable, "-c", _FULL_DISK, "publish", str(folder),
                             "--db", str(demo_db)], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "the disk is full" in result.stderr and "Free some space" in result.stderr
    assert {path.name: _digest(path) for path in folder.iterdir()} == before
    assert _digest(demo_db) == source


def test_no_token_is_in_the_published_copy(tmp_path: Path, run_cli, graph: GraphServer,
                                           secret_service) -> None:
    """Tokens live in the keyring only: after connecting, following and syncing with fake
    tokens, none of them is anywhere in the published files."""
    db = tmp_path / "engage.sqlite"
    state = graph.state
    assert run_cli("connect", "--token-stdin", "--db", str(db),
                   stdin=state.users["1000001"].token).returncode == 0
    assert run_cli("follow", "--db", str(db), "ExampleCounty").returncode == 0
    assert run_cli("sync", "--db", str(db)).returncode == 0
    folder = tmp_path / "team"
    assert run_cli("publish", str(folder), "--db", str(db)).returncode == 0
    tokens = [user.token for user in state.users.values()] + [
        page.token for page in state.pages.values() if page.token]
    assert len(tokens) >= 4
    for path in folder.iterdir():
        content = path.read_bytes()
        for token in tokens:
            assert token.encode() not in content, path.name
    assert _copy(folder / COPY_NAME).execute(
        "SELECT count(*) FROM readings WHERE source = 'graph'").fetchone()[0] >= 4


def test_a_copy_held_open_elsewhere_is_said_and_left(demo_db: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """On Windows a file another program has open (Datasette serving the copy) cannot be
    replaced; that cannot happen here, so the rename onto the copy is refused as Windows
    refuses it."""
    import os

    from engage_desktop.core import publishing
    from engage_desktop.core.store import open_store

    folder = tmp_path / "team"
    with open_store(demo_db) as store:
        publishing.publish(store, folder)
        before = {path.name: _digest(path) for path in folder.iterdir()}
        real_replace = os.replace

        def held(source, target):
            if Path(target).name == COPY_NAME:
                raise PermissionError(13, "Access is denied")
            return real_replace(source, target)

        monkeypatch.setattr(publishing.os, "replace", held)
        with pytest.raises(publishing.PublishError) as raised:
            publishing.publish(store, folder)
    assert "another program has it open" in str(raised.value)
    assert {path.name: _digest(path) for path in folder.iterdir()} == before


def test_a_publish_killed_at_any_moment_leaves_a_whole_copy(demo_db: Path, tmp_path: Path,
                                                            run_cli) -> None:
    """SIGKILL part way: the folder holds the copy published before or the new one, whole;
    what the killed process left is removed by a later publish once it is old."""
    import os
    import random
    import time

    folder = tmp_path / "team"
    assert run_cli("publish", str(folder), "--db", str(demo_db)).returncode == 0
    rng = random.Random(20261130)
    for _ in range(6):
        process = subprocess.Popen([sys.executable, "-m", "engage_desktop", "publish",
                                    str(folder), "--db", str(demo_db)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 0.6))
        process.kill()
        process.wait(timeout=30)
        conn = _copy(folder / COPY_NAME)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM traffic_light").fetchone()[0] == 12
        conn.close()
    old = time.time() - 3600
    for left in folder.glob("*.tmp*"):
        os.utime(left, (old, old))
    assert run_cli("publish", str(folder), "--db", str(demo_db)).returncode == 0
    assert sorted(p.name for p in folder.iterdir()) == [COPY_NAME, METADATA_NAME]
