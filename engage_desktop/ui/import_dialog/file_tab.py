"""A file's tab in the import dialog: what the preview found in the file (format, columns, rows,
dates, skipped rows), its "Columns" section, and its first rows as read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from engage_desktop.core.importing.importer import FileReport
from engage_desktop.ui.import_dialog.columns import ColumnChoices
from engage_desktop.ui.import_dialog.report import file_html
from engage_desktop.ui.plain import mnemonic_safe


def text_browser(name: str) -> QTextBrowser:
    """A read-only page of the preview, called ``name`` for screen readers."""
    browser = QTextBrowser()
    browser.setAccessibleName(name)
    browser.setOpenLinks(False)
    browser.setTabChangesFocus(True)
    browser.setFrameShape(QFrame.Shape.NoFrame)
    return browser


def column_letter(index: int) -> str:
    """A spreadsheet's name for column ``index`` (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class FileTab(QWidget):
    """One file's tab: its details, its column choices and its first rows."""

    def __init__(self, path: Path, choices: dict[str, str], chosen: Callable[[], None]) -> None:
        super().__init__()
        self.path = path
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        self.details = text_browser(f"Details of {path.name}")
        self.sample = QTableWidget()
        self.sample.setAccessibleName(f"First rows of {path.name}")
        self.sample.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.sample.setTabKeyNavigation(False)
        self.sample.setAlternatingRowColors(True)
        self.sample.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.sample.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.sample.verticalHeader().hide()
        self.sample.verticalHeader().setDefaultSectionSize(
            self.sample.fontMetrics().height() + 8)
        sample_label = QLabel("First rows of &data:")
        sample_label.setBuddy(self.sample)
        self.columns = ColumnChoices(path.name, choices, chosen)
        top = QHBoxLayout()
        top.addWidget(self.details, 1)
        top.addWidget(self.columns)
        layout.addLayout(top, 3)
        layout.addWidget(sample_label)
        layout.addWidget(self.sample, 2)

    def show_report(self, report: FileReport | None) -> None:
        """Show what the last preview found in the file (``None``: no preview yet)."""
        self.details.setHtml(file_html(report) if report else "")
        self._fill_sample(report)

    def tab_text(self, report: FileReport | None) -> str:
        """The tab's title: the file's name, marked when the file cannot be imported."""
        name = mnemonic_safe(self.path.name)
        return f"⚠ {name}" if report and report.problem else name

    def _fill_sample(self, report: FileReport | None) -> None:
        table = self.sample
        rows = report.sample if report else []
        header = list(report.header) if report else []
        # (a file not recognised has no rows here, but its titles still show)
        width = max((len(row) for row in rows), default=len(header))
        # fitted to their contents once, when filled: fitting every column again as each
        # title is set took minutes for a classic export's 2,700 columns
        titles = table.horizontalHeader()
        titles.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.clear()
        table.setRowCount(len(rows))
        table.setColumnCount(width)
        table.setHorizontalHeaderLabels(
            [header[i] if i < len(header) and header[i].strip() else column_letter(i)
             for i in range(width)])
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                table.setItem(r, c, QTableWidgetItem(cell))
        titles.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
