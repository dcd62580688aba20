"""Alerts on real database files with known readings: each kind, never twice for the same Page,
kind and day, a lasting condition not every day, the thresholds in the database, and bad cells
in the alerts table."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from factories import page, reading

from engage_desktop.core import alerts
from engage_desktop.core.errors import InvalidSettingError
from engage_desktop.core.models import SyncError
from engage_desktop.core.store import Store, open_store
from engage_desktop.core.timeutil import UK

TODAY = date(2026, 11, 24)
NOW = datetime.combine(TODAY, time(12), tzinfo=UK)


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=UK)


def _daily(store: Store, page_id: str, first: date, last: date, followers: int,
           talking: int) -> None:
    store.add_readings(reading(page_id, _at(first + timedelta(days=n)), followers, talking)
                        for n in range((last - first).days + 1))


@pytest.fixture
def store(tmp_path: Path):
    with open_store(tmp_path / "alerts.sqlite") as opened:
        yield opened


def _kinds(found) -> dict[str, str]:
    return {alert.page_id: alert.kind for alert in found}


def test_a_page_that_turned_red_is_alerted_once_and_again_only_after_recovering(store) -> None:
    store.upsert_pages([page("r", "Reddening")])
    week_ago = TODAY - timedelta(days=7)
    _daily(store, "r", week_ago - timedelta(days=3), week_ago, 1000, 60)  # green
    store.add_readings([reading("r", _at(TODAY), 1000, 10)])  # red now
    first = alerts.record_after_sync(store, now=NOW)
    assert [(a.kind, a.day, a.name) for a in first] == [("turned_red", TODAY, "Reddening")]
    assert first[0].numbers["per_1000_after"] == 10.0
    assert first[0].numbers["status_before"] == "green"
    assert "Reddening turned red" in first[0].sentence
    # a second sync the same day, and the next day while still red: nothing again
    assert alerts.record_after_sync(store, now=NOW) == []
    store.add_readings([reading("r", _at(TODAY + timedelta(days=1)), 1000, 11)])
    assert alerts.record_after_sync(store, now=NOW + timedelta(days=1)) == []
    # green again, then red again: each is news
    store.add_readings([reading("r", _at(TODAY + timedelta(days=2)), 1000, 70)])
    back = alerts.record_after_sync(store, now=NOW + timedelta(days=2))
    assert [a.kind for a in back] == ["recovered"]
    assert back[0].numbers == {"per_1000_after": 70.0, "status_after": "green",
                               "told_on": "2026-11-24"}
    assert back[0].sentence == ("Reddening is green again: 70 people per 1,000 talking about "
                                "it (it turned red on 24 Nov 2026).")
    assert store.unseen_alert_count() == 2
    rows = store.conn.execute("SELECT page_id, kind, day FROM alerts ORDER BY id").fetchall()
    assert rows == [("r", "turned_red", "2026-11-24"), ("r", "recovered", "2026-11-26")]


def test_the_same_page_kind_and_day_is_stored_once_whatever_writes_it(store) -> None:
    store.upsert_pages([page("p", "Parks")])
    alert = ("p", "throttled", TODAY, {"code": 4}, "Parks was not read.")
    assert len(store.add_alerts([alert])) == 1
    assert store.add_alerts([alert, alert]) == []
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute("INSERT INTO alerts (page_id, kind, day, numbers, sentence, "
                           "created_at) VALUES ('p', 'throttled', '2026-11-24', '{}', 'x', "
                           "'2026-11-24T10:00:00Z')")
    assert store.conn.execute("SELECT count(*) FROM alerts").fetchone()[0] == 1


def test_a_fall_by_the_set_share_week_on_week(store) -> None:
    store.upsert_pages([page("f", "Falling"), page("s", "Steady")])
    last_week = TODAY - timedelta(days=13), TODAY - timedelta(days=7)
    this_week = TODAY - timedelta(days=6), TODAY
    _daily(store, "f", *last_week, 1000, 100)
    _daily(store, "f", *this_week, 1000, 70)  # down 30 %, still green
    _daily(store, "s", *last_week, 1000, 100)
    _daily(store, "s", *this_week, 1000, 80)  # down 20 %: under the 25 % set
    found = alerts.record_after_sync(store, now=NOW)
    assert _kinds(found) == {"f": "fell"}
    fell = found[0]
    assert fell.numbers == {"per_1000_before": 100.0, "per_1000_after": 70.0,
                            "fall_percent": 30.0, "window_days": 7}
    assert "down 30 % from 100" in fell.sentence
    # with a lower share set, the other fall is news too; the first is not told again
    alerts.set_thresholds(store, alerts.AlertThresholds(fall_percent=15, stale_days=8))
    assert _kinds(alerts.record_after_sync(store, now=NOW)) == {"s": "fell"}


def test_stale_reconnect_and_throttled(store) -> None:
    store.upsert_pages([page("o", "Old News"), page("c", "Cut Off"), page("t", "Throttled")])
    _daily(store, "o", TODAY - timedelta(days=20), TODAY - timedelta(days=10), 1000, 50)
    _daily(store, "c", TODAY - timedelta(days=2), TODAY, 1000, 50)
    _daily(store, "t", TODAY - timedelta(days=2), TODAY, 1000, 50)
    store.set_token_status(["c"], "needs_reconnect", "the Facebook password was changed")
    waited = SyncError("t", "throttled", "Meta asked Engage Desktop to wait until 13:00 UTC.")
    found = alerts.record_after_sync(store, sync_errors=[waited], now=NOW)
    assert _kinds(found) == {"o": "stale", "c": "needs_reconnect", "t": "throttled"}
    stale = next(a for a in found if a.kind == "stale")
    assert stale.numbers == {"last_day": "2026-11-14", "days_old": 10}
    assert "Throttled was not read: Meta asked" in next(
        a.sentence for a in found if a.kind == "throttled")
    # the next day: throttling again is news, the lasting conditions are not
    later = NOW + timedelta(days=1)
    assert _kinds(alerts.record_after_sync(store, sync_errors=[waited], now=later)) == {
        "t": "throttled"}
    # a week after the first: reminded; with more days allowed, the old data is not stale
    alerts.set_thresholds(store, alerts.AlertThresholds(fall_percent=25, stale_days=30))
    week = NOW + timedelta(days=alerts.REMIND_AFTER)
    assert _kinds(alerts.record_after_sync(store, now=week)) == {"c": "needs_reconnect"}


def test_thresholds_are_checked_and_bad_stored_ones_give_the_defaults(store) -> None:
    assert alerts.thresholds(store) == alerts.AlertThresholds(25.0, 8)
    for bad in ({"fall_percent": 0}, {"fall_percent": 150}, {"stale_days": 2.5},
                {"stale_days": True}, {"fall_percent": "lots"}):
        with pytest.raises(InvalidSettingError) as caught:
            alerts.AlertThresholds(**bad)
        assert caught.value.hint
    store.conn.execute("INSERT INTO settings (key, value) VALUES ('alert_thresholds', "
                       "'{\"fall_percent\": -3}')")
    assert alerts.thresholds(store) == alerts.AlertThresholds()
    assert any("'alert_thresholds'" in w and "a fall of 25 %, 8 days" in w
               for w in store.warnings)


def test_marking_seen_and_reading_back(store) -> None:
    store.upsert_pages([page("a", "Alpha"), page("b", "Beta")])
    ids = store.add_alerts([("a", "stale", TODAY - timedelta(days=3), {"days_old": 9}, "A."),
                            ("b", "fell", TODAY, {"fall_percent": 40.0}, "B.")])
    assert [a.page_id for a in store.alerts()] == ["b", "a"]  # newest first
    assert [a.page_id for a in store.alerts(since=TODAY)] == ["b"]
    assert store.mark_alerts_seen([ids[0]]) == 1
    assert [a.page_id for a in store.alerts()] == ["b"]
    assert [a.seen_at is not None for a in store.alerts(unseen_only=False)] == [False, True]
    assert store.mark_alerts_seen() == 1 and store.unseen_alert_count() == 0
    assert store.alerts(unseen_only=False)[0].as_json() == {
        "id": ids[1], "page_id": "b", "name": "Beta", "kind": "fell", "day": "2026-11-24",
        "numbers": {"fall_percent": 40.0}, "sentence": "B.", "seen": True}


@pytest.mark.parametrize("column, value, shown", [
    ("numbers", "'not json'", "numbers = 'not json'"),
    ("numbers", "'[1, 2]'", "numbers = '[1, 2]'"),
    ("kind", "'exploded'", "kind = 'exploded'"),
    ("day", "'24/11/2026'", "day = '24/11/2026'"),
    ("created_at", "45000", "created_at = '45000'"),
    ("seen_at", "x'00'", "seen_at = binary data"),
])
def test_unreadable_cells_leave_their_alert_out_with_a_warning(store, column, value,
                                                               shown) -> None:
    store.upsert_pages([page("a", "Alpha")])
    good, bad = store.add_alerts([("a", "stale", TODAY, {}, "Good."),
                                  ("a", "fell", TODAY, {}, "Bad.")])
    store.conn.execute(f"UPDATE alerts SET {column} = {value} WHERE id = ?", [bad])
    assert [a.id for a in store.alerts(unseen_only=False)] == [good]
    assert store.unseen_alert_count() == 1
    assert [kind for _, kind, _ in store.alert_history()] == ["stale"]
    assert any(f"1 alert is unreadable: {shown}" in w and "alerts table" in w
               for w in store.warnings)
