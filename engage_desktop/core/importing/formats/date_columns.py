"""The dates of a file's date column: the order of its numeric dates settled once per file,
years for dates written without one, and each day read and checked (not in the future, not
before Facebook).
"""

from __future__ import annotations

import functools
import itertools
from datetime import date

from engage_desktop.core.importing.dates import (
    DateError,
    DateOrder,
    Order,
    YearlessDates,
    parse_date,
    yearless,
)
from engage_desktop.core.importing.formats.cells import QUOTED
from engage_desktop.core.importing.formats.records import NeedsAnswer, Skip
from engage_desktop.core.importing.tables import Table
from engage_desktop.core.wording import short

_ORDER_WORDS = {Order.DAY_FIRST: "day-first", Order.MONTH_FIRST: "month-first"}
NO_ORDER = "dates written year-first or in words: no order to settle"


def dated(text: str, line: int, order: Order | None, today: date) -> date | Skip:
    """The day in a cell, or a Skip of its line saying why it is not one usable here."""
    day = checked_day(text, order, today)
    return Skip(line, day) if isinstance(day, str) else day


@functools.lru_cache(maxsize=8192)
def checked_day(text: str, order: Order | None, today: date) -> date | str:
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


def settle_order(table: Table, column: int, start: int, chosen: Order | None, *,
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


def yearless_dates(table: Table, column: int, start: int,
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
                            f"{short(row.cells[column].strip(), QUOTED)!r}): which year do they "
                            "start in?")
            return YearlessDates(year)
    return None
