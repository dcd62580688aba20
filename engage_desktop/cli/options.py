"""Argument types and options shared by several commands: each checks what was typed and
says, in argparse's words (exit 2), what to give instead (importing the core only when it
runs)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from engage_desktop.cli.registry import Arg, Defaults, OneOf

if TYPE_CHECKING:
    from datetime import date

MAX_DAYS = 20 * 366  # demo sizes: twenty years of days, or Pages
RANGE_DAYS = {"4w": 28, "3m": 91, "12m": 365, "2y": 730}


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= MAX_DAYS:
        raise argparse.ArgumentTypeError(f"{value} is not between 1 and {MAX_DAYS:,}")
    return value


def followers_arg(text: str) -> tuple[int, date | None]:
    """``N`` or ``N@YYYY-MM-DD``: a follower total and the day it was read (None: today)."""
    number, at, day = text.partition("@")
    if at and not day.strip():
        raise argparse.ArgumentTypeError(
            f"{text!r}: give the day after @, as N@YYYY-MM-DD (such as 4210@2025-03-31)")
    return count_arg(number, whole=text), day_arg(day) if at else None


def day_arg(text: str) -> date:
    from datetime import date, datetime

    from engage_desktop.core.timeutil import UK

    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date: give it as YYYY-MM-DD (such as 2025-03-31)") from None
    if day > datetime.now(UK).date():
        raise argparse.ArgumentTypeError(f"{day:%d %b %Y} is in the future")
    if day.year < 2004:
        raise argparse.ArgumentTypeError(f"{day:%d %b %Y} is before Facebook existed")
    return day


def year_arg(text: str) -> int:
    from datetime import datetime

    from engage_desktop.core.timeutil import UK

    this_year = datetime.now(UK).year
    if not (text.strip().isdigit() and 2004 <= int(text) <= this_year):
        raise argparse.ArgumentTypeError(
            f"{text!r}: give a year from 2004 to {this_year}, such as {this_year - 1}")
    return int(text)


def count_arg(text: str, whole: str | None = None) -> int:
    try:
        value = int(text.replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{whole or text!r} is not a whole number"
            + (" (give N or N@YYYY-MM-DD)" if whole else "")) from None
    if value < 0:
        raise argparse.ArgumentTypeError("a follower count cannot be negative")
    from engage_desktop.core.models import MAX_COUNT

    if value > MAX_COUNT:
        raise argparse.ArgumentTypeError(f"{value:,} followers is more than there are people "
                                         "on Facebook: give the count the Page shows")
    return value


def column_arg(text: str) -> tuple[str, str]:
    fields = ("date", "followers", "fans", "talking_about", "page_name", "page_id", "ignore")
    header, sep, field = text.rpartition("=")
    if not sep or not header.strip() or field.strip() not in fields:
        raise argparse.ArgumentTypeError(
            f"{text!r}: give HEADER=FIELD with FIELD one of {', '.join(fields)}")
    return header.strip(), field.strip()


def pixel_size(text: str) -> tuple[int, int]:
    width, sep, height = text.lower().replace("×", "x").partition("x")
    try:
        if not sep:
            raise ValueError
        return int(width), int(height)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size: give WIDTHxHEIGHT in "
                                         "pixels, such as 1600x900") from None


def date_range(text: str) -> tuple[date | None, date | None] | int | None:
    """--range: a number of days back from today, None for all, or two dates."""
    from datetime import date

    from engage_desktop.core.timeutil import EARLIEST_DAY, LATEST_DAY, range_problem

    text = text.strip().lower()
    if text in RANGE_DAYS:
        return RANGE_DAYS[text]
    if text == "all":
        return None
    first, sep, last = text.partition("..")
    try:
        if not sep:
            raise ValueError
        span = date.fromisoformat(first), date.fromisoformat(last)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a range: give 4w, 3m, 12m, 2y, all or "
            "YYYY-MM-DD..YYYY-MM-DD") from None
    problem = range_problem(*span)
    if problem:
        raise argparse.ArgumentTypeError(
            f"{text!r} cannot be charted: {problem}. Give dates from "
            f"{EARLIEST_DAY.isoformat()} to {LATEST_DAY.isoformat()}")
    return span


RANGE = Arg("--range", default="12m", type=date_range, metavar="RANGE",
            help="4w, 3m, 12m, 2y, all, or FROM..TO as YYYY-MM-DD..YYYY-MM-DD (default 12m)")
FORCE = Arg("--force", action="store_true", help="replace an existing file")
JSON_TABLE = Arg("--json", action="store_true", help="print JSON instead of a table")


def line_choice(*, average: bool) -> tuple[OneOf, Defaults]:
    """--average / --daily: the steadier line (7-day averages, the daily values faint behind
    them) or the daily values alone; ``average`` is the default."""
    return (OneOf(
        Arg("--average", dest="average", action="store_true",
            help="draw each line as its 7-day average, the daily values faint behind it"
                 + (" (the default)" if average else "")),
        Arg("--daily", dest="average", action="store_false",
            help="draw the daily values only" + ("" if average else " (the default)"))),
        Defaults(average=average))
