"""The "What changed" window: the core's sentences (:mod:`engage_desktop.core.changes`), most
urgent first, as plain text in a list. Activating one (Enter, a click or a double-click) selects
its Page in the traffic light, so its chart is beside the sentence."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QVBoxLayout,
    QWidget,
)

from engage_desktop.core import changes
from engage_desktop.core.changes import Change
from engage_desktop.ui import fitting, plain
from engage_desktop.ui.sentence_list import sentence_list

PAGE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2


class WhatChangedDialog(QDialog):
    """Beside the window (not modal); ``select_page`` is called with the Page ID of an
    activated sentence."""

    def __init__(self, found: list[Change], select_page: Callable[[str], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.select_page = select_page
        self.setWindowTitle(changes.HEADING)
        self.setAccessibleName(changes.HEADING)
        self.resize(760, 460)

        self.scope = plain.label(changes.SCOPE)
        self.scope.setWordWrap(True)
        self.scope.setAccessibleName("What this covers")
        self.model = QStandardItemModel(self)
        self.list = sentence_list(
            self.model, changes.HEADING,
            "One sentence a change, most urgent first. Press Enter on one to select its Page "
            "in the traffic light.",
            self._activated)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close")
        close.setAutoDefault(False)  # Enter in the list selects a Page, not closes

        layout = QVBoxLayout(self)
        layout.addWidget(self.scope)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        fitting.fit_dialog(self)
        self.show_changes(found)

    def show_changes(self, found: list[Change]) -> None:
        """Show ``found`` (again, after a sync or an import), the first one current."""
        self.model.clear()
        for change in found:
            sentence = plain.one_line(change.sentence)  # names from Meta, shown as written
            item = QStandardItem(sentence)
            item.setData(change.page_id, PAGE_ID_ROLE)
            item.setData(change.kind.value, KIND_ROLE)
            item.setData(sentence, Qt.ItemDataRole.AccessibleTextRole)
            item.setToolTip(plain.tooltip(f"{change.sentence}\n\nEnter: select {change.name} "
                                          "in the traffic light."))
            self.model.appendRow(item)
        if not found:
            item = QStandardItem(changes.NOTHING)
            item.setSelectable(False)
            self.model.appendRow(item)
        self.list.setCurrentIndex(self.model.index(0, 0))

    def _activated(self, index) -> None:
        page_id = index.data(PAGE_ID_ROLE)
        if page_id:
            self.select_page(page_id)
