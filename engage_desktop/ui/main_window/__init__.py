"""The main window: the traffic light across Pages, and charts of the selected ones.

``shell`` is the window itself, which puts together its parts: ``traffic_table`` (the
table of Pages, its filter, details line, columns and selection), ``chart_area`` (the charts
and their date range), ``dialogs`` (the dialogs it opens), ``page_menu`` (a Page's menu),
``sync_controller`` (its syncs), ``status_line``, ``read_only``, ``empty_state`` (before
there are Pages) and ``first_paint``; ``actions`` declares its actions and menus, ``state``
what it remembers between sessions."""

from engage_desktop.ui.main_window.dialogs import IMPORT_FILTERS
from engage_desktop.ui.main_window.shell import MainWindow
from engage_desktop.ui.main_window.state import CUSTOM, DEFAULT_RANGE, RANGES, settings_for

__all__ = ["CUSTOM", "DEFAULT_RANGE", "IMPORT_FILTERS", "RANGES", "MainWindow",
           "settings_for"]
