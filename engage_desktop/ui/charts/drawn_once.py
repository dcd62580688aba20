"""A chart drawn once, for exports and the briefing: the one-Page chart or the comparison.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pyqtgraph as pg

from engage_desktop.core.engagement import Thresholds
from engage_desktop.core.models import Note
from engage_desktop.ui.charts.compare import CompareChart
from engage_desktop.ui.charts.series import PageSeries
from engage_desktop.ui.charts.single import SingleChart
from engage_desktop.ui.charts.style import ChartStyle
from engage_desktop.ui.theme import Theme


def make_chart(layout: pg.GraphicsLayout, theme: Theme, style: ChartStyle,
               series: Sequence[PageSeries], notes: Sequence[Note],
               thresholds: Thresholds, first: date, last: date,
               average: bool = False) -> SingleChart | CompareChart:
    """A chart drawn once (exports): one Page stacked, several compared; ``average`` draws
    the steadier line."""
    if len(series) == 1:
        single = SingleChart(layout, theme, style)
        single.draw(series[0], notes, thresholds, first, last, average)
        return single
    compare = CompareChart(layout, theme, style)
    compare.draw(series, notes, thresholds, first, last, average)
    return compare
