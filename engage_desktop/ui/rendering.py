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

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QMarginsF, QRect, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QImage, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication, QGraphicsItem

from engage_desktop import APP_NAME
from engage_desktop.core.engagement import Mode, Status, Thresholds
from engage_desktop.core.exporting.files import ExportError, atomic_output
from engage_desktop.core.models import Annotation
from engage_desktop.core.store import Store
from engage_desktop.core.timeutil import UK, range_problem
from engage_desktop.ui import theme as themes
from engage_desktop.ui.charts import MAX_COMPARED, ChartStyle, CompareChart, PageSeries, make_chart
from engage_desktop.ui.plain import markup, one_line, short

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
                          band_labels=False, rate_title="Per 1,000", smooth_up_to=None)

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
    annotations: list[Annotation]
    thresholds: Thresholds
    first: date
    last: date
    data_as_of: datetime | None
    title: str | None = None  # the officer's own title, instead of the one made here
    left_out: tuple[str, ...] = ()  # Pages chosen beyond the most a chart compares

    @property
    def heading(self) -> str:
        if self.title:
            return self.title
        if len(self.series) == 1:
            return f"{self.series[0].name}: is anyone talking?"
        return "People talking, per 1,000 followers"

    @property
    def subtitle(self) -> str:
        span = f"{_day(self.first)} to {_day(self.last)}"
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
        when = f"{_day(moment)} {moment:%H:%M}" if moment else "no readings"
        return f"Source: Facebook Graph API via {APP_NAME} · data as of {when}"


def chart_content(store: Store, page_ids: list[str], first: date, last: date,
                  title: str | None = None) -> ChartContent:
    """The content of a chart of ``page_ids`` from the database."""
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
        raise ExportError(f"There are no readings from {_day(first)} to {_day(last)} for the "
                          "chosen Pages.", "Choose a longer range or other Pages.")
    newest = max((p.taken_at for s in series for p in s.points), default=None)
    return ChartContent(series, store.annotations(first, last, page_ids),
                        store.thresholds(), first, last, newest, title,
                        tuple(names[pid] for pid in left_out))


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


def _day(day: date) -> str:
    """"5 Mar 2026" (strftime has no portable day without a leading zero)."""
    return f"{day.day} {day:%b %Y}"


class Composition:
    """The chart with its title, subtitle and footer (unless it goes inside a page that has
    its own: ``framed=False``), laid out at its natural size."""

    def __init__(self, content: ChartContent, output: Output, *, framed: bool = True) -> None:
        theme = themes.EXPORT
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
        charts = layout.addLayout(row=2, col=0)
        self.chart = make_chart(charts, theme, output.style, content.series,
                                content.annotations, content.thresholds, content.first,
                                content.last)
        row = 3
        if isinstance(self.chart, CompareChart):
            # the compared Pages' key, under the chart where it hides no line or note
            legend = pg.LegendItem(labelTextSize=_px(output.text("labels")),
                                   colCount=min(3, len(content.series)), pen=None,
                                   labelTextColor=theme.text)
            for item, name in self.chart.legend_entries():
                # a label's text is HTML; three names side by side on a page or a slide
                legend.addItem(item, markup(short(name, LEGEND_NAME)))
            # on screen a legend keeps its size when the plot is zoomed; here it grows with
            # the picture like everything else
            legend.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, False)
            layout.addItem(legend, row=row, col=0)
            row += 1
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
        generator = QSvgGenerator()
        generator.setFileName(str(path))
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
    finally:
        composition.close()


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
