"""Classic Page Insights exports: a date column, a row of descriptions under the titles (most
vintages), and a column per metric, titled in words ("Lifetime Total Likes") or, in the
"Excel" (XML Spreadsheet) vintages, with Graph API names ("page_fans:lifetime"). Page-level
columns are kept; breakdowns (by city, country, age, story type…) are left out unless asked
for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from engage_desktop.core.importing.formats.cells import day_like, norm, slug
from engage_desktop.core.importing.formats.date_columns import settle_order
from engage_desktop.core.importing.formats.records import READING_FIELDS, Layout, Parsed
from engage_desktop.core.importing.formats.spreadsheet import GENERIC_HEADERS
from engage_desktop.core.importing.formats.wide_rows import WideRows
from engage_desktop.core.importing.tables import Table

FORMAT = "classic"
# Titles with a meaning of their own here. "Weekly People Talking About This" (unique people
# in 7 days) is the Page's talking-about figure; the rare "Lifetime Talking About This (Unique
# Users)" stands in for it only in files without the weekly one.
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
# The same exports with Graph API names as titles ("page_fans:lifetime"); the two with a
# meaning of their own here:
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


def recognised(cells: list[list[str]], header: set[str]) -> bool:
    """Whether a file's first rows (as :func:`~.cells.norm` gives them; ``header``: the
    first row's titles) are a classic export's: "Date" first, then metric titles, and no
    spreadsheet column of followers or talking about."""
    return cells[0][:1] == ["date"] and any(
        c in CLASSIC_FIELDS or c.startswith(tuple(p for p, _ in _CLASSIC_PERIODS))
        or _API_TITLE.fullmatch(c) for c in cells[0][1:]) and not any(
        GENERIC_HEADERS.get(c) in ("followers", "talking_about") for c in header)


def read(table: Table, *, dates, columns, today, keep_breakdowns: bool = False) -> Parsed:
    rows = table.rows()
    header = next(rows)
    plan = _classic_columns(header.cells, columns, keep_breakdowns)
    second = next(rows, None)
    # the row of descriptions under the titles (some "Excel" vintages have none)
    described = second is not None and not day_like(second.cells[0] if second.cells else "")
    order, said = settle_order(table, 0, header.line + (1 if described else 0), dates)
    yield Layout(FORMAT, {header.cells[i].strip(): f for i, f in plan.found.items()},
                 header.line + (2 if described else 1), tuple(header.cells), dates=said,
                 ignored=plan.ignored, breakdowns=plan.breakdowns)
    reader = WideRows(plan.found, order, today, plan.periods)
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
    overrides = {norm(k): v for k, v in columns.items()}
    names = [norm(cell) for cell in header]
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
            field = "classic_" + slug(name)
        if field in READING_FIELDS:
            if field in taken or (field == "talking_about" and period == "lifetime"
                                  and weekly_talking):
                field = "classic_" + slug(name)  # kept as an Insights value
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
