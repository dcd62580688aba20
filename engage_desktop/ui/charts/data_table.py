"""The Data tab's model: the numbers behind the chart shown, newest day first.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from engage_desktop.core import wording
from engage_desktop.core.engagement import audience, per_1000, reading_per_1000
from engage_desktop.core.wording import short
from engage_desktop.ui.charts.series import PageSeries


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
