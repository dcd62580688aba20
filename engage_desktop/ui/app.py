"""Starting the window: the Qt application, the database, errors shown as dialogs, and the
``--quit-when-ready`` timing used by benchmarks and the packaged-build smoke test."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from engage_desktop import APP_NAME
from engage_desktop.core.errors import DatabaseError, EngageError
from engage_desktop.core.opening import Opening
from engage_desktop.ui import theme
from engage_desktop.ui.collector import collect_on_gui_thread
from engage_desktop.ui.errors_shown import show_error
from engage_desktop.ui.main_window import MainWindow, settings_for

_IMPORTED = time.perf_counter()
INTERRUPTED = 130  # the exit code after Ctrl+C, as the command line's


def process_age_ms() -> float:
    """Milliseconds since this process started (since this module was imported where the
    operating system does not say)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            started_ticks = int(stat.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime", encoding="ascii") as uptime:
            up = float(uptime.read().split()[0])
        return (up - started_ticks / os.sysconf("SC_CLK_TCK")) * 1000
    except (OSError, ValueError, IndexError, AttributeError):
        return (time.perf_counter() - _IMPORTED) * 1000


def application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    icon = Path(__file__).with_name("engage-desktop.png")
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    app.setStyle("Fusion")
    app.setPalette(theme.palette(theme.current()))
    collect_on_gui_thread(app)
    return app


def run_window(opening: Opening, *, quit_when_ready: bool = False,
               settings_path: Path | None = None,
               recover: Callable[[Path, DatabaseError], Opening | None] | None = None) -> int:
    """Open the window on a database opened with :class:`Opening`; returns the exit code.
    When the database cannot be opened, ``recover`` (a :class:`Recovery`, asking the officer)
    gives another to try, or None to quit."""
    app = application()
    holder: dict[str, MainWindow] = {}

    def reopen_on_demo() -> None:
        from engage_desktop.core.paths import demo_db_path

        old = holder["window"]
        try:
            holder["window"] = _make_window(Opening(demo_db_path(), demo=True), settings_path,
                                            None)
        except EngageError as error:
            show_error(old, error, "Engage Desktop cannot open the demo data")
            return
        _show(holder["window"])
        old.close()
        old.store.close()

    while "window" not in holder:
        try:
            holder["window"] = _make_window(opening, settings_path, reopen_on_demo)
        except DatabaseError as error:
            if quit_when_ready:
                print(f"engage-desktop: {error}", file=sys.stderr)
                return 1
            # another file, the demo data, a new database, or quit
            if recover is None:
                from engage_desktop.ui.database_dialog import Recovery  # rarely needed

                recover = Recovery()
            chosen = recover(opening.path, error)
            if chosen is None:
                return 1
            opening = chosen
    window = holder["window"]
    if quit_when_ready:
        _quit_when_ready(app, window)
    if not quit_when_ready:
        # when the officer asked for it, and after the traffic light is on screen
        window.watch_first_table_paint(window.sync_if_due)
    _show(window)
    interrupted = _close_on_interrupt(app)
    code = app.exec()
    if interrupted:
        code = INTERRUPTED
    for open_window in holder.values():
        open_window.store.close()
    return code


def _close_on_interrupt(app: QApplication) -> list[int]:
    """Ctrl+C in the terminal that started the window closes it, as it would a command: its
    windows close (remembering their state, stopping a sync) and the program exits 130.

    Python handles a signal only when it runs Python code, and Qt's event loop is C++: a
    timer lets it in a few times a second. Returns a list that is non-empty once interrupted."""
    interrupted: list[int] = []

    def close(*_: object) -> None:
        interrupted.append(signal.SIGINT)
        for widget in app.topLevelWidgets():
            if widget.isVisible():
                widget.close()
        app.quit()

    signal.signal(signal.SIGINT, close)
    wake = QTimer(app)
    wake.timeout.connect(lambda: None)
    wake.start(200)
    return interrupted


def exit_now(code: int) -> None:
    """Leave the process straight away once the window has closed and the database is shut.

    Interpreter shutdown would otherwise destroy every Qt and pyqtgraph object through the
    garbage collector, which is slow and, with PySide6, has crashed on the way out before;
    pyqtgraph recommends the same (``pyqtgraph.exit``)."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError):  # a reader that went away (| head)
            stream.flush()
    os._exit(code)


def _show(window: MainWindow) -> None:
    """Show the window; the charts (and pyqtgraph's import) wait until the traffic light
    has been painted, so officers see it first."""
    window.watch_first_table_paint(lambda: QTimer.singleShot(0, window.load_charts))
    window.show()
    if not window.model.rows:
        QTimer.singleShot(0, window.load_charts)


def _make_window(opening: Opening, settings_path: Path | None,
                 open_demo: Callable[[], None] | None) -> MainWindow:
    """The window on an opened database; raises the DatabaseError that kept it from opening
    (and then closes the database, if it had opened)."""
    try:
        light = opening.light()
    except DatabaseError:
        if opening.store is not None:
            opening.store.close()
        raise
    assert opening.store is not None
    theme_now = theme.current()
    window = MainWindow(opening.store, theme_now, settings_for(settings_path), open_demo,
                        light=light)
    QApplication.styleHints().colorSchemeChanged.connect(lambda _: _recolour(window))
    return window


def _recolour(window: MainWindow) -> None:
    window.set_theme(theme.current())


def _quit_when_ready(app: QApplication, window: MainWindow) -> None:
    timings: dict[str, float] = {}

    def finish() -> None:
        if "table" in timings and ("chart" in timings or not window.model.rows):
            chart = timings.get("chart", timings["table"])
            print(f"table_ms={timings['table']:.0f} chart_ms={chart:.0f}", flush=True)
            window.close()
            app.quit()

    def table_painted() -> None:
        timings["table"] = process_age_ms()
        finish()

    def chart_drawn() -> None:
        timings["chart"] = process_age_ms()
        finish()

    window.watch_first_table_paint(table_painted)
    window.on_chart_drawn = chart_drawn
    if not window.model.rows:
        QTimer.singleShot(0, lambda: (timings.setdefault("table", process_age_ms()), finish()))
