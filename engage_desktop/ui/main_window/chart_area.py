"""The charts' side of the window and the date range they show: the range box and the
From/To dates in the toolbar, the place the charts go once pyqtgraph is loaded (after the
table is on screen), drawing the selected Pages again when the selection, the range or the
steadier line change, zooming (which makes the range Custom, Reset view going back), Copy
chart, and the notes added from the chart's menu."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QObject, QSignalBlocker, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QDateEdit, QLabel, QToolBar, QVBoxLayout, QWidget

from engage_desktop.core.timeutil import EARLIEST_DAY, LATEST_DAY, UK, utc_now
from engage_desktop.ui.errors_shown import error_words
from engage_desktop.ui.focus_frame import frame_focus
from engage_desktop.ui.main_window import state
from engage_desktop.ui.main_window.first_paint import FirstPaint
from engage_desktop.ui.main_window.state import CUSTOM, DEFAULT_RANGE, RANGES

if TYPE_CHECKING:
    from engage_desktop.ui.main_window.shell import MainWindow

ZOOM_SETTLE_MS = 250  # the chart is read again this long after the wheel or a drag stops


class ChartArea(QObject):
    """The date range (``range``, ``start``, ``end``, and ``custom_dates``: the toolbar's
    actions of the two dates, shown only for a Custom range), the charts' place (``holder``)
    and, once loaded, ``charts`` (the ChartPanel) with ``copy_action``. It charts the
    window's selected Pages from the window's store."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.charts = None  # the ChartPanel, made after the table is on screen
        self.copy_action: QAction | None = None
        self.range = QComboBox()
        self.range.setAccessibleName("Date range")
        for label, _ in RANGES:
            self.range.addItem(label)
        self.start = QDateEdit()
        self.end = QDateEdit()
        for edit, name in ((self.start, "From"), (self.end, "To")):
            edit.setCalendarPopup(True)
            edit.setDateRange(QDate(EARLIEST_DAY), QDate(LATEST_DAY))
            edit.setDisplayFormat("dd MMM yyyy")
            edit.setAccessibleName(f"{name} date")
            edit.dateChanged.connect(self.redraw)
        self.custom_dates: list[QAction] = []
        self.holder = QWidget()
        self.holder_layout = QVBoxLayout(self.holder)
        self.holder_layout.setContentsMargins(0, 0, 0, 0)
        self.placeholder = QLabel("Loading the charts…")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.holder_layout.addWidget(self.placeholder)
        self._zoomed_from: int | None = None  # the range chosen before the chart was zoomed
        self.zoom_timer = QTimer(self)
        self.zoom_timer.setSingleShot(True)
        self.zoom_timer.setInterval(ZOOM_SETTLE_MS)
        self.zoom_timer.timeout.connect(self.redraw)

    def add_to(self, tools: QToolBar) -> None:
        """The range box, with its label, and the two dates in the toolbar."""
        range_label = QLabel(" Show: ")
        range_label.setBuddy(self.range)
        tools.addWidget(range_label)
        tools.addWidget(self.range)
        # toolbar widgets are shown and hidden through their actions
        self.custom_dates = [tools.addWidget(self.start), tools.addWidget(self.end)]

    def follow_range(self) -> None:
        """Show the dates when the range (as restored) is Custom, and redraw when the officer
        chooses another range."""
        self._show_custom_dates()
        self.range.currentIndexChanged.connect(self._range_changed)

    # The date range --------------------------------------------------------------------------

    def date_range(self) -> tuple[date, date]:
        _, days = RANGES[self.range.currentIndex()]
        today = utc_now().astimezone(UK).date()
        if days == -1:
            first = self.start.date().toPython()
            last = self.end.date().toPython()
            return (first, last) if first <= last else (last, first)
        if days is None:
            return self.window.store.first_day(today), today
        return today - timedelta(days=days - 1), today

    def _range_changed(self) -> None:
        self._zoomed_from = None  # the officer chose a range: nothing to reset to
        if self.charts is not None:
            self.charts.reset_button.hide()
        self._show_custom_dates()
        self.redraw()

    def _zoomed(self, first: date, last: date) -> None:
        """The chart was zoomed or panned: the range control says Custom with the days in
        view, Reset view goes back, and the chart is read again for those days (once the
        wheel has stopped)."""
        if self._zoomed_from is None:
            self._zoomed_from = self.range.currentIndex()
        with QSignalBlocker(self.range), QSignalBlocker(self.start), QSignalBlocker(self.end):
            self.range.setCurrentIndex(CUSTOM)
            self.start.setDate(QDate(first))
            self.end.setDate(QDate(last))
        self._show_custom_dates()
        self.charts.reset_button.show()
        self.zoom_timer.start()

    def reset_view(self) -> None:
        """Back to the range chosen before zooming."""
        index = DEFAULT_RANGE if self._zoomed_from is None else self._zoomed_from
        self.zoom_timer.stop()
        if index == self.range.currentIndex():
            self._range_changed()
        else:
            self.range.setCurrentIndex(index)  # which redraws
        self.range.setFocus()

    def set_steady_line(self, on: bool) -> None:
        """The charts' lines as 7-day averages over the faint daily values (``on``), or the
        daily values; remembered for the next session."""
        state.save_steady_line(self.window.settings, on)
        self.redraw()

    def _show_custom_dates(self) -> None:
        custom = RANGES[self.range.currentIndex()][1] == -1
        for action in self.custom_dates:
            action.setVisible(custom)

    # The charts ------------------------------------------------------------------------------

    def load_charts(self) -> None:
        """Make the charts (this imports pyqtgraph, so it runs after the table is shown)."""
        if self.charts is not None:
            return
        from engage_desktop.ui.charts import ChartPanel

        window = self.window
        self.charts = ChartPanel(window.theme)
        self.charts.read_only = window.read_only_reason
        self.holder_layout.removeWidget(self.placeholder)
        self.placeholder.hide()
        self.holder_layout.addWidget(self.charts)
        copy = QAction("&Copy chart", self.charts)
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        copy.setToolTip("Copy the chart as a picture for Word or PowerPoint (Ctrl+C)")
        copy.triggered.connect(self.copy_chart)
        self.charts.addAction(copy)
        # the chart's own menu (notes) ends with its actions, such as Copy chart
        self.charts.note_requested.connect(self.edit_note)
        self.charts.add_chart_action(copy)
        self.charts.tabs.tabBar().setAccessibleName("Chart or its data")
        window.focus_frames += frame_focus(self.charts.single_widget,
                                           self.charts.compare_widget)
        file_menu = window.menus["File"]
        file_menu.insertAction(window.quit_action, copy)  # the menu's item works anywhere
        file_menu.insertSeparator(window.quit_action)
        self.charts.view_changed.connect(self._zoomed)
        self.charts.reset_button.clicked.connect(self.reset_view)
        self.copy_action = copy
        if window.model.rows and not window.traffic.has_selection():
            window.select_row(0)  # the worst Page, what an officer looks at first (redraws)
        else:
            self.redraw()

    def redraw(self) -> None:
        """Chart the selected Pages (as many as can be compared) over the date range."""
        if self.charts is None:
            return
        self.zoom_timer.stop()

        from engage_desktop.ui.charts import MAX_COMPARED, PageSeries

        window = self.window
        store = window.store
        warned = len(store.warnings)
        ids = window.selected_page_ids()
        ids, left_out = ids[:MAX_COMPARED], ids[MAX_COMPARED:]
        first, last = self.date_range()
        names = window.traffic.page_names()
        series = [PageSeries(pid, names.get(pid, pid),
                             store.daily_series(pid, first, last)) for pid in ids]
        notes = store.notes(first, last, ids)
        self.charts.show_pages(series, notes, store.thresholds(), first, last,
                               [names.get(pid, pid) for pid in left_out],
                               average=window.steady_line_action.isChecked())
        if len(store.warnings) != warned:  # unreadable readings found on the way
            window.show_data_age()
        if window.on_chart_drawn is not None and series:  # with figures or saying it has none
            callback, window.on_chart_drawn = window.on_chart_drawn, None
            FirstPaint(self.charts.layout_widget.viewport(), lambda: True, callback)

    def focus_chart(self) -> None:
        if self.charts is not None:
            self.charts.tabs.setCurrentIndex(0)
            self.charts.layout_widget.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def copy_chart(self) -> bool:
        """Put the chart of the selected Pages on the clipboard: the document export (16 cm
        wide at 300 dpi, on white), which pastes into Word or PowerPoint at that size."""
        from PySide6.QtWidgets import QApplication

        from engage_desktop.core.exporting.files import ExportError
        from engage_desktop.ui import rendering

        status = self.window.statusBar()
        first, last = self.date_range()
        try:
            content = rendering.chart_content(self.window.store, self.window.selected_page_ids(),
                                              first, last)
        except ExportError as error:
            status.showMessage(error_words(error, "Nothing copied:"), 8000)
            return False
        image = rendering.chart_image(content, rendering.PRESETS["document"])
        # The image carries its resolution, so it pastes at its natural size. (Not a
        # QMimeData made here: PySide6 frees it under the clipboard, which crashes on exit.)
        QApplication.clipboard().setImage(image)
        status.showMessage(
            f"Copied the chart ({content.heading}): paste it into Word or PowerPoint.", 8000)
        return True

    # Notes (from the chart's menu) -----------------------------------------------------------

    def edit_note(self, day: date, note=None) -> str | None:
        """Add a note on ``day`` (``note`` None), or edit or delete ``note`` (a Note),
        in the note dialog (run by ``window.run_note_dialog``); the charts are drawn again
        after a change. Returns what was written: "added", "saved", "deleted" or None."""
        from engage_desktop.ui.note_dialog import NoteDialog

        window = self.window
        if window.refuse_when_read_only("add or change notes"):
            return None
        pages = [(s.page_id, s.name) for s in self.charts.series] if self.charts else []
        # a new note is for the one Page charted, or for all of those compared
        dialog = NoteDialog(window.store, day, pages, note,
                            pages[0][0] if len(pages) == 1 else None, window)
        try:
            window.run_note_dialog(dialog)
            outcome = dialog.outcome
        finally:
            dialog.deleteLater()
        if outcome is not None:
            self.redraw()
            window.statusBar().showMessage(f"Note {outcome}.", 5000)
        return outcome
