"""Ctrl+C while a command uses Qt: held until Python is back in charge.

Python raises KeyboardInterrupt wherever the signal finds it. Inside Qt (loading PySide6,
painting) the exception passes through C++ frames, where it is lost or brings the process down:
exports interrupted while loading Qt or drawing aborted or crashed. Such commands hold Ctrl+C
instead, and it is raised at the next safe point (:func:`check`: before an export file is put
in place) or when the command ends.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

_received: list[int] = []


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Hold Ctrl+C during the block. Only where Python's own handler is in place (a command):
    the window handles Ctrl+C itself, and other threads cannot take signals."""
    if threading.current_thread() is not threading.main_thread() \
            or signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield
        return
    signal.signal(signal.SIGINT, lambda number, _frame: _received.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    check()


def check() -> None:
    """Raise the Ctrl+C held so far, if any."""
    if _received:
        _received.clear()
        raise KeyboardInterrupt
