"""The window's words for the core's messages: no command line reaches an officer."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engage_desktop.core.errors import DatabaseMissingError
from engage_desktop.core.store import open_store
from engage_desktop.ui.words import error_text, in_window

COMMAND = re.compile(r"engage-desktop\s+[a-z]|(?<!\S)--[a-z]", re.IGNORECASE)


@pytest.mark.parametrize(("core", "window"), [
    ("No token is kept for this Page. Reconnect: engage-desktop connect --token-stdin",
     "No token is kept for this Page. Reconnect: Connect… (Ctrl+K)"),
    ("Connect with the user token of someone who runs this Page (engage-desktop connect "
     "--token-stdin): Engage Desktop then takes the Page's own token",
     "Connect with the user token of someone who runs this Page (in Connect…, Ctrl+K): "
     "Engage Desktop then takes the Page's own token"),
    ("Choose a folder you can write to with --db or the ENGAGE_DB variable.",
     "Choose a folder you can write to (Choose another file…)."),
    ("choose the network settings again in Settings, or with 'engage-desktop network --proxy'",
     "choose the network settings again in Settings… (Ctrl+,), under Advanced (for IT)"),
    ("the defaults apply until they are set again (in Settings, or with "
     "'engage-desktop thresholds').",
     "the defaults apply until they are set again (in Settings)."),
    ("Use an ID or username shown by: engage-desktop pages",
     "Use the Page's facebook.com address, its username or its ID"),
    ("Meta is limiting calls. Nothing is lost.", "Meta is limiting calls. Nothing is lost."),
])
def test_command_lines_become_the_windows_commands(core: str, window: str) -> None:
    assert in_window(core) == window


def test_a_missing_database_is_explained_without_a_command(tmp_path) -> None:
    with pytest.raises(DatabaseMissingError) as caught:
        open_store(tmp_path / "none.sqlite", create=False)
    assert "engage-desktop" in caught.value.hint  # the command line keeps its own hint
    text = error_text(caught.value)
    assert not COMMAND.search(text)
    assert "open the demo data" in text


@given(st.text(max_size=60), st.sampled_from([
    "engage-desktop sync --db x.sqlite", "'engage-desktop status --json'", "--token-stdin",
    "engage-desktop  frobnicate", "ENGAGE-DESKTOP PAGES"]), st.text(max_size=60))
def test_no_command_line_survives(before: str, command: str, after: str) -> None:
    assert not COMMAND.search(in_window(f"{before} {command} {after}"))
