"""Chart exports for briefings: PNG, SVG and PDF, drawn the same way for the window and the
command line.

A chart is laid out once at its *natural size* (its width on paper or on a slide, at 96 layout
pixels to the inch, text sized in those pixels), then painted at whatever resolution is asked
for. So
the text, lines and markers grow with the output, and an image pasted into Word or PowerPoint
at its natural size reads like body text. The background is white whatever the window's
scheme. Vector files are painted through Qt (``QSvgGenerator``, ``QPdfWriter``), not
pyqtgraph's exporters.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pyqtgraph as pg
from pyqtgraph.graphicsItems.LegendItem import ItemSample
from pyqtgraph.graphicsItems.ScatterPlotItem import Symbols
from PySide6.QtCore import (
    QBuffer,
    QIODevice,
    QMarginsF,
    QPointF,
    QRect,
    QRectF,
    QSize,
    QSizeF,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTransform,
)
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication, QGraphicsItem

from engage_desktop import APP_NAME
from engage_desktop.core import wording
from engage_desktop.core.engagement import Mode, Status, Thresholds
from engage_desktop.core.exporting.files import ExportError, atomic_output
from engage_desktop.core.models import Note
from engage_desktop.core.store import Store
from engage_desktop.core.timeutil import UK, range_problem
from engage_desktop.core.wording import short
from engage_desktop.ui import theme as themes
from engage_desktop.ui.charts import (
    AVERAGE_KEY,
    MARKER_SCALE,
    MAX_COMPARED,
    ChartStyle,
    CompareChart,
    PageSeries,
    SeriesLook,
    make_chart,
    note_line,
    numbered,
)
from engage_desktop.ui.plain import markup, one_line

LAYOUT_DPI = 96  # layout pixels per inch at the natural size
MAX_SIDE = 12_000  # pixels: larger images are refused before anything is allocated
MIN_SIDE = 200
LEGEND_NAME = 40  # characters of a Page name in the key to a comparison
FORMATS = ("png", "svg", "pdf")
PNG_QUALITY = 80  # Qt's PNG "quality" is the inverse of zlib's compression level
# Text in layout pixels (96 to the inch): 11 px is 8.5 pt at the natural size. Slides are
# read from across a room, so their text is larger (Output.text_scale).
TEXT_PX = {"ticks": 11, "labels": 12, "title": 20, "subtitle": 13, "footer": 10}


@dataclass(frozen=True)
class Output:
    """The size of an export: pixels (for PNG) and its natural width in inches."""

    width: int
    height: int
    inches: float  # natural width: on a slide, on the page, on a phone
    text_scale: float = 1.0

    def text(self, part: str) -> float:
        """The size of a part of the text, in layout pixels."""
        return TEXT_PX[part] * self.text_scale

    @property
    def style(self) -> ChartStyle:
        scale = self.text_scale
        return ChartStyle(text_px=self.text("ticks"), label_px=self.text("labels"),
                          line=1.6 * scale, dot=5.0 * scale, plot_titles=False,
                          band_labels=False, rate_title="Per 1,000", smooth_up_to=None,
                          dates_once=True, flat=True)

    @property
    def dpi(self) -> float:
        return self.width / self.inches

    @property
    def layout(self) -> QSize:
        """The natural size in layout pixels, which the chart is composed at."""
        width = round(self.inches * LAYOUT_DPI)
        return QSize(width, round(width * self.height / self.width))


PRESETS = {
    # a 16:9 PowerPoint slide is 13.33 in wide
    "slide": Output(1920, 1080, 13.333, text_scale=1.5),
    # a Word page's text width, 16 cm, at 300 dpi (12 cm high: room for three stacked plots)
    "document": Output(1890, 1417, 16 / 2.54),
    # a square for social posts, about 5 in on a screen
    "square": Output(1080, 1080, 5.0, text_scale=1.15),
}
CUSTOM_INCHES = 8.0  # any other size is the same 8-inch-wide chart, drawn at that resolution


def custom(width: int, height: int) -> Output:
    """An export ``width`` × ``height`` pixels (refused when it could not be drawn)."""
    for side in (width, height):
        if side < MIN_SIDE:
            raise ExportError(f"{width}×{height} is too small for a readable chart.",
                              f"Give at least {MIN_SIDE} pixels a side.")
        if side > MAX_SIDE:
            raise ExportError(f"{width}×{height} pixels is too large to draw.",
                              f"Give at most {MAX_SIDE:,} pixels a side, or export SVG or PDF, "
                              "which stay sharp at any size.")
    if not 0.25 <= width / height <= 4:
        raise ExportError(f"{width}×{height} is too narrow or too flat for a chart.",
                          "Keep the width between a quarter and four times the height.")
    return Output(width, height, CUSTOM_INCHES)


@dataclass(frozen=True)
class ChartContent:
    """What a chart shows."""

    series: list[PageSeries]
    notes: list[Note]
    thresholds: Thresholds
    first: date
    last: date
    data_as_of: datetime | None
    title: str | None = None  # the officer's own title, instead of the one made here
    left_out: tuple[str, ...] = ()  # Pages chosen beyond the most a chart compares
    average: bool = False  # the steadier line: 7-day averages, the daily values faint behind

    @property
    def heading(self) -> str:
        if self.title:
            return self.title
        if len(self.series) == 1:
            return f"{self.series[0].name}: is anyone talking?"
        return "People talking, per 1,000 followers"

    @property
    def subtitle(self) -> str:
        span = f"{wording.day(self.first)} to {wording.day(self.last)}"
        if len(self.series) == 1:
            return f"Followers, people talking about it and the rate per 1,000 · {span}"
        names = ", ".join(s.name for s in self.series[:4])
        more = f" and {len(self.series) - 4} more" if len(self.series) > 4 else ""
        left_out = (f" ({len(self.left_out)} more chosen, not drawn: a chart compares at most "
                    f"{MAX_COMPARED})" if self.left_out else "")
        return f"{names}{more}{left_out} · {span}"

    @property
    def footer(self) -> str:
        moment = self.data_as_of.astimezone(UK) if self.data_as_of else None
        when = f"{wording.day(moment)} {moment:%H:%M}" if moment else "no readings"
        return f"Source: Facebook Graph API via {APP_NAME} · data as of {when}"


def chart_content(store: Store, page_ids: list[str], first: date, last: date,
                  title: str | None = None, *, average: bool = False) -> ChartContent:
    """The content of a chart of ``page_ids`` from the database (``average``: drawn as the
    steadier line)."""
    if not page_ids:
        raise ExportError("No Page was chosen for the chart.", "Choose one or more Pages.")
    problem = range_problem(first, last)
    if problem:
        raise ExportError(f"The date range cannot be charted: {problem}.",
                          "Choose dates from 2004 to 2099, the start before the end.")
    names = {page.id: page.name for page in store.pages()}
    unknown = [pid for pid in page_ids if pid not in names]
    if unknown:
        raise ExportError(f"There is no Page {unknown[0]!r} in this database.",
                          "Run 'engage-desktop pages' to see their IDs.")
    drawn, left_out = page_ids[:MAX_COMPARED], page_ids[MAX_COMPARED:]
    series = [PageSeries(pid, names[pid], store.daily_series(pid, first, last))
              for pid in drawn]
    if not any(s.points for s in series):
        raise ExportError(f"There are no readings from {wording.day(first)} to "
                          f"{wording.day(last)} for the chosen Pages.",
                          "Choose a longer range or other Pages.")
    newest = max((p.taken_at for s in series for p in s.points), default=None)
    return ChartContent(series, store.notes(first, last, page_ids),
                        store.thresholds(), first, last, newest, title,
                        tuple(names[pid] for pid in left_out), average)


def _band_key(thresholds: Thresholds, theme: themes.Theme) -> str:
    """The key to the coloured bands behind the rate, each status as shape, word and colour
    (so it reads in greyscale too)."""
    if thresholds.mode is Mode.RELATIVE:
        return ""
    amber, green = (f"{value:g}" for value in (thresholds.amber, thresholds.green))
    parts = ((Status.RED, f"below {amber}"), (Status.AMBER, f"{amber} to {green}"),
             (Status.GREEN, f"{green} and over"))
    return "Per 1,000 followers: " + " &nbsp; ".join(
        f"<span style='color:{theme.status[status]}'>{status.shape} <b>{status.word}</b></span>"
        f" {words}" for status, words in parts)


def _fitting(text: str, pixels: float, room: float, bold: bool = False) -> float:
    """A text size no larger than ``pixels`` at which ``text`` fits in ``room``: a long title
    is set smaller rather than cut off, and never makes the layout wider than the image."""
    font = QFont()
    font.setPixelSize(round(pixels))
    font.setBold(bold)
    width = QFontMetricsF(font).horizontalAdvance(text)
    return pixels if width <= room else pixels * room / width


def _fitted(text: str, pixels: float, room: float, bold: bool = False) -> tuple[str, float]:
    """Text from outside (a title, Page names) as a pyqtgraph label's HTML, shown as written
    on one line, and its size: set smaller to fit ``room``, down to 60 %, then cut short with
    an ellipsis (a Page's name can be thousands of characters long)."""
    text = one_line(text)
    size = max(_fitting(text, pixels, room, bold), pixels * 0.6)
    font = QFont()
    font.setPixelSize(round(size))
    font.setBold(bold)
    text = QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight, room)
    return markup(text), size


def _px(pixels: float) -> str:
    return f"{round(pixels)}px"


class LineSample(ItemSample):
    """A compared Page's sample in an export's legend: a long stretch of its line, dashed as
    it is, with its marker in the middle; nothing for a Page with no line."""

    @staticmethod
    def length(text_px: float) -> float:
        return 4 * text_px

    def __init__(self, look: SeriesLook | None, style: ChartStyle, text_px: float) -> None:
        super().__init__(look)
        self.look, self.style = look, style
        self.size = QSizeF(self.length(text_px), text_px * 1.4)
        self.setFixedWidth(self.size.width())
        self.setFixedHeight(self.size.height())

    def boundingRect(self) -> QRectF:
        return QRectF(QPointF(0, 0), self.size)

    def paint(self, painter: QPainter, *_args: object) -> None:
        if self.look is None:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        middle = self.size.height() / 2
        painter.setPen(self.look.pen(self.style.line))
        painter.drawLine(QPointF(1, middle), QPointF(self.size.width() - 1, middle))
        colour = QColor(self.look.colour)
        painter.setPen(QPen(colour, max(1.0, self.style.line / 2)))
        painter.setBrush(colour)
        size = self.style.dot * MARKER_SCALE
        place = QTransform()
        place.translate(self.size.width() / 2, middle)
        place.scale(size, size)
        painter.drawPath(place.map(Symbols[self.look.symbol]))

    def mouseClickEvent(self, event: object) -> None:
        """An export's legend is a picture: clicking it hides nothing."""


class Composition:
    """The chart with its title, subtitle and footer (unless it goes inside a page that has
    its own: ``framed=False``), its legend, the list of its notes numbered as its markers
    (unless the page lists them: ``listed_notes=False``) and the key to its bands, laid out
    at its natural size."""

    def __init__(self, content: ChartContent, output: Output, *, framed: bool = True,
                 listed_notes: bool = True) -> None:
        theme = themes.EXPORT
        self.theme = theme
        size = output.layout
        self.size = size
        self.widget = pg.GraphicsLayoutWidget()
        self.widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        self.widget.setBackground(theme.background)
        self.widget.resize(size)
        layout = self.widget.ci
        layout.setContentsMargins(14, 12, 18, 8)
        layout.setSpacing(2)
        room = size.width() - 40
        if framed:
            heading, pixels = _fitted(content.heading, output.text("title"), room, True)
            layout.addLabel(heading, row=0, col=0, size=_px(pixels), bold=True,
                            color=theme.text, justify="left")
            subtitle, pixels = _fitted(content.subtitle, output.text("subtitle"), room)
            layout.addLabel(subtitle, row=1, col=0, size=_px(pixels), color=theme.muted,
                            justify="left")
        else:
            layout.setContentsMargins(0, 0, 0, 0)
        self.notes_label: pg.LabelItem | None = None  # the list of notes under the chart
        charts = layout.addLayout(row=2, col=0)
        self.chart = make_chart(charts, theme, output.style, content.series,
                                content.notes, content.thresholds, content.first,
                                content.last, content.average)
        row = 3
        if isinstance(self.chart, CompareChart):
            row = self._legend(layout, row, output, room)
        if content.average:  # what the lines are
            words = f"Lines: {AVERAGE_KEY}"
            layout.addLabel(markup(words), row=row, col=0,
                            size=_px(_fitting(words, output.text("labels"), room)),
                            color=theme.text, justify="left")
            row += 1
        if listed_notes:
            row = self._notes(layout, row, content, output, room)
        key = _band_key(content.thresholds, theme)
        if key:
            plain = re.sub(r"<[^>]+>", "", key).replace("&nbsp;", " ")
            layout.addLabel(key, row=row, col=0,
                            size=_px(_fitting(plain, output.text("labels"), room, True)),
                            color=theme.text, justify="left")
            row += 1
        if framed:
            layout.addLabel(content.footer, row=row, col=0,
                            size=_px(_fitting(content.footer, output.text("footer"), room)),
                            color=theme.muted, justify="left")
        # Shown off-screen (never on screen) and given one turn of the event loop: that lays
        # the items out, and text items (notes, band words) take their place for this view.
        self.widget.show()
        QApplication.processEvents()

    def _legend(self, layout: pg.GraphicsLayout, row: int, output: Output, room: float) -> int:
        """The compared Pages' key under the chart, where it hides no line or note: a long
        sample of each line with its marker, in as many columns as the names fit (at most
        three); a Page with no line says "no figures" instead of a sample."""
        assert isinstance(self.chart, CompareChart)
        entries = self.chart.legend_entries()
        pixels = output.text("labels")
        sample = LineSample.length(pixels)
        font = QFont()
        font.setPixelSize(round(pixels))
        metrics = QFontMetricsF(font)
        spacing = 12.0
        missing = ": no figures"
        widest = max(metrics.horizontalAdvance(short(one_line(name), LEGEND_NAME)
                                               + ("" if drawn else missing))
                     for _, name, drawn in entries)
        # as many columns (at most three) as fit every name whole, and at most four rows,
        # even if names are cut short for it
        fit = int(room // (sample + widest + 2 * spacing))
        columns = max(1, min(3, len(entries), max(fit, math.ceil(len(entries) / 4))))
        width = room / columns - sample - 2 * spacing
        legend = pg.LegendItem(labelTextSize=_px(pixels), colCount=columns, pen=None,
                               labelTextColor=self.theme.text, sampleType=LineSample,
                               horSpacing=spacing, verSpacing=-pixels * 0.35)
        for look, name, drawn in entries:
            room_for_name = width - (0 if drawn else metrics.horizontalAdvance(missing))
            text = metrics.elidedText(short(one_line(name), LEGEND_NAME),
                                      Qt.TextElideMode.ElideRight, room_for_name)
            # a label's text is HTML; a Page with no line has words instead of a sample
            legend.addItem(LineSample(look if drawn else None, output.style, pixels),
                           markup(text + ("" if drawn else missing)))
        # on screen a legend keeps its size when the plot is zoomed; here it grows with
        # the picture like everything else
        legend.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, False)
        layout.addItem(legend, row=row, col=0)
        return row + 1

    def _notes(self, layout: pg.GraphicsLayout, row: int, content: ChartContent,
               output: Output, room: float) -> int:
        """The notes under the chart, numbered as its markers, each on one line (cut short
        to fit), as many as the picture has room for; then how many more there are."""
        notes = numbered(content.notes)
        if not notes:
            return row
        most = max(2, int(self.size.height() // 150))  # lines: 3 on a page, 4 on a slide
        shown = notes if len(notes) <= most else notes[:most - 1]
        lines = [note_line(number, note) for number, note in shown]
        if len(shown) < len(notes):
            rest = notes[len(shown):]
            lines.append(f"[{rest[0][0]}–{rest[-1][0]}] {len(rest)} more notes, from "
                         f"{wording.day(rest[0][1].day)} to {wording.day(rest[-1][1].day)}")
        pixels = output.text("labels")
        font = QFont()
        font.setPixelSize(round(pixels))
        metrics = QFontMetricsF(font)
        # one label of lines, each cut short to fit (a label's text is HTML)
        text = "<br>".join(markup(metrics.elidedText(line, Qt.TextElideMode.ElideRight, room))
                           for line in lines)
        self.notes_label = layout.addLabel(text, row=row, col=0, size=_px(pixels),
                                           color=self.theme.note, justify="left")
        return row + 1

    def paint(self, painter: QPainter, target: QRectF) -> None:
        source = QRectF(0, 0, self.size.width(), self.size.height())
        self.widget.scene().render(painter, target, source)

    def close(self) -> None:
        self.widget.close()
        self.widget.deleteLater()


def chart_image(content: ChartContent, output: Output) -> QImage:
    """The chart as an image of ``output``'s size, with its resolution set (clipboard, PNG)."""
    composition = Composition(content, output)
    try:
        image = QImage(output.width, output.height, QImage.Format.Format_ARGB32)
        if image.isNull():
            raise ExportError(f"There is not enough memory for a {output.width}×"
                              f"{output.height} image.", "Choose a smaller size.")
        image.fill(Qt.GlobalColor.white)
        painter = QPainter(image)
        painter.setRenderHints(QPainter.RenderHint.Antialiasing
                               | QPainter.RenderHint.TextAntialiasing)
        composition.paint(painter, QRectF(0, 0, output.width, output.height))
        painter.end()
        # the resolution is recorded after painting: painted at it, text given in points
        # would be scaled twice
        dots_per_metre = round(output.dpi / 0.0254)
        image.setDotsPerMeterX(dots_per_metre)
        image.setDotsPerMeterY(dots_per_metre)
        return image
    finally:
        composition.close()


def export_chart(content: ChartContent, output: Output, path: Path, fmt: str | None = None,
                 *, force: bool = False) -> Path:
    """Write the chart to ``path`` as PNG, SVG or PDF (from the file name unless ``fmt``)."""
    fmt = (fmt or Path(path).suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise ExportError(f"{Path(path).name}: charts are exported as PNG, SVG or PDF.",
                          "End the file name with .png, .svg or .pdf.")
    with atomic_output(Path(path), force=force) as temporary:
        if fmt == "png":
            # light compression: a few per cent larger, a third quicker to write
            if not chart_image(content, output).save(str(temporary), "PNG", PNG_QUALITY):
                raise ExportError(f"Could not write {Path(path).name}.",
                                  "Check the free space and the folder.")
        elif fmt == "svg":
            _svg(content, output, temporary)
        else:
            _pdf(content, output, temporary)
    return Path(path)


def _svg(content: ChartContent, output: Output, path: Path) -> None:
    composition = Composition(content, output)
    try:
        size = composition.size
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        generator = QSvgGenerator()
        generator.setOutputDevice(buffer)
        generator.setSize(size)
        generator.setViewBox(QRect(0, 0, size.width(), size.height()))
        generator.setResolution(LAYOUT_DPI)
        # an SVG file cannot hold control characters, even escaped
        generator.setTitle(one_line(content.heading))
        generator.setDescription(one_line(f"{content.subtitle}. {content.footer}"))
        painter = QPainter(generator)
        painter.fillRect(QRectF(0, 0, size.width(), size.height()), Qt.GlobalColor.white)
        composition.paint(painter, QRectF(0, 0, size.width(), size.height()))
        painter.end()
        path.write_bytes(_without_vector_effects(bytes(buffer.data())))
    finally:
        composition.close()


def _without_vector_effects(svg: bytes) -> bytes:
    """Qt's SVG with no ``vector-effect`` attribute, which librsvg, Word and PowerPoint do not
    all honour. Every stroke is drawn in even coordinates at its true width (the charts'
    ``flat`` style), so a non-scaling stroke is left only where nothing is stroked (a fill
    with no pen) or nothing is scaled, where the attribute changes nothing."""
    return re.sub(rb' vector-effect="[a-z-]+"', b"", svg)


def _pdf(content: ChartContent, output: Output, path: Path) -> None:
    composition = Composition(content, output)
    try:
        size = composition.size
        writer = QPdfWriter(str(path))
        writer.setTitle(content.heading)
        writer.setCreator(APP_NAME)
        # Vector output: a resolution of layout pixels paints the chart at its natural size
        # one-to-one (text sized for another resolution would be scaled twice).
        writer.setResolution(LAYOUT_DPI)
        writer.setPageSize(QPageSize(QSizeF(size.width() / LAYOUT_DPI,
                                            size.height() / LAYOUT_DPI),
                                     QPageSize.Unit.Inch, content.heading))
        writer.setPageMargins(QMarginsF(0, 0, 0, 0))
        painter = QPainter(writer)
        target = QRectF(painter.viewport())
        painter.fillRect(target, Qt.GlobalColor.white)
        composition.paint(painter, target)
        painter.end()
    finally:
        composition.close()
