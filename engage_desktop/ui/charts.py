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
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QLabel,
    QMenu,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from engage_desktop.core.engagement import Mode, Status, Thresholds, audience, per_1000
from engage_desktop.core.models import Annotation, DailyReading
from engage_desktop.ui.theme import Theme

pg.setConfigOptions(antialias=True)
NOTHING_SELECTED = ("Select a Page in the traffic light to see its history; select several "
                    "(Ctrl or Shift) to compare them.")
GAP_DAYS = 3  # a longer gap between readings is drawn as a gap, not a straight line
NEAR_DAYS = 3  # the chart's menu offers to edit the notes this close to the day clicked
NEAR_PIXELS = 12  # ... or this close on screen, when a day is narrower than a pixel


@dataclass(frozen=True)
class PageSeries:
    page_id: str
    name: str
    points: list[DailyReading]


class DayAxis(pg.AxisItem):
    """Labels day numbers (``date.toordinal()``) as dates, with ticks on month starts for
    long ranges and on Mondays for short ones."""

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:
        if not (math.isfinite(minVal) and math.isfinite(maxVal)) or maxVal <= minVal:
            return []
        first = date.fromordinal(max(1, int(minVal)))
        last = date.fromordinal(max(1, int(maxVal)))
        span = (last - first).days
        if span > 100:
            step = next(m for m in (1, 2, 3, 6, 12, 24) if span / (30 * m) <= max(
                2, size / 90))
            ticks = []
            month = date(first.year, first.month, 1)
            while month <= last:
                if month >= first and (month.month - 1) % step == 0:
                    ticks.append(month.toordinal())
                month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
            return [(30 * step, ticks)]
        weeks = max(1, math.ceil(span / 7 / max(2, size / 80)))
        monday = first + timedelta(days=(7 - first.weekday()) % 7)
        ticks = [(monday + timedelta(weeks=i)).toordinal()
                 for i in range(0, span // 7 + 2, weeks)
                 if monday + timedelta(weeks=i) <= last]
        return [(7 * weeks, ticks)]

    def tickStrings(self, values: list, scale: float, spacing: float) -> list[str]:
        labels = []
        for value in values:
            day = date.fromordinal(max(1, round(value)))
            labels.append(f"{day:%b %Y}" if spacing >= 28 else f"{day:%d %b}")
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
    band_labels: bool = True  # the status words on the bands (exports have a key instead)
    rate_title: str = "Per 1,000 followers"  # the rate axis's title (short in small exports)
    legend_inside: bool = True  # a comparison's legend over the plot (exports set it below)


class Chart:
    """Followers, talking-about and the rate per 1,000 over time, drawn into a pyqtgraph
    layout: the window's charts and the exported images are the same drawing."""

    def __init__(self, layout: pg.GraphicsLayout, theme: Theme,
                 style: ChartStyle = ChartStyle()) -> None:  # noqa: B008
        self.layout = layout
        self.theme = theme
        self.style = style
        self.series: list[PageSeries] = []
        self.plots: list[pg.PlotItem] = []
        self._right_edge = 0
        # The plots are made once per layout and then only emptied and refilled: removing
        # plot items from a layout again and again crashes PySide6 6.12 with pyqtgraph 0.14.
        self._layouts: dict[str, list[pg.PlotItem]] = {}
        self._legend: pg.LegendItem | None = None
        self._stash = pg.GraphicsWidget(parent=layout)  # plots of the layouts not shown
        self._stash.hide()

    @property
    def legend(self) -> pg.LegendItem | None:
        return self._legend

    def draw(self, series: Sequence[PageSeries], annotations: Sequence[Annotation],
             thresholds: Thresholds, first: date, last: date) -> None:
        """One Page: followers, talking about and the rate, stacked; several: their rates
        compared on one chart with a legend."""
        self.series = list(series)
        if len(series) == 1:
            self._use_layout("single", ["Followers", "Talking about", self.style.rate_title],
                             first, last)
            self._single(series[0], annotations, thresholds)
        elif series:
            self._use_layout("compare", ["Talking about per 1,000 followers"], first, last)
            self._compare(series, annotations, thresholds)
        else:
            self._use_layout("none", [], first, last)

    def _use_layout(self, name: str, titles: list[str], first: date, last: date) -> None:
        if name not in self._layouts:
            self._layouts[name] = [self._make_plot(title) for title in titles]
            for plot in self._layouts[name][1:]:
                plot.setXLink(self._layouts[name][0])
            if name == "compare" and self.style.legend_inside:
                self._legend = self._layouts[name][0].addLegend(
                    offset=(10, 10), **({"labelTextSize": f"{round(self.style.label_px)}px"}
                                        if self.style.label_px else {}))
        current = self._layouts[name]
        if current is not self.plots:
            for plot in self.plots:
                self.layout.removeItem(plot)
                # kept in the scene under a hidden holder, which Qt deletes with the layout:
                # a plot left without a parent is deleted later by Python's garbage
                # collector, after the scene it belonged to, and crashes the interpreter
                plot.setParentItem(self._stash)
                plot.hide()
            for row, plot in enumerate(current):
                self.layout.addItem(plot, row=row, col=0)
                plot.show()
            self.plots = current
        self._right_edge = last.toordinal()
        for plot in self.plots:
            for item in list(plot.items):
                if item is not self._legend:
                    plot.removeItem(item)
            plot.setTitle(None)
            plot.setXRange(first.toordinal(), last.toordinal(), padding=0.01)
            plot.enableAutoRange(axis="y")
            self._colour_axes(plot)
        if self._legend is not None:
            self._legend.clear()

    def _make_plot(self, title: str) -> pg.PlotItem:
        plot = pg.PlotItem(axisItems={"bottom": DayAxis(orientation="bottom"),
                                      "left": CountAxis(orientation="left")})
        style = self.style
        if style.text_px:
            for side in ("left", "bottom"):
                plot.getAxis(side).setStyle(tickFont=_font(style.text_px),
                                            tickTextOffset=max(3, round(style.text_px / 3)))
        plot.setLabel("left", title, **_css_size(style.label_px))
        # One width for every value axis, room for "9,999,999" and the axis title: the
        # stacked plots' time axes line up, and the title never overlaps the numbers.
        left = plot.getAxis("left")
        metrics = QFontMetrics(left.style["tickFont"] or QFont())
        left.setWidth(metrics.horizontalAdvance("9,999,999") + 2 * metrics.height() + 10)
        plot.showGrid(x=True, y=True, alpha=0.25)
        plot.setMenuEnabled(False)
        plot.getViewBox().setMouseEnabled(x=True, y=False)
        return plot

    def _colour_axes(self, plot: pg.PlotItem) -> None:
        for side in ("left", "bottom"):
            axis = plot.getAxis(side)
            axis.setPen(self.theme.grid)
            axis.setTextPen(self.theme.text)
        left = plot.getAxis("left")
        left.setLabel(left.labelText, color=self.theme.text, **_css_size(self.style.label_px))
        if self._legend is not None:
            self._legend.setBrush(pg.mkBrush(self.theme.background))
            self._legend.setLabelTextColor(self.theme.text)

    def _single(self, page: PageSeries, annotations: Sequence[Annotation],
                thresholds: Thresholds) -> None:
        days = [p.day.toordinal() for p in page.points]
        followers = [audience(p.followers, p.fans) for p in page.points]
        talking = [p.talking_about for p in page.points]
        ratios = [per_1000(p.talking_about, audience(p.followers, p.fans)) for p in page.points]
        top, middle, bottom = self.plots
        if self.style.plot_titles:
            top.setTitle(page.name, color=self.theme.text, **_size(self.style.title_px))
        self._line(top, days, followers, self.theme.followers, "Followers")
        self._line(middle, days, talking, self.theme.talking, "Talking about")
        self._bands(bottom, thresholds, [r for r in ratios if r is not None])
        self._line(bottom, days, ratios, self.theme.ratio, "Per 1,000")
        for plot in self.plots:
            self._annotate(plot, annotations, label=plot is top)

    def _compare(self, series: Sequence[PageSeries], annotations: Sequence[Annotation],
                 thresholds: Thresholds) -> None:
        (plot,) = self.plots
        if self.style.plot_titles:
            plot.setTitle(f"Comparing {len(series)} Pages", color=self.theme.text,
                          **_size(self.style.title_px))
        everything = []
        for number, page in enumerate(series):
            days = [p.day.toordinal() for p in page.points]
            ratios = [per_1000(p.talking_about, audience(p.followers, p.fans))
                      for p in page.points]
            everything += [r for r in ratios if r is not None]
            colour = self.theme.series[number % len(self.theme.series)]
            style = (Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine,
                     Qt.PenStyle.DotLine)[number // len(self.theme.series) % 3]
            self._line(plot, days, ratios, colour, page.name, style)
        self._bands(plot, thresholds, everything)
        self._annotate(plot, annotations, label=True)

    def _line(self, plot: pg.PlotItem, days: list[int], values: list, colour: str,
              name: str, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> None:
        xs, ys = _with_gaps(days, values)
        plot.plot(xs, ys, pen=pg.mkPen(colour, width=self.style.line, style=style), name=name,
                  connect="finite")
        # A reading with no neighbour (a single reading, or one after a gap of months) has no
        # line to be part of: draw it as a dot so it is not lost.
        known = ~np.isnan(ys)
        before = np.concatenate(([False], known[:-1]))
        after = np.concatenate((known[1:], [False]))
        alone = known & ~before & ~after
        if alone.any():
            plot.plot(xs[alone], ys[alone], pen=None, symbol="o", symbolSize=self.style.dot,
                      symbolBrush=pg.mkBrush(colour), symbolPen=pg.mkPen(colour))

    def _bands(self, plot: pg.PlotItem, thresholds: Thresholds, values: list[float]) -> None:
        """Red, amber and green bands behind the rate (absolute thresholds only)."""
        if thresholds.mode is Mode.RELATIVE:
            return
        top = max([thresholds.green * 1.6, *values]) * 1.05 if values else thresholds.green * 2
        for status, low, high in ((Status.RED, 0, thresholds.amber),
                                  (Status.AMBER, thresholds.amber, thresholds.green),
                                  (Status.GREEN, thresholds.green, top)):
            band = pg.LinearRegionItem((low, high), orientation="horizontal", movable=False,
                                       brush=pg.mkBrush(self.theme.bands[status]),
                                       pen=pg.mkPen(None))
            band.setZValue(-10)
            plot.addItem(band)
            if not self.style.band_labels:
                continue
            # on its band's colour, above the lines, so a line never runs through the words
            label = pg.TextItem(f"{status.shape} {status.word}",
                                color=self.theme.status[status], anchor=(1, 1),
                                fill=pg.mkBrush(self.theme.bands[status]))
            label.setZValue(10)
            if self.style.text_px:
                label.setFont(_font(self.style.text_px))
            label.setPos(self._right_edge, low)
            plot.addItem(label)
        plot.setYRange(0, top, padding=0)

    def _annotate(self, plot: pg.PlotItem, annotations: Sequence[Annotation],
                  label: bool) -> None:
        for number, note in enumerate(annotations):
            line = pg.InfiniteLine(
                pos=note.day.toordinal(), angle=90, movable=False,
                pen=pg.mkPen(self.theme.annotation, width=1, style=Qt.PenStyle.DashLine),
                label=f"{note.day:%d %b}: {_short(note.text)}" if label else None,
                # staggered, so notes close together do not print over each other
                labelOpts={"position": 0.96 - 0.08 * (number % 4),
                           "color": self.theme.annotation,
                           # see-through enough that a line behind it still shows
                           "fill": pg.mkBrush(_translucent(self.theme.background, 170)),
                           "anchors": [(0, 0), (0, 0)]})
            if label and self.style.label_px:
                line.label.setFont(_font(self.style.label_px))
            plot.addItem(line)


class ChartPanel(QWidget):
    """The charts for the selected Page(s) and their Data tab.

    Right-clicking the charts offers to add a note on the day under the pointer, to edit the
    notes drawn near it, and the actions added to ``layout_widget`` (such as Copy chart)."""

    # (day, the note to edit or None to add one) from the chart's menu
    note_requested = Signal(object, object)

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.theme = theme
        self.annotations: list[Annotation] = []  # the notes drawn
        self._hover_day: date | None = None
        self._last_day: date | None = None
        # how the menu is shown (tests look at it instead)
        self.run_menu = lambda menu, position: menu.exec(position)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Charts and data")
        self.layout_widget = pg.GraphicsLayoutWidget()
        self.layout_widget.setAccessibleName("Chart")
        self.layout_widget.setAccessibleDescription(
            "Followers, people talking about the Page, and talking about per 1,000 followers "
            "over time. The Data tab has the same numbers as a table.")
        self.hover = QLabel(" ")
        self.hover.setAccessibleName("Values at the pointer")
        self.hover.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        plots_page = QWidget()
        plots_layout = QVBoxLayout(plots_page)
        plots_layout.setContentsMargins(0, 0, 0, 0)
        plots_layout.addWidget(self.layout_widget, 1)
        plots_layout.addWidget(self.hover)
        self.message = QLabel(NOTHING_SELECTED)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Chart")
        # the charts, or a line saying what to do when no Page is selected
        self.chart_page = QStackedWidget()
        self.chart_page.addWidget(self.message)
        self.chart_page.addWidget(plots_page)
        chart_page = self.chart_page
        self.table = QTableView()
        self.table.setAccessibleName("Chart data")
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setResizeContentsPrecision(60)
        self.data_model = SeriesTable()
        self.table.setModel(self.data_model)
        self.tabs.addTab(chart_page, "&Chart")
        self.tabs.addTab(self.table, "&Data")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.chart = Chart(self.layout_widget.ci, theme)
        self._mouse = pg.SignalProxy(self.layout_widget.scene().sigMouseMoved, rateLimit=30,
                                     slot=self._moved)
        self.layout_widget.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.layout_widget.customContextMenuRequested.connect(self._context_menu)
        self._apply_background()

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.chart.theme = theme
        self._apply_background()

    def _apply_background(self) -> None:
        self.layout_widget.setBackground(self.theme.background)

    # Drawing --------------------------------------------------------------------------------

    @property
    def plots(self) -> list[pg.PlotItem]:
        return self.chart.plots

    @property
    def series(self) -> list[PageSeries]:
        return self.chart.series

    def show_pages(self, series: Sequence[PageSeries], annotations: Sequence[Annotation],
                   thresholds: Thresholds, first: date, last: date) -> None:
        """One Page: followers, talking about and the rate, stacked; several: their rates
        compared on one chart with a legend."""
        self.chart_page.setCurrentIndex(1 if series else 0)
        self.annotations = list(annotations)
        self._last_day, self._hover_day = last, None
        self.chart.draw(series, annotations, thresholds, first, last)
        self._fill_table()

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
                    self.series) == 1 else f", {_short(names.get(note.page_id, ''), 24)}"
                label = f"Edit note: {note.day.day} {note.day:%b}{whom}: {_short(note.text, 32)}"
                edit = menu.addAction(_menu_text(label if label.endswith("…") else label + "…"))
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

    def _fill_table(self) -> None:
        if len(self.series) == 1:
            rows = []
            for point in reversed(self.series[0].points):
                size = audience(point.followers, point.fans)
                ratio = per_1000(point.talking_about, size)
                rows.append((f"{point.day:%a %d %b %Y}", _count(size),
                             _count(point.talking_about),
                             "–" if ratio is None else f"{ratio:.1f}"))
            self.data_model.set_rows(["Date", "Followers", "Talking about", "Per 1,000"], rows)
        elif self.series:
            by_day: dict[date, list[str]] = {}
            for column, page in enumerate(self.series):
                for point in page.points:
                    ratio = per_1000(point.talking_about, audience(point.followers, point.fans))
                    row = by_day.setdefault(point.day, ["–"] * len(self.series))
                    row[column] = "–" if ratio is None else f"{ratio:.1f}"
            self.data_model.set_rows(
                ["Date", *(s.name for s in self.series)],
                [(f"{day:%a %d %b %Y}", *by_day[day]) for day in sorted(by_day, reverse=True)])
        else:
            self.data_model.set_rows([], [])
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
                parts.append(f"{page.name}: {rate}")
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


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _menu_text(text: str) -> str:
    """Text shown as is in a menu (an ampersand would otherwise mark a shortcut key)."""
    return text.replace("&", "&&")


def _count(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"


class SeriesTable(QAbstractTableModel):
    """The numbers behind a chart, as text, for the Data tab (read-only, copyable)."""

    def __init__(self) -> None:
        super().__init__()
        self.headers: list[str] = []
        self.rows: list[tuple[str, ...]] = []

    def set_rows(self, headers: list[str], rows: list[tuple[str, ...]]) -> None:
        self.beginResetModel()
        self.headers, self.rows = headers, rows
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
        return self.rows[index.row()][index.column()]
