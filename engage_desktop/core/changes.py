"""What changed: short sentences with their numbers, written by rules from the data alone.

Two windows, each against the one before it, ending today (a UK day): the last 7 days against
the 7 before, and the last 28 against the 28 before. The rules, in the order a manager should
act on them (:data:`KIND_ORDER`):

- **turned red** / **slipped to amber**: the traffic light now (the latest reading, as the
  table shows it) against the light as it stood at the end of the earlier window (the last
  reading of that day or before, rated with today's thresholds, so changing the thresholds
  never reads as a change in a Page). A Page is reported in the shorter window that shows the
  change.
- **needs reconnecting**: the store records that the Page's token no longer works.
- **stale** / **no data**: no reading for more than 8 days, none at all, or a latest reading
  that gives no rate (no followers, no talking-about figure), each with what to do.
- **fell** / **rose**: the largest moves in the average per 1,000 of each window against the
  window before (the 3 largest each way per window, moves the trend calls flat left out), over
  UK days with a reading in at least half of each window. A Page is reported once, in the
  shorter window, and not when its status changed (that sentence gives the move).
- **likes without a conversation**: more followers than at the end of the earlier window while
  the people talking about the Page fell by a fifth or more (Meta's figure is already a 7-day
  count, so two readings compare). The 28-day window is preferred: it is the sustained drift
  the seed case warned of.
- **recovered**: red to amber or green, amber to green.

Each :class:`Change` carries the Page, kind, window and numbers as well as its sentence, so the
alerts reuse it. Pages on the interactions measure (no talking-about figure) have no status
changes or moves: their figures are not comparable with the talking-about ones.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import Enum

from engage_desktop.core import engagement, traffic_light, wording
from engage_desktop.core.engagement import TALKING_ABOUT, Mode, Status, Thresholds
from engage_desktop.core.models import DailyReading
from engage_desktop.core.store import Store
from engage_desktop.core.timeutil import uk_day, uk_day_start, utc_now

WINDOWS = (7, 28)  # days
MOVES_SHOWN = 3  # the largest falls, and rises, per window
MIN_DAYS_SHARE = 0.5  # of a window's days with a reading, for its average to count
TALK_FALL_SHARE = 0.2  # likes without a conversation: talking about down by a fifth or more
_WINDOW_WORDS = {7: "a week ago", 28: "four weeks ago"}
# the words every presentation of the section shares (window, briefing, command line)
HEADING = "What changed"
SCOPE = ("The last 7 days against the 7 before, and the last 28 days against the 28 before, "
         "most urgent first.")
NOTHING = ("Nothing to report: no Page changed status, moved much, went quiet or needs "
           "reconnecting.")


class Kind(Enum):
    """What kind of change; ``value`` is the stable key in JSON (and the alerts)."""

    TURNED_RED = "turned_red"
    TURNED_AMBER = "turned_amber"
    NEEDS_RECONNECT = "needs_reconnect"
    STALE = "stale"
    FELL = "fell"
    LIKES_WITHOUT_TALK = "likes_without_talk"
    NO_DATA = "no_data"
    RECOVERED = "recovered"
    ROSE = "rose"


KIND_ORDER = tuple(Kind)  # act on the first first


@dataclass(frozen=True, slots=True)
class Change:
    page_id: str
    name: str
    kind: Kind
    window: int | None  # days, for the changes that compare two windows
    before: float | None  # per 1,000 (the earlier window's), when the kind compares rates
    after: float | None  # per 1,000 now
    sentence: str
    numbers: dict[str, float | int | str] = field(default_factory=dict)  # the others

    def as_json(self) -> dict[str, object]:
        """The record ``engage-desktop status --changes --json`` prints."""
        return {
            "page_id": self.page_id,
            "name": self.name,
            "kind": self.kind.value,
            "window_days": self.window,
            "before": None if self.before is None else round(self.before, 2),
            "after": None if self.after is None else round(self.after, 2),
            "numbers": self.numbers,
            "sentence": self.sentence,
        }


@dataclass(frozen=True, slots=True)
class _History:
    """One Page's readings the rules need: its traffic-light row and its days."""

    row: traffic_light.PageStatus
    days: list[DailyReading]

    def then(self, last_day: date) -> DailyReading | None:
        """The last reading on or before ``last_day``."""
        found = None
        for reading in self.days:
            if reading.day > last_day:
                break
            found = reading
        return found

    def average(self, first: date, last: date) -> float | None:
        return average_per_1000(self.days, first, last)


def average_per_1000(days: Sequence[DailyReading], first: date, last: date) -> float | None:
    """The mean per 1,000 of the days from ``first`` to ``last`` with a rate, when at least
    half of them have one (the moves, and the alerts' week-on-week fall, compare these)."""
    rates = [r for r in (engagement.reading_per_1000(d) for d in days if first <= d.day <= last)
             if r is not None]
    needed = math.ceil(((last - first).days + 1) * MIN_DAYS_SHARE)
    return statistics.fmean(rates) if rates and len(rates) >= needed else None


def what_changed(store: Store, *, now: datetime | None = None,
                 light: traffic_light.TrafficLight | None = None) -> list[Change]:
    """Every change for the followed Pages, ordered by what to act on first."""
    now = utc_now() if now is None else now
    light = traffic_light.build(store, now=now) if light is None else light
    today = uk_day(now)
    first = today - timedelta(days=2 * max(WINDOWS) + engagement.STALE_AFTER.days)
    days = store.daily_series_of([row.page.id for row in light.rows if row.latest], first,
                                 today)
    histories = [_History(row, days.get(row.page.id, [])) for row in light.rows]
    changes: list[Change] = []
    for history in histories:
        changes += _data_problems(history, now)
    turned = _status_changes(histories, light.thresholds, today)
    changes += turned
    changes += _moves(histories, today, {change.page_id for change in turned})
    changes += _likes_without_talk(histories, today)
    changes.sort(key=_order)
    return changes


# the rules ------------------------------------------------------------------------------------

def _data_problems(history: _History, now: datetime) -> list[Change]:
    row = history.row
    page, latest = row.page, row.latest
    found = []
    if page.token_status == "needs_reconnect":
        why = (page.token_problem or "its token no longer works").rstrip(".")
        found.append(_change(row, Kind.NEEDS_RECONNECT, None, None, None,
                             f"{page.name} needs reconnecting ({why}): connect again with a "
                             "new token from Meta, or its figures stop."))
    if row.status is not Status.NO_DATA:
        return found
    if latest is None:
        found.append(_change(row, Kind.NO_DATA, None, None, None,
                             f"{page.name} has no readings yet: sync, or import its Meta "
                             "Business Suite export."))
    elif now - latest.taken_at > engagement.STALE_AFTER:
        sentence, numbers = stale(page.name, latest.taken_at, now)
        found.append(_change(row, Kind.STALE, None, None, None, sentence, **numbers))
    else:
        found.append(_change(row, Kind.NO_DATA, None, row.assessment.per_1000, None,
                             f"{page.name} has no rate: {row.assessment.reason}"))
    return found


def _status_changes(histories: Sequence[_History], thresholds: Thresholds,
                    today: date) -> list[Change]:
    found: dict[str, Change] = {}
    for window in WINDOWS:  # the shorter window first: it is the newer news
        then_day = today - timedelta(days=window)
        thens = [_then(history, then_day) for history in histories]
        statuses = _rate([rate for _, rate in thens], thresholds)
        for history, (reading, rate), before in zip(histories, thens, statuses, strict=True):
            row = history.row
            now_status = row.status
            if (row.page.id in found or reading is None or rate is None
                    or row.assessment.measure != TALKING_ABOUT
                    or Status.NO_DATA in (before, now_status) or before is now_status):
                continue
            after = row.assessment.per_1000
            assert after is not None
            if now_status is Status.RED:
                kind, verb = Kind.TURNED_RED, "turned red"
            elif now_status.rank < before.rank:
                kind, verb = Kind.TURNED_AMBER, "slipped from green to amber"
            else:
                kind, verb = Kind.RECOVERED, f"recovered to {now_status.word.lower()}"
            direction = "down" if after < rate else "up"
            found[row.page.id] = _change(
                row, kind, window, rate, after,
                f"{row.page.name} {verb}: {_per(after)} people per 1,000 talking about it, "
                f"{direction} from {_per(rate)} {_WINDOW_WORDS[window]} "
                f"({wording.day(reading.day)}).",
                status_before=before.value, status_after=now_status.value,
                day_before=reading.day.isoformat())
    return list(found.values())


def _then(history: _History, then_day: date) -> tuple[DailyReading | None, float | None]:
    """The reading the traffic light showed at the end of ``then_day`` and its rate, rated by
    the engagement model's own rules (a reading over 8 days old then gave no data)."""
    reading = history.then(then_day)
    if reading is None:
        return None, None
    assessment = engagement.assess(
        followers=reading.followers, fans=reading.fans, talking_about=reading.talking_about,
        taken_at=reading.taken_at, now=uk_day_start(then_day + timedelta(days=1)),
        thresholds=Thresholds())  # the status is rated below, with the chosen thresholds
    if assessment.status is Status.NO_DATA:
        return reading, None
    return reading, assessment.per_1000


def _rate(rates: list[float | None], thresholds: Thresholds) -> list[Status]:
    """Statuses for rates as the traffic light rates them (absolute or relative mode)."""
    if thresholds.mode is Mode.RELATIVE:
        return engagement.classify_relative(rates)
    return [Status.NO_DATA if rate is None else engagement.classify(rate, thresholds)
            for rate in rates]


def _moves(histories: Sequence[_History], today: date, turned: set[str]) -> list[Change]:
    reported = set(turned)  # a status change already gives the Page's move
    found = []
    for window in WINDOWS:
        recent_first = today - timedelta(days=window - 1)
        earlier_first = recent_first - timedelta(days=window)
        earlier_last = recent_first - timedelta(days=1)
        moves = []
        for history in histories:
            row = history.row
            if (row.status is Status.NO_DATA or row.assessment.measure != TALKING_ABOUT
                    or row.page.id in reported):
                continue
            after = history.average(recent_first, today)
            before = history.average(earlier_first, earlier_last)
            if after is None or before is None or engagement.is_flat(after - before, before):
                continue
            moves.append((history, before, after))
        falls = sorted((m for m in moves if m[2] < m[1]), key=lambda m: m[2] - m[1])
        rises = sorted((m for m in moves if m[2] > m[1]), key=lambda m: m[1] - m[2])
        for history, before, after in falls[:MOVES_SHOWN] + rises[:MOVES_SHOWN]:
            row = history.row
            reported.add(row.page.id)
            fell = after < before
            found.append(_change(
                row, Kind.FELL if fell else Kind.ROSE, window, before, after,
                f"{row.page.name}: {_per(after)} people per 1,000 talking about it on average "
                f"over the last {window} days, {'down' if fell else 'up'} from {_per(before)} "
                f"in the {window} days before.",
                change=round(after - before, 2)))
    return found


def _likes_without_talk(histories: Sequence[_History], today: date) -> list[Change]:
    found: dict[str, Change] = {}
    for window in sorted(WINDOWS, reverse=True):  # the longer drift is the one that matters
        then_day = today - timedelta(days=window)
        for history in histories:
            row, latest = history.row, history.row.latest
            reading = history.then(then_day)
            if (row.page.id in found or row.status is Status.NO_DATA or latest is None
                    or reading is None or then_day - reading.day > engagement.STALE_AFTER):
                continue
            followers_then = engagement.audience(reading.followers, reading.fans)
            followers_now = engagement.audience(latest.followers, latest.fans)
            talking_then, talking_now = reading.talking_about, latest.talking_about
            if None in (followers_then, followers_now, talking_then, talking_now):
                continue
            assert followers_then is not None and followers_now is not None
            assert talking_then is not None and talking_now is not None
            if (followers_now <= followers_then
                    or talking_now > talking_then * (1 - TALK_FALL_SHARE)):
                continue
            before = engagement.per_1000(talking_then, followers_then)
            after = row.assessment.per_1000
            rates = ("" if before is None or after is None
                     else f" ({_per(before)} to {_per(after)} per 1,000)")
            found[row.page.id] = _change(
                row, Kind.LIKES_WITHOUT_TALK, window, before, after,
                f"{row.page.name} gained {followers_now - followers_then:,} followers since "
                f"{wording.day(reading.day)} ({followers_then:,} to {followers_now:,}) while "
                f"people talking about it fell from {talking_then:,} to {talking_now:,}{rates}: "
                "more likes, less conversation.",
                followers_before=followers_then, followers_after=followers_now,
                talking_before=talking_then, talking_after=talking_now,
                day_before=reading.day.isoformat())
    return list(found.values())


# helpers ------------------------------------------------------------------------------------

def stale(name: str, last: datetime, now: datetime) -> tuple[str, dict[str, int | str]]:
    """What What changed and Alerts say of a Page whose last reading was taken at ``last``,
    and its numbers: the UK day of that reading and how many days old it is."""
    day = uk_day(last)
    age = (uk_day(now) - day).days
    return (f"{name} has no figures since {wording.day(day)} ({age} days): sync it, or import "
            "a newer Meta Business Suite export.", {"last_day": day.isoformat(), "days_old": age})


def _change(row: traffic_light.PageStatus, kind: Kind, window: int | None,
            before: float | None, after: float | None, sentence: str,
            **numbers: float | int | str) -> Change:
    return Change(row.page.id, row.page.name, kind, window, before, after, sentence, numbers)


def _order(change: Change) -> tuple:
    """By kind, then the newer window, then the most pressing first within the kind."""
    if change.kind in (Kind.FELL, Kind.ROSE, Kind.LIKES_WITHOUT_TALK):
        pressing = -abs((change.after or 0.0) - (change.before or 0.0))
        if change.kind is Kind.LIKES_WITHOUT_TALK:
            pressing = float(change.numbers["talking_after"]) - float(
                change.numbers["talking_before"])
    elif change.kind is Kind.STALE:
        pressing = -float(change.numbers["days_old"])
    elif change.kind is Kind.RECOVERED:
        pressing = -(change.after or 0.0)
    else:
        pressing = change.after if change.after is not None else 0.0
    return (KIND_ORDER.index(change.kind), change.window or 0, pressing, change.name,
            change.page_id)


def _per(value: float) -> str:
    """A rate as the sentences give it: one decimal, none when it is whole ("15", "31.5")."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text
