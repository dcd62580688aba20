"""The window's words for messages that come from the core (sync problems, database errors,
warnings kept in the database, some written by earlier versions).

The core's hints name the command line's commands ("engage-desktop connect --token-stdin"), which
the command line keeps; the window names its own commands instead, since officers never type
commands. ``in_window`` rewrites a message so; ``error_text`` does it for an EngageError."""

from __future__ import annotations

import re

from engage_desktop.core.errors import EngageError

# (a command line as the core writes it, quoted or not, with what follows it up to the end of
# its phrase) -> what the officer does in the window
_COMMAND_TAIL = r"[^'.;:)\n]*"
_REWRITES = (
    (r"run '?engage-desktop demo" + _COMMAND_TAIL + r"'? for demo data", "open the demo data"),
    (r"import files or connect a token with --db", "start a new empty database"),
    (r"(?:with|using) --db or the ENGAGE_DB variable", "(Choose another file…)"),
    (r"\('?engage-desktop connect[^)\n]*\)", "(in Connect…, Ctrl+K)"),
    (r"'?engage-desktop connect" + _COMMAND_TAIL + r"'?", "Connect… (Ctrl+K)"),
    (r"Use an ID or username shown by:? '?engage-desktop pages'?",
     "Use the Page's facebook.com address, its username or its ID"),
    (r"Run '?engage-desktop pages'? to see their IDs\.?", "Select them in the traffic light."),
    (r"in Settings, or with '?engage-desktop network" + _COMMAND_TAIL + r"'?",
     "in Settings… (Ctrl+,), under Advanced (for IT)"),
    (r"'?engage-desktop network" + _COMMAND_TAIL + r"'?",
     "Settings… (Ctrl+,), Advanced (for IT)"),
    (r"or with '?engage-desktop thresholds'?", ""),
    (r"'?engage-desktop thresholds" + _COMMAND_TAIL + r"'?", "Settings… (Ctrl+,)"),
    (r"'?engage-desktop sync" + _COMMAND_TAIL + r"'?", "Sync (Ctrl+R)"),
    (r"'?engage-desktop demo" + _COMMAND_TAIL + r"'?", "Open demo data"),
)
_COMPILED = tuple((re.compile(pattern, re.IGNORECASE), words) for pattern, words in _REWRITES)
# Any other command line left: its sentence goes (the window has its own way to do it)
_ANY_COMMAND = re.compile(r"[^.!?\n]*(?:engage-desktop\s+[a-z]|(?<!\S)--[a-z])[^.!?\n]*[.!?]?\s*",
                          re.IGNORECASE)


def in_window(text: str) -> str:
    """``text`` in the window's words: no command line left in it."""
    for pattern, words in _COMPILED:
        text = pattern.sub(words, text)
    text = _ANY_COMMAND.sub("", text)
    # what a removed phrase leaves behind: "(in Settings, )", double spaces, " ."
    text = re.sub(r",\s+\)", ")", text)
    text = re.sub(r"\s+([.,;)])", r"\1", text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()


def error_text(error: EngageError, before: str = "") -> str:
    """What is wrong and what to do, on one line, in the window's words."""
    return in_window(" ".join(part for part in (before, error.message, error.hint) if part))
