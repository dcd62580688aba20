"""The engagement model: pure functions over plain numbers, no database, no Qt.

- audience = followers, falling back to fans (likes) when followers is not reported;
- talking about per 1,000 = talking_about / audience × 1000, undefined when the audience is 0
  or either number is missing;
- traffic light on the latest reading no older than 8 days: red below the amber threshold
  (default 20 per 1,000), amber from it, green from the green threshold (default 50);
- relative mode rates each Page against the others shown: best quartile green, worst red;
- trend: the 7-day average ratio against the one 28 days earlier;
- the steadier line: each day's average over the trailing 7 UK days, of the days with a value.

Each status is a word, a shape and a colour, so it never depends on colour alone.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Protocol

from engage_desktop.core.errors import InvalidSettingError
from engage_desktop.core.timeutil import uk_day

STALE_AFTER = timedelta(days=8)
AVERAGE_DAYS = 7  # the steadier line's window: the day and the 6 UK days before it
FUTURE_TOLERANCE = timedelta(hours=1)  # clocks disagree a little; more is a wrong date
# A trend smaller than this share of the earlier value (or than FLAT_FLOOR per 1,000) is flat.
FLAT_SHARE = 0.05
FLAT_FLOOR = 0.5


class Status(Enum):
    """A traffic-light status. ``value`` is the stable key used in JSON and the database."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    NO_DATA = "no_data"

    @property
    def word(self) -> str:
        return _WORDS[self]

    @property
    def shape(self) -> str:
        """A distinct shape per status, so print-outs and colour-blind readers can tell."""
        return _SHAPES[self]

    @property
    def rank(self) -> int:
        """Sort order from worst to best, with no data last."""
        return _RANKS[self]


_WORDS = {Status.RED: "Red", Status.AMBER: "Amber", Status.GREEN: "Green",
          Status.NO_DATA: "No data"}
_SHAPES = {Status.RED: "■", Status.AMBER: "▲", Status.GREEN: "●", Status.NO_DATA: "○"}
_RANKS = {Status.RED: 0, Status.AMBER: 1, Status.GREEN: 2, Status.NO_DATA: 3}


class Mode(Enum):
    ABSOLUTE = "absolute"
    RELATIVE = "relative"


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Per-1,000 thresholds: red below ``amber``, amber from ``amber``, green from ``green``."""

    amber: float = 20.0
    green: float = 50.0
    mode: Mode = Mode.ABSOLUTE

    def __post_init__(self) -> None:
        for name in ("amber", "green"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise InvalidSettingError(f"The {name} threshold must be a number, not {value!r}.",
                                          "Enter a number of people per 1,000 followers.")
            if not math.isfinite(value) or value < 0:
                raise InvalidSettingError(
                    f"The {name} threshold must be zero or more, not {value}.",
                    "Enter a number of people per 1,000 followers, such as 20.")
        if self.amber >= self.green:
            raise InvalidSettingError(
                f"The amber threshold ({_fmt(self.amber)}) must be below the green threshold "
                f"({_fmt(self.green)}).",
                "Lower amber or raise green; the defaults are amber 20 and green 50.")

    def describe(self) -> str:
        if self.mode is Mode.RELATIVE:
            return ("Relative: green for the best quarter of these Pages, red for the worst "
                    "quarter, amber between.")
        return (f"Red below {_fmt(self.amber)} people talking per 1,000 followers, amber from "
                f"{_fmt(self.amber)}, green from {_fmt(self.green)}.")


TALKING_ABOUT, INTERACTIONS = "talking_about", "interactions"  # the two measures
# Insights metric behind the fallback measure (Meta Business Suite's "Content interactions"
# is imported under the same name)
INTERACTIONS_METRIC = "page_post_engagements"
INTERACTION_DAYS = 7
MIN_INTERACTION_DAYS = 5  # of the 7: fewer known days would understate the week


@dataclass(frozen=True, slots=True)
class Assessment:
    status: Status
    per_1000: float | None
    reason: str  # why: the formula with its numbers, or why there is no data
    measure: str = TALKING_ABOUT  # or INTERACTIONS, the fallback when talking-about is absent


@dataclass(frozen=True, slots=True)
class Trend:
    """Change of the 7-day average per 1,000 against 28 days earlier."""

    change: float
    recent: float
    earlier: float

    @property
    def arrow(self) -> str:
        if is_flat(self.change, self.earlier):
            return "▶"
        return "▲" if self.change > 0 else "▼"

    def describe(self) -> str:
        shown = round(self.change, 1)
        return f"{self.arrow} {shown:+.1f}" if shown else f"{self.arrow} 0.0"


def audience(followers: int | None, fans: int | None) -> int | None:
    return followers if followers is not None else fans


def per_1000(talking_about: int | None, audience_size: int | None) -> float | None:
    """Talking about per 1,000 people in the audience; ``None`` when it cannot be computed."""
    if talking_about is None or audience_size is None or audience_size <= 0:
        return None
    return talking_about * 1000.0 / audience_size


class _Counts(Protocol):
    @property
    def followers(self) -> int | None: ...
    @property
    def fans(self) -> int | None: ...
    @property
    def talking_about(self) -> int | None: ...


def reading_per_1000(reading: _Counts) -> float | None:
    """A reading's (or a day's) people talking about the Page per 1,000 of its audience."""
    return per_1000(reading.talking_about, audience(reading.followers, reading.fans))


def per_1000_sql(count: str, audience_size: str) -> str:
    """SQL for :func:`per_1000`: the SQL expression ``count`` per 1,000 of the SQL expression
    ``audience_size`` (NULL when either is, or when the audience is 0: wrap it in nullif)."""
    return f"{count} * 1000.0 / {audience_size}"


def classify(ratio: float, thresholds: Thresholds) -> Status:
    """The absolute-mode status of a defined ratio."""
    if ratio >= thresholds.green:
        return Status.GREEN
    if ratio >= thresholds.amber:
        return Status.AMBER
    return Status.RED


def assess(
    *,
    followers: int | None,
    fans: int | None,
    talking_about: int | None,
    taken_at: datetime | None,
    now: datetime,
    thresholds: Thresholds,
) -> Assessment:
    """The absolute-mode status of one Page's latest reading, with the reason in words."""
    if taken_at is None:
        return Assessment(Status.NO_DATA, None, "No readings yet.")
    size = audience(followers, fans)
    ratio = per_1000(talking_about, size)
    age = now - taken_at
    if age < -FUTURE_TOLERANCE:
        return Assessment(Status.NO_DATA, ratio,
                          f"The latest reading is dated in the future "
                          f"({uk_day(taken_at):%d %b %Y}); check the computer's clock or the "
                          "dates in the imported file.")
    if age > STALE_AFTER:
        return Assessment(Status.NO_DATA, ratio,
                          f"The latest reading ({uk_day(taken_at):%d %b %Y}) is more than "
                          f"{STALE_AFTER.days} days old; sync or import newer figures.")
    if size is None:
        return Assessment(Status.NO_DATA, None, "Meta reported no followers or likes.")
    if size == 0:
        return Assessment(Status.NO_DATA, None,
                          "The Page has no followers, so a rate per 1,000 means nothing.")
    if talking_about is None:
        return Assessment(Status.NO_DATA, None,
                          "Meta did not report how many people are talking about this Page.")
    assert ratio is not None
    return Assessment(classify(ratio, thresholds), ratio, formula(talking_about, size, ratio))


def assess_interactions(*, interactions: float, days: int, audience_size: int,
                        thresholds: Thresholds) -> Assessment:
    """The fallback measure for a Page whose talking-about figure is absent: interactions
    with its posts over the last 7 days per 1,000 followers, with its own thresholds."""
    ratio = interactions / audience_size * 1000
    known = "" if days == INTERACTION_DAYS else f" ({days} of the 7 days known)"
    return Assessment(
        classify(ratio, thresholds), ratio,
        f"No talking-about figure, so this uses interactions instead: {interactions:,.0f} "
        f"interactions in the 7 days before the reading{known} ÷ {audience_size:,} followers "
        f"× 1,000 = "
        f"{ratio:.1f} per 1,000 (interaction thresholds: amber from {_fmt(thresholds.amber)}, "
        f"green from {_fmt(thresholds.green)}).", INTERACTIONS)


def formula(talking_about: int, audience_size: int, ratio: float) -> str:
    return (f"{talking_about:,} talking about ÷ {audience_size:,} followers × 1,000 = "
            f"{ratio:.1f} per 1,000")


def classify_relative(ratios: Sequence[float | None]) -> list[Status]:
    """Rate each ratio against the others: top quartile green, bottom quartile red.

    ``None`` stays no data. Equal ratios always get the same status. When the quartiles meet
    (most Pages share one value) that value is amber and anything above or below it green or
    red; a single Page, or Pages all equal, are amber: nothing stands out.
    """
    known = [ratio for ratio in ratios if ratio is not None]
    if len(known) < 2:
        return [Status.NO_DATA if ratio is None else Status.AMBER for ratio in ratios]
    lower, _, upper = statistics.quantiles(known, n=4, method="inclusive")
    statuses = []
    for ratio in ratios:
        if ratio is None:
            statuses.append(Status.NO_DATA)
        elif ratio > upper or (ratio == upper and lower < upper):
            statuses.append(Status.GREEN)
        elif ratio < lower or (ratio == lower and lower < upper):
            statuses.append(Status.RED)
        else:
            statuses.append(Status.AMBER)
    return statuses


def median(ratios: Sequence[float | None]) -> float | None:
    known = [ratio for ratio in ratios if ratio is not None]
    return statistics.median(known) if known else None


def trend(recent: float | None, earlier: float | None) -> Trend | None:
    """The 28-day trend, or ``None`` without readings in both weeks."""
    if recent is None or earlier is None:
        return None
    return Trend(change=recent - earlier, recent=recent, earlier=earlier)


def is_flat(change: float, earlier: float) -> bool:
    return abs(change) < max(FLAT_FLOOR, FLAT_SHARE * abs(earlier))


def _fmt(value: float) -> str:
    return f"{value:g}"


def trailing_average(days: Sequence[date], values: Sequence[float | None],
                     window: int = AVERAGE_DAYS) -> list[float | None]:
    """The steadier line: for each of ``days`` (in order, one value a day, as a Page's daily
    series), the mean of the values of the ``window`` UK days ending on it, counting only the
    days that have a value (a missing day, ``None`` or NaN, is left out of the mean, never
    counted as zero). ``None`` where none of those days has a value, so a gap longer than the
    window stays a gap."""
    if len(days) != len(values):
        raise ValueError("trailing_average needs one value for each day")
    averages: list[float | None] = []
    known: list[tuple[int, float]] = []  # (day number, value) of the days with a value
    start = 0  # the first of ``known`` inside the window
    previous = None
    for day, value in zip(days, values, strict=True):
        number = day.toordinal()
        if previous is not None and number <= previous:
            raise ValueError("trailing_average needs the days in order, each once")
        previous = number
        if value is not None and math.isfinite(value):
            known.append((number, float(value)))
        while start < len(known) and known[start][0] <= number - window:
            start += 1
        inside = [v for _, v in known[start:]]
        averages.append(math.fsum(inside) / len(inside) if inside else None)
    return averages
