"""A frame in the highlight colour around whichever of the window's big areas (the traffic
light, the chart, the details line) has the keyboard: Fusion's own focus marks are a dotted
line on one cell at most, easy to lose on a laptop screen.

A style sheet would draw it too, but a widget with a style sheet stops following the
palette, and the window's palette changes with the system's light or dark scheme."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QApplication, QWidget

WIDTH = 2


class HighlightFrame(QWidget):
    """Drawn over the edge of ``target`` (as its child, letting the mouse through) while the
    keyboard is in it."""

    def __init__(self, target: QWidget) -> None:
        super().__init__(target)
        self.target = target
        self.setObjectName("focus-frame")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.hide()
        target.installEventFilter(self)
        QApplication.instance().focusChanged.connect(self._focus_changed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.target and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.target.rect())
        return False

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        inside = new is not None and (new is self.target or self.target.isAncestorOf(new))
        if inside:
            self.setGeometry(self.target.rect())
            self.raise_()
        self.setVisible(inside)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Highlight), WIDTH))
        inset = WIDTH // 2
        painter.drawRect(self.rect().adjusted(inset, inset, -inset, -inset))
        painter.end()


def frame_focus(*targets: QWidget) -> list[HighlightFrame]:
    """A highlight frame for each of ``targets``."""
    return [HighlightFrame(target) for target in targets]
