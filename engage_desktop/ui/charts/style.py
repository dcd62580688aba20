"""How a chart is drawn: its sizes (ChartStyle), each compared Page's colour, dash pattern
and marker (series_look), the faint daily line behind a 7-day average, and fonts in pixels.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPen

from engage_desktop.ui.theme import Theme


class ChartStyle(NamedTuple):
    """Sizes for a chart's text and lines, in layout pixels; None keeps pyqtgraph's own.
    Exports set them all. (Pixels, not points: a point size would be scaled twice when the
    chart is painted onto a device of higher resolution.)"""

    text_px: float | None = None  # axis numbers and band labels
    label_px: float | None = None  # axis titles, legend, notes
    title_px: float | None = None
    line: float = 2.0
    dot: float = 7.0
    plot_titles: bool = True  # the Page's name (or "Comparing N Pages") above the plots
    # the status words beside the bands; exports write them on the bands instead
    band_labels: bool = True
    rate_title: str = "Per 1,000 followers"  # the rate axis's title (short in small exports)
    # Lines are smoothed (antialiased) and drawn ``line`` wide while a plot holds at most this
    # many readings: above it, they are a pixel wide and not smoothed, as painting a
    # comparison otherwise takes Qt a second or more on every repaint. None: always (exports,
    # painted once).
    smooth_up_to: int | None = 2500
    dates_once: bool = False  # the dates under the lowest of stacked plots only (exports)
    # Strokes sized in the scene's layout pixels (exports): they grow with the picture, and a
    # vector file holds them at their true width (no non-scaling strokes). Otherwise (the
    # window) they are sized in the screen's pixels.
    flat: bool = False


# A compared Page's line has a colour, a dash pattern and a marker of its own (series_look), so
# the lines are told apart when printed in grey too. Patterns are in line widths, drawn with
# round caps (a dash of 0.01 is a round dot).
DASHES: tuple[tuple[str, tuple[float, ...], str], ...] = (
    ("solid", (), "━━"), ("dashed", (4, 3), "╍╍"), ("dotted", (0.01, 2.6), "┉┉"),
    ("dash-dot", (5, 3, 0.01, 3), "━·"), ("long dashes", (10, 3.5), "━ "),
    ("dash-dot-dot", (5, 2.5, 0.01, 2.5, 0.01, 2.5), "━:"), ("long-short", (9, 4, 2, 4), "━╸"),
    ("double dashes", (3, 2, 3, 6), "╍ "))
# pyqtgraph's symbol paths, and the character that looks like each in the window's legend;
# the statuses' shapes (■ ▲ ● ○) come last, so the briefing's eight lines never use them, and
# the lines sharing a dash pattern (the 1st and 7th, …) have markers of unlike shapes
SYMBOLS = (("d", "◆"), ("x", "✖"), ("t", "▼"), ("star", "★"), ("t2", "▶"), ("h", "⬢"),
           ("+", "✚"), ("p", "⬟"), ("t3", "◀"), ("o", "●"), ("s", "■"), ("t1", "▲"))
MARKERS_PER_LINE = 8  # markers along each compared line (staggered between the lines)
MARKER_SCALE = 1.6  # a marker's size, in lone reading dots
# The steadier line: the 7-day average drawn over the daily values, which are faint behind it
# (thinner, solid, without markers, and mixed with the background: lighter in grey too)
AVERAGE_KEY = "7-day average, daily values faint"
FAINT_SHARE = 0.35  # of the line's colour in the faint daily line; the rest is background
FAINT_WIDTH = 0.5  # of the line's width


class SeriesLook(NamedTuple):
    """How the ``number``-th compared Page is drawn: colour, dash pattern and marker."""

    number: int
    colour: str
    dash: str  # the pattern's name
    pattern: tuple[float, ...]
    symbol: str  # pyqtgraph's name of the marker's shape
    glyph: str  # a character shaped like the marker
    sample_text: str  # a line sample in characters, for the window's legend

    def pen(self, width: float) -> QPen:
        pen = QPen(QColor(self.colour), width)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        if self.pattern:
            pen.setDashPattern(list(self.pattern))
        return pen

    @property
    def offset(self) -> float:
        """Where this line's markers start, as a share of the gap between two: the lines'
        markers are staggered, so they do not pile up where lines cross."""
        return (self.number * 0.382) % 1.0


def series_look(theme: Theme, number: int) -> SeriesLook:
    """The ``number``-th compared Page's look: the first eight (the briefing's) differ in
    colour, dash pattern and marker; no two of the first 12 share a marker, and Pages sharing
    a colour (the 9th on) differ in dash pattern too."""
    colours = theme.series
    dash, pattern, sample = DASHES[(number + number // len(colours)) % len(DASHES)]
    symbol, glyph = SYMBOLS[number % len(SYMBOLS)]
    return SeriesLook(number, colours[number % len(colours)], dash, pattern, symbol, glyph,
                      f"{sample}{glyph}{sample}")


def faint(colour: str, background: str) -> QColor:
    """``colour`` mixed with the background, for the daily values behind a 7-day average."""
    ink, paper = QColor(colour), QColor(background)
    return QColor.fromRgbF(*(FAINT_SHARE * a + (1 - FAINT_SHARE) * b
                             for a, b in zip(ink.getRgbF()[:3], paper.getRgbF()[:3],
                                             strict=True)))


def faint_pen(colour: str, background: str, width: float) -> QPen:
    pen = QPen(faint(colour, background), max(0.8, width * FAINT_WIDTH))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def pixel_font(pixels: float) -> QFont:
    font = QFont()
    font.setPixelSize(round(pixels))
    return font


def title_size(pixels: float | None) -> dict[str, str]:
    """pyqtgraph's title-size option, when a size is set."""
    return {"size": f"{round(pixels)}px"} if pixels else {}


def css_size(pixels: float | None) -> dict[str, str]:
    """pyqtgraph's axis-label size option (a CSS property), when a size is set."""
    return {"font-size": f"{round(pixels)}px"} if pixels else {}
