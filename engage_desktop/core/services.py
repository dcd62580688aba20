"""Wiring: the network settings and Graph API client a database is set up for, and the one
place a job builds its tools (its database connection, the keyring and the Graph API client)
on the thread it runs on."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import requests

from engage_desktop.core.errors import EngageError
from engage_desktop.core.graph import GraphClient, graph_base_url
from engage_desktop.core.net import NetworkError, NetworkSettings, describe_failure, make_session
from engage_desktop.core.redaction import redact
from engage_desktop.core.settings import GRAPH_URL, NETWORK
from engage_desktop.core.store import Store, open_store

if TYPE_CHECKING:
    from engage_desktop.core.tokens import TokenVault


def network_settings(store: Store) -> NetworkSettings:
    """The stored network settings; the system's proxy settings (with a warning) when the
    stored ones cannot be used."""
    return store.settings.get(NETWORK)


def save_network_settings(store: Store, settings: NetworkSettings) -> None:
    store.settings.set(NETWORK, settings)


def graph_client(store: Store, system_proxy: str | None = None) -> GraphClient:
    """The Graph API client for ``store``'s settings. ``system_proxy`` is the proxy the
    operating system would use for the Graph API (the window asks Qt, which reads PAC and
    WPAD set-ups that the environment variables requests reads do not show)."""
    settings = _with_system_proxy(network_settings(store), system_proxy)
    base = graph_base_url(store.settings.get(GRAPH_URL))
    return GraphClient(base, make_session(settings), settings)


def _with_system_proxy(settings: NetworkSettings, system_proxy: str | None) -> NetworkSettings:
    if settings.proxy_mode == "system" and system_proxy:
        return replace(settings, proxy_mode="manual", proxy_url=system_proxy)
    return settings


SystemProxy = Callable[[str], "str | None"]  # the Graph API's address -> the system's proxy


class JobTools:
    """What a job works with, each made the first time it is asked for, on the job's thread:
    ``store`` (its own connection to the database), ``vault`` (the keyring) and ``graph``
    (the Graph API client for the database's settings). Made by :func:`job_tools`."""

    def __init__(self, db_path: Path | None, *, create: bool, session_fallback: bool,
                 system_proxy: SystemProxy | None) -> None:
        self.db_path = db_path
        self._create = create
        self._session_fallback = session_fallback
        self._system_proxy = system_proxy
        self._closing = contextlib.ExitStack()

    @cached_property
    def store(self) -> Store:
        if self.db_path is None:
            raise ValueError("these job tools were made without a database")
        return self._closing.enter_context(open_store(self.db_path, create=self._create))

    @cached_property
    def vault(self) -> TokenVault:
        from engage_desktop.core.tokens import TokenVault  # (the keyring: imported when used)

        return TokenVault(session_fallback=self._session_fallback)

    @cached_property
    def graph(self) -> GraphClient:
        return graph_client(self.store, self._resolved_proxy())

    def _resolved_proxy(self) -> str | None:
        if self._system_proxy is None:
            return None
        try:  # (a PAC script may be fetched: this runs on the job's thread)
            return self._system_proxy(graph_base_url(self.store.settings.get(GRAPH_URL)))
        except EngageError:
            return None  # the stored address is refused: graph_client says why

    def close(self) -> None:
        self._closing.close()

    @classmethod
    def around(cls, store: Store) -> JobTools:
        """The tools around a store opened already (the command line opens it with its
        read-only policy): the keyring and the Graph API client made when first used."""
        tools = cls(store.path, create=False, session_fallback=False, system_proxy=None)
        tools.__dict__["store"] = store  # (what the cached property would hold; not closed)
        return tools


@contextlib.contextmanager
def job_tools(db_path: Path | None = None, *, create: bool = True,
              session_fallback: bool = False,
              system_proxy: SystemProxy | None = None) -> Iterator[JobTools]:
    """The tools for one job, made lazily on the thread that uses them (an SQLite connection
    belongs to one thread) and closed at the end: ``with job_tools(path) as tools:
    run_sync(tools.store, tools.vault, tools.graph)``. ``create=False`` refuses a missing
    database; ``session_fallback`` lets the keyring keep tokens for this session when none
    works; ``system_proxy`` resolves the operating system's proxy for the Graph API's address
    (the window passes Qt's resolver, which reads PAC and WPAD set-ups)."""
    tools = JobTools(None if db_path is None else Path(db_path), create=create,
                     session_fallback=session_fallback, system_proxy=system_proxy)
    try:
        yield tools
    finally:
        tools.close()


@dataclass(frozen=True)
class ConnectionCheck:
    """What "Test connection" found: in words, with what to do, and a diagnosis to copy for
    IT (no token: none is sent)."""

    ok: bool
    summary: str
    hint: str
    diagnosis: str


def check_connection(settings: NetworkSettings, base_url: str,
                     system_proxy: str | None = None) -> ConnectionCheck:
    """Reach the Graph API once, without a token: any answer from Meta means the network,
    the proxy and TLS work."""
    effective = _with_system_proxy(settings, system_proxy)
    route = {"none": "directly (no proxy)",
             "manual": f"through the proxy {effective.proxy_url}",
             "system": "with the system's proxy settings"}[effective.proxy_mode]
    if settings.proxy_mode == "system" and system_proxy:
        route = f"through the system's proxy {system_proxy}"
    host = urlsplit(base_url).hostname or base_url
    lines = [f"Graph API: {base_url}", f"Proxy setting: {settings.proxy_mode}",
             f"Route: {route}",
             f"Extra CA certificate: {settings.extra_ca_file or 'none'}"]
    started = time.monotonic()
    try:
        session = make_session(effective)
        response = session.get(base_url.rstrip("/") + "/", timeout=effective.timeout)
    except NetworkError as error:
        lines.append(f"Result: {error.kind}: {error.message}")
        return ConnectionCheck(False, error.message, error.hint, redact("\n".join(lines)))
    except requests.RequestException as exc:
        error = describe_failure(exc, base_url)
        lines.append(f"Result: {error.kind}: {type(exc).__name__}: {redact(str(exc))[:300]}")
        return ConnectionCheck(False, error.message, error.hint, redact("\n".join(lines)))
    elapsed = (time.monotonic() - started) * 1000
    lines.append(f"Result: HTTP {response.status_code} in {elapsed:.0f} ms")
    return ConnectionCheck(
        True, f"Reached {host} {route} in {elapsed:.0f} ms; the connection is trusted.",
        "Syncing will work from this computer.", redact("\n".join(lines)))
