"""Import dialog benchmark: the window's preview of a large file runs in the background.

Run on demand:  python tests/benchmarks/bench_import_window.py
Writes the generic CSV of bench_import.py (500 Pages × 3 years, 547,500 rows, about 20 MB)
and prints, measured in this run on the offscreen platform:
- the preview in the dialog, from opening it to the preview shown, against the same preview
  run directly on the core (the cost of the background and its progress reports);
- the longest the dialog's event loop went without running while the file was read (a 10 ms
  timer's longest gap: what the officer would feel as a freeze; the issue measured 40 s for a
  200 MB file before);
- how long Stop takes to end the preview (until the dialog is usable again) while the rows
  are read and while they are compared with the database (median of 3 each).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_import import write_pages_csv  # run as a script: its folder is on the path

from engage_desktop.core.importing import Importer, ImportOptions
from engage_desktop.core.store import open_store


def main() -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from engage_desktop.ui import app as ui_app
    from engage_desktop.ui.import_dialog import ImportDialog

    folder = Path(tempfile.mkdtemp(prefix="engage-import-window-bench-"))
    path = write_pages_csv(folder / "pages.csv")
    app = ui_app.application()
    with open_store(folder / "core.sqlite") as store:
        started = time.perf_counter()
        Importer(store, [path], ImportOptions()).preview()
        core = time.perf_counter() - started

    with open_store(folder / "window.sqlite") as store:
        gaps: list[float] = []
        last = [time.perf_counter()]

        def tick() -> None:
            now = time.perf_counter()
            gaps.append(now - last[0])
            last[0] = now

        timer = QTimer()
        timer.setInterval(10)
        timer.timeout.connect(tick)
        started = time.perf_counter()
        dialog = ImportDialog(store, [path])
        dialog.show()
        last[0] = time.perf_counter()
        timer.start()
        while dialog.busy:
            app.processEvents()
            time.sleep(0.001)
        shown = time.perf_counter() - started
        timer.stop()
        assert dialog.preview is not None and dialog.preview.ready, dialog.summary.text()
        print(f"547,500-row CSV ({path.stat().st_size / 1e6:.0f} MB): preview in the dialog "
              f"{shown:.2f} s, the same preview on the core alone {core:.2f} s")
        print(f"longest the dialog went without handling events while previewing: "
              f"{max(gaps) * 1000:.0f} ms (a 10 ms timer, {len(gaps)} ticks)")

        for when, ready in (("reading", lambda: "rows…" in dialog.summary.text()
                             and "Reading pages.csv: 0 rows" not in dialog.summary.text()),
                            ("comparing", lambda: dialog.summary.text().startswith(
                                "Comparing"))):
            times = []
            for _ in range(3):
                dialog.refresh_preview()
                while not ready():
                    app.processEvents()
                    time.sleep(0.001)
                started = time.perf_counter()
                dialog.stop()
                while dialog.busy:
                    app.processEvents()
                    time.sleep(0.001)
                times.append(time.perf_counter() - started)
                assert dialog.stopped == "preview", dialog.summary.text()
            print(f"Stop while {when}: the dialog is usable again after "
                  f"{statistics.median(times) * 1000:.0f} ms (median of 3)")
        dialog.close()
    QApplication.processEvents()


if __name__ == "__main__":
    main()
