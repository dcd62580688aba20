"""Meta's answers as records: a Page's reading and details, and the numbers in Insights.

Values that are not numbers (breakdowns by city or age) and values without an ``end_time`` are
skipped. A count no Page can have (negative, fractional, not a number, above ``MAX_COUNT``)
raises :class:`_Impossible`: that Page's reading, or that window of its Insights, fails with a
message and the rest is saved.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

from engage_desktop.core.models import MAX_COUNT, InsightValue, Page, PageInfo, Reading
from engage_desktop.core.timeutil import meta_day
from engage_desktop.core.wording import short

COUNT_NAMES = {"followers_count": "follower count", "fan_count": "like count",
               "talking_about_count": "talking-about count"}


class _Impossible(ValueError):
    """Meta sent a figure no Page can have: that reading (or Insights window) is not saved."""


def _plausible(value: Any) -> bool:
    """A count or daily figure a Page can have: a whole number from 0 to MAX_COUNT."""
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and 0 <= value <= MAX_COUNT and value == int(value))


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return short(text, 40)


def _reading(page_id: str, node: dict[str, Any], taken_at: datetime,
             run_id: int) -> Reading:
    """The reading in Meta's answer; :class:`_Impossible` when a count is one no Page can have.
    A count Meta leaves out (or sends as null) is recorded as missing."""
    def count(key: str) -> int | None:
        value = node.get(key)
        if value is None:
            return None
        if not _plausible(value):
            raise _Impossible(f"Meta reported an impossible {COUNT_NAMES[key]} "
                              f"({_shown(value)}); this reading was not saved.")
        return int(value)

    npe = node.get("has_transitioned_to_new_page_experience")
    return Reading(page_id, taken_at, count("followers_count"), count("fan_count"),
                   count("talking_about_count"), npe if isinstance(npe, bool) else None,
                   "graph", run_id)


def _page_info(page: Page, node: dict[str, Any]) -> PageInfo:
    return PageInfo(page.id, str(node.get("name") or page.name), page.kind,
                    node.get("username"), node.get("link") or page.link,
                    node.get("category") or page.category)


def _runs(days: set[date]) -> list[tuple[date, date]]:
    """Days as runs of consecutive days (first, last), newest first."""
    runs: list[tuple[date, date]] = []
    for day in sorted(days, reverse=True):
        if runs and runs[-1][0] - timedelta(days=1) == day:
            runs[-1] = (day, runs[-1][1])
        else:
            runs.append((day, day))
    return runs


def _insight_values(page_id: str, body: dict[str, Any]) -> list[InsightValue]:
    """The numbers in an Insights answer. What is not a number (a breakdown by city or age,
    null) and what has no ``end_time`` (a lifetime value) is skipped, never stored empty."""
    values = []
    for series in body.get("data") or []:
        if not isinstance(series, dict) or not series.get("name"):
            continue
        for point in series.get("values") or []:
            value = point.get("value") if isinstance(point, dict) else None
            end = point.get("end_time") if isinstance(point, dict) else None
            if not isinstance(end, str) or not isinstance(value, int | float) or isinstance(
                    value, bool):
                continue
            try:
                end_time = datetime.strptime(end, "%Y-%m-%dT%H:%M:%S%z")
            except ValueError:
                continue
            if not _plausible(value):
                raise _Impossible(f"Meta reported an impossible {series['name']} "
                                  f"({_shown(value)}) for {meta_day(end_time):%d %b %Y}")
            values.append(InsightValue(page_id, str(series["name"]),
                                       str(series.get("period") or "day"), end_time,
                                       float(value)))
    return values
