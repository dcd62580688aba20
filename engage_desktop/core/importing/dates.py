"""Dates as officers' files write them: ISO (``2024-03-01``, ``2024-03-01T00:00:00``), UK
numeric (``01/03/2024``), spelled out (``1 Mar 2024``, ``1 March 2024``) and Excel serial numbers;
spelled without a year (``12 Feb``, ``August 18``) once the officer says the year they start in
(:class:`YearlessDates`).

Numeric dates such as ``03/04/2024`` are ambiguous (3 April in the UK, 4 March in the US). A
column's order is settled by :class:`DateOrder`: a day above 12 proves the order (a later
value only the other order could read is then no real date, reported with its line); when
nothing proves it, the importer asks instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from engage_desktop.core.wording import short

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?")
_NUMERIC = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?:,?\s+\d{1,2}:\d{2}(?::\d{2})?"
                      r"(?:\s*[AaPp][Mm])?)?")
_SPELLED = re.compile(r"(?:[A-Za-z]{3,9},?\s+)?(\d{1,2})(?:st|nd|rd|th)?[\s-]+([A-Za-z]{3,9})"
                      r"\.?,?[\s-]+(\d{4})")
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")
# Spelled dates without a year: "12 Feb", "12th February", "Feb 12", "August 18th"
_YEARLESS = re.compile(r"(?:[A-Za-z]{3,9},?\s+)?(?:(\d{1,2})(?:st|nd|rd|th)?[\s-]+"
                       r"([A-Za-z]{3,9})\.?|([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?)")
_MONTHS = {name: number for number, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
     ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
     ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], start=1) for name in names}
_EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0, allowing for its 1900 leap-year bug
_SERIAL_RANGE = (25569, 73051)  # 1970 to 2099: other five-digit numbers are not dates


class Order(Enum):
    DAY_FIRST = "dmy"
    MONTH_FIRST = "mdy"


class DateError(ValueError):
    """Text that is not a date (the message says what was expected)."""


@dataclass
class DateOrder:
    """Settles the order of a column's numeric dates from the values seen so far: the first
    value only one order can read (a day above 12) settles it."""

    chosen: Order | None = None  # what the officer said, if asked
    proven: Order | None = None
    numeric: int = 0

    def observe(self, text: str) -> None:
        match = _NUMERIC.fullmatch(text.strip())
        if not match or self.proven is not None:
            return
        self.numeric += 1
        first, second = int(match[1]), int(match[2])
        if first > 12 >= second:
            self.proven = Order.DAY_FIRST
        elif second > 12 >= first:
            self.proven = Order.MONTH_FIRST

    @property
    def order(self) -> Order | None:
        """The order to read numeric dates in, or None while it is unknown."""
        return self.chosen or self.proven

    @property
    def ambiguous(self) -> bool:
        return self.numeric > 0 and self.order is None


def parse_date(text: str, order: Order | None) -> date:
    """The date ``text`` names; numeric dates need ``order``."""
    text = text.strip()
    if match := _ISO.fullmatch(text):
        return _make(int(match[1]), int(match[2]), int(match[3]), text)
    if match := _NUMERIC.fullmatch(text):
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        year += 2000 if year < 100 else 0
        if order is None:
            raise DateError(f"{text!r} could be day/month or month/day")
        day, month = (first, second) if order is Order.DAY_FIRST else (second, first)
        return _make(year, month, day, text)
    if match := _SPELLED.fullmatch(text):
        month = _MONTHS.get(match[2].lower())
        if month is None:
            raise DateError(f"{match[2]!r} in {text!r} is not a month")
        return _make(int(match[3]), month, int(match[1]), text)
    if _SERIAL.fullmatch(text):
        serial = float(text)
        if _SERIAL_RANGE[0] <= serial <= _SERIAL_RANGE[1]:
            return _EXCEL_EPOCH + timedelta(days=int(serial))
    raise DateError(f"{short(text, 40)!r} is not a date (expected e.g. 2024-03-01, 01/03/2024 or "
                    "1 Mar 2024)")


def _make(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError(f"{text!r} is not a real date") from None


def yearless(text: str) -> tuple[int, int] | None:
    """(month, day) when ``text`` is a spelled date without a year ("12 Feb", "Feb 12"), else
    None (a date with a year, or not a date at all)."""
    match = _YEARLESS.fullmatch(text.strip())
    if not match:
        return None
    day, month = (match[1], match[2]) if match[1] else (match[4], match[3])
    number = _MONTHS.get(month.lower())
    return (number, int(day)) if number else None


class YearlessDates:
    """Years for a column of dates written without one, from the year its first date is in
    (the officer's answer): a run of dates that passes from December into January moves on
    to the next year, and one that runs back from January into December (newest first) to the
    year before. Dates with a year are left to :func:`parse_date`."""

    def __init__(self, first_year: int) -> None:
        self.year = first_year
        self.month: int | None = None  # the month of the last year-less date

    def resolve(self, text: str) -> str:
        """``text`` with the year filled in (as ISO), when it has none; else ``text``."""
        found = yearless(text)
        if found is None:
            return text
        month, day = found
        if self.month is not None:
            if month - self.month < -6:  # December -> January: the next year
                self.year += 1
            elif month - self.month > 6:  # January -> December, newest first
                self.year -= 1
        self.month = month
        return f"{self.year:04d}-{month:02d}-{day:02d}"
