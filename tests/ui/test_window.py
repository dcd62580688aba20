"""The main window on the offscreen platform: the model, sorting and filtering, charts
following the selection, date ranges, the empty state, bad databases, and screenshots."""

from __future__ import annotations

import os
from datetime import date, datetime, time
from pathlib import Path

import pytest
from factories import page
from PySide6.QtCore import QItemSelectionModel, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest

from engage_desktop.core.engagement import Status
from engage_desktop.core.store import open_store
from engage_desktop.core.timeutil import UK, utc_now
from engage_desktop.ui import app as ui_app
from engage_desktop.ui import theme
from engage_desktop.ui.main_window import RANGES, MainWindow, settings_for
from engage_desktop.ui.traffic_model import (
    COLUMNS,
    PAGE,
    PER_1000,
    STATUS,
    TrafficLightModel,
)

ARTIFACTS = Path(os.environ.get("ENGAGE_ARTIFACTS", "artifacts"))


def _save(widget, name: str) -> QImage:
    image = widget.grab().toImage()
    ARTIFACTS.mkdir(exist_ok=True)
    image.save(str(ARTIFACTS / f"{name}.png"))
    return image


def _colours(image: QImage, step: int = 3) -> set[str]:
    return {image.pixelColor(x, y).name() for x in range(0, image.width(), step)
            for y in range(0, image.height(), step)}


def test_the_model_passes_qts_model_tester(qtmodeltester, demo_path: Path) -> None:
    from engage_desktop.core import traffic_light

    model = TrafficLightModel()
    with open_store(demo_path) as store:
        model.set_light(traffic_light.build(store))
    qtmodeltester.check(model)
    assert model.rowCount() == 12 and model.columnCount() == len(COLUMNS)


def test_the_traffic_light_has_every_status_with_shape_word_and_colour(window) -> None:
    proxy = window.proxy
    texts = {proxy.index(row, STATUS).data() for row in range(proxy.rowCount())}
    assert texts == {"■ Red", "▲ Amber", "● Green", "○ No data"}
    first = proxy.index(0, STATUS)
    assert first.data(Qt.ItemDataRole.ForegroundRole) == QColor(
        theme.LIGHT.status[Status.RED])
    tip = proxy.index(1, STATUS).data(Qt.ItemDataRole.ToolTipRole)
    assert "per 1,000" in tip and "Red below 20" in tip
    assert window.summary.text().strip() == "3 red · 4 amber · 3 green · 2 no data"
    stale = [proxy.index(r, 6).data() for r in range(proxy.rowCount())
             if "Archives" in proxy.index(r, PAGE).data()]
    assert stale[0].endswith("(stale)")


def test_sorting_by_every_column_and_filtering(window, qtbot) -> None:
    proxy = window.proxy
    for column in range(len(COLUMNS)):
        window.table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
        assert proxy.rowCount() == 12
    window.table.sortByColumn(PER_1000, Qt.SortOrder.DescendingOrder)
    assert proxy.index(0, PAGE).data() == "Kelderby Waste & Recycling"
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # shortcuts and focus belong to the active window
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.filter.hasFocus)
    qtbot.keyClicks(window.filter, "librar")
    assert proxy.rowCount() == 1 and proxy.index(0, PAGE).data() == "Kelderby Libraries"


def test_selection_drives_the_charts(window, qtbot) -> None:
    window.select_row(0)
    charts = window.charts
    assert len(charts.plots) == 3 and len(charts.series) == 1
    assert charts.series[0].name == window.proxy.index(0, PAGE).data()
    window.table.selectAll()
    assert len(charts.plots) == 1 and len(charts.series) == 12
    assert charts.data_model.columnCount() == 13  # date + one column per Page


def test_the_data_tab_holds_the_charted_numbers(window) -> None:
    names = [window.proxy.index(r, PAGE).data() for r in range(window.proxy.rowCount())]
    window.select_row(names.index("Kelderby Youth Service"))
    model = window.charts.data_model
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == [
        "Date", "Followers", "Talking about", "Per 1,000"]
    newest = [model.index(0, c).data() for c in range(4)]
    assert newest[1:] == ["200", "3", "15.0"]
    assert model.rowCount() in (364, 365)  # today's demo reading exists after 09:40


def test_date_ranges(window, qtbot) -> None:
    window.select_row(0)
    for index, (_label, days) in enumerate(RANGES):
        window.range.setCurrentIndex(index)
        first, last = window.date_range()
        if days and days > 0:
            assert (last - first).days == days - 1
    window.range.setCurrentIndex(len(RANGES) - 1)  # custom
    assert all(action.isVisible() for action in window.custom_dates)
    window.start.setDate(date(2026, 3, 1))
    window.end.setDate(date(2026, 3, 31))
    assert window.date_range() == (date(2026, 3, 1), date(2026, 3, 31))
    assert window.charts.data_model.rowCount() == 31


def test_days_are_right_across_the_clock_changes(window) -> None:
    names = [window.proxy.index(r, PAGE).data() for r in range(window.proxy.rowCount())]
    window.select_row(names.index("Kelderby Borough Council"))
    window.range.setCurrentIndex(len(RANGES) - 1)
    window.start.setDate(date(2026, 3, 27))
    window.end.setDate(date(2026, 3, 31))  # clocks went forward on 29 March
    days = [window.charts.data_model.index(r, 0).data()
            for r in range(window.charts.data_model.rowCount())]
    assert days == ["Tue 31 Mar 2026", "Mon 30 Mar 2026", "Sun 29 Mar 2026",
                    "Sat 28 Mar 2026", "Fri 27 Mar 2026"]


def test_state_persists(window, tmp_path: Path, demo_path: Path, qtbot) -> None:
    window.range.setCurrentIndex(0)
    window.resize(720, 520)  # within the offscreen screen (800 × 600)
    window.close()
    again = MainWindow(window.store, theme.LIGHT, settings_for(tmp_path / "settings.ini"))
    qtbot.addWidget(again)
    again.show()
    assert again.range.currentIndex() == 0
    assert (again.width(), again.height()) == (720, 520)


def test_the_empty_state_says_what_to_do(qtbot, tmp_path: Path) -> None:
    ui_app.application()
    opened = []
    with open_store(tmp_path / "empty.sqlite") as store:
        main = MainWindow(store, theme.LIGHT, settings_for(tmp_path / "s.ini"),
                          open_demo=lambda: opened.append(True))
        qtbot.addWidget(main)
        main.show()
        assert main.stack.currentIndex() == 0
        assert main.demo_button.isEnabled()
        qtbot.mouseClick(main.demo_button, Qt.MouseButton.LeftButton)
        assert opened == [True]
        _save(main, "empty-state")


def test_awkward_pages_display_sensibly(qtbot, tmp_path: Path) -> None:
    from factories import page, reading

    ui_app.application()
    now = utc_now()
    with open_store(tmp_path / "odd.sqlite") as store:
        store.upsert_pages([page("1", "No readings"), page("2", "One reading"),
                            page("3", "Zero followers"), page("4", "More talking than fans"),
                            page("5", "Months apart")])
        store.add_readings([
            reading("2", now, 500, 20), reading("3", now, 0, 5), reading("4", now, 10, 400),
            reading("5", datetime.combine(date(2025, 1, 5), time(9), UK), 800, 30),
            reading("5", now, 900, 40)])
        main = MainWindow(store, theme.LIGHT, settings_for(tmp_path / "s.ini"))
        qtbot.addWidget(main)
        main.resize(1400, 800)
        main.show()
        main.load_charts()
        main.range.setCurrentIndex(4)  # all
        for row in range(main.proxy.rowCount()):
            main.select_row(row)
        names = [main.proxy.index(r, PAGE).data() for r in range(main.proxy.rowCount())]
        main.select_row(names.index("Months apart"))
        qtbot.wait(50)
        image = _save(main, "awkward-pages")
        assert not image.isNull()
        # two readings 22 months apart: no line joins them, so each is drawn as a dot
        lines = [main.charts.chart._lines[index] for index in range(3)]
        assert [len(line.lone_readings) for line in lines] == [2, 2, 2]
        main.table.selectAll()
        texts = {main.proxy.index(r, PAGE).data(): main.proxy.index(r, STATUS).data()
                 for r in range(5)}
        assert texts["No readings"] == "○ No data" and texts["Zero followers"] == "○ No data"
        assert texts["More talking than fans"] == "● Green"


def _use_scheme(window, scheme: theme.Theme, qtbot) -> None:
    """What the program does when the system scheme changes (ui.app._recolour)."""
    window.set_theme(scheme)
    qtbot.wait(20)  # the palette change reaches the widgets through the event loop


@pytest.mark.parametrize("scheme", [theme.LIGHT, theme.DARK], ids=["light", "dark"])
def test_screenshots_of_the_window_and_charts_show_the_status_colours(window, qtbot,
                                                                      scheme) -> None:
    name = "dark" if scheme.dark else "light"
    try:
        _use_scheme(window, scheme, qtbot)
        window.select_row(5)
        qtbot.wait(20)
        shot = _save(window, f"window-{name}")
        assert shot.width() >= 1400 and len(_colours(shot)) > 50
        found = _colours(shot, step=1)
        for status in (Status.RED, Status.AMBER, Status.GREEN):
            assert scheme.status[status] in found, status
        # the empty part of the table below the rows takes the scheme's background
        table = window.table.viewport()
        corner = table.mapTo(window, table.rect().bottomLeft()) + QPoint(20, -20)
        assert (shot.pixelColor(corner).lightness() < 80) == scheme.dark

        chart = _save(window.charts, f"chart-{name}")
        found = _colours(chart, step=1)
        for status in (Status.RED, Status.AMBER, Status.GREEN):
            assert scheme.bands[status] in found, status  # the bands behind the rate
        assert {scheme.followers, scheme.talking} <= found

        for row in range(5):
            window.table.selectionModel().select(
                window.proxy.index(row, 0),
                QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
        qtbot.wait(20)
        compare = _save(window.charts, f"chart-compare-{name}")
        found = _colours(compare, step=1)
        assert set(scheme.series[:5]) <= found
    finally:
        _use_scheme(window, theme.LIGHT, qtbot)


def test_with_no_page_selected_the_chart_says_what_to_do(window, qtbot) -> None:
    window.table.clearSelection()
    qtbot.waitUntil(lambda: window.charts.message.isVisible())
    assert not window.charts.layout_widget.isVisible()
    assert "Select a Page" in window.charts.message.text()
    assert window.charts.data_model.rowCount() == 0
    _save(window, "no-selection")
    window.select_row(0)
    qtbot.waitUntil(lambda: window.charts.layout_widget.isVisible())


def test_hovering_over_a_chart_reads_out_the_day_and_its_numbers(window, qtbot) -> None:
    window.select_row(0)
    qtbot.wait(20)
    page = window.charts.series[0]
    point = page.points[len(page.points) // 2]
    view = window.charts.layout_widget
    for plot in window.charts.plots:  # the same day read out from each stacked plot
        middle = plot.vb.viewRange()[1]
        scene = plot.vb.mapViewToScene(QPointF(point.day.toordinal(), sum(middle) / 2))
        QTest.mouseMove(view.viewport(), view.mapFromScene(scene))
        text = f"{point.day:%a %d %b %Y}: {point.followers:,} followers · " \
               f"{point.talking_about:,} talking about"
        qtbot.waitUntil(lambda text=text: window.charts.hover.text().startswith(text))
        QTest.mouseMove(view.viewport(), view.mapFromScene(scene) + QPoint(0, 1))
        window.charts.hover.setText(" ")


@pytest.mark.parametrize("scheme", [theme.LIGHT, theme.DARK])
def test_status_colours_meet_wcag_contrast(scheme: theme.Theme) -> None:
    for status, colour in scheme.status.items():
        assert theme.contrast(colour, scheme.background) >= 4.5, status
        if status is not Status.NO_DATA:
            assert theme.contrast(colour, scheme.bands[status]) >= 3.0, status
    for colour in (scheme.followers, scheme.talking, scheme.ratio, *scheme.series):
        assert theme.contrast(colour, scheme.background) >= 3.0, colour


def test_quit_when_ready_prints_the_timings(run_cli, demo_path: Path) -> None:
    result = run_cli("--db", str(demo_path), "--quit-when-ready",
                     env={"QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    line = result.stdout.strip().splitlines()[-1]
    table, chart = (int(part.split("=")[1]) for part in line.split())
    assert line.startswith("table_ms=") and 0 < table <= chart


def test_quit_when_ready_quits_when_the_worst_page_has_no_readings(run_cli,
                                                                  tmp_path: Path) -> None:
    # straight after connecting, before the first sync: Pages without a single reading
    path = tmp_path / "connected.sqlite"
    with open_store(path) as store:
        store.upsert_pages([page("1", "Kelderby Libraries"), page("2", "Kelderby Museums")])
    result = run_cli("--db", str(path), "--quit-when-ready",
                     env={"QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("table_ms=")


def test_quit_when_ready_on_a_foreign_file_exits_non_zero(run_cli, tmp_path: Path) -> None:
    bad = tmp_path / "x.sqlite"
    bad.write_text("hello")
    result = run_cli("--db", str(bad), "--quit-when-ready", env={"QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 1 and "not an SQLite file" in result.stderr


def test_portable_mode_is_said_in_the_status_bar(qtbot, tmp_path: Path, monkeypatch) -> None:
    import sys

    from engage_desktop.core import paths

    program = tmp_path / "program"
    program.mkdir()
    (program / paths.PORTABLE_MARKER).write_text("")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(program / "engage-desktop"))
    ui_app.application()
    with open_store(tmp_path / "p.sqlite") as store:
        main = MainWindow(store, theme.LIGHT, settings_for())
        qtbot.addWidget(main)
        assert main.age.text().startswith("No readings yet · Portable")
        assert main.settings.fileName() == str(program / "data" / "settings.ini")
        main.close()


def test_a_settings_file_edited_by_hand_does_not_stop_the_window(qtbot, demo_path: Path,
                                                                 tmp_path: Path) -> None:
    (tmp_path / "settings.ini").write_text(
        "[charts]\nrange=lots\nfrom=yesterday\nto=@Invalid()\n"
        "[window]\ngeometry=not a geometry\nsplitter=3\n", encoding="utf-8")
    from window_helpers import shown_window

    window = shown_window(qtbot, demo_path, tmp_path)
    try:
        assert window.range.currentIndex() == RANGES.index(("Last 12 months", 365))
        first, last = window.date_range()
        assert first < last
    finally:
        window.close()
        window.store.close()
