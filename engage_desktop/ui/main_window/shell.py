"""The main window itself: its layout (the toolbar, the traffic light beside the charts, or
what to do while there are no Pages, and the status bar), its actions and menus, and what
ties its parts together: reading the traffic light again after the data changed, the theme,
files dropped on it, closing.

Its parts, each given the window, are in this package: ``traffic`` (traffic_table.py: the
table, its filter, details line, columns and selection), ``chart_area`` (chart_area.py: the
charts, the date range, zooming, Copy chart and notes), ``dialogs`` (dialogs.py: the dialogs
it opens), ``page_actions`` (page_menu.py: a Page's menu and what it does), ``syncing``
(sync_controller.py), ``status_line`` (status_line.py) and read_only.py. The window's
methods that actions.py names, and that tests and the program call, hand over to them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDialog,
    QMainWindow,
    QMenu,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from engage_desktop import APP_NAME
from engage_desktop.core import traffic_light
from engage_desktop.core.store import Store
from engage_desktop.ui import plain
from engage_desktop.ui.focus_frame import frame_focus
from engage_desktop.ui.main_window import actions, read_only, state
from engage_desktop.ui.main_window.chart_area import ChartArea
from engage_desktop.ui.main_window.dialogs import WindowDialogs
from engage_desktop.ui.main_window.empty_state import EmptyState
from engage_desktop.ui.main_window.first_paint import FirstPaint
from engage_desktop.ui.main_window.page_menu import PageMenu
from engage_desktop.ui.main_window.status_line import StatusLine
from engage_desktop.ui.main_window.sync_controller import SyncController
from engage_desktop.ui.main_window.traffic_table import TrafficTable
from engage_desktop.ui.operations import OperationQueue
from engage_desktop.ui.theme import Theme
from engage_desktop.ui.theme import palette as theme_palette
from engage_desktop.ui.words import in_window


def _run(dialog: QDialog) -> int:
    return dialog.exec()


class MainWindow(QMainWindow):
    """The window on ``store``: its parts, and the methods its actions (actions.py), the
    program and tests call, most of them handed over to the part they belong to."""

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
        self.read_only_reason = read_only.reason(store)  # why nothing can be changed, when so
        self.on_chart_drawn: Callable[[], None] | None = None
        # How the dialogs are made (None: the real one) and run: tests drive them instead
        self.import_dialog_factory: Callable[..., QDialog] | None = None  # ImportDialog
        self.export_dialog_factory: Callable[..., QDialog] | None = None  # ExportDialog
        self.connect_dialog_factory: Callable[..., QDialog] | None = None  # ConnectDialog
        self.settings_dialog_factory: Callable[..., QDialog] | None = None  # SettingsDialog
        self.run_import_dialog: Callable[[QDialog], int] = _run
        self.run_export_dialog: Callable[[QDialog], int] = _run
        self.run_connect_dialog: Callable[[QDialog], int] = _run
        self.run_settings_dialog: Callable[[QDialog], int] = _run
        self.run_description_dialog: Callable[[QDialog], int] = _run  # a Page's description
        self.run_note_dialog: Callable[[QDialog], int] = _run  # a note on the chart
        self.run_help_dialog: Callable[[QDialog], int] = _run
        self.setWindowTitle(f"{APP_NAME} — {store.path.name} ({store.path.parent})")
        self.setAccessibleName(APP_NAME)

        self.traffic = TrafficTable(self, theme, settings)
        self.model, self.proxy, self.table = (self.traffic.model, self.traffic.proxy,
                                              self.traffic.table)
        self.details, self.filter = self.traffic.details, self.traffic.filter
        self.column_actions = self.traffic.column_actions
        self.chart_area = ChartArea(self)
        self.range, self.start, self.end = (self.chart_area.range, self.chart_area.start,
                                            self.chart_area.end)
        self.dialogs = WindowDialogs(self)
        self.summary = plain.label()
        self.summary.setAccessibleName("Summary")

        tools = QToolBar("Traffic light")
        tools.setObjectName("main-toolbar")
        tools.setMovable(False)
        tools.addWidget(self.filter)
        tools.addSeparator()
        self.chart_area.add_to(tools)
        self.custom_dates = self.chart_area.custom_dates
        tools.addSeparator()
        tools.addWidget(self.summary)
        # the toolbar's and the menu bar's actions (actions.py)
        actions.add_actions(self)
        actions.fill_toolbar(self, tools)
        self.menus = actions.fill_menu_bar(self, self.menuBar())
        self.addToolBar(tools)
        self.setAcceptDrops(True)

        table_area = QWidget()
        table_layout = QVBoxLayout(table_area)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.setSpacing(2)
        table_layout.addWidget(self.table, 1)
        table_layout.addWidget(self.details)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(table_area)
        self.splitter.addWidget(self.chart_area.holder)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([900, 600])

        empty = EmptyState(open_demo, self.choose_import_files)
        self.import_button, self.demo_button = empty.import_button, empty.demo_button
        self.stack = QStackedWidget()
        self.stack.addWidget(empty)
        self.stack.addWidget(self.splitter)
        self.setCentralWidget(self.stack)

        self.status_line = StatusLine(self.statusBar(), store.path)
        self.age = self.status_line.age
        self.runner: OperationQueue = OperationQueue()  # tests put an InlineQueue here
        self.runner.waiting_changed.connect(self.status_line.show_waiting)
        self.syncing = SyncController(self)  # its progress bar and Cancel button
        self.progress = self.syncing.progress
        self.cancel_button = self.syncing.cancel_button
        self.page_actions = PageMenu(self)  # the table's right-click and menu key

        state.restore(self)
        self.chart_area.follow_range()
        selection = self.table.selectionModel()
        selection.selectionChanged.connect(self.chart_area.redraw)
        selection.selectionChanged.connect(self.traffic.show_details)
        selection.currentRowChanged.connect(self.traffic.show_details)
        # a frame that shows which of the table and the chart has the keyboard
        self.focus_frames = frame_focus(self.table, self.details)
        if self.read_only_reason is not None:
            self.read_only_label = read_only.show(self, self.read_only_reason)
        self.refresh(light)

    # Reading the data again ------------------------------------------------------------------

    def refresh(self, light: traffic_light.TrafficLight | None = None) -> None:
        """Show ``light``, or read the traffic light from the database again."""
        light = traffic_light.build(self.store) if light is None else light
        problems = {page_id: in_window(problem)
                    for page_id, problem in self.store.page_problems().items()}
        self.traffic.show_light(light, problems)
        self.summary.setText(f"  {light.summary()}  ")
        self.summary.setToolTip(light.thresholds.describe())
        self.stack.setCurrentIndex(1 if light.rows else 0)
        self.show_data_age()
        self.dialogs.read_again()

    def after_data_changed(self, *, chart_something: bool = False) -> None:
        """The database changed (a sync, an import, Settings, a Page followed or forgotten):
        read the traffic light again, keep the selection, and draw the charts again. With
        ``chart_something``, the first Page is selected when none is, so the chart is not
        left empty after the first import or connection."""
        self.refresh()
        if (chart_something and self.charts is not None and self.model.rows
                and not self.traffic.has_selection()):
            self.select_row(0)  # this redraws
        else:
            self.redraw_charts()

    def show_data_age(self) -> None:
        """The status bar's age of the newest reading, and the database's warnings."""
        self.status_line.show_age([row.latest.taken_at for row in self.model.rows if row.latest],
                                   self.sync_state, self.synced_at, self.store.warnings)

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

    # The traffic light (traffic_table.py) ----------------------------------------------------

    def column_menu(self) -> QMenu:
        return self.traffic.column_menu()

    def select_row(self, row: int) -> None:
        self.traffic.select_row(row)

    def select_page(self, page_id: str) -> bool:
        return self.traffic.select_page(page_id)

    def selected_page_ids(self) -> list[str]:
        return self.traffic.selected_page_ids()

    def focus_table(self) -> None:
        self.traffic.focus_table()

    def find_pages(self) -> None:
        self.traffic.find_pages()

    def watch_first_table_paint(self, callback: Callable[[], None]) -> None:
        """``callback`` once the table has painted with Pages in it."""
        FirstPaint(self.table.viewport(), lambda: self.model.rowCount() > 0, callback)

    # The charts and the date range (chart_area.py) -------------------------------------------

    @property
    def charts(self):
        """The ChartPanel, once loaded (None before)."""
        return self.chart_area.charts

    @property
    def copy_action(self):
        return self.chart_area.copy_action

    def load_charts(self) -> None:
        self.chart_area.load_charts()

    def redraw_charts(self) -> None:
        self.chart_area.redraw()

    def date_range(self) -> tuple[date, date]:
        return self.chart_area.date_range()

    def reset_view(self) -> None:
        self.chart_area.reset_view()

    def set_steady_line(self, on: bool) -> None:
        self.chart_area.set_steady_line(on)

    def focus_chart(self) -> None:
        self.chart_area.focus_chart()

    def copy_chart(self) -> bool:
        return self.chart_area.copy_chart()

    def edit_note(self, day: date, note=None) -> str | None:
        return self.chart_area.edit_note(day, note)

    # Dialogs (dialogs.py) --------------------------------------------------------------------

    @property
    def changes_dialog(self) -> QDialog | None:
        return self.dialogs.changes_dialog

    @property
    def alerts_dialog(self) -> QDialog | None:
        return self.dialogs.alerts_dialog

    def choose_import_files(self) -> bool:
        return self.dialogs.choose_import_files()

    def import_files(self, paths: list[Path]) -> bool:
        return self.dialogs.import_files(paths)

    def export_current(self) -> bool:
        """The export dialog for the selected Pages and the chosen date range."""
        return self.dialogs.export(self.selected_page_ids())

    def export_briefing_of_all(self) -> bool:
        """The export dialog on the briefing of every followed Page, whatever is selected."""
        return self.dialogs.export([], what="briefing")

    def open_publish(self) -> QDialog:
        return self.dialogs.open_publish()

    def open_settings(self) -> bool:
        return self.dialogs.open_settings()

    def open_connect(self) -> int:
        return self.dialogs.open_connect()

    def what_changed(self) -> list:
        return self.dialogs.what_changed()

    def open_what_changed(self) -> QDialog:
        return self.dialogs.open_what_changed()

    def show_alert_count(self) -> int:
        return self.dialogs.show_alert_count()

    def open_alerts(self) -> QDialog:
        return self.dialogs.open_alerts()

    def notify_alerts(self, new: list) -> None:
        self.dialogs.notify_alerts(new)

    def open_sync_log(self) -> QDialog:
        return self.dialogs.open_sync_log()

    def show_shortcuts(self) -> int:
        return self.dialogs.show_shortcuts()

    def show_about(self) -> int:
        return self.dialogs.show_about()

    # A Page's menu (page_menu.py) ------------------------------------------------------------

    def page_menu(self, page_id: str):
        return self.page_actions.page_menu(page_id)

    def open_page_menu(self) -> None:
        self.page_actions.open_page_menu()

    def stop_following(self, page_id: str) -> None:
        self.page_actions.stop_following(page_id)

    def forget_page(self, page_id: str, *, confirm: Callable | None = None) -> bool:
        return self.page_actions.forget_page(page_id, confirm=confirm)

    def edit_page_description(self, page_id: str) -> bool:
        return self.page_actions.edit_page_description(page_id)

    # Syncing (sync_controller.py) ------------------------------------------------------------

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

    # Files dropped on the window -------------------------------------------------------------

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

    # Closing (state.py) ----------------------------------------------------------------------

    def save_state(self) -> None:
        """Remember the window's geometry, its split and the date range."""
        state.save(self)

    def closeEvent(self, event) -> None:
        if self.runner.busy:
            # cancel the operations and wait: what a sync fetched is kept, its run recorded
            self.statusBar().showMessage(f"Stopping the {self.runner.current.name} before "
                                         "closing…")
            self.runner.stop()
        self.save_state()
        super().closeEvent(event)
