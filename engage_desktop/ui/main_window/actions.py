"""The window's actions, in one place: each one's text (with its & mnemonic), shortcut,
tooltip and the MainWindow method it triggers. The toolbar and the menu bar are both built
from here, so an action reads and behaves the same wherever it is offered."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenuBar, QToolBar

if TYPE_CHECKING:
    from engage_desktop.ui.main_window.shell import MainWindow


@dataclass(frozen=True)
class ActionSpec:
    attribute: str  # the window's attribute holding the QAction (tests use them)
    text: str
    # Portable text, Ctrl being Cmd on macOS; spelled out, since some standard keys are empty
    # on some systems (QKeySequence.StandardKey.Preferences on Windows and Linux)
    shortcut: str
    tooltip: str
    method: str  # the MainWindow method it triggers


ACTIONS = (
    ActionSpec("import_action", "&Import files…", "Ctrl+I",
               "Import Meta Business Suite exports or spreadsheets (Ctrl+I); you can also drag "
               "files onto the window", "choose_import_files"),
    ActionSpec("export_action", "&Export…", "Ctrl+E",
               "Export a chart of the selected Pages (PNG, SVG or PDF) or the data as CSV, for "
               "briefings (Ctrl+E)", "export_current"),
    ActionSpec("briefing_action", "&Briefing of all Pages…", "Ctrl+B",
               "Export the briefing of every followed Page, whatever is selected: A4 pages as "
               "PDF or PNG, with what changed (Ctrl+B)", "export_briefing_of_all"),
    ActionSpec("changes_action", "&What changed…", "Ctrl+G",
               "What changed in the last 7 and 28 days, most urgent first; Enter on a line "
               "selects its Page (Ctrl+G)", "open_what_changed"),
    ActionSpec("connect_action", "&Connect…", "Ctrl+K",
               "Connect a token from Meta, choose which Pages to follow, and follow other "
               "councils' Pages (Ctrl+K)", "open_connect"),
    ActionSpec("sync_action", "&Sync", "Ctrl+R",
               "Read the latest figures of every followed Page from Meta (Ctrl+R)", "sync_now"),
    ActionSpec("settings_action", "Se&ttings…", "Ctrl+,",
               "Traffic-light thresholds, proxy and certificates, and the daily sync (Ctrl+,)",
               "open_settings"),
    ActionSpec("sync_log_action", "Sync &log…", "Ctrl+L",
               "Recent syncs and what went wrong in them (Ctrl+L)", "open_sync_log"),
    ActionSpec("find_action", "&Find", "Ctrl+F", "Filter the Pages by name (Ctrl+F)",
               "find_pages"),
    ActionSpec("quit_action", "&Quit", "Ctrl+Q", "Close the window (Ctrl+Q)", "close"),
)

# The toolbar's actions (after the filter, the date range and the summary), in groups
# between separators
TOOLBAR = (("import_action", "export_action", "briefing_action"),
           ("changes_action", "connect_action", "sync_action", "settings_action",
            "sync_log_action"))
# The menu bar: each menu's title and its actions; None is a separator. (The title is not
# "&Data": Alt+D is the Data tab beside the chart.)
MENUS = (("&File", ("import_action", "export_action", "briefing_action", None, "quit_action")),
         ("D&ata", ("connect_action", "sync_action", None, "changes_action",
                    "sync_log_action")),
         ("&Edit", ("find_action", None, "settings_action")))


def add_actions(window: MainWindow) -> None:
    """Make every action, connected to its method, as the window's attribute."""
    for spec in ACTIONS:
        action = QAction(spec.text, window)
        action.setShortcut(QKeySequence(spec.shortcut))
        action.setToolTip(spec.tooltip)
        action.triggered.connect(getattr(window, spec.method))
        setattr(window, spec.attribute, action)


def fill_toolbar(window: MainWindow, toolbar: QToolBar) -> None:
    for group in TOOLBAR:
        toolbar.addSeparator()
        toolbar.addActions([getattr(window, attribute) for attribute in group])


def fill_menu_bar(window: MainWindow, menu_bar: QMenuBar) -> None:
    for title, attributes in MENUS:
        menu = menu_bar.addMenu(title)
        for attribute in attributes:
            if attribute is None:
                menu.addSeparator()
            else:
                menu.addAction(getattr(window, attribute))
