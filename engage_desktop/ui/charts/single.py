"""The one-Page chart: followers, talking about and the rate per 1,000, stacked.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pyqtgraph as pg
from PySide6.QtGui import QColor, QPen

from engage_desktop.core import wording
from engage_desktop.core.engagement import Thresholds, audience, reading_per_1000
from engage_desktop.core.models import Note
from engage_desktop.ui.charts.chart import Chart
from engage_desktop.ui.charts.series import PageSeries, averaged, with_gaps
from engage_desktop.ui.charts.style import FAINT_WIDTH, ChartStyle, faint_pen
from engage_desktop.ui.charts.trace import Trace
from engage_desktop.ui.theme import Theme


class SingleChart(Chart):
    """One Page: followers, talking about and the rate per 1,000, stacked."""

    def _titles(self) -> tuple[str, ...]:
        return ("Followers", "Talking about", self.style.rate_title)

    def __init__(self, layout: pg.GraphicsLayout, theme: Theme,
                 style: ChartStyle = ChartStyle()) -> None:  # noqa: B008
        super().__init__(layout, theme, style)
        # the daily values behind the 7-day averages (hidden when the lines are daily)
        self._faint = [Trace(plot, style.flat) for plot in self.plots]
        self._lines = [Trace(plot, style.flat) for plot in self.plots]

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
                xs, ys = with_gaps(days, values[index])
                if average:
                    behind.set(xs, ys, faint_pen(colours[index], self.theme.background,
                                                 self.style.line),
                               self.style.dot * FAINT_WIDTH, f"{names[index]}, daily", smooth)
                    line.set(*averaged(days, values[index]),
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
