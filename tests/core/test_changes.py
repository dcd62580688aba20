"""'What changed' on real database files with known readings: every number, the order, and the
edge cases (no readings, one reading, no followers, stale data, thresholds changed)."""

from __future__ import annotations

import statistics
import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from factories import page, reading
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engage_desktop.core import traffic_light
from engage_desktop.core.changes import Kind, what_changed
from engage_desktop.core.demo import write_demo
from engage_desktop.core.engagement import Mode, Status, Thresholds
from engage_desktop.core.store import Store, open_store
from engage_desktop.core.timeutil import UK

TODAY = date(2026, 11, 24)
NOW = datetime.combine(TODAY, time(12), tzinfo=UK)
START = TODAY - timedelta(days=55)  # the first day of the earlier 28-day window (30 Sep)


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=UK)


def _days(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _daily(store: Store, page_id: str, first: date, last: date, followers, talking) -> None:
    """One reading a day; ``followers`` and ``talking`` are numbers or functions of the day."""
    def value(source, day):
        return source(day) if callable(source) else source

    store.add_readings(reading(page_id, _at(day), value(followers, day), value(talking, day))
                        for day in _days(first, last))


def _drifter_followers(day: date) -> int:
    return 1000 + (day - START).days


def _fill(store: Store) -> None:
    store.upsert_pages([page("y", "Youth Service"), page("r", "Riser"), page("d", "Drifter"),
                        page("s", "Stale Archive"), page("e", "Empty"), page("z", "Zero"),
                        page("o", "One Reading"), page("c", "Reconnect Me"),
                        page("v", "Recovering")])
    oct27, oct28, nov17, nov18 = (date(2026, 10, 27), date(2026, 10, 28), date(2026, 11, 17),
                                  date(2026, 11, 18))
    _daily(store, "y", START, oct27, 1000, 31)
    _daily(store, "y", oct28, TODAY, 1000, 15)
    _daily(store, "r", START, nov17, 2000, 60)
    _daily(store, "r", nov18, TODAY, 2000, 80)
    _daily(store, "d", START, oct27, _drifter_followers, 50)
    _daily(store, "d", oct28, TODAY, _drifter_followers, 40)
    _daily(store, "s", START, date(2026, 11, 1), 1000, 30)
    _daily(store, "z", TODAY - timedelta(days=2), TODAY, 0, 0)
    store.add_readings([reading("o", _at(TODAY), 1000, 10)])
    _daily(store, "c", START, TODAY, 1000, 30)
    store.set_token_status(["c"], "needs_reconnect", "the password was changed")
    _daily(store, "v", START, nov17, 1000, 12)
    _daily(store, "v", nov18, TODAY, 1000, 22)


def test_every_rule_with_its_numbers_in_the_order_to_act_on(store: Store) -> None:
    _fill(store)
    changes = what_changed(store, now=NOW)
    drifter_before = statistics.fmean(
        50_000 / _drifter_followers(day) for day in _days(START, date(2026, 10, 27)))
    drifter_after = statistics.fmean(
        40_000 / _drifter_followers(day) for day in _days(date(2026, 10, 28), TODAY))
    assert [(c.page_id, c.kind, c.window) for c in changes] == [
        ("y", Kind.TURNED_RED, 28),
        ("c", Kind.NEEDS_RECONNECT, None),
        ("s", Kind.STALE, None),
        ("d", Kind.FELL, 28),
        ("d", Kind.LIKES_WITHOUT_TALK, 28),
        ("e", Kind.NO_DATA, None),
        ("z", Kind.NO_DATA, None),
        ("v", Kind.RECOVERED, 7),
        ("r", Kind.ROSE, 7),
    ]
    by = {(c.page_id, c.kind): c for c in changes}
    youth = by["y", Kind.TURNED_RED]
    assert (youth.before, youth.after) == (31.0, 15.0)
    assert youth.sentence == ("Youth Service turned red: 15 people per 1,000 talking about it, "
                              "down from 31 four weeks ago (27 Oct 2026).")
    assert by["c", Kind.NEEDS_RECONNECT].sentence == (
        "Reconnect Me needs reconnecting (the password was changed): connect again with a new "
        "token from Meta, or its figures stop.")
    stale = by["s", Kind.STALE]
    assert stale.numbers == {"last_day": "2026-11-01", "days_old": 23}
    assert stale.sentence == ("Stale Archive has no figures since 1 Nov 2026 (23 days): sync "
                              "it, or import a newer Meta Business Suite export.")
    fell = by["d", Kind.FELL]
    assert fell.before == drifter_before and fell.after == drifter_after
    assert fell.sentence == (
        f"Drifter: {drifter_after:.1f} people per 1,000 talking about it on average over the "
        f"last 28 days, down from {drifter_before:.1f} in the 28 days before.")
    likes = by["d", Kind.LIKES_WITHOUT_TALK]
    assert likes.sentence == (
        "Drifter gained 28 followers since 27 Oct 2026 (1,027 to 1,055) while people talking "
        "about it fell from 50 to 40 (48.7 to 37.9 per 1,000): more likes, less conversation.")
    assert likes.before == 50_000 / 1027 and likes.after == 40_000 / 1055
    assert likes.numbers["followers_before"] == 1027 and likes.numbers["talking_after"] == 40
    assert by["e", Kind.NO_DATA].sentence == (
        "Empty has no readings yet: sync, or import its Meta Business Suite export.")
    assert by["z", Kind.NO_DATA].sentence == (
        "Zero has no rate: The Page has no followers, so a rate per 1,000 means nothing.")
    assert by["v", Kind.RECOVERED].sentence == (
        "Recovering recovered to amber: 22 people per 1,000 talking about it, up from 12 a "
        "week ago (17 Nov 2026).")
    rose = by["r", Kind.ROSE]
    assert (rose.before, rose.after) == (30.0, 40.0)
    assert rose.sentence == ("Riser: 40 people per 1,000 talking about it on average over the "
                             "last 7 days, up from 30 in the 7 days before.")
    # a single reading gives nothing to compare; nothing is said about it
    assert not [c for c in changes if c.page_id == "o"]
    json_record = youth.as_json()
    assert json_record == {"page_id": "y", "name": "Youth Service", "kind": "turned_red",
                           "window_days": 28, "before": 31.0, "after": 15.0,
                           "numbers": {"status_before": "amber", "status_after": "red",
                                       "day_before": "2026-10-27"},
                           "sentence": youth.sentence}


def test_changed_thresholds_are_not_a_change_in_a_page(store: Store) -> None:
    _fill(store)
    # 15 and 31 are both amber from 14: no status change, the fall is reported as a move
    store.set_thresholds(Thresholds(amber=14, green=50))
    changes = {(c.page_id, c.kind): c for c in what_changed(store, now=NOW)}
    assert ("y", Kind.TURNED_RED) not in changes
    youth = changes["y", Kind.FELL]
    assert (youth.window, youth.before, youth.after) == (28, 31.0, 15.0)
    # from 32, 31 four weeks ago was already red: the Page did not turn red in these windows
    store.set_thresholds(Thresholds(amber=32, green=50))
    changes = {(c.page_id, c.kind): c for c in what_changed(store, now=NOW)}
    assert ("y", Kind.TURNED_RED) not in changes
    # Recovering's 22 is red from 23 on: no recovery to speak of
    store.set_thresholds(Thresholds(amber=23, green=50))
    assert ("v", Kind.RECOVERED) not in {(c.page_id, c.kind)
                                         for c in what_changed(store, now=NOW)}


def test_a_reading_stale_at_the_time_gives_no_status_change(store: Store) -> None:
    store.upsert_pages([page("g", "Gap")])
    # amber long ago, then nothing for six weeks, then red this week
    _daily(store, "g", START - timedelta(days=20), START, 1000, 40)
    _daily(store, "g", TODAY - timedelta(days=3), TODAY, 1000, 5)
    changes = what_changed(store, now=NOW)
    assert changes == []


def test_relative_mode_rates_then_as_it_rates_now(store: Store) -> None:
    _fill(store)
    store.set_thresholds(Thresholds(mode=Mode.RELATIVE))
    light = traffic_light.build(store, now=NOW)
    for change in what_changed(store, now=NOW, light=light):
        if change.kind in (Kind.TURNED_RED, Kind.TURNED_AMBER, Kind.RECOVERED):
            row = next(r for r in light.rows if r.page.id == change.page_id)
            assert change.numbers["status_after"] == row.status.value


def test_the_demo_data_tells_the_youth_service_story(store: Store) -> None:
    write_demo(store, end=TODAY)
    changes = what_changed(store, now=NOW)
    first = changes[0]
    assert (first.name, first.kind) == ("Kelderby Youth Service", Kind.TURNED_RED)
    assert first.after == 15.0
    assert first.sentence.startswith("Kelderby Youth Service turned red: 15 people per 1,000 "
                                     "talking about it, down from ")
    light = {row.page.id: row for row in traffic_light.build(store, now=NOW).rows}
    for change in changes:
        if change.kind in (Kind.TURNED_RED, Kind.TURNED_AMBER, Kind.RECOVERED):
            assert change.after == light[change.page_id].assessment.per_1000
    assert any(c.kind is Kind.NO_DATA and c.name == "Kelderby Adult Social Care"
               for c in changes)
    assert any(c.kind is Kind.STALE and c.name == "Kelderby Archives" for c in changes)


def _assert_true_to_the_store(store: Store, found: list) -> None:
    """Every change's numbers, worked out again from the store's daily series and the traffic
    light (not from the rules' own code), and shown in its sentence."""
    light = {row.page.id: row for row in traffic_light.build(store, now=NOW).rows}
    for change in found:
        row = light[change.page_id]
        series = store.daily_series(change.page_id, TODAY - timedelta(days=70), TODAY)
        rates = {p.day: p.talking_about * 1000 / (p.followers if p.followers is not None
                                                   else p.fans)
                 for p in series if p.talking_about is not None
                 and (p.followers if p.followers is not None else p.fans)}
        if change.kind in (Kind.FELL, Kind.ROSE):
            window = change.window
            recent = [rates[d] for d in _days(TODAY - timedelta(days=window - 1), TODAY)
                      if d in rates]
            earlier = [rates[d] for d in _days(TODAY - timedelta(days=2 * window - 1),
                                               TODAY - timedelta(days=window)) if d in rates]
            assert change.after == pytest.approx(statistics.fmean(recent), rel=1e-12)
            assert change.before == pytest.approx(statistics.fmean(earlier), rel=1e-12)
            assert (change.kind is Kind.FELL) == (change.after < change.before)
        elif change.kind in (Kind.TURNED_RED, Kind.TURNED_AMBER, Kind.RECOVERED):
            assert change.after == row.assessment.per_1000
            then = date.fromisoformat(str(change.numbers["day_before"]))
            assert then <= TODAY - timedelta(days=change.window)
            assert change.before == pytest.approx(rates[then], rel=1e-12)
            assert Status(change.numbers["status_after"]) is row.status
            assert Status(change.numbers["status_before"]) is not row.status
        elif change.kind is Kind.LIKES_WITHOUT_TALK:
            then = date.fromisoformat(str(change.numbers["day_before"]))
            earlier = next(p for p in series if p.day == then)
            assert change.numbers["talking_before"] == earlier.talking_about
            assert change.numbers["talking_after"] == row.latest.talking_about
            assert change.numbers["followers_after"] == row.audience
            assert change.numbers["followers_before"] > 0
        elif change.kind in (Kind.NO_DATA, Kind.STALE):
            assert row.status is Status.NO_DATA
        for number in (change.before, change.after):
            if number is not None:
                shown = f"{number:.1f}".removesuffix(".0")
                assert shown in change.sentence


def test_every_demo_sentence_is_true_to_the_store(store: Store) -> None:
    write_demo(store, end=TODAY)
    found = what_changed(store, now=NOW)
    assert {c.kind for c in found} >= {Kind.TURNED_RED, Kind.STALE, Kind.NO_DATA}
    _assert_true_to_the_store(store, found)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(talking=st.lists(st.one_of(st.none(), st.integers(0, 120)), min_size=56, max_size=56),
       followers=st.integers(0, 3000))
def test_generated_histories_every_sentence_matches_the_store(talking, followers) -> None:
    with tempfile.TemporaryDirectory() as folder, \
            open_store(Path(folder) / "h.sqlite") as store:
        store.upsert_pages([page("h", "History")])
        store.add_readings(reading("h", _at(START + timedelta(days=n)), followers, value)
                            for n, value in enumerate(talking) if value is not None)
        found = what_changed(store, now=NOW)
        assert {change.page_id for change in found} <= {"h"}
        _assert_true_to_the_store(store, found)
