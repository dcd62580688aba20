"""Charts of a Page's followers, talking-about and rate per 1,000 over time (pyqtgraph), with
a Data tab holding the same numbers as a table.

The package's parts: ``axes`` the time and value axes; ``style`` sizes, each compared Page's
look and the faint daily line; ``series`` a Page's readings as arrays to plot; ``trace`` one
line of readings; ``notes`` the notes numbered, listed and marked above the plots; ``chart``
what both charts share (plots made once, ranges, bands, notes' lines); ``single`` the one-Page
chart; ``compare`` the comparison; ``drawn_once`` a chart drawn once for exports;
``data_table`` the Data tab's model; ``panel`` the window's chart panel and ``panel_words``
the words around its charts (legend, key, the values at the pointer). Every name the rest of
the program uses is importable from here.
"""

from engage_desktop.ui.charts.axes import FIRST_DAY, LAST_DAY, CountAxis, DayAxis
from engage_desktop.ui.charts.chart import Chart
from engage_desktop.ui.charts.compare import CompareChart
from engage_desktop.ui.charts.data_table import SeriesTable
from engage_desktop.ui.charts.drawn_once import make_chart
from engage_desktop.ui.charts.notes import NoteMarkers, note_line, numbered
from engage_desktop.ui.charts.panel import NEAR_DAYS, NEAR_PIXELS, NOTHING_SELECTED, ChartPanel
from engage_desktop.ui.charts.series import GAP_DAYS, MAX_COMPARED, PageSeries
from engage_desktop.ui.charts.single import SingleChart
from engage_desktop.ui.charts.style import (
    AVERAGE_KEY,
    DASHES,
    FAINT_SHARE,
    FAINT_WIDTH,
    MARKER_SCALE,
    MARKERS_PER_LINE,
    SYMBOLS,
    ChartStyle,
    SeriesLook,
    faint,
    faint_pen,
    series_look,
)
from engage_desktop.ui.charts.trace import Trace

__all__ = [
    "AVERAGE_KEY", "DASHES", "FAINT_SHARE", "FAINT_WIDTH", "FIRST_DAY", "GAP_DAYS", "LAST_DAY",
    "MARKERS_PER_LINE", "MARKER_SCALE", "MAX_COMPARED", "NEAR_DAYS", "NEAR_PIXELS",
    "NOTHING_SELECTED", "SYMBOLS", "Chart", "ChartPanel", "ChartStyle", "CompareChart",
    "CountAxis", "DayAxis", "NoteMarkers", "PageSeries", "SeriesLook", "SeriesTable",
    "SingleChart", "Trace", "faint", "faint_pen", "make_chart", "note_line", "numbered",
    "series_look",
]
