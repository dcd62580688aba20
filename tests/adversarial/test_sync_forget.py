"""`forget` while a sync runs: the sync, a separate process, never brings the Page back, never
follows it again and never marks its token ok. Meta holds its answers until `forget` (another
process) is done, so the sync writes what it fetched for a Page that is gone."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from graph_server import GraphServer

LEISURE = "333333333333333"  # an own Page of the example council
COUNTY = "555555555555555"  # a public one


@pytest.fixture
def connected_db(connect_council, db_path: Path, graph: GraphServer) -> Path:
    connect_council(db_path, "444444444444444", COUNTY)
    graph.state.requests.clear()
    return db_path


def _rows(db: Path, sql: str, params=()) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def _sync_while_forgetting(db: Path, run_cli, graph: GraphServer, *forget_args: str):
    """Start a sync; once it has asked Meta for the Pages' readings (tokens in hand), run
    ``forget`` in another process; then let Meta answer."""
    answer = threading.Event()
    state = graph.state
    batch, get = state.batch, state.get
    state.batch = lambda *args: answer.wait(30) and batch(*args)
    state.get = lambda *args: answer.wait(30) and get(*args)
    sync = subprocess.Popen([sys.executable, "-m", "engage_desktop", "sync", "--json",
                             "--db", str(db)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        deadline = time.monotonic() + 30
        while not state.requests and time.monotonic() < deadline:
            time.sleep(0.02)
        assert state.requests, "the sync never asked Meta"
        forgot = run_cli("forget", "--db", str(db), *forget_args)
        assert forgot.returncode == 0, forgot.stderr
    finally:
        answer.set()
        out, err = sync.communicate(timeout=60)
    return sync.returncode, out, err


@pytest.mark.parametrize("page_id", [LEISURE, COUNTY])
def test_a_page_purged_during_a_sync_stays_gone(connected_db, run_cli, graph, page_id) -> None:
    code, out, err = _sync_while_forgetting(connected_db, run_cli, graph, page_id, "--purge")
    assert code == 0, out + err
    summary = json.loads(out)
    assert (summary["status"], summary["pages_ok"], summary["pages_failed"]) == ("ok", 4, 0)
    run = _rows(connected_db, "SELECT message FROM sync_runs")[-1][0]
    assert run == "4 of 4 Pages synced; 1 Page forgotten during the sync was left out"
    for table in ("pages WHERE id", "readings WHERE page_id", "insights WHERE page_id",
                  "metric_status WHERE page_id"):
        assert _rows(connected_db, f"SELECT count(*) FROM {table} = ?", [page_id]) == [(0,)]
    pages = json.loads(run_cli("pages", "--json", "--db", str(connected_db)).stdout)
    assert page_id not in {p["page_id"] for p in pages} and len(pages) == 4
    # the next sync does not bring it back either
    again = run_cli("sync", "--json", "--db", str(connected_db))
    assert json.loads(again.stdout)["pages_ok"] == 4
    assert _rows(connected_db, "SELECT count(*) FROM pages WHERE id = ?", [page_id]) == [(0,)]


@pytest.mark.parametrize("page_id", [LEISURE, COUNTY])
def test_a_page_forgotten_during_a_sync_stays_unfollowed(connected_db, run_cli, graph,
                                                         page_id) -> None:
    before = _rows(connected_db, "SELECT count(*) FROM readings WHERE page_id = ?", [page_id])
    code, out, err = _sync_while_forgetting(connected_db, run_cli, graph, page_id)
    assert code == 0, out + err
    assert json.loads(out)["pages_ok"] == 4
    ((followed, token_status),) = _rows(
        connected_db, "SELECT followed, token_status FROM pages WHERE id = ?", [page_id])
    assert (followed, token_status) == (0, "missing")
    assert _rows(connected_db, "SELECT count(*) FROM readings WHERE page_id = ?",
                 [page_id]) == before
