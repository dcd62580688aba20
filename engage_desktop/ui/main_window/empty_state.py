"""What the window shows instead of the traffic light while the database has no Pages: how
to start (connect, follow other councils' Pages, import files, or the demo data), with
buttons to import files and open the demo data."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

WHAT_TO_DO = (
    "<h2>No Pages yet</h2>"
    "<p>Engage Desktop shows whether people are talking to your Facebook Pages. "
    "To start:</p><ul>"
    "<li><b>Connect a token</b> from Meta: press <b>Connect…</b> in the toolbar or the "
    "<b>Pages</b> menu "
    "(<b>Ctrl+K</b>) and paste it, then <b>Sync</b> (<b>Ctrl+R</b>).</li>"
    "<li><b>Follow other councils' Pages</b> to compare: in <b>Connect…</b>, add "
    "their facebook.com addresses under <i>Add public Pages to compare</i>.</li>"
    "<li><b>Import files</b> you already have, such as Meta Business Suite exports "
    "or your own spreadsheets: press <b>Ctrl+I</b> or drag the files onto this "
    "window.</li>"
    "<li>Or look around with <b>demo data</b> first.</li></ul>")


class EmptyState(QWidget):
    """The words and the two buttons (``import_button``, ``demo_button``; the demo's is
    disabled when the program has no demo to open)."""

    def __init__(self, open_demo: Callable[[], None] | None,
                 choose_import_files: Callable[[], object]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        text = QLabel(WHAT_TO_DO)
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setAccessibleName("What to do next")
        # A fixed width lets the wrapped text take the height it needs (an alignment flag in
        # the layout would squeeze it to one line's height).
        text.setFixedWidth(640)
        text.setMinimumHeight(text.heightForWidth(640))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(text)
        row.addStretch(1)
        layout.addLayout(row)
        self.demo_button = QPushButton("Open the &demo data")
        self.demo_button.setAccessibleName("Open the demo data")
        self.demo_button.setEnabled(open_demo is not None)
        if open_demo is not None:
            self.demo_button.clicked.connect(open_demo)
        self.import_button = QPushButton("&Import files…")
        self.import_button.setAccessibleName("Import files")
        self.import_button.clicked.connect(choose_import_files)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(2)
