"""The window's chart panel: the one-Page chart and the comparison (each made once, in a view
of its own, shown in turn), the comparison's legend, the steadier line's key, the notes'
list, the readout at the pointer, the chart's menu and the Data tab.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QAction
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
from engage_desktop.core.engagement import Thresholds
from engage_desktop.core.models import Note
from engage_desktop.core.timeutil import EARLIEST_DAY, LATEST_DAY
from engage_desktop.core.wording import short
from engage_desktop.ui import plain
from engage_desktop.ui.charts.chart import Chart
from engage_desktop.ui.charts.compare import CompareChart
from engage_desktop.ui.charts.data_table import SeriesTable
from engage_desktop.ui.charts.notes import note_line, numbered
from engage_desktop.ui.charts.panel_words import describe_day, key_text, legend_text, rate_averages
from engage_desktop.ui.charts.series import MAX_COMPARED, PageSeries
from engage_desktop.ui.charts.single import SingleChart
from engage_desktop.ui.charts.style import AVERAGE_KEY
from engage_desktop.ui.plain import mnemonic_safe, one_line
from engage_desktop.ui.theme import Theme

NOTHING_SELECTED = ("Select a Page in the traffic light to see its history; select several "
                    "(Ctrl or Shift) to compare them.")
NEAR_DAYS = 3  # the chart's menu offers to edit the notes this close to the day clicked
NEAR_PIXELS = 12  # ... or this close on screen, when a day is narrower than a pixel


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
        self.key.setText(key_text(self.theme))
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
        self.key.setText(key_text(self.theme))
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
        self._averages = ([rate_averages(page) for page in series[:MAX_COMPARED]]
                          if average else [])
        if len(series) == 1:
            self.single.draw(series[0], notes, thresholds, first, last, average)
            self.chart_page.setCurrentIndex(1)
        elif series:
            self.compare.draw(series, notes, thresholds, first, last, average)
            self.legend.setText(legend_text(self.compare.legend_entries(), left_out))
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

    def _x_changed(self, chart: Chart) -> None:
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

    def _describe(self, day: date) -> str:
        """The values at ``day`` of the Pages charted, as the readout says them."""
        return describe_day(self.series, self._averages, day)
