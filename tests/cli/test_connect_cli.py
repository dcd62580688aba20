"""connect, follow, pages and forget as separate processes, with tokens in a real Secret
Service and the loopback Graph API."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from graph_server import GraphServer, GraphState

from engage_desktop.core.tokens import SERVICE

OWN_IDS = {"111111111111111", "222222222222222", "333333333333333"}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "engage.sqlite"


def _user_token(state: GraphState) -> str:
    return state.users["1000001"].token


def test_connect_stores_each_pages_token_in_the_secret_service(
        db: Path, run_cli, graph: GraphServer, secret_service) -> None:
    graph.state.accounts_page_size = 2
    token = _user_token(graph.state)
    result = run_cli("connect", "--token-stdin", "--db", str(db), stdin=token)
    assert result.returncode == 0, result.stderr
    assert "Connected 3 Pages with the token of Sam Officer" in result.stdout
    assert "Tokens are kept in: Secret Service" in result.stdout
    for page_id in OWN_IDS:
        assert secret_service.get_password(SERVICE, f"page:{page_id}") == (
            graph.state.pages[page_id].token)
    assert secret_service.get_password(SERVICE, "user:1000001") == token

    listed = run_cli("pages", "--json", "--db", str(db))
    assert listed.returncode == 0, listed.stderr
    pages = json.loads(listed.stdout)
    assert {p["page_id"] for p in pages} == OWN_IDS
    assert {p["token_status"] for p in pages} == {"ok"}
    assert all(p["kind"] == "own" and p["last_reading"] is None for p in pages)
    table = run_cli("pages", "--db", str(db)).stdout
    assert "Example Borough Council" in table and "ok" in table


def test_an_expired_token_is_a_clear_message_and_exit_4(db: Path, run_cli, graph: GraphServer,
                                                         secret_service) -> None:
    graph.state.expire(_user_token(graph.state), 463)
    result = run_cli("connect", "--token-stdin", "--db", str(db), stdin=_user_token(graph.state))
    assert result.returncode == 4
    assert "The token no longer works: the token expired." in result.stderr
    assert "Reconnect" in result.stderr and "Traceback" not in result.stderr
    assert secret_service.get_password(SERVICE, "user:1000001") is None


def test_connect_reads_the_token_only_from_stdin(db: Path, run_cli, graph: GraphServer) -> None:
    result = run_cli("connect", "--db", str(db))
    assert result.returncode == 2 and "--token-stdin" in result.stderr
    empty = run_cli("connect", "--token-stdin", "--db", str(db), stdin="\n")
    assert empty.returncode == 1 and "No token was given" in empty.stderr


def test_without_a_keyring_nothing_is_connected(db: Path, run_cli, graph: GraphServer) -> None:
    result = run_cli("connect", "--token-stdin", "--db", str(db),
                     stdin=_user_token(graph.state))
    assert result.returncode == 1 and "is not available to Engage Desktop" in result.stderr
    assert json.loads(run_cli("pages", "--json", "--db", str(db)).stdout) == []


def test_an_unreachable_graph_api_is_exit_5(db: Path, run_cli) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run_cli("connect", "--token-stdin", "--db", str(db), stdin="EAAanything12345678",
                     env={"ENGAGE_GRAPH_URL": f"http://127.0.0.1:{port}/v26.0"})
    assert result.returncode == 5 and "refused the connection" in result.stderr


def test_follow_and_forget(db: Path, run_cli, graph: GraphServer, secret_service) -> None:
    run_cli("connect", "--token-stdin", "--db", str(db), stdin=_user_token(graph.state))
    followed = run_cli("follow", "--db", str(db), "https://www.facebook.com/ExampleCounty",
                      "NoSuchCouncil")
    assert followed.returncode == 3, followed.stderr
    assert "Following Example County Council" in followed.stdout
    assert "Could not follow NoSuchCouncil" in followed.stderr
    forgotten = run_cli("forget", "--db", str(db), "ExampleBoroughCouncil")
    assert forgotten.returncode == 0 and "No longer following" in forgotten.stdout
    assert secret_service.get_password(SERVICE, "page:111111111111111") is None
    purged = run_cli("forget", "--purge", "--db", str(db), "555555555555555")
    assert purged.returncode == 0 and "Deleted" in purged.stdout
    pages = {p["page_id"]: p for p in json.loads(run_cli("pages", "--json", "--db",
                                                         str(db)).stdout)}
    assert "555555555555555" not in pages
    assert pages["111111111111111"]["followed"] is False
    assert pages["111111111111111"]["token_status"] == "missing"


def test_network_settings_are_shown_changed_and_used(db: Path, run_cli, graph: GraphServer,
                                                     tmp_path: Path) -> None:
    from engage_desktop.core.store import open_store

    open_store(db).close()
    assert "Proxy: the system's proxy settings." in run_cli("network", "--db", str(db)).stdout
    refused = run_cli("network", "--db", str(db), "--proxy", "proxy:8080")
    assert refused.returncode == 1 and "must be a URL" in refused.stderr
    # a manual proxy with nothing listening: the connection fails at the proxy, as it would
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    changed = run_cli("network", "--db", str(db), "--proxy", f"http://127.0.0.1:{port}")
    assert changed.returncode == 0 and f"http://127.0.0.1:{port}" in changed.stdout
    result = run_cli("connect", "--token-stdin", "--db", str(db), stdin=_user_token(graph.state))
    assert result.returncode == 5 and "proxy" in result.stderr.lower()
    assert graph.state.requests == [], "nothing went around the chosen proxy"
    back = run_cli("network", "--db", str(db), "--proxy", "none")
    assert back.returncode == 0 and "no proxy" in back.stdout
