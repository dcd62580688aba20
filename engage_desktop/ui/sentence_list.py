"""A list of sentences, one a row, as What changed and Alerts show them: a one-column table
(its rows take the height their wrapped sentence needs), plain text, read-only, one row
selected at a time; activating a row (Enter, a click or a double-click) calls ``activated``.
``SentencesDialog`` is the window both show it in."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from engage_desktop.ui import fitting, plain


def sentence_list(model: QStandardItemModel, name: str, description: str,
                  activated: Callable[[QModelIndex], object]) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.horizontalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.verticalHeader().hide()
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.setShowGrid(False)
    view.setStyleSheet("QTableView::item { padding: 5px 0px; }")  # room between lines
    view.setTabKeyNavigation(False)
    view.setTextElideMode(Qt.TextElideMode.ElideNone)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setAccessibleName(name)
    view.setAccessibleDescription(description)
    view.setWordWrap(True)
    view.setAlternatingRowColors(True)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.activated.connect(activated)
    view.clicked.connect(activated)
    return view


class SentencesDialog(QDialog):
    """A window beside the main one (not modal): its title, a label saying what the list
    covers, the list of sentences and Close (with any ``actions`` beside it). Enter in the list
    activates a sentence (calls ``activated`` with its index), never Close."""

    def __init__(self, title: str, scope: str, description: str, width: int,
                 activated: Callable[[QModelIndex], object], parent: QWidget | None = None,
                 actions: Sequence[QAbstractButton] = ()) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.resize(width, 460)

        self.scope = plain.label(scope)
        self.scope.setWordWrap(True)
        self.scope.setAccessibleName("What this covers")
        self.model = QStandardItemModel(self)
        self.list = sentence_list(self.model, title, description, activated)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close")
        close.setAutoDefault(False)  # Enter in the list selects a Page, not closes
        for action in actions:
            buttons.addButton(action, QDialogButtonBox.ButtonRole.ActionRole)

        layout = QVBoxLayout(self)
        layout.addWidget(self.scope)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        fitting.fit_dialog(self)

    def show_items(self, items: Sequence[QStandardItem], nothing: str) -> None:
        """List ``items`` (or ``nothing`` in words when there are none), the first current."""
        self.model.clear()
        for item in items:
            self.model.appendRow(item)
        if not items:
            item = QStandardItem(nothing)
            item.setSelectable(False)
            self.model.appendRow(item)
        self.list.setCurrentIndex(self.model.index(0, 0))


def sentence_item(shown: str, sentence: str, name: str) -> QStandardItem:
    """A row showing ``shown`` (read out as shown), its tooltip the whole ``sentence`` and
    what Enter does: select the Page called ``name``."""
    item = QStandardItem(shown)
    item.setData(shown, Qt.ItemDataRole.AccessibleTextRole)
    item.setToolTip(plain.tooltip(f"{sentence}\n\nEnter: select {name} in the traffic light."))
    return item
