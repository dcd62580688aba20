"""Charts of a Page's followers, talking-about and rate per 1,000 over time (pyqtgraph), with
a Data tab holding the same numbers as a table.

The time axis counts days (``date.toordinal()``), labelled by the axis below, so the UK clock
changes cannot shift a point to the wrong day (pyqtgraph's DateAxisItem assumes local time).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import NamedTuple

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QColor, QFont, QFontMetrics, QPen
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from engage_desktop.core.engagement import Mode, Status, Thresholds, audience, per_1000
from engage_desktop.core.models import Annotation, DailyReading
from engage_desktop.core.timeutil import EARLIEST_DAY, LATEST_DAY
from engage_desktop.ui import plain
from engage_desktop.ui.plain import markup, mnemonic_safe, one_line, short
from engage_desktop.ui.theme import Theme

pg.setConfigOptions(antialias=True)
NOTHING_SELECTED = ("Select a Page in the traffic light to see its history; select several "
                    "(Ctrl or Shift) to compare them.")
GAP_DAYS = 3  # a longer gap between readings is drawn as a gap, not a straight line
NEAR_DAYS = 3  # the chart's menu offers to edit the notes this close to the day clicked
NEAR_PIXELS = 12  # ... or this close on screen, when a day is narrower than a pixel
MAX_COMPARED = 12  # lines a person can tell apart on one chart; more are named, not drawn
SERIES_STYLES = (Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine)
FIRST_DAY, LAST_DAY = date.min.toordinal(), date.max.toordinal()
_YEAR_STEPS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000)


@dataclass(frozen=True)
class PageSeries:
    page_id: str
    name: str
    points: list[DailyReading]


class DayAxis(pg.AxisItem):
    """Labels day numbers (``date.toordinal()``) as dates: Mondays for short ranges, month
    starts for longer ones, and years (every 1, 2, 5, 10… years) for the longest, so any
    range from one day to the whole calendar (year 1 to 9999) gets a handful of ticks."""

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:
        if not (math.isfinite(minVal) and math.isfinite(maxVal)):
            return []
        low = min(max(FIRST_DAY, math.ceil(minVal)), LAST_DAY)
        high = min(max(FIRST_DAY, math.floor(maxVal)), LAST_DAY)
        if high < low:
            return []
        first, last = date.fromordinal(low), date.fromordinal(high)
        span = high - low
        most = max(2.0, size / 75)  # ticks that fit with their labels
        if span < 7:  # a few days: each day, or every other
            step = max(1, math.ceil((span + 1) / most))
            return [(step, list(range(low, high + 1, step)))]
        if span <= 100:
            weeks = max(1, math.ceil(span / 7 / max(2, size / 80)))
            monday = first + timedelta(days=(7 - first.weekday()) % 7)
            ticks = []
            while monday <= last:
                ticks.append(monday.toordinal())
                monday += timedelta(weeks=weeks)
            return [(7 * weeks, ticks)]
        months = next((m for m in (1, 2, 3, 6) if span / (30.4 * m) <= most), None)
        if months is not None:
            ticks = []
            month = date(first.year, first.month, 1)
            while month <= last:
                if month >= first and (month.month - 1) % months == 0:
                    ticks.append(month.toordinal())
                if month.year == 9999 and month.month == 12:
                    break
                month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
            return [(30 * months, ticks)]
        years = next(step for step in _YEAR_STEPS if span / (365.25 * step) <= most)
        start = first.year if first == date(first.year, 1, 1) else first.year + 1
        start += -start % years
        ticks = [date(year, 1, 1).toordinal()
                 for year in range(start, last.year + 1, years) if year >= 1]
        return [(365 * years, ticks)]

    def tickStrings(self, values: list, scale: float, spacing: float) -> list[str]:
        labels = []
        for value in values:
            day = date.fromordinal(min(max(FIRST_DAY, round(value)), LAST_DAY))
            labels.append(str(day.year) if spacing >= 365 else
                          f"{day:%b} {day.year}" if spacing >= 28 else f"{day:%d %b}")
        return labels


class CountAxis(pg.AxisItem):
    """A value axis with thousands separators ("24,500"), as the table writes numbers."""

    def tickStrings(self, values: list, scale: float, spacing: float) -> list[str]:
        if spacing * scale < 1:
            return super().tickStrings(values, scale, spacing)
        return [f"{value * scale:,.0f}" for value in values]


class ChartStyle(NamedTuple):
    """Sizes for a chart's text and lines, in layout pixels; None keeps pyqtgraph's own.
    Exports set them all. (Pixels, not points: a point size would be scaled twice when the
    chart is painted onto a device of higher resolution.)"""

    text_px: float | None = None  # axis numbers and band labels
    label_px: float | None = None  # axis titles, legend, notes
    title_px: float | None = None
    line: float = 2.0
    dot: float = 7.0
    plot_titles: bool = True  # the Page's name (or "Comparing N Pages") above the plots
    band_labels: bool = True  # the status words beside the bands (exports have a key instead)
    rate_title: str = "Per 1,000 followers"  # the rate axis's title (short in small exports)
    # Lines are smoothed (antialiased) while a plot holds at most this many readings: above
    # it, painting a comparison smoothly takes Qt a second or more on every repaint. None:
    # always (exports, painted once).
    smooth_up_to: int | None = 2500


def series_pen(theme: Theme, number: int, width: float) -> QPen:
    """The pen of the ``number``-th compared Page: a colour-blind-safe colour, and a line
    style that tells the Pages apart again when the colours run out (or print in grey)."""
    colours = theme.series
    style = SERIES_STYLES[number // len(colours) % len(SERIES_STYLES)]
    return pg.mkPen(colours[number % len(colours)], width=width, style=style)


class _Line:
    """A line of readings and the dots of its lone readings (a reading with no neighbour has
    no line to be part of). Made once with its plot and refilled; never removed."""

    def __init__(self, plot: pg.PlotItem) -> None:
        self.line = pg.PlotDataItem(connect="finite")
        self.dots = pg.PlotDataItem(pen=None, symbol="o")
        plot.addItem(self.line)
        plot.addItem(self.dots)

    def set(self, xs: np.ndarray, ys: np.ndarray, pen: QPen, dot: float, name: str,
            smooth: bool = True) -> None:
        known = ~np.isnan(ys)
        before = np.concatenate(([False], known[:-1]))
        after = np.concatenate((known[1:], [False]))
        alone = known & ~before & ~after
        self.line.setPen(pen)
        self.line.opts["name"] = name  # the legend's text
        self.line.opts["antialias"] = smooth
        self.line.setData(xs, ys)
        self.dots.setData(xs[alone], ys[alone], symbolSize=dot,
                          symbolBrush=pg.mkBrush(pen.color()), symbolPen=pg.mkPen(pen.color()))
        self.line.show()
        self.dots.show()

    def clear(self) -> None:
        self.line.opts["name"] = None
        self.line.setData([], [])
        self.dots.setData([], [])
        self.line.hide()
        self.dots.hide()


def _no_minimum_width(label: pg.LabelItem) -> None:
    """pyqtgraph's ``LabelItem.updateMin``, asking for the text's height only."""
    pg.LabelItem.updateMin(label)
    height = label.minimumHeight()
    label.setMinimumWidth(0)
    for hint in (Qt.SizeHint.MinimumSize, Qt.SizeHint.PreferredSize):
        label._sizeHint[hint] = (0, height)
    label.updateGeometry()


class _Chart:
    """Plots stacked in a pyqtgraph layout, made once with every item they can show: each
    drawing refills the items (setData, setRegion, setPos) and hides the ones not needed.
    No item is ever removed from its plot or moved to another scene, so none is left for
    Python's garbage collector to free while Qt may still paint it."""

    titles: tuple[str, ...] = ()

    def __init__(self, layout: pg.GraphicsLayout, theme: Theme,
                 style: ChartStyle = ChartStyle()) -> None:  # noqa: B008
        self.layout = layout
        self.theme = theme
        self.style = style
        self.series: list[PageSeries] = []
        self.drawing = False  # True while a drawing sets the ranges (not the officer)
        self.shown: tuple[date, date] | None = None  # the days drawn
        self._title_text = ""  # the title in full, when the plots have one
        self.plots = [self._make_plot(title) for title in self._titles()]
        for row, plot in enumerate(self.plots):
            layout.addItem(plot, row=row, col=0)
        for plot in self.plots[1:]:
            plot.setXLink(self.plots[0])
        self._notes: list[list[pg.InfiniteLine]] = [[] for _ in self.plots]
        self._empty = []
        for index, plot in enumerate(self.plots):
            text = pg.TextItem(anchor=(0.5, 0.5))
            text.setZValue(20)
            text.hide()
            plot.addItem(text)
            self._empty.append(text)
            plot.vb.sigResized.connect(lambda _view, index=index: self._rewrap(index))
        rate = self.plots[-1]
        self._bands = []
        for _ in (Status.RED, Status.AMBER, Status.GREEN):
            band = pg.LinearRegionItem((0, 1), orientation="horizontal", movable=False,
                                       pen=pg.mkPen(None))
            band.setZValue(-10)
            rate.addItem(band)
            self._bands.append(band)
        self.set_theme(theme)

    def _titles(self) -> tuple[str, ...]:
        return self.titles

    def _make_plot(self, title: str) -> pg.PlotItem:
        axes = {"bottom": DayAxis(orientation="bottom"), "left": CountAxis(orientation="left")}
        if self.style.band_labels:
            axes["right"] = pg.AxisItem(orientation="right")
        plot = pg.PlotItem(axisItems=axes)
        # pyqtgraph's title asks for its text's width, so a long Page name would push the
        # plots beyond the view: it asks for none, and the chart cuts it to fit (_fit_title)
        plot.titleLabel.updateMin = partial(_no_minimum_width, plot.titleLabel)
        style = self.style
        sides = ("left", "bottom", "right") if style.band_labels else ("left", "bottom")
        if style.text_px:
            for side in sides:
                plot.getAxis(side).setStyle(tickFont=_font(style.text_px),
                                            tickTextOffset=max(3, round(style.text_px / 3)))
        plot.setLabel("left", title, **_css_size(style.label_px))
        # One width for every value axis, room for "9,999,999" and the axis title: the
        # stacked plots' time axes line up, and the title never overlaps the numbers.
        left = plot.getAxis("left")
        metrics = QFontMetrics(left.style["tickFont"] or QFont())
        left.setWidth(metrics.horizontalAdvance("9,999,999") + 2 * metrics.height() + 10)
        if style.band_labels:
            # the status words beside the rate's bands, never over its newest readings; the
            # other plots keep the same width, so the time axes still line up
            plot.showAxis("right")
            right = plot.getAxis("right")
            right.setWidth(metrics.horizontalAdvance("▲ Amber") + 12)
            right.setTicks([[]])
        plot.showGrid(x=True, y=True, alpha=0.25)
        plot.setMenuEnabled(False)
        plot.hideButtons()  # pyqtgraph's "A" button: the window has its own Reset view
        plot.getViewBox().setMouseEnabled(x=True, y=False)
        return plot

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        for plot in self.plots:
            for side in ("left", "bottom", "right"):
                if side in plot.axes:
                    axis = plot.getAxis(side)
                    axis.setPen(theme.grid)
                    axis.setTextPen(theme.text)
            left = plot.getAxis("left")
            left.setLabel(left.labelText, color=theme.text, **_css_size(self.style.label_px))
        for text in self._empty:
            text.setColor(theme.muted)
        for status, band in zip((Status.RED, Status.AMBER, Status.GREEN), self._bands,
                                strict=True):
            band.setBrush(pg.mkBrush(theme.bands[status]))

    # Drawing --------------------------------------------------------------------------------

    def _start(self, series: Sequence[PageSeries], first: date, last: date) -> None:
        self.series = list(series)
        self.shown = (first, last)
        low, high = first.toordinal(), last.toordinal()
        if high <= low:  # one day: half a day either side
            low, high = low - 0.5, high + 0.5
        self.plots[0].setXRange(low, high, padding=0.01)

    def _smooth(self, readings: int) -> bool:
        return self.style.smooth_up_to is None or readings <= self.style.smooth_up_to

    def _title(self, text: str) -> None:
        if self.style.plot_titles:
            self._title_text = short(text)
            self._fit_title()

    def _fit_title(self) -> None:
        """The title, cut short when it is wider than its plot (a long Page name)."""
        plot, text = self.plots[0], self._title_text
        # a title is drawn as rich text: a Page's name is shown as written, never as markup
        plot.setTitle(markup(text), color=self.theme.text, **_size(self.style.title_px))
        room, width = plot.vb.width(), plot.titleLabel.itemRect().width()
        if 0 < room < width:
            text = short(text, max(8, int(len(text) * room / width)))
            plot.setTitle(markup(text), color=self.theme.text, **_size(self.style.title_px))

    def _values_range(self, index: int, values: np.ndarray, empty: str) -> None:
        """The value axis from the finite values only; a plot with none says so."""
        plot = self.plots[index]
        finite = values[np.isfinite(values)]
        if finite.size:
            low, high = float(finite.min()), float(finite.max())
            pad = (high - low) * 0.08 or max(1.0, abs(high) * 0.05)
            plot.setYRange(max(0.0, low - pad) if low >= 0 else low - pad, high + pad,
                           padding=0)
            self._filled(index)
        else:
            plot.setYRange(0, 1, padding=0)
            self._say_empty(index, empty)

    def _say_empty(self, index: int, words: str) -> None:
        """Words in the middle of an empty plot, wrapped within it, and no value ticks."""
        first, last = self.shown
        text, plot = self._empty[index], self.plots[index]
        text.setText(words)
        text.setTextWidth(max(120.0, plot.vb.width() * 0.9))
        text.setPos((first.toordinal() + last.toordinal()) / 2, 0.5)
        text.show()
        plot.getAxis("left").setTicks([[]])

    def _filled(self, index: int) -> None:
        """A plot with figures: no empty-plot words, its value ticks back."""
        self._empty[index].hide()
        self.plots[index].getAxis("left").setTicks(None)

    def _rewrap(self, index: int) -> None:
        """The plot was resized: its title and its empty-plot words fit its new width."""
        if index == 0 and self._title_text:
            self._fit_title()
        text = self._empty[index]
        if text.isVisible():
            text.setTextWidth(max(120.0, self.plots[index].vb.width() * 0.9))

    def _rate_range(self, thresholds: Thresholds, values: np.ndarray, empty: str) -> None:
        """The rate's axis and the red, amber and green bands behind it (absolute thresholds
        only), from finite values."""
        plot = self.plots[-1]
        finite = values[np.isfinite(values)]
        absolute = thresholds.mode is not Mode.RELATIVE
        if absolute:
            top = max([thresholds.green * 1.6, *finite.tolist()]) * 1.05
        else:
            top = float(finite.max()) * 1.1 if finite.size and finite.max() > 0 else 1.0
        plot.setYRange(0, top, padding=0)
        limits = ((0, thresholds.amber), (thresholds.amber, thresholds.green),
                  (thresholds.green, top))
        ticks = []
        for status, band, (low, high) in zip((Status.RED, Status.AMBER, Status.GREEN),
                                             self._bands, limits, strict=True):
            band.setVisible(absolute)
            band.setRegion((low, high))
            ticks.append(((low + high) / 2, f"{status.shape} {status.word}"))
        if self.style.band_labels:
            plot.getAxis("right").setTicks([ticks if absolute else []])
        if finite.size:
            self._filled(len(self.plots) - 1)
        else:
            self._say_empty(len(self.plots) - 1, empty)
            self._empty[-1].setPos(self._empty[-1].pos().x(), top / 2)

    def _annotate(self, annotations: Sequence[Annotation]) -> None:
        """A dashed line on each note's day in every plot; the top plot names the notes."""
        for index, plot in enumerate(self.plots):
            pool = self._notes[index]
            labelled = index == 0
            while len(pool) < len(annotations):
                line = pg.InfiniteLine(angle=90, movable=False,
                                       label="" if labelled else None,
                                       labelOpts={"anchors": [(0, 0), (0, 0)]})
                if labelled and self.style.label_px:
                    line.label.setFont(_font(self.style.label_px))
                plot.addItem(line)
                pool.append(line)
            pen = pg.mkPen(self.theme.annotation, width=1, style=Qt.PenStyle.DashLine)
            for number, line in enumerate(pool):
                if number >= len(annotations):
                    line.hide()
                    continue
                note = annotations[number]
                line.show()
                line.setPen(pen)
                line.setPos(note.day.toordinal())
                if labelled:
                    label = line.label
                    label.show()
                    label.setColor(self.theme.annotation)
                    # see-through enough that a line behind it still shows
                    label.fill = pg.mkBrush(_translucent(self.theme.background, 170))
                    # staggered, so notes close together do not print over each other
                    label.setPosition(0.96 - 0.08 * (number % 4))
                    text = f"{note.day:%d %b}: {one_line(short(note.text, 40))}"
                    label.setFormat(text.replace("{", "{{").replace("}", "}}"))


class SingleChart(_Chart):
    """One Page: followers, talking about and the rate per 1,000, stacked."""

    def _titles(self) -> tuple[str, ...]:
        return ("Followers", "Talking about", self.style.rate_title)

    def __init__(self, layout: pg.GraphicsLayout, theme: Theme,
                 style: ChartStyle = ChartStyle()) -> None:  # noqa: B008
        super().__init__(layout, theme, style)
        self._lines = [_Line(plot) for plot in self.plots]

    def draw(self, page: PageSeries, annotations: Sequence[Annotation],
             thresholds: Thresholds, first: date, last: date) -> None:
        self.drawing = True
        try:
            self._start([page], first, last)
            self._title(page.name)
            days = [p.day.toordinal() for p in page.points]
            values = ([audience(p.followers, p.fans) for p in page.points],
                      [p.talking_about for p in page.points],
                      [per_1000(p.talking_about, audience(p.followers, p.fans))
                       for p in page.points])
            colours = (self.theme.followers, self.theme.talking, self.theme.ratio)
            names = ("Followers", "Talking about", "Per 1,000")
            span = _span_words(first, last)
            empty = (f"No follower figures {span}",
                     f"No talking-about figures {span}: Meta gives none for some Pages "
                     "(and none for days before they were followed here)",
                     f"No rate {span}: it needs both followers and talking about")
            smooth = self._smooth(len(days))
            for index, line in enumerate(self._lines):
                xs, ys = _with_gaps(days, values[index])
                line.set(xs, ys, pg.mkPen(colours[index], width=self.style.line),
                         self.style.dot, names[index], smooth)
                if index < 2:
                    self._values_range(index, ys, empty[index])
                else:
                    self._rate_range(thresholds, ys, empty[index])
            self._annotate(annotations)
        finally:
            self.drawing = False


class CompareChart(_Chart):
    """Several Pages: their rates per 1,000 on one plot, at most ``MAX_COMPARED`` lines."""

    titles = ("Talking about per 1,000 followers",)

    def __init__(self, layout: pg.GraphicsLayout, theme: Theme,
                 style: ChartStyle = ChartStyle()) -> None:  # noqa: B008
        super().__init__(layout, theme, style)
        self._lines = [_Line(self.plots[0]) for _ in range(MAX_COMPARED)]

    def draw(self, series: Sequence[PageSeries], annotations: Sequence[Annotation],
             thresholds: Thresholds, first: date, last: date) -> None:
        self.drawing = True
        try:
            series = list(series)[:MAX_COMPARED]
            self._start(series, first, last)
            self._title(f"Comparing {len(series)} Pages")
            everything = [np.empty(0)]
            smooth = self._smooth(sum(len(page.points) for page in series))
            for number, line in enumerate(self._lines):
                if number >= len(series):
                    line.clear()
                    continue
                page = series[number]
                xs, ys = _with_gaps(
                    [p.day.toordinal() for p in page.points],
                    [per_1000(p.talking_about, audience(p.followers, p.fans))
                     for p in page.points])
                line.set(xs, ys, series_pen(self.theme, number, self.style.line),
                         self.style.dot, page.name, smooth)
                everything.append(ys)
            self._rate_range(thresholds, np.concatenate(everything),
                             f"No rates {_span_words(first, last)} for these Pages")
            self._annotate(annotations)
        finally:
            self.drawing = False

    def legend_entries(self) -> list[tuple[pg.PlotDataItem, str]]:
        """The drawn lines and their Pages' names, in the order compared (a Page with no
        rate in the range has no line, so no entry: ``without_rates`` names it)."""
        return [(line.line, page.name) for line, page in zip(self._lines, self.series,
                                                              strict=False)
                if _has_values(line.line)]

    def without_rates(self) -> list[str]:
        return [page.name for line, page in zip(self._lines, self.series, strict=False)
                if not _has_values(line.line)]


def make_chart(layout: pg.GraphicsLayout, theme: Theme, style: ChartStyle,
               series: Sequence[PageSeries], annotations: Sequence[Annotation],
               thresholds: Thresholds, first: date, last: date) -> SingleChart | CompareChart:
    """A chart drawn once (exports): one Page stacked, several compared."""
    if len(series) == 1:
        single = SingleChart(layout, theme, style)
        single.draw(series[0], annotations, thresholds, first, last)
        return single
    compare = CompareChart(layout, theme, style)
    compare.draw(series, annotations, thresholds, first, last)
    return compare


class ChartPanel(QWidget):
    """The charts for the selected Page(s) and their Data tab.

    The one-Page chart and the comparison are made once, each in its own view, and shown in
    turn; drawing only refills them. Right-clicking the charts offers to add a note on the
    day under the pointer, to edit the notes drawn near it, and the chart actions (such as
    Copy chart). Zooming or panning with the mouse emits ``view_changed`` with the days now
    in view; ``reset_button`` asks for the range before the zoom."""

    # (day, the note to edit or None to add one) from the chart's menu
    note_requested = Signal(object, object)
    view_changed = Signal(object, object)  # (first, last) days after a zoom or pan

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.theme = theme
        self.annotations: list[Annotation] = []  # the notes drawn
        self._hover_day: date | None = None
        self._last_day: date | None = None
        self._drawn: tuple | None = None  # what show_pages was given last (for a new theme)
        # how the menu is shown (tests look at it instead)
        self.run_menu = lambda menu, position: menu.exec(position)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Charts and data")
        self.single_widget = self._view("Chart of one Page",
                                        "Followers, people talking about the Page, and talking "
                                        "about per 1,000 followers over time.")
        self.compare_widget = self._view("Chart comparing Pages",
                                         "Talking about per 1,000 followers of each selected "
                                         "Page over time.")
        # three stacked plots stay readable (at least 60 pixels each)
        self.single_widget.setMinimumHeight(330)
        self.compare_widget.setMinimumHeight(200)
        self.single = SingleChart(self.single_widget.ci, theme)
        self.compare = CompareChart(self.compare_widget.ci, theme)
        self.legend = QLabel()
        self.legend.setAccessibleName("Legend")
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Minimum)
        compare_page = QWidget()
        compare_layout = QVBoxLayout(compare_page)
        compare_layout.setContentsMargins(0, 0, 0, 0)
        compare_layout.addWidget(self.compare_widget, 1)
        compare_layout.addWidget(self.legend)
        self.message = QLabel(NOTHING_SELECTED)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Chart")
        # a line saying what to do when no Page is selected, or one of the two charts
        self.chart_page = QStackedWidget()
        self.chart_page.addWidget(self.message)
        self.chart_page.addWidget(self.single_widget)
        self.chart_page.addWidget(compare_page)
        self.hover = plain.label(" ")
        self.hover.setAccessibleName("Values at the pointer")
        self.hover.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hover.setWordWrap(True)
        # the readout wraps instead of widening the panel (and squeezing the traffic light)
        self.hover.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Minimum)
        self.reset_button = QPushButton("&Reset view")
        self.reset_button.setAccessibleName("Reset view")
        self.reset_button.setToolTip("Back to the date range chosen before zooming")
        self.reset_button.hide()
        readout = QHBoxLayout()
        readout.setContentsMargins(4, 0, 4, 0)
        readout.addWidget(self.hover, 1)
        readout.addWidget(self.reset_button)
        chart_tab = QWidget()
        chart_layout = QVBoxLayout(chart_tab)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        chart_layout.addWidget(self.chart_page, 1)
        chart_layout.addLayout(readout)
        self.table = QTableView()
        self.table.setAccessibleName("Chart data")
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setResizeContentsPrecision(60)
        self.data_model = SeriesTable()
        self.table.setModel(self.data_model)
        self.tabs.addTab(chart_tab, "&Chart")
        self.tabs.addTab(self.table, "&Data")
        self._table_stale = False  # the Data tab's columns are sized for other numbers
        self.tabs.currentChanged.connect(self._tab_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self._mice = []
        for widget, chart in ((self.single_widget, self.single),
                              (self.compare_widget, self.compare)):
            mouse = pg.SignalProxy(widget.scene().sigMouseMoved, rateLimit=30,
                                   slot=self._moved)
            mouse.setParent(self)  # deleted with the panel, by Qt, on this thread
            self._mice.append(mouse)
            view = chart.plots[0].vb
            # the date fields' limits: a zoom never goes where no date can be typed
            view.setLimits(xMin=EARLIEST_DAY.toordinal() - 1, xMax=LATEST_DAY.toordinal() + 1,
                           minXRange=1)
            view.sigXRangeChanged.connect(
                lambda _view, _range, chart=chart: self._x_changed(chart))
        self._apply_background()

    def _view(self, name: str, description: str) -> pg.GraphicsLayoutWidget:
        view = pg.GraphicsLayoutWidget()
        view.setAccessibleName(name)
        view.setAccessibleDescription(description + " The Data tab has the same numbers as a "
                                      "table.")
        view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._context_menu)
        return view

    def add_chart_action(self, action: QAction) -> None:
        """An action offered in both charts' menus (and with their shortcuts)."""
        self.single_widget.addAction(action)
        self.compare_widget.addAction(action)

    def set_theme(self, theme: Theme) -> None:
        """Colours for a new scheme; the charts shown are drawn again in them."""
        self.theme = theme
        self.single.set_theme(theme)
        self.compare.set_theme(theme)
        self._apply_background()
        if self._drawn is not None:
            self.show_pages(*self._drawn)

    def _apply_background(self) -> None:
        self.single_widget.setBackground(self.theme.background)
        self.compare_widget.setBackground(self.theme.background)

    # Drawing --------------------------------------------------------------------------------

    @property
    def chart(self) -> SingleChart | CompareChart | None:
        """The chart shown (None when no Page is selected)."""
        return {1: self.single, 2: self.compare}.get(self.chart_page.currentIndex())

    @property
    def layout_widget(self) -> pg.GraphicsLayoutWidget:
        """The view of the chart shown (the one-Page view when none is)."""
        return self.compare_widget if self.chart is self.compare else self.single_widget

    @property
    def plots(self) -> list[pg.PlotItem]:
        chart = self.chart
        return chart.plots if chart is not None else []

    @property
    def series(self) -> list[PageSeries]:
        chart = self.chart
        return chart.series if chart is not None else []

    def show_pages(self, series: Sequence[PageSeries], annotations: Sequence[Annotation],
                   thresholds: Thresholds, first: date, last: date,
                   left_out: Sequence[str] = ()) -> None:
        """One Page: followers, talking about and the rate, stacked; several: their rates
        compared on one chart (``left_out`` names the selected Pages beyond the cap)."""
        self._drawn = (list(series), list(annotations), thresholds, first, last,
                       list(left_out))
        self.annotations = list(annotations)
        self._last_day, self._hover_day = last, None
        if len(series) == 1:
            self.single.draw(series[0], annotations, thresholds, first, last)
            self.chart_page.setCurrentIndex(1)
        elif series:
            self.compare.draw(series, annotations, thresholds, first, last)
            self.legend.setText(self._legend_text(left_out))
            self.chart_page.setCurrentIndex(2)
        else:
            self.chart_page.setCurrentIndex(0)
        self.hover.setText(" ")
        self._fill_table()

    def _legend_text(self, left_out: Sequence[str]) -> str:
        samples = []
        without = set(self.compare.without_rates())
        for number, page in enumerate(self.compare.series):
            pen = series_pen(self.theme, number, 1)
            sample = "━━━" if pen.style() == Qt.PenStyle.SolidLine else "╍╍╍"
            missing = " (no rate)" if page.name in without else ""
            # a Page's sample and name are never split over two lines
            name = markup(short(page.name) + missing).replace(" ", "&nbsp;")
            samples.append(f"<span style='color:{pen.color().name()}'>{sample}</span>&nbsp;"
                           f"{name}")
        text = " &nbsp; ".join(samples)
        if left_out:
            named = ", ".join(markup(short(name)) for name in left_out[:3])
            more = f" and {len(left_out) - 3} more" if len(left_out) > 3 else ""
            text += (f"<br><b>{len(left_out)} selected Page{'s' if len(left_out) > 1 else ''} "
                     f"not drawn</b> (a chart compares at most {MAX_COMPARED}): "
                     f"{named}{more}.")
        return text

    def _x_changed(self, chart: _Chart) -> None:
        """The officer zoomed or panned: say which days are now in view."""
        if chart.drawing or chart is not self.chart or chart.shown is None:
            return
        low, high = chart.plots[0].vb.viewRange()[0]
        if not (math.isfinite(low) and math.isfinite(high)):
            return
        first = date.fromordinal(min(max(EARLIEST_DAY.toordinal(), math.ceil(low)),
                                     LATEST_DAY.toordinal()))
        last = date.fromordinal(min(max(first.toordinal(), math.floor(high)),
                                    LATEST_DAY.toordinal()))
        if (first, last) != chart.shown:
            self.view_changed.emit(first, last)

    # Notes: the chart's menu ----------------------------------------------------------------

    def day_at(self, scene_pos: QPointF) -> date | None:
        """The day under a point of the chart's scene (None outside the plots), within the
        days shown."""
        for plot in self.plots if self.series else []:
            if plot.sceneBoundingRect().contains(scene_pos):
                low, high = plot.vb.viewRange()[0]
                x = min(max(plot.vb.mapSceneToView(scene_pos).x(), low), high)
                return date.fromordinal(max(1, round(x)))
        return None

    def notes_near(self, day: date) -> list[Annotation]:
        """The notes drawn within a few days of ``day`` (or a few pixels), nearest first."""
        near = NEAR_DAYS
        if self.plots:
            near = max(near, round(self.plots[0].vb.viewPixelSize()[0] * NEAR_PIXELS))
        notes = [n for n in self.annotations if abs((n.day - day).days) <= near]
        return sorted(notes, key=lambda n: (abs((n.day - day).days), n.day, n.id))

    def note_menu(self, scene_pos: QPointF) -> QMenu:
        """The chart's menu for a point of its scene: add a note on the day there, edit the
        notes near it, then the chart's own actions (Copy chart). The menu belongs to the
        chart (deleted with it); whoever shows it deletes it after."""
        menu = QMenu(self.layout_widget)
        menu.setAccessibleName("Chart menu")
        # the keyboard's menu key points at no day: the day last pointed at, or the last shown
        day = self.day_at(scene_pos) or self._hover_day or self._last_day
        if day is not None and self.series:
            add = menu.addAction(f"&Add a note on {day.day} {day:%b %Y}…")
            add.triggered.connect(lambda: self.note_requested.emit(day, None))
            names = {s.page_id: s.name for s in self.series}
            for note in self.notes_near(day):
                # whom it is for, unless it is the one Page charted
                whom = ", all Pages" if note.page_id is None else "" if len(
                    self.series) == 1 else f", {short(names.get(note.page_id, ''), 24)}"
                label = f"Edit note: {note.day.day} {note.day:%b}{whom}: {short(note.text, 32)}"
                edit = menu.addAction(mnemonic_safe(
                    one_line(label if label.endswith("…") else label + "…")))
                edit.triggered.connect(
                    lambda _=False, note=note: self.note_requested.emit(note.day, note))
            menu.addSeparator()
        menu.addActions(self.layout_widget.actions())
        return menu

    def _context_menu(self, position: QPoint) -> None:
        viewport = self.layout_widget.viewport()
        scene_pos = self.layout_widget.mapToScene(viewport.mapFrom(self.layout_widget,
                                                                    position))
        menu = self.note_menu(QPointF(scene_pos))
        try:
            self.run_menu(menu, self.layout_widget.mapToGlobal(position))
        finally:
            menu.deleteLater()

    # The Data tab and hover -----------------------------------------------------------------

    def _tab_changed(self, index: int) -> None:
        if index == 1 and self._table_stale:
            self._table_stale = False
            self.table.resizeColumnsToContents()

    def _fill_table(self) -> None:
        """The Data tab's model is refilled at once (it formats only the rows shown); its
        columns are sized when the tab is shown."""
        self.data_model.set_series(self.series)
        self._table_stale = self.tabs.currentIndex() != 1
        if not self._table_stale:
            self.table.resizeColumnsToContents()

    def _moved(self, event: tuple) -> None:
        if not self.plots or not self.series:
            return
        position = event[0]
        for plot in self.plots:
            if plot.sceneBoundingRect().contains(position):
                day = date.fromordinal(max(1, round(
                    plot.vb.mapSceneToView(position).x())))
                self._hover_day = day
                self.hover.setText(self._describe(day))
                return

    def _describe(self, day: date) -> str:
        parts = []
        for page in self.series:
            point = next((p for p in page.points if p.day == day), None)
            if point is None:
                continue
            size = audience(point.followers, point.fans)
            ratio = per_1000(point.talking_about, size)
            rate = "–" if ratio is None else f"{ratio:.1f}"
            if len(self.series) == 1:
                parts.append(f"{_count(size)} followers · {_count(point.talking_about)} "
                             f"talking about · {rate} per 1,000")
            else:
                parts.append(f"{short(page.name)}: {rate}")
        return f"{day:%a %d %b %Y}: " + ("; ".join(parts) if parts else "no reading")


def _translucent(colour: str, alpha: int) -> QColor:
    translucent = QColor(colour)
    translucent.setAlpha(alpha)
    return translucent


def _font(pixels: float) -> QFont:
    font = QFont()
    font.setPixelSize(round(pixels))
    return font


def _size(pixels: float | None) -> dict[str, str]:
    """pyqtgraph's title-size option, when a size is set."""
    return {"size": f"{round(pixels)}px"} if pixels else {}


def _css_size(pixels: float | None) -> dict[str, str]:
    """pyqtgraph's axis-label size option (a CSS property), when a size is set."""
    return {"font-size": f"{round(pixels)}px"} if pixels else {}


def _with_gaps(days: list[int], values: list) -> tuple[np.ndarray, np.ndarray]:
    """Arrays for plotting, with a NaN where readings are missing or far apart."""
    xs: list[float] = []
    ys: list[float] = []
    previous = None
    for day, value in zip(days, values, strict=True):
        if previous is not None and day - previous > GAP_DAYS:
            xs.append(previous + 1)
            ys.append(math.nan)
        xs.append(day)
        ys.append(math.nan if value is None else float(value))
        previous = day
    return np.array(xs, dtype=float), np.array(ys, dtype=float)


def _span_words(first: date, last: date) -> str:
    return f"on {first.day} {first:%b} {first.year}" if first == last else (
        f"from {first.day} {first:%b} {first.year} to {last.day} {last:%b} {last.year}")


def _has_values(item: pg.PlotDataItem) -> bool:
    ys = item.yData
    return ys is not None and bool(np.isfinite(ys).any())


def _count(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"


class SeriesTable(QAbstractTableModel):
    """The numbers behind a chart, newest day first, for the Data tab (read-only, copyable):
    one Page's followers, talking about and rate, or each compared Page's rate. Cells are
    written as text only when the view asks for them."""

    def __init__(self) -> None:
        super().__init__()
        self.headers: list[str] = []
        # (day, values): followers, talking about and rate for one Page; rates when compared
        self.rows: list[tuple[date, tuple[float | None, ...]]] = []
        self.counts = 0  # leading values that are counts (the rest are rates)

    def set_series(self, series: Sequence[PageSeries]) -> None:
        self.beginResetModel()
        if len(series) == 1:
            self.headers = ["Date", "Followers", "Talking about", "Per 1,000"]
            self.counts = 2
            self.rows = []
            for point in reversed(series[0].points):
                size = audience(point.followers, point.fans)
                self.rows.append((point.day, (size, point.talking_about,
                                              per_1000(point.talking_about, size))))
        else:
            self.headers = ["Date", *(short(s.name) for s in series)] if series else []
            self.counts = 0
            by_day: dict[date, list[float | None]] = {}
            for column, page in enumerate(series):
                for point in page.points:
                    row = by_day.setdefault(point.day, [None] * len(series))
                    row[column] = per_1000(point.talking_about,
                                           audience(point.followers, point.fans))
            self.rows = [(day, tuple(by_day[day])) for day in sorted(by_day, reverse=True)]
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> str | None:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self.headers)):
            return self.headers[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole,
                                               Qt.ItemDataRole.AccessibleTextRole):
            return None
        day, values = self.rows[index.row()]
        column = index.column()
        if column == 0:
            return f"{day:%a %d %b %Y}"
        value = values[column - 1]
        if column - 1 < self.counts:
            return _count(value)
        return "–" if value is None else f"{value:.1f}"
