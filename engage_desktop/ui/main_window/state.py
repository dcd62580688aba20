"""What the window remembers between sessions (its QSettings, declared in
:mod:`engage_desktop.ui.preferences`): its geometry, the split between the traffic light and
the charts, the charts' date range and whether their lines are 7-day averages (the steadier
line)."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QSignalBlocker, QSize, Qt

from engage_desktop.ui import fitting
from engage_desktop.ui.preferences import (
    FROM,
    GEOMETRY,
    HIDDEN_COLUMNS,
    RANGE,
    SPLITTER,
    STEADY_LINE,
    TO,
)

if TYPE_CHECKING:
    from engage_desktop.ui.main_window.shell import MainWindow

RANGES = (("Last 4 weeks", 28), ("Last 3 months", 91), ("Last 12 months", 365),
          ("Last 2 years", 730), ("All", None), ("Custom…", -1))
DEFAULT_RANGE = RANGE.default  # the last 12 months
CUSTOM = len(RANGES) - 1
# The first window's size, when the screen is big enough (fitting.fit_window makes it fit)
PREFERRED_SIZE = QSize(1400, 820)


def restore(window: MainWindow) -> None:
    """The window's size and place, its split and date range as they were last saved."""
    settings = window.settings
    geometry = GEOMETRY.get(settings)
    # a saved geometry that Qt cannot read (garbage, another version) leaves the default; one
    # saved on a bigger or unplugged monitor is brought inside the screen the window is on
    if not (geometry is not None and window.restoreGeometry(geometry)):
        window.setAttribute(Qt.WidgetAttribute.WA_Resized, False)
    fitting.fit_window(window, PREFERRED_SIZE)
    splitter = SPLITTER.get(settings)
    if splitter is not None:
        window.splitter.restoreState(splitter)
    index = RANGE.get(settings)
    window.range.setCurrentIndex(index if 0 <= index < len(RANGES) else DEFAULT_RANGE)
    window.start.setDate(FROM.get(settings))
    window.end.setDate(TO.get(settings))
    with QSignalBlocker(window.steady_line_action):  # read, not chosen: nothing to save
        window.steady_line_action.setChecked(steady_line(settings))


def save(window: MainWindow) -> None:
    settings = window.settings
    GEOMETRY.set(settings, window.saveGeometry())
    SPLITTER.set(settings, window.splitter.saveState())
    RANGE.set(settings, window.range.currentIndex())
    FROM.set(settings, window.start.date())
    TO.set(settings, window.end.date())
    settings.sync()


def steady_line(settings: QSettings) -> bool:
    """Whether the charts' lines are 7-day averages (off unless chosen; what cannot be read
    is off)."""
    return STEADY_LINE.get(settings)


def save_steady_line(settings: QSettings, on: bool) -> None:
    STEADY_LINE.set(settings, on)
    settings.sync()


def hidden_columns(settings: QSettings) -> set[int]:
    """The traffic light's columns the officer hid (numbers; what cannot be read is shown)."""
    return HIDDEN_COLUMNS.get(settings)


def save_hidden_columns(settings: QSettings, columns: list[int]) -> None:
    HIDDEN_COLUMNS.set(settings, set(columns))
    settings.sync()


def settings_for(path: Path | None = None) -> QSettings:
    """Window settings (QSettings, per user); a file when ``path`` is given (tests), and in
    portable mode ``settings.ini`` in the data folder beside the program."""
    from engage_desktop.core.paths import make_private_file, portable_dir, window_settings_file
    from engage_desktop.core.protected import protect

    if path is None and portable_dir() is not None:
        path = window_settings_file()
    settings = (QSettings(str(path), QSettings.Format.IniFormat) if path is not None
                else QSettings())
    if settings.format() == QSettings.Format.IniFormat or not sys.platform.startswith("win"):
        # a file (Windows keeps the native settings in the registry)
        file = Path(settings.fileName())
        with contextlib.suppress(OSError):  # unwritable: Qt reports it as it always has
            make_private_file(file)  # Qt keeps a file's permissions when it rewrites it
        protect(file)  # no export may replace it
    return settings
