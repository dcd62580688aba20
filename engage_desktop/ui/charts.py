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
from pyqtgraph.graphicsItems.ScatterPlotItem import Symbols
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    QRectF,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QFontMetrics,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QTransform,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from engage_desktop.core import wording
from engage_desktop.core.engagement import (
    Mode,
    Status,
    Thresholds,
    audience,
    per_1000,
    reading_per_1000,
    trailing_average,
)
from engage_desktop.core.models import DailyReading, Note
from engage_desktop.core.timeutil import EARLIEST_DAY, LATEST_DAY
from engage_desktop.core.wording import short
from engage_desktop.ui import plain
from engage_desktop.ui.plain import markup, mnemonic_safe, one_line
from engage_desktop.ui.theme import Theme

pg.setConfigOptions(antialias=True)
NOTHING_SELECTED = ("Select a Page in the traffic light to see its history; select several "
                    "(Ctrl or Shift) to compare them.")
GAP_DAYS = 3  # a longer gap between readings is drawn as a gap, not a straight line
NEAR_DAYS = 3  # the chart's menu offers to edit the notes this close to the day clicked
NEAR_PIXELS = 12  # ... or this close on screen, when a day is narrower than a pixel
MAX_COMPARED = 12  # lines a person can tell apart on one chart; more are named, not drawn
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
    # the status words beside the bands; exports write them on the bands instead
    band_labels: bool = True
    rate_title: str = "Per 1,000 followers"  # the rate axis's title (short in small exports)
    # Lines are smoothed (antialiased) and drawn ``line`` wide while a plot holds at most this
    # many readings: above it, they are a pixel wide and not smoothed, as painting a
    # comparison otherwise takes Qt a second or more on every repaint. None: always (exports,
    # painted once).
    smooth_up_to: int | None = 2500
    dates_once: bool = False  # the dates under the lowest of stacked plots only (exports)
    # Strokes sized in the scene's layout pixels (exports): they grow with the picture, and a
    # vector file holds them at their true width (no non-scaling strokes). Otherwise (the
    # window) they are sized in the screen's pixels.
    flat: bool = False


# A compared Page's line has a colour, a dash pattern and a marker of its own (series_look), so
# the lines are told apart when printed in grey too. Patterns are in line widths, drawn with
# round caps (a dash of 0.01 is a round dot).
DASHES: tuple[tuple[str, tuple[float, ...], str], ...] = (
    ("solid", (), "━━"), ("dashed", (4, 3), "╍╍"), ("dotted", (0.01, 2.6), "┉┉"),
    ("dash-dot", (5, 3, 0.01, 3), "━·"), ("long dashes", (10, 3.5), "━ "),
    ("dash-dot-dot", (5, 2.5, 0.01, 2.5, 0.01, 2.5), "━:"), ("long-short", (9, 4, 2, 4), "━╸"),
    ("double dashes", (3, 2, 3, 6), "╍ "))
# pyqtgraph's symbol paths, and the character that looks like each in the window's legend;
# the statuses' shapes (■ ▲ ● ○) come last, so the briefing's eight lines never use them, and
# the lines sharing a dash pattern (the 1st and 7th, …) have markers of unlike shapes
SYMBOLS = (("d", "◆"), ("x", "✖"), ("t", "▼"), ("star", "★"), ("t2", "▶"), ("h", "⬢"),
           ("+", "✚"), ("p", "⬟"), ("t3", "◀"), ("o", "●"), ("s", "■"), ("t1", "▲"))
MARKERS_PER_LINE = 8  # markers along each compared line (staggered between the lines)
MARKER_SCALE = 1.6  # a marker's size, in lone reading dots
# The steadier line: the 7-day average drawn over the daily values, which are faint behind it
# (thinner, solid, without markers, and mixed with the background: lighter in grey too)
AVERAGE_KEY = "7-day average, daily values faint"
FAINT_SHARE = 0.35  # of the line's colour in the faint daily line; the rest is background
FAINT_WIDTH = 0.5  # of the line's width


class SeriesLook(NamedTuple):
    """How the ``number``-th compared Page is drawn: colour, dash pattern and marker."""

    number: int
    colour: str
    dash: str  # the pattern's name
    pattern: tuple[float, ...]
    symbol: str  # pyqtgraph's name of the marker's shape
    glyph: str  # a character shaped like the marker
    sample_text: str  # a line sample in characters, for the window's legend

    def pen(self, width: float) -> QPen:
        pen = QPen(QColor(self.colour), width)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        if self.pattern:
            pen.setDashPattern(list(self.pattern))
        return pen

    @property
    def offset(self) -> float:
        """Where this line's markers start, as a share of the gap between two: the lines'
        markers are staggered, so they do not pile up where lines cross."""
        return (self.number * 0.382) % 1.0


def series_look(theme: Theme, number: int) -> SeriesLook:
    """The ``number``-th compared Page's look: the first eight (the briefing's) differ in
    colour, dash pattern and marker; no two of the first 12 share a marker, and Pages sharing
    a colour (the 9th on) differ in dash pattern too."""
    colours = theme.series
    dash, pattern, sample = DASHES[(number + number // len(colours)) % len(DASHES)]
    symbol, glyph = SYMBOLS[number % len(SYMBOLS)]
    return SeriesLook(number, colours[number % len(colours)], dash, pattern, symbol, glyph,
                      f"{sample}{glyph}{sample}")


def faint(colour: str, background: str) -> QColor:
    """``colour`` mixed with the background, for the daily values behind a 7-day average."""
    ink, paper = QColor(colour), QColor(background)
    return QColor.fromRgbF(*(FAINT_SHARE * a + (1 - FAINT_SHARE) * b
                             for a, b in zip(ink.getRgbF()[:3], paper.getRgbF()[:3],
                                             strict=True)))


def faint_pen(colour: str, background: str, width: float) -> QPen:
    pen = QPen(faint(colour, background), max(0.8, width * FAINT_WIDTH))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def _averaged(days: list[int], values: list) -> tuple[np.ndarray, np.ndarray]:
    """The arrays of the steadier line: the values' 7-day averages (from the core)."""
    return _with_gaps(days, trailing_average([date.fromordinal(day) for day in days], values))


class _Trace(pg.GraphicsObject):
    """A line through readings, a dot on each lone reading (one with no neighbour has no line
    to be part of) and, for compared Pages, markers along the line: one item, made once with
    its plot and refilled, never removed.

    Strokes are drawn in even coordinates, never the plot's (stretched differently across and
    up, which turns a line into a ribbon wherever a stroke width is scaled with it): in the
    screen's pixels in the window, in the scene's layout pixels in an export (``flat``). So
    an exported line has its width in the file itself, as librsvg, Word and PowerPoint need,
    and grows with the picture."""

    def __init__(self, plot: pg.PlotItem, flat: bool) -> None:
        super().__init__()
        self.flat = flat
        self.xData: np.ndarray | None = None
        self.yData: np.ndarray | None = None
        self.name: str | None = None
        self._path = QPainterPath()
        self._dots = np.empty((0, 2))
        self._marks = np.empty((0, 2))
        self._bounds = QRectF()
        self._pen = QPen()
        self._dot = 7.0
        self._symbol: str | None = None
        self._smooth = True
        plot.addItem(self)

    @property
    def pen(self) -> QPen:
        return self._pen

    def set(self, xs: np.ndarray, ys: np.ndarray, pen: QPen, dot: float, name: str | None,
            smooth: bool = True, symbol: str | None = None, offset: float = 0.0) -> None:
        """Draw ``ys`` over ``xs`` (NaN: no reading, a gap in the line)."""
        self.prepareGeometryChange()
        known = np.isfinite(ys) & np.isfinite(xs)
        before = np.concatenate(([False], known[:-1]))
        after = np.concatenate((known[1:], [False]))
        alone = known & ~before & ~after
        self.xData, self.yData, self.name = xs, ys, name
        self._pen, self._dot, self._smooth, self._symbol = QPen(pen), dot, smooth, symbol
        self._path = (pg.arrayToQPath(xs, ys, connect="finite") if known.sum() > 1
                      else QPainterPath())
        self._dots = np.column_stack((xs[alone], ys[alone]))
        places = np.flatnonzero(known)
        if symbol and places.size:
            count = min(MARKERS_PER_LINE, places.size)
            chosen = ((np.arange(count) + offset) * places.size / count).astype(int)
            self._marks = np.column_stack((xs[places[chosen]], ys[places[chosen]]))
        else:
            self._marks = np.empty((0, 2))
        if places.size:
            low_x, high_x = float(xs[known].min()), float(xs[known].max())
            low_y, high_y = float(ys[known].min()), float(ys[known].max())
            self._bounds = QRectF(low_x, low_y, high_x - low_x, high_y - low_y)
        else:
            self._bounds = QRectF()
        self.setVisible(bool(places.size))
        self.update()

    def clear(self) -> None:
        empty = np.empty(0)
        self.set(empty, empty, self._pen, self._dot, None)

    @property
    def lone_readings(self) -> np.ndarray:
        """The readings drawn as dots, having no neighbour to join (x, y rows)."""
        return self._dots

    def has_values(self) -> bool:
        return self.yData is not None and bool(np.isfinite(self.yData).any())

    def viewTransformChanged(self) -> None:
        self.prepareGeometryChange()  # the margin for strokes, in the plot's units, changes

    def boundingRect(self) -> QRectF:
        if self.xData is None or not self.xData.size:
            return QRectF()
        # room for strokes, dots and markers, which are sized in pixels
        margin = 2 * max(self._pen.widthF(), self._dot)
        wide, high = abs(self.pixelWidth()) * margin, abs(self.pixelHeight()) * margin
        return self._bounds.adjusted(-wide, -high, wide, high)

    def paint(self, painter: QPainter, *_args: object) -> None:
        if self.xData is None:
            return
        if self.flat:  # the scene's layout pixels, scaled only as the whole picture is
            frame = self.sceneTransform()
            painter.setTransform(frame.inverted()[0] * painter.transform())
        else:  # the screen's pixels
            frame = painter.transform()
            painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, self._smooth)
        if not self._path.isEmpty():
            pen = self._pen
            if not self._smooth and not self.flat:
                # a plot of many readings on screen: a line a pixel wide, which Qt strokes
                # (dashes included) over ten times faster than a wider one
                pen = QPen(pen)
                pen.setWidthF(1.0)
                pen.setCosmetic(True)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(pen)
            painter.drawPath(frame.map(self._path))
        colour = self._pen.color()
        painter.setPen(QPen(colour, max(1.0, self._pen.widthF() / 2)))
        painter.setBrush(colour)
        radius = self._dot / 2
        for x, y in self._dots:
            painter.drawEllipse(frame.map(QPointF(x, y)), radius, radius)
        if self._symbol is not None and len(self._marks):
            shape = Symbols[self._symbol]
            size = self._dot * MARKER_SCALE
            for x, y in self._marks:
                centre = frame.map(QPointF(x, y))
                place = QTransform()
                place.translate(centre.x(), centre.y())
                place.scale(size, size)
                painter.drawPath(place.map(shape))


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
        self.averaged = False  # the lines are 7-day averages, the daily values faint behind
        self._title_text = ""  # the title in full, when the plots have one
        self.plots = [self._make_plot(title) for title in self._titles()]
        if style.dates_once:  # the plots share their days: the dates under the lowest only
            for plot in self.plots[:-1]:
                plot.getAxis("bottom").setStyle(showValues=False)
        # the notes' numbered markers, above the plots; a dashed line on each note's day below
        self.markers = NoteMarkers(self.plots[0], style)
        layout.addItem(self.markers, row=0, col=0)
        for row, plot in enumerate(self.plots, start=1):
            layout.addItem(plot, row=row, col=0)
        for plot in self.plots[1:]:
            plot.setXLink(self.plots[0])
        self._note_lines = [_Trace(plot, style.flat) for plot in self.plots]
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
        # the status words on the bands (exports; the window has them beside the bands)
        self._band_words: list[pg.TextItem] = []
        self._band_words_shown = False  # the bands are drawn (absolute thresholds)
        if not style.band_labels:
            for _ in self._bands:
                words = pg.TextItem(anchor=(0, 0.5))
                words.setZValue(-5)  # on the band, under the lines: the figures come first
                if style.text_px:
                    words.setFont(_font(style.text_px))
                words.hide()
                rate.addItem(words)
                self._band_words.append(words)
            rate.vb.sigResized.connect(self._place_band_words)
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
        self.markers.set_theme(theme)
        # a hairline in an export (layout pixels grow with the picture), a pixel on screen
        axis_pen = QPen(QColor(theme.grid), 0.6) if self.style.flat else pg.mkPen(theme.grid)
        for plot in self.plots:
            for side in ("left", "bottom", "right"):
                if side in plot.axes:
                    axis = plot.getAxis(side)
                    axis.setPen(axis_pen)
                    axis.setTextPen(theme.text)
            left = plot.getAxis("left")
            left.setLabel(left.labelText, color=theme.text, **_css_size(self.style.label_px))
        for text in self._empty:
            text.setColor(theme.muted)
        for status, band in zip((Status.RED, Status.AMBER, Status.GREEN), self._bands,
                                strict=True):
            band.setBrush(pg.mkBrush(theme.bands[status]))
        for status, words in zip((Status.RED, Status.AMBER, Status.GREEN), self._band_words,
                                 strict=False):
            words.setColor(theme.status[status])

    # Drawing --------------------------------------------------------------------------------

    def _start(self, series: Sequence[PageSeries], first: date, last: date,
               average: bool) -> None:
        self.series = list(series)
        self.averaged = average
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
        """The plot was resized: its title and its empty-plot words fit its new width, and
        its value axis's title its height."""
        if index == 0 and self._title_text:
            self._fit_title()
        self._fit_axis_title(self.plots[index])
        text = self._empty[index]
        if text.isVisible():
            text.setTextWidth(max(120.0, self.plots[index].vb.width() * 0.9))

    def _fit_axis_title(self, plot: pg.PlotItem) -> None:
        """The value axis's title set smaller (down to 60 %) when it is longer than its plot
        is tall, so stacked plots' titles never run into each other (exports' sizes)."""
        pixels, axis = self.style.label_px, plot.getAxis("left")
        room = plot.vb.height()
        if not pixels or room <= 0:
            return
        length = QFontMetricsF(_font(pixels)).horizontalAdvance(axis.labelText)
        fitted = pixels if length <= room else max(pixels * 0.6, pixels * room / length)
        axis.setLabel(axis.labelText, color=self.theme.text, **_css_size(fitted))

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
        amber, green = f"{thresholds.amber:g}", f"{thresholds.green:g}"
        meanings = (f"under {amber}", f"{amber}–{green}", f"{green}+")
        for status, band, (low, high) in zip((Status.RED, Status.AMBER, Status.GREEN),
                                             self._bands, limits, strict=True):
            band.setVisible(absolute)
            band.setRegion((low, high))
            ticks.append(((low + high) / 2, f"{status.shape} {status.word}"))
        for words, status, meaning in zip(self._band_words,
                                          (Status.RED, Status.AMBER, Status.GREEN), meanings,
                                          strict=False):
            words.setText(f"{status.shape} {status.word}: {meaning}")
        self._band_words_shown = absolute
        self._place_band_words()
        if self.style.band_labels:
            plot.getAxis("right").setTicks([ticks if absolute else []])
        if finite.size:
            self._filled(len(self.plots) - 1)
        else:
            self._say_empty(len(self.plots) - 1, empty)
            self._empty[-1].setPos(self._empty[-1].pos().x(), top / 2)

    def _place_band_words(self, *_args: object) -> None:
        """Each band's words on the band, where the band is tall enough to hold them: along
        it where they cover no reading (a band crossed everywhere by lines, as a comparison's
        amber band often is, has none: words half hidden under lines read as stray figures,
        and the key under the chart says what each band means)."""
        if not self._band_words:
            return
        plot = self.plots[-1]
        (left, right), _ = plot.vb.viewRange()
        pixel_x, pixel_y = (abs(size) or 1.0 for size in plot.vb.viewPixelSize())
        readings = [(trace.xData, trace.yData) for trace in self._traces_of(plot)]
        xs = np.concatenate([x for x, _ in readings] or [np.empty(0)])
        ys = np.concatenate([y for _, y in readings] or [np.empty(0)])
        for words, band in zip(self._band_words, self._bands, strict=True):
            low, high = band.getRegion()
            metrics = QFontMetricsF(words.textItem.font())
            fits = (high - low) / pixel_y >= metrics.height()
            # the words' glyphs (their height), and their width with the margins, in pixels
            middle, half = (low + high) / 2, metrics.height() / 2 * pixel_y
            width = words.textItem.boundingRect().width() * pixel_x
            starts = np.linspace(left, max(left, right - width), 15)
            covered = [int(np.count_nonzero((xs >= start) & (xs <= start + width)
                                            & (np.abs(ys - middle) <= half)))
                       for start in starts]
            best = int(np.argmin(covered))
            words.setPos(float(starts[best]), middle)
            words.setVisible(self._band_words_shown and fits and covered[best] == 0)

    def _traces_of(self, plot: pg.PlotItem) -> list[_Trace]:
        """The lines of readings drawn on ``plot`` (not the notes' lines)."""
        return [item for item in plot.items if isinstance(item, _Trace)
                and item not in self._note_lines and item.xData is not None]

    def _mark_notes(self, notes: Sequence[Note]) -> None:
        """The notes numbered in date order: a marker above the plots over each note's day
        (notes too close together for a marker each share one, "3–5"), and a dashed line on
        the day through every plot."""
        in_order = numbered(notes)
        self.markers.set_notes(in_order)
        pen = QPen(QColor(self.theme.note), 1)
        pen.setStyle(Qt.PenStyle.DashLine)
        days = np.array([note.day.toordinal() for _, note in in_order], dtype=float)
        for plot, lines in zip(self.plots, self._note_lines, strict=True):
            low, high = plot.vb.viewRange()[1]
            xs = np.repeat(days, 3)  # from the bottom to the top, then a gap
            ys = np.tile([low, high, math.nan], len(days))
            lines.set(xs, ys, pen, 0.0, None, smooth=False)


def numbered(notes: Sequence[Note]) -> list[tuple[int, Note]]:
    """The notes in date order, numbered from 1 as the chart's markers and the lists of notes
    under charts (window, exports, briefing) show them."""
    return list(enumerate(sorted(notes, key=lambda note: (note.day, note.id)), start=1))


def note_line(number: int, note: Note) -> str:
    """A note as listed under a chart: "[3] 7 May 2026: Polling day", on one line."""
    return f"[{number}] {wording.day(note.day)}: {one_line(note.text)}"


class NoteMarkers(pg.GraphicsWidget):
    """The notes' numbered markers in a strip above a chart's plots, each over its note's day.
    Markers that would touch are merged into one ("3–5"), so none covers another, and each is
    kept inside the strip, so none is cut at an edge. Made once with its chart; each drawing
    and each zoom places the markers again. Pointing at a marker shows its notes."""

    GAP = 3.0  # pixels between two markers

    def __init__(self, plot: pg.PlotItem, style: ChartStyle) -> None:
        super().__init__()
        self.plot = plot
        self.font = _font(style.label_px or 11)
        self.font.setBold(True)
        self.box_height = QFontMetricsF(self.font).height() + 4
        self.notes: list[tuple[int, Note]] = []
        # where each marker is (in the strip), its text and the numbers of its notes
        self.boxes: list[tuple[QRectF, str, list[tuple[int, Note]]]] = []
        self.colour = QColor()
        self.background = QColor()
        self.setFixedHeight(0)
        self.setAcceptHoverEvents(True)
        plot.vb.sigXRangeChanged.connect(self.place)
        plot.vb.sigResized.connect(self.place)

    def set_theme(self, theme: Theme) -> None:
        self.colour = QColor(theme.note)
        self.background = QColor(theme.background)
        self.update()

    def set_notes(self, notes: list[tuple[int, Note]]) -> None:
        self.notes = notes
        self.setFixedHeight(self.box_height + 4 if notes else 0)
        self.place()

    def _box(self, group: list[tuple[int, Note, float]]) -> tuple[QRectF, str]:
        first, last = group[0], group[-1]
        text = str(first[0]) if len(group) == 1 else f"{first[0]}–{last[0]}"
        width = max(self.box_height, QFontMetricsF(self.font).horizontalAdvance(text) + 8)
        centre = (first[2] + last[2]) / 2
        centre = min(max(centre, width / 2 + 1), self.size().width() - width / 2 - 1)
        return QRectF(centre - width / 2, 2, width, self.box_height), text

    def place(self, *_args: object) -> None:
        view = self.plot.vb
        low, high = view.viewRange()[0]
        boxes: list[tuple[QRectF, str, list]] = []
        for number, note in self.notes:
            day = note.day.toordinal()
            if not low - 0.5 <= day <= high + 0.5:
                continue
            x = self.mapFromScene(view.mapViewToScene(QPointF(day, 0))).x()
            group = [(number, note, x)]
            box, text = self._box(group)
            while boxes and box.left() < boxes[-1][0].right() + self.GAP:
                group = boxes.pop()[2] + group
                box, text = self._box(group)
            boxes.append((box, text, group))
        self.boxes = [(box, text, [(n, note) for n, note, _ in group])
                      for box, text, group in boxes]
        self.update()

    def marker_rects(self) -> list[QRectF]:
        """Where the markers are in the scene."""
        return [self.mapRectToScene(box) for box, _, _ in self.boxes]

    def paint(self, painter: QPainter, *_args: object) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setFont(self.font)
        for box, text, _ in self.boxes:
            painter.setPen(QPen(self.colour, 1.2))
            painter.setBrush(self.background)
            painter.drawRoundedRect(box, 4, 4)
            painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), text)

    def hoverMoveEvent(self, event: object) -> None:
        at = event.pos()
        for box, _, notes in self.boxes:
            if box.contains(at):
                self.setToolTip("\n".join(note_line(n, note) for n, note in notes))
                return
        self.setToolTip("")


class SingleChart(_Chart):
    """One Page: followers, talking about and the rate per 1,000, stacked."""

    def _titles(self) -> tuple[str, ...]:
        return ("Followers", "Talking about", self.style.rate_title)

    def __init__(self, layout: pg.GraphicsLayout, theme: Theme,
                 style: ChartStyle = ChartStyle()) -> None:  # noqa: B008
        super().__init__(layout, theme, style)
        # the daily values behind the 7-day averages (hidden when the lines are daily)
        self._faint = [_Trace(plot, style.flat) for plot in self.plots]
        self._lines = [_Trace(plot, style.flat) for plot in self.plots]

    def draw(self, page: PageSeries, notes: Sequence[Note],
             thresholds: Thresholds, first: date, last: date, average: bool = False) -> None:
        """The Page's lines: daily values, or (``average``) their 7-day averages with the
        daily values faint behind them."""
        self.drawing = True
        try:
            self._start([page], first, last, average)
            self._title(page.name)
            days = [p.day.toordinal() for p in page.points]
            values = ([audience(p.followers, p.fans) for p in page.points],
                      [p.talking_about for p in page.points],
                      [reading_per_1000(p) for p in page.points])
            colours = (self.theme.followers, self.theme.talking, self.theme.ratio)
            names = ("Followers", "Talking about", "Per 1,000")
            span = wording.span(first, last)
            empty = (f"No follower figures {span}",
                     f"No talking-about figures {span}: Meta gives none for some Pages "
                     "(and none for days before they were followed here)",
                     f"No rate {span}: it needs both followers and talking about")
            smooth = self._smooth(len(days))
            for index, (line, behind) in enumerate(zip(self._lines, self._faint, strict=True)):
                xs, ys = _with_gaps(days, values[index])
                if average:
                    behind.set(xs, ys, faint_pen(colours[index], self.theme.background,
                                                 self.style.line),
                               self.style.dot * FAINT_WIDTH, f"{names[index]}, daily", smooth)
                    line.set(*_averaged(days, values[index]),
                             QPen(QColor(colours[index]), self.style.line), self.style.dot,
                             f"{names[index]}, 7-day average", smooth)
                else:
                    behind.clear()
                    line.set(xs, ys, QPen(QColor(colours[index]), self.style.line),
                             self.style.dot, names[index], smooth)
                if index < 2:
                    self._values_range(index, ys, empty[index])
                else:
                    self._rate_range(thresholds, ys, empty[index])
            self._mark_notes(notes)
        finally:
            self.drawing = False


class CompareChart(_Chart):
    """Several Pages: their rates per 1,000 on one plot, at most ``MAX_COMPARED`` lines."""

    def _titles(self) -> tuple[str, ...]:
        return (self.style.rate_title,)

    def __init__(self, layout: pg.GraphicsLayout, theme: Theme,
                 style: ChartStyle = ChartStyle()) -> None:  # noqa: B008
        super().__init__(layout, theme, style)
        # the daily values behind the 7-day averages, under every line
        self._faint = [_Trace(self.plots[0], style.flat) for _ in range(MAX_COMPARED)]
        self._lines = [_Trace(self.plots[0], style.flat) for _ in range(MAX_COMPARED)]

    def draw(self, series: Sequence[PageSeries], notes: Sequence[Note],
             thresholds: Thresholds, first: date, last: date, average: bool = False) -> None:
        """Each Page's rate: daily, or (``average``) its 7-day average with the daily values
        faint behind it."""
        self.drawing = True
        try:
            series = list(series)[:MAX_COMPARED]
            self._start(series, first, last, average)
            self._title(f"Comparing {len(series)} Pages")
            everything = [np.empty(0)]
            smooth = self._smooth(sum(len(page.points) for page in series))
            for number, (line, behind) in enumerate(zip(self._lines, self._faint,
                                                        strict=True)):
                if number >= len(series):
                    line.clear()
                    behind.clear()
                    continue
                page = series[number]
                days = [p.day.toordinal() for p in page.points]
                rates = [reading_per_1000(p) for p in page.points]
                xs, ys = _with_gaps(days, rates)
                look = series_look(self.theme, number)
                if average:
                    behind.set(xs, ys, faint_pen(look.colour, self.theme.background,
                                                 self.style.line),
                               self.style.dot * FAINT_WIDTH, f"{page.name}, daily", smooth)
                    line.set(*_averaged(days, rates), look.pen(self.style.line),
                             self.style.dot, page.name, smooth, look.symbol, look.offset)
                else:
                    behind.clear()
                    line.set(xs, ys, look.pen(self.style.line), self.style.dot, page.name,
                             smooth, look.symbol, look.offset)
                everything.append(ys)
            self._rate_range(thresholds, np.concatenate(everything),
                             f"No rates {wording.span(first, last)} for these Pages")
            self._mark_notes(notes)
        finally:
            self.drawing = False

    def legend_entries(self) -> list[tuple[SeriesLook, str, bool]]:
        """Each compared Page in order: its look, its name, and whether it has a line (a Page
        with no rate in the range has none: its entry says "no figures")."""
        return [(series_look(self.theme, number), page.name, line.has_values())
                for number, (line, page) in enumerate(zip(self._lines, self.series,
                                                          strict=False))]


def make_chart(layout: pg.GraphicsLayout, theme: Theme, style: ChartStyle,
               series: Sequence[PageSeries], notes: Sequence[Note],
               thresholds: Thresholds, first: date, last: date,
               average: bool = False) -> SingleChart | CompareChart:
    """A chart drawn once (exports): one Page stacked, several compared; ``average`` draws
    the steadier line."""
    if len(series) == 1:
        single = SingleChart(layout, theme, style)
        single.draw(series[0], notes, thresholds, first, last, average)
        return single
    compare = CompareChart(layout, theme, style)
    compare.draw(series, notes, thresholds, first, last, average)
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
        self.notes: list[Note] = []  # the notes drawn
        self.read_only: str | None = None  # why notes cannot be added or changed, if so
        self._hover_day: date | None = None
        self._last_day: date | None = None
        self._drawn: tuple | None = None  # what show_pages was given last (for a new theme)
        # each charted Page's 7-day average per 1,000 by day, when the lines are averages
        self._averages: list[dict[date, float | None]] = []
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
        # three stacked plots stay readable (at least 60 pixels each) under the notes' markers
        self.single_widget.setMinimumHeight(354)
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
        # what the lines are when they are the steadier line, in words and a sample of each
        self.key = QLabel()
        self.key.setTextFormat(Qt.TextFormat.RichText)
        self.key.setAccessibleName("Lines")
        self.key.setAccessibleDescription(f"The lines are 7-day averages: {AVERAGE_KEY}.")
        self.key.setContentsMargins(6, 0, 6, 0)
        self.key.hide()
        chart_layout.addWidget(self.key)
        # the notes drawn, numbered as their markers; Enter or a double-click edits one
        self.notes_list = QListWidget()
        self.notes_list.setAccessibleName("Notes on the chart")
        self.notes_list.setAccessibleDescription(
            "The notes numbered as their markers over the chart. Enter edits the note.")
        self.notes_list.setWordWrap(True)
        self.notes_list.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.notes_list.itemActivated.connect(self._note_activated)
        self.notes_list.hide()
        chart_layout.addWidget(self.notes_list)
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
        self.key.setText(self._key_text())
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

    def _key_text(self) -> str:
        daily = faint(self.theme.text, self.theme.background).name()
        return (f"Lines: {AVERAGE_KEY} (<b>━━</b> average, "
                f"<span style='color:{daily}'>━━</span> daily)")

    def set_theme(self, theme: Theme) -> None:
        """Colours for a new scheme; the charts shown are drawn again in them."""
        self.theme = theme
        self.key.setText(self._key_text())
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

    def show_pages(self, series: Sequence[PageSeries], notes: Sequence[Note],
                   thresholds: Thresholds, first: date, last: date,
                   left_out: Sequence[str] = (), average: bool = False) -> None:
        """One Page: followers, talking about and the rate, stacked; several: their rates
        compared on one chart (``left_out`` names the selected Pages beyond the cap).
        ``average``: the steadier line, 7-day averages over the faint daily values."""
        self._drawn = (list(series), list(notes), thresholds, first, last,
                       list(left_out), average)
        self.notes = list(notes)
        self._last_day, self._hover_day = last, None
        # for the readout at the pointer and the Data tab (the lines drawn from the same core)
        self._averages = ([self._rate_averages(page) for page in series[:MAX_COMPARED]]
                          if average else [])
        if len(series) == 1:
            self.single.draw(series[0], notes, thresholds, first, last, average)
            self.chart_page.setCurrentIndex(1)
        elif series:
            self.compare.draw(series, notes, thresholds, first, last, average)
            self.legend.setText(self._legend_text(left_out))
            self.chart_page.setCurrentIndex(2)
        else:
            self.chart_page.setCurrentIndex(0)
        self.key.setVisible(average and bool(series))
        self.hover.setText(" ")
        self._fill_notes()
        self._fill_table()

    def _fill_notes(self) -> None:
        """The notes' list under the chart, numbered as the chart's markers."""
        self.notes_list.clear()
        chart = self.chart
        notes = numbered(self.notes) if chart is not None else []
        names = {s.page_id: s.name for s in self.series}
        for number, note in notes:
            whom = ("" if note.page_id is None or len(self.series) == 1
                    else f" ({short(names.get(note.page_id, ''), 24)})")
            item = QListWidgetItem(note_line(number, note) + whom)
            item.setData(Qt.ItemDataRole.UserRole, note)
            self.notes_list.addItem(item)
        if notes:
            rows = min(len(notes), 2)  # more scroll: the chart keeps its room
            height = self.notes_list.sizeHintForRow(0) * rows
            self.notes_list.setFixedHeight(height + 2 * self.notes_list.frameWidth() + 2)
        self.notes_list.setVisible(bool(notes))

    def _note_activated(self, item: QListWidgetItem) -> None:
        note = item.data(Qt.ItemDataRole.UserRole)
        self.note_requested.emit(note.day, note)

    def _legend_text(self, left_out: Sequence[str]) -> str:
        samples = []
        for look, name, drawn in self.compare.legend_entries():
            # a Page's sample and name are never split over two lines
            if drawn:
                words = markup(short(name)).replace(" ", "&nbsp;")
                samples.append(f"<span style='color:{look.colour}'>{look.sample_text}</span>"
                               f"&nbsp;{words}")
            else:  # no line, so no sample: words instead
                words = markup(short(name) + ": no figures").replace(" ", "&nbsp;")
                samples.append(f"<i>{words}</i>")
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

    def notes_near(self, day: date) -> list[Note]:
        """The notes drawn within a few days of ``day`` (or a few pixels), nearest first."""
        near = NEAR_DAYS
        if self.plots:
            near = max(near, round(self.plots[0].vb.viewPixelSize()[0] * NEAR_PIXELS))
        notes = [n for n in self.notes if abs((n.day - day).days) <= near]
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
            add = menu.addAction(f"&Add a note on {wording.day(day)}…")
            add.triggered.connect(lambda: self.note_requested.emit(day, None))
            notes_items = [add]
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
                notes_items.append(edit)
            if self.read_only:  # the notes are shown, not changed
                menu.setToolTipsVisible(True)
                for item in notes_items:
                    item.setEnabled(False)
                    item.setToolTip(f"Not available: {self.read_only}")
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
        self.data_model.set_series(self.series, self._averages)
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

    @staticmethod
    def _rate_averages(page: PageSeries) -> dict[date, float | None]:
        days = [p.day for p in page.points]
        rates = [reading_per_1000(p) for p in page.points]
        return dict(zip(days, trailing_average(days, rates), strict=True))

    def _describe(self, day: date) -> str:
        parts = []
        for number, page in enumerate(self.series):
            point = next((p for p in page.points if p.day == day), None)
            if point is None:
                continue
            size = audience(point.followers, point.fans)
            ratio = per_1000(point.talking_about, size)
            rate = "–" if ratio is None else f"{ratio:.1f}"
            if number < len(self._averages):
                steady = self._averages[number].get(day)
                rate += f" (7-day average {'–' if steady is None else f'{steady:.1f}'})"
            if len(self.series) == 1:
                parts.append(f"{wording.count(size)} followers · "
                             f"{wording.count(point.talking_about)} talking about · {rate} "
                             "per 1,000")
            else:
                parts.append(f"{short(page.name)}: {rate}")
        return f"{day:%a %d %b %Y}: " + ("; ".join(parts) if parts else "no reading")


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


class SeriesTable(QAbstractTableModel):
    """The numbers behind a chart, newest day first, for the Data tab (read-only, copyable):
    one Page's followers, talking about and rate, or each compared Page's rate, and when the
    chart draws the steadier line, the 7-day average of each rate too. Cells are written as
    text only when the view asks for them."""

    def __init__(self) -> None:
        super().__init__()
        self.headers: list[str] = []
        # (day, values): followers, talking about and rate for one Page; rates when compared
        self.rows: list[tuple[date, tuple[float | None, ...]]] = []
        self.counts = 0  # leading values that are counts (the rest are rates)

    def set_series(self, series: Sequence[PageSeries],
                   averages: Sequence[dict[date, float | None]] = ()) -> None:
        """``averages``: each Page's 7-day average per 1,000 by day, when the chart draws
        them (a column each, after the rates)."""
        self.beginResetModel()
        if len(series) == 1:
            self.headers = ["Date", "Followers", "Talking about", "Per 1,000"]
            if averages:
                self.headers.append("Per 1,000, 7-day average")
            self.counts = 2
            self.rows = []
            for point in reversed(series[0].points):
                size = audience(point.followers, point.fans)
                steady = (averages[0].get(point.day),) if averages else ()
                self.rows.append((point.day, (size, point.talking_about,
                                              per_1000(point.talking_about, size), *steady)))
        else:
            self.headers = ["Date", *(short(s.name) for s in series)] if series else []
            self.headers += [f"{short(s.name)}, 7-day average"
                             for s in series[:len(averages)]]
            self.counts = 0
            width = len(series) + len(averages)
            by_day: dict[date, list[float | None]] = {}
            for column, page in enumerate(series):
                for point in page.points:
                    row = by_day.setdefault(point.day, [None] * width)
                    row[column] = reading_per_1000(point)
                    if column < len(averages):
                        row[len(series) + column] = averages[column].get(point.day)
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
            return wording.count(value)
        return "–" if value is None else f"{value:.1f}"
