"""The traffic light as a Qt table model, and the proxy that sorts and filters it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QApplication, QStyle

from engage_desktop.core import wording
from engage_desktop.core.engagement import INTERACTIONS, STALE_AFTER, Status
from engage_desktop.core.timeutil import UK, utc_now
from engage_desktop.core.traffic_light import PageStatus, TrafficLight
from engage_desktop.ui.plain import tooltip
from engage_desktop.ui.theme import LIGHT, Theme

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
PAGE_ID_ROLE = Qt.ItemDataRole.UserRole + 2
COLUMNS = ("Status", "Page", "Followers", "Talking about", "Per 1,000", "Trend", "Reading",
           "Kind")
STATUS, PAGE, FOLLOWERS, TALKING, PER_1000, TREND, READING, KIND = range(len(COLUMNS))
# the columns always shown (the others can be hidden from the header's menu), and the order
# they are shown in: what the traffic light is for first, so a narrow screen needs no scrolling
ESSENTIAL = (STATUS, PAGE, PER_1000, TREND)
SHOWN_ORDER = (STATUS, PAGE, PER_1000, TREND, FOLLOWERS, TALKING, READING, KIND)
ATTENTION = "needs attention"
_KIND_WORDS = {"own": "Own", "public": "Public", "imported": "Imported"}
_Index = QModelIndex | QPersistentModelIndex


class TrafficLightModel(QAbstractTableModel):
    def __init__(self, theme: Theme = LIGHT) -> None:
        super().__init__()
        self.rows: list[PageStatus] = []
        self.light: TrafficLight | None = None
        self.theme = theme
        self.now = utc_now()
        self._texts: list[list[str] | None] = []
        self._keys: list[list[Any] | None] = []
        self.problems: dict[str, str] = {}  # Page ID -> what went wrong and what to do

    def set_light(self, light: TrafficLight, now: datetime | None = None,
                  problems: dict[str, str] | None = None) -> None:
        self.beginResetModel()
        self.light = light
        self.problems = dict(problems or {})
        self.rows = list(light.rows)
        self.now = now or utc_now()
        # Texts and sort keys are worked out once per row, when first asked for: sorting asks
        # for them thousands of times, the first paint only for the rows on screen.
        self._texts = [None] * len(self.rows)
        self._keys = [None] * len(self.rows)
        self.endResetModel()

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1,
                                                               len(COLUMNS) - 1))

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section]
            if role == Qt.ItemDataRole.ToolTipRole and section == PER_1000:
                return "People talking about the Page per 1,000 followers"
            if role == Qt.ItemDataRole.ToolTipRole and section == TREND:
                return ("The last 7 days' average per 1,000 against the same week 28 days "
                        "before: ▲ up, ▼ down, ▶ about the same")
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        number, column = index.row(), index.column()
        if role == SORT_ROLE:
            keys = self._keys[number]
            if keys is None:
                keys = self._keys[number] = [self._sort_key(self.rows[number], c)
                                             for c in range(len(COLUMNS))]
            return keys[column]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            texts = self._texts[number]
            if texts is None:
                texts = self._texts[number] = [self._text(self.rows[number], c)
                                               for c in range(len(COLUMNS))]
            return texts[column]
        row = self.rows[number]
        if role == PAGE_ID_ROLE:
            return row.page.id
        problem = self.problems.get(row.page.id)
        if problem and column == PAGE:
            if role == Qt.ItemDataRole.DecorationRole:
                return QApplication.style().standardIcon(
                    QStyle.StandardPixmap.SP_MessageBoxWarning)
            if role == Qt.ItemDataRole.ToolTipRole:
                return tooltip(f"Needs attention: {problem}\n\n{self._tooltip(row)}")
        if role == Qt.ItemDataRole.ForegroundRole and column == STATUS:
            return QColor(self.theme.status[row.status])
        if role == Qt.ItemDataRole.FontRole and column == STATUS:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.FontRole and column == READING and self._stale(row):
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (FOLLOWERS, TALKING,
                                                                    PER_1000):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(self._tooltip(row))
        return None

    def _stale(self, row: PageStatus) -> bool:
        """Older than a status may use: the same rule the engagement model applies."""
        return row.latest is not None and self.now - row.latest.taken_at > STALE_AFTER

    def _text(self, row: PageStatus, column: int) -> str:
        latest = row.latest
        if column == STATUS:
            # a Page whose sync failed says so in words (for screen readers and anyone who
            # cannot see the warning icon beside its name); what went wrong is in the details
            # line under the table
            text = f"{row.status.shape} {row.status.word}"
            return f"{text}, {ATTENTION}" if row.page.id in self.problems else text
        if column == PAGE:
            return row.page.name
        if column == FOLLOWERS:
            return wording.count(row.audience)
        if column == TALKING:
            return wording.count(latest.talking_about if latest else None)
        if column == PER_1000:
            ratio = row.assessment.per_1000
            if ratio is None:
                return "–"
            # the fallback measure says so in the cell, not only in its tooltip
            return f"{ratio:.1f} (interactions)" if row.assessment.measure == INTERACTIONS \
                else f"{ratio:.1f}"
        if column == TREND:
            return row.trend.describe() if row.trend else "–"
        if column == READING:
            if latest is None:
                return "never"
            text = f"{latest.taken_at.astimezone(UK):%a %d %b %Y}"
            return f"{text} (stale)" if self._stale(row) else text
        if column == KIND:
            return _KIND_WORDS.get(row.page.kind, row.page.kind)
        return ""

    def _sort_key(self, row: PageStatus, column: int) -> Any:
        latest = row.latest
        missing = float("-inf")
        if column == STATUS:
            return row.status.rank * 1e9 + (row.assessment.per_1000 or 0.0)
        if column == PAGE:
            return row.page.name.casefold()
        if column == FOLLOWERS:
            return row.audience if row.audience is not None else missing
        if column == TALKING:
            value = latest.talking_about if latest else None
            return value if value is not None else missing
        if column == PER_1000:
            ratio = row.assessment.per_1000
            return ratio if ratio is not None else missing
        if column == TREND:
            return row.trend.change if row.trend else missing
        if column == READING:
            return latest.taken_at.timestamp() if latest else missing
        return self._text(row, column).casefold()

    def _tooltip(self, row: PageStatus) -> str:
        lines = [f"{row.page.name}: {row.status.word}", row.assessment.reason]
        if self.light is not None and row.status is not Status.NO_DATA:
            lines.append(self.light.thresholds.describe())
        if row.trend:
            lines.append(f"Last 7 days {row.trend.recent:.1f} per 1,000, the same week 28 days "
                         f"before {row.trend.earlier:.1f}: {row.trend.describe()}")
        if row.latest:
            lines.append(f"Reading taken {row.latest.taken_at.astimezone(UK):%a %d %b %Y %H:%M}")
        if row.page.description:
            lines.append(f"Description: {row.page.description}")
        return "\n".join(lines)


class TrafficLightProxy(QSortFilterProxyModel):
    """Sorts by each column's own key and filters on the Page's name."""

    def __init__(self) -> None:
        super().__init__()
        self.setSortRole(SORT_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(PAGE)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # The traffic light arrives sorted worst first, which is the Status column ascending:
        # show that order as it is instead of comparing every row again.
        if column == STATUS and order == Qt.SortOrder.AscendingOrder:
            super().sort(-1, order)
        else:
            super().sort(column, order)

