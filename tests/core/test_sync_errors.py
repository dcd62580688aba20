"""Meta's error bodies as recorded in the wild (``real-world.md``, "Error bodies"), served by the
loopback Graph API, and what the officer then reads: the kind, the message with what to do,
Meta's own words, code and subcode, in the run's summary and in ``sync_errors``."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import requests
from graph_server import FakePage, GraphServer, GraphState, MetaError
from hypothesis import given, settings
from hypothesis import strategies as st

from engage_desktop.core import accounts
from engage_desktop.core.graph import GraphClient, parse_error
from engage_desktop.core.net import NetworkSettings, make_session
from engage_desktop.core.store import Store
from engage_desktop.core.sync import SyncOptions, run_sync
from engage_desktop.core.tokens import TokenVault

UNREADABLE = ("Unsupported get request. Object with ID '{id}' does not exist, cannot be loaded "
              "due to missing permissions, or does not support this operation. Please read the "
              "Graph API documentation at https://developers.facebook.com/docs/graph-api")
TOKEN = "EAAGm0PX4ZCpsBAKabcdefghijklmnopqrstuvwxyz0123456789"
WWW_AUTHENTICATE = {"WWW-Authenticate": 'OAuth "Facebook Platform" "invalid_token" "Error '
                                        'validating access token"'}


@dataclass(frozen=True)
class Case:
    """One of Meta's answers for one own Page, and what the officer must be told."""

    name: str
    error: MetaError
    kind: str
    says: tuple[str, ...]  # in the message (what is wrong, and what to do)
    never: tuple[str, ...] = ()  # advice that would be wrong here
    reconnect: str | None = None  # the Page's token_problem when it must be reconnected


CASES = [
    Case("100 does not exist", MetaError(400, 100, UNREADABLE, 33), "not_found",
         ("Facebook cannot read this Page", "Check the Page's address"), ("update",)),
    Case("100 without subcode", MetaError(400, 100, UNREADABLE), "not_found",
         ("Facebook cannot read this Page",), ("update",)),
    Case("100 Page Public Content Access", MetaError(
        400, 100, "(#100) Pages Public Content Access requires either app secret proof or an "
                  "app token"), "permission",
         ("needs Meta to approve the Engage Desktop app for Page Public Content Access",
          "For IT", "app review"), ("update",)),
    Case("10 inside an HTTP 500", MetaError(
        500, 10, "(#10) Requires pages_read_engagement permission"), "permission",
         ("the permission pages_read_engagement", "Reconnect with a token that has "
          "pages_read_engagement"), ("update", "try again")),
    Case("200 names read_insights", MetaError(
        403, 200, "(#200) Requires extended permission: read_insights"), "permission",
         ("the permission read_insights", "token that has read_insights"), ("update",)),
    Case("10 asks for the app review", MetaError(
        400, 10, "(#10) This endpoint requires the 'pages_read_engagement' permission or the "
                 "'Page Public Content Access' feature"), "permission",
         ("pages_read_engagement", "Page Public Content Access", "app review"), ("update",)),
    Case("12 deprecated", MetaError(
        400, 12, "(#12) fields is deprecated for versions v2.5 and higher"),
         "invalid_parameter", ("deprecated in this version of the Graph API",)),
    Case("190 2069032 a Page token is needed", MetaError(
        400, 190, "User access token is not supported", 2069032,
        user_title="Page access token needed",
        user_msg="This Page can only be read with a Page access token."), "permission",
         ("only with the Page's own token", "takes the Page's own token",
          'Meta\'s note: "Page access token needed: This Page can only be read with a Page '
          'access token."'), ("no longer accepts", "Reconnect:")),
    Case("190 463 inside an HTTP 500", MetaError(
        500, 190, "Error validating access token: Session has expired on Tuesday, 24-Nov-26 "
                  "08:00:00 PST.", 463, headers=WWW_AUTHENTICATE), "token",
         ("Reconnect: the token expired.",), reconnect="the token expired"),
    *[Case(f"190 {sub}", MetaError(400, 190, "Error validating access token.", sub), "token",
           (f"Reconnect: {meaning}.",), reconnect=meaning)
      for sub, meaning in [(458, "the Engage Desktop app was removed from the Facebook account"),
                           (459, "Facebook wants the account holder to log in and pass a "
                                 "security check"),
                           (460, "the Facebook password was changed"),
                           (464, "the Facebook account is not confirmed yet"),
                           (467, "the token is no longer valid (the person logged out or it "
                                 "was revoked)"),
                           (492, "the person no longer has a role on this Page")]],
    Case("2500 an app token", MetaError(
        400, 2500, "An active access token must be used to query information about the "
                   "current user."), "token",
         ("Reconnect: Meta got an app token, or no token, instead of a person's token.",),
         ("try again later",),
         reconnect="Meta got an app token, or no token, instead of a person's token"),
    Case("368 blocked", MetaError(
        400, 368, "The action attempted has been deemed abusive or is otherwise disallowed"),
         "blocked", ("temporarily blocked calls with this token under its policies",)),
    Case("2 not transient inside a 400", MetaError(
        400, 2, "An unexpected error has occurred. Please retry your request later.",
        is_transient=False), "temporary", ("Meta had a temporary problem.",)),
    Case("803", MetaError(400, 803, "(#803) Some of the aliases you requested do not exist: "
                                    "x"), "not_found", ("Facebook has no Page with that name",)),
    Case("100 another parameter", MetaError(400, 100, "(#100) Invalid parameter"),
         "invalid_parameter", ("Meta did not accept the request.", "tell IT")),
    Case("an unknown code", MetaError(400, 12345, "Something new went wrong"), "unknown",
         ("Meta refused the request.", "tell IT, with Meta's message and code"),
         ("try again later",)),
]


def _page_id(index: int) -> str:
    return f"9{index:014d}"


@pytest.fixture
def council(graph_state: GraphState) -> GraphState:
    """The example council, plus one own Page per case, each answered with its case's error."""
    user = graph_state.users["1000001"]
    for index, case in enumerate(CASES):
        page = graph_state.add_page(FakePage(_page_id(index), f"Case {case.name}",
                                             token=f"EAACASE{index:03d}TOKEN0123456789"))
        user.page_ids.append(page.id)
    return graph_state


def _client(graph: GraphServer) -> GraphClient:
    settings = NetworkSettings(connect_timeout=3, read_timeout=10)
    return GraphClient(graph.url, make_session(settings), settings)


@pytest.fixture
def connected(store: Store, council: GraphState, graph: GraphServer, memory_keyring):
    vault = TokenVault(memory_keyring)
    client = _client(graph)
    accounts.connect(store, vault, client, council.users["1000001"].token)
    accounts.follow(store, vault, client, ["444444444444444", "555555555555555"])
    council.requests.clear()
    return vault


def _sync(store: Store, vault: TokenVault, graph: GraphServer, **options):
    return run_sync(store, vault, _client(graph),
                    options=SyncOptions(sleep=lambda _: None, **options))


def test_each_error_tells_the_officer_what_it_means_and_what_to_do(
        store, connected, graph, council) -> None:
    for index, case in enumerate(CASES):
        council.meta_errors[_page_id(index)] = case.error
    summary = _sync(store, connected, graph, insights=False)
    assert summary.status == "partial"
    assert summary.pages_ok == 5, "the example council's Pages are not touched"
    shown = {e.page_id: e for e in summary.errors}
    stored = {e.page_id: e for e in store.sync_errors(summary.run_id)}
    problems = []
    for index, case in enumerate(CASES):
        page_id = _page_id(index)
        error = shown.get(page_id)
        if error is None or stored.get(page_id) != error:
            problems.append(f"{case.name}: shown {error}, stored {stored.get(page_id)}")
            continue
        meta_words = f"Meta said: {case.error.message.rstrip('. ')}"
        numbers = f"code {case.error.code}" + (
            f", subcode {case.error.subcode}" if case.error.subcode else "")
        wanted = [*case.says, meta_words, numbers]
        lowered = error.message.lower()
        if (error.kind, error.code, error.subcode) != (case.kind, case.error.code,
                                                        case.error.subcode):
            problems.append(f"{case.name}: {error.kind} {error.code} {error.subcode}")
        problems += [f"{case.name}: {text!r} not in {error.message!r}"
                     for text in wanted if text not in error.message]
        problems += [f"{case.name}: {text!r} in {error.message!r}"
                     for text in case.never if text.lower() in lowered]
        page = store.page(page_id)
        status = ("needs_reconnect", case.reconnect) if case.reconnect else ("ok", None)
        if (page.token_status, page.token_problem) != status:
            problems.append(f"{case.name}: token {page.token_status} {page.token_problem!r}")
    assert problems == []


def test_errors_that_are_not_temporary_are_asked_once(store, connected, graph, council) -> None:
    blocked, not_transient = _page_id(0), _page_id(1)
    council.meta_errors[blocked] = MetaError(400, 368, "Temporarily blocked for policy reasons")
    council.meta_errors[not_transient] = MetaError(400, 2, "Service unavailable",
                                                   is_transient=False)
    _sync(store, connected, graph, insights=False)
    for page_id in (blocked, not_transient):
        asked = [path for r in council.requests for path in r.batch_paths if page_id in path]
        assert len(asked) == 1, (page_id, asked)


def test_a_page_token_needed_for_insights_leaves_the_token_alone(store, connected, graph,
                                                                  council) -> None:
    own = "111111111111111"
    council.meta_errors[f"{own}/insights"] = MetaError(
        400, 190, "User access token is not supported", 2069032)
    summary = _sync(store, connected, graph)
    page = store.page(own)
    assert (page.token_status, page.token_problem) == ("ok", None)
    (error,) = [e for e in summary.errors if e.page_id == own]
    assert (error.kind, error.code, error.subcode) == ("permission", 190, 2069032)
    assert error.message.startswith("Insights: Meta reads this only with the Page's own token")
    assert "Meta said: User access token is not supported (code 190, subcode 2069032)." in (
        error.message)
    assert store.latest_readings()[own].followers == 24810, "its reading is saved"
    again = _sync(store, connected, graph, insights=False)
    assert again.status == "ok", "the next sync reads the Page as before"


def test_one_unreadable_public_page_fails_alone(store, connected, graph, council) -> None:
    council.meta_errors["444444444444444"] = MetaError(
        400, 100, UNREADABLE.format(id="444444444444444"), 33)
    summary = _sync(store, connected, graph, insights=False)
    assert summary.pages_ok == 4 + len(CASES)
    (error,) = summary.errors
    assert (error.page_id, error.kind, error.code, error.subcode) == (
        "444444444444444", "not_found", 100, 33)
    assert error.message.startswith("Facebook cannot read this Page")
    assert "update" not in error.message.lower()


def test_answers_gzipped_as_text_javascript_are_read(store, connected, graph, council) -> None:
    council.gzip = True
    council.meta_errors[_page_id(0)] = MetaError(400, 100, UNREADABLE, 33)
    raw = requests.get(f"{graph.url}/me", headers={
        "Authorization": f"OAuth {council.users['1000001'].token}"}, stream=True, timeout=10)
    assert raw.headers["Content-Type"] == "text/javascript; charset=UTF-8"
    assert raw.raw.read(2) == b"\x1f\x8b", "the body really is gzip"
    summary = _sync(store, connected, graph, insights=False)
    assert summary.pages_ok == 4 + len(CASES)
    assert [(e.page_id, e.code, e.subcode) for e in summary.errors] == [(_page_id(0), 100, 33)]
    assert store.latest_readings()["111111111111111"].followers == 24810


@pytest.mark.parametrize(("title", "message", "shown"), [
    ("Title", "Text.", 'Meta\'s note: "Title: Text."'),
    (None, "Only a message.", 'Meta\'s note: "Only a message."'),
    ("Only a title", "  ", 'Meta\'s note: "Only a title"'),
    (None, None, None)])
def test_metas_words_for_a_person_are_shown(title, message, shown) -> None:
    body = {"error": {"message": "(#100) x", "code": 100, "error_user_title": title,
                      "error_user_msg": message, "fbtrace_id": "A1"}}
    error = parse_error(body, 400)
    if shown:
        assert shown in error.message and shown in error.said
    else:
        assert "Meta's note" not in error.message
    assert error.message.endswith("Meta said: (#100) x (code 100).")


# One answer per row of the table, in the table's order: (code, subcode, Meta's message).
ROWS = [
    (190, 2069032, "User access token is not supported"),
    (190, None, "(#190) This method must be called with a Page Access Token"),
    (190, 492, "Error validating access token: The user does not have a role on this Page."),
    (190, 463, "Error validating access token: Session has expired"),
    (2500, None, "An active access token must be used to query information about the current "
                 "user."),
    (4, None, "(#4) Application request limit reached"),
    (17, None, "(#17) User request limit reached"),
    (80001, None, "(#80001) There have been too many calls to this Page account."),
    (368, None, "The action attempted has been deemed abusive or is otherwise disallowed"),
    (1, None, "Please reduce the amount of data you're asking for, then retry your request"),
    (2, None, "An unexpected error has occurred. Please retry your request later."),
    (100, None, "(#100) Pages Public Content Access requires either app secret proof or an app "
                "token"),
    (10, None, "(#10) Requires pages_read_engagement permission"),
    (12, None, "(#12) fields is deprecated for versions v2.5 and higher"),
    (803, None, "(#803) Some of the aliases you requested do not exist: x"),
    (100, 33, "Unsupported get request."),
    (100, None, UNREADABLE),
    (100, None, "(#100) The value must be a valid insights metric"),
    (100, None, "(#100) Invalid parameter"),
]


def test_every_row_of_the_table_is_reached_by_its_answer() -> None:
    from engage_desktop.core.graph import ERROR_TABLE

    assert len(ROWS) == len(ERROR_TABLE)
    for (code, subcode, message), row in zip(ROWS, ERROR_TABLE, strict=True):
        error = parse_error({"error": {"message": message, "code": code,
                                       "error_subcode": subcode}}, 400)
        first = next(r for r in ERROR_TABLE if r.matches(code, subcode, message.lower()))
        assert first is row, (code, subcode, message)
        assert (type(error), error.scope, error.retryable) == (row.error, row.scope, row.retry)
        assert error.hint and f"code {code}" in error.message


@given(code=st.one_of(st.none(), st.integers(-5, 3_000_000), st.text(max_size=5)),
       subcode=st.one_of(st.none(), st.integers(0, 3_000_000)),
       message=st.text(max_size=80), transient=st.one_of(st.none(), st.booleans()),
       title=st.one_of(st.none(), st.text(max_size=20), st.integers()),
       status=st.integers(200, 599))
@settings(max_examples=150)
def test_any_error_body_gets_words_a_hint_and_metas_code(code, subcode, message, transient,
                                                          title, status) -> None:
    body = {"error": {"message": message, "code": code, "error_subcode": subcode,
                      "is_transient": transient, "error_user_title": title,
                      "error_user_msg": f"{TOKEN} pasted", "fbtrace_id": "A1"}}
    error = parse_error(body, status)
    assert error.message and error.hint and error.kind
    assert error.scope in {"page", "token", "app", "request"}
    assert TOKEN not in error.message, "Meta's words are redacted"
    if isinstance(code, int):
        assert f"code {code}" in error.message
    if transient is False:
        assert not error.retryable


def test_a_throttled_page_is_reported_once_with_metas_words(store, connected, graph,
                                                            council) -> None:
    own = "111111111111111"
    usage = '{"111111111111111": [{"type": "pages", "call_count": 100, "total_cputime": 20, ' \
            '"total_time": 20, "estimated_time_to_regain_access": 19}]}'
    council.meta_errors[f"{own}/insights"] = MetaError(
        400, 80001, "(#80001) There have been too many calls to this Page account.",
        headers={"x-business-use-case-usage": usage})
    summary = _sync(store, connected, graph)
    (error,) = [e for e in summary.errors if e.page_id == own]
    assert (error.kind, error.code) == ("throttled", 80001)
    assert "Meta said: (#80001) There have been too many calls to this Page account (code " \
           "80001)." in error.message
