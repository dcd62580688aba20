"""The one-page briefing (A4 portrait, PDF or PNG): a title, the traffic light for the chosen
Pages, their comparison chart, the notes for the period and what the measure means.

The page is painted with ``QPainter`` in layout pixels (96 to the inch), so the PDF holds text
as text and the PNG is the same page at a higher resolution. Every status is a shape and a word
as well as a colour, so it reads when printed in greyscale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPageSize, QPainter, QPdfWriter, QPen

from engage_desktop import APP_NAME
from engage_desktop.core import traffic_light
from engage_desktop.core.engagement import INTERACTIONS
from engage_desktop.core.exporting.files import ExportError, atomic_output
from engage_desktop.core.store import Store
from engage_desktop.core.timeutil import UK, uk_day, utc_now
from engage_desktop.core.traffic_light import PageStatus
from engage_desktop.ui import rendering
from engage_desktop.ui import theme as themes
from engage_desktop.ui.charts import note_line, numbered
from engage_desktop.ui.plain import one_line, short

A4 = QSizeF(210 / 25.4, 297 / 25.4)  # inches
PAGE = QSizeF(A4.width() * rendering.LAYOUT_DPI, A4.height() * rendering.LAYOUT_DPI)
MARGIN = 48.0  # half an inch
PNG_SCALE = 2.0  # the PNG is the page at 192 dpi
MAX_ROWS = 14  # Pages in the table (and on the chart: the first 8)
CHART_PAGES = 8
NOTES_LISTED = 6  # the newest notes listed under the chart
TITLE_LIMIT = 120  # characters of the title drawn (three lines at most)
DEFAULT_TITLE = "Is anyone talking to our Facebook Pages?"
EXPLANATION = (
    "Talking about: the unique people who interacted with a Page in the last 7 days, as Meta "
    "counts them. Per 1,000: talking about ÷ followers × 1,000; red below {amber}, amber from "
    "{amber}, green from {green}.",
    "A Page with many followers and few people talking has its conversation somewhere else. "
    "Trend: the last 7 days' average against the 7 days four weeks before.")


@dataclass(frozen=True)
class BriefingContent:
    title: str
    rows: list[PageStatus]
    chart: rendering.ChartContent | None
    amber: float
    green: float
    made_on: date


def briefing_content(store: Store, page_ids: list[str] | None = None,
                     title: str | None = None, days: int = 365) -> BriefingContent:
    """The briefing for ``page_ids`` (default: every followed Page, worst first)."""
    light = traffic_light.build(store)
    rows = light.rows
    if page_ids:
        by_id = {row.page.id: row for row in rows}
        unknown = [pid for pid in page_ids if pid not in by_id]
        if unknown:
            raise ExportError(f"There is no followed Page {unknown[0]!r} in this database.",
                              "Run 'engage-desktop pages' to see their IDs.")
        rows = [by_id[pid] for pid in page_ids]
    if not rows:
        raise ExportError("There are no Pages to brief on.",
                          "Connect a token, import files, or try the demo data.")
    today = uk_day(utc_now())
    charted = [row.page.id for row in rows[:CHART_PAGES] if row.latest is not None]
    try:
        chart = (rendering.chart_content(store, charted, today - timedelta(days=days - 1),
                                         today) if charted else None)
    except ExportError:
        chart = None  # no readings in the period: the table still briefs
    return BriefingContent(title or DEFAULT_TITLE,
                           rows[:MAX_ROWS], chart, light.thresholds.amber,
                           light.thresholds.green, today)


def export_briefing(content: BriefingContent, path: Path, *, force: bool = False) -> Path:
    """Write the briefing as PDF or PNG (from the file name)."""
    fmt = Path(path).suffix.lower().lstrip(".")
    if fmt not in ("pdf", "png"):
        raise ExportError(f"{Path(path).name}: the briefing is a PDF or PNG file.",
                          "End the file name with .pdf or .png.")
    with atomic_output(Path(path), force=force) as temporary:
        if fmt == "pdf":
            writer = QPdfWriter(str(temporary))
            writer.setTitle(content.title)
            writer.setCreator(APP_NAME)
            writer.setResolution(rendering.LAYOUT_DPI)  # layout pixels, painted one-to-one
            writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
            writer.setPageMargins(QMarginsF(0, 0, 0, 0))
            painter = QPainter(writer)
            _paint(painter, content)
            painter.end()
        else:
            image = briefing_image(content, PNG_SCALE)
            if not image.save(str(temporary), "PNG"):
                raise ExportError(f"Could not write {Path(path).name}.",
                                  "Check the free space and the folder.")
    return Path(path)


def briefing_image(content: BriefingContent, scale: float = PNG_SCALE) -> QImage:
    """The page painted ``scale`` pixels to the layout pixel (the PNG's, or a small preview),
    its resolution set to match."""
    image = QImage(max(round(PAGE.width() * scale), 1), max(round(PAGE.height() * scale), 1),
                   QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    try:
        painter.setRenderHints(QPainter.RenderHint.Antialiasing
                               | QPainter.RenderHint.TextAntialiasing)
        painter.scale(scale, scale)
        _paint(painter, content)
    finally:
        painter.end()
    dots = round(rendering.LAYOUT_DPI * scale / 0.0254)
    image.setDotsPerMeterX(dots)
    image.setDotsPerMeterY(dots)
    return image


def _font(pixels: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(round(pixels))
    font.setBold(bold)
    return font


def _paint(painter: QPainter, content: BriefingContent) -> None:
    theme = themes.EXPORT
    width = PAGE.width() - 2 * MARGIN
    y = MARGIN
    painter.fillRect(QRectF(0, 0, PAGE.width(), PAGE.height()), Qt.GlobalColor.white)

    def text(pixels: float, words: str, colour: str = theme.text, bold: bool = False,
             height: float | None = None, flags=Qt.AlignmentFlag.AlignLeft) -> float:
        painter.setFont(_font(pixels, bold))
        painter.setPen(QColor(colour))
        box = QRectF(MARGIN, y, width, height or PAGE.height())
        used = painter.boundingRect(box, int(flags | Qt.TextFlag.TextWordWrap), words)
        painter.drawText(box, int(flags | Qt.TextFlag.TextWordWrap), words)
        return used.height()

    # the officer's title, however long, leaves the page for the briefing
    y += text(26, short(one_line(content.title), TITLE_LIMIT), bold=True) + 4
    as_of = max((row.latest.taken_at for row in content.rows if row.latest), default=None)
    when = (f"data as of {_day(as_of.astimezone(UK).date())} {as_of.astimezone(UK):%H:%M}"
            if as_of else "no readings yet")
    y += text(13, f"Briefing of {_day(content.made_on)} · {len(content.rows)} Pages · {when}",
              theme.muted) + 16
    y = _table(painter, content.rows, y, width, theme) + 18
    if content.chart is not None:
        y += text(15, "Talking about per 1,000 followers over the last 12 months", bold=True)
        y += 4
        chart_height = 330.0
        output = rendering.Output(round(width), round(chart_height), width / rendering.LAYOUT_DPI)
        composition = rendering.Composition(content.chart, output, framed=False,
                                            listed_notes=False)
        try:
            composition.paint(painter, QRectF(MARGIN, y, width, chart_height))
        finally:
            composition.close()
        y += chart_height + 14
    notes = numbered(content.chart.annotations) if content.chart else []
    if notes:
        # numbered as the chart's markers; the newest when there are many
        y += text(15, "Notes for the period", bold=True) + 4
        if len(notes) > NOTES_LISTED:
            y += text(12, f"1–{len(notes) - NOTES_LISTED}: {len(notes) - NOTES_LISTED} earlier "
                          "notes, numbered on the chart", theme.muted) + 2
        for number, note in notes[-NOTES_LISTED:]:
            y += text(12, note_line(number, note)) + 2
        y += 10
    amber, green = (f"{value:g}" for value in (content.amber, content.green))
    for line in EXPLANATION:
        y += text(11, line.format(amber=amber, green=green), theme.muted) + 4
    painter.setFont(_font(10))
    painter.setPen(QColor(theme.muted))
    painter.drawText(QRectF(MARGIN, PAGE.height() - MARGIN, width, 20),
                     int(Qt.AlignmentFlag.AlignLeft),
                     f"Source: Facebook Graph API via {APP_NAME}")


COLUMNS = (("Status", 0.14, False), ("Page", 0.35, False), ("Followers", 0.12, True),
           ("Talking about", 0.15, True), ("Per 1,000", 0.11, True), ("Trend", 0.13, True))


def _table(painter: QPainter, rows: list[PageStatus], y: float, width: float,
           theme: themes.Theme) -> float:
    row_height = 22.0
    lefts, x = [], MARGIN
    for _, share, _ in COLUMNS:
        lefts.append(x)
        x += share * width

    def cells(values: list[str], top: float, colours: list[str], bold: list[bool]) -> None:
        for (_, share, right), left, value, colour, heavy in zip(
                COLUMNS, lefts, values, colours, bold, strict=True):
            painter.setFont(_font(12, heavy))
            painter.setPen(QColor(colour))
            align = Qt.AlignmentFlag.AlignRight if right else Qt.AlignmentFlag.AlignLeft
            box = QRectF(left + 4, top, share * width - 8, row_height)
            painter.drawText(box, int(align | Qt.AlignmentFlag.AlignVCenter),
                             painter.fontMetrics().elidedText(value, Qt.TextElideMode.ElideRight,
                                                              round(box.width())))

    cells([name for name, _, _ in COLUMNS], y, [theme.text] * 6, [True] * 6)
    y += row_height
    painter.setPen(QPen(QColor(theme.text), 1))
    painter.drawLine(QRectF(MARGIN, y, width, 0).topLeft(), QRectF(MARGIN, y, width, 0).topRight())
    for number, row in enumerate(rows):
        if number % 2:
            painter.fillRect(QRectF(MARGIN, y, width, row_height), QColor("#f3f3f3"))
        latest = row.latest
        per_1000 = row.assessment.per_1000
        rate = "–" if per_1000 is None else f"{per_1000:.1f}"
        if row.assessment.measure == INTERACTIONS and per_1000 is not None:
            rate += "*"
        values = [f"{row.status.shape} {row.status.word}", one_line(row.page.name),
                  _count(row.audience), _count(latest.talking_about if latest else None),
                  rate, row.trend.describe() if row.trend else "–"]
        colours = [theme.status[row.status]] + [theme.text] * 5
        cells(values, y, colours, [True] + [False] * 5)
        y += row_height
    if any(row.assessment.measure == INTERACTIONS for row in rows):
        painter.setFont(_font(10))
        painter.setPen(QColor(theme.muted))
        painter.drawText(QRectF(MARGIN, y + 2, width, 16), int(Qt.AlignmentFlag.AlignLeft),
                         "* interactions per 1,000 followers over 7 days: Meta gave no "
                         "talking-about figure")
        y += 18
    return y


def _count(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"


def _day(day: date | datetime) -> str:
    return f"{day.day} {day:%b %Y}"
