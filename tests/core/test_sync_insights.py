"""Insights as Meta really answers them, against the loopback Graph API: only the days Meta
sent values for count as held, an empty answer is noted and asked again later, breakdown and
lifetime values are skipped, and temporary errors cost a bounded number of retries per Page."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from factories import page
from graph_server import GraphServer, GraphState
from hypothesis import given, settings
from hypothesis import strategies as st

from engage_desktop.core import accounts
from engage_desktop.core import graph as graph_api
from engage_desktop.core.graph import GraphClient
from engage_desktop.core.net import NetworkSettings, make_session
from engage_desktop.core.store import Store
from engage_desktop.core.sync import (
    BACKFILL_DAYS,
    EMPTY_REASK,
    INSIGHT_METRICS,
    RETRY_BUDGET,
    SyncOptions,
    _Impossible,
    _insight_values,
    run_sync,
)
from engage_desktop.core.timeutil import to_utc_text, utc_now
from engage_desktop.core.tokens import TokenVault

BOROUGH, LIBRARIES, LEISURE = "111111111111111", "222222222222222", "333333333333333"
PACIFIC = ZoneInfo("America/Los_Angeles")


@pytest.fixture
def connected(store: Store, graph_state: GraphState, graph: GraphServer, memory_keyring):
    """The example council: three own Pages, two public ones."""
    vault = TokenVault(memory_keyring)
    client = GraphClient(graph.url, make_session(NetworkSettings()))
    accounts.connect(store, vault, client, graph_state.users["1000001"].token)
    accounts.follow(store, vault, client, [p.id for p in graph_state.pages.values()
                                          if p.token is None])
    graph_state.requests.clear()
    return vault


def _sync(store, vault, graph, sleeps):
    settings = NetworkSettings(connect_timeout=3, read_timeout=10)
    client = GraphClient(graph.url, make_session(settings), settings)
    return run_sync(store, vault, client, options=SyncOptions(sleep=sleeps))


def _windows(state: GraphState, page_id: str) -> list[tuple[date, date]]:
    """The Insights windows asked for this Page (batch items), in order."""
    windows = []
    for request in state.requests:
        for path in request.batch_paths:
            if path.startswith(f"/{page_id}/insights"):
                query = parse_qs(urlsplit(path).query)
                windows.append((date.fromisoformat(query["since"][0]),
                                date.fromisoformat(query["until"][0])))
    return windows


def _status(store: Store, page_id: str, metric: str):
    return store.metric_statuses().get((page_id, metric))


def _today() -> date:
    return datetime.now(PACIFIC).date()


def test_an_empty_answer_is_not_coverage_and_is_asked_again_after_a_while(
        store, connected, graph, graph_state, sleeps) -> None:
    graph_state.no_insights.add(LEISURE)  # a small Page: Meta answers {"data": []}
    first = _sync(store, connected, graph, sleeps)
    assert first.status == "ok", first.errors
    assert len(_windows(graph_state, LEISURE)) == 9, "the whole back-fill was asked once"
    for metric in INSIGHT_METRICS:
        status = _status(store, LEISURE, metric)
        assert (status.covered_from, status.covered_until) == (None, None)
        assert status.available and status.unavailable_since is not None
        assert status.last_error.startswith("Meta has no Insights for this Page for ")
        assert f"(asked {utc_now():%d %b %Y})" in status.last_error
        assert store.insights(LEISURE, metric) == []
    (note,) = first.errors
    assert (note.page_id, note.kind) == (LEISURE, "no_insights")
    assert "fewer than about 100 likes" in note.message
    assert "no Insights" in store.page_problems()[LEISURE]
    # the other Pages are held in full
    assert len(store.insights(BOROUGH, "page_follows")) >= BACKFILL_DAYS

    graph_state.requests.clear()
    second = _sync(store, connected, graph, sleeps)
    assert second.status == "ok"
    (newest,) = _windows(graph_state, LEISURE)  # not the 93-day windows all over again
    assert newest[1] == _today() + timedelta(days=1) and (newest[1] - newest[0]).days == 90

    # EMPTY_REASK later the older days are asked for again
    aged = to_utc_text(utc_now() - EMPTY_REASK - timedelta(hours=1))
    with store.transaction():
        store.conn.execute("UPDATE metric_status SET unavailable_since = ? WHERE page_id = ?",
                           [aged, LEISURE])
    graph_state.requests.clear()
    _sync(store, connected, graph, sleeps)
    assert len(_windows(graph_state, LEISURE)) == 9


def test_the_history_is_filled_when_meta_starts_answering(store, connected, graph,
                                                          graph_state, sleeps) -> None:
    graph_state.no_insights.add(LEISURE)
    _sync(store, connected, graph, sleeps)
    graph_state.no_insights.clear()  # the Page passed 100 likes
    newest = _sync(store, connected, graph, sleeps)
    assert newest.status == "ok" and not newest.errors
    status = _status(store, LEISURE, "page_follows")
    assert status.covered_until == _today() and status.last_error is None
    assert status.covered_from == _today() - timedelta(days=89)
    _sync(store, connected, graph, sleeps)
    for metric in INSIGHT_METRICS:
        status = _status(store, LEISURE, metric)
        assert status.covered_from == _today() - timedelta(days=BACKFILL_DAYS)
        assert len(store.insights(LEISURE, metric)) == BACKFILL_DAYS + 1


def test_a_metric_left_out_of_the_answer_is_not_coverage(store, connected, graph,
                                                         graph_state, sleeps) -> None:
    graph_state.missing_metrics.add((BOROUGH, "page_views_total"))
    summary = _sync(store, connected, graph, sleeps)
    assert summary.status == "ok" and not summary.errors, "the Page has Insights"
    missing = _status(store, BOROUGH, "page_views_total")
    assert (missing.covered_from, missing.covered_until) == (None, None)
    assert missing.last_error.startswith("Meta sent no page_views_total values for ")
    held = _status(store, BOROUGH, "page_follows")
    assert held.covered_from == _today() - timedelta(days=BACKFILL_DAYS)
    assert held.last_error is None
    graph_state.requests.clear()
    _sync(store, connected, graph, sleeps)
    assert len(_windows(graph_state, BOROUGH)) == 1, "the newest days only, for a while"


def test_breakdown_and_lifetime_values_are_skipped_not_stored_empty(
        store, connected, graph, graph_state, sleeps) -> None:
    graph_state.object_metrics.add((BOROUGH, "page_media_view"))  # by city
    graph_state.lifetime_metrics.add((BOROUGH, "page_views_total"))  # without end_time
    summary = _sync(store, connected, graph, sleeps)
    assert summary.status == "ok", summary.errors
    assert store.db.execute("SELECT count(*) FROM insights WHERE value IS NULL"
                            ).fetchone()[0] == 0
    for metric in ("page_media_view", "page_views_total"):
        assert store.insights(BOROUGH, metric) == []
        assert _status(store, BOROUGH, metric).covered_from is None
    assert len(store.insights(BOROUGH, "page_follows")) == BACKFILL_DAYS + 1


@pytest.mark.parametrize("code", [1, 2])
@pytest.mark.parametrize("transient", [True, None])
def test_temporary_insights_errors_cost_at_most_the_retry_budget(
        store, connected, graph, graph_state, sleeps, code, transient) -> None:
    graph_state.insights_errors[LIBRARIES] = (code, transient)
    summary = _sync(store, connected, graph, sleeps)
    asked = _windows(graph_state, LIBRARIES)
    assert len(asked) == 1 + RETRY_BUDGET, "one try and the Page's retries, not per window"
    assert len(sleeps) == RETRY_BUDGET
    (error,) = summary.errors
    assert (error.page_id, error.kind, error.code) == (LIBRARIES, "temporary", code)
    meta_said = "unknown error occurred" if code == 1 else "unexpected error has occurred"
    assert meta_said in error.message and "kept failing" not in error.message
    # the run went on: the other Pages' readings and Insights are saved
    assert summary.status == "partial" and summary.pages_ok == 5
    assert len(store.insights(BOROUGH, "page_follows")) == BACKFILL_DAYS + 1
    assert len(store.insights(LEISURE, "page_follows")) == BACKFILL_DAYS + 1
    assert store.insights(LIBRARIES, "page_follows") == []


@pytest.mark.parametrize("code", [1, 2])
def test_is_transient_false_is_not_retried(store, connected, graph, graph_state, sleeps,
                                           code) -> None:
    graph_state.insights_errors[LIBRARIES] = (code, False)
    summary = _sync(store, connected, graph, sleeps)
    assert len(_windows(graph_state, LIBRARIES)) == 1 and sleeps == []
    (error,) = summary.errors
    assert (error.page_id, error.code) == (LIBRARIES, code)
    assert error.message.startswith("Insights: ") and "Meta said" in error.message
    assert len(store.insights(BOROUGH, "page_follows")) == BACKFILL_DAYS + 1


@pytest.mark.parametrize(("body", "status", "retryable"), [
    ({"code": 2, "message": "x", "is_transient": True}, 400, True),
    ({"code": 2, "message": "x", "is_transient": False}, 400, False),
    ({"code": 2, "message": "x"}, 400, True),
    ({"code": 1, "message": "x", "is_transient": False}, 500, False),
    ({"code": 1, "message": "x"}, 500, True),
    ({"code": 100, "message": "x", "is_transient": True}, 400, True),
    ({"code": 10, "message": "x"}, 500, False),
    ({"code": 4, "message": "x", "is_transient": True}, 400, False),
])
def test_one_rule_says_what_is_asked_again(body, status, retryable) -> None:
    error = graph_api.parse_error({"error": body}, status)
    assert error.retryable is retryable
    assert error.code == body["code"]


def test_unix_second_paging_is_not_followed(store, connected, graph, graph_state,
                                            sleeps) -> None:
    graph_state.unix_paging = True
    client = GraphClient(graph.url, make_session(NetworkSettings()))
    token = graph_state.pages[BOROUGH].token
    answer = client.get(f"{BOROUGH}/insights", token, {
        "metric": "page_follows", "period": "day", "since": "2026-09-01",
        "until": "2026-09-11"})
    since = parse_qs(urlsplit(answer["paging"]["next"]).query)["since"][0]
    assert datetime.fromtimestamp(int(since), PACIFIC).date() == date(2026, 9, 11)
    graph_state.requests.clear()
    summary = _sync(store, connected, graph, sleeps)
    assert summary.status == "ok"
    assert not any(r.method == "GET" and "/insights" in r.path for r in graph_state.requests)
    assert len(store.insights(BOROUGH, "page_follows")) == BACKFILL_DAYS + 1


def test_values_for_days_already_held_keep_the_note_of_an_empty_answer(store: Store) -> None:
    store.upsert_pages([page("1")])
    held = (date(2026, 9, 1), date(2026, 11, 25))
    store.record_metric("1", "page_follows", ok=True, covered=held)
    store.note_metric_empty("1", "page_follows", "Meta has no Insights for this Page for …")
    # the newest days again: an older window was empty, and that still stands
    store.record_metric("1", "page_follows", ok=True,
                        covered=(date(2026, 11, 23), date(2026, 11, 28)))
    status = _status(store, "1", "page_follows")
    assert status.unavailable_since is not None and status.last_error.startswith("Meta has")
    assert status.covered_until == date(2026, 11, 28)
    # values for older days: the note is gone
    store.record_metric("1", "page_follows", ok=True,
                        covered=(date(2026, 6, 1), date(2026, 8, 31)))
    status = _status(store, "1", "page_follows")
    assert (status.unavailable_since, status.last_error) == (None, None)
    assert status.covered_from == date(2026, 6, 1)


_json = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
                     lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=6)


@settings(max_examples=60, deadline=None)
@given(points=st.lists(st.fixed_dictionaries(
    {"value": _json}, optional={"end_time": st.sampled_from(
        ["2026-11-29T08:00:00+0000", "2026-11-30T08:00:00+0000", "yesterday", 5])}),
    max_size=6))
def test_whatever_meta_sends_only_numbers_are_kept(points) -> None:
    body = {"data": [{"name": "page_media_view", "period": "day", "values": points}]}
    try:
        values = _insight_values("1", body)
    except _Impossible:
        return  # a number no Page can have: the window is not saved
    assert all(isinstance(v.value, float) for v in values)
    kept = [p for p in points if isinstance(p.get("value"), int | float)
            and not isinstance(p["value"], bool) and str(p.get("end_time", "")).startswith("2")]
    assert len(values) == len(kept)
