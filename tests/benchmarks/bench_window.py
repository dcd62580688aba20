"""Window benchmark, 500 Pages × 3 years of daily readings, on the offscreen platform or on a
real X server.

Run on demand:  python tests/benchmarks/bench_window.py
On a real X server (Xvfb):
    xvfb-run -a -s "-screen 0 1920x1080x24" env QT_QPA_PLATFORM=xcb \
        python tests/benchmarks/bench_window.py
(``--in-process`` measures only the steps in this process, not the whole-process start-ups.)
Measured in one run, as whole processes (median of 5):
- floor A: a bare PySide6 window, shown, rendered once (grab()) and closed;
- floor B: the same window holding one pyqtgraph plot of 1,000 dated points;
- ``engage-desktop --quit-when-ready``: its table_ms against floor A (target <= 2x) and the
  whole process against floor B (target <= 1.3x), with its peak memory (target < 300 MB);
and in this process, each until the window has handled it and painted itself again: switching
the selected Page (target < 100 ms), changing the date range of a 20-Page comparison (target
< 150 ms), one key typed in the filter with 20 Pages selected (target < 50 ms), and Ctrl+A on
all 500 Pages (target < 300 ms; a chart compares at most 12 of them).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from compiled import compile_like_an_install

FLOOR_A = """
import sys
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
app = QApplication(sys.argv[:1])
window = QMainWindow(); window.setCentralWidget(QLabel("Engage")); window.resize(1400, 820)
window.show(); app.processEvents(); window.grab(); window.close()
"""
FLOOR_B = """
import sys
import numpy as np
from PySide6.QtWidgets import QApplication, QMainWindow
import pyqtgraph as pg
app = QApplication(sys.argv[:1])
window = QMainWindow()
plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem()})
days = 1_700_000_000 + np.arange(1000) * 86400.0
plot.plot(days, np.random.default_rng(1).normal(100, 10, 1000))
window.setCentralWidget(plot); window.resize(1400, 820)
window.show(); app.processEvents(); window.grab(); window.close()
"""
ENGAGE = """
import json, os, resource, sys
leave = os._exit

def report_then_leave(code):  # the program leaves through os._exit once the window closes
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"code": code, "peak_mb": peak}), file=sys.stderr)
    leave(code)

os._exit = report_then_leave
from engage_desktop.cli import main  # as the engage-desktop command does
main(sys.argv[1:])
"""


def _whole(code: str, *args: str) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                            text=True, check=True)
    return time.perf_counter() - started, result


def _median(code: str, *args: str, runs: int = 5) -> tuple[float, list]:
    timings, results = [], []
    for _ in range(runs):
        seconds, result = _whole(code, *args)
        timings.append(seconds)
        results.append(result)
    return statistics.median(timings), results


def main() -> None:
    compile_like_an_install()
    from PySide6.QtGui import QGuiApplication  # noqa: F401  (the platform is named below)

    print(f"platform: {os.environ['QT_QPA_PLATFORM']}")
    from engage_desktop.core.demo import write_demo
    from engage_desktop.core.store import open_store

    path = Path(tempfile.mkdtemp(prefix="engage-window-bench-")) / "bench.sqlite"
    with open_store(path) as store:
        write_demo(store, pages=500, days=3 * 365)
    if "--in-process" in sys.argv:
        in_process(path)
        return
    floor_a, _ = _median(FLOOR_A)
    floor_b, _ = _median(FLOOR_B)
    whole, results = _median(ENGAGE, "--db", str(path), "--quit-when-ready")
    tables, charts, peaks = [], [], []
    for result in results:
        line = result.stdout.strip().splitlines()[-1]
        numbers = dict(part.split("=") for part in line.split())
        tables.append(int(numbers["table_ms"]) / 1000)
        charts.append(int(numbers["chart_ms"]) / 1000)
        peaks.append(json.loads(result.stderr.strip().splitlines()[-1])["peak_mb"])
    table = statistics.median(tables)
    print(f"floor A (bare window): {floor_a * 1000:.0f} ms; floor B (one plot of 1,000 "
          f"points): {floor_b * 1000:.0f} ms")
    print(f"--quit-when-ready, 500 Pages × 3 years: table on screen {table * 1000:.0f} ms = "
          f"{table / floor_a:.2f}x floor A (target <= 2x: "
          f"{'meets' if table <= 2 * floor_a else 'MISSES'}); chart "
          f"{statistics.median(charts) * 1000:.0f} ms; whole process {whole * 1000:.0f} ms = "
          f"{whole / floor_b:.2f}x floor B (target <= 1.3x: "
          f"{'meets' if whole <= 1.3 * floor_b else 'MISSES'}); peak memory "
          f"{max(peaks):.0f} MB (target < 300 MB: {'meets' if max(peaks) < 300 else 'MISSES'})")
    in_process(path)


def in_process(path: Path) -> None:
    from engage_desktop.core.store import open_store
    from engage_desktop.ui import app as ui_app
    from engage_desktop.ui import theme
    from engage_desktop.ui.main_window import RANGES, MainWindow, settings_for

    qapp = ui_app.application()
    store = open_store(path)
    window = MainWindow(store, theme.LIGHT,
                        settings_for(Path(tempfile.mkdtemp()) / "settings.ini"))
    window.resize(1500, 850)
    window.show()
    window.load_charts()
    qapp.processEvents()

    def handled() -> None:
        """Until the window has handled what was done and painted itself again."""
        qapp.processEvents()
        window.repaint()

    window.range.setCurrentIndex([d for _, d in RANGES].index(None))  # all three years
    switches = []
    for row in range(1, 21):
        started = time.perf_counter()
        window.select_row(row)
        handled()
        switches.append(time.perf_counter() - started)
    switch = statistics.median(switches)
    window.table.clearSelection()
    selection = window.table.selectionModel()
    for row in range(20):
        selection.select(window.proxy.index(row, 0), selection.SelectionFlag.Select
                         | selection.SelectionFlag.Rows)
    changes = []
    for index in (0, 1, 2, 3, 4) * 2:
        started = time.perf_counter()
        window.range.setCurrentIndex(index)
        handled()
        changes.append(time.perf_counter() - started)
    change = statistics.median(changes)
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    keys = []
    window.filter.setFocus()
    for text in ("K", "e", "l", "d", "e", "r", "b", "y") * 2:
        started = time.perf_counter()
        QTest.keyClick(window.filter, text)
        handled()
        keys.append(time.perf_counter() - started)
        if window.filter.text() == "Kelderby":
            window.filter.clear()
            handled()
    key = statistics.median(keys)
    window.filter.clear()
    everything = []
    for _ in range(5):
        window.table.clearSelection()
        handled()
        window.table.setFocus()
        started = time.perf_counter()
        QTest.keyClick(window.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        handled()
        everything.append(time.perf_counter() - started)
    assert len(window.selected_page_ids()) == 500
    select_all = statistics.median(everything)
    print(f"switching the selected Page (3 years, redrawn and rendered): {switch * 1000:.0f} ms "
          f"(target < 100 ms: {'meets' if switch < 0.1 else 'MISSES'}); changing the date range "
          f"of a 20-Page comparison: {change * 1000:.0f} ms (target < 150 ms: "
          f"{'meets' if change < 0.15 else 'MISSES'}); a key typed in the filter with 20 Pages "
          f"selected: {key * 1000:.0f} ms (target < 50 ms: {'meets' if key < 0.05 else 'MISSES'}); "
          f"Ctrl+A on 500 Pages: {select_all * 1000:.0f} ms (target < 300 ms: "
          f"{'meets' if select_all < 0.3 else 'MISSES'})")
    window.close()
    store.close()


if __name__ == "__main__":
    main()
