"""One line of readings on a plot (with lone-reading dots and compared Pages' markers),
painted with strokes of an even width: made once with its plot and refilled.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from pyqtgraph.graphicsItems.ScatterPlotItem import Symbols
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPen, QTransform

from engage_desktop.ui.charts.style import MARKER_SCALE, MARKERS_PER_LINE


class Trace(pg.GraphicsObject):
    """A line through readings, a dot on each lone reading (one with no neighbour has no line
    to be part of) and, for compared Pages, markers along the line: one item, made once with
    its plot and refilled, never removed.

    Strokes are drawn in even coordinates, never the plot's (stretched differently across and
    up, which turns a line into a ribbon wherever a stroke width is scaled with it): in the
    screen's pixels in the window, in the scene's layout pixels in an export (``flat``). So
    an exported line has its width in the file itself, as librsvg, Word and PowerPoint need,
    and grows with the picture."""

    def __init__(self, plot: pg.PlotItem, flat: bool) -> None:
        super().__init__()
        self.flat = flat
        self.xData: np.ndarray | None = None
        self.yData: np.ndarray | None = None
        self.name: str | None = None
        self._path = QPainterPath()
        self._dots = np.empty((0, 2))
        self._marks = np.empty((0, 2))
        self._bounds = QRectF()
        self._pen = QPen()
        self._dot = 7.0
        self._symbol: str | None = None
        self._smooth = True
        plot.addItem(self)

    @property
    def pen(self) -> QPen:
        return self._pen

    def set(self, xs: np.ndarray, ys: np.ndarray, pen: QPen, dot: float, name: str | None,
            smooth: bool = True, symbol: str | None = None, offset: float = 0.0) -> None:
        """Draw ``ys`` over ``xs`` (NaN: no reading, a gap in the line)."""
        self.prepareGeometryChange()
        known = np.isfinite(ys) & np.isfinite(xs)
        before = np.concatenate(([False], known[:-1]))
        after = np.concatenate((known[1:], [False]))
        alone = known & ~before & ~after
        self.xData, self.yData, self.name = xs, ys, name
        self._pen, self._dot, self._smooth, self._symbol = QPen(pen), dot, smooth, symbol
        self._path = (pg.arrayToQPath(xs, ys, connect="finite") if known.sum() > 1
                      else QPainterPath())
        self._dots = np.column_stack((xs[alone], ys[alone]))
        places = np.flatnonzero(known)
        if symbol and places.size:
            count = min(MARKERS_PER_LINE, places.size)
            chosen = ((np.arange(count) + offset) * places.size / count).astype(int)
            self._marks = np.column_stack((xs[places[chosen]], ys[places[chosen]]))
        else:
            self._marks = np.empty((0, 2))
        if places.size:
            low_x, high_x = float(xs[known].min()), float(xs[known].max())
            low_y, high_y = float(ys[known].min()), float(ys[known].max())
            self._bounds = QRectF(low_x, low_y, high_x - low_x, high_y - low_y)
        else:
            self._bounds = QRectF()
        self.setVisible(bool(places.size))
        self.update()

    def clear(self) -> None:
        empty = np.empty(0)
        self.set(empty, empty, self._pen, self._dot, None)

    @property
    def lone_readings(self) -> np.ndarray:
        """The readings drawn as dots, having no neighbour to join (x, y rows)."""
        return self._dots

    def has_values(self) -> bool:
        return self.yData is not None and bool(np.isfinite(self.yData).any())

    def viewTransformChanged(self) -> None:
        self.prepareGeometryChange()  # the margin for strokes, in the plot's units, changes

    def boundingRect(self) -> QRectF:
        if self.xData is None or not self.xData.size:
            return QRectF()
        # room for strokes, dots and markers, which are sized in pixels
        margin = 2 * max(self._pen.widthF(), self._dot)
        wide, high = abs(self.pixelWidth()) * margin, abs(self.pixelHeight()) * margin
        return self._bounds.adjusted(-wide, -high, wide, high)

    def paint(self, painter: QPainter, *_args: object) -> None:
        if self.xData is None:
            return
        if self.flat:  # the scene's layout pixels, scaled only as the whole picture is
            frame = self.sceneTransform()
            painter.setTransform(frame.inverted()[0] * painter.transform())
        else:  # the screen's pixels
            frame = painter.transform()
            painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, self._smooth)
        if not self._path.isEmpty():
            pen = self._pen
            if not self._smooth and not self.flat:
                # a plot of many readings on screen: a line a pixel wide, which Qt strokes
                # (dashes included) over ten times faster than a wider one
                pen = QPen(pen)
                pen.setWidthF(1.0)
                pen.setCosmetic(True)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(pen)
            painter.drawPath(frame.map(self._path))
        colour = self._pen.color()
        painter.setPen(QPen(colour, max(1.0, self._pen.widthF() / 2)))
        painter.setBrush(colour)
        radius = self._dot / 2
        for x, y in self._dots:
            painter.drawEllipse(frame.map(QPointF(x, y)), radius, radius)
        if self._symbol is not None and len(self._marks):
            shape = Symbols[self._symbol]
            size = self._dot * MARKER_SCALE
            for x, y in self._marks:
                centre = frame.map(QPointF(x, y))
                place = QTransform()
                place.translate(centre.x(), centre.y())
                place.scale(size, size)
                painter.drawPath(place.map(shape))
