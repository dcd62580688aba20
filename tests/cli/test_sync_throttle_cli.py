"""engage-desktop sync when Meta throttles a business (a use-case key that is not a Page): the
officer sees which Pages wait and until when, and the exit code says "done in part"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from graph_server import GraphServer, usage_headers

BUSINESS = "987654321098765"


@pytest.fixture
def connected_db(connected_db: Path, graph: GraphServer) -> Path:
    graph.state.requests.clear()
    return connected_db


def test_a_business_pause_is_partial_and_names_every_page_waiting(connected_db: Path, run_cli,
                                                                  graph: GraphServer) -> None:
    graph.state.batch_headers.update(usage_headers(business={BUSINESS: (100, 42)}))
    result = run_cli("sync", "--json", "--db", str(connected_db))
    assert result.returncode == 3, result.stderr
    summary = json.loads(result.stdout)
    assert summary["status"] == "partial" and summary["resume_after"].endswith("Z")
    assert summary["pages_ok"] == 3  # the own Pages' readings came with the header
    assert {e["page_id"] for e in summary["errors"]} == {
        "111111111111111", "222222222222222", "333333333333333", "444444444444444",
        "555555555555555"}
    assert all(e["kind"] == "throttled" and "(a limit on the whole app)" in e["message"]
               for e in summary["errors"])
    graph.state.batch_headers.clear()
    graph.state.requests.clear()
    again = run_cli("sync", "--db", str(connected_db))
    assert again.returncode == 3 and not graph.state.requests, "the app still waits"
    lines = again.stdout.splitlines()
    assert lines[0].startswith("0 of 5 Pages synced; Meta asked us to wait until ")
    assert "Example County Council: Meta asked Engage Desktop to wait until " in again.stdout
    assert len([line for line in lines if "a limit on the whole app" in line]) == 5
