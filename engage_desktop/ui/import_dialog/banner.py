"""A banner across the import dialog: its questions (amber) or what failed (red), said with an
icon and words as well as the colour."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QStyle

from engage_desktop.core.engagement import Status
from engage_desktop.ui.theme import Theme


class Banner(QFrame):
    """A framed line of rich text with a warning (amber) or error (red) icon; hidden until
    it has something to say."""

    def __init__(self, name: str, title: str, status: Status, theme: Theme) -> None:
        super().__init__()
        self.setObjectName(name)
        colour = theme.status[status]
        self.setStyleSheet(f"QFrame#{name} {{ border: 2px solid {colour}; border-radius: 4px; "
                           f"background: {theme.bands.get(status, 'palette(base)')}; }}")
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 6, 8, 6)
        icon = QLabel()
        kind = (QStyle.StandardPixmap.SP_MessageBoxWarning if status is Status.AMBER
                else QStyle.StandardPixmap.SP_MessageBoxCritical)
        icon.setPixmap(QApplication.style().standardIcon(kind).pixmap(24, 24))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.text = QLabel()
        self.text.setObjectName(f"{name}-text")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setStyleSheet(f"color: {theme.text};")
        self.text.setAccessibleName(title)
        row.addWidget(icon)
        row.addWidget(self.text, 1)
        self.hide()

    def say(self, rich_text: str, words: str) -> None:
        """Show ``rich_text``; ``words`` are what a screen reader says for it."""
        self.text.setText(rich_text)
        self.text.setAccessibleDescription(words)
