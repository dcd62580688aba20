"""Connecting tokens, following public Pages and forgetting Pages, against the loopback Graph
API with an in-memory keyring (the real Secret Service is used in the CLI tests)."""

from __future__ import annotations

from pathlib import Path

import keyring.backends.fail
import pytest
from graph_server import FakePage, GraphServer, GraphState
from hypothesis import given
from hypothesis import strategies as st
from keyrings import MemoryKeyring

from engage_desktop.core import accounts
from engage_desktop.core.errors import EngageError
from engage_desktop.core.graph import GraphClient, TokenInvalidError
from engage_desktop.core.net import NetworkSettings, make_session
from engage_desktop.core.settings import PUBLIC_READER
from engage_desktop.core.tokens import SERVICE, Storage, TokenVault, VaultError

OWN_IDS = {"111111111111111", "222222222222222", "333333333333333"}


@pytest.fixture
def client(graph: GraphServer) -> GraphClient:
    return GraphClient(graph.url, make_session(NetworkSettings()))


@pytest.fixture
def vault(memory_keyring: MemoryKeyring) -> TokenVault:
    return TokenVault(memory_keyring)


def _user_token(state: GraphState) -> str:
    return state.users["1000001"].token


def _no_token_in(path: Path, *tokens: str) -> None:
    for file in path.parent.glob(path.name + "*"):
        data = file.read_bytes()
        for token in tokens:
            assert token.encode() not in data, f"a token is in {file.name}"


def test_a_page_token_connects_that_page(store, vault, client, graph_state, memory_keyring):
    token = graph_state.pages["222222222222222"].token
    result = accounts.connect(store, vault, client, f"  {token}\n")
    assert result.token_kind == "page" and result.storage is Storage.KEYRING
    assert [p.page.name for p in result.pages] == ["Example Libraries"]
    assert memory_keyring.entries == {(SERVICE, "page:222222222222222"): token}
    page = store.page("222222222222222")
    assert page and page.kind == "own" and page.token_status == "ok" and page.followed
    assert page.username == "ExampleLibraries" and page.category == "Library"


def test_a_user_token_connects_every_page_across_pages_of_results(
        store, vault, client, graph_state, memory_keyring):
    graph_state.accounts_page_size = 2  # two pages of /me/accounts
    result = accounts.connect(store, vault, client, _user_token(graph_state))
    assert result.token_kind == "user" and result.owner_name == "Sam Officer"
    assert {p.page.id for p in result.pages} == OWN_IDS
    assert len(graph_state.requests_to("/me/accounts")) == 2
    assert memory_keyring.entries[(SERVICE, "user:1000001")] == _user_token(graph_state)
    for page_id in OWN_IDS:
        assert memory_keyring.entries[(SERVICE, f"page:{page_id}")] == (
            graph_state.pages[page_id].token)
    assert {p.id for p in store.pages() if p.token_status == "ok"} == OWN_IDS
    assert store.settings.get(PUBLIC_READER) == "1000001"
    assert "MODERATE" in result.pages[0].tasks
    _no_token_in(store.path, _user_token(graph_state),
                 *(graph_state.pages[i].token for i in OWN_IDS))


def test_a_page_without_a_page_token_is_skipped_with_the_reason(store, vault, client,
                                                                graph_state):
    graph_state.pages["333333333333333"].token = None
    result = accounts.connect(store, vault, client, _user_token(graph_state))
    assert {p.page.id for p in result.pages} == OWN_IDS - {"333333333333333"}
    assert result.skipped and "needs a task" in result.skipped[0][1]
    assert store.page("333333333333333") is None


@pytest.mark.parametrize(("subcode", "meaning"), [(463, "expired"),
                                                  (460, "password was changed")])
def test_a_rejected_token_connects_nothing(store, vault, client, graph_state, memory_keyring,
                                           subcode, meaning):
    graph_state.expire(_user_token(graph_state), subcode)
    with pytest.raises(TokenInvalidError, match=meaning):
        accounts.connect(store, vault, client, _user_token(graph_state))
    assert memory_keyring.entries == {} and store.pages() == []


def test_no_keyring_connects_nothing_and_says_why(store, client, graph_state):
    vault = TokenVault(keyring.backends.fail.Keyring())
    with pytest.raises(VaultError, match="is not available to Engage Desktop"):
        accounts.connect(store, vault, client, _user_token(graph_state))
    assert store.pages() == []


def test_session_only_when_the_window_allows_it(store, client, graph_state):
    vault = TokenVault(keyring.backends.fail.Keyring(), session_fallback=True)
    result = accounts.connect(store, vault, client, _user_token(graph_state))
    assert result.storage is Storage.SESSION and "this session only" in result.location
    assert {p.id for p in store.pages()} == OWN_IDS


def test_a_keyring_failing_part_way_keeps_no_half_connection(store, client, graph_state):
    flaky = MemoryKeyring(fail_on_set_after=2)
    with pytest.raises(VaultError, match="could not save"):
        accounts.connect(store, TokenVault(flaky), client, _user_token(graph_state))
    assert flaky.entries == {} and store.pages() == []


def test_public_pages_are_followed_by_id_username_or_address(store, vault, client,
                                                             graph_state):
    accounts.connect(store, vault, client, _user_token(graph_state))
    result = accounts.follow(store, vault, client, [
        "https://www.facebook.com/ExampleDistrictCouncil/", "@ExampleCounty",
        "111111111111111", "NoSuchCouncil"])
    assert {p.name for p in result.added} == {"Example District Council",
                                              "Example County Council",
                                              "Example Borough Council"}
    assert [(ref, error.kind) for ref, error in result.failed] == [("NoSuchCouncil",
                                                                    "not_found")]
    assert store.page("444444444444444").kind == "public"
    assert store.page("111111111111111").kind == "own", "an own Page stays own"


def test_following_needs_a_user_token(store, vault, client):
    with pytest.raises(EngageError, match="needs a user or system-user token"):
        accounts.follow(store, vault, client, ["ExampleCounty"])


def test_an_expired_user_token_marks_the_public_pages(store, vault, client, graph_state):
    accounts.connect(store, vault, client, _user_token(graph_state))
    accounts.follow(store, vault, client, ["ExampleCounty"])
    graph_state.expire(_user_token(graph_state), 460)
    with pytest.raises(TokenInvalidError):
        accounts.follow(store, vault, client, ["ExampleDistrictCouncil"])
    county = store.page("555555555555555")
    assert county.token_status == "needs_reconnect"
    assert county.token_problem == "the Facebook password was changed"
    assert store.page("111111111111111").token_status == "ok"


def test_reconnecting_clears_the_problem(store, vault, client, graph_state):
    accounts.connect(store, vault, client, _user_token(graph_state))
    error = TokenInvalidError("x", code=190, subcode=463)
    accounts.mark_needs_reconnect(store, ["111111111111111"], error)
    assert store.page("111111111111111").token_problem == "the token expired"
    accounts.connect(store, vault, client, _user_token(graph_state))
    page = store.page("111111111111111")
    assert (page.token_status, page.token_problem) == ("ok", None)


def test_forget_removes_tokens_and_keeps_history_unless_purged(store, vault, client,
                                                               graph_state, memory_keyring):
    from factories import reading, utc

    accounts.connect(store, vault, client, _user_token(graph_state))
    store.add_readings([reading("111111111111111", utc(2026, 11, 1, 9)),
                         reading("222222222222222", utc(2026, 11, 1, 9))])
    assert accounts.forget(store, vault, ["ExampleBoroughCouncil"]) == [
        "Example Borough Council"]
    assert (SERVICE, "page:111111111111111") not in memory_keyring.entries
    kept = store.page("111111111111111")
    assert not kept.followed and kept.token_status == "missing"
    assert "111111111111111" in store.latest_readings()
    accounts.forget(store, vault, ["222222222222222"], purge=True)
    assert store.page("222222222222222") is None
    assert "222222222222222" not in store.latest_readings()


def test_forgetting_an_unknown_page_changes_nothing(store, vault, client, graph_state,
                                                    memory_keyring):
    accounts.connect(store, vault, client, _user_token(graph_state))
    before = dict(memory_keyring.entries)
    with pytest.raises(EngageError, match="No Page in this database matches 'nope'"):
        accounts.forget(store, vault, ["111111111111111", "nope"])
    assert memory_keyring.entries == before and store.page("111111111111111").followed


@pytest.mark.parametrize(("typed", "alias"), [
    ("123456789012345", "123456789012345"), ("KelderbyCouncil", "KelderbyCouncil"),
    ("@KelderbyCouncil", "KelderbyCouncil"), ("kelderby.council", "kelderby.council"),
    ("https://www.facebook.com/KelderbyCouncil/", "KelderbyCouncil"),
    ("facebook.com/KelderbyCouncil?ref=bookmarks", "KelderbyCouncil"),
    ("m.facebook.com/KelderbyCouncil", "KelderbyCouncil"),
    ("https://www.facebook.com/profile.php?id=100064123456789", "100064123456789"),
    ("https://www.facebook.com/people/Kelderby-Youth/100064123456789/", "100064123456789"),
    ("https://fb.com/KelderbyCouncil", "KelderbyCouncil")])
def test_page_references(typed: str, alias: str) -> None:
    assert accounts.page_ref(typed) == alias


@pytest.mark.parametrize("typed", ["https://example.com/KelderbyCouncil", "two words",
                                   "https://www.facebook.com/", "facebook.com/profile.php",
                                   ""])
def test_what_is_not_a_page_reference(typed: str) -> None:
    with pytest.raises(EngageError):
        accounts.page_ref(typed)


@given(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9.]{4,40}", fullmatch=True),
       st.sampled_from(["{}", "@{}", "https://www.facebook.com/{}", "facebook.com/{}/",
                        "https://m.facebook.com/{}?locale=en_GB"]))
def test_any_username_survives_any_way_of_writing_it(username: str, form: str) -> None:
    assert accounts.page_ref(form.format(username)) == username


def test_a_page_the_token_cannot_read_is_reported(store, vault, client, graph_state):
    graph_state.add_page(FakePage("666666666666666", "Private Parish", "PrivateParish",
                                  public_readable=False))
    accounts.connect(store, vault, client, _user_token(graph_state))
    result = accounts.follow(store, vault, client, ["PrivateParish", "ExampleCounty"])
    assert [p.name for p in result.added] == ["Example County Council"]
    assert result.failed[0][0] == "PrivateParish" and result.failed[0][1].kind == "permission"



def test_a_failed_reconnect_keeps_the_tokens_that_worked(store, client, graph_state):
    keyring = MemoryKeyring()
    accounts.connect(store, TokenVault(keyring), client, _user_token(graph_state))
    before = dict(keyring.entries)
    keyring.fail_on_set_after = 2
    graph_state.pages["111111111111111"].token = "EAANEWPAGETOKEN0123456789"
    with pytest.raises(VaultError):
        accounts.connect(store, TokenVault(keyring), client, _user_token(graph_state))
    assert keyring.entries == before


def test_reconnecting_follows_a_forgotten_page_again(store, vault, client, graph_state):
    accounts.connect(store, vault, client, _user_token(graph_state))
    accounts.forget(store, vault, ["111111111111111"])
    assert not store.page("111111111111111").followed
    accounts.connect(store, vault, client, _user_token(graph_state))
    page = store.page("111111111111111")
    assert page.followed and page.token_status == "ok"


def test_one_page_named_twice_is_followed_once(store, vault, client, graph_state):
    accounts.connect(store, vault, client, _user_token(graph_state))
    result = accounts.follow(store, vault, client, ["ExampleCounty", "555555555555555"])
    assert [p.id for p in result.added] == ["555555555555555"]


def test_forget_takes_the_same_references_as_follow(store, vault, client, graph_state):
    accounts.connect(store, vault, client, _user_token(graph_state))
    accounts.follow(store, vault, client, ["ExampleCounty"])
    assert accounts.forget(store, vault, ["https://www.facebook.com/ExampleCounty/"]) == [
        "Example County Council"]
