"""Wiring: the network settings and Graph API client a database is set up for."""

from __future__ import annotations

from engage_desktop.core.graph import GRAPH_URL_SETTING, GraphClient, graph_base_url
from engage_desktop.core.net import NetworkSettings, make_session
from engage_desktop.core.store import Store

NETWORK_SETTING = "network"


def network_settings(store: Store) -> NetworkSettings:
    stored = store.setting(NETWORK_SETTING, {}) or {}
    return NetworkSettings(
        proxy_mode=stored.get("proxy_mode", "system"),
        proxy_url=stored.get("proxy_url"),
        extra_ca_file=stored.get("extra_ca_file"),
    )


def save_network_settings(store: Store, settings: NetworkSettings) -> None:
    store.set_setting(NETWORK_SETTING, {"proxy_mode": settings.proxy_mode,
                                        "proxy_url": settings.proxy_url,
                                        "extra_ca_file": settings.extra_ca_file})


def graph_client(store: Store) -> GraphClient:
    settings = network_settings(store)
    base = graph_base_url(store.setting(GRAPH_URL_SETTING))
    return GraphClient(base, make_session(settings), settings)
