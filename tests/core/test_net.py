"""The HTTP session against real servers on 127.0.0.1: TLS trust, proxies, timeouts, faults."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
import trustme
from graph_server import GraphServer, example_council

from engage_desktop.core.graph import GraphClient
from engage_desktop.core.net import (
    USER_AGENT,
    NetworkError,
    NetworkSettings,
    describe_failure,
    make_session,
)

USER_TOKEN = example_council().users["1000001"].token


@pytest.fixture(scope="module")
def private_ca() -> trustme.CA:
    return trustme.CA(organization_name="Kelderby Council TLS Inspection")


@pytest.fixture
def tls_graph(private_ca: trustme.CA) -> Iterator[GraphServer]:
    """The Graph server behind a certificate from a CA no trust store knows, as a council's
    TLS-inspecting proxy presents."""
    import ssl

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    private_ca.issue_cert("127.0.0.1").configure_cert(context)
    with GraphServer(example_council(), tls=context) as server:
        yield server


def _client(server: GraphServer, settings: NetworkSettings | None = None) -> GraphClient:
    settings = settings or NetworkSettings()
    return GraphClient(server.url, make_session(settings), settings)


def test_an_untrusted_certificate_is_named_plainly(tls_graph: GraphServer) -> None:
    with pytest.raises(NetworkError) as caught:
        _client(tls_graph).get("me", USER_TOKEN)
    assert caught.value.kind == "tls"
    assert "not trusted" in caught.value.message and "root certificate" in caught.value.hint
    assert USER_TOKEN not in str(caught.value)


def test_the_extra_ca_file_adds_trust(tls_graph: GraphServer, private_ca: trustme.CA,
                                      tmp_path: Path) -> None:
    ca_file = tmp_path / "council-root.pem"
    private_ca.cert_pem.write_to_path(str(ca_file))
    client = _client(tls_graph, NetworkSettings(extra_ca_file=str(ca_file)))
    assert client.get("me", USER_TOKEN)["name"] == "Sam Officer"


def test_requests_carry_the_token_in_a_header_and_name_the_program(graph: GraphServer) -> None:
    client = _client(graph)
    client.get("me", USER_TOKEN, {"fields": "id,name"})
    (recorded,) = graph.state.requests
    assert recorded.authorization == "OAuth" and not recorded.token_in_url
    assert make_session().headers["User-Agent"] == USER_AGENT


def test_proxy_modes() -> None:
    assert make_session(NetworkSettings("system")).trust_env
    none = make_session(NetworkSettings("none"))
    assert not none.trust_env and not none.proxies
    manual = make_session(NetworkSettings("manual", "http://proxy.kelderby.gov.uk:8080"))
    assert not manual.trust_env
    assert manual.proxies == {"http": "http://proxy.kelderby.gov.uk:8080",
                              "https": "http://proxy.kelderby.gov.uk:8080"}


@pytest.mark.parametrize(("settings", "message"), [
    ({"proxy_mode": "manual", "proxy_url": "proxy:8080"}, "must be a URL"),
    ({"proxy_mode": "sometimes"}, "Unknown proxy mode"),
    ({"proxy_mode": "manual", "proxy_url": "socks5://127.0.0.1:1080"}, "SOCKS"),
    ({"proxy_mode": "manual", "proxy_url": "http://bob:S3cret@proxy:8080"}, "passwords"),
])
def test_bad_network_settings_are_refused(settings, message) -> None:
    with pytest.raises(NetworkError, match=message):
        NetworkSettings(**settings)


@pytest.mark.parametrize("content", ["not a certificate", None])
def test_a_ca_file_that_is_not_a_certificate_is_refused(tmp_path: Path, content) -> None:
    bad = tmp_path / "root.pem"
    if content:
        bad.write_text(content)
    with pytest.raises(NetworkError, match="could not be read") as caught:
        make_session(NetworkSettings(extra_ca_file=str(bad)))
    assert caught.value.kind == "config"


def test_a_missing_ca_bundle_in_the_environment_is_ignored(graph: GraphServer,
                                                           monkeypatch) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/nowhere/bundle.pem")
    assert _client(graph).get("me", USER_TOKEN)["id"] == "1000001"


def test_the_ca_bundle_in_the_environment_adds_trust(tls_graph: GraphServer,
                                                     private_ca: trustme.CA, tmp_path: Path,
                                                     monkeypatch) -> None:
    bundle = tmp_path / "bundle.pem"
    private_ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    assert _client(tls_graph).get("me", USER_TOKEN)["id"] == "1000001"


class _AuthenticatingProxy(BaseHTTPRequestHandler):
    def do_CONNECT(self) -> None:
        self.send_response(407, "Proxy Authentication Required")
        self.send_header("Proxy-Authenticate", 'NTLM')
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_a_proxy_that_wants_a_login_is_named(tls_graph: GraphServer) -> None:
    proxy = ThreadingHTTPServer(("127.0.0.1", 0), _AuthenticatingProxy)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        settings = NetworkSettings("manual", f"http://127.0.0.1:{proxy.server_port}")
        with pytest.raises(NetworkError) as caught:
            _client(tls_graph, settings).get("me", USER_TOKEN)
    finally:
        proxy.shutdown()
        proxy.server_close()
    assert caught.value.kind == "proxy_auth" and "407" in caught.value.message


def test_a_slow_answer_times_out(graph: GraphServer) -> None:
    graph.state.fault("latency", seconds=2.0)
    settings = NetworkSettings(read_timeout=0.3)
    with pytest.raises(NetworkError) as caught:
        _client(graph, settings).get("me", USER_TOKEN)
    assert caught.value.kind == "timeout" and "took too long" in caught.value.message


@pytest.mark.parametrize("kind", ["drop", "cut"])
def test_a_dropped_connection_is_named(graph: GraphServer, kind: str) -> None:
    graph.state.fault(kind)
    with pytest.raises(NetworkError) as caught:
        _client(graph).get("me", USER_TOKEN)
    assert caught.value.kind == "dropped"


def test_nothing_listening_is_refused() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = NetworkSettings()
    client = GraphClient(f"http://127.0.0.1:{port}/v26.0", make_session(settings), settings)
    with pytest.raises(NetworkError) as caught:
        client.get("me", USER_TOKEN)
    assert caught.value.kind == "refused"


def test_dns_failures_are_named_without_the_url() -> None:
    url = f"https://graph.facebook.com/v26.0/me?access_token={USER_TOKEN}"
    exc = requests.exceptions.ConnectionError(
        f"HTTPSConnectionPool(host='graph.facebook.com', port=443): Max retries exceeded with "
        f"url: /v26.0/me?access_token={USER_TOKEN} (Caused by NameResolutionError: Failed to "
        "resolve 'graph.facebook.com' ([Errno -2] Name or service not known))")
    error = describe_failure(exc, url)
    assert error.kind == "dns" and "graph.facebook.com" in error.message
    assert USER_TOKEN not in str(error) and "access_token" not in str(error)
