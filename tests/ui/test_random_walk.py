"""The real window under random sequences of what an officer does: clicks and Ctrl+clicks in
the traffic light, none and all selected, date ranges (presets, custom, one day, the widest),
typing in the filter, the Chart and Data tabs, mouse-wheel zoom and Reset view, sorting,
resizing, light and dark, a sync against the loopback Graph API, an import through its dialog,
and the export dialog opened and cancelled.

After every step the window must still make sense: the charted Pages are the selected ones
(at most MAX_COMPARED, the rest named), a one-Page chart's plots are each at least 60 pixels
tall, and the chart shows the range the range control states.

The walk is seeded: a failure prints its seed and the steps that led to it, and
``ENGAGE_WALK_SEED=S ENGAGE_WALK_STEPS=N pytest tests/ui/test_random_walk.py`` replays it. It
runs on the offscreen platform and, in .ci/run, on a real X server (Xvfb, xcb platform).
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog

from engage_desktop.core.demo import write_demo
from engage_desktop.core.store import open_store
from engage_desktop.core.timeutil import EARLIEST_DAY, LATEST_DAY
from engage_desktop.ui import theme
from engage_desktop.ui.charts import MAX_COMPARED
from engage_desktop.ui.main_window import CUSTOM, RANGES, MainWindow
from engage_desktop.ui.traffic_model import PAGE, PAGE_ID_ROLE

STEPS = int(os.environ.get("ENGAGE_WALK_STEPS", "1000"))
SEED = int(os.environ.get("ENGAGE_WALK_SEED", "20261130"))
MIN_PLOT_PX = 60


@pytest.fixture
def walk_db(tmp_path: Path, connect_council) -> Path:
    """Demo Pages with their history, and connected Pages the loopback Graph API serves."""
    db = tmp_path / "engage.sqlite"
    with open_store(db) as store:
        write_demo(store, pages=16, days=400)
    return connect_council(db)


@pytest.fixture
def walk_window(open_window, walk_db: Path):
    return open_window(walk_db, (1366, 768))


class Walk:
    """The steps an officer can take, and the checks after each."""

    def __init__(self, window: MainWindow, qtbot, rng: random.Random, folder: Path) -> None:
        self.window = window
        self.qtbot = qtbot
        self.rng = rng
        self.folder = folder
        self.imports = 0
        self.log: list[str] = []
        window.run_export_dialog = self._cancel_export
        window.run_import_dialog = self._import

    # Steps ------------------------------------------------------------------------------------

    def steps(self) -> list[tuple[str, Callable[[], None], int]]:
        """(name, step, weight)."""
        return [
            ("click a Page", self.click_one, 12),
            ("Ctrl+click to add a Page", self.add_one, 10),
            ("Ctrl+click to remove a Page", self.remove_one, 6),
            ("Shift+click a span", self.shift_click, 3),
            ("select none", self.select_none, 4),
            ("Ctrl+A", self.select_all, 2),
            ("arrow keys", self.arrows, 4),
            ("range preset", self.preset, 6),
            ("custom range", self.custom_range, 5),
            ("type in the filter", self.type_filter, 5),
            ("clear the filter", self.clear_filter, 3),
            ("switch tab", self.switch_tab, 4),
            ("wheel zoom", self.wheel, 6),
            ("drag to pan", self.drag, 2),
            ("Reset view", self.reset_view, 3),
            ("sort by a column", self.sort, 4),
            ("resize", self.resize, 3),
            ("light or dark", self.scheme, 2),
            ("hover the chart", self.hover, 4),
            ("sync", self.sync, 1),
            ("import a file", self.import_file, 1),
            ("open and cancel Export", self.export, 1),
        ]

    def _rows(self) -> int:
        return self.window.proxy.rowCount()

    def _click_row(self, row: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:
        table = self.window.table
        table.scrollTo(self.window.proxy.index(row, PAGE))
        rect = table.visualRect(self.window.proxy.index(row, PAGE))
        QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())

    def click_one(self) -> None:
        if self._rows():
            self._click_row(self.rng.randrange(self._rows()))

    def add_one(self) -> None:
        selected = set(self.window.selected_page_ids())
        free = [r for r in range(self._rows())
                if self.window.proxy.index(r, 0).data(PAGE_ID_ROLE) not in selected]
        if free:
            self._click_row(self.rng.choice(free), Qt.KeyboardModifier.ControlModifier)

    def remove_one(self) -> None:
        rows = [i.row() for i in self.window.table.selectionModel().selectedRows()]
        if rows:
            self._click_row(self.rng.choice(rows), Qt.KeyboardModifier.ControlModifier)

    def shift_click(self) -> None:
        if self._rows():
            self._click_row(self.rng.randrange(self._rows()), Qt.KeyboardModifier.ShiftModifier)

    def select_none(self) -> None:
        self.window.table.clearSelection()

    def select_all(self) -> None:
        self.window.table.setFocus()
        QTest.keyClick(self.window.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)

    def arrows(self) -> None:
        key = self.rng.choice([Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_Home, Qt.Key.Key_End])
        modifier = self.rng.choice([Qt.KeyboardModifier.NoModifier,
                                    Qt.KeyboardModifier.ShiftModifier])
        self.window.table.setFocus()
        QTest.keyClick(self.window.table, key, modifier)

    def preset(self) -> None:
        self.window.range.setCurrentIndex(self.rng.randrange(len(RANGES) - 1))

    def custom_range(self) -> None:
        window = self.window
        window.range.setCurrentIndex(CUSTOM)
        low, high = EARLIEST_DAY.toordinal(), LATEST_DAY.toordinal()
        kind = self.rng.random()
        if kind < 0.2:  # one day
            first = last = self.rng.randrange(low, high)
        elif kind < 0.3:  # the widest the fields allow
            first, last = low, high
        else:
            first = self.rng.randrange(low, high)
            last = min(high, first + self.rng.choice([1, 6, 30, 200, 800, 5000]))
        if self.rng.random() < 0.2:
            first, last = last, first  # the From after the To
        for edit, day in ((window.start, first), (window.end, last)):
            edit.setDate(QDate.fromJulianDay(day + 1721425))

    def type_filter(self) -> None:
        texts = ["Kel", "lib", "z", "Council", "&", "Youth", "e", " "]
        self.window.filter.setFocus()
        QTest.keyClicks(self.window.filter, self.rng.choice(texts))

    def clear_filter(self) -> None:
        self.window.filter.clear()

    def switch_tab(self) -> None:
        tabs = self.window.charts.tabs
        tabs.setCurrentIndex(1 - tabs.currentIndex())

    def _chart_point(self) -> QPoint | None:
        charts = self.window.charts
        if not charts.plots or not charts.layout_widget.isVisible():
            return None
        plot = self.rng.choice(charts.plots)
        rect = plot.vb.sceneBoundingRect()
        scene = QPointF(rect.left() + rect.width() * self.rng.uniform(0.05, 0.95),
                        rect.top() + rect.height() * self.rng.uniform(0.1, 0.9))
        return charts.layout_widget.mapFromScene(scene)

    def wheel(self) -> None:
        where = self._chart_point()
        if where is None:
            return
        view = self.window.charts.layout_widget.viewport()
        for _ in range(self.rng.randint(1, 4)):
            delta = self.rng.choice([120, -120, 360, -360])
            event = QWheelEvent(QPointF(where), QPointF(view.mapToGlobal(where)), QPoint(0, 0),
                                QPoint(0, delta), Qt.MouseButton.NoButton,
                                Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
                                False)
            QApplication.sendEvent(view, event)
        self.settle()

    def drag(self) -> None:
        where = self._chart_point()
        if where is None:
            return
        view = self.window.charts.layout_widget.viewport()
        end = where + QPoint(self.rng.randint(-200, 200), 0)
        QTest.mousePress(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, where)
        for step in range(1, 6):
            QTest.mouseMove(view, where + (end - where) * step / 5)
        QTest.mouseRelease(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
        self.settle()

    def settle(self) -> None:
        """Wait for the chart to be read again after a zoom or a pan."""
        self.qtbot.waitUntil(lambda: not self.window.chart_area.zoom_timer.isActive(), timeout=5000)

    def reset_view(self) -> None:
        button = self.window.charts.reset_button
        if button.isVisible():
            QTest.mouseClick(button, Qt.MouseButton.LeftButton)

    def sort(self) -> None:
        header = self.window.table.horizontalHeader()
        section = self.rng.randrange(header.count())
        x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
        if 0 <= x < header.viewport().width():
            QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                             Qt.KeyboardModifier.NoModifier, QPoint(x, header.height() // 2))

    def resize(self) -> None:
        size = self.rng.choice([(640, 480), (1024, 600), (1366, 768), (1920, 1080)])
        self.window.resize(*size)

    def scheme(self) -> None:
        self.window.set_theme(self.rng.choice([theme.LIGHT, theme.DARK]))

    def hover(self) -> None:
        where = self._chart_point()
        if where is not None:
            QTest.mouseMove(self.window.charts.layout_widget.viewport(), where)

    def sync(self) -> None:
        window = self.window
        if window.sync_now():
            self.qtbot.waitUntil(lambda: not window.runner.busy
                                 and window.sync_action.isEnabled(), timeout=60_000)

    def import_file(self) -> None:
        self.imports += 1
        path = self.folder / f"readings-{self.imports}.csv"
        day = 1 + self.imports % 27
        path.write_text("Date,Followers,Talking about\n"
                        f"{day:02d}/03/2025,{200 + self.imports},{3 + self.imports % 5}\n"
                        f"{day + 1:02d}/03/2025,{201 + self.imports},4\n", encoding="utf-8")
        self.window.import_files([path])

    def _import(self, dialog: QDialog) -> int:
        dialog.show()
        dialog.page.setFocus()
        dialog.page.lineEdit().clear()
        QTest.keyClicks(dialog.page.lineEdit(), f"Walk Page {self.imports % 3}")
        def settled() -> bool:  # previewed (or imported) in the background
            return not dialog.refresh_timer.isActive() and not dialog.busy

        self.qtbot.waitUntil(settled, timeout=10_000)
        if dialog.import_button.isEnabled():
            QTest.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
            self.qtbot.waitUntil(settled, timeout=10_000)
            # (the dialog closes just after the import's job ends: a queued call)
            self.qtbot.waitUntil(lambda: dialog.imported is None or dialog.result()
                                 == QDialog.DialogCode.Accepted, timeout=10_000)
            assert dialog.result() == QDialog.DialogCode.Accepted, dialog.summary.text()
        else:
            dialog.reject()
        return dialog.result()

    def export(self) -> None:
        self.window.export_current()

    def _cancel_export(self, dialog: QDialog) -> int:
        dialog.show()
        QApplication.processEvents()
        dialog.reject()
        return dialog.result()

    # Checks -----------------------------------------------------------------------------------

    def check(self) -> None:
        window = self.window
        charts = window.charts
        selected = window.selected_page_ids()
        charted = [series.page_id for series in charts.series]
        assert charted == selected[:MAX_COMPARED], "the chart shows other Pages than selected"
        if len(selected) > MAX_COMPARED:
            assert f"{len(selected) - MAX_COMPARED} selected Page" in charts.legend.text()
        if not selected:
            assert charts.chart_page.currentWidget() is charts.message
            return
        chart = charts.chart
        first, last = window.date_range()
        assert chart.shown == (first, last), "the chart shows another range than the control"
        if window.charts.tabs.currentIndex() == 0 and len(selected) == 1:
            for plot in charts.plots:
                height = plot.vb.height()
                assert height >= MIN_PLOT_PX, f"a plot is {height:.0f} pixels tall"
        low, high = chart.plots[0].vb.viewRange()[0]
        slack = max(1.0, 0.02 * (last.toordinal() - first.toordinal()))
        assert abs(low - first.toordinal()) <= slack and abs(high - last.toordinal()) <= slack, \
            "the chart's days are not the range stated"


def test_a_thousand_random_steps_leave_a_window_that_makes_sense(walk_window, qtbot,
                                                                  tmp_path: Path) -> None:
    rng = random.Random(SEED)
    walk = Walk(walk_window, qtbot, rng, tmp_path)
    names, steps, weights = zip(*walk.steps(), strict=True)
    walk_window.activateWindow()
    done: dict[str, int] = {}
    for number in range(STEPS):
        index = rng.choices(range(len(steps)), weights)[0]
        walk.log.append(names[index])
        try:
            steps[index]()
            qtbot.wait(1)  # let queued events (redraws, paints) run
            walk_window.repaint()
            walk.check()
        except BaseException as error:
            recent = "; ".join(walk.log[-15:])
            raise AssertionError(f"step {number} ({names[index]}) with seed {SEED} failed: "
                                 f"{error}. The last steps: {recent}") from error
        done[names[index]] = done.get(names[index], 0) + 1
    assert len(done) == len(steps), f"some steps never ran: {set(names) - set(done)}"
    print(f"{STEPS} steps on {QApplication.platformName()}: {done}")
