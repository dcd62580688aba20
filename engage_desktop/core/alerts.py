"""Alerts: what a sync found that the officer should hear of without looking.

After every sync run (the window's or a scheduled ``engage-desktop sync``), the rules below
run on the database as the sync left it and record what they find in the ``alerts`` table,
once per Page, kind and UK day (the table's unique key: a second sync the same day repeats
nothing). The kinds (:data:`engage_desktop.core.models.ALERT_KINDS`):

- **turned_red** / **recovered** (back to green): the change rules of :mod:`.changes`, which
  compare the traffic light now with the light a week (or four) ago, and the alerts already
  recorded (the previous state told): a Page told as red that is green now recovered, even
  within the week. A Page that turned red is reported once, not again each day it stays
  red; it is reported again only after it recovered.
- **fell**: the average per 1,000 of the last 7 days at least the set share (Settings, 25 % by
  default) below the 7 days before, over days with a reading in at least half of each week.
- **likes_without_talk**: the change rule (more followers, people talking about the Page down
  by a fifth or more).
- **stale**: the latest reading older than the set number of days (8 by default).
- **needs_reconnect**: Meta no longer accepts the Page's token.
- **throttled**: Meta's throttling left the Page out of this sync; its figures come later.

A condition that lasts (a fall, a drift, stale data, a token to reconnect) is reported again
only :data:`REMIND_AFTER` days after the last alert of the same kind for the Page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from engage_desktop.core import changes, traffic_light, wording
from engage_desktop.core.changes import Kind, _per
from engage_desktop.core.engagement import TALKING_ABOUT, Status
from engage_desktop.core.models import Alert, SyncError
from engage_desktop.core.settings import ALERT_THRESHOLDS, AlertThresholds
from engage_desktop.core.store import Store
from engage_desktop.core.timeutil import uk_day, utc_now

REMIND_AFTER = 7  # days: a lasting condition is reported again after this many
WEEK = 7  # days of each week the fall compares
_STATUS_KINDS = ("turned_red", "recovered")
_FROM_CHANGES = {Kind.TURNED_RED: "turned_red", Kind.RECOVERED: "recovered",
                 Kind.LIKES_WITHOUT_TALK: "likes_without_talk",
                 Kind.NEEDS_RECONNECT: "needs_reconnect"}
_THROTTLE_KINDS = ("throttled", "blocked")  # the sync's error kinds for a Page left to wait
# what each kind is called, for the officer (the window's panel and the command line)
WORDS = {"turned_red": "Turned red", "recovered": "Green again", "fell": "Fell",
         "likes_without_talk": "Likes without talk", "stale": "No new figures",
         "needs_reconnect": "Needs reconnecting", "throttled": "Delayed by Meta"}


def thresholds(store: Store) -> AlertThresholds:
    """The stored alert thresholds; the defaults (with a warning naming the problem) when
    the stored ones cannot be used."""
    return store.settings.get(ALERT_THRESHOLDS)


def set_thresholds(store: Store, chosen: AlertThresholds) -> None:
    store.settings.set(ALERT_THRESHOLDS, chosen)


@dataclass(frozen=True, slots=True)
class _Found:
    page_id: str
    kind: str
    sentence: str
    numbers: dict[str, Any]


def record_after_sync(store: Store, *, sync_errors: Sequence[SyncError] = (),
                      now: datetime | None = None) -> list[Alert]:
    """Run the rules on the database as a sync left it and record what is news; returns
    the alerts recorded now (none when the same were recorded earlier the same day)."""
    now = utc_now() if now is None else now
    today = uk_day(now)
    light = traffic_light.build(store, now=now)
    history = store.alert_history()
    found = _find(store, light, thresholds(store), sync_errors, now)
    found += _since_last_told(light, history, {(item.page_id, item.kind) for item in found})
    news = [item for item in found if _is_news(item, history, today)]
    ids = store.add_alerts((item.page_id, item.kind, today, item.numbers, item.sentence)
                           for item in news)
    return store.alerts(unseen_only=False, ids=ids) if ids else []


def _find(store: Store, light: traffic_light.TrafficLight, chosen: AlertThresholds,
          sync_errors: Sequence[SyncError], now: datetime) -> list[_Found]:
    found = []
    for change in changes.what_changed(store, now=now, light=light):
        kind = _FROM_CHANGES.get(change.kind)
        if kind is None or (change.kind is Kind.RECOVERED
                            and change.numbers.get("status_after") != Status.GREEN.value):
            continue
        found.append(_Found(change.page_id, kind, change.sentence, _numbers(change)))
    turned_red = {item.page_id for item in found if item.kind == "turned_red"}
    found += _falls(store, light, chosen, now, turned_red)
    found += _stale(light, chosen, now)
    names = {row.page.id: row.page.name for row in light.rows}
    for error in sync_errors:
        if error.kind in _THROTTLE_KINDS and error.page_id in names:
            found.append(_Found(error.page_id, "throttled",
                                f"{names[error.page_id]} was not read: {error.message}",
                                {"error": error.kind, "code": error.code or 0}))
    return found


def _since_last_told(light: traffic_light.TrafficLight,
                     history: Sequence[tuple[str, str, date]],
                     already: set[tuple[str, str]]) -> list[_Found]:
    """Against the alerts recorded: a Page told as red that is green now, and one told as
    green again that is red now, even when a week ago shows no change."""
    last: dict[str, tuple[str, date]] = {}
    for page_id, kind, day in history:
        if kind in _STATUS_KINDS:
            last[page_id] = (kind, day)
    found = []
    for row in light.rows:
        told = last.get(row.page.id)
        per = row.assessment.per_1000
        if told is None or per is None or row.assessment.measure != TALKING_ABOUT:
            continue
        kind, day = told
        when = wording.day(day)
        if kind == "turned_red" and row.status is Status.GREEN:
            news = ("recovered", f"{row.page.name} is green again: {_per(per)} people per "
                    f"1,000 talking about it (it turned red on {when}).")
        elif kind == "recovered" and row.status is Status.RED:
            news = ("turned_red", f"{row.page.name} turned red again: {_per(per)} people per "
                    f"1,000 talking about it (green again on {when}).")
        else:
            continue
        if (row.page.id, news[0]) not in already:
            found.append(_Found(row.page.id, news[0], news[1], {
                "per_1000_after": round(per, 2), "status_after": row.status.value,
                "told_on": day.isoformat()}))
    return found


def _numbers(change: changes.Change) -> dict[str, Any]:
    numbers: dict[str, Any] = dict(change.numbers)
    if change.window is not None:
        numbers["window_days"] = change.window
    for name, value in (("before", change.before), ("after", change.after)):
        if value is not None:
            numbers[f"per_1000_{name}"] = round(value, 2)
    return numbers


def _falls(store: Store, light: traffic_light.TrafficLight, chosen: AlertThresholds,
           now: datetime, left_out: set[str]) -> list[_Found]:
    today = uk_day(now)
    recent_first = today - timedelta(days=WEEK - 1)
    earlier_first = recent_first - timedelta(days=WEEK)
    rows = [row for row in light.rows
            if row.status is not Status.NO_DATA and row.assessment.measure == TALKING_ABOUT
            and row.page.id not in left_out]
    series = store.daily_series_of([row.page.id for row in rows], earlier_first, today)
    found = []
    for row in rows:
        days = series.get(row.page.id, [])
        after = changes.average_per_1000(days, recent_first, today)
        before = changes.average_per_1000(days, earlier_first,
                                          recent_first - timedelta(days=1))
        if after is None or before is None or before <= 0:
            continue
        share = (before - after) / before * 100
        if share < chosen.fall_percent:
            continue
        found.append(_Found(
            row.page.id, "fell",
            f"{row.page.name}: {_per(after)} people per 1,000 talking about it on average "
            f"over the last 7 days, down {share:.0f} % from {_per(before)} in the 7 days "
            "before.",
            {"per_1000_before": round(before, 2), "per_1000_after": round(after, 2),
             "fall_percent": round(share, 1), "window_days": WEEK}))
    return found


def _stale(light: traffic_light.TrafficLight, chosen: AlertThresholds,
           now: datetime) -> list[_Found]:
    found = []
    for row in light.rows:
        latest = row.latest
        if latest is None or now - latest.taken_at <= timedelta(days=chosen.stale_days):
            continue
        found.append(_Found(row.page.id, "stale",
                            *changes.stale(row.page.name, latest.taken_at, now)))
    return found


def _is_news(item: _Found, history: Sequence[tuple[str, str, date]], today: date) -> bool:
    """Not already told: a status change unless the last one told for the Page was the same;
    a lasting condition unless told in the last :data:`REMIND_AFTER` days."""
    mine = [(kind, day) for page_id, kind, day in history if page_id == item.page_id]
    if item.kind in _STATUS_KINDS:
        statuses = [kind for kind, _ in mine if kind in _STATUS_KINDS]
        return not statuses or statuses[-1] != item.kind
    if item.kind == "throttled":
        return True  # once a day, by the table's unique key
    return not any(kind == item.kind and (today - day).days < REMIND_AFTER
                   for kind, day in mine)
