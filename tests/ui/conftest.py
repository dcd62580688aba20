"""Fixtures the window's tests share: a demo database, the main window on it, and a
module-wide demo store for the export tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from window_helpers import shown_window

from engage_desktop.core.demo import write_demo
from engage_desktop.core.store import open_store
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
def window(qtbot, demo_path: Path, tmp_path: Path):
    """The main window on demo data, shown and with its charts loaded."""
    main = shown_window(qtbot, demo_path, tmp_path)
    yield main
    main.store.close()


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
