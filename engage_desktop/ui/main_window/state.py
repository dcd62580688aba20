"""What the window remembers between sessions (its QSettings): its geometry, the split
between the traffic light and the charts, the charts' date range and whether their lines are
7-day averages (the steadier line)."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QDate, QSettings, QSignalBlocker, QSize, Qt

from engage_desktop.ui import fitting

if TYPE_CHECKING:
    from engage_desktop.ui.main_window.shell import MainWindow

RANGES = (("Last 4 weeks", 28), ("Last 3 months", 91), ("Last 12 months", 365),
          ("Last 2 years", 730), ("All", None), ("Custom…", -1))
DEFAULT_RANGE = 2
CUSTOM = len(RANGES) - 1
# QSettings keys
GEOMETRY = "window/geometry"
SPLITTER = "window/splitter"
RANGE = "charts/range"
FROM = "charts/from"
TO = "charts/to"
HIDDEN_COLUMNS = "table/hidden"
STEADY_LINE = "charts/average"
# The first window's size, when the screen is big enough (fitting.fit_window makes it fit)
PREFERRED_SIZE = QSize(1400, 820)


def restore(window: MainWindow) -> None:
    """The window's size and place, its split and date range as they were last saved."""
    settings = window.settings
    geometry = settings.value(GEOMETRY)
    # a saved geometry that Qt cannot read (garbage, another version) leaves the default; one
    # saved on a bigger or unplugged monitor is brought inside the screen the window is on
    if not (isinstance(geometry, QByteArray) and window.restoreGeometry(geometry)):
        window.setAttribute(Qt.WidgetAttribute.WA_Resized, False)
    fitting.fit_window(window, PREFERRED_SIZE)
    splitter = settings.value(SPLITTER)
    if isinstance(splitter, QByteArray):
        window.splitter.restoreState(splitter)
    # The settings file is plain text a person (or another program) may have edited: what
    # cannot be read is left at its default.
    try:
        index = int(settings.value(RANGE, DEFAULT_RANGE))
    except (TypeError, ValueError):
        index = DEFAULT_RANGE
    window.range.setCurrentIndex(index if 0 <= index < len(RANGES) else DEFAULT_RANGE)
    today = QDate.currentDate()
    window.start.setDate(_date(settings.value(FROM), today.addMonths(-6)))
    window.end.setDate(_date(settings.value(TO), today))
    with QSignalBlocker(window.steady_line_action):  # read, not chosen: nothing to save
        window.steady_line_action.setChecked(steady_line(settings))


def _date(value: object, default: QDate) -> QDate:
    return value if isinstance(value, QDate) and value.isValid() else default


def save(window: MainWindow) -> None:
    settings = window.settings
    settings.setValue(GEOMETRY, window.saveGeometry())
    settings.setValue(SPLITTER, window.splitter.saveState())
    settings.setValue(RANGE, window.range.currentIndex())
    settings.setValue(FROM, window.start.date())
    settings.setValue(TO, window.end.date())
    settings.sync()


def steady_line(settings: QSettings) -> bool:
    """Whether the charts' lines are 7-day averages (off unless chosen; what cannot be read
    is off)."""
    value = settings.value(STEADY_LINE, False)
    return value is True or str(value).strip().lower() in ("true", "1")


def save_steady_line(settings: QSettings, on: bool) -> None:
    settings.setValue(STEADY_LINE, on)
    settings.sync()


def hidden_columns(settings: QSettings) -> set[int]:
    """The traffic light's columns the officer hid (numbers; what cannot be read is shown)."""
    value = settings.value(HIDDEN_COLUMNS, "")
    words = value if isinstance(value, list) else str(value or "").split(",")
    return {int(word) for word in words if str(word).strip().isdigit()}


def save_hidden_columns(settings: QSettings, columns: list[int]) -> None:
    settings.setValue(HIDDEN_COLUMNS, ",".join(str(column) for column in sorted(columns)))
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
