"""The window on a database open read-only (a copy published for the team, a file on a
read-only share, or opened so): it says so and why, everything that would write is disabled
with the reason, and browsing leaves the file's bytes and its folder's listing as they were.
Real SQLite files, a real offscreen window."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QDialog
from read_only_folder import read_only_view

from engage_desktop.core.demo import write_demo
from engage_desktop.core.opening import Opening
from engage_desktop.core.settings import PUBLISHED_COPY
from engage_desktop.core.store import open_store
from engage_desktop.ui import theme
from engage_desktop.ui.main_window import MainWindow, settings_for
from engage_desktop.ui.settings_dialog import SettingsDialog

PUBLISHED_SENTENCE = ("This is a copy published for the team on Mon 30 Nov 2026 at 07:15 from "
                      "engage.sqlite: open the original to sync or import.")


def _state(folder: Path) -> dict[str, str]:
    return {file.name: hashlib.sha256(file.read_bytes()).hexdigest()
            for file in sorted(folder.iterdir())}


def _database(path: Path, *, published: bool) -> Path:
    path.parent.mkdir(parents=True)
    with open_store(path) as store:
        write_demo(store)
        if published:
            store.settings.set(PUBLISHED_COPY, {"published_at": "2026-11-30T07:15:00Z",
                                                "source": "engage.sqlite"})
    return path


def _window(qtbot, opening: Opening, settings: Path) -> MainWindow:
    """The window as the program opens it: the traffic light read while Qt loads."""
    window = MainWindow(opening.store, theme.LIGHT, settings_for(settings),
                        light=opening.light())
    qtbot.addWidget(window)
    window.resize(1400, 820)
    window.show()
    window.load_charts()
    qtbot.waitExposed(window)
    return window


def _browse(window: MainWindow, qtbot) -> None:
    """What an officer does on a copy: Pages, several compared, ranges, the data."""
    for row in range(window.proxy.rowCount()):
        window.select_row(row)
    qtbot.waitUntil(lambda: bool(window.charts.plots))
    window.table.selectAll()
    for index in range(5):
        window.range.setCurrentIndex(index)
    window.charts.tabs.setCurrentIndex(1)
    window.open_what_changed().close()
    window.open_sync_log().close()


def _writes_refused(window: MainWindow, qtbot, reason: str) -> None:
    for action in (window.sync_action, window.import_action, window.connect_action):
        assert not action.isEnabled()
        assert action.toolTip().endswith(f"Not available: {reason}")
    assert not window.import_button.isEnabled()
    # what would write, reached some other way, says why instead
    assert window.sync_now() is False
    assert window.sync_if_due() is False
    assert window.statusBar().currentMessage() == f"Cannot sync: {reason}"
    assert window.import_files([Path("dropped.csv")]) is False
    assert window.statusBar().currentMessage() == f"Cannot import files: {reason}"
    assert window.open_connect() == QDialog.DialogCode.Rejected
    page_id = window.selected_page_ids()[0]
    menu = window.page_menu(page_id)
    items = [action for action in menu.actions() if action.text()]
    assert items and not any(action.isEnabled() for action in items)
    assert all(action.toolTip() == f"Not available: {reason}" for action in items)
    menu.deleteLater()
    window.stop_following(page_id)
    assert window.statusBar().currentMessage() == f"Cannot stop following a Page: {reason}"
    assert window.forget_page(page_id, confirm=lambda *_: True) is False
    assert window.edit_page_description(page_id) is False
    assert page_id in {page.id for page in window.store.pages(followed_only=True)}
    window.select_row(0)
    qtbot.waitUntil(lambda: len(window.charts.plots) == 3)
    notes = window.charts.note_menu(QPointF(-50, -50))
    note_items = [action for action in notes.actions()
                  if "note" in action.text().lower()]
    assert note_items and not any(action.isEnabled() for action in note_items)
    notes.deleteLater()
    assert window.edit_note(window.charts.series[0].points[-1].day) is None
    assert window.sync_action.isEnabled() is False  # still, after all that
    # Settings: the database's parts shown, not changed; Save keeps only the window's own
    dialog = SettingsDialog(window.store, window.model.light, window.runner, window.settings,
                            window)
    assert not dialog.tabs.widget(0).isEnabled()
    assert not dialog.tabs.widget(dialog.advanced_tab).isEnabled()
    assert dialog.tabs.widget(1).isEnabled()
    assert "kept in the database, which cannot be changed" in dialog.problem.text()
    dialog.amber.setValue(1)
    dialog.sync_on_open.setChecked(True)
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert window.store.thresholds().amber == 20
    dialog.deleteLater()


def test_a_published_copy_is_shown_read_only_and_left_as_it_was(
        qtbot, tmp_path: Path) -> None:
    db = _database(tmp_path / "share" / "engage.sqlite", published=True)
    before = _state(db.parent)
    window = _window(qtbot, Opening(db), tmp_path / "settings.ini")
    try:
        assert window.windowTitle().endswith("(read-only)")
        assert window.read_only_label.text() == f"Read-only: {PUBLISHED_SENTENCE}"
        assert window.read_only_label.accessibleName() == "Read-only"
        # said to a screen reader, and reachable from the keyboard as the details line is
        assert window.read_only_label.accessibleDescription().endswith(PUBLISHED_SENTENCE)
        assert window.read_only_label.focusPolicy() == Qt.FocusPolicy.StrongFocus
        assert window.read_only_label.isVisible()
        _browse(window, qtbot)
        _writes_refused(window, qtbot, PUBLISHED_SENTENCE)
    finally:
        window.close()
        window.store.close()
    assert _state(db.parent) == before


def test_a_file_on_a_read_only_share_opens_read_only_by_itself(qtbot, tmp_path: Path) -> None:
    db = _database(tmp_path / "share" / "engage.sqlite", published=False)
    before = _state(db.parent)
    with read_only_view(db.parent) as share:
        window = _window(qtbot, Opening(share / db.name), tmp_path / "settings.ini")
        try:
            reason = window.read_only_reason
            assert reason.startswith("Engage Desktop cannot write to this file or its folder")
            assert window.windowTitle().endswith("(read-only)")
            _browse(window, qtbot)
            _writes_refused(window, qtbot, reason)
        finally:
            window.close()
            window.store.close()
        assert _state(share) == before
    assert _state(db.parent) == before


def test_read_only_as_asked_leaves_a_wal_database_without_files_beside_it(
        qtbot, tmp_path: Path) -> None:
    db = _database(tmp_path / "own" / "engage.sqlite", published=False)
    before = _state(db.parent)
    window = _window(qtbot, Opening(db, create=False, read_only=True),
                     tmp_path / "settings.ini")
    try:
        assert window.read_only_reason == ("It was opened read-only, as asked: open it again, "
                                           "not read-only, to sync, import or change it.")
        _browse(window, qtbot)
        _writes_refused(window, qtbot, window.read_only_reason)
    finally:
        window.close()
        window.store.close()
    assert _state(db.parent) == before


@pytest.mark.parametrize("read_only", [False, True])
def test_a_writable_database_keeps_everything_enabled(qtbot, tmp_path: Path,
                                                      read_only: bool) -> None:
    db = _database(tmp_path / "own" / "engage.sqlite", published=False)
    window = _window(qtbot, Opening(db, read_only=read_only), tmp_path / "settings.ini")
    try:
        enabled = [action.isEnabled() for action in
                   (window.sync_action, window.import_action, window.connect_action)]
        assert enabled == [not read_only] * 3
        assert window.windowTitle().endswith("(read-only)") is read_only
    finally:
        window.close()
        window.store.close()
