"""The briefing (A4 portrait, PDF or PNG): a title, the traffic light for the chosen Pages,
their comparison chart, "What changed" (from :mod:`engage_desktop.core.changes`), the notes for
the period and what the measure means.

The first page holds the story; when there are more Pages than its table shows (or more changes
than fit), further A4 pages follow: the traffic-light table continues there with its header on
every page. A PDF has them all; a PNG is one image per page, the first at the name chosen and
the others beside it as ``NAME-2.png``, ``NAME-3.png``…

The pages are painted with ``QPainter`` in layout pixels (96 to the inch), so the PDF holds text
as text and the PNG is the same page at a higher resolution. Every status is a shape and a word
as well as a colour, so it reads when printed in greyscale.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextOption,
)

from engage_desktop import APP_NAME
from engage_desktop.core import changes, traffic_light, wording
from engage_desktop.core.changes import Change
from engage_desktop.core.engagement import INTERACTIONS, Status
from engage_desktop.core.exporting.files import ExportError, atomic_output
from engage_desktop.core.store import Store
from engage_desktop.core.timeutil import UK, uk_day, utc_now
from engage_desktop.core.traffic_light import PageStatus
from engage_desktop.core.wording import short
from engage_desktop.ui import rendering
from engage_desktop.ui import theme as themes
from engage_desktop.ui.charts import note_line, numbered
from engage_desktop.ui.plain import one_line

A4 = QSizeF(210 / 25.4, 297 / 25.4)  # inches
PAGE = QSizeF(A4.width() * rendering.LAYOUT_DPI, A4.height() * rendering.LAYOUT_DPI)
MARGIN = 48.0  # half an inch
BOTTOM = PAGE.height() - MARGIN - 10  # the flow stops here; the footer is below
PNG_SCALE = 2.0  # the PNG is the page at 192 dpi
FIRST_PAGE_ROWS = 12  # Pages in the first page's table; the others continue on later pages
CHART_PAGES = 8  # the worst Pages with readings, on the chart
CHART_HEIGHT = 310.0  # the plot, the notes' markers above it and the legend of 8 Pages
KEY_HEIGHT = 20.0  # and the line saying the lines are 7-day averages, when they are
NOTES_LISTED = 6  # the newest notes listed under the chart
MAX_CHANGES = 30  # sentences of "What changed"; the rest are counted
TITLE_LIMIT = 120  # characters of the title drawn (three lines at most)
ROW_HEIGHT = 20.0
SENTENCE_PX = 11  # the text of What changed and the notes
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
    rows: list[PageStatus]  # every Page briefed on, worst first
    chart: rendering.ChartContent | None
    amber: float
    green: float
    made_on: date
    changes: list[Change]  # about those Pages, most urgent first


def briefing_content(store: Store, page_ids: list[str] | None = None,
                     title: str | None = None, days: int = 365, *,
                     average: bool = True) -> BriefingContent:
    """The briefing for ``page_ids`` (default: every followed Page, worst first); its chart
    draws the steadier line (7-day averages, daily values faint) unless ``average`` is
    False."""
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
    charted = [row.page.id for row in rows if row.latest is not None][:CHART_PAGES]
    try:
        chart = (rendering.chart_content(store, charted, today - timedelta(days=days - 1),
                                         today, average=average) if charted else None)
    except ExportError:
        chart = None  # no readings in the period: the table still briefs
    briefed = {row.page.id for row in rows}
    found = [change for change in changes.what_changed(store, light=light)
             if change.page_id in briefed]
    return BriefingContent(title or DEFAULT_TITLE, rows, chart, light.thresholds.amber,
                           light.thresholds.green, today, found)


def page_count(content: BriefingContent) -> int:
    """How many A4 pages the briefing takes."""
    return len(_layout(content))


def export_briefing(content: BriefingContent, path: Path, *, force: bool = False) -> list[Path]:
    """Write the briefing as PDF or PNG (from the file name); the files written (a PNG per
    page: ``path``, then ``NAME-2.png``… beside it)."""
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("pdf", "png"):
        raise ExportError(f"{path.name}: the briefing is a PDF or PNG file.",
                          "End the file name with .pdf or .png.")
    pages = _layout(content)
    if fmt == "pdf":
        with atomic_output(path, force=force) as temporary:
            writer = QPdfWriter(str(temporary))
            writer.setTitle(content.title)
            writer.setCreator(APP_NAME)
            writer.setResolution(rendering.LAYOUT_DPI)  # layout pixels, painted one-to-one
            writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
            writer.setPageMargins(QMarginsF(0, 0, 0, 0))
            painter = QPainter(writer)
            try:
                for number in range(len(pages)):
                    if number:
                        writer.newPage()
                    _paint(painter, pages, number)
            finally:
                painter.end()
        return [path]
    paths = png_paths(path, len(pages))
    if not force:  # refuse before writing any, so that no export is left half done
        for taken in paths[1:]:
            if taken.exists():
                raise ExportError(f"{taken.name} already exists in {taken.parent}.",
                                  "Choose another name, or replace it (--force).")
    for number, target in enumerate(paths):
        with atomic_output(target, force=force) as temporary:
            if not _page_image(pages, number, PNG_SCALE).save(str(temporary), "PNG"):
                raise ExportError(f"Could not write {target.name}.",
                                  "Check the free space and the folder.")
    return paths


def png_paths(path: Path, pages: int) -> list[Path]:
    """Where a PNG briefing of ``pages`` pages goes: ``path``, then ``NAME-2.png``…"""
    return [path] + [path.with_name(f"{path.stem}-{number}{path.suffix}")
                     for number in range(2, pages + 1)]


def briefing_image(content: BriefingContent, scale: float = PNG_SCALE,
                   page: int = 0) -> QImage:
    """One page painted ``scale`` pixels to the layout pixel (the PNG's, or a small preview),
    its resolution set to match."""
    return _page_image(_layout(content), page, scale)


def _page_image(pages: list[_Sheet], number: int, scale: float) -> QImage:
    image = QImage(max(round(PAGE.width() * scale), 1), max(round(PAGE.height() * scale), 1),
                   QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    try:
        painter.setRenderHints(QPainter.RenderHint.Antialiasing
                               | QPainter.RenderHint.TextAntialiasing)
        painter.scale(scale, scale)
        _paint(painter, pages, number)
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


# Layout: blocks of known height flowed onto pages -------------------------------------------

Draw = Callable[[QPainter, float], None]  # paints a block with its top at y


@dataclass(frozen=True)
class _Block:
    height: float
    draw: Draw


@dataclass
class _Sheet:
    """One A4 page: its blocks and where each begins."""

    blocks: list[tuple[float, _Block]]
    footer: str = ""


class _Flow:
    def __init__(self) -> None:
        self.sheets: list[_Sheet] = [_Sheet([])]
        self.y = MARGIN

    def fits(self, height: float) -> bool:
        return self.y + height <= BOTTOM

    def new_page(self) -> None:
        self.sheets.append(_Sheet([]))
        self.y = MARGIN

    def add(self, block: _Block, *, with_next: float = 0.0) -> None:
        """Place ``block``, on a new page when it (and ``with_next``, what must follow it on
        the same page) does not fit on this one."""
        if not self.fits(block.height + with_next) and self.y > MARGIN:
            self.new_page()
        self.sheets[-1].blocks.append((self.y, block))
        self.y += block.height


_WIDTH = PAGE.width() - 2 * MARGIN
_WRAP = QTextOption()
_WRAP.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)  # a 200-letter name too


def _text(pixels: float, words: str, colour: str, *, bold: bool = False, gap: float = 0.0,
          indent: float = 0.0) -> _Block:
    """Wrapped text as a block, ``gap`` below it."""
    font = _font(pixels, bold)
    box = QRectF(MARGIN + indent, 0, _WIDTH - indent, PAGE.height())
    height = _measure(font, box, words)

    def draw(painter: QPainter, y: float) -> None:
        painter.setFont(font)
        painter.setPen(QColor(colour))
        painter.drawText(box.translated(0, y), words, _WRAP)

    return _Block(height + gap, draw)


def _measure(font: QFont, box: QRectF, words: str) -> float:
    image = QImage(1, 1, QImage.Format.Format_ARGB32)  # the pages' metrics: pixel-sized fonts
    painter = QPainter(image)
    try:
        painter.setFont(font)
        return painter.boundingRect(box, words, _WRAP).height()
    finally:
        painter.end()


def _layout(content: BriefingContent) -> list[_Sheet]:
    theme = themes.EXPORT
    flow = _Flow()
    # the officer's title, however long, leaves the page for the briefing
    flow.add(_text(26, short(one_line(content.title), TITLE_LIMIT), theme.text, bold=True,
                   gap=4))
    as_of = max((row.latest.taken_at for row in content.rows if row.latest), default=None)
    when = (f"data as of {wording.day(as_of.astimezone(UK).date())} {as_of.astimezone(UK):%H:%M}"
            if as_of else "no readings yet")
    counts = Counter(row.status for row in content.rows)
    tally = " · ".join(f"{counts[status]} {status.word.lower()}" for status in Status
                       if counts[status])
    pages = f"{len(content.rows)} Page" + ("" if len(content.rows) == 1 else "s")
    flow.add(_text(13, f"Briefing of {wording.day(content.made_on)} · {pages}: {tally} · {when}",
                   theme.muted, gap=14))

    first, rest = content.rows[:FIRST_PAGE_ROWS], content.rows[FIRST_PAGE_ROWS:]
    flow.add(_header(theme), with_next=ROW_HEIGHT)
    for number, row in enumerate(first):
        flow.add(_row(row, number, theme))
    footnote = _interactions_note(first, theme)
    if footnote:
        flow.add(footnote)
    continued = [0]  # the page the table continues on, known once the first pages are laid
    if rest:
        flow.add(_later(lambda: f"The table continues on page {continued[0]} with the other "
                                f"{len(rest):,} Pages.", theme))
    flow.add(_Block(10, lambda painter, y: None))

    if content.chart is not None:
        heading = _text(15, "Talking about per 1,000 followers over the last 12 months",
                        theme.text, bold=True, gap=4)
        chart = _chart(content.chart)
        flow.add(heading, with_next=chart.height)
        flow.add(chart)
        flow.add(_Block(8, lambda painter, y: None))

    _what_changed(flow, content.changes, theme)

    notes = numbered(content.chart.notes) if content.chart else []
    if notes:
        # numbered as the chart's markers; the newest when there are many
        items = [_text(SENTENCE_PX, note_line(number, note), theme.text, gap=2)
                 for number, note in notes[-NOTES_LISTED:]]
        if len(notes) > NOTES_LISTED:
            earlier = len(notes) - NOTES_LISTED
            items.insert(0, _text(SENTENCE_PX, f"[1–{earlier}] {earlier} earlier notes, "
                                               "numbered on the chart", theme.muted, gap=2))
        flow.add(_text(15, "Notes for the period", theme.text, bold=True, gap=4),
                 with_next=items[0].height)
        for item in items:
            flow.add(item)
        flow.add(_Block(6, lambda painter, y: None))
    amber, green = (f"{value:g}" for value in (content.amber, content.green))
    for line in EXPLANATION:
        flow.add(_text(10, line.format(amber=amber, green=green), theme.muted, gap=3))

    if rest:
        continued[0] = len(flow.sheets) + 1
        total, number = len(content.rows), len(first)
        while number < total:
            flow.new_page()
            probe = _text(15, "Traffic light, continued", theme.text, bold=True, gap=6)
            capacity = max(int((BOTTOM - MARGIN - probe.height - ROW_HEIGHT) // ROW_HEIGHT), 1)
            last = min(number + capacity, total)
            flow.add(_text(15, f"Traffic light, continued: Pages {number + 1:,} to {last:,} "
                               f"of {total:,}", theme.text, bold=True, gap=6))
            flow.add(_header(theme))
            for index in range(number, last):
                flow.add(_row(content.rows[index], index, theme))
            number = last
        footnote = _interactions_note(rest, theme)
        if footnote:
            flow.add(footnote)
    total = len(flow.sheets)
    for number, sheet in enumerate(flow.sheets, start=1):
        sheet.footer = f"Source: Facebook Graph API via {APP_NAME}" + (
            f" · page {number} of {total}" if total > 1 else "")
    return flow.sheets


def _later(words: Callable[[], str], theme: themes.Theme) -> _Block:
    """One bold line whose words are known only when it is painted (its height is one line
    whatever they are)."""
    font = _font(12, bold=True)

    def draw(painter: QPainter, y: float) -> None:
        painter.setFont(font)
        painter.setPen(QColor(theme.text))
        painter.drawText(QRectF(MARGIN, y, _WIDTH, ROW_HEIGHT),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         words())

    return _Block(ROW_HEIGHT, draw)


def _what_changed(flow: _Flow, found: list[Change], theme: themes.Theme) -> None:
    heading = _text(15, changes.HEADING, theme.text, bold=True, gap=2)
    scope = _text(11, changes.SCOPE, theme.muted, gap=6)
    shown, left = found[:MAX_CHANGES], found[MAX_CHANGES:]
    items = [_bullet(change.sentence, theme) for change in shown]
    if not items:
        items = [_text(12, changes.NOTHING, theme.text, gap=4)]
    if left:
        kinds = Counter(_KIND_WORDS[change.kind] for change in left)
        listed = "; ".join(f"{count:,} {words}" for words, count in kinds.most_common())
        items.append(_text(12, f"And {len(left):,} more: {listed}. Engage Desktop's What "
                               "changed lists them all.", theme.text, gap=4))
    flow.add(heading, with_next=scope.height + items[0].height)
    flow.add(scope)
    for item in items:
        if not flow.fits(item.height):
            flow.new_page()
            flow.add(_text(15, f"{changes.HEADING}, continued", theme.text, bold=True, gap=6))
        flow.add(item)
    flow.add(_Block(8, lambda painter, y: None))


_KIND_WORDS = {  # "And 31 more: 18 recovered; 6 with more likes but less talk; …"
    changes.Kind.TURNED_RED: "turned red", changes.Kind.TURNED_AMBER: "slipped to amber",
    changes.Kind.NEEDS_RECONNECT: "needing reconnection",
    changes.Kind.STALE: "with figures over 8 days old", changes.Kind.FELL: "fallen",
    changes.Kind.LIKES_WITHOUT_TALK: "with more likes but less talk",
    changes.Kind.NO_DATA: "without data", changes.Kind.RECOVERED: "recovered",
    changes.Kind.ROSE: "risen"}


def _bullet(sentence: str, theme: themes.Theme) -> _Block:
    text = _text(SENTENCE_PX, sentence, theme.text, gap=3, indent=14)

    def draw(painter: QPainter, y: float) -> None:
        painter.setFont(_font(SENTENCE_PX))
        painter.setPen(QColor(theme.text))
        painter.drawText(QRectF(MARGIN, y, 14, 20), int(Qt.AlignmentFlag.AlignLeft), "•")
        text.draw(painter, y)

    return _Block(text.height, draw)


def _chart(chart: rendering.ChartContent) -> _Block:
    """The chart, its plot as tall whether or not it has the line of the steadier line's key."""
    height = CHART_HEIGHT + (KEY_HEIGHT if chart.average else 0.0)

    def draw(painter: QPainter, y: float) -> None:
        output = rendering.Output(round(_WIDTH), round(height), _WIDTH / rendering.LAYOUT_DPI)
        composition = rendering.Composition(chart, output, framed=False,
                                            listed_notes=False)
        try:
            composition.paint(painter, QRectF(MARGIN, y, _WIDTH, height))
        finally:
            composition.close()

    return _Block(height, draw)


def _paint(painter: QPainter, pages: list[_Sheet], number: int) -> None:
    theme = themes.EXPORT
    sheet = pages[number]
    painter.fillRect(QRectF(0, 0, PAGE.width(), PAGE.height()), Qt.GlobalColor.white)
    for y, block in sheet.blocks:
        block.draw(painter, y)
    painter.setFont(_font(10))
    painter.setPen(QColor(theme.muted))
    painter.drawText(QRectF(MARGIN, PAGE.height() - MARGIN, _WIDTH, 20),
                     int(Qt.AlignmentFlag.AlignLeft), sheet.footer)


COLUMNS = (("Status", 0.14, False), ("Page", 0.35, False), ("Followers", 0.12, True),
           ("Talking about", 0.15, True), ("Per 1,000", 0.11, True), ("Trend", 0.13, True))


def _cells(painter: QPainter, values: list[str], top: float, colours: list[str],
           bold: list[bool]) -> None:
    x = MARGIN
    for (_, share, right), value, colour, heavy in zip(COLUMNS, values, colours, bold,
                                                       strict=True):
        painter.setFont(_font(12, heavy))
        painter.setPen(QColor(colour))
        align = Qt.AlignmentFlag.AlignRight if right else Qt.AlignmentFlag.AlignLeft
        box = QRectF(x + 4, top, share * _WIDTH - 8, ROW_HEIGHT)
        painter.drawText(box, int(align | Qt.AlignmentFlag.AlignVCenter),
                         painter.fontMetrics().elidedText(value, Qt.TextElideMode.ElideRight,
                                                          round(box.width())))
        x += share * _WIDTH


def _header(theme: themes.Theme) -> _Block:
    def draw(painter: QPainter, y: float) -> None:
        _cells(painter, [name for name, _, _ in COLUMNS], y, [theme.text] * 6, [True] * 6)
        painter.setPen(QPen(QColor(theme.text), 1))
        line = QRectF(MARGIN, y + ROW_HEIGHT, _WIDTH, 0)
        painter.drawLine(line.topLeft(), line.topRight())

    return _Block(ROW_HEIGHT, draw)


def _row(row: PageStatus, number: int, theme: themes.Theme) -> _Block:
    latest = row.latest
    per_1000 = row.assessment.per_1000
    rate = "–" if per_1000 is None else f"{per_1000:.1f}"
    if row.assessment.measure == INTERACTIONS and per_1000 is not None:
        rate += "*"
    values = [f"{row.status.shape} {row.status.word}", one_line(row.page.name),
              wording.count(row.audience), wording.count(latest.talking_about if latest else None),
              rate, row.trend.describe() if row.trend else "–"]
    colours = [theme.status[row.status]] + [theme.text] * 5

    def draw(painter: QPainter, y: float) -> None:
        if number % 2:
            painter.fillRect(QRectF(MARGIN, y, _WIDTH, ROW_HEIGHT), QColor("#f3f3f3"))
        _cells(painter, values, y, colours, [True] + [False] * 5)

    return _Block(ROW_HEIGHT, draw)


def _interactions_note(rows: list[PageStatus], theme: themes.Theme) -> _Block | None:
    if not any(row.assessment.measure == INTERACTIONS for row in rows):
        return None
    return _text(10, "* interactions per 1,000 followers over 7 days: Meta gave no "
                     "talking-about figure", theme.muted, gap=2)
