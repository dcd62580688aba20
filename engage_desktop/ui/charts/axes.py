"""The time axis (days labelled as dates, from one day to the whole calendar) and the value
axis (thousands separators) of every chart.

The time axis counts days (``date.toordinal()``), labelled by the axis below, so the UK clock
changes cannot shift a point to the wrong day (pyqtgraph's DateAxisItem assumes local time).
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import pyqtgraph as pg

FIRST_DAY, LAST_DAY = date.min.toordinal(), date.max.toordinal()
_YEAR_STEPS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000)


class DayAxis(pg.AxisItem):
    """Labels day numbers (``date.toordinal()``) as dates: Mondays for short ranges, month
    starts for longer ones, and years (every 1, 2, 5, 10… years) for the longest, so any
    range from one day to the whole calendar (year 1 to 9999) gets a handful of ticks."""

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:
        if not (math.isfinite(minVal) and math.isfinite(maxVal)):
            return []
        low = min(max(FIRST_DAY, math.ceil(minVal)), LAST_DAY)
        high = min(max(FIRST_DAY, math.floor(maxVal)), LAST_DAY)
        if high < low:
            return []
        first, last = date.fromordinal(low), date.fromordinal(high)
        span = high - low
        most = max(2.0, size / 75)  # ticks that fit with their labels
        if span < 7:  # a few days: each day, or every other
            step = max(1, math.ceil((span + 1) / most))
            return [(step, list(range(low, high + 1, step)))]
        if span <= 100:
            weeks = max(1, math.ceil(span / 7 / max(2, size / 80)))
            monday = first + timedelta(days=(7 - first.weekday()) % 7)
            ticks = []
            while monday <= last:
                ticks.append(monday.toordinal())
                monday += timedelta(weeks=weeks)
            return [(7 * weeks, ticks)]
        months = next((m for m in (1, 2, 3, 6) if span / (30.4 * m) <= most), None)
        if months is not None:
            ticks = []
            month = date(first.year, first.month, 1)
            while month <= last:
                if month >= first and (month.month - 1) % months == 0:
                    ticks.append(month.toordinal())
                if month.year == 9999 and month.month == 12:
                    break
                month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
            return [(30 * months, ticks)]
        years = next(step for step in _YEAR_STEPS if span / (365.25 * step) <= most)
        start = first.year if first == date(first.year, 1, 1) else first.year + 1
        start += -start % years
        ticks = [date(year, 1, 1).toordinal()
                 for year in range(start, last.year + 1, years) if year >= 1]
        return [(365 * years, ticks)]

    def tickStrings(self, values: list, scale: float, spacing: float) -> list[str]:
        labels = []
        for value in values:
            day = date.fromordinal(min(max(FIRST_DAY, round(value)), LAST_DAY))
            labels.append(str(day.year) if spacing >= 365 else
                          f"{day:%b} {day.year}" if spacing >= 28 else f"{day:%d %b}")
        return labels


class CountAxis(pg.AxisItem):
    """A value axis with thousands separators ("24,500"), as the table writes numbers."""

    def tickStrings(self, values: list, scale: float, spacing: float) -> list[str]:
        if spacing * scale < 1:
            return super().tickStrings(values, scale, spacing)
        return [f"{value * scale:,.0f}" for value in values]
