"""Time in one place: UTC text in the database, UK calendar days for people.

The database stores instants as UTC ISO-8601 text with a ``Z`` suffix and whole seconds
(``2026-11-25T09:12:00Z``), which sorts as text and which SQLite's date functions read. Officers
think in UK days, so a "day" is a calendar date in Europe/London: a reading taken at 00:30 BST on
1 June belongs to 1 June, although in UTC it is 31 May.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from engage_desktop.core import wording

UK = ZoneInfo("Europe/London")
PACIFIC = ZoneInfo("America/Los_Angeles")  # Meta's Insights days end at Pacific midnight
# The days a chart or an export can cover: no Facebook Page has figures before 2004 (Facebook
# began that February), and nothing is planned past this century.
EARLIEST_DAY = date(2004, 1, 1)
LATEST_DAY = date(2099, 12, 31)
_UTC_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def to_utc_text(moment: datetime) -> str:
    """Database text for an aware datetime. Naive datetimes are refused: they hide bugs."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment!r}: give it a time zone")
    return moment.astimezone(UTC).strftime(_UTC_FORMAT)


def from_utc_text(text: str) -> datetime:
    """An aware UTC datetime from database text (also accepts ``+00:00`` and fractions)."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def uk_day(moment: datetime) -> date:
    """The UK calendar day an instant falls on."""
    return moment.astimezone(UK).date()


def uk_day_start(day: date) -> datetime:
    """The instant (in UTC) a UK calendar day begins: 23:00 UTC the day before in summer."""
    return datetime.combine(day, time(0, 0), tzinfo=UK).astimezone(UTC)


def uk_day_bounds(first: date, last: date) -> tuple[str, str]:
    """Database text bounds [start, end) covering the UK days ``first`` to ``last`` inclusive."""
    return to_utc_text(uk_day_start(first)), to_utc_text(uk_day_start(last + timedelta(days=1)))


def meta_day_end(day: date) -> datetime:
    """When Meta's day ``day`` ends (Insights days end at midnight Pacific time), in
    Pacific time: the ``end_time`` Meta stamps that day's Insights values with."""
    return datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=PACIFIC)


def meta_day(end_time: datetime) -> date:
    """The (Pacific) day an Insights value is for: Meta stamps it with the day's end."""
    return end_time.astimezone(PACIFIC).date() - timedelta(days=1)


def meta_today() -> date:
    """Today's date in Meta's (Pacific) days."""
    return datetime.now(PACIFIC).date()


def range_problem(first: date, last: date) -> str | None:
    """Why ``first`` to ``last`` cannot be charted or exported, in words (None when it can)."""
    if first > last:
        return "the first date is after the last"
    if first < EARLIEST_DAY:
        return (f"it starts before {wording.day(EARLIEST_DAY)}; Facebook Pages "
                "have no figures from before 2004")
    if last > LATEST_DAY:
        return f"it ends after {wording.day(LATEST_DAY)}"
    return None
