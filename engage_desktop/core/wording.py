"""How the program writes figures, days and long names in its sentences, tables and drawings
(the window, the briefing, exports and the core's own sentences), so that each is written one
way. Qt-free: the core's sentences use it as much as the window does.

Two ways of writing a day stand side by side on purpose: the charts, briefing and sentences
write "5 Mar 2026"; the import's preview and reports write "05 Mar 2026" (``padded_day``), as
the command line's import reports do.
"""

from __future__ import annotations

from datetime import date

NO_FIGURE = "–"  # an en dash: where Meta gave no figure for a day
ELLIPSIS = "…"


def count(value: int | None) -> str:
    """A figure with thousands separators ("1,234"), or an en dash when there is none."""
    return NO_FIGURE if value is None else f"{value:,}"


def counted(number: int, one: str, many: str | None = None) -> str:
    """A number of things: "1 row", "1,234 rows" (``many`` when the plural is not ``one``
    with an "s")."""
    return f"{number:,} {one if number == 1 else (many or one + 's')}"


def day(value: date) -> str:
    """"5 Mar 2026" (strftime has no portable day of the month without a leading zero)."""
    return f"{value.day} {value:%b %Y}"


def span(first: date, last: date) -> str:
    """"on 5 Mar 2026", or "from 5 Mar 2026 to 9 Mar 2026": the days a figure covers."""
    return f"on {day(first)}" if first == last else f"from {day(first)} to {day(last)}"


def padded_day(value: date | None) -> str:
    """"05 Mar 2026", as the import reports a day; "?" for a day it does not know."""
    return f"{value:%d %b %Y}" if value else "?"


def padded_days(first: date | None, last: date | None) -> str:
    """The days an import covers: "05 Mar 2026", "05 Mar 2026 to 09 Mar 2026", or
    "no dates"."""
    if first is None:
        return "no dates"
    return padded_day(first) if first == last else f"{padded_day(first)} to {padded_day(last)}"


def short(text: str, limit: int = 80) -> str:
    """``text`` cut to at most ``limit`` characters, its last one an ellipsis when cut: a name
    or a cell to show beside others."""
    return text if len(text) <= limit else text[:limit - 1] + ELLIPSIS
