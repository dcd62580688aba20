"""The throttle book against the loopback Graph API: throttling codes inside batch items and the
rate-limit headers (on items and on the whole answer) pause the scope Meta names, the run says
which Pages wait and until when, and the next sync leaves that scope alone until then."""

from __future__ import annotations

import json
from datetime import UTC, timedelta

import pytest
from graph_server import FakePage, GraphServer, GraphState, ItemThrottle, usage_headers
from hypothesis import given, settings
from hypothesis import strategies as st

from engage_desktop.core import accounts
from engage_desktop.core.graph import GraphClient, parse_usage
from engage_desktop.core.net import NetworkSettings, make_session
from engage_desktop.core.settings import PUBLIC_READER, SYNC_THROTTLE
from engage_desktop.core.store import Store
from engage_desktop.core.sync import SyncOptions, SyncSummary, run_sync
from engage_desktop.core.timeutil import from_utc_text, utc_now
from engage_desktop.core.tokens import TokenVault

OWN = ["111111111111111", "222222222222222", "333333333333333"]
BUSY = "222222222222222"  # the own Page Meta throttles
PUBLIC_BUSY = "800000000000005"  # "Public Page 05", in the first chunk of 50 public Pages
SECOND_CHUNK = {f"8{index:014d}" for index in range(48, 58)}  # Public Pages 48-57
BUSINESS = "987654321098765"  # a business portfolio's ID, not a Page


@pytest.fixture
def state(graph_state: GraphState) -> GraphState:
    """The example council's three own Pages and 60 public ones (two chunks of reads)."""
    for index in range(58):
        graph_state.add_page(FakePage(f"8{index:014d}", f"Public Page {index:02d}"))
    return graph_state


@pytest.fixture
def vault(store: Store, state: GraphState, graph: GraphServer, memory_keyring) -> TokenVault:
    vault = TokenVault(memory_keyring)
    client = GraphClient(graph.url, make_session(NetworkSettings()))
    accounts.connect(store, vault, client, state.users["1000001"].token)
    accounts.follow(store, vault, client, [p.id for p in state.pages.values() if not p.token])
    state.requests.clear()
    return vault


def _sync(store: Store, vault: TokenVault, graph: GraphServer, **options) -> SyncSummary:
    client = GraphClient(graph.url, make_session(NetworkSettings()))
    return run_sync(store, vault, client,
                    options=SyncOptions(sleep=lambda _: None, **options))


def _read(state: GraphState) -> set[str]:
    """The Pages whose node was asked for in a batch item."""
    pages = {path.strip("/").split("?")[0] for r in state.requests for path in r.batch_paths}
    return {page for page in pages if "/" not in page}


def _insights_asked(state: GraphState) -> set[str]:
    return {path.strip("/").split("/")[0] for r in state.requests for path in r.batch_paths
            if "/insights?" in path}


def _pauses(store: Store) -> dict[str, float]:
    """The stored pauses: scope -> minutes from now."""
    now = utc_now()
    return {scope: (from_utc_text(when) - now).total_seconds() / 60
            for scope, when in store.settings.get(SYNC_THROTTLE).items()}


def _every_page_accounted_for(store: Store, summary: SyncSummary) -> None:
    """A partial run lists why: each followed Page was saved, or has an error; each Page left
    out because of a pause names when Meta lets us call again."""
    saved = {row[0] for row in store.db.execute(
        "SELECT page_id FROM readings WHERE sync_run_id = ?", [summary.run_id])}
    failed = {e.page_id for e in summary.errors}
    followed = {p.id for p in store.pages(followed_only=True)}
    assert saved | failed == followed
    assert summary.resume_after is not None
    for error in summary.errors:
        if error.kind in ("throttled", "blocked"):
            assert " until " in error.message and "UTC" in error.message, error.message


@pytest.mark.parametrize(("code", "paused", "public_read", "other_insights"), [
    (4, {"app"}, False, False),
    (341, {"app"}, False, False),
    (17, {"user", f"page:{BUSY}"}, False, True),
    (32, {f"page:{BUSY}"}, True, True),
    (80001, {f"page:{BUSY}"}, True, True),
    (613, {f"page:{BUSY}"}, True, True),  # that call pattern: this Page's token
    (368, {f"page:{BUSY}"}, True, True),
])
def test_a_code_inside_an_own_pages_item_pauses_the_scope_it_names(
        store, vault, graph, state, code, paused, public_read, other_insights) -> None:
    state.item_throttles[BUSY] = ItemThrottle(code)
    summary = _sync(store, vault, graph)
    assert summary.status == "partial"
    assert set(_pauses(store)) == paused
    read = _read(state)
    public = {p.id for p in state.pages.values() if not p.token}
    assert (public <= read) is public_read and (not public & read) is not public_read
    asked = _insights_asked(state)
    assert BUSY not in asked
    assert ({"111111111111111", "333333333333333"} <= asked) is other_insights
    busy = [e for e in summary.errors if e.page_id == BUSY]
    assert len(busy) == 1 and busy[0].code == code
    assert busy[0].kind == ("blocked" if code == 368 else "throttled")
    _every_page_accounted_for(store, summary)


def test_368_pauses_the_token_for_a_day_unless_meta_says(store, vault, graph, state) -> None:
    state.item_throttles[BUSY] = ItemThrottle(368)
    summary = _sync(store, vault, graph, insights=False)
    (error,) = summary.errors
    assert error.kind == "blocked" and error.code == 368
    assert "blocked" in error.message and "before calling for this Page again" in error.message
    assert 24 * 60 - 2 <= _pauses(store)[f"page:{BUSY}"] <= 24 * 60
    # with Meta's wait in the use-case header, that wait
    store.settings.set(SYNC_THROTTLE, {})
    state.item_throttles[BUSY] = ItemThrottle(368, usage_headers(business={BUSY: (100, 45)}))
    _sync(store, vault, graph, insights=False)
    assert 43 <= _pauses(store)[f"page:{BUSY}"] <= 45


def test_the_page_limits_regain_time_is_meta_s(store, vault, graph, state) -> None:
    state.item_throttles[BUSY] = ItemThrottle(80001, usage_headers(business={BUSY: (100, 19)}))
    summary = _sync(store, vault, graph, insights=False)
    assert _pauses(store).keys() == {f"page:{BUSY}"}
    assert 17 <= _pauses(store)[f"page:{BUSY}"] <= 19
    assert summary.resume_after == from_utc_text(
        store.settings.get(SYNC_THROTTLE)[f"page:{BUSY}"])


@pytest.mark.parametrize(("code", "paused", "second_chunk", "own_insights"), [
    (4, {"app"}, False, False),
    (341, {"app"}, False, False),
    (17, {"user"}, False, True),
    (613, {"user"}, False, True),  # that call pattern: public reads with the user token
    (368, {"user"}, False, True),
    (32, {f"page:{PUBLIC_BUSY}"}, True, True),
    (80001, {f"page:{PUBLIC_BUSY}"}, True, True),
])
def test_a_code_inside_a_public_pages_item_pauses_the_scope_it_names(
        store, vault, graph, state, code, paused, second_chunk, own_insights) -> None:
    state.item_throttles[PUBLIC_BUSY] = ItemThrottle(code)
    summary = _sync(store, vault, graph)
    assert summary.status == "partial"
    assert set(_pauses(store)) == paused
    assert (_read(state) >= SECOND_CHUNK) is second_chunk
    assert second_chunk or not SECOND_CHUNK & _read(state), "not one call for the second chunk"
    assert (set(OWN) <= _insights_asked(state)) is own_insights
    (busy,) = [e for e in summary.errors if e.page_id == PUBLIC_BUSY]
    assert busy.code == code and busy.kind == ("blocked" if code == 368 else "throttled")
    waiting = {e.page_id for e in summary.errors}
    assert (waiting >= SECOND_CHUNK) is not second_chunk
    _every_page_accounted_for(store, summary)


def test_page_usage_at_the_limit_pauses_only_that_page(store, vault, graph, state) -> None:
    # X-Page-Usage is the Page's own limit (its token made the call), not the user's
    state.item_headers[BUSY] = usage_headers(page=100)
    summary = _sync(store, vault, graph)
    assert set(_pauses(store)) == {f"page:{BUSY}"}
    public = {p.id for p in state.pages.values() if not p.token}
    assert public <= _read(state), "public reads went on"
    assert _insights_asked(state) == {"111111111111111", "333333333333333"}
    assert {e.page_id for e in summary.errors} == {BUSY}
    (error,) = summary.errors
    assert error.kind == "throttled" and "before calling for this Page again" in error.message
    assert summary.status == "partial" and summary.pages_ok == len(public) + 3


@pytest.mark.parametrize("where", ["item", "outer answer"])
def test_a_business_key_pauses_the_app_with_its_regain_time(store, vault, graph, state,
                                                             where) -> None:
    headers = usage_headers(business={BUSINESS: (100, 42)})
    if where == "item":
        state.item_headers[BUSY] = headers
    else:
        state.batch_headers.update(headers)
    summary = _sync(store, vault, graph)
    assert set(_pauses(store)) == {"app"}
    assert 40 <= _pauses(store)["app"] <= 42
    minutes = (summary.resume_after - utc_now()).total_seconds() / 60
    assert 40 <= minutes <= 42
    # the own Pages' readings came in the batch that carried the header; nothing after it
    public = {p.id for p in state.pages.values() if not p.token}
    assert not public & _read(state) and not _insights_asked(state)
    assert summary.status == "partial" and summary.pages_ok == 3
    assert {e.page_id for e in summary.errors} == public | set(OWN)
    assert all(e.kind == "throttled" and "(a limit on the whole app)" in e.message
               for e in summary.errors)
    # the time, with the day when the wait runs past midnight UTC
    resume = summary.resume_after.astimezone(UTC)
    clock = (f"{resume:%H:%M} UTC" if resume.date() == utc_now().date()
             else f"{resume:%d %b %H:%M} UTC")
    assert f"Meta asked us to wait until {clock}" in summary.message
    _every_page_accounted_for(store, summary)


def test_app_usage_on_the_outer_answer_pauses_the_app(store, vault, graph, state) -> None:
    state.batch_headers.update(usage_headers(app=95))
    summary = _sync(store, vault, graph)
    assert set(_pauses(store)) == {"app"}
    assert 28 <= _pauses(store)["app"] <= 30  # Meta gave no time: half an hour
    assert not _insights_asked(state) and summary.status == "partial"


def test_page_usage_on_the_outer_answer_is_the_front_tokens(store, graph, state,
                                                           memory_keyring) -> None:
    # the user token leads the batch: X-Page-Usage there is no Page's and not the user's
    state.batch_headers.update(usage_headers(page=100))
    vault = TokenVault(memory_keyring)
    client = GraphClient(graph.url, make_session(NetworkSettings()))
    accounts.connect(store, vault, client, state.users["1000001"].token)
    summary = _sync(store, vault, graph)
    assert summary.status == "ok" and _pauses(store) == {}
    # Page tokens only: the first Page's token leads the batch, and only that Page waits
    store.settings.set(PUBLIC_READER, None)
    summary = _sync(store, vault, graph, insights=False)
    assert set(_pauses(store)) == {"page:111111111111111"} and summary.status == "ok"
    state.batch_headers.clear()
    state.requests.clear()
    again = _sync(store, vault, graph, insights=False)
    assert _read(state) == {"222222222222222", "333333333333333"}
    assert [e.page_id for e in again.errors] == ["111111111111111"]


def test_a_pause_that_stops_nothing_is_noted_and_the_run_is_ok(store, vault, graph,
                                                               state) -> None:
    # the Page's limit is reached on its last call (no Insights are asked for): nothing waits
    state.item_headers[BUSY] = usage_headers(page=100)
    summary = _sync(store, vault, graph, insights=False)
    assert summary.status == "ok" and summary.errors == []
    assert summary.resume_after is not None and "Meta asked us to wait until" in summary.message


def test_the_next_sync_skips_the_paused_scope_and_says_when(store, vault, graph,
                                                           state) -> None:
    state.item_throttles[BUSY] = ItemThrottle(368)
    first = _sync(store, vault, graph, insights=False)
    resume = first.resume_after
    assert resume is not None and resume - utc_now() > timedelta(hours=23)
    state.item_throttles.clear()
    state.requests.clear()
    again = _sync(store, vault, graph, insights=False)
    assert BUSY not in _read(state), "not one call for the paused Page"
    assert len(_read(state)) == len(state.pages) - 1, "the others were read"
    (error,) = again.errors
    assert error.page_id == BUSY and error.kind == "throttled"
    day = f"{resume:%H:%M} UTC" if resume.date() == utc_now().date() else (
        f"{resume:%d %b %H:%M} UTC")
    assert error.message == (f"Meta asked Engage Desktop to wait until {day} before calling "
                             "for this Page again (a limit on this Page); the next sync "
                             "carries on.")
    assert again.status == "partial" and again.resume_after == resume


def test_a_business_pause_carries_over_to_the_next_sync(store, vault, graph, state) -> None:
    state.batch_headers.update(usage_headers(business={BUSINESS: (100, 42)}))
    first = _sync(store, vault, graph)
    state.batch_headers.clear()
    state.requests.clear()
    again = _sync(store, vault, graph)
    assert again.requests == 0 and not state.requests, "the app waits"
    assert again.status == "partial" and again.resume_after == first.resume_after
    assert {e.page_id for e in again.errors} == {p.id for p in state.pages.values()}
    assert all("(a limit on the whole app)" in e.message for e in again.errors)


@settings(max_examples=60)
@given(st.dictionaries(st.text("0123456789", min_size=1, max_size=16), st.lists(
    st.tuples(st.integers(0, 150), st.integers(0, 150), st.integers(0, 150),
              st.integers(0, 90)), max_size=3), max_size=4),
       st.integers(0, 150), st.integers(0, 150))
def test_usage_names_each_scope_at_its_own_limit(business, app, page) -> None:
    usage = parse_usage({
        "X-App-Usage": json.dumps({"call_count": app, "total_time": 1, "total_cputime": 1}),
        "x-page-usage": json.dumps({"call_count": 1, "total_time": page, "total_cputime": 1}),
        "X-Business-Use-Case-Usage": json.dumps({key: [
            {"type": "pages", "call_count": a, "total_cputime": b, "total_time": c,
             "estimated_time_to_regain_access": minutes} for a, b, c, minutes in entries]
            for key, entries in business.items()})})
    assert usage.app_over(90) is (app >= 90)
    assert usage.page_over(90) is (page >= 90)
    assert set(usage.business_over(90)) == {
        key for key, entries in business.items()
        if any(max(a, b, c) >= 90 or minutes > 0 for a, b, c, minutes in entries)}
    for key, entries in business.items():
        assert usage.regain_minutes_for(key) == max((e[3] for e in entries), default=0)
