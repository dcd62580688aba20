"""The engagement model: examples from DESIGN.md and properties checked with hypothesis."""

from __future__ import annotations

from datetime import timedelta

import pytest
from factories import utc
from hypothesis import assume, given
from hypothesis import strategies as st

from engage_desktop.core import engagement
from engage_desktop.core.engagement import Mode, Status, Thresholds
from engage_desktop.core.errors import InvalidSettingError

NOW = utc(2026, 11, 25, 12)
counts = st.integers(min_value=0, max_value=10_000_000)
optional_counts = st.none() | counts
ratios = st.floats(min_value=0, max_value=5000, allow_nan=False)


@st.composite
def thresholds(draw: st.DrawFn) -> Thresholds:
    amber = draw(st.floats(min_value=0, max_value=500, allow_nan=False))
    green = draw(st.floats(min_value=amber, max_value=1000, allow_nan=False, exclude_min=True))
    return Thresholds(amber, green)


DEFAULTS = Thresholds()


def assess(followers, talking, *, fans=None, age=timedelta(hours=3), limits=DEFAULTS):
    return engagement.assess(followers=followers, fans=fans, talking_about=talking,
                             taken_at=NOW - age, now=NOW, thresholds=limits)


def test_the_seed_case_is_red() -> None:
    result = assess(200, 3)
    assert result.status is Status.RED
    assert result.per_1000 == pytest.approx(15.0)
    assert "3 talking about ÷ 200 followers × 1,000 = 15.0 per 1,000" in result.reason


@pytest.mark.parametrize(("talking", "expected"), [
    (19, Status.RED), (20, Status.AMBER), (49, Status.AMBER), (50, Status.GREEN)])
def test_default_thresholds_are_inclusive_from_below(talking: int, expected: Status) -> None:
    assert assess(1000, talking).status is expected


def test_audience_falls_back_to_fans_only_when_followers_are_missing() -> None:
    assert assess(None, 30, fans=1000).per_1000 == pytest.approx(30.0)
    assert assess(2000, 30, fans=1000).per_1000 == pytest.approx(15.0)


@pytest.mark.parametrize(("followers", "talking", "fans", "age", "why"), [
    (0, 5, None, timedelta(0), "no followers"),
    (None, 5, None, timedelta(0), "no followers or likes"),
    (1000, None, None, timedelta(0), "did not report"),
    (1000, 30, None, timedelta(days=8, seconds=1), "(17 Nov 2026) is more than 8 days old"),
])
def test_no_data_comes_with_its_reason(followers, talking, fans, age, why) -> None:
    result = assess(followers, talking, fans=fans, age=age)
    assert result.status is Status.NO_DATA
    assert why in result.reason


def test_a_reading_exactly_eight_days_old_still_counts() -> None:
    assert assess(1000, 30, age=timedelta(days=8)).status is Status.AMBER


def test_no_reading_at_all() -> None:
    result = engagement.assess(followers=None, fans=None, talking_about=None, taken_at=None,
                               now=NOW, thresholds=Thresholds())
    assert result.status is Status.NO_DATA and "No readings" in result.reason


def test_every_status_has_a_distinct_word_and_shape() -> None:
    assert len({status.word for status in Status}) == len(Status)
    assert len({status.shape for status in Status}) == len(Status)


@pytest.mark.parametrize(("amber", "green", "message"), [
    (50, 20, "must be below"), (30, 30, "must be below"), (-1, 20, "zero or more"),
    (float("nan"), 20, "zero or more"), (20, float("inf"), "zero or more"),
    ("20", 50, "must be a number"), (True, 50, "must be a number")])
def test_invalid_thresholds_are_refused_with_what_is_wrong(amber, green, message) -> None:
    with pytest.raises(InvalidSettingError, match=message) as caught:
        Thresholds(amber, green)
    assert caught.value.hint


@given(talking=optional_counts, audience=optional_counts)
def test_per_1000_never_divides_by_zero(talking, audience) -> None:
    value = engagement.per_1000(talking, audience)
    if talking is None or audience is None or audience == 0:
        assert value is None
    else:
        assert value == pytest.approx(talking * 1000 / audience)


@given(followers=st.integers(min_value=1, max_value=10_000_000), low=counts, high=counts,
       limits=thresholds())
def test_more_people_talking_never_lowers_the_status(followers, low, high, limits) -> None:
    low, high = sorted((low, high))
    worse = assess(followers, low, limits=limits).status
    better = assess(followers, high, limits=limits).status
    assert worse.rank <= better.rank


@given(ratio=ratios, limits=thresholds())
def test_thresholds_are_respected(ratio, limits) -> None:
    status = engagement.classify(ratio, limits)
    if ratio < limits.amber:
        assert status is Status.RED
    elif ratio < limits.green:
        assert status is Status.AMBER
    else:
        assert status is Status.GREEN


@given(values=st.lists(st.none() | ratios, max_size=40))
def test_relative_mode_orders_pages_consistently(values) -> None:
    statuses = engagement.classify_relative(values)
    assert len(statuses) == len(values)
    for value, status in zip(values, statuses, strict=True):
        assert (status is Status.NO_DATA) == (value is None)
    rated = [(v, s) for v, s in zip(values, statuses, strict=True) if v is not None]
    for a_value, a_status in rated:
        for b_value, b_status in rated:
            if a_value < b_value:
                assert a_status.rank <= b_status.rank
            if a_value == b_value:
                assert a_status is b_status


@given(values=st.lists(ratios, min_size=2, max_size=40))
def test_relative_mode_makes_someone_stand_out_unless_all_are_equal(values) -> None:
    statuses = engagement.classify_relative(values)
    best = statuses[values.index(max(values))]
    worst = statuses[values.index(min(values))]
    if max(values) == min(values):
        assert set(statuses) == {Status.AMBER}
    else:
        assert best is Status.GREEN or worst is Status.RED
        assert best is not Status.RED and worst is not Status.GREEN


def test_relative_mode_with_one_page_or_all_equal_is_amber() -> None:
    assert engagement.classify_relative([12.0, None]) == [Status.AMBER, Status.NO_DATA]
    assert engagement.classify_relative([5.0, 5.0, 5.0]) == [Status.AMBER] * 3


def test_relative_mode_when_most_pages_tie() -> None:
    assert engagement.classify_relative([1.0, 5.0, 5.0, 5.0, 9.0]) == [
        Status.RED, Status.AMBER, Status.AMBER, Status.AMBER, Status.GREEN]


def test_a_reading_dated_in_the_future_is_not_trusted() -> None:
    result = assess(1000, 30, age=-timedelta(days=3))
    assert result.status is Status.NO_DATA and "in the future" in result.reason
    assert assess(1000, 30, age=-timedelta(minutes=30)).status is Status.AMBER


def test_median() -> None:
    assert engagement.median([10.0, None, 30.0, 20.0]) == 20.0
    assert engagement.median([None]) is None


@pytest.mark.parametrize(("recent", "earlier", "arrow", "text"), [
    (30.0, 20.0, "▲", "▲ +10.0"), (10.0, 20.0, "▼", "▼ -10.0"), (20.4, 20.0, "▶", "▶ +0.4"),
    (20.0, 20.0, "▶", "▶ 0.0"), (19.96, 20.0, "▶", "▶ 0.0"), (1.0, 0.0, "▲", "▲ +1.0")])
def test_trend_arrows(recent, earlier, arrow, text) -> None:
    trend = engagement.trend(recent, earlier)
    assert trend is not None and trend.arrow == arrow and trend.describe() == text


def test_no_trend_without_both_weeks() -> None:
    assert engagement.trend(None, 20.0) is None
    assert engagement.trend(20.0, None) is None


@given(recent=ratios, earlier=ratios)
def test_trend_direction_matches_the_change(recent, earlier) -> None:
    trend = engagement.trend(recent, earlier)
    assert trend is not None
    if trend.arrow == "▲":
        assert recent > earlier
    elif trend.arrow == "▼":
        assert recent < earlier
    assume(abs(recent - earlier) > max(1.0, 0.1 * earlier))
    assert trend.arrow != "▶"


def test_relative_thresholds_describe_themselves() -> None:
    assert "best quarter" in Thresholds(mode=Mode.RELATIVE).describe()
    assert "Red below 20" in Thresholds().describe()
