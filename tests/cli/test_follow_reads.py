"""engage-desktop follow as a separate process against a Graph API that refuses multi-ID reads:
each reference (ID, username, facebook.com address) is read on its own and reported on its
own; one Meta cannot read never stops the others."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from graph_server import FakePage, GraphServer


@pytest.fixture
def connected(connect_council, db_path: Path, graph: GraphServer) -> Path:
    graph.state.add_page(FakePage("666666666666666", "Hidden Parish", "HiddenParish"))
    graph.state.add_page(FakePage("777777777777777", "Closed Parish", "ClosedParish"))
    connect_council(db_path)
    graph.state.requests.clear()
    return db_path


def _followed_public(run_cli, db: Path) -> set[str]:
    pages = json.loads(run_cli("pages", "--json", "--db", str(db)).stdout)
    return {p["page_id"] for p in pages if p["kind"] == "public" and p["followed"]}


def test_five_references_two_unreadable_follows_three_and_reports_two(connected, run_cli,
                                                                       graph) -> None:
    graph.state.unreadable["666666666666666"] = 33
    graph.state.unreadable["777777777777777"] = None
    result = run_cli("follow", "--db", str(connected), "444444444444444", "@ExampleCounty",
                     "https://www.facebook.com/HiddenParish", "ClosedParish",
                     "https://www.facebook.com/profile.php?id=111111111111111")
    assert result.returncode == 3, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        "Following Example District Council (444444444444444).",
        "Following Example County Council (555555555555555).",
        "Following Example Borough Council (111111111111111)."]
    failed = result.stderr.splitlines()
    assert len(failed) == 2
    assert failed[0].startswith("Could not follow https://www.facebook.com/HiddenParish: ")
    assert failed[1].startswith("Could not follow ClosedParish: ")
    assert all("cannot be loaded due to missing permissions" in line for line in failed)
    assert _followed_public(run_cli, connected) == {"444444444444444", "555555555555555"}
    # one batch request, each reference its own item; never GET /?ids=
    (request,) = graph.state.requests
    assert (request.method, request.batch_size) == ("POST", 5)


def test_every_reference_unreadable_is_exit_1_with_each_reported(connected, run_cli,
                                                                 graph) -> None:
    graph.state.unreadable["666666666666666"] = 33
    result = run_cli("follow", "--db", str(connected), "HiddenParish", "NoSuchParishAtAll")
    assert result.returncode == 1, result.stdout + result.stderr
    assert [line.split(":")[0] for line in result.stderr.splitlines()] == [
        "Could not follow HiddenParish", "Could not follow NoSuchParishAtAll"]
    assert "Facebook has no Page with that name or ID" in result.stderr
    assert _followed_public(run_cli, connected) == set()


def test_track_is_the_old_name_of_follow_and_does_the_same(connected, run_cli, graph,
                                                            tmp_path: Path) -> None:
    twin = tmp_path / "twin.sqlite"  # the same connected database, closed cleanly (WAL folded)
    shutil.copyfile(connected, twin)
    graph.state.unreadable["666666666666666"] = 33
    refs = ["444444444444444", "https://www.facebook.com/HiddenParish", "@ExampleCounty"]
    followed = run_cli("follow", "--db", str(connected), *refs)
    tracked = run_cli("track", "--db", str(twin), *refs)
    assert followed.returncode == 3, followed.stdout + followed.stderr
    assert (tracked.returncode, tracked.stdout, tracked.stderr) == (
        followed.returncode, followed.stdout, followed.stderr)
    assert _followed_public(run_cli, twin) == _followed_public(run_cli, connected) == {
        "444444444444444", "555555555555555"}
    listing = run_cli("--help").stdout
    assert "follow (track)" in listing and "follow public Pages" in listing
