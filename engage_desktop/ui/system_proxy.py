"""The proxy the operating system would use, as Qt resolves it (PAC scripts and WPAD
included, which the environment variables requests reads do not show). Used by the window's
network jobs and by Settings' Test connection; only Qt value types, so it may run on a job's
worker thread."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtNetwork import QNetworkProxy, QNetworkProxyFactory, QNetworkProxyQuery


def system_proxy_for(url: str) -> str | None:
    """The HTTP proxy the operating system would use for ``url``, or None for a direct
    connection."""
    for proxy in QNetworkProxyFactory.systemProxyForQuery(QNetworkProxyQuery(QUrl(url))):
        if proxy.type() == QNetworkProxy.ProxyType.HttpProxy and proxy.hostName():
            return f"http://{proxy.hostName()}:{proxy.port()}"
    return None
