"""The comparison: several Pages' rates per 1,000 on one plot, each line told apart by its
colour, dash pattern and marker.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pyqtgraph as pg

from engage_desktop.core import wording
from engage_desktop.core.engagement import Thresholds, reading_per_1000
from engage_desktop.core.models import Note
from engage_desktop.ui.charts.chart import Chart
from engage_desktop.ui.charts.series import MAX_COMPARED, PageSeries, averaged, with_gaps
from engage_desktop.ui.charts.style import (
    FAINT_WIDTH,
    ChartStyle,
    SeriesLook,
    faint_pen,
    series_look,
)
from engage_desktop.ui.charts.trace import Trace
from engage_desktop.ui.theme import Theme


class CompareChart(Chart):
    """Several Pages: their rates per 1,000 on one plot, at most ``MAX_COMPARED`` lines."""

    def _titles(self) -> tuple[str, ...]:
        return (self.style.rate_title,)

    def __init__(self, layout: pg.GraphicsLayout, theme: Theme,
                 style: ChartStyle = ChartStyle()) -> None:  # noqa: B008
        super().__init__(layout, theme, style)
        # the daily values behind the 7-day averages, under every line
        self._faint = [Trace(self.plots[0], style.flat) for _ in range(MAX_COMPARED)]
        self._lines = [Trace(self.plots[0], style.flat) for _ in range(MAX_COMPARED)]

    def draw(self, series: Sequence[PageSeries], notes: Sequence[Note],
             thresholds: Thresholds, first: date, last: date, average: bool = False) -> None:
        """Each Page's rate: daily, or (``average``) its 7-day average with the daily values
        faint behind it."""
        self.drawing = True
        try:
            series = list(series)[:MAX_COMPARED]
            self._start(series, first, last, average)
            self._title(f"Comparing {len(series)} Pages")
            everything = [np.empty(0)]
            smooth = self._smooth(sum(len(page.points) for page in series))
            for number, (line, behind) in enumerate(zip(self._lines, self._faint,
                                                        strict=True)):
                if number >= len(series):
                    line.clear()
                    behind.clear()
                    continue
                page = series[number]
                days = [p.day.toordinal() for p in page.points]
                rates = [reading_per_1000(p) for p in page.points]
                xs, ys = with_gaps(days, rates)
                look = series_look(self.theme, number)
                if average:
                    behind.set(xs, ys, faint_pen(look.colour, self.theme.background,
                                                 self.style.line),
                               self.style.dot * FAINT_WIDTH, f"{page.name}, daily", smooth)
                    line.set(*averaged(days, rates), look.pen(self.style.line),
                             self.style.dot, page.name, smooth, look.symbol, look.offset)
                else:
                    behind.clear()
                    line.set(xs, ys, look.pen(self.style.line), self.style.dot, page.name,
                             smooth, look.symbol, look.offset)
                everything.append(ys)
            self._rate_range(thresholds, np.concatenate(everything),
                             f"No rates {wording.span(first, last)} for these Pages")
            self._mark_notes(notes)
        finally:
            self.drawing = False

    def legend_entries(self) -> list[tuple[SeriesLook, str, bool]]:
        """Each compared Page in order: its look, its name, and whether it has a line (a Page
        with no rate in the range has none: its entry says "no figures")."""
        return [(series_look(self.theme, number), page.name, line.has_values())
                for number, (line, page) in enumerate(zip(self._lines, self.series,
                                                          strict=False))]
