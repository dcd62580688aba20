"""Wiring: the network settings and Graph API client a database is set up for."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

import requests

from engage_desktop.core.graph import GraphClient, graph_base_url
from engage_desktop.core.net import NetworkError, NetworkSettings, describe_failure, make_session
from engage_desktop.core.redaction import redact
from engage_desktop.core.settings import GRAPH_URL, NETWORK
from engage_desktop.core.store import Store


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
