"""The window and every dialog on a real X server (Xvfb, the xcb platform) at the screens
council laptops have: 1366×768 at 125 % and 1920×1080 at 150 %, light and dark. Each must lie
inside the screen's available area with its buttons on screen, and the traffic light must show
status, Page, per 1,000 and trend without scrolling sideways. The screenshots are written to
artifacts/ (screen-<size>-<scale>-<scheme>-<name>.png) to be looked at."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("screens.py")
SCREENS = [("1366x768", "1.25"), ("1920x1080", "1.5")]
NAMES = {"window", "import", "export", "connect", "settings", "note", "page-description",
         "sync-log", "shortcuts", "about", "database", "window-empty",
         "what-changed", "briefing", "publish", "alerts"}

pytestmark = pytest.mark.skipif(shutil.which("xvfb-run") is None,
                                reason="needs Xvfb (Debian package xvfb), as CI installs")


def _inside(inner: list[int], outer: list[int]) -> bool:
    x, y, w, h = inner
    ox, oy, ow, oh = outer
    return x >= ox and y >= oy and x + w <= ox + ow and y + h <= oy + oh


@pytest.mark.slow
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("size", "scale"), SCREENS, ids=["1366x768@125", "1920x1080@150"])
def test_window_and_dialogs_fit_the_laptop_screen(tmp_path: Path, size: str, scale: str,
                                                  scheme: str) -> None:
    label = f"{size}@{round(float(scale) * 100)}"
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "QT_SCALE_FACTOR": scale,
           "XDG_CONFIG_HOME": str(tmp_path)}
    done = subprocess.run(
        ["xvfb-run", "-a", "-s", f"-screen 0 {size}x24", sys.executable, "-X", "faulthandler",
         str(SCRIPT), label, scheme],
        env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    results = {shown["name"]: shown for shown in map(json.loads, done.stdout.splitlines())}
    assert set(results) == NAMES
    for name, shown in results.items():
        assert _inside(shown["frame"], shown["available"]), (name, shown)
        assert Path(shown["picture"]).stat().st_size > 10_000, name
        for button, place in shown["buttons"].items():
            assert _inside(place, shown["available"]), (name, button, place)
        if not name.startswith("window"):
            assert shown["buttons"], name  # every dialog can be closed on screen
    window = results["window"]
    # the saved geometry came from a bigger monitor: the window was brought onto this one
    assert window["frame"][2] <= window["available"][2]
    assert window["essential_right"] <= window["table_viewport"]
    assert _inside(window["menu_bar"], window["available"])
