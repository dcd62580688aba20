"""The Help menu's dialogs: every keyboard shortcut of the window, and About (the version and
where the data is kept)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engage_desktop import APP_NAME, __version__
from engage_desktop.ui import fitting, plain
from engage_desktop.ui.main_window.actions import ACTIONS

# Keys that are not menu items: they work where the keyboard is
OTHER_KEYS = (
    ("Copy the chart as a picture (on the chart)", QKeySequence.StandardKey.Copy),
    ("Actions for the Page (on the table)", "Menu"),
    ("Next or previous control", "Tab, Shift+Tab"),
    ("Open a menu (File, View, Pages, Tools, Help)", "Alt+F, Alt+V, Alt+P, Alt+T, Alt+H"),
)


def shortcut_rows() -> list[tuple[str, str]]:
    """What each shortcut does and its keys, as this system writes them."""
    rows = [(spec.text.replace("&", "").rstrip("…"),
             QKeySequence(spec.shortcut).toString(QKeySequence.SequenceFormat.NativeText))
            for spec in ACTIONS]
    for what, keys in OTHER_KEYS:
        if isinstance(keys, QKeySequence.StandardKey):
            keys = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
        rows.append((what, keys))
    return rows


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setAccessibleName("Keyboard shortcuts")
        rows = shortcut_rows()
        self.table = QTableWidget(len(rows), 2)
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setAccessibleDescription("What each key does in the Engage Desktop window")
        self.table.setHorizontalHeaderLabels(["What", "Keys"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)
        for number, (what, keys) in enumerate(rows):
            self.table.setItem(number, 0, QTableWidgetItem(what))
            self.table.setItem(number, 1, QTableWidgetItem(keys))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(560, 520)
        fitting.fit_dialog(self)


class AboutDialog(QDialog):
    def __init__(self, database: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"About {APP_NAME}")
        self.setAccessibleName(f"About {APP_NAME}")
        title = QLabel(f"<h3>{APP_NAME} {__version__}</h3>")
        title.setTextFormat(Qt.TextFormat.RichText)
        text = plain.label(
            "Shows whether people are talking to your Facebook Pages: a traffic light across "
            "Pages, charts for briefings, and notes.\n\n"
            f"Your data is kept in this file on this computer:\n{database}\n\n"
            "Tokens from Meta are kept in this computer's own password store, never in that "
            "file.")
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        text.setAccessibleName("About")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(text, 1)
        layout.addWidget(buttons)
        self.resize(520, 300)
        fitting.fit_dialog(self)
