"""Demo data and the traffic light built from it, on real database files."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from factories import page, reading, utc

from engage_desktop.core import traffic_light
from engage_desktop.core.demo import page_id, write_demo
from engage_desktop.core.engagement import Mode, Status, Thresholds
from engage_desktop.core.errors import EngageError
from engage_desktop.core.store import Store, open_store
from engage_desktop.core.timeutil import UK

END = date(2026, 11, 24)
NOW = datetime.combine(END, time(12), tzinfo=UK)


@pytest.fixture
def demo(store: Store) -> Store:
    write_demo(store, end=END)
    return store


def _by_name(store: Store) -> dict[str, traffic_light.PageStatus]:
    return {row.page.name: row for row in traffic_light.build(store, now=NOW).rows}


def _dump(path: Path) -> list[tuple]:
    with open_store(path) as store:
        return (store.db.execute("SELECT id, name, kind FROM pages ORDER BY id").fetchall()
                + store.db.execute("SELECT * FROM readings ORDER BY page_id, taken_at")
                .fetchall()
                + store.db.execute("SELECT page_id, day, text FROM notes ORDER BY id")
                .fetchall())


def test_demo_data_is_deterministic(tmp_path: Path) -> None:
    for name in ("a.sqlite", "b.sqlite"):
        with open_store(tmp_path / name) as store:
            write_demo(store, days=60, end=END, seed=7)
    assert _dump(tmp_path / "a.sqlite") == _dump(tmp_path / "b.sqlite")
    with open_store(tmp_path / "c.sqlite") as store:
        write_demo(store, days=60, end=END, seed=8)
    assert _dump(tmp_path / "a.sqlite") != _dump(tmp_path / "c.sqlite")


def test_demo_shows_every_status_with_the_right_pages(demo: Store) -> None:
    rows = _by_name(demo)
    assert len(rows) == 12
    counts = traffic_light.build(demo, now=NOW).counts()
    assert all(counts[status] >= 1 for status in Status)
    youth = rows["Kelderby Youth Service"]
    assert (youth.audience, youth.latest.talking_about, youth.status) == (200, 3, Status.RED)
    assert youth.trend is not None and youth.trend.arrow == "▼"
    assert rows["Kelderby Adult Social Care"].status is Status.NO_DATA
    assert "did not report" in rows["Kelderby Adult Social Care"].assessment.reason
    assert rows["Kelderby Archives"].status is Status.NO_DATA
    assert "more than 8 days old" in rows["Kelderby Archives"].assessment.reason
    assert rows["Kelderby Libraries"].status is Status.GREEN
    assert rows["Kelderby Borough Council"].status is Status.AMBER
    assert {row.page.kind for row in rows.values()} == {"own", "public", "imported"}


def test_demo_has_two_years_of_daily_readings(demo: Store) -> None:
    series = demo.daily_series(page_id(0), END - timedelta(days=729), END)
    assert len(series) == 730
    assert series[0].day == END - timedelta(days=729) and series[-1].day == END
    # readings at about 09:00 UK time, in summer and in winter
    assert {p.taken_at.astimezone(UK).hour for p in series} == {9}


def test_demo_storm_week_spikes_talking_about(demo: Store) -> None:
    storm = END - timedelta(days=280)
    council = {p.day: p.talking_about for p in demo.daily_series(
        page_id(0), storm - timedelta(days=30), storm + timedelta(days=30))}
    before = council[storm - timedelta(days=14)]
    assert council[storm + timedelta(days=6)] > 3 * before
    assert council[storm + timedelta(days=28)] < 1.5 * before
    notes = demo.notes(storm, storm)
    assert notes and notes[0].page_id is None and "Storm" in notes[0].text


def test_demo_npe_switch_drops_likes_overnight(demo: Store) -> None:
    switch = END - timedelta(days=400)
    visit = demo.daily_series(page_id(4), switch - timedelta(days=1), switch)
    before, after = visit
    assert before.npe is False and after.npe is True
    assert after.fans < 0.9 * before.fans
    assert abs(after.followers - before.followers) < 0.01 * before.followers
    assert any("New Pages Experience" in a.text
               for a in demo.notes(switch, switch, [page_id(4)]))


def test_demo_scales_for_benchmarks(store: Store) -> None:
    summary = write_demo(store, pages=30, days=10, end=END)
    # every Page has a reading a day, but the archived one stopped before these ten days
    assert (summary.pages, summary.readings) == (30, 29 * 10)
    assert len(traffic_light.build(store, now=NOW).rows) == 30


def test_demo_replaces_a_demo_database_but_refuses_real_data(store: Store) -> None:
    write_demo(store, days=5, end=END)
    write_demo(store, pages=3, days=5, end=END)
    assert len(store.pages()) == 3
    # a real Page added to a demo file later must never be wiped by the next demo run
    store.upsert_pages([page("123", "Our real Page")])
    store.add_readings([reading("123", utc(2026, 11, 20, 9))])
    with pytest.raises(EngageError, match="real data"):
        write_demo(store, days=5, end=END)
    assert store.page("123") is not None and len(store.pages()) == 4
    assert store.latest_readings()["123"].source == "graph"


def test_demo_refuses_real_readings_even_on_demo_pages(store: Store) -> None:
    write_demo(store, pages=2, days=5, end=END)
    store.add_readings([reading(page_id(0), utc(2026, 11, 25, 9), source="import")])
    with pytest.raises(EngageError, match="1 readings that are not demo data"):
        write_demo(store, days=5, end=END)


def test_demo_refuses_nonsense_sizes(store: Store) -> None:
    with pytest.raises(EngageError, match="at least one"):
        write_demo(store, pages=0)


def test_traffic_light_sorts_worst_first_and_summarises(demo: Store) -> None:
    light = traffic_light.build(demo, now=NOW)
    ranks = [row.status.rank for row in light.rows]
    assert ranks == sorted(ranks)
    assert light.summary() == "3 red · 4 amber · 3 green · 2 no data"


def test_traffic_light_uses_stored_thresholds(demo: Store) -> None:
    demo.set_thresholds(Thresholds(amber=5, green=10))
    counts = traffic_light.build(demo, now=NOW).counts()
    # only Elections (8.9 per 1,000) is below green now
    assert (counts[Status.RED], counts[Status.AMBER], counts[Status.GREEN]) == (0, 1, 9)


def test_relative_mode_rates_pages_against_each_other(demo: Store) -> None:
    demo.set_thresholds(Thresholds(mode=Mode.RELATIVE))
    light = traffic_light.build(demo, now=NOW)
    rows = {row.page.name: row for row in light.rows}
    assert rows["Kelderby Elections"].status is Status.RED
    assert rows["Kelderby Waste & Recycling"].status is Status.GREEN
    assert rows["Kelderby Archives"].status is Status.NO_DATA
    assert "median of these Pages" in rows["Kelderby Elections"].assessment.reason
    assert light.median is not None


def test_traffic_light_json_record(store: Store) -> None:
    store.upsert_pages([page("42", "Seed Page")])
    store.add_readings([reading("42", utc(2026, 11, 24, 9, 12), 200, 3)])
    (row,) = traffic_light.build(store, now=utc(2026, 11, 25)).rows
    assert row.as_json() == {
        "page_id": "42", "name": "Seed Page", "followers": 200, "talking_about": 3,
        "per_1000": 15.0, "status": "red", "trend_28d": None, "as_of": "2026-11-24T09:12:00Z",
        "reason": "3 talking about ÷ 200 followers × 1,000 = 15.0 per 1,000", "kind": "own",
        "measure": "talking_about"}


def test_unfollowed_pages_are_left_out(store: Store) -> None:
    store.upsert_pages([page("1"), page("2")])
    store.db.execute("UPDATE pages SET followed = 0 WHERE id = '2'")
    assert [row.page.id for row in traffic_light.build(store).rows] == ["1"]
