"""Fixtures the window's tests share: a demo database, the main window (on it, or on any
database a test module gives), and a module-wide demo store for the export tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from window_helpers import shown_window

from engage_desktop.core.demo import write_demo
from engage_desktop.core.store import Store, open_store
from engage_desktop.ui import app as ui_app


@pytest.fixture(autouse=True)
def application():
    """The program's own QApplication set-up (its palette, and garbage collected on the GUI
    thread only) for every window test."""
    return ui_app.application()


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite"
    with open_store(path) as store:
        write_demo(store)
    return path


@pytest.fixture
def open_window(qtbot, tmp_path: Path):
    """Opens the main window as ``shown_window`` does (on a database file or an open store, at
    a size, with given settings or task runner), and after the test closes what the window
    left open: its What changed dialog, its background task (cancelled and waited for), and
    the store it opened from a file (a store passed in is its owner's to close)."""
    opened: list[tuple[object, bool]] = []

    def open_(db: Path | Store, size: tuple[int, int] = (1500, 850), *, settings=None,
              runner=None):
        main = shown_window(qtbot, db, tmp_path, size, settings=settings, runner=runner)
        opened.append((main, isinstance(db, Path)))
        return main

    yield open_
    for main, owns_store in reversed(opened):
        if main.changes_dialog is not None:
            main.changes_dialog.close()
        main.runner.stop()
        if owns_store:
            main.store.close()


@pytest.fixture
def window(open_window, demo_path: Path):
    """The main window on demo data, shown and with its charts loaded (a test module on other
    data overrides this with its own call of ``open_window``)."""
    return open_window(demo_path)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A demo store shared by one module's tests (exports read it and never write)."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    with open_store(path) as store:
        write_demo(store)
    ui_app.application()
    store = open_store(path)
    yield store
    store.close()
