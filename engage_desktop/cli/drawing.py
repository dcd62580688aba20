"""Getting ready to draw with Qt, for the commands that draw (the chart and briefing exports,
the self-test): off-screen where there is no display, and the core imported before Qt."""

from __future__ import annotations

import os
import sys


def before_drawing() -> None:
    """Ready to draw with Qt: off-screen where there is no display, and the core imported
    first."""
    _headless_if_needed()
    _core_before_qt()


def _core_before_qt() -> None:
    """Import the core before Qt: PySide6 inspects the source of every module imported after
    it, which costs start-up time for nothing (as for the window)."""
    import engage_desktop.core.exporting.data  # noqa: F401  (the store, the traffic light)


def _headless_if_needed() -> None:
    """Draw off-screen where there is no display (a server, a scheduled task, CI)."""
    if sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM") and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
