"""A callback for the first time a widget paints with something to show: how the program
knows that the traffic light, or the chart, is on screen (``--quit-when-ready``, the sync on
opening, the start-up timings)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class FirstPaint(QObject):
    """Calls back once, the first time ``widget`` paints while ``ready()`` is true."""

    def __init__(self, widget: QWidget, ready: Callable[[], bool],
                 callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self.ready = ready
        self.callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.ready():
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.callback)
        return False
