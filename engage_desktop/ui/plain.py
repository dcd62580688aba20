"""Text from outside the program (Page names from Meta or an imported file, notes, titles,
Meta's and the system's messages) shown as the text it is, never as markup.

Qt guesses that a label's or tooltip's text is HTML when its first line holds a tag, and
pyqtgraph's titles, labels and legends are HTML: a Page named ``<img src="…">`` would show a
local picture, and an exported SVG would embed it. So labels showing such text are plain
text, tooltips and pyqtgraph text are escaped HTML, and drawn text has no control
characters (an SVG cannot hold them, and they draw as nothing or as boxes).
"""

from __future__ import annotations

import html
import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")


def label(text: str = "") -> QLabel:
    """A label that shows ``text`` as written, whatever it holds."""
    shown = QLabel()
    shown.setTextFormat(Qt.TextFormat.PlainText)
    shown.setText(text)
    return shown


def one_line(text: str) -> str:
    """``text`` to draw: each control character (line break, tab, NUL, escape…) a space."""
    return _CONTROLS.sub(" ", text)


def markup(text: str) -> str:
    """``text`` inside HTML (pyqtgraph's titles, labels and legends): escaped, on one line."""
    return html.escape(one_line(text), quote=False)


def tooltip(text: str) -> str:
    """A tooltip showing ``text`` as written, its line breaks kept: always rich text (so Qt
    never guesses), escaped."""
    return f"<p style='white-space:pre-wrap'>{html.escape(text, quote=False)}</p>"


def mnemonic_safe(text: str) -> str:
    """``text`` for a button, tab, group box or buddy label, where ``&`` marks a shortcut."""
    return text.replace("&", "&&")
