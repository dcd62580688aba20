"""The main window: the traffic light across Pages, and charts of the selected ones."""

from engage_desktop.ui.main_window.shell import (
    CUSTOM,
    DEFAULT_RANGE,
    IMPORT_FILTERS,
    RANGES,
    SYNC_ON_OPEN,
    MainWindow,
    settings_for,
)

__all__ = ["CUSTOM", "DEFAULT_RANGE", "IMPORT_FILTERS", "RANGES", "SYNC_ON_OPEN", "MainWindow",
           "settings_for"]
