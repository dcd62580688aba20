"""The published copy served by the real Datasette, started as README's "Share with your team"
tells IT to, on 127.0.0.1; and publishing while a real sync process writes."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from graph_server import FakePage, GraphServer, GraphState

from engage_desktop.core.publishing import COPY_NAME, METADATA_NAME, publish
from engage_desktop.core.store import open_store

STARTUP_SECONDS = 60  # the longest Datasette may take to answer on a busy machine


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _datasette() -> str:
    beside = Path(sys.executable).with_name("datasette")
    return str(beside) if beside.exists() else "datasette"


@contextlib.contextmanager
def served(folder: Path) -> Iterator[str]:
    """README's command for IT, on a free port of 127.0.0.1; the base URL."""
    port = _free_port()
    process = subprocess.Popen(
        [_datasette(), "-i", str(folder / COPY_NAME), "-m", str(folder / METADATA_NAME),
         "--reload", "-h", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        start_new_session=True)  # its reloader's worker is in this group, ended with it
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_for(lambda: _get_json(f"{url}/-/versions.json"), process)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.communicate(timeout=30)


def _get_json(url: str):
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return json.loads(answer.read())
    except (OSError, ValueError):
        return None


def _wait_for(found, process: subprocess.Popen):
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        value = found()
        if value:
            return value
        if process.poll() is not None:
            pytest.fail(f"Datasette stopped: {process.stderr.read() if process.stderr else ''}")
        time.sleep(0.2)
    pytest.fail("Datasette did not answer as expected")


def _served_light(url: str) -> list[dict]:
    rows = _get_json(f"{url}/engage/traffic_light.json?_shape=array&_size=max") or []
    for row in rows:
        row.pop("position")
    return rows


def test_datasette_serves_the_same_traffic_light_as_status(tmp_path: Path, run_cli) -> None:
    db = tmp_path / "engage.sqlite"
    folder = tmp_path / "team"
    assert run_cli("demo", "--db", str(db)).returncode == 0
    assert run_cli("publish", str(folder), "--db", str(db)).returncode == 0
    status = json.loads(run_cli("status", "--json", "--db", str(db)).stdout)
    with served(folder) as url:
        assert _served_light(url) == status
        # the metadata is Datasette's: title, source, descriptions and the canned queries
        about = _get_json(f"{url}/-/metadata.json")
        assert about["source"] == "Facebook Graph API via Engage Desktop"
        attention = _get_json(f"{url}/engage/needs_attention.json?_shape=array")
        assert [row["name"] for row in attention] == [
            row["name"] for row in status if row["status"] in ("red", "no_data")]
        facets = _get_json(f"{url}/engage/traffic_light.json")["facet_results"]
        counted = {item["value"]: item["count"] for item in facets["status"]["results"]}
        assert counted == {word: sum(row["status"] == word for row in status)
                           for word in {row["status"] for row in status}}
        page = status[0]["page_id"]
        readings = _get_json(f"{url}/engage/page_readings.json?page_id={page}&_shape=array"
                             "&_size=max")
        assert readings and readings[0]["talking_about"] == status[0]["talking_about"]
        # publishing again: Datasette (--reload) serves the new copy
        assert run_cli("thresholds", "--amber", "1", "--green", "2", "--db",
                       str(db)).returncode == 0
        assert run_cli("publish", str(folder), "--db", str(db)).returncode == 0
        before, status = status, json.loads(run_cli("status", "--json", "--db", str(db)).stdout)
        assert [row["status"] for row in status] != [row["status"] for row in before]
        deadline = time.monotonic() + STARTUP_SECONDS
        while _served_light(url) != status and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _served_light(url) == status


@pytest.fixture
def busy_council(graph_state: GraphState) -> GraphState:
    user = graph_state.users["1000001"]
    for index in range(40):
        page = graph_state.add_page(FakePage(
            f"7{index:014d}", f"Own Page {index:02d}", token=f"EAAOWN{index:03d}TOKEN012345678"))
        user.page_ids.append(page.id)
    return graph_state


def test_publishing_while_a_sync_writes_gives_whole_copies(
        tmp_path: Path, run_cli, busy_council: GraphState, graph: GraphServer,
        secret_service) -> None:
    db = tmp_path / "engage.sqlite"
    assert run_cli("connect", "--token-stdin", "--db", str(db),
                   stdin=busy_council.users["1000001"].token).returncode == 0
    assert run_cli("sync", "--db", str(db), "--no-insights").returncode == 0
    with open_store(db) as store:
        before = store.conn.execute("SELECT count(*) FROM readings").fetchone()[0]
    busy_council.latency = 0.3  # each request: the sync runs long enough to publish during it
    sync = subprocess.Popen([sys.executable, "-m", "engage_desktop", "sync", "--db", str(db)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    copies = during = 0
    try:
        with open_store(db) as store:
            while sync.poll() is None:
                folder = tmp_path / f"team-{copies % 2}"
                published = publish(store, folder)
                copies += 1
                conn = sqlite3.connect(f"{published.database.as_uri()}?mode=ro", uri=True)
                try:
                    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
                    readings = conn.execute("SELECT count(*) FROM readings").fetchone()[0]
                    assert readings == published.readings >= before
                    running = conn.execute("SELECT count(*) FROM sync_runs WHERE status = "
                                           "'running'").fetchone()[0]
                    during += running
                    # the traffic light is of the same moment as the copy
                    latest = dict(conn.execute(
                        "SELECT page_id, max(taken_at) FROM readings GROUP BY page_id"))
                    for page_id, as_of in conn.execute(
                            "SELECT page_id, as_of FROM traffic_light"):
                        assert as_of == latest.get(page_id)
                    assert conn.execute("SELECT count(*) FROM traffic_light").fetchone()[0] \
                        == conn.execute("SELECT count(*) FROM pages WHERE followed = 1"
                                        ).fetchone()[0]
                finally:
                    conn.close()
    finally:
        _out, err = sync.communicate(timeout=120)
    assert sync.returncode == 0, err
    assert during >= 1, f"no copy was made while the sync ran ({copies} copies)"
    # the last copy, made after the sync, holds everything
    with open_store(db) as store:
        after = store.conn.execute("SELECT count(*) FROM readings").fetchone()[0]
        final = publish(store, tmp_path / "team-final")
    assert after > before and final.readings == after
