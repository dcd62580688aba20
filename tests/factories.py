"""Small builders for test data."""

from __future__ import annotations

from datetime import UTC, datetime

from engage_desktop.core.models import PageInfo, Reading


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def reading(page_id: str, when: datetime, followers: int | None = 1000,
            talking: int | None = 30, *, fans: int | None = None, npe: bool | None = True,
            source: str = "graph") -> Reading:
    return Reading(page_id, when, followers, fans if fans is not None else followers, talking,
                   npe, source)


def page(page_id: str, name: str | None = None, kind: str = "own") -> PageInfo:
    return PageInfo(page_id, name or f"Page {page_id}", kind)
