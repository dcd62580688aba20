"""The canary: run every connect, follow and error path with recognisable fake tokens, then
search everything the program wrote (output, logs, exceptions, the database) for them."""

from __future__ import annotations

import logging
import secrets
import traceback
from pathlib import Path

import pytest
from graph_server import FakePage, GraphServer, example_council
from keyrings import MemoryKeyring

from engage_desktop.core import accounts
from engage_desktop.core.errors import EngageError
from engage_desktop.core.graph import GraphClient
from engage_desktop.core.net import NetworkSettings, make_session
from engage_desktop.core.redaction import install_log_redaction
from engage_desktop.core.store import open_store
from engage_desktop.core.tokens import TokenVault

MARK = "CANARY"


def _canary(who: str) -> str:
    # Half look like Meta's tokens (EAA…), half do not, so the pattern-based redaction is
    # not what saves them.
    prefix = "EAA" if len(who) % 2 else "zz"
    return f"{prefix}{MARK}{who.upper()}x{secrets.token_hex(12)}"


@pytest.fixture
def canary_graph(monkeypatch: pytest.MonkeyPatch):
    state = example_council(make_token=_canary)
    state.add_page(FakePage("666666666666666", "Private Parish", "PrivateParish",
                            public_readable=False))
    # /me/accounts as Meta pages it: through /{user-id}/accounts, the token in the next link
    state.accounts_page_size = 2
    state.accounts_next_by_id = True
    with GraphServer(state) as server:
        monkeypatch.setenv("ENGAGE_GRAPH_URL", server.url)
        yield server


def test_no_token_escapes_anywhere(tmp_path: Path, run_cli, canary_graph: GraphServer,
                                   secret_service, caplog: pytest.LogCaptureFixture) -> None:
    state = canary_graph.state
    user_token = state.users["1000001"].token
    page_token = state.pages["111111111111111"].token
    db = tmp_path / "engage.sqlite"
    written: list[str] = []
    argv: list[str] = []

    def cli(*args: str, stdin: str | None = None) -> None:
        full = ["--verbose", *args, "--db", str(db)]
        argv.extend(full)
        result = run_cli(*full, stdin=stdin)
        written.extend([result.stdout, result.stderr])

    # the paths that work
    cli("connect", "--token-stdin", stdin=user_token)
    cli("connect", "--token-stdin", stdin=page_token)
    cli("follow", "ExampleCounty", "PrivateParish", "NoSuchCouncil")
    cli("pages", "--json")
    cli("pages")
    cli("status")
    # exports (the files are searched below)
    cli("sync", "--no-insights")
    exports = [tmp_path / name for name in ("status.csv", "series.csv", "chart.svg",
                                            "chart.pdf", "chart.png")]
    cli("export", "data", "--out", str(exports[0]))
    cli("export", "data", "--what", "series", "--out", str(exports[1]))
    for chart in exports[2:]:
        cli("export", "chart", "--page", "111111111111111", "--range", "4w", "--out",
            str(chart))
    exported = written[-len(exports) - 3:]
    # and every way it can fail
    for fault in ("throttle", "permission", "http500", "truncate", "drop", "gateway"):
        state.fault(fault)
        cli("follow", "ExampleDistrictCouncil")
    cli("connect", "--token-stdin", stdin=_canary("unknown"))  # Meta echoes it back
    cli("connect", "--token-stdin", stdin=f"{user_token} {user_token}")
    cli("connect", "--token-stdin", _canary("argv"))  # typed as an argument by mistake
    state.expire(page_token, 460)
    cli("connect", "--token-stdin", stdin=page_token)
    state.expire(user_token, 463)
    cli("follow", "ExampleDistrictCouncil")
    cli("forget", "ExampleBoroughCouncil")

    # the same in this process, with every log record and exception kept
    install_log_redaction()
    with caplog.at_level(logging.DEBUG), open_store(tmp_path / "inproc.sqlite") as store:
        vault = TokenVault(MemoryKeyring())
        client = GraphClient(canary_graph.url, make_session(NetworkSettings()))
        for pasted in (_canary("other"), f"OAuth {_canary('spaced')} extra", page_token,
                       user_token):
            try:
                accounts.connect(store, vault, client, pasted)
            except EngageError as exc:
                written.extend([str(exc), repr(exc), exc.hint,
                                "".join(traceback.format_exception(exc))])
                written.append(getattr(exc, "meta_message", ""))
    written.append(caplog.text)
    written.extend(record.getMessage() for record in caplog.records)

    assert any("Connected" in text for text in written), "the paths above really ran"
    assert any("Malformed access token" in text for text in written), "Meta echoed a token"
    leaks = [text for text in written if MARK in text]
    assert leaks == [], f"a token escaped: {leaks[0][:300]}"
    assert sum(MARK in arg for arg in argv) == 1, "only the one typed by mistake"
    for file in tmp_path.glob("*.sqlite*"):
        assert MARK.encode() not in file.read_bytes(), f"a token is in {file.name}"
    assert all(export.exists() for export in exports), exported
    for export in exports:
        assert MARK.encode() not in export.read_bytes(), f"a token is in {export.name}"
