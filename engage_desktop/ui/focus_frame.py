"""A frame in the highlight colour around whichever of the window's big areas (the traffic
light, the chart, the details line) has the keyboard: Fusion's own focus marks are a dotted
line on one cell at most, easy to lose on a laptop screen.

A style sheet would draw it too, but a widget with a style sheet stops following the
palette, and the window's palette changes with the system's light or dark scheme."""

from __future__ import annotations

from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QApplication, QFocusFrame, QWidget

WIDTH = 2


class HighlightFrame(QFocusFrame):
    """Follows the focus among ``watched`` widgets (and their children), drawing a frame
    over the edge of the one that has it."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("focus-frame")
        self.watched: list[QWidget] = []
        QApplication.instance().focusChanged.connect(self._focus_changed)

    def watch(self, widget: QWidget) -> None:
        self.watched.append(widget)
        if widget.hasFocus():
            self.setWidget(widget)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        target = next((widget for widget in self.watched
                       if new is not None and (new is widget or widget.isAncestorOf(new))),
                      None)
        self.setWidget(target)
        self.setVisible(target is not None)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), WIDTH)
        painter.setPen(pen)
        half = WIDTH // 2
        painter.drawRect(self.rect().adjusted(half, half, -half - 1 + WIDTH % 2,
                                              -half - 1 + WIDTH % 2))
        painter.end()
