"""The pinned PySide6 / pyqtgraph pair survives what the charts do all day: plot items added
and removed again and again (PySide6 6.12 with pyqtgraph 0.14 crashed the interpreter here)."""

from __future__ import annotations

import subprocess
import sys

CHURN = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication
app = QApplication([])
import numpy as np
import pyqtgraph as pg
widget = pg.GraphicsLayoutWidget()
widget.show()
plot = widget.addPlot()
xs = np.arange(200.0)
for n in range(1500):
    line = plot.plot(xs, np.sin(xs / 10 + n), pen=pg.mkPen("#0072b2", width=2))
    mark = pg.InfiniteLine(pos=n % 200, angle=90, label="note")
    plot.addItem(mark)
    plot.removeItem(line)
    plot.removeItem(mark)
    if n % 100 == 0:
        app.processEvents()
widget.grab()
print("survived")
"""


def test_plot_items_come_and_go_without_crashing() -> None:
    result = subprocess.run([sys.executable, "-c", CHURN], capture_output=True, text=True,
                            timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("survived")
