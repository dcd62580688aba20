"""What the one-Page chart and the comparison share: plots stacked in a pyqtgraph layout,
made once with every item they can show (value axes, bands, notes' lines and markers,
"no figures" texts), refilled by each drawing and never removed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from functools import partial

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QFontMetricsF, QPen

from engage_desktop.core.engagement import Mode, Status, Thresholds
from engage_desktop.core.models import Note
from engage_desktop.core.wording import short
from engage_desktop.ui.charts.axes import CountAxis, DayAxis
from engage_desktop.ui.charts.notes import NoteMarkers, numbered
from engage_desktop.ui.charts.series import PageSeries
from engage_desktop.ui.charts.style import ChartStyle, css_size, pixel_font, title_size
from engage_desktop.ui.charts.trace import Trace
from engage_desktop.ui.plain import markup
from engage_desktop.ui.theme import Theme

pg.setConfigOptions(antialias=True)


def _no_minimum_width(label: pg.LabelItem) -> None:
    """pyqtgraph's ``LabelItem.updateMin``, asking for the text's height only."""
    pg.LabelItem.updateMin(label)
    height = label.minimumHeight()
    label.setMinimumWidth(0)
    for hint in (Qt.SizeHint.MinimumSize, Qt.SizeHint.PreferredSize):
        label._sizeHint[hint] = (0, height)
    label.updateGeometry()


class Chart:
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
        self._note_lines = [Trace(plot, style.flat) for plot in self.plots]
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
                    words.setFont(pixel_font(style.text_px))
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
                plot.getAxis(side).setStyle(tickFont=pixel_font(style.text_px),
                                            tickTextOffset=max(3, round(style.text_px / 3)))
        plot.setLabel("left", title, **css_size(style.label_px))
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
            left.setLabel(left.labelText, color=theme.text, **css_size(self.style.label_px))
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
        plot.setTitle(markup(text), color=self.theme.text, **title_size(self.style.title_px))
        room, width = plot.vb.width(), plot.titleLabel.itemRect().width()
        if 0 < room < width:
            text = short(text, max(8, int(len(text) * room / width)))
            plot.setTitle(markup(text), color=self.theme.text, **title_size(self.style.title_px))

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
        length = QFontMetricsF(pixel_font(pixels)).horizontalAdvance(axis.labelText)
        fitted = pixels if length <= room else max(pixels * 0.6, pixels * room / length)
        axis.setLabel(axis.labelText, color=self.theme.text, **css_size(fitted))

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

    def _traces_of(self, plot: pg.PlotItem) -> list[Trace]:
        """The lines of readings drawn on ``plot`` (not the notes' lines)."""
        return [item for item in plot.items if isinstance(item, Trace)
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
