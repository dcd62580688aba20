"""The window's own preferences (its QSettings), declared once.

What the window remembers for this officer on this computer, apart from the data: where it
stood, the charts' range, the last folders, the export choices, whether to sync on opening.
(What belongs with the data, such as the traffic-light thresholds, is a database setting:
:mod:`engage_desktop.core.settings`.)

Each :class:`Preference` has its key (kept as it has always been, so the preferences officers
saved are still read), a default, how a stored value is read and written, and what it is
for. The settings file is plain text a person (or another program) may have edited, and on
Windows the registry holds it: a value that cannot be read gives the default.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QByteArray, QDate, QSettings

T = TypeVar("T")


@dataclass(frozen=True, eq=False)
class Preference(Generic[T]):
    """One preference: its QSettings key, default, reading and writing, and purpose."""

    key: str
    make_default: Callable[[], T]  # called each time: some defaults depend on today
    read: Callable[[object], T | None]  # what QSettings gives back; None: cannot be read
    description: str
    write: Callable[[T], Any] = lambda value: value

    @property
    def default(self) -> T:
        return self.make_default()

    def get(self, settings: QSettings) -> T:
        """The saved value; the default when there is none or it cannot be read."""
        stored = settings.value(self.key)
        value = None if stored is None else self.read(stored)
        return self.default if value is None else value

    def set(self, settings: QSettings, value: T) -> None:
        settings.setValue(self.key, self.write(value))


# Reading what QSettings gives back (None: it cannot be read) ------------------------------------

def _flag(value: object) -> bool | None:
    """A bool, or "true"/"false" (or 1/0) as an INI file gives it back."""
    if isinstance(value, bool):
        return value
    return {"true": True, "1": True, "false": False, "0": False}.get(str(value).strip().lower())


def _text(value: object) -> str | None:
    return str(value) if value else None


def _whole_number(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


def _day(value: object) -> QDate | None:
    return value if isinstance(value, QDate) and value.isValid() else None


def _saved_state(value: object) -> QByteArray | None:
    """What Qt saved of a window or splitter (whether Qt can restore it is Qt's to say)."""
    return value if isinstance(value, QByteArray) else None


def _numbers(value: object) -> set[int]:
    """Numbers saved as "1,4" (or the list an INI file may give back); words are left out."""
    words = value if isinstance(value, list) else str(value or "").split(",")
    return {int(word) for word in words if str(word).strip().isdigit()}


def _numbers_text(numbers: set[int]) -> str:
    return ",".join(str(number) for number in sorted(numbers))


def _constant(value: T) -> Callable[[], T]:
    return lambda: value


def _no_state() -> QByteArray | None:
    return None


# The preferences --------------------------------------------------------------------------------

GEOMETRY: Preference[QByteArray | None] = Preference(
    "window/geometry", _no_state, _saved_state, "The window's size and place.")
SPLITTER: Preference[QByteArray | None] = Preference(
    "window/splitter", _no_state, _saved_state,
    "The split between the traffic light and the charts.")
RANGE: Preference[int] = Preference(
    "charts/range", _constant(2), _whole_number,
    "The charts' date range: its place in the window's list (2: the last 12 months).")
FROM: Preference[QDate] = Preference(
    "charts/from", lambda: QDate.currentDate().addMonths(-6), _day,
    "The first day of a custom date range.")
TO: Preference[QDate] = Preference(
    "charts/to", QDate.currentDate, _day, "The last day of a custom date range.")
STEADY_LINE: Preference[bool] = Preference(
    "charts/average", _constant(False), _flag,
    "Whether the charts' lines are 7-day averages (the steadier line).")
HIDDEN_COLUMNS: Preference[set[int]] = Preference(
    "table/hidden", set, _numbers, "The traffic light's columns the officer hid (numbers).",
    _numbers_text)
SYNC_ON_OPEN: Preference[bool] = Preference(
    "sync/on_open", _constant(False), _flag,
    "Sync when Engage Desktop opens, if the last sync is more than 20 hours old.")
IMPORT_FOLDER: Preference[str] = Preference(
    "import/folder", _constant(""), _text, "The folder of the files last imported.")
PUBLISH_FOLDER: Preference[str] = Preference(
    "publish/folder", _constant(""), _text, "The team folder a copy was last published to.")
EXPORT_FOLDER: Preference[str] = Preference(
    "export/folder", _constant(""), _text, "The folder of the last export.")
EXPORT_WHAT: Preference[str] = Preference(
    "export/what", _constant("chart"), _text,
    "What was last exported: chart, briefing, traffic light or series.")
EXPORT_PRESET: Preference[str] = Preference(
    "export/preset", _constant("slide"), _text, "The image size last chosen for a chart.")
EXPORT_WIDTH: Preference[int] = Preference(
    "export/width", _constant(1600), _whole_number, "A custom chart image's width in pixels.")
EXPORT_HEIGHT: Preference[int] = Preference(
    "export/height", _constant(900), _whole_number, "A custom chart image's height in pixels.")
CHART_FORMAT: Preference[str] = Preference(
    "export/format", _constant("png"), _text, "The file format of a chart export.")
BRIEFING_FORMAT: Preference[str] = Preference(
    "export/briefing-format", _constant("pdf"), _text, "The file format of a briefing.")
CHART_AVERAGE: Preference[bool] = Preference(
    "export/average-chart", _constant(False), _flag,
    "Whether an exported chart draws 7-day averages.")
BRIEFING_AVERAGE: Preference[bool] = Preference(
    "export/average-briefing", _constant(True), _flag,
    "Whether a briefing's chart draws 7-day averages.")

ALL: tuple[Preference[Any], ...] = (
    GEOMETRY, SPLITTER, RANGE, FROM, TO, STEADY_LINE, HIDDEN_COLUMNS, SYNC_ON_OPEN,
    IMPORT_FOLDER, PUBLISH_FOLDER, EXPORT_FOLDER, EXPORT_WHAT, EXPORT_PRESET, EXPORT_WIDTH,
    EXPORT_HEIGHT, CHART_FORMAT, BRIEFING_FORMAT, CHART_AVERAGE, BRIEFING_AVERAGE)
