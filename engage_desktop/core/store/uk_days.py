"""The UK day of a stored instant, inside SQL: the ``uk_day()`` function every connection
gets, and the expression that calls it only where the UK date differs from the UTC date."""

from __future__ import annotations

import functools

from engage_desktop.core.timeutil import from_utc_text, uk_day


@functools.lru_cache(maxsize=4096)
def _uk_day_of_hour(hour_prefix: str) -> str:
    """The UK date of an instant, from its first 13 characters ("2026-06-01T23"): the UK
    offset only changes on the hour, so this is exact and caches well."""
    return uk_day(from_utc_text(hour_prefix + ":00:00Z")).isoformat()


def uk_day_sql(taken_at: object) -> str | None:
    """The ``uk_day()`` SQL function: the UK day (ISO text) of an instant stored as UTC text;
    NULL for none, or a cell edited into nonsense."""
    try:
        return _uk_day_of_hour(taken_at[:13])  # type: ignore[index]
    except (TypeError, ValueError, OverflowError):  # none, or a cell edited into nonsense
        return None


def day_of(column: str) -> str:
    """SQL for the UK day of an instant column. The UK date differs from the UTC date only at
    23:xx UTC in summer, so only those readings need the (Python) uk_day function. The same
    rule as :func:`day_of_text`."""
    return (f"CASE WHEN substr({column}, 12, 2) = '23' THEN uk_day({column}) "
            f"ELSE substr({column}, 1, 10) END")


def day_of_text(taken_at: str) -> str | None:
    """The UK day (ISO text) of an instant stored as UTC text, in Python: the rule of
    :func:`day_of`, for rows already read."""
    return uk_day_sql(taken_at) if taken_at[11:13] == "23" else taken_at[:10]
