"""A database open read-only (a copy published for the team, a file that cannot be written,
or opened so): the title says so, the status bar says why and what to do, and what would
write to it is disabled, its tooltip saying why. (The dialogs, the Page's menu and the
charts' notes are told the reason and refuse for themselves.)"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from engage_desktop.core.store import Store
from engage_desktop.ui import plain
from engage_desktop.ui.words import in_window

if TYPE_CHECKING:
    from engage_desktop.ui.main_window.shell import MainWindow


def reason(store: Store) -> str | None:
    """Why nothing can be changed in ``store``, in the window's words (None when it can)."""
    why = store.read_only
    return None if why is None else in_window(why.sentence())


def show(window: MainWindow, why: str) -> QLabel:
    """Say ``why`` in the window's title and status bar and disable Import, Connect and
    Sync (the actions and the empty window's button); returns the status bar's label."""
    window.setWindowTitle(f"{window.windowTitle()} (read-only)")
    for control in (window.import_action, window.connect_action, window.sync_action,
                    window.import_button):
        control.setEnabled(False)
        control.setToolTip(f"{control.toolTip()} Not available: {why}".strip())
    window.import_action.setStatusTip(window.import_action.toolTip())
    label = plain.label(f"Read-only: {why}")
    label.setObjectName("read-only")
    label.setAccessibleName("Read-only")
    label.setAccessibleDescription(label.text())
    label.setWordWrap(True)
    # reachable from the keyboard (Tab), as the details line is: the disabled buttons are not
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                  | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    window.statusBar().insertWidget(0, label, 2)
    return label
