"""The main window: the traffic light across Pages, and charts of the selected ones.

``shell`` is the window itself, ``state`` what it remembers between sessions and
``sync_controller`` its syncs."""

from engage_desktop.ui.main_window.shell import IMPORT_FILTERS, MainWindow
from engage_desktop.ui.main_window.state import CUSTOM, DEFAULT_RANGE, RANGES, settings_for

__all__ = ["CUSTOM", "DEFAULT_RANGE", "IMPORT_FILTERS", "RANGES", "MainWindow",
           "settings_for"]
