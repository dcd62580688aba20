"""engage-desktop sync as a scheduled task runs it: a separate process, tokens in a real Secret
Service, the loopback Graph API; and killed at random moments."""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from graph_server import FakePage, GraphServer, GraphState

SUMMARY_KEYS = {"run_id", "status", "pages_ok", "pages_failed", "requests", "resume_after",
                "errors"}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "engage.sqlite"


def test_sync_adds_a_reading_per_page_and_reports_json(connected_db: Path, run_cli,
                                                        graph: GraphServer) -> None:
    result = run_cli("sync", "--json", "--db", str(connected_db))
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert set(summary) >= SUMMARY_KEYS
    assert (summary["status"], summary["pages_ok"], summary["pages_failed"]) == ("ok", 5, 0)
    # own Pages (1 batch), public Pages (1), Insights: one window per Page first (1), the
    # other eight windows of each (1)
    assert summary["requests"] == 4 and summary["errors"] == []
    status = json.loads(run_cli("status", "--json", "--db", str(connected_db)).stdout)
    assert {row["page_id"] for row in status if row["as_of"]} == {
        "111111111111111", "222222222222222", "333333333333333", "444444444444444",
        "555555555555555"}
    leisure = next(row for row in status if row["page_id"] == "333333333333333")
    assert (leisure["followers"], leisure["talking_about"], leisure["status"]) == (200, 3,
                                                                                   "red")


def test_each_failed_page_is_reported_with_what_to_do(connected_db: Path, run_cli,
                                                      graph: GraphServer) -> None:
    state = graph.state
    state.expire(state.pages["333333333333333"].token, 460)
    state.pages["444444444444444"].public_readable = False
    state.fault("throttle", match="222222222222222?", regain_minutes=19)
    result = run_cli("sync", "--db", str(connected_db), "--no-insights")
    assert result.returncode == 3, result.stderr
    out = result.stdout
    assert "2 of 5 Pages synced" in out
    assert "Example Leisure: Reconnect: the Facebook password was changed." in out
    assert ("Example District Council: Meta refused: this needs the permission "
            "pages_read_engagement") in out
    assert "Example Libraries: Meta asked Engage Desktop to wait until" in out
    as_json = json.loads(run_cli("sync", "--json", "--no-insights", "--db",
                                 str(connected_db)).stdout)
    assert as_json["status"] == "partial" and as_json["resume_after"].endswith("Z")
    kinds = {e["page_id"]: e["kind"] for e in as_json["errors"]}
    assert kinds == {"333333333333333": "token", "444444444444444": "permission",
                     "222222222222222": "throttled"}


def test_an_unreachable_network_is_exit_5(connected_db: Path, run_cli) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.monotonic()
    result = run_cli("sync", "--db", str(connected_db),
                     env={"ENGAGE_GRAPH_URL": f"http://127.0.0.1:{port}/v26.0"})
    assert result.returncode == 5 and "refused the connection" in result.stdout
    assert time.monotonic() - started < 10


def test_no_usable_token_is_exit_4(db: Path, run_cli, graph: GraphServer,
                                   secret_service) -> None:
    token = graph.state.users["1000001"].token
    run_cli("connect", "--token-stdin", "--db", str(db), stdin=token)
    graph.state.expire(token, 463)
    for page in graph.state.pages.values():
        if page.token:
            graph.state.expire(page.token, 463)
    result = run_cli("sync", "--db", str(db))
    assert result.returncode == 4, result.stdout + result.stderr
    assert "Reconnect: the token expired." in result.stdout


def test_a_second_sync_at_the_same_time_is_refused(connected_db: Path, run_cli,
                                                   graph: GraphServer) -> None:
    graph.state.latency = 0.5
    graph.state.requests.clear()
    first = subprocess.Popen([sys.executable, "-m", "engage_desktop", "sync", "--db",
                              str(connected_db)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while not graph.state.requests and time.monotonic() < deadline:
            time.sleep(0.05)
        second = run_cli("sync", "--db", str(connected_db))
        assert second.returncode == 1 and "Another sync of this database is running" in (
            second.stderr)
    finally:
        _out, err = first.communicate(timeout=60)
    assert first.returncode == 0, err


@pytest.fixture
def big_council(graph_state: GraphState) -> GraphState:
    user = graph_state.users["1000001"]
    for index in range(57):
        page = graph_state.add_page(FakePage(
            f"7{index:014d}", f"Own Page {index:02d}", token=f"EAAOWN{index:03d}TOKEN012345678"))
        user.page_ids.append(page.id)
    for index in range(58):
        graph_state.add_page(FakePage(f"8{index:014d}", f"Public Page {index:02d}"))
    graph_state.latency = 0.03
    return graph_state


def test_killing_a_sync_at_any_moment_leaves_a_consistent_database(
        db: Path, run_cli, big_council: GraphState, graph: GraphServer, secret_service) -> None:
    assert run_cli("connect", "--token-stdin", "--db", str(db),
                   stdin=big_council.users["1000001"].token).returncode == 0
    public = [p.id for p in big_council.pages.values() if p.token is None]
    assert run_cli("follow", "--db", str(db), *public).returncode == 0
    rng = random.Random(20261126)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    kills = runs = 0
    while kills < 20 and runs < 80:
        runs += 1
        process = subprocess.Popen([sys.executable, "-m", "engage_desktop", "sync", "--db",
                                    str(db)], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, env=env)
        # kill it once the server has answered a random number of its requests (0: before
        # it asked anything), so the kills land all through the run on any machine
        seen = len(big_council.requests)
        target = seen + rng.randint(0, 12)
        deadline = time.monotonic() + 30
        while (len(big_council.requests) < target and process.poll() is None
               and time.monotonic() < deadline):
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.05))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait(timeout=30)
        conn = sqlite3.connect(db)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            doubled = conn.execute(
                "SELECT page_id, sync_run_id FROM readings GROUP BY page_id, sync_run_id "
                "HAVING count(*) > 1").fetchall()
            assert doubled == []
        finally:
            conn.close()
    assert kills >= 20
    result = run_cli("sync", "--json", "--db", str(db))
    summary = json.loads(result.stdout)
    assert result.returncode == 0 and summary["status"] == "ok", result.stdout
    assert summary["pages_ok"] == 120
    conn = sqlite3.connect(db)
    statuses = {row[0] for row in conn.execute("SELECT status FROM sync_runs")}
    incomplete = conn.execute("SELECT count(*) FROM metric_status WHERE covered_from IS NULL "
                              "OR covered_from > date('now', '-729 days')").fetchone()[0]
    conn.close()
    assert "running" not in statuses and "failed" in statuses
    assert incomplete == 0, "the Insights back-fill completed across the interruptions"
    # and what the coverage claims is really there, day by day, with no hole
    conn = sqlite3.connect(db)
    for page_id, metric, first, last in conn.execute(
            "SELECT page_id, metric, covered_from, covered_until FROM metric_status"):
        days = conn.execute(
            "SELECT count(DISTINCT end_time) FROM insights WHERE page_id = ? AND metric = ? "
            "AND date(end_time, '-1 day') BETWEEN ? AND ?",
            [page_id, metric, first, last]).fetchone()[0]
        expected = (date.fromisoformat(last) - date.fromisoformat(first)).days + 1
        assert days == expected, (page_id, metric, first, last, days)
    conn.close()
