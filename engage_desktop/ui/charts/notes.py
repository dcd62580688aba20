"""The notes on a chart: numbered in date order, written one to a line, and their numbered
markers in a strip above the plots.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen

from engage_desktop.core import wording
from engage_desktop.core.models import Note
from engage_desktop.ui.charts.style import ChartStyle, pixel_font
from engage_desktop.ui.plain import one_line
from engage_desktop.ui.theme import Theme


def numbered(notes: Sequence[Note]) -> list[tuple[int, Note]]:
    """The notes in date order, numbered from 1 as the chart's markers and the lists of notes
    under charts (window, exports, briefing) show them."""
    return list(enumerate(sorted(notes, key=lambda note: (note.day, note.id)), start=1))


def note_line(number: int, note: Note) -> str:
    """A note as listed under a chart: "[3] 7 May 2026: Polling day", on one line."""
    return f"[{number}] {wording.day(note.day)}: {one_line(note.text)}"


class NoteMarkers(pg.GraphicsWidget):
    """The notes' numbered markers in a strip above a chart's plots, each over its note's day.
    Markers that would touch are merged into one ("3–5"), so none covers another, and each is
    kept inside the strip, so none is cut at an edge. Made once with its chart; each drawing
    and each zoom places the markers again. Pointing at a marker shows its notes."""

    GAP = 3.0  # pixels between two markers

    def __init__(self, plot: pg.PlotItem, style: ChartStyle) -> None:
        super().__init__()
        self.plot = plot
        self.font = pixel_font(style.label_px or 11)
        self.font.setBold(True)
        self.box_height = QFontMetricsF(self.font).height() + 4
        self.notes: list[tuple[int, Note]] = []
        # where each marker is (in the strip), its text and the numbers of its notes
        self.boxes: list[tuple[QRectF, str, list[tuple[int, Note]]]] = []
        self.colour = QColor()
        self.background = QColor()
        self.setFixedHeight(0)
        self.setAcceptHoverEvents(True)
        plot.vb.sigXRangeChanged.connect(self.place)
        plot.vb.sigResized.connect(self.place)

    def set_theme(self, theme: Theme) -> None:
        self.colour = QColor(theme.note)
        self.background = QColor(theme.background)
        self.update()

    def set_notes(self, notes: list[tuple[int, Note]]) -> None:
        self.notes = notes
        self.setFixedHeight(self.box_height + 4 if notes else 0)
        self.place()

    def _box(self, group: list[tuple[int, Note, float]]) -> tuple[QRectF, str]:
        first, last = group[0], group[-1]
        text = str(first[0]) if len(group) == 1 else f"{first[0]}–{last[0]}"
        width = max(self.box_height, QFontMetricsF(self.font).horizontalAdvance(text) + 8)
        centre = (first[2] + last[2]) / 2
        centre = min(max(centre, width / 2 + 1), self.size().width() - width / 2 - 1)
        return QRectF(centre - width / 2, 2, width, self.box_height), text

    def place(self, *_args: object) -> None:
        view = self.plot.vb
        low, high = view.viewRange()[0]
        boxes: list[tuple[QRectF, str, list]] = []
        for number, note in self.notes:
            day = note.day.toordinal()
            if not low - 0.5 <= day <= high + 0.5:
                continue
            x = self.mapFromScene(view.mapViewToScene(QPointF(day, 0))).x()
            group = [(number, note, x)]
            box, text = self._box(group)
            while boxes and box.left() < boxes[-1][0].right() + self.GAP:
                group = boxes.pop()[2] + group
                box, text = self._box(group)
            boxes.append((box, text, group))
        self.boxes = [(box, text, [(n, note) for n, note, _ in group])
                      for box, text, group in boxes]
        self.update()

    def marker_rects(self) -> list[QRectF]:
        """Where the markers are in the scene."""
        return [self.mapRectToScene(box) for box, _, _ in self.boxes]

    def paint(self, painter: QPainter, *_args: object) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setFont(self.font)
        for box, text, _ in self.boxes:
            painter.setPen(QPen(self.colour, 1.2))
            painter.setBrush(self.background)
            painter.drawRoundedRect(box, 4, 4)
            painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), text)

    def hoverMoveEvent(self, event: object) -> None:
        at = event.pos()
        for box, _, notes in self.boxes:
            if box.contains(at):
                self.setToolTip("\n".join(note_line(n, note) for n, note in notes))
                return
        self.setToolTip("")
