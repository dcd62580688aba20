"""A Page's readings as a chart draws them: the series, the arrays plotted (gaps where
readings are missing or far apart) and the 7-day averages of the steadier line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np

from engage_desktop.core.engagement import trailing_average
from engage_desktop.core.models import DailyReading

GAP_DAYS = 3  # a longer gap between readings is drawn as a gap, not a straight line
MAX_COMPARED = 12  # lines a person can tell apart on one chart; more are named, not drawn


@dataclass(frozen=True)
class PageSeries:
    page_id: str
    name: str
    points: list[DailyReading]


def with_gaps(days: list[int], values: list) -> tuple[np.ndarray, np.ndarray]:
    """Arrays for plotting, with a NaN where readings are missing or far apart."""
    xs: list[float] = []
    ys: list[float] = []
    previous = None
    for day, value in zip(days, values, strict=True):
        if previous is not None and day - previous > GAP_DAYS:
            xs.append(previous + 1)
            ys.append(math.nan)
        xs.append(day)
        ys.append(math.nan if value is None else float(value))
        previous = day
    return np.array(xs, dtype=float), np.array(ys, dtype=float)


def averaged(days: list[int], values: list) -> tuple[np.ndarray, np.ndarray]:
    """The arrays of the steadier line: the values' 7-day averages (from the core)."""
    return with_gaps(days, trailing_average([date.fromordinal(day) for day in days], values))
