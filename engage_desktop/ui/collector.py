"""Python's garbage collector, run on the GUI thread only.

Left to itself, the collector runs on whichever thread happens to allocate when a threshold is
crossed: a sync's worker thread parsing Insights could then free a cycle holding Qt objects
that belong to the GUI thread, while that thread paints them, and the interpreter crashes.
This turns automatic collection off and collects from a timer on the GUI thread instead, the
approach of pyqtgraph's ``util.garbage_collector.GarbageCollector`` (not imported from there:
the window starts before pyqtgraph is loaded).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    """Collects each generation when it has passed Python's own threshold."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(INTERVAL_MS)

    def check(self) -> None:
        young, middle, _ = gc.get_count()
        if young > self.threshold[0]:
            generation = 0
            if middle > self.threshold[1]:
                generation = 2 if gc.get_count()[2] > self.threshold[2] else 1
            gc.collect(generation)


def collect_on_gui_thread(app: QCoreApplication) -> None:
    """From now on, garbage is collected on the GUI thread only (once per application)."""
    if app.findChild(GuiThreadCollector) is None:
        GuiThreadCollector(app)
