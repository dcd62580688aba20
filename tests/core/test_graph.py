"""The Graph API client: error table, rate-limit headers, paging and batch reads, against
the loopback server."""

from __future__ import annotations

import json

import pytest
from graph_server import FakePage, GraphServer, GraphState, example_council
from hypothesis import given
from hypothesis import strategies as st

from engage_desktop.core import graph as graph_api
from engage_desktop.core.errors import EngageError
from engage_desktop.core.graph import GraphClient, parse_error, parse_usage
from engage_desktop.core.net import NetworkSettings, make_session

USER_TOKEN = example_council().users["1000001"].token
PAGE_TOKEN = example_council().pages["111111111111111"].token


def _client(server: GraphServer, base: str | None = None) -> GraphClient:
    settings = NetworkSettings(read_timeout=10)
    return GraphClient(base or server.url, make_session(settings), settings)


def _error(code: int, subcode: int | None = None, status: int = 400, **extra) -> dict:
    body = {"error": {"message": f"(#{code}) something", "type": "OAuthException",
                      "code": code, "fbtrace_id": "AbC", **extra}}
    if subcode is not None:
        body["error"]["error_subcode"] = subcode
    return body


@pytest.mark.parametrize(("code", "kind", "retryable"), [
    (190, "token", False), (102, "token", False), (4, "throttled", False),
    (17, "throttled", False), (32, "throttled", False), (613, "throttled", False),
    (80001, "throttled", False), (341, "throttled", False), (1, "temporary", True),
    (2, "temporary", True), (10, "permission", False), (200, "permission", False),
    (299, "permission", False), (100, "invalid_parameter", False), (803, "not_found", False),
    (368, "blocked", False), (12345, "unknown", False)])
def test_the_error_table(code: int, kind: str, retryable: bool) -> None:
    error = parse_error(_error(code), 400)
    assert (error.kind, error.retryable, error.code) == (kind, retryable, code)
    assert error.message and error.hint


@pytest.mark.parametrize(("subcode", "meaning"), [
    (458, "app was removed"), (459, "security check"), (460, "password was changed"),
    (463, "expired"), (464, "not confirmed"), (467, "no longer valid"),
    (492, "no longer has a role")])
def test_token_subcodes_say_what_happened(subcode: int, meaning: str) -> None:
    error = parse_error(_error(190, subcode), 400)
    assert isinstance(error, graph_api.TokenInvalidError)
    assert meaning in error.message and meaning in error.meaning
    if subcode == 492:
        assert "role back" in error.hint
    else:
        assert "Reconnect" in error.hint


def test_errors_are_typed_whatever_the_status() -> None:
    assert parse_error(_error(190), 200).kind == "token"
    assert parse_error(None, 502).kind == "temporary"
    assert parse_error({"unexpected": True}, 404).kind == "unknown"
    assert parse_error(_error(999, is_transient=True), 400).kind == "temporary"


def test_metas_message_is_kept_but_a_token_in_it_is_not() -> None:
    body = _error(190)
    body["error"]["message"] = f"Malformed access token {USER_TOKEN}"
    error = parse_error(body, 400)
    assert USER_TOKEN not in error.meta_message and "Malformed access token" in error.meta_message
    assert USER_TOKEN not in str(error)


def test_usage_headers_from_the_reference() -> None:
    usage = parse_usage({
        "X-App-Usage": '{"call_count":28,"total_time":25,"total_cputime":25}',
        "x-business-use-case-usage": json.dumps({"111111111111111": [{
            "type": "pages", "call_count": 100, "total_cputime": 23, "total_time": 31,
            "estimated_time_to_regain_access": 19}]}),
        "X-Page-Usage": '{"call_count":5,"total_time":3,"total_cputime":2}'})
    assert usage.app == {"call_count": 28, "total_time": 25, "total_cputime": 25}
    assert usage.page["call_count"] == 5
    assert not usage.app_over(90) and usage.app_over(25)
    assert not usage.page_over(90) and usage.page_over(5)  # the calling Page's, not the user's
    assert usage.business_over(90) == ["111111111111111"]
    assert usage.regain_minutes == 19  # minutes, as Meta documents
    assert usage.regain_minutes_for("111111111111111") == 19
    assert usage.regain_minutes_for("222222222222222") == 0


@given(st.dictionaries(st.sampled_from(["X-App-Usage", "X-Page-Usage",
                                        "X-Business-Use-Case-Usage", "other"]),
                       st.text(max_size=80) | st.builds(json.dumps, st.recursive(
                           st.none() | st.integers() | st.text(max_size=5),
                           lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=5), inner, max_size=3)))))
def test_usage_parsing_never_fails_on_odd_headers(headers) -> None:
    usage = parse_usage(headers)
    assert usage.regain_minutes >= 0 and isinstance(usage.business_over(90), list)
    assert isinstance(usage.app_over(90), bool) and isinstance(usage.page_over(90), bool)


def test_get_records_the_api_version_and_usage(graph: GraphServer) -> None:
    client = _client(graph)
    me = client.get("me", USER_TOKEN, {"fields": "id,name", "metadata": "1"})
    assert me == {"id": "1000001", "name": "Sam Officer", "metadata": {"type": "user"}}
    assert client.api_version == "v27.0" and client.requests_made == 1
    assert set(client.usage.app) == {"call_count", "total_time", "total_cputime"}


def test_paging_follows_next_until_it_is_absent(graph_state: GraphState,
                                                graph: GraphServer) -> None:
    user = graph_state.users["1000001"]
    for index in range(7):
        page = graph_state.add_page(FakePage(f"77700000000000{index}", f"Ward {index}",
                                             token=f"EAAWARD{index}TOKEN1234567890"))
        user.page_ids.append(page.id)
    graph_state.accounts_page_size = 2
    items = list(_client(graph).paged("me/accounts", USER_TOKEN, {"fields": "id,name"}))
    assert len(items) == 10
    assert len(graph_state.requests_to("/me/accounts")) == 5
    assert not any(r.token_in_url for r in graph_state.requests)


def test_a_next_link_to_another_host_is_not_followed(graph_state: GraphState,
                                                     graph: GraphServer) -> None:
    graph_state.accounts_page_size = 1
    # The client knows the server as "localhost"; the server's next links say 127.0.0.1.
    client = _client(graph, graph.url.replace("127.0.0.1", "localhost"))
    with pytest.raises(graph_api.GraphError, match="another server"):
        list(client.paged("me/accounts", USER_TOKEN))


def test_read_each_isolates_unknown_and_unreadable_pages(graph_state: GraphState,
                                                         graph: GraphServer) -> None:
    ids = []
    for index in range(46):
        page = graph_state.add_page(FakePage(f"5000000000{index:05d}", f"Parish {index}"))
        ids.append(page.id)
    graph_state.pages[ids[7]].public_readable = False
    graph_state.unreadable[ids[9]] = 33
    asked = [*ids, "NoSuchCouncil", "AnotherMissingPage"]
    client = _client(graph)
    found, failed = client.read_each(asked, USER_TOKEN, "id,name")
    assert set(found) == set(ids) - {ids[7], ids[9]}
    assert set(failed) == {ids[7], ids[9], "NoSuchCouncil", "AnotherMissingPage"}
    assert failed["NoSuchCouncil"].kind == "not_found"
    assert failed[ids[7]].kind == "permission"
    assert (failed[ids[9]].code, failed[ids[9]].subcode) == (100, 33)
    assert "cannot be loaded due to missing permissions" in failed[ids[9]].meta_message
    # one batch request of single-Page items, never a multi-ID GET
    assert client.requests_made == 1
    assert [(r.method, r.batch_size) for r in graph_state.requests] == [("POST", 48)]


def test_meta_refuses_multi_id_reads(graph: GraphServer) -> None:
    client = _client(graph)
    with pytest.raises(graph_api.GraphError) as refused:
        client.get("", USER_TOKEN, {"ids": "444444444444444,555555555555555"})
    assert refused.value.code == 12


@pytest.mark.parametrize(("fault", "error_type"), [
    ("http500", graph_api.TemporaryError), ("gateway", graph_api.TemporaryError),
    ("truncate", graph_api.TemporaryError), ("transient", graph_api.TemporaryError),
    ("permission", graph_api.PermissionDeniedError)])
def test_faults_become_typed_errors(graph: GraphServer, fault: str, error_type) -> None:
    graph.state.fault(fault)
    with pytest.raises(error_type):
        _client(graph).get("me", USER_TOKEN)


def test_throttling_with_a_page_token_gives_the_regain_time_in_minutes(graph: GraphServer) -> None:
    graph.state.fault("throttle", regain_minutes=19)
    with pytest.raises(graph_api.ThrottledError) as caught:
        _client(graph).get("me", PAGE_TOKEN)
    assert caught.value.code == 80001 and caught.value.regain_minutes == 19
    assert "19 minutes" in caught.value.message


def test_throttling_of_the_app(graph: GraphServer) -> None:
    graph.state.fault("throttle")
    with pytest.raises(graph_api.ThrottledError) as caught:
        _client(graph).get("me", USER_TOKEN)
    assert caught.value.code == 4


def test_a_token_that_expires_part_way(graph: GraphServer) -> None:
    graph.state.expire(USER_TOKEN, 463, after_requests=2)
    client = _client(graph)
    client.get("me", USER_TOKEN)
    client.get("me", USER_TOKEN)
    with pytest.raises(graph_api.TokenInvalidError) as caught:
        client.get("me", USER_TOKEN)
    assert caught.value.subcode == 463 and "expired" in caught.value.message


def test_the_base_url_comes_from_the_environment_then_the_setting() -> None:
    assert graph_api.graph_base_url(None, {}) == "https://graph.facebook.com/v27.0"
    assert graph_api.graph_base_url("https://graph.facebook.com/v25.0/", {}) == (
        "https://graph.facebook.com/v25.0")
    assert graph_api.graph_base_url("https://graph.facebook.com/v25.0", {
        "ENGAGE_GRAPH_URL": "http://127.0.0.1:8123/v26.0"}) == "http://127.0.0.1:8123/v26.0"
    for bad in ("http://graph.facebook.com/v26.0", "ftp://x", "graph.facebook.com"):
        with pytest.raises(EngageError, match="not usable"):
            graph_api.graph_base_url(bad, {})


@pytest.mark.parametrize("fault", ["drop", "truncate"])
def test_errors_carry_no_chained_exception_with_the_request(graph: GraphServer, fault) -> None:
    graph.state.fault(fault)
    with pytest.raises(EngageError) as caught:
        _client(graph).get("me", USER_TOKEN)
    assert caught.value.__context__ is None and caught.value.__cause__ is None


def test_any_token_meta_echoes_is_redacted_whatever_its_shape(graph: GraphServer) -> None:
    odd = "zzSecretNotEAA_0123456789abcdef"
    with pytest.raises(graph_api.TokenInvalidError) as caught:
        _client(graph).get("me", odd)
    assert odd not in caught.value.meta_message and "Malformed access token" in (
        caught.value.meta_message)


def test_a_web_filter_page_is_named(graph: GraphServer) -> None:
    import http.server
    import threading

    class Filter(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b"<html>Blocked by the council web filter</html>"
            self.send_response(403)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Filter)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = GraphClient(f"http://127.0.0.1:{server.server_port}/v26.0",
                             make_session(NetworkSettings()))
        with pytest.raises(graph_api.GraphError, match="web filter or proxy"):
            client.get("me", USER_TOKEN)
    finally:
        server.shutdown()
        server.server_close()


def test_reduce_the_amount_of_data_is_not_retried_blindly() -> None:
    body = _error(1)
    body["error"]["message"] = "Please reduce the amount of data you're asking for, then retry"
    error = parse_error(body, 500)
    assert isinstance(error, graph_api.TooMuchDataError) and not error.retryable


def test_the_server_refuses_unknown_fields_as_meta_does(graph: GraphServer) -> None:
    with pytest.raises(graph_api.InvalidParameterError, match="nonexisting field"):
        _client(graph).get("111111111111111", USER_TOKEN, {"fields": "id,fan_count,likes"})


def test_an_empty_page_with_a_next_link_is_followed(graph_state: GraphState,
                                                    graph: GraphServer) -> None:
    graph_state.empty_first_page = True
    items = list(_client(graph).paged("me/accounts", USER_TOKEN, {"fields": "id"}))
    assert len(items) == 3 and len(graph_state.requests_to("/me/accounts")) == 2


def test_insights_windows_longer_than_90_days_are_refused(graph: GraphServer) -> None:
    client = _client(graph)
    params = {"metric": "page_follows", "period": "day", "since": "2026-01-01"}
    assert client.get("111111111111111/insights", PAGE_TOKEN,
                      {**params, "until": "2026-04-01"})["data"]
    with pytest.raises(graph_api.InvalidParameterError, match="93 days"):
        client.get("111111111111111/insights", PAGE_TOKEN, {**params, "until": "2026-04-02"})
