"""The traffic light in the window: the table of Pages (Qt's model/view: the model, the
proxy that sorts and filters it, the view), the filter box above it, the details line under
it, the columns the officer may hide, and the selection, which says what is charted."""

from __future__ import annotations

import functools

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QObject, QSettings, QSignalBlocker, Qt
from PySide6.QtGui import QAction, QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QLineEdit, QMenu, QTableView

from engage_desktop.core import traffic_light
from engage_desktop.ui.main_window import state
from engage_desktop.ui.theme import Theme
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


class DetailsLine(QLabel):
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


class TrafficTable(QObject):
    """The table (``table``, on ``proxy`` over ``model``), ``filter`` and ``details``, and
    ``column_actions``: a checkable action per column that can be hidden. Its actions and
    menus belong to ``window``; the columns hidden are remembered in ``settings``."""

    def __init__(self, window: QObject, theme: Theme, settings: QSettings) -> None:
        super().__init__(window)
        self.window = window
        self.settings = settings
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
        # right-click (or the menu key) on a Page: description, reconnect, stop following,
        # forget
        # (the window's Page menu answers customContextMenuRequested)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
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
        self.details = DetailsLine()
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

    # The traffic light shown ------------------------------------------------------------------

    def show_light(self, light: traffic_light.TrafficLight, problems: dict[str, str]) -> None:
        """Show ``light`` (and the Pages' ``problems``, in the window's words), keeping the
        Pages selected and whatever sort the officer chose."""
        selected = self.selected_page_ids() if self.model.rows else []
        self.model.set_light(light, problems=problems)
        self._select_pages(selected)
        self._size_columns()
        self.show_details()

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

    def show_details(self, *_: object) -> None:
        """The details line: the current Page's status and why, and its problem with what to
        do about it."""
        index = self.current_index()
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

    # Columns ---------------------------------------------------------------------------------

    def _make_column_actions(self) -> dict[int, QAction]:
        """A checkable action per column that can be hidden, shown as remembered."""
        hidden = state.hidden_columns(self.settings)
        made = {}
        for column in SHOWN_ORDER:
            if column in ESSENTIAL:
                continue
            action = QAction(f"{COLUMNS[column]} column", self.window)
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
        menu = QMenu("&Columns", self.window)
        menu.setAccessibleName("Columns of the traffic light")
        menu.addActions(list(self.column_actions.values()))
        return menu

    def _column_menu_at(self, position) -> None:
        menu = self.column_menu()
        menu.exec(self.table.horizontalHeader().mapToGlobal(position))
        menu.deleteLater()

    # Selection -------------------------------------------------------------------------------

    def current_index(self) -> QModelIndex:
        """The current row's index, or else the first selected row's (invalid when none)."""
        index = self.table.currentIndex()
        if not index.isValid() and self.table.selectionModel().hasSelection():
            index = self.table.selectionModel().selectedRows()[0]
        return index

    def has_selection(self) -> bool:
        return self.table.selectionModel().hasSelection()

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

    def page_names(self) -> dict[str, str]:
        """The name of each Page in the traffic light, by its id."""
        return {row.page.id: row.page.name for row in self.model.rows}

    # Keyboard --------------------------------------------------------------------------------

    def focus_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def find_pages(self) -> None:
        """To the filter (Ctrl+F), its text selected to be typed over."""
        self.filter.setFocus()
        self.filter.selectAll()
