"""The chart's lifecycle: one Page, a comparison, back and to none, any date range, the cap
on compared Pages, zooming and Reset view, and the time axis over any span."""

from __future__ import annotations

import html
from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest

from engage_desktop.core.timeutil import EARLIEST_DAY, LATEST_DAY
from engage_desktop.ui.charts import MAX_COMPARED, DayAxis
from engage_desktop.ui.main_window import CUSTOM, DEFAULT_RANGE
from engage_desktop.ui.traffic_model import PAGE


def _click(window, row: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    rect = window.table.visualRect(window.proxy.index(row, PAGE))
    QTest.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, modifier,
                     rect.center())


def _tall_enough(window) -> bool:
    return len(window.charts.plots) == 3 and all(p.vb.height() >= 60
                                                 for p in window.charts.plots)


def test_click_ctrl_click_click_and_none_then_one_keep_a_readable_chart(window, qtbot) -> None:
    _click(window, 0)
    _click(window, 1, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(window.charts.series) == 2)
    _click(window, 1)  # one of them alone: crashed pyqtgraph's paintEvent before
    qtbot.waitUntil(lambda: len(window.charts.series) == 1)
    window.charts.layout_widget.grab()
    window.table.clearSelection()
    qtbot.waitUntil(lambda: window.charts.message.isVisible())
    _click(window, 2)  # the plots collapsed into a heap of labels before
    qtbot.waitUntil(lambda: _tall_enough(window))
    assert window.charts.layout_widget.grab().height() > 300


@pytest.mark.parametrize("first,last", [
    (EARLIEST_DAY, LATEST_DAY), (date(2026, 11, 30), date(2026, 11, 30)),
    (date(2020, 1, 1), date(2050, 1, 1)), (date(2003, 1, 1), date(2026, 11, 30))])
def test_any_custom_range_the_fields_take_is_drawn(window, qtbot, first, last) -> None:
    window.select_row(0)
    window.range.setCurrentIndex(CUSTOM)
    window.start.setDate(QDate(first))
    window.end.setDate(QDate(last))
    shown = window.charts.chart.shown
    # the fields keep dates within what a chart covers (2003 is taken as 1 Jan 2004)
    assert shown == (max(first, EARLIEST_DAY), min(last, LATEST_DAY))
    assert window.charts.layout_widget.grab().width() > 100
    assert _tall_enough(window)


@pytest.mark.parametrize("span", [(1, 1), (1, 3_652_059), (EARLIEST_DAY.toordinal(),
                                                            LATEST_DAY.toordinal()),
                                  (739_000, 739_000.5), (-5e9, 5e9), (float("nan"), 3)])
def test_the_time_axis_ticks_any_span(qapp, span) -> None:
    axis = DayAxis(orientation="bottom")
    for size in (40, 200, 1500):
        levels = axis.tickValues(span[0], span[1], size)
        for spacing, ticks in levels:
            assert len(ticks) <= max(2, size / 75) + 2
            assert all(isinstance(t, int) for t in ticks)
            assert len(axis.tickStrings(ticks, 1, spacing)) == len(ticks)


def test_a_comparison_draws_at_most_twelve_lines_and_names_the_rest(window, qtbot) -> None:
    window.table.setFocus()
    QTest.keyClick(window.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(window.selected_page_ids()) == 12 == MAX_COMPARED
    assert len(window.charts.series) == 12
    assert "not drawn" not in window.charts.legend.text()
    # the legend is under the plot, in words: every Page's name with a line sample
    for series in window.charts.series:
        assert html.escape(series.name).replace(" ", "&nbsp;") in window.charts.legend.text()


def test_wheel_zoom_says_custom_and_reset_view_goes_back(window, qtbot) -> None:
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    window.select_row(0)
    assert window.range.currentIndex() == DEFAULT_RANGE
    before = window.date_range()
    view = window.charts.layout_widget.viewport()
    plot = window.charts.plots[0]
    where = window.charts.layout_widget.mapFromScene(plot.vb.sceneBoundingRect().center())
    event = QWheelEvent(QPointF(where), QPointF(view.mapToGlobal(where)), QPoint(0, 0),
                        QPoint(0, 360), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view, event)
    assert window.range.currentIndex() == CUSTOM
    assert window.charts.reset_button.isVisible()
    first, last = window.date_range()
    assert before[0] < first and last < before[1]  # zoomed in: fewer days, stated as dates
    qtbot.waitUntil(lambda: window.charts.chart.shown == (first, last))
    QTest.mouseClick(window.charts.reset_button, Qt.MouseButton.LeftButton)
    assert window.range.currentIndex() == DEFAULT_RANGE
    assert window.charts.chart.shown == before
    assert not window.charts.reset_button.isVisible()
