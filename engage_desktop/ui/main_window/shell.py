"""The main window itself: its widgets and layout, the traffic light, the charts, the date
range, notes, and the import, export, Settings and Connect dialogs."""

from __future__ import annotations

import functools
import html
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import (
    QDate,
    QEvent,
    QItemSelectionModel,
    QObject,
    QSettings,
    QSignalBlocker,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QFontMetrics, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QSystemTrayIcon,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from engage_desktop import APP_NAME
from engage_desktop.core import traffic_light
from engage_desktop.core.store import Store
from engage_desktop.core.timeutil import EARLIEST_DAY, LATEST_DAY, UK, utc_now
from engage_desktop.ui import plain, preferences
from engage_desktop.ui.errors_shown import error_words
from engage_desktop.ui.focus_frame import frame_focus
from engage_desktop.ui.main_window import actions, state
from engage_desktop.ui.main_window.state import CUSTOM, DEFAULT_RANGE, RANGES
from engage_desktop.ui.main_window.sync_controller import SyncController
from engage_desktop.ui.operations import Operation, OperationQueue
from engage_desktop.ui.theme import Theme
from engage_desktop.ui.theme import palette as theme_palette
from engage_desktop.ui.traffic_model import (
    COLUMNS,
    ESSENTIAL,
    PAGE,
    PAGE_ID_ROLE,
    SHOWN_ORDER,
    STATUS,
    TrafficLightModel,
    TrafficLightProxy,
)
from engage_desktop.ui.words import in_window

ZOOM_SETTLE_MS = 250  # the chart is read again this long after the wheel or a drag stops
IMPORT_FILTERS = ("Exports and spreadsheets (*.csv *.xlsx *.txt);;CSV files (*.csv);;"
                  "Excel workbooks (*.xlsx);;All files (*)")


class _FirstPaint(QObject):
    """Calls back once, the first time a widget paints (used by --quit-when-ready)."""

    def __init__(self, widget: QWidget, ready: Callable[[], bool],
                 callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self.ready = ready
        self.callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.ready():
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.callback)
        return False


class _DetailsLine(QLabel):
    """The line under the table: plain text, wrapped, as tall as its text needs (a splitter
    does not pass on a wrapped label's height for its width, so it says so itself)."""

    def __init__(self) -> None:
        super().__init__()
        self.setTextFormat(Qt.TextFormat.PlainText)  # Page names and Meta's words as written

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        height = self.heightForWidth(max(self.width(), 1))
        if height > 0 and height != self.minimumHeight():
            self.setMinimumHeight(height)


class MainWindow(QMainWindow):
    def __init__(self, store: Store, theme: Theme, settings: QSettings,
                 open_demo: Callable[[], None] | None = None, *,
                 light: traffic_light.TrafficLight | None = None) -> None:
        """``light`` is the traffic light when it has already been read (at start-up, while
        Qt loaded); otherwise the window reads it."""
        super().__init__()
        self.store = store
        self.theme = theme
        self.settings = settings
        self.open_demo = open_demo
        self.charts = None  # the ChartPanel, made after the table is on screen
        self.on_table_painted: Callable[[], None] | None = None
        self.on_chart_drawn: Callable[[], None] | None = None
        # How import_files makes and runs its dialog (tests drive the dialog instead of exec)
        self.import_dialog_factory: Callable[..., QDialog] | None = None  # ImportDialog
        self.run_import_dialog: Callable[[QDialog], int] = lambda dialog: dialog.exec()
        # How export_current makes and runs its dialog (tests drive the dialog instead of exec)
        self.export_dialog_factory: Callable[..., QDialog] | None = None  # ExportDialog
        self.run_export_dialog: Callable[[QDialog], int] = lambda dialog: dialog.exec()
        # How open_connect and open_settings make and run their dialogs (likewise)
        self.connect_dialog_factory: Callable[..., QDialog] | None = None  # ConnectDialog
        self.run_connect_dialog: Callable[[QDialog], int] = lambda dialog: dialog.exec()
        self.settings_dialog_factory: Callable[..., QDialog] | None = None  # SettingsDialog
        self.run_settings_dialog: Callable[[QDialog], int] = lambda dialog: dialog.exec()
        self.changes_dialog: QDialog | None = None  # "What changed", while it is open
        self.alerts_dialog: QDialog | None = None  # "Alerts", while it is open
        self.tray: QSystemTrayIcon | None = None  # made for the first desktop notice
        self.setWindowTitle(f"{APP_NAME} — {store.path.name} ({store.path.parent})")
        self.setAccessibleName(APP_NAME)

        self.model = TrafficLightModel(theme)
        self.proxy = TrafficLightProxy()
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Traffic light")
        self.table.setAccessibleDescription(
            "One row per Page: status, followers, people talking about it, the rate per 1,000 "
            "followers, its 28-day trend and the date of the reading.")
        # Worst first, the order the traffic light arrives in (set before sorting is enabled,
        # so that nothing is sorted twice)
        self.table.horizontalHeader().setSortIndicator(STATUS, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        # right-click (or the menu key) on a Page: description, reconnect, stop following, forget
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._page_menu_at)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        # Columns sized once from their texts (cheaper at start-up than ResizeToContents,
        # which measures cells at every layout), then left to the officer to drag.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        # what the traffic light is for first (status, Page, per 1,000, trend), so a narrow
        # screen shows them without scrolling sideways; the rest can be hidden from the
        # header's menu (or View > Columns)
        for visual, column in enumerate(SHOWN_ORDER):
            header.moveSection(header.visualIndex(column), visual)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu_at)
        self.column_actions = self._make_column_actions()
        # the selected Page's status, its problem and what to do, in words a screen reader
        # reads (not only in a tooltip)
        self.details = _DetailsLine()
        self.details.setObjectName("page-details")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                             | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.details.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.details.setAccessibleName("Selected Page details")
        self.details.setContentsMargins(4, 2, 4, 2)

        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter Pages (Ctrl+F)")
        self.filter.setAccessibleName("Filter Pages by name")
        self.filter.setClearButtonEnabled(True)
        # its hint stays readable on a narrow screen: the toolbar's buttons go under » first
        self.filter.setMinimumWidth(
            self.filter.fontMetrics().horizontalAdvance(self.filter.placeholderText()) + 40)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)

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
            edit.dateChanged.connect(self._redraw)
        self.summary = plain.label()
        self.summary.setAccessibleName("Summary")

        tools = QToolBar("Traffic light")
        tools.setObjectName("main-toolbar")
        tools.setMovable(False)
        tools.addWidget(self.filter)
        tools.addSeparator()
        range_label = QLabel(" Show: ")
        range_label.setBuddy(self.range)
        tools.addWidget(range_label)
        tools.addWidget(self.range)
        # toolbar widgets are shown and hidden through their actions
        self.custom_dates = [tools.addWidget(self.start), tools.addWidget(self.end)]
        tools.addSeparator()
        tools.addWidget(self.summary)
        # the toolbar's and the menu bar's actions (actions.py)
        actions.add_actions(self)
        actions.fill_toolbar(self, tools)
        self.menus = actions.fill_menu_bar(self, self.menuBar())
        self.addToolBar(tools)
        self.setAcceptDrops(True)

        self.chart_holder = QWidget()
        self.chart_layout = QVBoxLayout(self.chart_holder)
        self.chart_layout.setContentsMargins(0, 0, 0, 0)
        self.chart_placeholder = QLabel("Loading the charts…")
        self.chart_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.chart_layout.addWidget(self.chart_placeholder)
        table_area = QWidget()
        table_layout = QVBoxLayout(table_area)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.setSpacing(2)
        table_layout.addWidget(self.table, 1)
        table_layout.addWidget(self.details)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(table_area)
        self.splitter.addWidget(self.chart_holder)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([900, 600])

        self.stack = QStackedWidget()
        self.stack.addWidget(self._empty_state())
        self.stack.addWidget(self.splitter)
        self.setCentralWidget(self.stack)

        self.age = plain.label()  # plain: warnings quote cells of the database
        self.age.setAccessibleName("Data age")
        self.location = plain.label(str(store.path))
        self.location.setAccessibleName("Database")
        self.statusBar().addWidget(self.age, 1)
        self.statusBar().addPermanentWidget(self.location)
        self.runner: OperationQueue = OperationQueue()  # tests put an InlineQueue here
        self._waiting_shown = ""  # the waiting words the status bar shows, to clear them
        self.runner.waiting_changed.connect(self._show_waiting)
        self.syncing = SyncController(self)  # its progress bar and Cancel button
        self.progress = self.syncing.progress
        self.cancel_button = self.syncing.cancel_button
        self._zoomed_from: int | None = None  # the range chosen before the chart was zoomed
        self._zoom_timer = QTimer(self)
        self._zoom_timer.setSingleShot(True)
        self._zoom_timer.setInterval(ZOOM_SETTLE_MS)
        self._zoom_timer.timeout.connect(self._redraw)

        state.restore(self)
        self._show_custom_dates()
        self.range.currentIndexChanged.connect(self._range_changed)
        self.table.selectionModel().selectionChanged.connect(self._redraw)
        self.table.selectionModel().selectionChanged.connect(self._show_details)
        self.table.selectionModel().currentRowChanged.connect(self._show_details)
        # a frame that shows which of the table and the chart has the keyboard
        self.focus_frames = frame_focus(self.table, self.details)
        self.read_only_reason: str | None = None  # why nothing can be changed, when so
        self._show_read_only()
        self.refresh(light)

    # State ---------------------------------------------------------------------------------

    def _show_read_only(self) -> None:
        """A database open read-only (a copy published for the team, a file that cannot be
        written, or opened so): the title says so, the status bar says why and what to do,
        and what would write to it (Sync, Import, Connect, notes, the Page's actions, the
        database's settings) is disabled, its tooltip saying why."""
        why = self.store.read_only
        if why is None:
            return
        self.read_only_reason = in_window(why.sentence())
        self.setWindowTitle(f"{self.windowTitle()} (read-only)")
        for control in (self.import_action, self.connect_action, self.sync_action,
                        self.import_button):
            control.setEnabled(False)
            control.setToolTip(f"{control.toolTip()} Not available: {self.read_only_reason}"
                               .strip())
        self.import_action.setStatusTip(self.import_action.toolTip())
        self.read_only_label = plain.label(f"Read-only: {self.read_only_reason}")
        self.read_only_label.setObjectName("read-only")
        self.read_only_label.setAccessibleName("Read-only")
        self.read_only_label.setAccessibleDescription(self.read_only_label.text())
        self.read_only_label.setWordWrap(True)
        # reachable from the keyboard (Tab), as the details line is: the disabled buttons are not
        self.read_only_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.read_only_label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.statusBar().insertWidget(0, self.read_only_label, 2)

    def refuse_when_read_only(self, what: str) -> bool:
        """True (after saying why in the status bar) when the database is open read-only."""
        if self.read_only_reason is None:
            return False
        self.statusBar().showMessage(f"Cannot {what}: {self.read_only_reason}", 15000)
        return True

    def set_theme(self, scheme: Theme) -> None:
        """The light or dark scheme (when the system's changes): the palette, the traffic
        light's colours and the charts, drawn again."""
        from PySide6.QtWidgets import QApplication

        QApplication.instance().setPalette(theme_palette(scheme))
        self.theme = scheme
        self.model.set_theme(scheme)
        if self.charts is not None:
            self.charts.set_theme(scheme)

    def _empty_state(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        text = QLabel(
            "<h2>No Pages yet</h2>"
            "<p>Engage Desktop shows whether people are talking to your Facebook Pages. "
            "To start:</p><ul>"
            "<li><b>Connect a token</b> from Meta: press <b>Connect…</b> in the toolbar or the "
            "<b>Pages</b> menu "
            "(<b>Ctrl+K</b>) and paste it, then <b>Sync</b> (<b>Ctrl+R</b>).</li>"
            "<li><b>Follow other councils' Pages</b> to compare: in <b>Connect…</b>, add "
            "their facebook.com addresses under <i>Add public Pages to compare</i>.</li>"
            "<li><b>Import files</b> you already have, such as Meta Business Suite exports "
            "or your own spreadsheets: press <b>Ctrl+I</b> or drag the files onto this "
            "window.</li>"
            "<li>Or look around with <b>demo data</b> first.</li></ul>")
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setAccessibleName("What to do next")
        # A fixed width lets the wrapped text take the height it needs (an alignment flag in
        # the layout would squeeze it to one line's height).
        text.setFixedWidth(640)
        text.setMinimumHeight(text.heightForWidth(640))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(text)
        row.addStretch(1)
        layout.addLayout(row)
        self.demo_button = QPushButton("Open the &demo data")
        self.demo_button.setAccessibleName("Open the demo data")
        self.demo_button.setEnabled(self.open_demo is not None)
        if self.open_demo is not None:
            self.demo_button.clicked.connect(self.open_demo)
        self.import_button = QPushButton("&Import files…")
        self.import_button.setAccessibleName("Import files")
        self.import_button.clicked.connect(self.choose_import_files)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(2)
        return page

    def refresh(self, light: traffic_light.TrafficLight | None = None) -> None:
        """Show ``light``, or read the traffic light from the database again."""
        light = traffic_light.build(self.store) if light is None else light
        selected = self.selected_page_ids() if self.model.rows else []
        # the view keeps whatever sort the officer chose
        problems = {page_id: in_window(problem)
                    for page_id, problem in self.store.page_problems().items()}
        self.model.set_light(light, problems=problems)
        self._select_pages(selected)
        self._size_columns()
        self._show_details()
        self.summary.setText(f"  {light.summary()}  ")
        self.summary.setToolTip(light.thresholds.describe())
        self.stack.setCurrentIndex(1 if light.rows else 0)
        self._status_bar()
        if self.changes_dialog is not None:  # open beside the window: read again
            self.changes_dialog.show_changes(self.what_changed())
        self.show_alert_count()
        if self.alerts_dialog is not None:
            self.alerts_dialog.show_alerts()

    def after_data_changed(self, *, chart_something: bool = False) -> None:
        """The database changed (a sync, an import, Settings, a Page followed or forgotten):
        read the traffic light again, keep the selection, and draw the charts again. With
        ``chart_something``, the first Page is selected when none is, so the chart is not
        left empty after the first import or connection."""
        self.refresh()
        if (chart_something and self.charts is not None and self.model.rows
                and not self.table.selectionModel().hasSelection()):
            self.select_row(0)  # this redraws
        else:
            self._redraw()

    def _size_columns(self) -> None:
        metrics = self.table.fontMetrics()
        header = self.table.horizontalHeader()
        bold = self.table.font()
        bold.setBold(True)
        bold_metrics = QFontMetrics(bold)
        padding = metrics.horizontalAdvance("MM")
        # a long name is elided (its whole is in the tooltip and the details line)
        page_limit = metrics.horizontalAdvance("x" * 30)
        for column in range(self.model.columnCount()):
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            texts = [self.model.index(row, column).data()
                     for row in range(min(self.model.rowCount(), 60))]
            widest = max([bold_metrics.horizontalAdvance(title),
                          *(bold_metrics.horizontalAdvance(t or "") for t in texts)])
            limit = page_limit if column == PAGE else 420
            header.resizeSection(column, min(widest + padding, limit))

    def _make_column_actions(self) -> dict[int, QAction]:
        """A checkable action per column that can be hidden, shown as remembered."""
        hidden = state.hidden_columns(self.settings)
        made = {}
        for column in SHOWN_ORDER:
            if column in ESSENTIAL:
                continue
            action = QAction(f"{COLUMNS[column]} column", self)
            action.setCheckable(True)
            action.setChecked(column not in hidden)
            action.toggled.connect(functools.partial(self._show_column, column))
            self.table.setColumnHidden(column, column in hidden)
            made[column] = action
        return made

    def _show_column(self, column: int, shown: bool) -> None:
        self.table.setColumnHidden(column, not shown)
        state.save_hidden_columns(self.settings, [c for c, action in self.column_actions.items()
                                                  if not action.isChecked()])

    def column_menu(self) -> QMenu:
        """The columns that can be hidden, each with a tick when shown."""
        menu = QMenu("&Columns", self)
        menu.setAccessibleName("Columns of the traffic light")
        menu.addActions(list(self.column_actions.values()))
        return menu

    def _column_menu_at(self, position) -> None:
        menu = self.column_menu()
        menu.exec(self.table.horizontalHeader().mapToGlobal(position))
        menu.deleteLater()

    def _show_details(self, *_: object) -> None:
        """The details line: the current Page's status and why, and its problem with what to
        do about it."""
        index = self.table.currentIndex()
        if not index.isValid() and self.table.selectionModel().hasSelection():
            index = self.table.selectionModel().selectedRows()[0]
        if not index.isValid():
            text = ("Select a Page to see its status in words here."
                    if self.model.rows else "")
        else:
            source = self.proxy.mapToSource(index)
            row = self.model.rows[source.row()]
            text = f"{row.page.name}: {row.status.word}. {row.assessment.reason}"
            problem = self.model.problems.get(row.page.id)
            if problem:
                text += f"\nNeeds attention: {problem}"
        self.details.setText(text)
        self.details.setAccessibleDescription(text)

    def _status_bar(self) -> None:
        readings = [row.latest.taken_at for row in self.model.rows if row.latest]
        if readings:
            newest = max(readings)
            days = (utc_now() - newest).days
            age = "today" if days == 0 else "yesterday" if days == 1 else f"{days} days ago"
            when = f"{newest.astimezone(UK):%a %d %b %H:%M}, {age}"
            # "Offline" only when a sync found no network, never merely for not having synced
            if self.sync_state == "synced" and self.synced_at is not None:
                text = (f"Synced at {self.synced_at.astimezone(UK):%H:%M}: data as of "
                        f"{when}")
            elif self.sync_state == "offline":
                text = f"Offline — showing data as of {when}"
            else:
                text = f"Data as of {when}"
        else:
            text = "No readings yet"
        warnings = [in_window(warning) for warning in self.store.warnings]
        from engage_desktop.core.paths import portable_dir

        if portable_dir() is not None:
            warnings.insert(0, "Portable: data beside the program")
        self.age.setText(" · ".join([text, *warnings]))
        # the whole of each warning, one a line, when the status bar is too narrow for them
        self.age.setToolTip("<br>".join(html.escape(warning) for warning in warnings))

    def focus_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_chart(self) -> None:
        if self.charts is not None:
            self.charts.tabs.setCurrentIndex(0)
            self.charts.layout_widget.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def open_page_menu(self) -> None:
        """The menu of the selected Page, under its row (as the menu key shows it)."""
        index = self.table.currentIndex()
        if not index.isValid() and self.table.selectionModel().hasSelection():
            index = self.table.selectionModel().selectedRows()[0]
        if not index.isValid():
            self.statusBar().showMessage("Select a Page first (Ctrl+1 goes to the table).",
                                         8000)
            return
        self.table.scrollTo(index)
        self._page_menu_at(self.table.visualRect(index).bottomLeft())

    def show_shortcuts(self) -> int:
        from engage_desktop.ui.help_dialogs import ShortcutsDialog

        dialog = ShortcutsDialog(self)
        try:
            return self.run_help_dialog(dialog)
        finally:
            dialog.deleteLater()

    def show_about(self) -> int:
        from engage_desktop.ui.help_dialogs import AboutDialog

        dialog = AboutDialog(self.store.path, self)
        try:
            return self.run_help_dialog(dialog)
        finally:
            dialog.deleteLater()

    def run_help_dialog(self, dialog: QDialog) -> int:
        """Show a Help dialog (tests replace this to look at it instead of exec)."""
        return dialog.exec()

    def find_pages(self) -> None:
        """To the filter (Ctrl+F), its text selected to be typed over."""
        self.filter.setFocus()
        self.filter.selectAll()

    def select_row(self, row: int) -> None:
        """Select one row of the traffic light, whatever keys are held (QTableView.selectRow
        adds to the selection while Ctrl is down)."""
        selection = self.table.selectionModel()
        index = self.proxy.index(row, 0)
        selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
        selection.select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                         | QItemSelectionModel.SelectionFlag.Rows)

    def select_page(self, page_id: str) -> bool:
        """Select one Page in the traffic light (clearing a filter that hides it) and show
        it; False when it is not in the table."""
        for attempt in range(2):
            for row in range(self.proxy.rowCount()):
                index = self.proxy.index(row, 0)
                if index.data(PAGE_ID_ROLE) == page_id:
                    self.select_row(row)
                    self.table.scrollTo(index)
                    return True
            if attempt == 0 and self.filter.text():
                self.filter.clear()
            else:
                break
        return False

    def _select_pages(self, page_ids: list[str]) -> None:
        """Select these Pages again (after the traffic light was read anew)."""
        if not page_ids:
            return
        selection = self.table.selectionModel()
        flags = (QItemSelectionModel.SelectionFlag.Select
                 | QItemSelectionModel.SelectionFlag.Rows)
        with QSignalBlocker(selection):
            for row in range(self.proxy.rowCount()):
                index = self.proxy.index(row, 0)
                if index.data(PAGE_ID_ROLE) in page_ids:
                    selection.select(index, flags)
        self.table.viewport().update()

    def selected_page_ids(self) -> list[str]:
        """The selected Pages in the traffic light's own order (worst first), whatever column
        the table is sorted by: sorting never changes what is charted, nor its colours."""
        rows = [self.proxy.mapToSource(index)
                for index in self.table.selectionModel().selectedRows()]
        return [index.data(PAGE_ID_ROLE) for index in sorted(rows, key=lambda i: i.row())]

    def date_range(self) -> tuple[date, date]:
        _, days = RANGES[self.range.currentIndex()]
        today = utc_now().astimezone(UK).date()
        if days == -1:
            first = self.start.date().toPython()
            last = self.end.date().toPython()
            return (first, last) if first <= last else (last, first)
        if days is None:
            return self.store.first_day(today), today
        return today - timedelta(days=days - 1), today

    def _range_changed(self) -> None:
        self._zoomed_from = None  # the officer chose a range: nothing to reset to
        if self.charts is not None:
            self.charts.reset_button.hide()
        self._show_custom_dates()
        self._redraw()

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
        self._zoom_timer.start()

    def reset_view(self) -> None:
        """Back to the range chosen before zooming."""
        index = DEFAULT_RANGE if self._zoomed_from is None else self._zoomed_from
        self._zoom_timer.stop()
        if index == self.range.currentIndex():
            self._range_changed()
        else:
            self.range.setCurrentIndex(index)  # which redraws
        self.range.setFocus()

    def set_steady_line(self, on: bool) -> None:
        """The charts' lines as 7-day averages over the faint daily values (``on``), or the
        daily values; remembered for the next session."""
        state.save_steady_line(self.settings, on)
        self._redraw()

    def _show_custom_dates(self) -> None:
        custom = RANGES[self.range.currentIndex()][1] == -1
        for action in self.custom_dates:
            action.setVisible(custom)

    # Charts ---------------------------------------------------------------------------------

    def load_charts(self) -> None:
        """Make the charts (this imports pyqtgraph, so it runs after the table is shown)."""
        if self.charts is not None:
            return
        from engage_desktop.ui.charts import ChartPanel

        self.charts = ChartPanel(self.theme)
        self.charts.read_only = self.read_only_reason
        self.chart_layout.removeWidget(self.chart_placeholder)
        self.chart_placeholder.hide()
        self.chart_layout.addWidget(self.charts)
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
        self.focus_frames += frame_focus(self.charts.single_widget, self.charts.compare_widget)
        file_menu = self.menus["File"]
        file_menu.insertAction(self.quit_action, copy)  # the menu's item works anywhere
        file_menu.insertSeparator(self.quit_action)
        self.charts.view_changed.connect(self._zoomed)
        self.charts.reset_button.clicked.connect(self.reset_view)
        self.copy_action = copy
        if self.model.rows and not self.table.selectionModel().hasSelection():
            self.select_row(0)  # the worst Page, what an officer looks at first (redraws)
        else:
            self._redraw()

    def _redraw(self) -> None:
        if self.charts is None:
            return
        self._zoom_timer.stop()

        from engage_desktop.ui.charts import MAX_COMPARED, PageSeries

        warned = len(self.store.warnings)
        ids = self.selected_page_ids()
        ids, left_out = ids[:MAX_COMPARED], ids[MAX_COMPARED:]
        first, last = self.date_range()
        names = {row.page.id: row.page.name for row in self.model.rows}
        series = [PageSeries(pid, names.get(pid, pid),
                             self.store.daily_series(pid, first, last)) for pid in ids]
        notes = self.store.notes(first, last, ids)
        self.charts.show_pages(series, notes, self.store.thresholds(), first, last,
                               [names.get(pid, pid) for pid in left_out],
                               average=self.steady_line_action.isChecked())
        if len(self.store.warnings) != warned:  # unreadable readings found on the way
            self._status_bar()
        if self.on_chart_drawn is not None and series:  # with figures or saying it has none
            callback, self.on_chart_drawn = self.on_chart_drawn, None
            _FirstPaint(self.charts.layout_widget.viewport(), lambda: True, callback)

    # Notes (from the chart's menu) ----------------------------------------------------------

    def run_note_dialog(self, dialog: QDialog) -> int:
        """Show the note dialog (tests replace this to drive the dialog instead of exec)."""
        return dialog.exec()

    def edit_note(self, day: date, note=None) -> str | None:
        """Add a note on ``day`` (``note`` None), or edit or delete ``note`` (a Note),
        in the note dialog; the charts are drawn again after a change. Returns what was
        written: "added", "saved", "deleted" or None."""
        from engage_desktop.ui.note_dialog import NoteDialog

        if self.refuse_when_read_only("add or change notes"):
            return None
        pages = [(s.page_id, s.name) for s in self.charts.series] if self.charts else []
        # a new note is for the one Page charted, or for all of those compared
        dialog = NoteDialog(self.store, day, pages, note,
                            pages[0][0] if len(pages) == 1 else None, self)
        try:
            self.run_note_dialog(dialog)
            outcome = dialog.outcome
        finally:
            dialog.deleteLater()
        if outcome is not None:
            self._redraw()
            self.statusBar().showMessage(f"Note {outcome}.", 5000)
        return outcome

    # Importing ------------------------------------------------------------------------------

    def choose_import_files(self) -> bool:
        folder = preferences.IMPORT_FOLDER.get(self.settings)
        names, _ = QFileDialog.getOpenFileNames(self, "Import files", folder, IMPORT_FILTERS)
        if not names:
            return False
        paths = [Path(name) for name in names]
        preferences.IMPORT_FOLDER.set(self.settings, str(paths[0].parent))
        return self.import_files(paths)

    def import_files(self, paths: list[Path]) -> bool:
        """Preview ``paths`` in the import dialog; True when the officer imported them (the
        traffic light and charts then show the new history)."""
        if not paths or self.refuse_when_read_only("import files"):
            return False
        factory = self.import_dialog_factory
        if factory is None:
            from engage_desktop.ui.import_dialog import ImportDialog  # not needed at start-up

            factory = ImportDialog
        dialog = factory(self.store, paths, self)
        try:
            if self.run_import_dialog(dialog) != QDialog.DialogCode.Accepted:
                return False
        finally:
            dialog.deleteLater()
        self.after_data_changed(chart_something=True)
        return True

    @staticmethod
    def _dropped_files(event: QDragEnterEvent | QDropEvent) -> list[Path]:
        data = event.mimeData()
        if not data.hasUrls():
            return []
        return [Path(url.toLocalFile()) for url in data.urls() if url.isLocalFile()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self._dropped_files(event)
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        # after the drop has finished: the dialog must not hold up the program it came from
        QTimer.singleShot(0, lambda: self.import_files(paths))

    def copy_chart(self) -> bool:
        """Put the chart of the selected Pages on the clipboard: the document export (16 cm
        wide at 300 dpi, on white), which pastes into Word or PowerPoint at that size."""
        from PySide6.QtWidgets import QApplication

        from engage_desktop.core.exporting.files import ExportError
        from engage_desktop.ui import rendering

        first, last = self.date_range()
        try:
            content = rendering.chart_content(self.store, self.selected_page_ids(), first,
                                              last)
        except ExportError as error:
            self.statusBar().showMessage(error_words(error, "Nothing copied:"), 8000)
            return False
        image = rendering.chart_image(content, rendering.PRESETS["document"])
        # The image carries its resolution, so it pastes at its natural size. (Not a
        # QMimeData made here: PySide6 frees it under the clipboard, which crashes on exit.)
        QApplication.clipboard().setImage(image)
        self.statusBar().showMessage(
            f"Copied the chart ({content.heading}): paste it into Word or PowerPoint.", 8000)
        return True

    # Exporting ------------------------------------------------------------------------------

    def export_current(self) -> bool:
        """Open the export dialog for the selected Pages and the chosen date range; True when
        something was saved from it."""
        return self._export(self.selected_page_ids())

    def export_briefing_of_all(self) -> bool:
        """The export dialog on the briefing of every followed Page, whatever is selected;
        True when it was saved."""
        return self._export([], what="briefing")

    def _export(self, page_ids: list[str], **options: str) -> bool:
        factory = self.export_dialog_factory
        if factory is None:
            from engage_desktop.ui.export_dialog import ExportDialog  # imports the renderer

            factory = ExportDialog
        first, last = self.date_range()
        dialog = factory(self.store, page_ids, first, last, self.settings, self, **options)
        try:
            self.run_export_dialog(dialog)
            return bool(getattr(dialog, "saved", None))
        finally:
            dialog.deleteLater()

    def open_publish(self) -> QDialog:
        """Publish for the team: the team's folder, when it was last published, and a
        Publish button that writes the copy in the background."""
        from engage_desktop.ui.publish_dialog import PublishDialog

        dialog = PublishDialog(self.store.path, self.runner, self.settings, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    # Settings -------------------------------------------------------------------------------

    def open_settings(self) -> bool:
        """The Settings dialog; True when the officer saved (the traffic light is then read
        again with the new thresholds)."""
        factory = self.settings_dialog_factory
        if factory is None:
            from engage_desktop.ui.settings_dialog import SettingsDialog

            factory = SettingsDialog
        dialog = factory(self.store, self.model.light, self.runner, self.settings, self)
        try:
            if self.run_settings_dialog(dialog) != QDialog.DialogCode.Accepted:
                return False
        finally:
            dialog.deleteLater()
        self.after_data_changed()
        return True

    def what_changed(self) -> list:
        """The core's "What changed" for the traffic light shown."""
        from engage_desktop.core import changes

        return changes.what_changed(self.store, light=self.model.light)

    def open_what_changed(self) -> QDialog:
        """"What changed", beside the window (not modal): activating a sentence selects its
        Page."""
        from engage_desktop.ui.changes_dialog import WhatChangedDialog

        if self.changes_dialog is None:
            dialog = WhatChangedDialog(self.what_changed(), self.select_page, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.destroyed.connect(self._changes_dialog_closed)
            self.changes_dialog = dialog
        self.changes_dialog.show()
        self.changes_dialog.raise_()
        self.changes_dialog.activateWindow()
        self.changes_dialog.list.setFocus()
        return self.changes_dialog

    def _changes_dialog_closed(self) -> None:
        self.changes_dialog = None

    def show_alert_count(self) -> int:
        """The unseen alerts' number on the Alerts action (in its text: not colour alone)."""
        unseen = self.store.unseen_alert_count()
        self.alerts_action.setText(actions.alerts_text(unseen))
        return unseen

    def open_alerts(self) -> QDialog:
        """The alerts not seen yet, beside the window (not modal): activating one selects its
        Page and marks it seen."""
        from engage_desktop.ui.alerts_dialog import AlertsDialog

        if self.alerts_dialog is None:
            dialog = AlertsDialog(self.store, self.select_page, self.show_alert_count, self,
                                  read_only=self.read_only_reason)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.destroyed.connect(self._alerts_dialog_closed)
            self.alerts_dialog = dialog
        self.alerts_dialog.show()
        self.alerts_dialog.raise_()
        self.alerts_dialog.activateWindow()
        self.alerts_dialog.list.setFocus()
        return self.alerts_dialog

    def _alerts_dialog_closed(self) -> None:
        self.alerts_dialog = None

    def notify_alerts(self, new: list) -> None:
        """A desktop notice of the alerts a sync found (when the system has a tray); a click
        on it opens Alerts."""
        from engage_desktop.ui.alerts_dialog import show_notice

        made = self.tray is None
        self.tray = show_notice(self.tray, new, self.windowIcon())
        if made and self.tray is not None:
            self.tray.messageClicked.connect(self.open_alerts)

    def open_sync_log(self) -> QDialog:
        """The sync log, beside the window (not modal: it can stay open during a sync)."""
        from engage_desktop.ui.sync_log import SyncLogDialog

        dialog = SyncLogDialog(self.store, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    # Pages ----------------------------------------------------------------------------------

    def page_menu(self, page_id: str):
        """The menu of what can be done with a Page (tests trigger its actions)."""
        from engage_desktop.ui import page_actions

        page = self.store.page(page_id)
        return page_actions.page_menu(
            self, page,
            stop_following=lambda: self.stop_following(page_id),
            forget=lambda: self.forget_page(page_id),
            reconnect=self.open_connect,
            edit_description=lambda: self.edit_page_description(page_id),
            read_only=self.read_only_reason)

    def _page_menu_at(self, position) -> None:
        index = self.table.indexAt(position)
        if not index.isValid():
            index = self.table.currentIndex()
        if not index.isValid():
            return
        menu = self.page_menu(index.data(PAGE_ID_ROLE))
        menu.exec(self.table.viewport().mapToGlobal(position))
        menu.deleteLater()

    def stop_following(self, page_id: str) -> None:
        if self.refuse_when_read_only("stop following a Page"):
            return
        page = self.store.page(page_id)
        self.store.set_followed([page_id], False)
        self.after_data_changed()
        back = ("import its files again" if page.kind == "imported"
                else "connect or follow it again")
        self.statusBar().showMessage(
            f"Stopped following {page.name}; its history is kept ({back} to bring it back).",
            10000)

    def forget_page(self, page_id: str, *, confirm: Callable | None = None) -> bool:
        """Stop following a Page and remove its token (after the officer confirms)."""
        from engage_desktop.ui import page_actions

        if self.refuse_when_read_only("forget a Page"):
            return False
        page = self.store.page(page_id)
        if not (confirm or page_actions.confirm_forget)(self, page):
            return False
        return (Operation("forget", functools.partial(page_actions.forget_work, self.store.path,
                                                      page_id),
                          parent=self, then=f"forget {page.name}")
                .success(lambda names: (
                    self.after_data_changed(),
                    self.statusBar().showMessage(f"Forgot {', '.join(names)}: its token is "
                                                 "removed and it is no longer followed.",
                                                 10000)))
                .failure(lambda error: self.statusBar().showMessage(
                    error_words(error, f"Could not forget {page.name}:"), 15000))
                .run(self.runner))

    def edit_page_description(self, page_id: str) -> bool:
        from engage_desktop.ui import page_actions

        if self.refuse_when_read_only("change a Page's description"):
            return False
        page = self.store.page(page_id)
        dialog = page_actions.PageDescriptionDialog(page, self.store, self)  # it saves on OK
        try:
            if self.run_description_dialog(dialog) != QDialog.DialogCode.Accepted:
                return False
        finally:
            dialog.deleteLater()
        self.refresh()
        return True

    def run_description_dialog(self, dialog: QDialog) -> int:
        return dialog.exec()

    # Connecting -----------------------------------------------------------------------------

    def open_connect(self) -> int:
        """The Connect dialog (tokens, followed Pages, public Pages to compare); on closing it
        the traffic light is read again, since Pages may have been connected or unfollowed."""
        if self.refuse_when_read_only("connect"):
            return QDialog.DialogCode.Rejected
        factory = self.connect_dialog_factory
        if factory is None:
            from engage_desktop.ui.connect_dialog import ConnectDialog  # imports the keyring

            factory = ConnectDialog
        dialog = factory(self.store, self.runner, self)
        try:
            return self.run_connect_dialog(dialog)
        finally:
            dialog.deleteLater()
            self.after_data_changed(chart_something=True)

    # Syncing (sync_controller.py) -----------------------------------------------------------

    def sync_if_due(self) -> bool:
        """Sync when the officer asked for a sync on opening and the last is 20 hours old."""
        return self.syncing.sync_if_due()

    def sync_now(self) -> bool:
        """Start a sync in the background (False when one is already running)."""
        return self.syncing.sync_now()

    def cancel_sync(self) -> None:
        self.syncing.cancel()

    @property
    def sync_state(self) -> str | None:
        """After a sync this session, "synced" or "offline" (None before the first)."""
        return self.syncing.state

    @property
    def synced_at(self) -> datetime | None:
        return self.syncing.synced_at

    # Persistence (state.py) -----------------------------------------------------------------

    def save_state(self) -> None:
        """Remember the window's geometry, its split and the date range."""
        state.save(self)

    def _show_waiting(self, words: str) -> None:
        """Where the window says that an operation waits for the one under way."""
        shown = self.statusBar().currentMessage()
        if words:
            self.statusBar().showMessage(words)
        elif shown and shown == self._waiting_shown:
            self.statusBar().clearMessage()
        self._waiting_shown = words

    def closeEvent(self, event) -> None:
        if self.runner.busy:
            # cancel the operations and wait: what a sync fetched is kept, its run recorded
            self.statusBar().showMessage(f"Stopping the {self.runner.current.name} before "
                                         "closing…")
            self.runner.stop()
        self.save_state()
        super().closeEvent(event)

    def watch_first_table_paint(self, callback: Callable[[], None]) -> None:
        _FirstPaint(self.table.viewport(), lambda: self.model.rowCount() > 0, callback)

