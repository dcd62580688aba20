"""Odd but possible ways of running a command get a plain answer, never "something unexpected
went wrong" (issue: `--followers 10^19` gave an OverflowError; binary standard input to
`connect` and a closed standard output gave unexpected errors)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from engage_desktop.core.demo import write_demo
from engage_desktop.core.store import open_store

UNEXPECTED = "something unexpected went wrong"


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    path = tmp_path / "engage.sqlite"
    with open_store(path) as store:
        write_demo(store, pages=2, days=10)
    return path


def test_a_follower_count_beyond_belief_is_refused_as_an_argument(run_cli,
                                                                  tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("Date,Followers\n2024-03-13,200\n", encoding="utf-8")
    for count in ("10000000000000000000", "99999999999999999999999999"):
        result = run_cli("import", str(sheet), "--page", "Kelderby", "--followers", count,
                         "--db", str(tmp_path / "new.sqlite"))
        assert result.returncode == 2
        assert "more than there are people" in result.stderr and UNEXPECTED not in result.stderr
    assert not (tmp_path / "new.sqlite").exists()


@pytest.mark.parametrize("data", [b"\xc3\x28not utf-8", b"\x00\x00\x00", b"\xff\xfe\x00A",
                                  bytes(range(256))])
def test_binary_standard_input_to_connect_is_not_a_token(tmp_path: Path, data: bytes,
                                                         isolated_data_dirs: Path) -> None:
    import os

    result = subprocess.run([sys.executable, "-m", "engage_desktop", "connect", "--token-stdin",
                             "--db", str(tmp_path / "engage.sqlite")], input=data,
                            capture_output=True, check=False, timeout=60,
                            env={**os.environ, "PYTHONIOENCODING": "utf-8"})  # strict
    error = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 1, error
    assert "does not look like an access token" in error and UNEXPECTED not in error


@pytest.mark.parametrize("command", [["status"], ["status", "--json"], ["pages", "--json"],
                                     ["thresholds"], ["network"]])
def test_a_closed_standard_output_is_not_an_unexpected_error(demo_db: Path,
                                                             command: list[str]) -> None:
    result = subprocess.run([sys.executable, "-m", "engage_desktop", *command,
                             "--db", str(demo_db)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, check=False, timeout=60,
                            close_fds=True, pass_fds=(),
                            preexec_fn=lambda: __import__("os").close(1))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_a_page_name_cannot_send_escape_sequences_to_the_terminal(tmp_path: Path,
                                                                 isolated_data_dirs: Path) -> None:
    """A Page named with an escape sequence would retitle, recolour or clear the officer's
    terminal when `status` or `pages` prints it."""
    import os
    import pty

    db = tmp_path / "engage.sqlite"
    hostile = "Kelderby \x1b]0;pwned\x07\x1b[2J\x1b[31mLibraries\x9b1m\rX"
    with open_store(db) as store:
        write_demo(store, pages=1, days=5)
        store.conn.execute("UPDATE pages SET name = ?", [hostile])
        store.conn.commit()
    for command in (["status"], ["pages"]):
        leader, follower = pty.openpty()
        process = subprocess.Popen([sys.executable, "-m", "engage_desktop", *command,
                                    "--db", str(db)], stdin=follower, stdout=follower,
                                   stderr=follower, close_fds=True)
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the program ended and closed the terminal
                break
            if not chunk:
                break
            shown += chunk
        os.close(leader)
        assert process.wait(timeout=60) == 0, shown
        text = shown.decode("utf-8", "replace")
        assert "Kelderby \ufffd]0;pwned\ufffd\ufffd[2J" in text  # the name, made harmless
        assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
    # a pipe or file gets the name exactly as it is (JSON escapes it)
    piped = subprocess.run([sys.executable, "-m", "engage_desktop", "pages", "--json",
                            "--db", str(db)], capture_output=True, text=True, check=True)
    import json

    assert json.loads(piped.stdout)[0]["name"] == hostile
