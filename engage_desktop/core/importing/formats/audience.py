"""Meta Business Suite's Audience export: blocks such as "Facebook followers" (a header such
as ``FB_PAGE FOLLOW UNIQUE_USERS`` and one total), "Instagram followers", then percentages by
age and gender, city and country.

It is the only export that states a Page's follower total, but it carries no date: the total
becomes a follower reading on the day the officer gives (``on``). Instagram's blocks and the
breakdowns are not read.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date

from engage_desktop.core.importing.formats.cells import norm
from engage_desktop.core.importing.formats.records import Layout, NeedsAnswer, Record
from engage_desktop.core.importing.tables import ImportFileError, Row, Table
from engage_desktop.core.wording import short

FORMAT = "audience"
NAME = "Meta Business Suite Audience export"
FACEBOOK = "facebook followers"
TITLES = (FACEBOOK, "instagram followers")
ON_QUESTION = "Which day is this follower total from?"


def _filled(row: Row) -> list[str]:
    return [cell for cell in row.cells if cell.strip()]


def _title(row: Row) -> str | None:
    """A block's title: a row of one cell that is not a number (or None)."""
    filled = _filled(row)
    if len(filled) != 1 or _count(filled[0]) is not None:
        return None
    return norm(filled[0])


def _count(text: str) -> int | None:
    plain = text.strip().replace(",", "").replace(" ", "").replace("\u00a0", "")
    return int(plain) if plain.isdigit() and len(plain) <= 12 else None


def recognised(head: list[Row]) -> bool:
    """Whether a file's first rows are an Audience export's: a followers block's title
    followed by its ``…UNIQUE_USERS`` header or straight by a total."""
    for row, following in itertools.pairwise(head):
        if _title(row) in TITLES:
            cells = _filled(following)
            return any("unique_users" in cell.lower() for cell in cells) or (
                len(cells) == 1 and _count(cells[0]) is not None)
    return False


def follower_total(table: Table) -> tuple[int, int, str]:
    """The Facebook follower total: (the line it is on, the total, the block's title as
    written)."""
    in_facebook = False
    title = ""
    column: int | None = None  # the column of the "…UNIQUE_USERS" header
    width = 1  # how many cells the block's header has
    for row in table.rows():
        filled = _filled(row)
        if not filled:
            continue
        named = [i for i, cell in enumerate(row.cells) if "unique_users" in cell.lower()]
        if named or (len(filled) > 1 and all(_count(cell) is None for cell in filled)):
            if in_facebook:
                column = named[0] if named else column
                width = len(filled)
            continue  # a block's header
        block = _title(row)
        if block is not None:
            if in_facebook:
                break  # the next block starts: the Facebook block held no total
            in_facebook = block == FACEBOOK
            title = filled[0].strip().strip('"')
            column = None
            width = 1
            continue
        if not in_facebook:
            continue  # Instagram's figures, or a breakdown
        cell = (row.cells[column] if column is not None and column < len(row.cells)
                else filled[-1])
        value = _count(cell)
        if len(filled) > width:  # such as 4,347 unquoted in a comma-separated file
            raise ImportFileError(
                table.path, f"the Facebook follower total is split over several cells "
                f"({_shown(list(row.cells))}).", "Download the Audience export again from Meta "
                "Business Suite, or correct that line so the total is one cell.", row.line)
        if value is None:
            raise ImportFileError(
                table.path, f"the Facebook follower total ({_shown(list(row.cells))}) is not "
                "a whole number.", "Download the Audience export again from Meta Business "
                "Suite.", row.line)
        return row.line, value, title
    raise ImportFileError(
        table.path, "this Audience export holds no Facebook follower total (only Instagram's "
        "or the breakdowns by age, city and country).",
        "Download the Audience export of the Facebook Page from Meta Business Suite.")


def _shown(cells: list[str]) -> str:
    text = ", ".join(cell.strip() for cell in cells if cell.strip())
    return repr(short(text, 30))


def read(table: Table, *, on: date | None, today: date) -> Iterator:
    """A :class:`~.records.Layout`, then the follower reading on the day ``on``."""
    line, total, title = follower_total(table)
    if on is None:
        raise NeedsAnswer("on", f"{table.path.name} gives a Facebook follower total of "
                                f"{total:,} but not its date. {ON_QUESTION}")
    if on > today:
        raise NeedsAnswer("on", f"{on:%d %b %Y} is in the future. {ON_QUESTION}")
    # (the sample shows the total alone: the rest of the file is not read)
    yield Layout(FORMAT, {title: "followers"}, line, (title,), data_to=line)
    yield Record(line, None, None, on, followers=float(total))
