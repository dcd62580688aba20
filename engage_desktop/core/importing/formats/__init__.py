"""The file formats the importer reads, each recognised from its content.

Each format turns a :class:`~engage_desktop.core.importing.tables.Table` into
:class:`Record` values (one number for one Page, day and field), :class:`Skip` notes (a row
left out, and why) and :class:`Note` lines (something the officer should know, such as an
Instagram block left out). The fields ``followers``, ``fans`` and ``talking_about`` become
readings; anything else is an Insights metric, stored under the names README lists.

Only Facebook Page data is read: Instagram blocks and files are recognised and left out, and
an Instagram post export is refused. Classic exports keep their Page-level columns; their
breakdowns (by city, country, age, story type…) are left out unless asked for.

This module recognises a file's format (:func:`detect`) and hands it to that format's reader
(:func:`parse`); a module per format reads it (``mbs_metric``, ``posts``, ``classic``,
``spreadsheet``, ``audience``), with what they share in ``records``, ``cells``,
``date_columns`` and ``wide_rows``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from engage_desktop.core.importing.dates import Order
from engage_desktop.core.importing.formats import (
    audience,
    classic,
    mbs_metric,
    posts,
    spreadsheet,
)
from engage_desktop.core.importing.formats.cells import header_map, norm, number
from engage_desktop.core.importing.formats.mbs_metric import NEW_FOLLOWS
from engage_desktop.core.importing.formats.records import (
    READING_FIELDS,
    Layout,
    NeedsAnswer,
    Note,
    Parsed,
    Record,
    Skip,
)
from engage_desktop.core.importing.formats.spreadsheet import GENERIC_HEADERS
from engage_desktop.core.importing.tables import Row, Table

__all__ = ["FORMAT_NAMES", "GENERIC_HEADERS", "NEW_FOLLOWS", "READING_FIELDS", "Layout",
           "NeedsAnswer", "Note", "Parsed", "Record", "Skip", "detect", "header_map", "norm",
           "number", "parse"]

FORMAT_NAMES = {
    mbs_metric.FORMAT: "Meta Business Suite metric export",
    posts.FORMAT: "Meta Business Suite post export",
    posts.INSTAGRAM_FORMAT: "Instagram post export",
    classic.FORMAT: "Classic Page Insights export",
    spreadsheet.FORMAT: "Spreadsheet (date and audience columns)",
    spreadsheet.OWN_FORMAT: "Engage Desktop data export",
    audience.FORMAT: audience.NAME,
}


def detect(head: list[Row], columns: dict[str, str] | None = None) -> str | None:
    """The format of a file from its first rows (and the officer's column choices), or None."""
    cells = [[norm(c) for c in row.cells] for row in head]
    known = {**GENERIC_HEADERS, **{norm(k): v for k, v in (columns or {}).items()}}
    if mbs_metric.recognised(cells):
        return mbs_metric.FORMAT
    if audience.recognised(head):
        return audience.FORMAT
    if cells:
        header = set(cells[0])
        if posts.recognised_instagram(header):
            return posts.INSTAGRAM_FORMAT
        if posts.recognised(header):
            return posts.FORMAT
        if classic.recognised(cells, header):
            return classic.FORMAT
        if spreadsheet.recognised(header, known):
            return spreadsheet.FORMAT
    return None


def parse(kind: str, table: Table, *, dates: Order | None = None,
          columns: dict[str, str] | None = None, today: date, year: int | None = None,
          on: date | None = None, keep_breakdowns: bool = False) -> Parsed:
    """Records, skips and notes of a file of a detected ``kind``; a :class:`Layout` comes
    first. ``dates`` answers only files whose own dates do not settle their order; ``year``
    answers dates without a year (the year the file starts in); ``on`` is the day of an
    Audience export's follower total."""
    if kind == audience.FORMAT:
        return audience.read(table, on=on, today=today)
    reader: Callable[..., Parsed] = {
        mbs_metric.FORMAT: mbs_metric.read, posts.FORMAT: posts.read,
        classic.FORMAT: classic.read, spreadsheet.FORMAT: spreadsheet.read,
        posts.INSTAGRAM_FORMAT: posts.refuse_instagram}[kind]
    extra = ({"year": year} if kind == spreadsheet.FORMAT
             else {"keep_breakdowns": keep_breakdowns} if kind == classic.FORMAT else {})
    return reader(table, dates=dates, columns=columns or {}, today=today, **extra)
