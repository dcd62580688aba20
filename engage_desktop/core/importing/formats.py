"""The file formats the importer reads, each recognised from its content.

Each format turns a :class:`~.tables.Table` into :class:`Record` values (one number for one
Page, day and field), :class:`Skip` notes (a row left out, and why) and :class:`Note` lines
(something the officer should know, such as an Instagram block left out). The fields
``followers``, ``fans`` and ``talking_about`` become readings; anything else is an Insights
metric, stored under the names README lists.

Only Facebook Page data is read: Instagram blocks and files are recognised and left out, and
an Instagram post export is refused. Classic exports keep their Page-level columns; their
breakdowns (by city, country, age, story type…) are left out unless asked for.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple, NoReturn

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
from engage_desktop.core.wording import short

_QUOTED = 30  # characters of a cell quoted in a message, at most

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
# Classic Page Insights titles with a meaning of their own here. "Weekly People Talking About
# This" (unique people in 7 days) is the Page's talking-about figure; the rare "Lifetime
# Talking About This (Unique Users)" stands in for it only in files without the weekly one.
CLASSIC_FIELDS = {
    "lifetime total likes": ("fans", "lifetime"),
    "weekly people talking about this": ("talking_about", "week"),
    "lifetime talking about this (unique users)": ("talking_about", "lifetime"),
    "daily people talking about this": ("page_storytellers", "day"),
    "28 days people talking about this": ("page_storytellers", "days_28"),
    "daily new likes": ("page_fan_adds", "day"),
    "daily unlikes": ("page_fan_removes", "day"),
    "daily page engaged users": ("page_engaged_users", "day"),
    "weekly page engaged users": ("page_engaged_users", "week"),
    "28 days page engaged users": ("page_engaged_users", "days_28"),
}
_CLASSIC_PERIODS = (("lifetime ", "lifetime"), ("daily ", "day"), ("weekly ", "week"),
                    ("28 days ", "days_28"))
# The same exports with Graph API names as titles ("page_fans:lifetime"), as the "Excel"
# (XML Spreadsheet) vintages have them; the two with a meaning of their own here:
_API_TITLE = re.compile(r"(page_[a-z0-9_]+):(day|week|days_28|lifetime)")
CLASSIC_API_FIELDS = {("page_fans", "lifetime"): "fans",
                      ("page_storytellers", "week"): "talking_about"}
# Breakdowns: "Lifetime Likes by City - Leeds, England", "Daily Liked and online - 13",
# "page_fans_country:lifetime", "page_storytellers_by_story_type:week", and a total's split by
# how people were reached ("Daily Organic Reach", "Weekly Paid impressions of your posts",
# "page_impressions_viral_unique:day"): the total itself is kept
_BREAKDOWN = re.compile(r" - | by |_by_|_(?:city|country|gender_age|locale|online|"
                        r"frequency_distribution|external_referrals)(?:_|:|$)|"
                        r"^(?:daily|weekly|28 days|lifetime) (?:organic|paid|viral) |"
                        r"_(?:organic|paid|viral)(?:_unique)?:")
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


class Note(NamedTuple):
    """Something about a file the preview says in one line (an Instagram block left out)."""

    line: int
    text: str


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
    dates: str = ""  # which order numeric dates were read in, and why
    ignored: int = 0  # columns not read (no meaning here, or set to be ignored)
    breakdowns: int = 0  # breakdown columns left out (by city, country, age…)
    unnamed_title: str | None = None  # a metric title that names no platform


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
        raise ValueError(f"{short(cell, _QUOTED)!r} is a formula, not a number (formulas are never "
                         "run)")
    plain = cell.replace(",", "").replace(" ", "").replace("\u00a0", "")
    if "_" in plain:
        raise ValueError(f"{short(cell, _QUOTED)!r} is not a number")
    try:
        value = float(plain)
    except ValueError:
        raise ValueError(f"{short(cell, _QUOTED)!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{short(cell, _QUOTED)!r} is not a number")
    if value < 0:
        raise ValueError(f"{short(cell, _QUOTED)} is negative: a count cannot be")
    if value > MAX_COUNT:
        raise ValueError(f"{short(cell, _QUOTED)} is far larger than any Facebook audience")
    return value


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
        if _instagram_posts_header(header):
            return "instagram_posts"
        if {"post id", "publish time"} <= header and (
                "reactions, comments and shares" in header or "reactions" in header):
            return "mbs_posts"
        if cells[0][:1] == ["date"] and any(
                c in CLASSIC_FIELDS or c.startswith(tuple(p for p, _ in _CLASSIC_PERIODS))
                or _API_TITLE.fullmatch(c) for c in cells[0][1:]) and not any(
                GENERIC_HEADERS.get(c) in ("followers", "talking_about") for c in header):
            return "classic"
        if any(known.get(c) == "date" for c in header) and any(
                known.get(c) in READING_FIELDS for c in header):
            return "generic"
    return None


def _instagram_posts_header(header: set[str]) -> bool:
    """An Instagram post export: posts of an account (username, account ID), not of a Page."""
    return ("publish time" in header and "page id" not in header
            and bool({"account username", "account id", "account name"} & header))


def names_instagram(title: str) -> bool:
    return "instagram" in _norm(title)


FORMAT_NAMES = {
    "mbs_metric": "Meta Business Suite metric export",
    "mbs_posts": "Meta Business Suite post export",
    "instagram_posts": "Instagram post export",
    "classic": "Classic Page Insights export",
    "generic": "Spreadsheet (date and audience columns)",
    "own": "Engage Desktop data export",
    audience.FORMAT: audience.NAME,
}


# Reading --------------------------------------------------------------------------------

Parsed = Iterator["Record | Skip | Note | Layout"]


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
        "mbs_metric": _mbs_metric, "mbs_posts": _mbs_posts, "classic": _classic,
        "generic": _generic, "instagram_posts": _instagram_posts}[kind]
    extra = ({"year": year} if kind == "generic"
             else {"keep_breakdowns": keep_breakdowns} if kind == "classic" else {})
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


_ORDER_WORDS = {Order.DAY_FIRST: "day-first", Order.MONTH_FIRST: "month-first"}
NO_ORDER = "dates written year-first or in words: no order to settle"


def _settle_order(table: Table, column: int, start: int, chosen: Order | None, *,
                  usual: tuple[Order, str] | None = None) -> tuple[Order | None, str]:
    """Read a date column once to settle the order of its numeric dates; the order, and the
    reason for it in words. The file's own dates decide (a day above 12); only when they
    cannot does the officer's answer (``chosen``) count, then the format's ``usual`` order,
    and otherwise the officer is asked."""
    order = DateOrder()
    for row in table.rows():
        if row.line > start and column < len(row.cells):
            order.observe(row.cells[column])
            if order.proven is not None:
                # a later row that only the other order could read is then no real date,
                # and is reported with its line
                return order.proven, (f"dates read {_ORDER_WORDS[order.proven]}: "
                                      f"{row.cells[column].strip()} settles it")
    if not order.numeric:
        return chosen, NO_ORDER
    if chosen is not None:
        return chosen, (f"dates read {_ORDER_WORDS[chosen]}, as answered: every day is 12 "
                        "or below, so the file does not settle it")
    if usual is not None:
        return usual
    raise NeedsAnswer(
        "dates", f"The dates in {table.path.name} could be day/month/year (UK) or "
                 "month/day/year (US): every day is 12 or below. Say which order they are "
                 "in.")


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
                            f"{short(row.cells[column].strip(), _QUOTED)!r}): which year do they "
                            "start in?")
            return YearlessDates(year)
    return None


def _mbs_metric(table: Table, *, dates, columns, today) -> Parsed:
    """One metric per block: a title line, ``"Date","Primary"``, then a row per day. Files of
    2023–24 hold a Facebook block and then an Instagram block ("Instagram follows"); blocks
    whose title names Instagram are left out with a note, never read as the Page's."""
    rows = table.rows()
    title = next(rows)
    header = next(rows)  # "Date","Primary"
    block = _Block(title)
    first = next(rows, None)
    iso = first is None or not first.cells or first.cells[0].strip()[:4].isdigit()
    layout = Layout("mbs_metric", {} if block.instagram else {block.title: block.metric},
                    header.line + 1, tuple(header.cells),
                    dates="dates written year-first (ISO): no order to settle" if iso else
                    "dates read day-first, as Excel re-saves Business Suite files in the UK "
                    "and Europe",
                    unnamed_title=None if block.names_platform else block.title)
    yield layout
    held: Row | None = None  # a lone cell that may be the title of the next block
    for row in itertools.chain([first] if first is not None else [], rows):
        if held is not None:
            if [_norm(c) for c in row.cells[:2]] == ["date", "primary"]:
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
        if len(filled) == 1 and _norm(row.cells[0]) and not _day_like(row.cells[0]):
            held = row
            continue
        yield from block.read(row, today)
    if held is not None:
        yield from block.read(held, today)
    if block.instagram:
        yield block.note()


def _day_like(text: str) -> bool:
    return text.strip()[:1].isdigit()


class _Block:
    """One block of a Business Suite metric file: its title, and the rows read under it."""

    def __init__(self, title: Row) -> None:
        self.line = title.line
        self.title = title.cells[0].strip()
        name = _norm(self.title)
        self.metric = MBS_METRICS.get(name, _slug(name))
        self.instagram = names_instagram(name)
        self.names_platform = self.instagram or "facebook" in name
        self.rows = 0

    def read(self, row: Row, today: date) -> Iterator[Record | Skip]:
        if self.instagram:
            self.rows += 1
            return
        day = _dated(row.cells[0], row.line, Order.DAY_FIRST, today)
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
    order, said = _settle_order(table, date_column, header.line, dates)
    years = _yearless_dates(table, date_column, header.line, year)
    yield Layout("own" if own else "generic",
                 {header.cells[i].strip(): f for i, f in found.items()}, header.line + 1,
                 tuple(header.cells), dates=said,
                 ignored=len([c for c in header.cells if c.strip()]) - len(found))
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


def _classic(table: Table, *, dates, columns, today, keep_breakdowns: bool = False) -> Parsed:
    rows = table.rows()
    header = next(rows)
    plan = _classic_columns(header.cells, columns, keep_breakdowns)
    second = next(rows, None)
    # the row of descriptions under the titles (some "Excel" vintages have none)
    described = second is not None and not _day_like(second.cells[0] if second.cells else "")
    order, said = _settle_order(table, 0, header.line + (1 if described else 0), dates)
    yield Layout("classic", {header.cells[i].strip(): f for i, f in plan.found.items()},
                 header.line + (2 if described else 1), tuple(header.cells), dates=said,
                 ignored=plan.ignored, breakdowns=plan.breakdowns)
    reader = _WideRows(plan.found, order, today, plan.periods)
    if second is not None and not described:
        yield from reader.read(second)
    for row in rows:
        yield from reader.read(row)


@dataclass
class _ClassicColumns:
    found: dict[int, str]  # column -> field (a reading field, or an Insights metric)
    periods: dict[int, str]  # column -> Insights period
    ignored: int = 0
    breakdowns: int = 0


def _classic_columns(header: tuple[str, ...] | list[str], columns: dict[str, str],
                     keep_breakdowns: bool) -> _ClassicColumns:
    """Which classic column is which field. The officer's choices (``columns``) come first;
    then the Page's likes and talking-about figure; every other Page-level column is an
    Insights metric (under its API name, or ``classic_<title>``); breakdowns are left out
    unless ``keep_breakdowns``."""
    overrides = {_norm(k): v for k, v in columns.items()}
    names = [_norm(cell) for cell in header]
    plan = _ClassicColumns({0: "date"}, {})
    weekly_talking = bool({"weekly people talking about this", "page_storytellers:week"}
                          & {name for name in names[1:] if name not in overrides})
    taken = {field for field in overrides.values() if field in READING_FIELDS}
    seen: set[tuple[str, str]] = set()
    for index, name in enumerate(names[1:], start=1):
        if not name:
            continue
        if name in overrides:
            field = overrides[name]
            if field == "ignore":
                plan.ignored += 1
                continue
            if field in plan.found.values():
                plan.ignored += 1  # a second column for one field: the first counts
                continue
            plan.found[index] = field
            plan.periods[index] = "day"
            continue
        api = _API_TITLE.fullmatch(name)
        if api:
            metric, period = api[1], api[2]
            field = CLASSIC_API_FIELDS.get((metric, period), metric)
        elif name in CLASSIC_FIELDS:
            field, period = CLASSIC_FIELDS[name]
        else:
            period = next((p for prefix, p in _CLASSIC_PERIODS if name.startswith(prefix)),
                          "day")
            field = "classic_" + _slug(name)
        if field in READING_FIELDS:
            if field in taken or (field == "talking_about" and period == "lifetime"
                                  and weekly_talking):
                field = "classic_" + _slug(name)  # kept as an Insights value
            else:
                taken.add(field)
        elif _BREAKDOWN.search(name) and not keep_breakdowns:
            plan.breakdowns += 1
            continue
        if (field, period) in seen:
            plan.ignored += 1  # the same metric twice: the first column counts
            continue
        seen.add((field, period))
        plan.found[index] = field
        plan.periods[index] = period
    return plan


def _mbs_posts(table: Table, *, dates, columns, today) -> Parsed:
    rows = table.rows()
    header = next(rows)
    found = _header_map(header.cells, POST_COLUMNS, columns)
    _require(table, found, "published", "the Publish time column")
    if not {"interactions", "reactions", "comments", "shares"} & set(found.values()):
        raise ImportFileError(table.path, "no column holds reactions, comments or shares.",
                              "Export the posts again with those columns.", header.line)
    by_field = {f: i for i, f in found.items()}
    order, said = _settle_order(
        table, by_field["published"], header.line, dates,
        usual=(Order.MONTH_FIRST, "dates read month-first, as Meta writes publish times: "
                                  "every day is 12 or below, so the file does not settle it"))
    yield Layout("mbs_posts", {header.cells[i].strip(): f for i, f in found.items()},
                 header.line + 1, tuple(header.cells), dates=said,
                 ignored=len([c for c in header.cells if c.strip()]) - len(found))
    parts = [by_field[p] for p in ("reactions", "comments", "shares") if p in by_field]
    seen: dict[str, int] = {}  # post ID -> its first line
    for row in rows:
        cells = row.cells
        if not any(c.strip() for c in cells):
            continue
        post = _cell(cells, by_field.get("post_id")) or None
        if post is not None:
            if post in seen:
                yield Skip(row.line, f"post {short(post, _QUOTED)} appears again (first on line "
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


def _instagram_posts(table: Table, *, dates, columns, today) -> NoReturn:
    raise ImportFileError(
        table.path, "this is an Instagram post export (posts of an Instagram account, not of "
        "a Facebook Page); Engage Desktop keeps Facebook Pages only, so it is not imported.",
        "Leave this file out, and export the Page's posts from Meta Business Suite with "
        "Facebook chosen instead.")
