"""The file formats the importer reads, each recognised from its content.

Each format turns a :class:`~.tables.Table` into :class:`Record` values (one number for one
Page, day and field) and :class:`Skip` notes (a row left out, and why). The fields
``followers``, ``fans`` and ``talking_about`` become readings; anything else is an Insights
metric, stored under the names in ``METRIC_NAMES`` (README lists them).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from engage_desktop.core.exporting.data import SERIES_COLUMNS, unsafe_text
from engage_desktop.core.importing import audience
from engage_desktop.core.importing.dates import (
    DateError,
    DateOrder,
    Order,
    YearlessDates,
    parse_date,
    yearless,
)
from engage_desktop.core.importing.tables import ImportFileError, Row, Table
from engage_desktop.core.models import MAX_COUNT

READING_FIELDS = ("followers", "fans", "talking_about")

# Meta Business Suite metric files: the metric line -> the Insights name it is stored under
# (the Graph API's name where the meaning is the same, so synced and imported days line up).
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
# Classic Page Insights titles with a meaning of their own here
CLASSIC_FIELDS = {
    "lifetime total likes": ("fans", "lifetime"),
    "lifetime talking about this (unique users)": ("talking_about", "lifetime"),
    "daily new likes": ("page_fan_adds", "day"),
    "daily unlikes": ("page_fan_removes", "day"),
    "daily page engaged users": ("page_engaged_users", "day"),
    "weekly page engaged users": ("page_engaged_users", "week"),
    "28 days page engaged users": ("page_engaged_users", "days_28"),
}
_CLASSIC_PERIODS = (("lifetime ", "lifetime"), ("daily ", "day"), ("weekly ", "week"),
                    ("28 days ", "days_28"))
# Generic spreadsheets: header words -> field
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
POST_COLUMNS = {
    "post id": "post_id", "page id": "page_id", "page name": "page_name",
    "publish time": "published", "reactions, comments and shares": "interactions",
    "reactions": "reactions", "comments": "comments", "shares": "shares",
}
POST_METRICS = ("posts_published", "post_interactions")


class Record(NamedTuple):
    """Numbers for one Page and day from one row: a reading (any of followers, fans,
    talking_about), or one Insights value (``metric``, ``period``, ``value``)."""

    line: int
    page_id: str | None  # from the file; None means the Page the officer chooses
    page_name: str | None
    day: date
    followers: float | None = None
    fans: float | None = None
    talking_about: float | None = None
    metric: str | None = None
    period: str = "day"
    value: float | None = None
    summed: bool = False  # several values for one day add up (posts), instead of clashing
    item: str | None = None  # what is summed (a post's ID): counted once however often seen


class Skip(NamedTuple):
    line: int
    reason: str


class NeedsAnswer(Exception):
    """The file cannot be read without a choice from the officer (the message asks; ``need``
    names the choice, as in :class:`~.importer.Question`)."""

    def __init__(self, need: str, text: str) -> None:
        super().__init__(text)
        self.need = need


@dataclass
class Layout:
    """What a format found in a file: its name, and which column became which field."""

    format: str
    mapping: dict[str, str]
    data_from: int  # the line the numbers start on
    header: tuple[str, ...]  # the column titles
    data_to: int | None = None  # the last line of numbers, when the rest is not read


def _norm(text: str) -> str:
    return " ".join(text.replace("\ufeff", "").strip().strip('"').lower().split())


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "metric"


def number(text: str) -> float | None:
    """A count from a cell: None when empty; ValueError with the reason otherwise."""
    try:  # the common case: a plain count
        value = float(text)
    except ValueError:
        pass
    else:
        if 0 <= value <= MAX_COUNT and "_" not in text:
            return value
    cell = text.strip()
    if cell in ("", "-", "–", "n/a", "N/A", "NA", "null"):
        return None
    if cell.startswith("="):
        raise ValueError(f"{_short(cell)!r} is a formula, not a number (formulas are never "
                         "run)")
    plain = cell.replace(",", "").replace(" ", "").replace("\u00a0", "")
    if "_" in plain:
        raise ValueError(f"{_short(cell)!r} is not a number")
    try:
        value = float(plain)
    except ValueError:
        raise ValueError(f"{_short(cell)!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{_short(cell)!r} is not a number")
    if value < 0:
        raise ValueError(f"{_short(cell)} is negative: a count cannot be")
    if value > MAX_COUNT:
        raise ValueError(f"{_short(cell)} is far larger than any Facebook audience")
    return value


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Detecting --------------------------------------------------------------------------------

def detect(head: list[Row], columns: dict[str, str] | None = None) -> str | None:
    """The format of a file from its first rows (and the officer's column choices), or None."""
    cells = [[_norm(c) for c in row.cells] for row in head]
    known = {**GENERIC_HEADERS, **{_norm(k): v for k, v in (columns or {}).items()}}
    if len(cells) >= 2 and len([c for c in cells[0] if c]) == 1 and cells[1][:2] == [
            "date", "primary"]:
        return "mbs_metric"
    if audience.recognised(head):
        return audience.FORMAT
    if cells:
        header = set(cells[0])
        if {"post id", "publish time"} <= header and (
                "reactions, comments and shares" in header or "reactions" in header):
            return "mbs_posts"
        if cells[0][:1] == ["date"] and any(
                c in CLASSIC_FIELDS or c.startswith(tuple(p for p, _ in _CLASSIC_PERIODS))
                for c in cells[0][1:]) and not any(
                GENERIC_HEADERS.get(c) in ("followers", "talking_about") for c in header):
            return "classic"
        if any(known.get(c) == "date" for c in header) and any(
                known.get(c) in READING_FIELDS for c in header):
            return "generic"
    return None


FORMAT_NAMES = {
    "mbs_metric": "Meta Business Suite metric export",
    "mbs_posts": "Meta Business Suite post export",
    "classic": "Classic Page Insights export",
    "generic": "Spreadsheet (date and audience columns)",
    "own": "Engage Desktop data export",
    audience.FORMAT: audience.NAME,
}


# Reading --------------------------------------------------------------------------------

Parsed = Iterator["Record | Skip | Layout"]


def parse(kind: str, table: Table, *, dates: Order | None = None,
          columns: dict[str, str] | None = None, today: date, year: int | None = None,
          on: date | None = None) -> Parsed:
    """Records and skips of a file of a detected ``kind``; a :class:`Layout` comes first.
    ``year`` answers dates without a year (the year the file starts in); ``on`` is the day of
    an Audience export's follower total."""
    if kind == audience.FORMAT:
        return audience.read(table, on=on, today=today)
    reader: Callable[..., Parsed] = {
        "mbs_metric": _mbs_metric, "mbs_posts": _mbs_posts, "classic": _classic,
        "generic": _generic}[kind]
    extra = {"year": year} if kind == "generic" else {}
    return reader(table, dates=dates, columns=columns or {}, today=today, **extra)


def _dated(text: str, line: int, order: Order | None, today: date) -> date | Skip:
    day = _day(text, order, today)
    return Skip(line, day) if isinstance(day, str) else day


@functools.lru_cache(maxsize=8192)
def _day(text: str, order: Order | None, today: date) -> date | str:
    """A date, or why the text is not one usable here (cached: files repeat their dates)."""
    try:
        day = parse_date(text, order)
    except DateError as exc:
        return str(exc)
    if day > today:
        return f"{day:%d %b %Y} is in the future"
    if day.year < 2004:
        return f"{day:%d %b %Y} is before Facebook existed"
    return day


def _settle_order(table: Table, column: int, start: int, chosen: Order | None) -> Order | None:
    """Read a date column once to settle the order of its numeric dates."""
    order = DateOrder(chosen=chosen)
    if chosen is None:
        for row in table.rows():
            if row.line > start and column < len(row.cells):
                order.observe(row.cells[column])
                if order.order is not None:
                    # proven: a later row that only the other order could read is then no
                    # real date, and is reported with its line
                    break
    if order.ambiguous:
        raise NeedsAnswer(
            "dates", f"The dates in {table.path.name} could be day/month/year (UK) or "
                     "month/day/year (US): every day is 12 or below. Say which order they are "
                     "in.")
    return order.order


def _yearless_dates(table: Table, column: int, start: int,
                    year: int | None) -> YearlessDates | None:
    """Years for a date column written without them ("12 Feb"), from the year the officer
    says the file starts in; None when its dates have years."""
    for row in itertools.islice(table.rows(), 50):
        if row.line > start and column < len(row.cells) and row.cells[column].strip():
            if yearless(row.cells[column]) is None:
                continue
            if year is None:
                raise NeedsAnswer(
                    "year", f"The dates in {table.path.name} have no year (such as "
                            f"{_short(row.cells[column].strip())!r}): which year do they "
                            "start in?")
            return YearlessDates(year)
    return None


def _mbs_metric(table: Table, *, dates, columns, today) -> Parsed:
    rows = table.rows()
    title = next(rows)
    header = next(rows)  # "Date","Primary"
    name = _norm(title.cells[0])
    metric = MBS_METRICS.get(name, _slug(name))
    yield Layout("mbs_metric", {title.cells[0].strip(): metric}, header.line + 1,
                 tuple(header.cells))
    for row in rows:
        if not any(c.strip() for c in row.cells):
            continue
        day = _dated(row.cells[0], row.line, Order.DAY_FIRST, today)
        if isinstance(day, Skip):
            yield day
            continue
        try:
            value = number(row.cells[1] if len(row.cells) > 1 else "")
        except ValueError as exc:
            yield Skip(row.line, str(exc))
            continue
        if value is None:
            yield Skip(row.line, "no value (a missing day is unknown, not zero)")
            continue
        yield Record(row.line, None, None, day, metric=metric, value=value)


def _header_map(header: tuple[str, ...], known: dict[str, str],
                override: dict[str, str]) -> dict[int, str]:
    found: dict[int, str] = {}
    overrides = {_norm(k): v for k, v in override.items()}
    for index, cell in enumerate(header):
        name = _norm(cell)
        target = overrides.get(name, known.get(name))
        if target and target != "ignore" and target not in found.values():
            found[index] = target
    return found


def _require(table: Table, found: dict[int, str], field: str, what: str) -> None:
    if field not in found.values():
        raise ImportFileError(table.path, f"{what} is missing (or set to be ignored).",
                              "Check the file's column titles and the columns chosen.", 1)


def _generic(table: Table, *, dates, columns, today, year=None) -> Parsed:
    rows = table.rows()
    header = next(rows)
    found = _header_map(header.cells, GENERIC_HEADERS, columns)
    own = tuple(_norm(c) for c in header.cells) == SERIES_COLUMNS
    _require(table, found, "date", "a date column")
    if not set(found.values()) & set(READING_FIELDS):
        raise ImportFileError(table.path, "no column holds followers, likes or talking about.",
                              "Name the columns, or choose what each holds (--column).",
                              header.line)
    date_column = next(index for index, field in found.items() if field == "date")
    order = _settle_order(table, date_column, header.line, dates)
    years = _yearless_dates(table, date_column, header.line, year)
    yield Layout("own" if own else "generic",
                 {header.cells[i].strip(): f for i, f in found.items()}, header.line + 1,
                 tuple(header.cells))
    reader = _WideRows(found, order, today, years=years)
    for row in rows:
        yield from reader.read(row)


class _WideRows:
    """Reads rows with a date column and one column per field (spreadsheets, classic
    exports). The column plan is worked out once per file; this runs once per row."""

    def __init__(self, found: dict[int, str], order: Order | None, today: date,
                 periods: dict[int, str] | None = None,
                 years: YearlessDates | None = None) -> None:
        by_field = {field: index for index, field in found.items()}
        self.date = by_field["date"]
        self.page_id = by_field.get("page_id")
        self.page_name = by_field.get("page_name")
        self.order = order
        self.today = today
        self.years = years  # for dates written without a year
        # (column, field, its place among the reading fields or None, Insights period)
        self.numbers = [(index, field,
                         READING_FIELDS.index(field) if field in READING_FIELDS else None,
                         (periods or {}).get(index, "day"))
                        for index, field in found.items()
                        if field not in ("date", "page_id", "page_name")]
        self.width = max(found) + 1

    def read(self, row: Row) -> list[Record | Skip]:
        cells = row.cells
        if len(cells) < self.width:
            cells = (*cells, *[""] * (self.width - len(cells)))
        if not "".join(cells).strip():
            return []
        text = cells[self.date]
        if self.years is not None:
            text = self.years.resolve(text)
        day = _day(text, self.order, self.today)
        if isinstance(day, str):
            return [Skip(row.line, day)]
        # (text cells a spreadsheet might take for a formula were protected with a "'")
        page_id = (unsafe_text(cells[self.page_id].strip()) or None
                   if self.page_id is not None else None)
        page_name = (unsafe_text(cells[self.page_name].strip()) or None
                     if self.page_name is not None else None)
        reading = [None, None, None]  # followers, fans, talking about
        metrics = []
        for index, field, slot, period in self.numbers:
            try:
                value = number(cells[index])
            except ValueError as exc:
                return [Skip(row.line, f"{field.replace('_', ' ')}: {exc}")]
            if value is None:
                continue
            if slot is not None:
                if not value.is_integer():
                    return [Skip(row.line, f"{field.replace('_', ' ')}: {value:g} is not a "
                                           "whole number of people")]
                reading[slot] = value
            else:
                metrics.append((field, value, period))
        line = row.line
        records = ([Record(line, page_id, page_name, day, *reading)]
                   if reading != [None, None, None] else [])
        if not records and not metrics:
            return [Skip(line, "no numbers on this row")]
        records += [Record(line, page_id, page_name, day, metric=metric, period=period,
                           value=value) for metric, value, period in metrics]
        return records


def _cell(cells: tuple[str, ...], index: int | None) -> str:
    return cells[index].strip() if index is not None and index < len(cells) else ""


def _classic(table: Table, *, dates, columns, today) -> Parsed:
    rows = table.rows()
    header = next(rows)
    found: dict[int, str] = {0: "date"}
    periods: dict[int, str] = {}
    for index, cell in enumerate(header.cells[1:], start=1):
        name = _norm(cell)
        if not name:
            continue
        if name in CLASSIC_FIELDS:
            field, period = CLASSIC_FIELDS[name]
        else:
            period = next((p for prefix, p in _CLASSIC_PERIODS if name.startswith(prefix)),
                          "day")
            field = "classic_" + _slug(name)
        if field in found.values():
            field = f"{field}_{period}"
        found[index] = field
        periods[index] = period
    order = _settle_order(table, 0, header.line + 1, dates)
    yield Layout("classic", {header.cells[i].strip(): f for i, f in found.items()},
                 header.line + 2, tuple(header.cells))
    reader = _WideRows(found, order, today, periods)
    for row in rows:
        if row.line == header.line + 1:
            continue  # the row of descriptions under the titles
        yield from reader.read(row)


def _mbs_posts(table: Table, *, dates, columns, today) -> Parsed:
    rows = table.rows()
    header = next(rows)
    found = _header_map(header.cells, POST_COLUMNS, columns)
    _require(table, found, "published", "the Publish time column")
    if not {"interactions", "reactions", "comments", "shares"} & set(found.values()):
        raise ImportFileError(table.path, "no column holds reactions, comments or shares.",
                              "Export the posts again with those columns.", header.line)
    by_field = {f: i for i, f in found.items()}
    order = _settle_order(table, by_field["published"], header.line, dates or (
        Order.MONTH_FIRST))  # Meta writes publish times the US way (month first)
    yield Layout("mbs_posts", {header.cells[i].strip(): f for i, f in found.items()},
                 header.line + 1, tuple(header.cells))
    parts = [by_field[p] for p in ("reactions", "comments", "shares") if p in by_field]
    seen: dict[str, int] = {}  # post ID -> its first line
    for row in rows:
        cells = row.cells
        if not any(c.strip() for c in cells):
            continue
        post = _cell(cells, by_field.get("post_id")) or None
        if post is not None:
            if post in seen:
                yield Skip(row.line, f"post {_short(post)} appears again (first on line "
                                     f"{seen[post]}); this row is skipped")
                continue
            seen[post] = row.line
        day = _dated(_cell(cells, by_field["published"]), row.line, order, today)
        if isinstance(day, Skip):
            yield day
            continue
        try:
            if "interactions" in by_field:
                total = number(_cell(cells, by_field["interactions"]))
            else:
                values = [number(_cell(cells, index)) for index in parts]
                total = None if all(v is None for v in values) else sum(v or 0 for v in values)
        except ValueError as exc:
            yield Skip(row.line, str(exc))
            continue
        page_id = _cell(cells, by_field.get("page_id")) or None
        page_name = _cell(cells, by_field.get("page_name")) or None
        yield Record(row.line, page_id, page_name, day, metric="posts_published", value=1.0,
                     summed=True, item=post)
        if total is not None:
            yield Record(row.line, page_id, page_name, day, metric="post_interactions",
                         value=total, summed=True, item=post)
