"""Reading public Pages as Meta answers since Graph API v27.0: multi-ID reads (``GET /?ids=``) are
refused, so every Page is one item of a batch request (50 a request, the user token), and a Page
Meta cannot read fails its own item only."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import pytest
from graph_server import FakePage, GraphServer, GraphState
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from keyrings import MemoryKeyring

from engage_desktop.core import accounts
from engage_desktop.core.graph import GraphClient
from engage_desktop.core.net import NetworkSettings, make_session
from engage_desktop.core.store import Store, open_store
from engage_desktop.core.sync import RETRY_BUDGET, SyncOptions, SyncSummary, run_sync
from engage_desktop.core.tokens import TokenVault

PUBLIC = [f"8{index:014d}" for index in range(58)] + ["444444444444444", "555555555555555"]
OWN = ["111111111111111", "222222222222222", "333333333333333"]


@pytest.fixture
def council(graph_state: GraphState) -> GraphState:
    """The example council's three own Pages, and 60 public Pages (its two and 58 more)."""
    for page_id in PUBLIC[:58]:
        graph_state.add_page(FakePage(page_id, f"Parish {page_id[-2:]}", followers_count=5000,
                                      fan_count=5000, talking_about_count=100))
    return graph_state


@pytest.fixture
def vault(memory_keyring) -> TokenVault:
    return TokenVault(memory_keyring)


def _client(graph: GraphServer) -> GraphClient:
    return GraphClient(graph.url, make_session(NetworkSettings()))


def _follow(store: Store, vault: TokenVault, graph: GraphServer, council: GraphState) -> None:
    client = _client(graph)
    accounts.connect(store, vault, client, council.users["1000001"].token)
    result = accounts.follow(store, vault, client, PUBLIC)
    assert len(result.added) == 60 and not result.failed
    council.requests.clear()


def _sync(store: Store, vault: TokenVault, graph: GraphServer) -> SyncSummary:
    return run_sync(store, vault, _client(graph),
                    options=SyncOptions(insights=False, sleep=lambda _: None))


def _saved(store: Store, run_id: int) -> set[str]:
    return {row[0] for row in store.db.execute(
        "SELECT page_id FROM readings WHERE sync_run_id = ?", [run_id])}


def _public_batches(council: GraphState) -> list:
    return [r for r in council.requests
            if r.method == "POST" and any(p.lstrip("/")[:15] in PUBLIC for p in r.batch_paths)]


def test_public_pages_are_read_in_batches_when_meta_refuses_multi_id_reads(
        store, vault, graph, council) -> None:
    _follow(store, vault, graph, council)
    summary = _sync(store, vault, graph)
    assert (summary.status, summary.pages_ok, summary.errors) == ("ok", 63, [])
    assert _saved(store, summary.run_id) == set(PUBLIC) | set(OWN)
    assert not [r for r in council.requests if r.method == "GET"], "no multi-ID read"
    public = _public_batches(council)
    assert [r.batch_size for r in public] == [50, 10]
    # each item reads one Page, with the user token (in the POST body, never in a URL)
    assert all(p.count("/") == 1 and "ids=" not in p for r in public for p in r.batch_paths)
    assert summary.requests == math.ceil(3 / 50) + math.ceil(60 / 50)
    assert summary.api_version == "v27.0"


@pytest.mark.parametrize("subcode", [None, 33])
def test_one_unreadable_public_page_among_60_fails_alone(store, vault, graph, council,
                                                         subcode) -> None:
    _follow(store, vault, graph, council)
    bad = PUBLIC[7]
    council.unreadable[bad] = subcode
    summary = _sync(store, vault, graph)
    assert summary.status == "partial" and (summary.pages_ok, summary.pages_failed) == (62, 1)
    assert _saved(store, summary.run_id) == (set(PUBLIC) | set(OWN)) - {bad}
    # no extra request to isolate it: the same two batches for 60 public Pages
    assert len(_public_batches(council)) == 2
    (error,) = store.sync_errors(summary.run_id)
    assert (error.page_id, error.code, error.subcode) == (bad, 100, subcode)
    assert (f"Object with ID '{bad}' does not exist, cannot be loaded due to missing "
            "permissions, or does not support this operation") in error.message


def test_a_null_batch_item_is_that_pages_temporary_failure_only(store, vault, graph,
                                                                council) -> None:
    _follow(store, vault, graph, council)
    late = PUBLIC[30]
    council.fault("null_item", match=late, times=-1)  # Meta never completes its item
    summary = _sync(store, vault, graph)
    assert summary.status == "partial" and summary.pages_ok == 62
    assert _saved(store, summary.run_id) == (set(PUBLIC) | set(OWN)) - {late}
    (error,) = summary.errors
    assert (error.page_id, error.kind) == (late, "temporary")
    # that Page is asked again until its retry budget is spent, the others once
    asked = [p.lstrip("/")[:15] for r in _public_batches(council) for p in r.batch_paths]
    assert asked.count(late) == 1 + RETRY_BUDGET
    assert all(asked.count(page_id) == 1 for page_id in PUBLIC if page_id != late)


def test_a_null_item_that_completes_on_retry_is_saved(store, vault, graph, council) -> None:
    _follow(store, vault, graph, council)
    council.fault("null_item", match=PUBLIC[3], times=1)
    summary = _sync(store, vault, graph)
    assert (summary.status, summary.pages_ok) == ("ok", 63)


@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(PUBLIC),
                       st.sampled_from(["100", "100/33", "permission", "gone"]),
                       max_size=12))
def test_any_set_of_unreadable_public_pages_fails_only_those(graph, council, bad) -> None:
    with tempfile.TemporaryDirectory() as folder, open_store(Path(folder) / "e.sqlite") as store:
        vault = TokenVault(MemoryKeyring())
        council.unreadable.clear()
        for page in council.pages.values():
            page.public_readable = True
        gone = []
        _follow(store, vault, graph, council)
        for page_id, how in bad.items():
            if how == "permission":
                council.pages[page_id].public_readable = False
            elif how == "gone":
                gone.append(council.pages.pop(page_id))
            else:
                council.unreadable[page_id] = 33 if how == "100/33" else None
        try:
            summary = _sync(store, vault, graph)
        finally:
            for page in gone:
                council.add_page(page)
        assert _saved(store, summary.run_id) == (set(PUBLIC) | set(OWN)) - set(bad)
        assert {e.page_id for e in summary.errors} == set(bad)
        assert all(e.code in (100, 10, 803) for e in summary.errors)
        assert len(_public_batches(council)) == 2


def test_the_user_token_dying_inside_a_batch_stops_every_public_read(store, vault, graph,
                                                                      council) -> None:
    _follow(store, vault, graph, council)
    # the own Pages' batch (user token in front), the public batch's front, 20 of its items
    council.expire(council.users["1000001"].token, 463, after_requests=22)
    summary = _sync(store, vault, graph)
    saved = _saved(store, summary.run_id)
    assert set(OWN) <= saved and len(saved - set(OWN)) == 20
    failed = {e.page_id for e in summary.errors}
    assert failed == set(PUBLIC) - saved and {e.kind for e in summary.errors} == {"token"}
    assert all(e.message.startswith("Reconnect: the token expired.") for e in summary.errors)
    # the second batch of public Pages is not sent with the dead token
    assert len(_public_batches(council)) == 1 and summary.requests == 2
    assert {p.id for p in store.pages() if p.token_status == "needs_reconnect"} == failed
