"""A hostile or broken Meta: counts no Page can have (2^63, 1e20, 1.5e308, negative, 12.5, true,
"12") fail that Page's reading with a plain message; every other Page is saved. Through the
loopback Graph API, in the engine and from the command line."""

from __future__ import annotations

import json
import math
import sqlite3
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from graph_server import GraphServer, GraphState
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engage_desktop.core import accounts
from engage_desktop.core.graph import GraphClient
from engage_desktop.core.models import MAX_COUNT
from engage_desktop.core.net import NetworkSettings, make_session
from engage_desktop.core.store import Store
from engage_desktop.core.sync import SyncOptions, run_sync
from engage_desktop.core.tokens import TokenVault

LEISURE = "333333333333333"  # an own Page of the example council
COUNTY = "555555555555555"  # a public one
IMPOSSIBLE = [2**63, 1e20, 1.5e308, -1, 12.5, True, "12"]
SHOWN = ["9223372036854775808", "1e+20", "1.5e+308", "-1", "12.5", "true", '"12"']


@pytest.fixture
def vault(store: Store, graph: GraphServer, graph_state: GraphState, memory_keyring) -> TokenVault:
    vault = TokenVault(memory_keyring)
    client = GraphClient(graph.url, make_session(NetworkSettings()))
    accounts.connect(store, vault, client, graph_state.users["1000001"].token)
    accounts.follow(store, vault, client, ["444444444444444", COUNTY])
    return vault


def _sync(store: Store, vault: TokenVault, graph: GraphServer, *, insights: bool = False):
    client = GraphClient(graph.url, make_session(NetworkSettings()))
    return run_sync(store, vault, client,
                    options=SyncOptions(insights=insights, sleep=lambda _: None))


def _saved(store: Store, run_id: int) -> dict[str, tuple]:
    rows = store.db.execute("SELECT page_id, followers, fans, talking_about FROM readings "
                            "WHERE sync_run_id = ?", [run_id]).fetchall()
    return {row[0]: tuple(row[1:]) for row in rows}


@pytest.mark.parametrize("page_id", [LEISURE, COUNTY])
@pytest.mark.parametrize("field", ["followers_count", "fan_count", "talking_about_count"])
def test_an_impossible_count_fails_that_page_only(store, vault, graph, graph_state, page_id,
                                                  field) -> None:
    page = graph_state.pages[page_id]
    page.npe = False  # a classic Page: Meta sends its likes apart from its followers
    setattr(page, field, 1e20)
    summary = _sync(store, vault, graph)
    assert summary.status == "partial"
    assert set(_saved(store, summary.run_id)) == set(graph_state.pages) - {page_id}
    (error,) = summary.errors
    label = {"followers_count": "follower count", "fan_count": "like count",
             "talking_about_count": "talking-about count"}[field]
    assert (error.page_id, error.kind) == (page_id, "impossible_value")
    assert error.message == (f"Meta reported an impossible {label} (1e+20); this reading was "
                             "not saved.")
    assert store.sync_errors(summary.run_id) == summary.errors
    assert (summary.pages_ok, summary.pages_failed) == (4, 1)


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70), st.floats(allow_nan=True),
    st.booleans(), st.text(max_size=5), st.none()))
def test_whatever_meta_sends_one_page_the_others_are_saved(store, vault, graph, graph_state,
                                                           value) -> None:
    graph_state.pages[LEISURE].followers_count = value
    summary = _sync(store, vault, graph)
    saved = _saved(store, summary.run_id)
    others = set(graph_state.pages) - {LEISURE}
    assert others <= set(saved)
    plausible = value is None or (
        isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
        and value == int(value) and 0 <= value <= MAX_COUNT)
    if plausible:
        assert summary.status == "ok" and saved[LEISURE][0] == (
            None if value is None else int(value))
    else:
        assert summary.status == "partial" and LEISURE not in saved
        (error,) = summary.errors
        assert error.kind == "impossible_value" and "impossible follower count" in (
            error.message)


def test_an_impossible_insights_value_loses_only_its_window(store, vault, graph,
                                                            graph_state) -> None:
    yesterday = datetime.now(ZoneInfo("America/Los_Angeles")).date() - timedelta(days=1)
    graph_state.insight_values[(LEISURE, "page_views_total", yesterday)] = 1.5e308
    summary = _sync(store, vault, graph, insights=True)
    assert summary.status == "partial"
    (error,) = summary.errors
    assert (error.page_id, error.kind) == (LEISURE, "impossible_value")
    assert error.message.startswith("Meta reported an impossible page_views_total (1.5e+308) "
                                    f"for {yesterday:%d %b %Y}; ")
    # the window holding it is not saved; the older windows and the other Pages' are
    days = {v.end_time.date() for v in store.insights(LEISURE, "page_views_total")}
    assert yesterday + timedelta(days=1) not in days and len(days) >= 600
    assert max(v.value for v in store.insights(LEISURE, "page_views_total")) < 1000
    assert len(store.insights("111111111111111", "page_views_total")) >= 730
    assert LEISURE in _saved(store, summary.run_id), "its reading is kept"


@pytest.mark.parametrize(("value", "shown"), list(zip(IMPOSSIBLE, SHOWN, strict=True)),
                         ids=SHOWN)
def test_the_command_line_saves_the_others_and_says_which(connected_db, run_cli, graph,
                                                          value, shown) -> None:
    graph.state.pages["222222222222222"].followers_count = value
    for _ in range(2):  # on every sync, not only the first
        result = run_cli("sync", "--no-insights", "--db", str(connected_db))
        assert result.returncode == 3, result.stdout + result.stderr
        assert result.stdout.startswith("4 of 5 Pages synced")
        assert (f"  Example Libraries: Meta reported an impossible follower count "
                f"({shown}); this reading was not saved.") in result.stdout
    conn = sqlite3.connect(connected_db)
    try:
        saved = {row[0] for row in conn.execute(
            "SELECT page_id FROM readings WHERE sync_run_id = (SELECT max(id) FROM sync_runs)")}
        kinds = conn.execute("SELECT DISTINCT kind FROM sync_errors").fetchall()
    finally:
        conn.close()
    assert saved == set(graph.state.pages) - {"222222222222222"}
    assert kinds == [("impossible_value",)]


def test_the_json_summary_names_the_page_and_the_value(connected_db, run_cli, graph) -> None:
    graph.state.pages[COUNTY].talking_about_count = 2**63
    result = run_cli("sync", "--json", "--no-insights", "--db", str(connected_db))
    assert result.returncode == 3, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["status"], summary["pages_ok"], summary["pages_failed"]) == ("partial", 4, 1)
    assert summary["errors"] == [{
        "page_id": COUNTY, "name": "Example County Council", "kind": "impossible_value",
        "code": None, "message": "Meta reported an impossible talking-about count "
                                 "(9223372036854775808); this reading was not saved."}]
