"""Opening the window's database before Qt loads, with the traffic light read on a thread."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from engage_desktop.core import traffic_light
from engage_desktop.core.demo import write_demo
from engage_desktop.core.errors import DatabaseError, ForeignDatabaseError
from engage_desktop.core.opening import Opening
from engage_desktop.core.store import open_store


def test_the_light_read_on_its_thread_is_the_one_the_store_gives(tmp_path: Path) -> None:
    path = tmp_path / "engage.sqlite"
    with open_store(path) as store:
        write_demo(store, pages=30, days=60)
        expected = traffic_light.build(store)
    opening = Opening(path)
    light = opening.light()
    assert [(r.page.id, r.status, r.trend) for r in light.rows] == \
        [(r.page.id, r.status, r.trend) for r in expected.rows]
    # the connection is usable from the thread that asks next (the window's)
    assert threading.current_thread() is threading.main_thread()
    assert len(opening.store.pages()) == 30
    opening.store.close()


def test_demo_data_is_written_when_the_demo_file_is_missing(tmp_path: Path) -> None:
    opening = Opening(tmp_path / "demo.sqlite", demo=True)
    assert opening.error is None
    assert len(opening.light().rows) > 5
    opening.store.close()


def test_a_file_that_cannot_be_opened_gives_its_error_not_a_store(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (text)")
    before = other.read_bytes()
    opening = Opening(other, create=False)
    assert opening.store is None
    assert isinstance(opening.error, ForeignDatabaseError)
    with pytest.raises(ForeignDatabaseError):
        opening.light()
    assert other.read_bytes() == before


def test_a_read_that_fails_on_the_thread_fails_for_the_window(tmp_path: Path) -> None:
    path = tmp_path / "engage.sqlite"
    with open_store(path) as store:
        write_demo(store, pages=3, days=10)
        store.conn.execute("DROP TABLE readings")  # damaged by something else
    opening = Opening(path)
    with pytest.raises(DatabaseError, match="readings"):
        opening.light()
    opening.store.close()
