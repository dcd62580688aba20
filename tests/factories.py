"""Small builders for test data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from engage_desktop.core.models import PageInfo, Reading
from engage_desktop.core.store import open_store
from engage_desktop.core.timeutil import uk_day, uk_day_start, utc_now

# the loopback Graph API's Example Leisure: 200 followers, 3 talking about it (red)
LEISURE = "333333333333333"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def reading(page_id: str, when: datetime, followers: int | None = 1000,
            talking: int | None = 30, *, fans: int | None = None, npe: bool | None = True,
            source: str = "graph") -> Reading:
    return Reading(page_id, when, followers, fans if fans is not None else followers, talking,
                   npe, source)


def page(page_id: str, name: str | None = None, kind: str = "own") -> PageInfo:
    return PageInfo(page_id, name or f"Page {page_id}", kind)


def green_a_week_ago(db: Path, page_id: str = LEISURE) -> None:
    """A reading a week ago that rated the Page green (30 of 200 talking: 150 per 1,000), so
    that the next sync turns Example Leisure red."""
    week_ago = uk_day_start(uk_day(utc_now()) - timedelta(days=7)) + timedelta(hours=12)
    with open_store(db) as store:
        store.add_readings([reading(page_id, week_ago, 200, 30)])


def database_dump(path: Path) -> list[str]:
    """The database file's whole content as SQL, read on a connection of its own (to check
    that something wrote nothing)."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()
