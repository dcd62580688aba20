"""Meta Business Suite post exports: a row per post, counted per day as posts published and
their reactions, comments and shares (a post seen twice counts once). An Instagram post
export (posts of an account, not of a Page) is recognised and refused.
"""

from __future__ import annotations

from typing import NoReturn

from engage_desktop.core.importing.dates import Order
from engage_desktop.core.importing.formats.cells import QUOTED, cell_at, header_map, number, require
from engage_desktop.core.importing.formats.date_columns import dated, settle_order
from engage_desktop.core.importing.formats.records import Layout, Parsed, Record, Skip
from engage_desktop.core.importing.tables import ImportFileError, Table
from engage_desktop.core.wording import short

FORMAT = "mbs_posts"
INSTAGRAM_FORMAT = "instagram_posts"
POST_COLUMNS = {
    "post id": "post_id", "page id": "page_id", "page name": "page_name",
    "publish time": "published", "reactions, comments and shares": "interactions",
    "reactions": "reactions", "comments": "comments", "shares": "shares",
}
POST_METRICS = ("posts_published", "post_interactions")


def recognised(header: set[str]) -> bool:
    """Whether a first row's titles (as :func:`~.cells.norm` gives them) are a Page's post
    export's."""
    return {"post id", "publish time"} <= header and (
        "reactions, comments and shares" in header or "reactions" in header)


def recognised_instagram(header: set[str]) -> bool:
    """An Instagram post export: posts of an account (username, account ID), not of a Page."""
    return ("publish time" in header and "page id" not in header
            and bool({"account username", "account id", "account name"} & header))


def read(table: Table, *, dates, columns, today) -> Parsed:
    rows = table.rows()
    header = next(rows)
    found = header_map(header.cells, POST_COLUMNS, columns)
    require(table, found, "published", "the Publish time column")
    if not {"interactions", "reactions", "comments", "shares"} & set(found.values()):
        raise ImportFileError(table.path, "no column holds reactions, comments or shares.",
                              "Export the posts again with those columns.", header.line)
    by_field = {f: i for i, f in found.items()}
    order, said = settle_order(
        table, by_field["published"], header.line, dates,
        usual=(Order.MONTH_FIRST, "dates read month-first, as Meta writes publish times: "
                                  "every day is 12 or below, so the file does not settle it"))
    yield Layout(FORMAT, {header.cells[i].strip(): f for i, f in found.items()},
                 header.line + 1, tuple(header.cells), dates=said,
                 ignored=len([c for c in header.cells if c.strip()]) - len(found))
    parts = [by_field[p] for p in ("reactions", "comments", "shares") if p in by_field]
    seen: dict[str, int] = {}  # post ID -> its first line
    for row in rows:
        cells = row.cells
        if not any(c.strip() for c in cells):
            continue
        post = cell_at(cells, by_field.get("post_id")) or None
        if post is not None:
            if post in seen:
                yield Skip(row.line, f"post {short(post, QUOTED)} appears again (first on line "
                                     f"{seen[post]}); this row is skipped")
                continue
            seen[post] = row.line
        day = dated(cell_at(cells, by_field["published"]), row.line, order, today)
        if isinstance(day, Skip):
            yield day
            continue
        try:
            if "interactions" in by_field:
                total = number(cell_at(cells, by_field["interactions"]))
            else:
                values = [number(cell_at(cells, index)) for index in parts]
                total = None if all(v is None for v in values) else sum(v or 0 for v in values)
        except ValueError as exc:
            yield Skip(row.line, str(exc))
            continue
        page_id = cell_at(cells, by_field.get("page_id")) or None
        page_name = cell_at(cells, by_field.get("page_name")) or None
        yield Record(row.line, page_id, page_name, day, metric="posts_published", value=1.0,
                     summed=True, item=post)
        if total is not None:
            yield Record(row.line, page_id, page_name, day, metric="post_interactions",
                         value=total, summed=True, item=post)


def refuse_instagram(table: Table, *, dates, columns, today) -> NoReturn:
    raise ImportFileError(
        table.path, "this is an Instagram post export (posts of an Instagram account, not of "
        "a Facebook Page); Engage Desktop keeps Facebook Pages only, so it is not imported.",
        "Leave this file out, and export the Page's posts from Meta Business Suite with "
        "Facebook chosen instead.")
