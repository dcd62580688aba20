"""Meta Business Suite metric files: one metric per block, a title line, ``"Date","Primary"``,
then a row per day. Files of 2023–24 hold a Facebook block and then an Instagram block
("Instagram follows"); blocks whose title names Instagram are left out with a note, never read
as the Page's.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date

from engage_desktop.core.importing.dates import Order
from engage_desktop.core.importing.formats.cells import day_like, norm, number, slug
from engage_desktop.core.importing.formats.date_columns import dated
from engage_desktop.core.importing.formats.records import Layout, Note, Parsed, Record, Skip
from engage_desktop.core.importing.tables import Row, Table

FORMAT = "mbs_metric"
# the metric line -> the Insights name it is stored under (the Graph API's name where the
# meaning is the same, so synced and imported days line up)
MBS_METRICS = {
    "facebook follows": "page_daily_follows_unique",  # new follows per day, not the total
    "follows": "page_daily_follows_unique",
    "content interactions": "page_post_engagements",
    "interactions": "page_post_engagements",
    "views": "page_media_view",
    "viewers": "page_media_viewers",
    "facebook visits": "page_views_total",
    "visits": "page_views_total",
    "facebook link clicks": "page_link_clicks",
    "link clicks": "page_link_clicks",
}
NEW_FOLLOWS = "page_daily_follows_unique"


def recognised(cells: list[list[str]]) -> bool:
    """Whether a file's first rows (as :func:`~.cells.norm` gives them) are a metric file's:
    a title of one cell, then ``"Date","Primary"``."""
    return len(cells) >= 2 and len([c for c in cells[0] if c]) == 1 and cells[1][:2] == [
        "date", "primary"]


def names_instagram(title: str) -> bool:
    return "instagram" in norm(title)


def read(table: Table, *, dates, columns, today) -> Parsed:
    """The blocks of a metric file, in order (see the module's docstring)."""
    rows = table.rows()
    title = next(rows)
    header = next(rows)  # "Date","Primary"
    block = _Block(title)
    first = next(rows, None)
    iso = first is None or not first.cells or first.cells[0].strip()[:4].isdigit()
    layout = Layout(FORMAT, {} if block.instagram else {block.title: block.metric},
                    header.line + 1, tuple(header.cells),
                    dates="dates written year-first (ISO): no order to settle" if iso else
                    "dates read day-first, as Excel re-saves Business Suite files in the UK "
                    "and Europe",
                    unnamed_title=None if block.names_platform else block.title)
    yield layout
    held: Row | None = None  # a lone cell that may be the title of the next block
    for row in itertools.chain([first] if first is not None else [], rows):
        if held is not None:
            if [norm(c) for c in row.cells[:2]] == ["date", "primary"]:
                if block.instagram:
                    yield block.note()
                block = _Block(held)
                if not block.instagram:  # (the layout's mapping grows with the file)
                    layout.mapping.setdefault(block.title, block.metric)
                held = None
                continue
            yield from block.read(held, today)
            held = None
        filled = [c for c in row.cells if c.strip()]
        if not filled:
            continue
        if len(filled) == 1 and norm(row.cells[0]) and not day_like(row.cells[0]):
            held = row
            continue
        yield from block.read(row, today)
    if held is not None:
        yield from block.read(held, today)
    if block.instagram:
        yield block.note()


class _Block:
    """One block of a Business Suite metric file: its title, and the rows read under it."""

    def __init__(self, title: Row) -> None:
        self.line = title.line
        self.title = title.cells[0].strip()
        name = norm(self.title)
        self.metric = MBS_METRICS.get(name, slug(name))
        self.instagram = names_instagram(name)
        self.names_platform = self.instagram or "facebook" in name
        self.rows = 0

    def read(self, row: Row, today: date) -> Iterator[Record | Skip]:
        if self.instagram:
            self.rows += 1
            return
        day = dated(row.cells[0], row.line, Order.DAY_FIRST, today)
        if isinstance(day, Skip):
            yield day
            return
        try:
            value = number(row.cells[1] if len(row.cells) > 1 else "")
        except ValueError as exc:
            yield Skip(row.line, str(exc))
            return
        if value is None:
            yield Skip(row.line, "no value (a missing day is unknown, not zero)")
            return
        yield Record(row.line, None, None, day, metric=self.metric, value=value)

    def note(self) -> Note:
        return Note(self.line, f"Instagram block skipped: {self.rows:,} rows (“{self.title}”, "
                               "line " f"{self.line}; only Facebook Pages are kept)")
