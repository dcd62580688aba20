"""CSV exports: the traffic light and daily series, written safely, read back without loss."""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path

import pytest

from engage_desktop.core import traffic_light
from engage_desktop.core.demo import write_demo
from engage_desktop.core.exporting import data
from engage_desktop.core.exporting.files import ExportError, atomic_output
from engage_desktop.core.importing import Importer, ImportOptions
from engage_desktop.core.store import open_store
from engage_desktop.core.timeutil import uk_day, utc_now
from tests.factories import page, reading, utc


def _rows(path: Path) -> list[dict[str, str]]:
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel opens it as UTF-8
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


def test_series_round_trip_through_import_keeps_every_value(tmp_path: Path) -> None:
    today = uk_day(utc_now())
    with open_store(tmp_path / "demo.sqlite") as demo:
        write_demo(demo, pages=6, days=120)
        ids = [p.id for p in demo.pages()]
        first = today - timedelta(days=200)
        path = data.write_series(demo, ids, first, today, tmp_path / "series.csv")
        before = {pid: demo.daily_series(pid, first, today) for pid in ids}
        names = {p.id: p.name for p in demo.pages()}
    rows = _rows(path)
    assert tuple(rows[0]) == data.SERIES_COLUMNS
    assert len(rows) == sum(len(points) for points in before.values())
    with open_store(tmp_path / "rebuilt.sqlite") as rebuilt:
        importer = Importer(rebuilt, [path], ImportOptions())
        preview = importer.preview()
        assert preview.ready and preview.files[0].format == "own"
        assert preview.files[0].skipped == 0
        importer.commit()
        assert {p.id: p.name for p in rebuilt.pages()} == names
        for pid, points in before.items():
            again = rebuilt.daily_series(pid, first, today)
            assert [(p.day, p.followers, p.fans, p.talking_about) for p in again] == \
                [(p.day, p.followers, p.fans, p.talking_about) for p in points]


def test_status_file_has_the_documented_columns(tmp_path: Path) -> None:
    with open_store(tmp_path / "demo.sqlite") as demo:
        write_demo(demo)
        light = traffic_light.build(demo)
    rows = _rows(data.write_status(light, tmp_path / "status.csv"))
    assert tuple(rows[0]) == data.STATUS_COLUMNS
    assert [r["page_name"] for r in rows] == [r.page.name for r in light.rows]
    assert {r["status"] for r in rows} == {"red", "amber", "green", "no_data"}
    assert "÷" in rows[0]["reason"]


def test_names_that_look_like_formulas_are_protected_and_come_back(tmp_path: Path) -> None:
    with open_store(tmp_path / "a.sqlite") as store:
        store.upsert_pages([page("1", "=HYPERLINK(\"http://x\")"), page("2", "-Minus Page")])
        store.add_readings([reading("1", utc(2026, 11, 1, 9), 100, 5),
                             reading("2", utc(2026, 11, 1, 9), 200, 6)])
        path = data.write_series(store, ["1", "2"], utc(2026, 10, 1).date(),
                                 utc(2026, 11, 2).date(), tmp_path / "s.csv")
    assert {r["page_name"] for r in _rows(path)} == {"'=HYPERLINK(\"http://x\")",
                                                     "'-Minus Page"}
    with open_store(tmp_path / "b.sqlite") as store:
        importer = Importer(store, [path], ImportOptions())
        importer.preview()
        importer.commit()
        assert {p.name for p in store.pages()} == {"=HYPERLINK(\"http://x\")", "-Minus Page"}


def test_an_export_never_leaves_a_partial_file_or_replaces_one_unasked(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    with pytest.raises(RuntimeError), atomic_output(target) as temporary:
        temporary.write_text("half")
        raise RuntimeError("the disk filled")
    assert list(tmp_path.iterdir()) == []
    target.write_text("keep me")
    with pytest.raises(ExportError, match="already exists"), atomic_output(target):
        pass
    assert target.read_text() == "keep me"
    with pytest.raises(ExportError, match="does not exist"), \
            atomic_output(tmp_path / "missing" / "x.csv"):
        pass
