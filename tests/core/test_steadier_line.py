"""The steadier line: the 7-day trailing average of a daily series, on exact numbers (gaps,
fewer than 7 days, missing and NaN values), and its properties checked with hypothesis."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engage_desktop.core.engagement import trailing_average

MONDAY = date(2026, 11, 2)


def _days(*offsets: int) -> list[date]:
    return [MONDAY + timedelta(days=n) for n in offsets]


def test_fewer_than_seven_days_average_what_there_is() -> None:
    assert trailing_average(_days(0, 1, 2), [10, 20, 60]) == [10.0, 15.0, 30.0]


def test_a_full_week_then_the_window_moves_on() -> None:
    values = [7, 14, 21, 28, 35, 42, 49, 56, 63]
    averages = trailing_average(_days(*range(9)), values)
    assert averages[6] == 28.0  # (7 + … + 49) / 7
    assert averages[7] == 35.0  # the first day has left the window: (14 + … + 56) / 7
    assert averages[8] == 42.0


def test_missing_days_are_left_out_not_counted_as_zero() -> None:
    # readings on days 0, 3 and 6 only: day 6's window (days 0 to 6) holds all three
    assert trailing_average(_days(0, 3, 6), [30, 60, 90]) == [30.0, 45.0, 60.0]
    # day 7's window (days 1 to 7) no longer holds day 0
    assert trailing_average(_days(0, 3, 7), [30, 60, 90]) == [30.0, 45.0, 75.0]


@pytest.mark.parametrize("missing", [None, math.nan], ids=["None", "NaN"])
def test_days_without_a_value_are_left_out(missing: float | None) -> None:
    averages = trailing_average(_days(0, 1, 2, 3), [12, missing, 18, missing])
    assert averages == [12.0, 12.0, 15.0, 15.0]


def test_a_gap_longer_than_the_window_stays_a_gap() -> None:
    days = _days(0, 1, 40, 41)
    assert trailing_average(days, [10, 20, 100, 200]) == [10.0, 15.0, 100.0, 150.0]
    # a day whose whole window is without values has no average
    assert trailing_average(_days(0, 8), [None, None]) == [None, None]
    assert trailing_average(_days(0, 9), [5, None]) == [5.0, None]


def test_nothing_and_bad_calls() -> None:
    assert trailing_average([], []) == []
    with pytest.raises(ValueError, match="one value for each day"):
        trailing_average(_days(0, 1), [1])
    with pytest.raises(ValueError, match="in order"):
        trailing_average(_days(1, 0), [1, 2])


@given(st.lists(st.tuples(st.integers(1, 3), st.one_of(st.none(), st.floats(0, 5000))),
                max_size=60))
def test_each_average_is_the_mean_of_its_window(steps) -> None:
    days, values, number = [], [], 0
    for step, value in steps:
        number += step
        days.append(MONDAY + timedelta(days=number))
        values.append(value)
    averages = trailing_average(days, values)
    for index, day in enumerate(days):
        window = [v for d, v in zip(days, values, strict=True)
                  if day - timedelta(days=6) <= d <= day and v is not None]
        if window:
            assert averages[index] == pytest.approx(sum(window) / len(window))
            assert min(window) - 1e-9 <= averages[index] <= max(window) + 1e-9
        else:
            assert averages[index] is None
