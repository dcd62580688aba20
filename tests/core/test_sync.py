"""The sync engine against the loopback Graph API: plans, faults alone and mixed, throttling,
Insights back-fill, cancel, the lock."""

from __future__ import annotations

import itertools
import math
import threading
from datetime import date, timedelta

import pytest
from filelock import FileLock
from graph_server import FakePage, FakeUser, GraphServer, GraphState

from engage_desktop.core import accounts
from engage_desktop.core.graph import GraphClient
from engage_desktop.core.net import NetworkSettings, make_session
from engage_desktop.core.store import Store
from engage_desktop.core.sync import (
    INSIGHT_METRICS,
    RETRY_BUDGET,
    Progress,
    SyncBusyError,
    SyncOptions,
    insight_windows,
    run_sync,
)
from engage_desktop.core.tokens import TokenVault


@pytest.fixture
def council(graph_state: GraphState) -> GraphState:
    """60 own Pages and 60 public ones (with the example council's five)."""
    user = graph_state.users["1000001"]
    for index in range(57):
        page = graph_state.add_page(FakePage(
            f"7{index:014d}", f"Own Page {index:02d}", followers_count=1000 + index,
            fan_count=1000 + index, talking_about_count=20 + index,
            token=f"EAAOWN{index:03d}TOKEN0123456789"))
        user.page_ids.append(page.id)
    for index in range(58):
        graph_state.add_page(FakePage(f"8{index:014d}", f"Public Page {index:02d}",
                                      followers_count=5000, fan_count=5000,
                                      talking_about_count=100))
    return graph_state


@pytest.fixture
def connected(store: Store, council: GraphState, graph: GraphServer, memory_keyring):
    vault = TokenVault(memory_keyring)
    client = GraphClient(graph.url, make_session(NetworkSettings()))
    accounts.connect(store, vault, client, council.users["1000001"].token)
    public = [p.id for p in council.pages.values() if p.token is None]
    accounts.follow(store, vault, client, public)
    council.requests.clear()
    return vault


def _sync(store, vault, graph, sleeps, **options):
    settings = NetworkSettings(connect_timeout=3, read_timeout=10)
    client = GraphClient(graph.url, make_session(settings), settings)
    return run_sync(store, vault, client, options=SyncOptions(sleep=sleeps, **options))


def _readings(store: Store, run_id: int) -> dict[str, tuple]:
    rows = store.db.execute("SELECT page_id, followers, fans, talking_about, npe FROM readings "
                            "WHERE sync_run_id = ?", [run_id]).fetchall()
    return {row[0]: row[1:] for row in rows}


def test_120_pages_in_a_handful_of_requests(store, connected, graph, council, sleeps) -> None:
    summary = _sync(store, connected, graph, sleeps, insights=False)
    assert (summary.status, summary.pages_ok, summary.pages_failed) == ("ok", 120, 0)
    assert summary.requests == 2 * math.ceil(60 / 50)
    batches = [r for r in council.requests if r.method == "POST"]
    # own Pages, then public Pages, each Page its own item: never a multi-ID GET
    assert [r.batch_size for r in batches] == [50, 10, 50, 10]
    assert not [r for r in council.requests if r.method == "GET"]
    stored = _readings(store, summary.run_id)
    assert len(stored) == 120
    assert stored["111111111111111"] == (24810, 24810, 512, 1)
    assert stored["222222222222222"] == (4355, 4310, 19, 0)  # classic Page: likes differ
    assert not any(r.token_in_url for r in council.requests)
    run = store.sync_runs()[0]
    assert (run.status, run.requests, run.api_version) == ("ok", 4, "v27.0")


def test_missing_talking_about_is_recorded_as_missing(store, connected, graph, council,
                                                      sleeps) -> None:
    council.pages["444444444444444"].talking_about_count = None
    council.pages["7" + "0" * 14].talking_about_count = None
    summary = _sync(store, connected, graph, sleeps, insights=False)
    assert summary.status == "ok"
    stored = _readings(store, summary.run_id)
    assert stored["444444444444444"][2] is None and stored["7" + "0" * 14][2] is None


def test_the_npe_switch_is_noted_once(store, connected, graph, council, sleeps) -> None:
    _sync(store, connected, graph, sleeps, insights=False)
    council.pages["222222222222222"].npe = True
    _sync(store, connected, graph, sleeps, insights=False)
    _sync(store, connected, graph, sleeps, insights=False)
    notes = store.notes(date(2020, 1, 1), date(2030, 1, 1), ["222222222222222"])
    assert [(n.page_id, n.text) for n in notes] == [
        ("222222222222222", "Moved to the New Pages Experience: likes now count followers")]


def test_names_and_addresses_follow_meta(store, connected, graph, council, sleeps) -> None:
    council.pages["111111111111111"].name = "Example Borough Council (official)"
    _sync(store, connected, graph, sleeps, insights=False)
    page = store.page("111111111111111")
    assert page.name == "Example Borough Council (official)" and page.kind == "own"


@pytest.mark.parametrize("fault", ["http500", "gateway", "truncate", "drop", "cut",
                                   "transient", "null_item"])
def test_temporary_faults_are_retried(store, connected, graph, council, sleeps,
                                      fault) -> None:
    # (a batch item only takes a fault that names something in it)
    council.fault(fault, match="fields=" if fault == "null_item" else "", times=2)
    summary = _sync(store, connected, graph, sleeps, insights=False)
    assert (summary.status, summary.pages_ok) == ("ok", 120), summary.errors
    assert sleeps and all(0 < s <= 30 for s in sleeps)


def test_a_fault_that_does_not_go_away_fails_only_its_pages(store, connected, graph, council,
                                                            sleeps) -> None:
    council.fault("null_item", match="70000000000000", times=-1)  # ten own Pages never answer
    summary = _sync(store, connected, graph, sleeps, insights=False)
    assert summary.status == "partial"
    failed = {e.page_id for e in summary.errors}
    assert failed == {f"7{index:014d}" for index in range(10)}
    assert {e.kind for e in summary.errors} == {"temporary"}
    assert summary.pages_ok == 110
    assert len(sleeps) == RETRY_BUDGET, "a bounded number of retries, with back-off"


def test_backoff_grows_exponentially_with_jitter(store, connected, graph, council,
                                                 sleeps) -> None:
    council.fault("http500", times=3)
    _sync(store, connected, graph, sleeps, insights=False, backoff_base=1.0)
    assert len(sleeps) == 3
    for attempt, seconds in enumerate(sleeps):
        assert 0.5 * 2 ** attempt <= seconds <= 1.5 * 2 ** attempt


def test_a_revoked_page_token_marks_that_page_and_the_run_goes_on(
        store, connected, graph, council, sleeps) -> None:
    council.expire(council.pages["333333333333333"].token, 460)
    summary = _sync(store, connected, graph, sleeps, insights=False)
    assert summary.status == "partial" and summary.pages_ok == 119
    (error,) = summary.errors
    assert error.page_id == "333333333333333" and error.kind == "token"
    assert "password was changed" in error.message
    page = store.page("333333333333333")
    assert page.token_status == "needs_reconnect"
    # the next run does not call Meta for it until it is reconnected
    council.requests.clear()
    again = _sync(store, connected, graph, sleeps, insights=False)
    assert again.pages_ok == 119
    assert not any("333333333333333" in p for r in council.requests for p in r.batch_paths)


def test_a_revoked_token_in_front_of_the_batch_does_not_sink_the_others(
        store, graph, council, sleeps, memory_keyring) -> None:
    vault = TokenVault(memory_keyring)
    client = GraphClient(graph.url, make_session(NetworkSettings()))
    for page in list(council.pages.values())[:3]:  # Page tokens only: one leads each batch
        accounts.connect(store, vault, client, page.token)
    council.expire(council.pages["111111111111111"].token, 463)
    summary = _sync(store, vault, graph, sleeps, insights=False)
    assert summary.pages_ok == 2
    assert [(e.page_id, e.kind) for e in summary.errors] == [("111111111111111", "token")]


def test_when_every_token_is_dead_the_requests_stay_few(store, connected, graph, council,
                                                        sleeps) -> None:
    council.expire(council.users["1000001"].token, 460)
    for page in council.pages.values():
        if page.token:
            council.expire(page.token, 460)
    summary = _sync(store, connected, graph, sleeps)
    assert summary.pages_ok == 0 and {e.kind for e in summary.errors} == {"token"}
    assert summary.requests <= 6
    assert sum(r.batch_size for r in council.requests) <= 4 * 50


def test_a_permission_error_for_one_public_page_is_isolated(store, connected, graph, council,
                                                            sleeps) -> None:
    council.pages["8" + "0" * 14].public_readable = False
    summary = _sync(store, connected, graph, sleeps, insights=False)
    assert summary.status == "partial" and summary.pages_ok == 119
    (error,) = summary.errors
    assert error.page_id == "8" + "0" * 14 and error.kind == "permission"
    assert summary.requests <= 4 + 2 * math.ceil(math.log2(50)) + 1, "isolated by halving"


def test_a_throttled_page_waits_for_the_time_meta_gives(store, connected, graph, council,
                                                        sleeps) -> None:
    # Meta throttles ten own Pages' calls (80001, wait 19 minutes)
    council.fault("throttle", match="70000000000000", times=-1, regain_minutes=19)
    summary = _sync(store, connected, graph, sleeps, insights=False)
    assert summary.status == "partial"
    throttled = {e.page_id for e in summary.errors if e.kind == "throttled"}
    assert throttled == {f"7{index:014d}" for index in range(10)}
    assert summary.pages_ok == 110
    minutes = (summary.resume_after - store.sync_runs()[0].started_at).total_seconds() / 60
    assert 18 <= minutes <= 20
    # the next run leaves those Pages alone and reads the rest
    council.requests.clear()
    again = _sync(store, connected, graph, sleeps, insights=False)
    assert {e.page_id for e in again.errors} == throttled and again.pages_ok == 110
    assert not any(pid in p for r in council.requests for p in r.batch_paths
                   for pid in throttled)


def test_meta_throttling_the_app_stops_every_call(store, connected, graph, council,
                                                  sleeps) -> None:
    council.fault("throttle")  # the first request (own Pages' batch, user token in front): #4
    summary = _sync(store, connected, graph, sleeps)
    assert summary.status == "partial" and summary.pages_ok == 0
    assert {e.kind for e in summary.errors} == {"throttled"}
    assert len(council.requests) == 1, "not one more call after Meta said stop"
    assert summary.resume_after is not None


def test_a_throttled_front_page_blocks_only_the_page_meta_names(store, graph, council,
                                                                sleeps, memory_keyring) -> None:
    # Page tokens only (no user token): the first Page's token leads the batch
    vault = TokenVault(memory_keyring)
    client = GraphClient(graph.url, make_session(NetworkSettings()))
    for page in list(council.pages.values())[:3]:
        accounts.connect(store, vault, client, page.token)
    council.fault("throttle", regain_minutes=7)
    summary = _sync(store, vault, graph, sleeps, insights=False)
    assert [e.page_id for e in summary.errors] == ["111111111111111"]
    assert summary.errors[0].kind == "throttled" and summary.pages_ok == 2


def test_app_usage_near_the_limit_pauses_the_app(store, connected, graph, council,
                                                 sleeps) -> None:
    # usage near the limit: the first batch of 50 public Pages takes X-App-Usage past 90 %
    council.calls_by_token[council.users["1000001"].token] = council.calls_per_hour * 88 // 100
    summary = _sync(store, connected, graph, sleeps)
    assert summary.status == "partial"
    throttled = {e.page_id for e in summary.errors if e.kind == "throttled"}
    public = {p.id for p in council.pages.values() if not p.token}
    # X-App-Usage is the app's: the second chunk of public Pages and every own Page's
    # Insights wait
    assert len(throttled & public) == 10 and throttled - public == {
        p.id for p in council.pages.values() if p.token}
    public_batches = [r for r in council.requests
                      if any(p.startswith("/8") for p in r.batch_paths)]
    assert len(public_batches) == 1
    assert not council.requests_to("insights") and not any(
        "insights" in path for r in council.requests for path in r.batch_paths)
    assert all("the whole app" in e.message for e in summary.errors if e.kind == "throttled")


def test_an_unreachable_network_fails_fast_and_keeps_the_data(store, connected, graph,
                                                              sleeps) -> None:
    first = _sync(store, connected, graph, sleeps, insights=False)
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = GraphClient(f"http://127.0.0.1:{port}/v26.0", make_session(NetworkSettings()))
    summary = run_sync(store, connected, client, options=SyncOptions(sleep=sleeps))
    assert summary.status == "failed" and summary.requests == 1 and sleeps == []
    assert {e.kind for e in summary.errors} == {"network"}
    assert "refused" in summary.message
    assert len(_readings(store, first.run_id)) == 120


def test_cancel_keeps_what_was_fetched(store, connected, graph, council, sleeps) -> None:
    cancel = threading.Event()
    seen: list[Progress] = []

    def progress(update: Progress) -> None:
        seen.append(update)
        if update.done >= 50:
            cancel.set()

    client = GraphClient(graph.url, make_session(NetworkSettings()))
    summary = run_sync(store, connected, client, options=SyncOptions(sleep=sleeps),
                       progress=progress, cancel=cancel)
    assert summary.status == "cancelled"
    assert len(_readings(store, summary.run_id)) == 50
    assert seen[0].total == 120 and seen[-1].done == 50
    assert store.sync_runs()[0].status == "cancelled"


def test_a_second_sync_is_refused_while_one_runs(store, connected, graph, sleeps) -> None:
    with FileLock(str(store.path) + ".sync-lock"), pytest.raises(SyncBusyError,
                                                                 match="Another sync"):
        _sync(store, connected, graph, sleeps)
    assert store.sync_runs() == []


def test_an_interrupted_run_is_closed_by_the_next(store, connected, graph, sleeps) -> None:
    stale = store.start_sync_run()
    _sync(store, connected, graph, sleeps, insights=False)
    runs = {run.id: run for run in store.sync_runs()}
    assert runs[stale].status == "failed" and "interrupted" in runs[stale].message


def test_insights_back_fill_then_trailing_window(store, connected, graph, council,
                                                 sleeps) -> None:
    summary = _sync(store, connected, graph, sleeps)
    assert summary.status == "ok"
    values = store.insights("111111111111111", "page_follows")
    assert len(values) >= 730
    assert all(v.end_time.hour in (7, 8) for v in values), "Pacific midnight in UTC"
    insight_items = [p for r in council.requests for p in r.batch_paths if "/insights" in p]
    assert len(insight_items) == 60 * 9
    for path in insight_items:
        since = date.fromisoformat(path.split("since=")[1][:10])
        until = date.fromisoformat(path.split("until=")[1][:10])
        assert 0 < (until - since).days <= 90
    council.requests.clear()
    again = _sync(store, connected, graph, sleeps)
    trailing = [p for r in council.requests for p in r.batch_paths if "/insights" in p]
    assert len(trailing) == 60, "one short window per own Page"
    assert again.requests == 2 + 2 + 2


def test_a_retired_metric_is_isolated_and_not_asked_for_again(store, connected, graph,
                                                              council, sleeps) -> None:
    council.retired_metrics.add("page_views_total")
    summary = _sync(store, connected, graph, sleeps)
    assert summary.status == "ok" and summary.pages_failed == 0
    status = store.metric_statuses()[("111111111111111", "page_views_total")]
    assert not status.available and status.unavailable_since is not None
    assert "valid insights metric" in status.last_error
    assert len(store.insights("111111111111111", "page_follows")) >= 730
    assert store.insights("111111111111111", "page_views_total") == []
    council.requests.clear()
    _sync(store, connected, graph, sleeps)
    asked = [p for r in council.requests for p in r.batch_paths if "/insights" in p]
    assert asked and not any("page_views_total" in p for p in asked)
    # a new API version asks again, once
    council.api_version = "v28.0"
    council.requests.clear()
    _sync(store, connected, graph, sleeps)
    asked = [p for r in council.requests for p in r.batch_paths if "/insights" in p]
    assert any("page_views_total" in p for p in asked)


def test_faults_mixed_together(store, connected, graph, council, sleeps) -> None:
    council.fault("http500", times=1)
    council.fault("null_item", match="70000000000000", times=3)
    council.fault("drop", times=1)
    council.pages["8" + "0" * 14].public_readable = False
    council.expire(council.pages["222222222222222"].token, 463, after_requests=2)
    council.retired_metrics.add("page_media_view")
    council.pages["9" * 15] = FakePage("9" * 15, "Vanished")  # followed, then removed
    store.upsert_pages([accounts.PageInfo("9" * 15, "Vanished", "public")])
    del council.pages["9" * 15]
    summary = _sync(store, connected, graph, sleeps)
    assert summary.status == "partial"
    by_page = {e.page_id: e.kind for e in summary.errors}
    assert by_page == {"8" + "0" * 14: "permission", "222222222222222": "token",
                       "9" * 15: "not_found"}
    # 222…'s reading was saved before Meta rejected its token: synced, without its Insights
    assert (summary.pages_ok, summary.pages_failed) == (119, 2)
    assert summary.message == "119 of 121 Pages synced, 1 of them without all their Insights"


def test_insight_windows() -> None:
    today = date(2026, 11, 25)
    fresh = list(insight_windows(today, None, None))
    assert fresh[0][1] == today + timedelta(days=1)
    assert fresh[-1][0] == today - timedelta(days=730)
    assert all(0 < (until - since).days <= 90 for since, until in fresh)
    assert all(a[0] == b[1] for a, b in itertools.pairwise(fresh))
    later = list(insight_windows(today, today - timedelta(days=730), today - timedelta(days=5)))
    assert later == [(today - timedelta(days=7), today + timedelta(days=1))]
    resumed = list(insight_windows(today, today - timedelta(days=100), today))
    assert resumed[0] == (today - timedelta(days=2), today + timedelta(days=1))
    assert resumed[-1][0] == today - timedelta(days=730)
    assert len(INSIGHT_METRICS) == 6


def test_a_gap_in_insights_coverage_is_fetched_again(store: Store) -> None:
    from factories import page

    store.upsert_pages([page("1")])
    store.record_metric("1", "page_follows", ok=True, covered=(date(2026, 9, 1),
                                                               date(2026, 11, 25)))
    store.record_metric("1", "page_follows", ok=True, covered=(date(2026, 3, 1),
                                                               date(2026, 5, 31)))
    status = store.metric_statuses()[("1", "page_follows")]
    assert (status.covered_from, status.covered_until) == (date(2026, 9, 1), date(2026, 11, 25))
    store.record_metric("1", "page_follows", ok=True, covered=(date(2026, 6, 1),
                                                               date(2026, 8, 31)))
    status = store.metric_statuses()[("1", "page_follows")]
    assert status.covered_from == date(2026, 6, 1)


def test_public_pages_need_the_user_token(store, connected, graph, council, sleeps,
                                          memory_keyring) -> None:
    memory_keyring.entries.pop(("engage-desktop", "user:1000001"))
    summary = _sync(store, connected, graph, sleeps, insights=False)
    public_errors = [e for e in summary.errors if e.kind == "no_token"]
    assert len(public_errors) == 60 and "user or system-user token" in public_errors[0].message
    assert summary.pages_ok == 60


def test_a_user_token_without_pages_reads_only_public_pages(store, graph, council, sleeps,
                                                            memory_keyring) -> None:
    council.add_user(FakeUser("1000002", "Comms Analyst", "EAAANALYSTTOKEN0123456789"))
    vault = TokenVault(memory_keyring)
    client = GraphClient(graph.url, make_session(NetworkSettings()))
    accounts.connect(store, vault, client, "EAAANALYSTTOKEN0123456789")
    accounts.follow(store, vault, client, ["ExampleCounty"])
    summary = _sync(store, vault, graph, sleeps)
    assert (summary.status, summary.pages_ok) == ("ok", 1)


def test_a_permission_error_in_one_batch_item(store, connected, graph, council, sleeps) -> None:
    council.fault("permission", match="700000000000005?", times=-1)
    summary = _sync(store, connected, graph, sleeps, insights=False)
    assert summary.pages_ok == 119
    (error,) = summary.errors
    assert (error.page_id, error.kind, error.code) == ("700000000000005", "permission", 10)


def test_meta_asking_for_less_splits_the_insights_window(store, connected, graph, council,
                                                         sleeps) -> None:
    calls = {"n": 0}
    original = council.get

    def sometimes_too_much(path, query, token, base):
        if path.endswith("/insights") and query.get("since", "") < "2025" and calls["n"] < 3:
            calls["n"] += 1
            from graph_server import GraphError as ServerError

            raise ServerError(500, 1, "Please reduce the amount of data you're asking for, "
                                      "then retry your request")
        return original(path, query, token, base)

    council.get = sometimes_too_much
    summary = _sync(store, connected, graph, sleeps)
    assert summary.status == "ok", summary.errors
    assert calls["n"] == 3


def test_when_every_metric_is_retired_the_sync_still_runs(store, connected, graph, council,
                                                          sleeps) -> None:
    council.retired_metrics.update(INSIGHT_METRICS)
    first = _sync(store, connected, graph, sleeps)
    assert first.status == "ok"
    assert not any(s.available for s in store.metric_statuses().values())
    council.requests.clear()
    second = _sync(store, connected, graph, sleeps)
    assert second.status == "ok" and second.requests == 4, "no Insights asked for at all"


def test_a_retired_metric_costs_few_extra_requests(store, connected, graph, council,
                                                   sleeps) -> None:
    council.retired_metrics.add("page_views_total")
    _sync(store, connected, graph, sleeps)
    items = sum(r.batch_size for r in council.requests if r.method == "POST")
    # 60 readings, 60 Pages × 9 windows, and per Page one failed window and six probes
    assert items <= 60 + 60 * 9 + 60 * (1 + 6) + 60


def test_an_unrelated_invalid_parameter_retires_no_metric(store, connected, graph, council,
                                                          sleeps) -> None:
    original = council.get

    def bad_dates(path, query, token, base):
        if path.endswith("/insights") and query.get("since", "") < "2025-06":
            from graph_server import GraphError as ServerError

            raise ServerError(400, 100, "(#100) The parameter since must be a valid date")
        return original(path, query, token, base)

    council.get = bad_dates
    summary = _sync(store, connected, graph, sleeps)
    assert all(s.available for s in store.metric_statuses().values())
    assert {e.kind for e in summary.errors} == {"invalid_parameter"}
    assert summary.status == "partial"


def test_a_user_token_rejected_then_reconnected_reads_public_pages_again(
        store, connected, graph, council, sleeps) -> None:
    user = council.users["1000001"]
    council.expire(user.token, 460)
    broken = _sync(store, connected, graph, sleeps, insights=False)
    assert broken.pages_ok == 60
    user.token = "EAANEWUSERTOKEN0123456789"
    client = GraphClient(graph.url, make_session(NetworkSettings()))
    accounts.connect(store, connected, client, user.token)
    fixed = _sync(store, connected, graph, sleeps, insights=False)
    assert (fixed.status, fixed.pages_ok) == ("ok", 120)


def test_many_unreadable_public_pages_cost_no_extra_request(
        store, connected, graph, council, sleeps) -> None:
    for page in council.pages.values():
        if page.token is None:
            page.public_readable = False  # an app without Page Public Metadata Access
    summary = _sync(store, connected, graph, sleeps, insights=False)
    gets = [r for r in council.requests if r.method == "GET"]
    posts = [r for r in council.requests if r.method == "POST"]
    assert len(gets) == 0 and len(posts) == 2 + 2
    assert {e.kind for e in summary.errors} == {"permission"} and summary.pages_ok == 60


def test_cancel_is_honoured_while_isolating_bad_pages(store, connected, graph, council,
                                                      sleeps) -> None:
    council.pages["8" + "0" * 14].public_readable = False
    cancel = threading.Event()
    original = council.get

    def cancel_on_first_public_read(path, query, token, base):
        if path.startswith("/8"):
            cancel.set()
        return original(path, query, token, base)

    council.get = cancel_on_first_public_read
    client = GraphClient(graph.url, make_session(NetworkSettings()))
    summary = run_sync(store, connected, client, options=SyncOptions(sleep=sleeps),
                       cancel=cancel)
    assert summary.status == "cancelled"
    public = [r for r in council.requests
              if any(p.startswith("/8") for p in r.batch_paths)]
    assert len(public) == 1


def test_a_network_that_swallows_connections_fails_fast(store, connected, sleeps) -> None:
    import socket
    import time as clock

    with socket.socket() as blackhole:
        blackhole.bind(("127.0.0.1", 0))
        blackhole.listen(0)
        # fill the tiny backlog so that further connections hang unanswered
        fillers = []
        for _ in range(4):
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(blackhole.getsockname())
            fillers.append(filler)
        settings = NetworkSettings(connect_timeout=0.5, read_timeout=0.5)
        port = blackhole.getsockname()[1]
        client = GraphClient(f"http://127.0.0.1:{port}/v26.0", make_session(settings),
                             settings)
        started = clock.monotonic()
        summary = run_sync(store, connected, client, options=SyncOptions(sleep=sleeps))
        elapsed = clock.monotonic() - started
        for filler in fillers:
            filler.close()
    assert summary.status == "failed" and {e.kind for e in summary.errors} == {"network"}
    assert elapsed < 10 and summary.requests <= 4
