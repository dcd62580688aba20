"""The sync log: recent sync runs, and for the one selected, what went wrong with which Page
and what to do about it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from engage_desktop.core.models import SyncRun
from engage_desktop.core.store import Store
from engage_desktop.core.timeutil import UK
from engage_desktop.ui import fitting
from engage_desktop.ui.plain import tooltip
from engage_desktop.ui.words import in_window

COLUMNS = ("Started", "Result", "Pages synced", "Pages not synced", "Requests", "Message")
# the result in a word and a mark, not by colour alone
RESULTS = {"ok": "✔ All fine", "partial": "⚠ In part", "failed": "✖ Failed",
           "cancelled": "■ Cancelled", "running": "… Running"}
_Index = QModelIndex | QPersistentModelIndex


class SyncRunsModel(QAbstractTableModel):
    def __init__(self, runs: list[SyncRun]) -> None:
        super().__init__()
        self.runs = runs

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.runs)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(COLUMNS)):
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole,
                                               Qt.ItemDataRole.ToolTipRole):
            return None
        run = self.runs[index.row()]
        values = (f"{run.started_at.astimezone(UK):%a %d %b %Y %H:%M}",
                  RESULTS.get(run.status, run.status), str(run.pages_ok),
                  str(run.pages_failed), str(run.requests), in_window(run.message or ""))
        text = values[index.column()]
        # Meta's messages are shown as written, never as markup
        return tooltip(text) if role == Qt.ItemDataRole.ToolTipRole and text else text


class SyncLogDialog(QDialog):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sync log")
        self.setAccessibleName("Sync log")
        self.resize(900, 520)
        self.store = store
        self.names = {page.id: page.name for page in store.pages()}
        self.model = SyncRunsModel(store.sync_runs(limit=50))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Recent syncs")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setAccessibleName("What went wrong in the selected sync")
        empty = QLabel("No syncs yet: choose Sync (Ctrl+R) to read your Pages from Meta.")
        empty.setVisible(not self.model.runs)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(empty)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        fitting.fit_dialog(self)
        self.table.selectionModel().currentRowChanged.connect(self._show_run)
        if self.model.runs:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)

    def _show_run(self, current: QModelIndex, _previous: QModelIndex) -> None:
        run = self.model.runs[current.row()]
        errors = self.store.sync_errors(run.id)
        lines = [in_window(run.message or "") or RESULTS.get(run.status, run.status)]
        if run.api_version:
            lines.append(f"Graph API {run.api_version}, {run.requests} requests.")
        if errors:
            lines.append("")
            lines += [f"{self.names.get(error.page_id or '', error.page_id or 'All Pages')}: "
                      f"{in_window(error.message)}" for error in errors]
        else:
            lines.append("No Page had a problem.")
        self.details.setPlainText("\n".join(lines))
