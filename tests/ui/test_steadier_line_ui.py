"""The steadier line (issue 18, item 5) where it is offered: the charts draw each line as its
7-day average with the daily values faint behind it, in items made once and refilled; exports
say so in their key and stay readable in grey; the export dialog's check box (on for the
briefing, off for charts unless chosen, remembered); the command line's --average / --daily;
and the window's View menu (Ctrl+7), remembered."""

from __future__ import annotations

import math
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QItemSelectionModel, QPointF, Qt
from PySide6.QtGui import QColor
from window_helpers import shown_window

from engage_desktop.core.demo import write_demo
from engage_desktop.core.engagement import audience, per_1000, trailing_average
from engage_desktop.core.store import open_store
from engage_desktop.core.timeutil import uk_day, utc_now
from engage_desktop.ui import app as ui_app
from engage_desktop.ui import briefing, rendering, theme
from engage_desktop.ui.charts import (
    AVERAGE_KEY,
    FAINT_WIDTH,
    CompareChart,
    SingleChart,
    faint,
    series_look,
)
from engage_desktop.ui.export_dialog import ExportDialog
from engage_desktop.ui.main_window import settings_for

TODAY = uk_day(utc_now())
FIRST = TODAY - timedelta(days=364)


def _ids(store, count: int) -> list[str]:
    return [page.id for page in store.pages()][:count]


def _rates(points) -> list[float | None]:
    return [per_1000(p.talking_about, audience(p.followers, p.fans)) for p in points]


def _finite(values) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    return values[np.isfinite(values)]


@pytest.mark.parametrize("pages", [1, 5], ids=["one Page", "compared"])
def test_the_lines_are_the_cores_averages_over_the_faint_daily_values(demo, pages) -> None:
    content = rendering.chart_content(demo, _ids(demo, pages), FIRST, TODAY, average=True)
    composition = rendering.Composition(content, rendering.PRESETS["document"])
    try:
        chart = composition.chart
        assert isinstance(chart, SingleChart if pages == 1 else CompareChart)
        for number, series in enumerate(content.series):
            line = chart._lines[-1] if pages == 1 else chart._lines[number]
            behind = chart._faint[-1] if pages == 1 else chart._faint[number]
            days = [p.day for p in series.points]
            rates = _rates(series.points)
            expected = _finite([v if v is not None else math.nan
                                for v in trailing_average(days, rates)])
            assert np.allclose(_finite(line.yData), expected)
            assert np.allclose(_finite(behind.yData), _finite(
                [math.nan if v is None else v for v in rates]))
            drawn = bool(_finite([math.nan if v is None else v for v in rates]).size)
            assert behind.isVisible() == line.isVisible() == drawn  # none: neither is
            # faint: thinner, lighter, solid, with no markers
            assert behind.pen.widthF() == pytest.approx(line.pen.widthF() * FAINT_WIDTH)
            assert behind.pen.color().lightness() > line.pen.color().lightness()
            assert not behind.pen.dashPattern() and behind._symbol is None
        # the key says what the lines are
        labels = [item.text for item in composition.widget.ci.items
                  if isinstance(getattr(item, "text", None), str)]
        assert f"Lines: {AVERAGE_KEY}" in labels
    finally:
        composition.close()


def test_in_grey_the_faint_line_is_lighter_than_every_average_line() -> None:
    """Printed in grey, each line's faint daily values are lighter than its average (and
    thinner), however dark or light the line's colour."""
    def grey(colour: QColor) -> float:  # the luminance a greyscale print shows
        return 0.299 * colour.redF() + 0.587 * colour.greenF() + 0.114 * colour.blueF()

    scheme = theme.EXPORT
    colours = [series_look(scheme, n).colour for n in range(12)]
    colours += [scheme.followers, scheme.talking, scheme.ratio]
    for colour in colours:
        ink, pale = QColor(colour), faint(colour, scheme.background)
        assert grey(pale) - grey(ink) >= 0.25, colour
        assert grey(pale) <= 0.92, colour  # still seen on white paper


def test_the_window_redraws_in_the_same_items_and_remembers_the_choice(
        qtbot, demo_path: Path, tmp_path: Path) -> None:
    main = shown_window(qtbot, demo_path, tmp_path)
    try:
        action = main.steady_line_action
        view = next(a.menu() for a in main.menuBar().actions() if a.text() == "&View")
        assert action in view.actions() and action.isCheckable() and not action.isChecked()
        assert action.shortcut().toString() == "Ctrl+7"
        panel = main.charts
        single = panel.single
        items = [set(plot.items) for plot in single.plots]
        assert not any(trace.isVisible() for trace in single._faint)
        assert not panel.key.isVisibleTo(panel)
        action.trigger()  # on
        assert action.isChecked() and single.averaged
        assert [set(plot.items) for plot in single.plots] == items  # refilled, none added
        assert all(trace.isVisible() for trace in single._faint if trace.has_values())
        assert panel.key.isVisibleTo(panel) and AVERAGE_KEY in panel.key.text()
        series = panel.series[0]
        day = series.points[-1].day
        steady = trailing_average([p.day for p in series.points], _rates(series.points))[-1]
        assert f"(7-day average {steady:.1f})" in panel._describe(day)
        # the Data tab has the averages drawn, beside the day's figures
        model = panel.data_model
        assert model.headers[-1] == "Per 1,000, 7-day average"
        assert model.index(0, len(model.headers) - 1).data() == f"{steady:.1f}"
        # several Pages compared: the same
        selection = main.table.selectionModel()
        selection.select(main.proxy.index(1, 0), QItemSelectionModel.SelectionFlag.Select
                         | QItemSelectionModel.SelectionFlag.Rows)
        assert panel.chart is panel.compare and panel.compare.averaged
        assert sum(trace.isVisible() for trace in panel.compare._faint) == 2
        assert [h.endswith(", 7-day average") for h in panel.data_model.headers] == [
            False, False, False, True, True]
        main.activateWindow()
        qtbot.waitUntil(main.isActiveWindow)  # shortcuts reach the active window
        qtbot.keyClick(main.table, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)  # off
        assert not action.isChecked() and not panel.compare.averaged
        assert not any(trace.isVisible() for trace in panel.compare._faint)
        assert panel.data_model.columnCount() == 3  # the date and the two Pages' rates
        action.trigger()  # on again, for the next session
    finally:
        main.close()
        main.store.close()
    again = shown_window(qtbot, demo_path, tmp_path)
    try:
        assert again.steady_line_action.isChecked() and again.charts.single.averaged
    finally:
        again.close()
        again.store.close()


def test_the_export_dialog_offers_it_on_for_the_briefing_off_for_charts(
        qtbot, demo, tmp_path: Path) -> None:
    settings = settings_for(tmp_path / "settings.ini")
    ui_app.application()
    dialog = ExportDialog(demo, _ids(demo, 3), FIRST, TODAY, settings)
    qtbot.addWidget(dialog)
    box = dialog.average
    assert box.text() == "Steadier &line: 7-day average" and box.accessibleName()
    dialog.what.setCurrentIndex(dialog.what.findData("chart"))
    assert not box.isChecked() and not dialog.chart_for_export().average
    dialog.what.setCurrentIndex(dialog.what.findData("briefing"))
    assert box.isChecked() and dialog.briefing_for_export().chart.average
    box.setChecked(False)  # this briefing without
    assert not dialog.briefing_for_export().chart.average
    dialog.what.setCurrentIndex(dialog.what.findData("chart"))
    box.setChecked(True)  # the chart with
    assert dialog.chart_for_export().average
    dialog.reject()
    again = ExportDialog(demo, _ids(demo, 3), FIRST, TODAY, settings)
    qtbot.addWidget(again)
    again.what.setCurrentIndex(again.what.findData("chart"))
    assert again.average.isChecked()
    again.what.setCurrentIndex(again.what.findData("briefing"))
    assert not again.average.isChecked()
    again.reject()


def test_the_briefing_draws_it_by_default(demo) -> None:
    assert briefing.briefing_content(demo).chart.average
    assert not briefing.briefing_content(demo, average=False).chart.average
    with_key = briefing._chart(briefing.briefing_content(demo).chart)
    without = briefing._chart(briefing.briefing_content(demo, average=False).chart)
    assert with_key.height == without.height + briefing.KEY_HEIGHT  # the plot keeps its room


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_the_command_line_flags(run_cli, tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite"
    with open_store(db) as store:
        write_demo(store)
        ids = _ids(store, 2)
    env = {"QT_QPA_PLATFORM": "offscreen"}

    def words(path: Path) -> str:
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout

    runs = {
        "briefing": ("export", "briefing", "--out"),
        "briefing-daily": ("export", "briefing", "--daily", "--out"),
        "chart": ("export", "chart", "--page", *ids, "--out"),
        "chart-average": ("export", "chart", "--page", *ids, "--average", "--out"),
    }
    for name, args in runs.items():
        out = tmp_path / f"{name}.pdf"
        result = run_cli("--db", str(db), *args, str(out), env=env)
        assert result.returncode == 0, result.stderr
        said = AVERAGE_KEY in " ".join(words(out).split())
        assert said == (name in ("briefing", "chart-average")), name
    both = run_cli("--db", str(db), "export", "chart", "--page", ids[0], "--average",
                   "--daily", "--out", str(tmp_path / "x.png"), env=env)
    assert both.returncode == 2 and "not allowed with argument" in both.stderr


@pytest.mark.parametrize("pages", [1, 8], ids=["one Page", "the briefing's eight"])
def test_band_words_are_shown_only_where_no_reading_lies_under_them(demo, pages) -> None:
    """Words half hidden under lines read as stray figures ("20"): a band crossed all along
    has none (the key under the chart says what it means); one Page's bands keep theirs."""
    ids = ([page.id for page in demo.pages() if page.name == "Kelderby Youth Service"]
           if pages == 1 else _ids(demo, pages))
    content = rendering.chart_content(demo, ids, FIRST, TODAY, average=True)
    composition = rendering.Composition(content, rendering.PRESETS["document"])
    try:
        chart = composition.chart
        plot = chart.plots[-1]
        points = [plot.vb.mapViewToScene(QPointF(x, y))
                  for trace in chart._traces_of(plot)
                  for x, y in zip(trace.xData, trace.yData, strict=True)
                  if math.isfinite(x) and math.isfinite(y)]
        shown = [words for words in chart._band_words if words.isVisible()]
        for words in shown:
            margin = words.textItem.document().documentMargin()  # around the glyphs
            area = words.mapRectToScene(words.boundingRect().adjusted(0, margin, 0, -margin))
            assert not any(area.contains(point) for point in points), words.toPlainText()
        if pages == 1:  # its rate leaves room on each band
            assert len(shown) == 3
    finally:
        composition.close()
