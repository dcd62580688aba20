"""The HTTP session every network call goes through.

- TLS is verified with the operating system's trust store (truststore), so a council's
  TLS-inspecting proxy whose root CA IT pushed into Windows or macOS is trusted as Edge trusts
  it; certifi's bundle is loaded into the same context as a fallback, and an extra CA file can
  be added. There is no switch to turn verification off.
- Proxy mode: ``system`` (environment variables and, on Windows, the registry; the window
  resolves PAC/WPAD with Qt and passes the answer in as a manual URL), ``none``, or ``manual``.
- Timeouts on connect and read, a User-Agent naming the program and version.
- Tokens travel in the ``Authorization`` header, never in a URL.
- Every exception requests raises is turned into a :class:`NetworkError` whose text names the
  host and what went wrong in plain English, never the URL's query or a token.
"""

from __future__ import annotations

import contextlib
import os
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import certifi
import requests
import truststore
from requests.adapters import HTTPAdapter

from engage_desktop import __version__
from engage_desktop.core.errors import EngageError
from engage_desktop.core.redaction import redact

ProxyMode = Literal["system", "none", "manual"]
USER_AGENT = f"EngageDesktop/{__version__} (+https://github.com/engage-desktop)"


class NetworkError(EngageError):
    """The network could not carry a request. ``kind`` says why, for the window and sync:
    ``dns``, ``refused``, ``connect_timeout``, ``timeout`` (no answer in time), ``tls``,
    ``proxy``, ``proxy_auth``, ``dropped``, ``config``."""

    def __init__(self, message: str, hint: str, kind: str) -> None:
        super().__init__(message, hint)
        self.kind = kind


@dataclass(frozen=True, slots=True)
class NetworkSettings:
    proxy_mode: ProxyMode = "system"
    proxy_url: str | None = None
    extra_ca_file: str | None = None
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    extra_headers: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.proxy_mode not in ("system", "none", "manual"):
            raise NetworkError(f"Unknown proxy mode {self.proxy_mode!r}.",
                               "Choose system, none or manual.", "config")
        if self.proxy_mode == "manual":
            parts = urlsplit(self.proxy_url or "")
            if parts.scheme.startswith("socks"):
                raise NetworkError("SOCKS proxies are not supported.",
                                   "Use your organisation's web (HTTP) proxy address.", "config")
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise NetworkError(
                    "The manual proxy must be a URL such as http://proxy.council.gov.uk:8080.",
                    "Ask IT for the proxy's address and port.", "config")
            if parts.username or parts.password:
                raise NetworkError(
                    "Engage Desktop does not keep proxy passwords, so the proxy address must "
                    "not contain one.",
                    "Give the address without the name and password (http://host:port); ask "
                    "IT for a proxy route to graph.facebook.com that needs no password.",
                    "config")

    @property
    def timeout(self) -> tuple[float, float]:
        return (self.connect_timeout, self.read_timeout)


def tls_context(extra_ca_file: str | None = None,
                environ: Mapping[str, str] | None = None) -> ssl.SSLContext:
    """OS trust store first, certifi as fallback, plus an optional extra CA file, and a CA
    bundle named by REQUESTS_CA_BUNDLE or SSL_CERT_FILE when that file exists."""
    environ = os.environ if environ is None else environ
    context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(certifi.where())
    for variable in ("REQUESTS_CA_BUNDLE", "SSL_CERT_FILE"):
        bundle = environ.get(variable)
        if bundle and Path(bundle).is_file():
            with contextlib.suppress(ssl.SSLError, OSError):
                context.load_verify_locations(bundle)
    if extra_ca_file:
        try:
            context.load_verify_locations(extra_ca_file)
        except (ssl.SSLError, OSError) as exc:
            raise NetworkError(
                f"The CA certificate file {extra_ca_file} could not be read "
                f"({type(exc).__name__}).",
                "Choose a PEM file (text starting with -----BEGIN CERTIFICATE-----).",
                "config") from None
    return context


class _TrustStoreAdapter(HTTPAdapter):
    """Uses our TLS context for direct and proxied connections alike."""

    def __init__(self, context: ssl.SSLContext, **kwargs: Any) -> None:
        self._context = context
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ssl_context"] = self._context
        super().init_poolmanager(*args, **kwargs)

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        kwargs["ssl_context"] = self._context
        return super().proxy_manager_for(proxy, **kwargs)

    def send(self, request: Any, stream: bool = False, timeout: Any = None,
             verify: Any = True, cert: Any = None, proxies: Any = None) -> Any:
        # Always verify, and only with our context: requests would otherwise swap in a CA
        # bundle path from the environment (failing outright if that file is missing).
        return super().send(request, stream=stream, timeout=timeout, verify=True, cert=None,
                            proxies=proxies)

    def cert_verify(self, conn: Any, url: str, verify: Any, cert: Any) -> None:
        conn.cert_reqs = "CERT_REQUIRED"
        # Trust comes from our context; do not let requests load certifi's file into it again
        # on every connection.
        conn.ca_certs = None
        conn.ca_cert_dir = None


def make_session(settings: NetworkSettings | None = None) -> requests.Session:
    settings = settings or NetworkSettings()
    session = requests.Session()
    adapter = _TrustStoreAdapter(tls_context(settings.extra_ca_file))
    session.mount("https://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    session.headers.update(settings.extra_headers)
    if settings.proxy_mode == "system":
        session.trust_env = True
    else:
        # Ignore environment proxies (and .netrc); use exactly what was chosen.
        session.trust_env = False
        if settings.proxy_mode == "manual":
            session.proxies = {"http": settings.proxy_url, "https": settings.proxy_url}
    return session


def auth_header(token: str) -> dict[str, str]:
    """The header Meta documents for a token; it keeps the token out of every URL."""
    return {"Authorization": f"OAuth {token}"}


def describe_failure(exc: requests.RequestException, url: str) -> NetworkError:
    """A plain-English, token-free error for an exception requests raised."""
    host = urlsplit(url).hostname or "the server"
    detail = redact(str(exc))
    lowered = detail.lower()
    if isinstance(exc, requests.exceptions.SSLError):
        if "certificate verify failed" in lowered or "certificate_verify_failed" in lowered:
            return NetworkError(
                f"The connection to {host} is not trusted: its certificate was issued by an "
                "authority this computer does not trust.",
                "If your organisation inspects web traffic, ask IT for its root certificate "
                "and add it in Settings (extra CA certificate).", "tls")
        return NetworkError(f"A secure connection to {host} could not be set up.",
                            "Try again; if it keeps failing, ask IT whether a proxy or "
                            "firewall interferes with TLS.", "tls")
    if isinstance(exc, requests.exceptions.ProxyError):
        if "407" in detail:
            return NetworkError(
                "The proxy asked for a login (HTTP 407), which Engage Desktop cannot give.",
                "Ask IT to allow graph.facebook.com through the proxy without authentication, "
                "or choose another proxy in Settings.", "proxy_auth")
        return NetworkError(f"The proxy could not connect to {host}.",
                            "Check the proxy setting, or try 'no proxy' if you are at home.",
                            "proxy")
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return NetworkError(f"Connecting to {host} timed out.",
                            "Check your connection; Engage Desktop works offline on the data "
                            "it has.", "connect_timeout")
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return NetworkError(f"{host} took too long to answer.",
                            "Try again later; Meta may be slow.", "timeout")
    if isinstance(exc, requests.exceptions.ConnectionError):
        if any(s in lowered for s in ("name or service not known", "nodename nor servname",
                                      "getaddrinfo failed", "name resolution",
                                      "no address associated")):
            return NetworkError(f"Could not find {host} (no DNS answer): you may be offline.",
                                "Check your connection; Engage Desktop works offline on the "
                                "data it has.", "dns")
        if "refused" in lowered:
            return NetworkError(f"{host} refused the connection.",
                                "Check your connection and proxy settings.", "refused")
        return NetworkError(f"The connection to {host} dropped before the answer arrived.",
                            "Try again; a flaky network or a proxy may have cut it.", "dropped")
    if isinstance(exc, requests.exceptions.InvalidSchema):
        return NetworkError("The proxy or Graph API address uses a scheme Engage Desktop "
                            "cannot use.", "Use an http:// proxy and an https:// Graph API "
                            "address.", "config")
    if isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema):
        return NetworkError(f"The Graph API address for {host} is not a valid URL.",
                            "Check ENGAGE_GRAPH_URL or the Graph API setting.", "config")
    return NetworkError(f"The request to {host} failed ({type(exc).__name__}).",
                        "Try again later.", "dropped")
