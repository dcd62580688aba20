"""A list of sentences, one a row, as What changed and Alerts show them: a one-column table
(its rows take the height their wrapped sentence needs), plain text, read-only, one row
selected at a time; activating a row (Enter, a click or a double-click) calls ``activated``."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView


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
