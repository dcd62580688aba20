"""Hostile Page names, notes and titles: shown and drawn as the text they are, never as markup,
and written to CSV so that a spreadsheet runs none of it and our own importer reads it back."""

from __future__ import annotations

import csv
import json
import unicodedata
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engage_desktop.core import traffic_light
from engage_desktop.core.demo import write_demo
from engage_desktop.core.exporting import data
from engage_desktop.core.importing import Importer, ImportOptions
from engage_desktop.core.store import Store, open_store
from engage_desktop.core.timeutil import uk_day, utc_now
from tests.factories import page, reading, utc

FORMULAS = ["=HYPERLINK(\"http://x.test\",\"Click\")", "+1+1", "-2+3", "@SUM(A1:A2)",
            "\t=1+1", "\r=1+1", "'=already quoted", "''+twice"]
HOSTILE = [
    "<b>Bold</b> <img src=\"{png}\">",
    "<script>alert(1)</script>&amp;&lt;",
    "Kelderby \u202eecivreS htuoY\u202c Page",
    "Nul\x00Page \x07bell \x1b[31mred\x1b[0m",
    "Long " * 2000,
    "👩‍👩‍👧 Family 🏳️‍🌈 Hub",
    "Line one\nLine two",
    *FORMULAS,
]


def without_controls(text: str) -> str:
    """``text`` as a CSV export keeps it: control characters gone, tabs and line breaks kept."""
    return "".join(c for c in text if unicodedata.category(c) != "Cc" or c in "\t\n\r")


def imported(name: str) -> str:
    """The name the importer reads back: trimmed, except for a leading tab or carriage return,
    which the formula guard's apostrophe keeps."""
    text = without_controls(name)
    return text.rstrip() if text.startswith(("\t", "\r")) else text.strip()


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


def _hostile_store(path: Path, names: list[str]) -> Store:
    """A store with one Page and a reading per hostile name."""
    store = open_store(path)
    store.upsert_pages([page(str(100 + n), name) for n, name in enumerate(names)])
    store.add_snapshots([reading(str(100 + n), utc(2026, 11, 1, 9), 1000 + n, 30)
                         for n in range(len(names))])
    return store


def rename(store: Store, page_id: str, name: str) -> None:
    """Give a Page a name as Meta or an imported file could."""
    with store.transaction():
        store.conn.execute("UPDATE pages SET name = ? WHERE id = ?", [name, page_id])


def _imported_names(csv_path: Path, db: Path) -> dict[str, str]:
    with open_store(db) as store:
        importer = Importer(store, [csv_path], ImportOptions())
        preview = importer.preview()
        assert preview.ready, preview
        assert preview.files[0].skipped == 0
        importer.commit()
        return {p.id: p.name for p in store.pages()}


@pytest.mark.parametrize("text", [*FORMULAS, "=", "-", "\t", "\r"])
def test_formula_starters_are_guarded_and_the_guard_comes_off_again(text: str) -> None:
    guarded = data.safe_text(text)
    assert guarded == "'" + text
    assert data.unsafe_text(guarded) == text


@given(st.text(max_size=12))
def test_the_guard_is_undone_exactly_for_any_text(text: str) -> None:
    guarded = data.safe_text(text)
    assert guarded == text or guarded == "'" + text
    assert not guarded.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert data.unsafe_text(guarded) == text


def test_hostile_names_round_trip_through_the_series_file(tmp_path: Path) -> None:
    names = [name.format(png="/tmp/x.png") for name in HOSTILE]
    with _hostile_store(tmp_path / "a.sqlite", names) as store:
        path = data.write_series(store, [p.id for p in store.pages()], utc(2026, 10, 1).date(),
                                 utc(2026, 11, 2).date(), tmp_path / "series.csv")
    rows = _rows(path)
    assert "\x00" not in path.read_text(encoding="utf-8-sig")
    written = {row["page_id"]: row["page_name"] for row in rows}
    for n, name in enumerate(names):
        cell = written[str(100 + n)]
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
        assert data.unsafe_text(cell) == without_controls(name)
    again = _imported_names(path, tmp_path / "b.sqlite")
    assert again == {str(100 + n): imported(name) for n, name in enumerate(names)}


@given(st.lists(st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=30)
                .filter(imported),
                min_size=1, max_size=4))
def test_any_names_come_back_from_the_series_file(tmp_path_factory, names: list[str]) -> None:
    folder = tmp_path_factory.mktemp("names")
    with _hostile_store(folder / "a.sqlite", names) as store:
        path = data.write_series(store, [p.id for p in store.pages()], utc(2026, 10, 1).date(),
                                 utc(2026, 11, 2).date(), folder / "series.csv")
    again = _imported_names(path, folder / "b.sqlite")
    assert again == {str(100 + n): imported(name) for n, name in enumerate(names)}


def test_status_file_guards_text_and_leaves_negative_numbers_as_numbers(tmp_path: Path) -> None:
    with open_store(tmp_path / "demo.sqlite") as store:
        write_demo(store)
        ids = [p.id for p in store.pages()]
        for pid, name in zip(ids, FORMULAS, strict=False):
            rename(store, pid, name)
        light = traffic_light.build(store)
        rows = _rows(data.write_status(light, tmp_path / "status.csv"))
    by_id = {row["page_id"]: row for row in rows}
    for pid, name in zip(ids, FORMULAS, strict=False):
        assert by_id[pid]["page_name"] == "'" + name
    trends = [row["trend_28d"] for row in rows if row["trend_28d"]]
    assert any(trend.startswith("-") for trend in trends)  # a falling Page, as a number
    assert all(float(trend) == float(trend) for trend in trends)


def test_the_command_line_series_export_re_imports_a_hostile_name(tmp_path: Path,
                                                                  run_cli) -> None:
    db = tmp_path / "d.sqlite"
    assert run_cli("demo", "--db", str(db), "--pages", "3", "--days", "30").returncode == 0
    name = "=cmd|' /C calc'!A0\x00<b>x</b>\u202e\x1b"
    with open_store(db) as store:
        pid = store.pages()[0].id
        rename(store, pid, name)
    out = tmp_path / "series.csv"
    result = run_cli("export", "data", "--what", "series", "--page", pid, "--out", str(out),
                     "--db", str(db))
    assert result.returncode == 0, result.stderr
    again = tmp_path / "again.sqlite"
    result = run_cli("import", str(out), "--db", str(again))
    assert result.returncode == 0, result.stderr
    result = run_cli("pages", "--json", "--db", str(again))
    assert {p["page_id"]: p["name"] for p in json.loads(result.stdout)} == \
        {pid: "=cmd|' /C calc'!A0<b>x</b>\u202e"}
    today = uk_day(utc_now())
    with open_store(db) as before, open_store(again) as after:
        first = today - timedelta(days=40)
        assert [(p.day, p.followers, p.talking_about)
                for p in after.daily_series(pid, first, today)] == \
            [(p.day, p.followers, p.talking_about) for p in before.daily_series(pid, first, today)]
