"""`engage-desktop sync` exits as README's "Command line" says, one test per code, each run as a
separate process the way a scheduled task runs it: 0 done, 1 not done (every Page failed, no
keyring), 2 not understood, 3 done in part (or cancelled), 4 Meta rejected the token, 5 offline.
And the summary line counts the readings it saved."""

from __future__ import annotations

import json
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from graph_server import GraphServer

OWN = ("111111111111111", "222222222222222", "333333333333333")
PUBLIC = ("444444444444444", "555555555555555")


@pytest.fixture
def connected_db(connect_council, db_path: Path, graph: GraphServer) -> Path:
    """The example council: three own Pages and two public ones, tokens in a real keyring."""
    connect_council(db_path, *PUBLIC)
    graph.state.requests.clear()
    return db_path


def _saved(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM readings WHERE sync_run_id = "
                            "(SELECT max(id) FROM sync_runs)").fetchone()[0]
    finally:
        conn.close()


def test_0_every_page_synced(connected_db, run_cli) -> None:
    result = run_cli("sync", "--db", str(connected_db))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("5 of 5 Pages synced")


def test_1_when_every_request_failed(connected_db, run_cli, graph) -> None:
    graph.state.fault("permission", times=-1)  # Meta refuses every request
    result = run_cli("sync", "--json", "--db", str(connected_db))
    summary = json.loads(result.stdout)
    assert (summary["status"], summary["pages_ok"], summary["pages_failed"]) == ("failed", 0, 5)
    assert result.returncode == 1, result.stderr


def test_1_when_no_keyring_works(connected_db, run_cli) -> None:
    # the tokens are in a keyring this process cannot reach
    result = run_cli("sync", "--db", str(connected_db),
                     env={"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})
    assert result.returncode == 1, result.stdout + result.stderr
    assert "0 of 5 Pages synced" in result.stdout
    assert "is not available to Engage Desktop" in result.stdout


def test_1_when_the_keyring_is_locked(connected_db, run_cli) -> None:
    tests = Path(__file__).resolve().parent.parent
    result = run_cli("sync", "--db", str(connected_db),
                     env={"PYTHON_KEYRING_BACKEND": "keyrings.LockedKeyring",
                          "PYTHONPATH": str(tests)})
    assert result.returncode == 1, result.stdout + result.stderr
    assert "0 of 5 Pages synced" in result.stdout
    assert "is locked, so Engage Desktop cannot" in result.stdout


def test_1_when_another_sync_runs(connected_db, run_cli) -> None:
    from filelock import FileLock

    with FileLock(str(connected_db) + ".sync-lock"):
        result = run_cli("sync", "--db", str(connected_db))
    assert result.returncode == 1
    assert "Another sync of this database is running" in result.stderr


@pytest.mark.parametrize("args", [("sync", "--bogus"), ("sync", "--db", " "),
                                  ("sync", "--json", "extra")])
def test_2_when_the_command_is_not_understood(run_cli, args) -> None:
    result = run_cli(*args)
    assert result.returncode == 2 and "error:" in result.stderr


def test_3_when_some_pages_failed(connected_db, run_cli, graph) -> None:
    graph.state.pages["444444444444444"].public_readable = False
    result = run_cli("sync", "--db", str(connected_db))
    assert result.returncode == 3, result.stdout + result.stderr
    assert result.stdout.startswith("4 of 5 Pages synced")


def test_3_when_cancelled(connected_db, graph) -> None:
    # Meta holds the first answer until the sync has been told to stop
    answer = threading.Event()
    batch = graph.state.batch
    graph.state.batch = lambda *args: answer.wait(30) and batch(*args)
    process = subprocess.Popen([sys.executable, "-m", "engage_desktop", "sync", "--db",
                                str(connected_db)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not graph.state.requests and time.monotonic() < deadline:
            time.sleep(0.02)
        process.send_signal(signal.SIGINT)
        time.sleep(0.2)
    finally:
        answer.set()
        out, err = process.communicate(timeout=60)
    assert process.returncode == 3, out + err
    assert out.startswith("Cancelled") and "Traceback" not in err


def test_4_when_meta_rejects_every_token(db_path, run_cli, graph, secret_service) -> None:
    user = graph.state.users["1000001"]
    assert run_cli("connect", "--token-stdin", "--db", str(db_path),
                   stdin=user.token).returncode == 0
    for page in graph.state.pages.values():
        if page.token:
            graph.state.expire(page.token, 460)
    graph.state.expire(user.token, 460)
    result = run_cli("sync", "--db", str(db_path))
    assert result.returncode == 4, result.stdout + result.stderr
    assert "Reconnect: the Facebook password was changed." in result.stdout
    # and again, now that the database knows they need reconnecting
    assert run_cli("sync", "--db", str(db_path)).returncode == 4


def test_5_when_the_network_cannot_be_reached(connected_db, run_cli) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run_cli("sync", "--db", str(connected_db),
                     env={"ENGAGE_GRAPH_URL": f"http://127.0.0.1:{port}/v26.0"})
    assert result.returncode == 5, result.stdout + result.stderr


def test_an_app_throttle_counts_the_readings_it_saved(connected_db, run_cli, graph) -> None:
    # the own Pages' batch works; Meta then throttles the whole app (#4) on the public Pages'
    # batch, so the own Pages' Insights wait too
    graph.state.fault("throttle", times=-1, after=1)
    result = run_cli("sync", "--json", "--db", str(connected_db))
    assert result.returncode == 3, result.stderr
    summary = json.loads(result.stdout)
    assert _saved(connected_db) == 3
    assert (summary["status"], summary["pages_ok"], summary["pages_failed"]) == (
        "partial", 3, 2)
    text = run_cli("sync", "--db", str(connected_db)).stdout
    assert text.startswith("0 of 5 Pages synced; Meta asked us to wait until"), text
    conn = sqlite3.connect(connected_db)
    try:
        messages = [row[0] for row in conn.execute("SELECT message FROM sync_runs ORDER BY id")]
    finally:
        conn.close()
    assert messages[0].startswith("3 of 5 Pages synced, 3 of them without all their Insights; "
                                  "Meta asked us to wait until")
