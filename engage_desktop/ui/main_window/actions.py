"""The window's actions, in one place: each one's text (with its & mnemonic), shortcut,
tooltip and the MainWindow method it triggers. The toolbar and the menu bar are both built
from here, so an action reads and behaves the same wherever it is offered."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QToolBar

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
    # an on/off choice: ticked in the menu; the method is given whether it is now on
    checkable: bool = False


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
    ActionSpec("publish_action", "Publish for the &team…", "Ctrl+Shift+P",
               "Write a copy of this database, with the traffic light, into the team's folder "
               "for colleagues and Datasette (Ctrl+Shift+P)", "open_publish"),
    ActionSpec("changes_action", "&What changed…", "Ctrl+G",
               "What changed in the last 7 and 28 days, most urgent first; Enter on a line "
               "selects its Page (Ctrl+G)", "open_what_changed"),
    ActionSpec("alerts_action", "A&lerts…", "Ctrl+Shift+A",
               "What the syncs found: Pages that turned red or green again, fell, went quiet, "
               "need reconnecting or were delayed by Meta; the number is how many are not "
               "seen yet (Ctrl+Shift+A)", "open_alerts"),
    ActionSpec("quit_action", "&Quit", "Ctrl+Q", "Close the window (Ctrl+Q)", "close"),
    ActionSpec("find_action", "&Find Pages", "Ctrl+F", "Filter the Pages by name (Ctrl+F)",
               "find_pages"),
    ActionSpec("table_focus_action", "Go to the &traffic light", "Ctrl+1",
               "Move the keyboard to the table of Pages (Ctrl+1)", "focus_table"),
    ActionSpec("chart_focus_action", "Go to the c&hart", "Ctrl+2",
               "Move the keyboard to the chart of the selected Pages (Ctrl+2)", "focus_chart"),
    ActionSpec("reset_view_action", "&Reset chart view", "Ctrl+0",
               "Back to the date range chosen before the chart was zoomed (Ctrl+0)",
               "reset_view"),
    ActionSpec("steady_line_action", "&Steadier line: 7-day average", "Ctrl+7",
               "Draw the chart's lines as 7-day averages, the daily values faint behind them "
               "(Ctrl+7)", "set_steady_line", checkable=True),
    ActionSpec("connect_action", "&Connect…", "Ctrl+K",
               "Connect a token from Meta, choose which Pages to follow, and follow other "
               "councils' Pages (Ctrl+K)", "open_connect"),
    ActionSpec("sync_action", "&Sync", "Ctrl+R",
               "Read the latest figures of every followed Page from Meta (Ctrl+R)", "sync_now"),
    ActionSpec("sync_log_action", "Sync &log…", "Ctrl+L",
               "Recent syncs and what went wrong in them (Ctrl+L)", "open_sync_log"),
    ActionSpec("page_menu_action", "&Actions for the selected Page…", "Shift+F10",
               "Description, reconnect, stop following or forget the selected Page (Shift+F10, or "
               "the menu key)", "open_page_menu"),
    ActionSpec("settings_action", "Se&ttings…", "Ctrl+,",
               "Traffic-light thresholds, the daily sync, and the network for IT (Ctrl+,)",
               "open_settings"),
    ActionSpec("shortcuts_action", "&Keyboard shortcuts", "F1",
               "Every shortcut of this window (F1)", "show_shortcuts"),
    ActionSpec("about_action", "A&bout Engage Desktop", "Ctrl+Shift+F1",
               "The version, and where your data is kept (Ctrl+Shift+F1)", "show_about"),
)

# The toolbar's actions (after the filter, the date range and the summary), in groups
# between separators; when the window is too narrow for them they are under the toolbar's »
# button, and every one of them is in the menus too
TOOLBAR = (("import_action", "export_action", "briefing_action"),
           ("alerts_action", "changes_action", "connect_action", "sync_action", "settings_action",
            "sync_log_action"))
# The menu bar: each menu's title and its actions; None is a separator, and "columns" the
# submenu of the traffic light's columns. No two titles share a mnemonic, nor two items of a
# menu (a test checks), nor a title with the window's own (Alt+C Chart, Alt+D Data, Alt+R
# Reset view).
COLUMNS_MENU = "columns"
MENUS = (("&File", ("import_action", "export_action", "briefing_action", None,
                    "publish_action", None, "quit_action")),
         ("&View", ("find_action", COLUMNS_MENU, "alerts_action", "changes_action", None,
                    "table_focus_action", "chart_focus_action", "reset_view_action",
                    "steady_line_action")),
         ("&Pages", ("connect_action", "sync_action", "sync_log_action", None,
                     "page_menu_action")),
         ("&Tools", ("settings_action",)),
         ("&Help", ("shortcuts_action", "about_action")))


def alerts_text(unseen: int) -> str:
    """The Alerts action's text with the number not seen yet, in words: "A&lerts (3)…"."""
    return f"A&lerts ({unseen})…" if unseen else "A&lerts…"


def add_actions(window: MainWindow) -> None:
    """Make every action, connected to its method, as the window's attribute."""
    for spec in ACTIONS:
        action = QAction(spec.text, window)
        action.setShortcut(QKeySequence(spec.shortcut))
        action.setToolTip(spec.tooltip)
        action.setStatusTip(spec.tooltip)
        # the window's, so that the shortcut works wherever the keyboard is in it
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if spec.checkable:
            action.setCheckable(True)
            action.toggled.connect(getattr(window, spec.method))
        else:
            action.triggered.connect(getattr(window, spec.method))
        setattr(window, spec.attribute, action)


def fill_toolbar(window: MainWindow, toolbar: QToolBar) -> None:
    for group in TOOLBAR:
        toolbar.addSeparator()
        toolbar.addActions([getattr(window, attribute) for attribute in group])


def fill_menu_bar(window: MainWindow, menu_bar: QMenuBar) -> dict[str, QMenu]:
    """The menus, by title without its mnemonic (``File``, ``View``…)."""
    menus = {}
    for title, attributes in MENUS:
        menu = menu_bar.addMenu(title)
        menu.setObjectName(f"{title.replace('&', '').lower()}-menu")
        for attribute in attributes:
            if attribute is None:
                menu.addSeparator()
            elif attribute == COLUMNS_MENU:
                menu.addMenu(window.column_menu())
            else:
                menu.addAction(getattr(window, attribute))
        menus[title.replace("&", "")] = menu
    return menus
