"""Standard output and error made safe for the command line: present (a closed stream or the
windowed build's missing one writes nowhere), never failing on a character the console cannot
show, and free of control characters on a terminal."""

from __future__ import annotations

import io
import os
import re
import sys
from typing import TextIO


def prepare() -> None:
    # No standard output or error at all (closed with >&-, or the windowed build run as a
    # scheduled task): what would be printed goes nowhere, the job is still done.
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (for the process)
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    # Status shapes must never crash a console that cannot show them (Windows code pages).
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    if sys.stdout.isatty():
        sys.stdout = Printable(sys.stdout)
    if sys.stderr.isatty():
        sys.stderr = Printable(sys.stderr)


class Printable(io.TextIOBase):
    """A terminal's stream that writes no control characters but tab and line break.

    Page names, notes and Meta's messages are printed as they are; an escape sequence in one
    (a Page named "\\x1b]0;…") would otherwise retitle, recolour or clear the officer's
    terminal. Files and pipes get the text unchanged."""

    _CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(self._CONTROLS.sub("\ufffd", text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._stream.fileno()

    @property
    def encoding(self) -> str:
        return self._stream.encoding
