"""core/services.job_tools: the one place a job builds its database connection, keyring and
Graph API client, each only when asked for, against a real SQLite file and the loopback
Graph API."""

from __future__ import annotations

import threading
from pathlib import Path

import keyring
import pytest
from graph_server import GraphServer

from engage_desktop.core.accounts import connect
from engage_desktop.core.errors import DatabaseMissingError
from engage_desktop.core.graph import GRAPH_URL_ENV
from engage_desktop.core.net import NetworkSettings
from engage_desktop.core.services import JobTools, job_tools
from engage_desktop.core.settings import GRAPH_URL, NETWORK
from engage_desktop.core.store import open_store
from engage_desktop.core.tokens import Storage


def test_tools_are_made_only_when_asked_for(tmp_path: Path) -> None:
    path = tmp_path / "engage.sqlite"
    with job_tools(path) as tools:
        assert tools.vault.session_fallback is False
    assert not path.exists()  # the store was never asked for: no database was made


def test_create_false_refuses_a_missing_database(tmp_path: Path) -> None:
    with job_tools(tmp_path / "missing.sqlite", create=False) as tools, \
            pytest.raises(DatabaseMissingError):
        tools.store  # noqa: B018 (made when read)


def test_the_store_is_the_jobs_own_and_closed_at_the_end(tmp_path: Path) -> None:
    path = tmp_path / "engage.sqlite"
    with job_tools(path) as tools:
        store = tools.store
        assert tools.store is store  # one connection per job
        store.settings.set(GRAPH_URL, "https://graph.facebook.com/v27.0")
    with pytest.raises(Exception, match="closed"):
        store.conn.execute("SELECT 1")
    with open_store(path) as again:
        assert again.settings.get(GRAPH_URL) == "https://graph.facebook.com/v27.0"


def test_the_graph_client_uses_the_resolved_system_proxy(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv(GRAPH_URL_ENV, raising=False)
    asked: list[tuple[str, str]] = []

    def system_proxy(url: str) -> str:
        asked.append((url, threading.current_thread().name))
        return "http://proxy.example:3128"

    with job_tools(tmp_path / "engage.sqlite", system_proxy=system_proxy) as tools:
        tools.store.settings.set(NETWORK, NetworkSettings(proxy_mode="system"))
        graph = tools.graph
    assert asked == [("https://graph.facebook.com/v27.0", threading.current_thread().name)]
    assert graph.base_url == "https://graph.facebook.com/v27.0"
    assert graph.session.proxies.get("https") == "http://proxy.example:3128"


def test_a_refused_graph_address_is_said_by_the_client_not_the_proxy(tmp_path: Path,
                                                                     monkeypatch) -> None:
    monkeypatch.setenv(GRAPH_URL_ENV, "http://example.org/v27.0")  # plain HTTP, not loopback
    asked: list[str] = []
    with job_tools(tmp_path / "engage.sqlite", system_proxy=asked.append) as tools, \
            pytest.raises(Exception, match="is not usable"):
        tools.graph  # noqa: B018 (made when read)
    assert asked == []


def test_a_connect_with_the_tools_keeps_the_token_for_the_session(tmp_path: Path,
                                                                  graph: GraphServer) -> None:
    # the tests' keyring fails: with session_fallback the token is kept for the session
    assert isinstance(keyring.get_keyring(), keyring.backends.fail.Keyring)
    token = graph.state.users["1000001"].token
    with job_tools(tmp_path / "engage.sqlite", session_fallback=True) as tools:
        result = connect(tools.store, tools.vault, tools.graph, token)
        assert result.storage is Storage.SESSION
        assert {page.page.name for page in result.pages}
        assert tools.graph.requests_made > 0


def test_tools_around_an_open_store_use_it_and_leave_it_open(tmp_path: Path,
                                                            monkeypatch) -> None:
    # the command line opens the store itself (with its read-only policy)
    monkeypatch.delenv(GRAPH_URL_ENV, raising=False)
    with open_store(tmp_path / "engage.sqlite") as store:
        store.settings.set(GRAPH_URL, "https://graph.facebook.com/v26.0")
        tools = JobTools.around(store)
        assert tools.store is store
        assert tools.graph.base_url == "https://graph.facebook.com/v26.0"
        assert tools.vault.session_fallback is False
        tools.close()
        assert store.conn.execute("SELECT 1").fetchone()[0] == 1  # still the caller's
