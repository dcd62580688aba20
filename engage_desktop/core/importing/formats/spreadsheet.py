"""Hand-kept spreadsheets: a date column and followers, likes or talking-about columns found
by their titles (or the officer's column choices), and this program's own data export, which
is one of them.
"""

from __future__ import annotations

from engage_desktop.core.exporting.data import SERIES_COLUMNS
from engage_desktop.core.importing.formats.cells import header_map, norm, require
from engage_desktop.core.importing.formats.date_columns import settle_order, yearless_dates
from engage_desktop.core.importing.formats.records import READING_FIELDS, Layout, Parsed
from engage_desktop.core.importing.formats.wide_rows import WideRows
from engage_desktop.core.importing.tables import ImportFileError, Table

FORMAT = "generic"
OWN_FORMAT = "own"  # the program's own data export (its columns, exactly)
# header words -> field
GENERIC_HEADERS = {
    "date": "date", "day": "date", "date of reading": "date", "week ending": "date",
    "followers": "followers", "page followers": "followers", "total followers": "followers",
    "facebook followers": "followers", "follower count": "followers",
    "likes": "fans", "page likes": "fans", "fans": "fans", "total likes": "fans",
    "lifetime total likes": "fans",
    "talking about": "talking_about", "talking_about": "talking_about",
    "people talking about this": "talking_about", "talking about this": "talking_about",
    "ptat": "talking_about",
    "page": "page_name", "page name": "page_name", "page_name": "page_name",
    "page id": "page_id", "page_id": "page_id",
}


def recognised(header: set[str], known: dict[str, str]) -> bool:
    """Whether a first row's titles (``known``: the officer's choices over the usual titles)
    hold a date column and a reading's column."""
    return any(known.get(c) == "date" for c in header) and any(
        known.get(c) in READING_FIELDS for c in header)


def read(table: Table, *, dates, columns, today, year=None) -> Parsed:
    rows = table.rows()
    header = next(rows)
    found = header_map(header.cells, GENERIC_HEADERS, columns)
    own = tuple(norm(c) for c in header.cells) == SERIES_COLUMNS
    require(table, found, "date", "a date column")
    if not set(found.values()) & set(READING_FIELDS):
        raise ImportFileError(table.path, "no column holds followers, likes or talking about.",
                              "Name the columns, or choose what each holds (--column).",
                              header.line)
    date_column = next(index for index, field in found.items() if field == "date")
    order, said = settle_order(table, date_column, header.line, dates)
    years = yearless_dates(table, date_column, header.line, year)
    yield Layout(OWN_FORMAT if own else FORMAT,
                 {header.cells[i].strip(): f for i, f in found.items()}, header.line + 1,
                 tuple(header.cells), dates=said,
                 ignored=len([c for c in header.cells if c.strip()]) - len(found))
    reader = WideRows(found, order, today, years=years)
    for row in rows:
        yield from reader.read(row)
