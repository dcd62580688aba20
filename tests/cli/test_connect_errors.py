"""connect and sync as separate processes against answers as Meta really gives them: an empty
/me/accounts, Pages listed without their token, /me/accounts paged through /{user-id}/accounts
with the token in the next link, gzip text/javascript answers, an app token pasted, and error
bodies with Meta's words for a person."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from graph_server import GraphServer, MetaError

from engage_desktop.core.tokens import SERVICE

USER = "1000001"
LEISURE = "333333333333333"  # an own Page of the example council
DISTRICT = "444444444444444"  # a public Page


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "engage.sqlite"


def _connect(run_cli, db: Path, token: str, *options: str):
    return run_cli(*options, "connect", "--token-stdin", "--db", str(db), stdin=token)


def test_no_pages_listed_says_business_portfolio_and_exits_3(db: Path, run_cli,
                                                             graph: GraphServer,
                                                             secret_service) -> None:
    user = graph.state.users[USER]
    user.page_ids = []
    result = _connect(run_cli, db, user.token)
    assert result.returncode == 3, result.stderr
    assert f"Connected no Pages with the token of Sam Officer ({USER})." in result.stdout
    assert "Connected 0" not in result.stdout
    assert "business portfolio" in result.stderr and "business_management" in result.stderr
    assert "connect again" in result.stderr
    assert "kept, for following public Pages" in result.stderr
    # the token is kept: public Pages can be followed with it
    assert secret_service.get_password(SERVICE, f"user:{USER}") == user.token
    followed = run_cli("follow", "--db", str(db), "ExampleCounty")
    assert followed.returncode == 0, followed.stderr


def test_a_page_listed_without_its_token_is_named_and_exits_3(db: Path, run_cli,
                                                              graph: GraphServer,
                                                              secret_service) -> None:
    graph.state.pages[LEISURE].token = None
    graph.state.users[USER].tasks = ("ADVERTISE",)
    result = _connect(run_cli, db, graph.state.users[USER].token)
    assert result.returncode == 3, result.stderr
    assert "Connected 2 Pages" in result.stdout
    assert ("Not connected: Example Leisure: Meta gave no Page token for it: your tasks on "
            "this Page (ADVERTISE) do not allow reading it.") in result.stdout
    assert "business_management" not in result.stderr


def test_accounts_paged_through_the_user_id_with_the_token_in_next(db: Path, run_cli,
                                                                    graph: GraphServer,
                                                                    secret_service) -> None:
    state = graph.state
    state.accounts_page_size = 1
    state.accounts_next_by_id = True
    state.gzip = True  # and every answer gzip-compressed, typed text/javascript
    token = state.users[USER].token
    result = _connect(run_cli, db, token, "--verbose")
    assert result.returncode == 0, result.stderr
    assert "Connected 3 Pages" in result.stdout
    followed = [r for r in state.requests if r.path == f"/{USER}/accounts"]
    assert len(followed) == 2, "two more pages of results, through /{user-id}/accounts"
    assert not any(r.token_in_url for r in state.requests), "the token is taken out of next"
    assert {r.authorization for r in state.requests} == {"OAuth"}
    assert token not in result.stdout + result.stderr
    assert f"/{USER}/accounts" in result.stderr, "the paths are logged, the token is not"


def test_an_app_token_pasted_is_said_and_exits_4(db: Path, run_cli, graph: GraphServer,
                                                 secret_service) -> None:
    graph.state.meta_errors["/me?"] = MetaError(
        400, 2500, "An active access token must be used to query information about the "
                   "current user.")
    result = _connect(run_cli, db, "123456789012345|abcdefabcdefabcdefabcdefabcdefab")
    assert result.returncode == 4
    assert ("The token cannot be used: Meta got an app token, or no token, instead of a "
            "person's token.") in result.stderr
    assert "code 2500" in result.stderr and "try again" not in result.stderr.lower()
    assert "abcdefabcdef" not in result.stderr


def test_sync_lines_name_metas_words_and_what_to_do(db: Path, run_cli, graph: GraphServer,
                                                    secret_service) -> None:
    state = graph.state
    assert _connect(run_cli, db, state.users[USER].token).returncode == 0
    assert run_cli("follow", "--db", str(db), DISTRICT).returncode == 0
    state.meta_errors[LEISURE] = MetaError(
        400, 190, "User access token is not supported", 2069032,
        user_title="Page access token required",
        user_msg="Use the Page's access token to read this Page.")
    state.meta_errors[DISTRICT] = MetaError(
        400, 100, f"Unsupported get request. Object with ID '{DISTRICT}' does not exist, "
                  "cannot be loaded due to missing permissions, or does not support this "
                  "operation", 33)
    result = run_cli("sync", "--db", str(db), "--no-insights")
    assert result.returncode == 3, result.stdout + result.stderr
    lines = {line.split(": ", 1)[0].strip(): line.split(": ", 1)[1]
             for line in result.stdout.splitlines()[1:]}
    leisure = lines["Example Leisure"]
    assert leisure.startswith("Meta reads this only with the Page's own token")
    assert ('Meta\'s note: "Page access token required: Use the Page\'s access token to read '
            'this Page."') in leisure
    assert "Meta said: User access token is not supported (code 190, subcode 2069032)." in (
        leisure)
    assert "takes the Page's own token" in leisure and "no longer accepts" not in leisure
    district = lines["Example District Council"]
    assert district.startswith("Facebook cannot read this Page")
    assert "(code 100, subcode 33)" in district and "update" not in district.lower()
    pages = {p["page_id"]: p for p in json.loads(run_cli("pages", "--json", "--db",
                                                         str(db)).stdout)}
    assert pages[LEISURE]["token_status"] == "ok", "reconnecting would not help"
    as_json = json.loads(run_cli("sync", "--json", "--no-insights", "--db", str(db)).stdout)
    codes = {e["page_id"]: (e["kind"], e["code"]) for e in as_json["errors"]}
    assert codes == {LEISURE: ("permission", 190), DISTRICT: ("not_found", 100)}
