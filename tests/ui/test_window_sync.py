"""Syncing from the window: in the background with progress and Cancel, the traffic light
updated at the end, each Page's problem shown with its fix, offline as a normal state, and
closing the window mid-sync; against the loopback Graph API and a real Secret Service."""

from __future__ import annotations

import os
import socket
import sqlite3
from pathlib import Path

import pytest
from graph_server import GraphServer
from PySide6.QtCore import Qt

from engage_desktop.core.engagement import Status
from engage_desktop.core.store import open_store
from engage_desktop.ui import app as ui_app
from engage_desktop.ui import theme
from engage_desktop.ui.main_window import MainWindow, settings_for
from engage_desktop.ui.traffic_model import PAGE, PAGE_ID_ROLE, STATUS

ARTIFACTS = Path(os.environ.get("ENGAGE_ARTIFACTS", "artifacts"))


@pytest.fixture
def window(open_window, connected_db: Path):
    return open_window(connected_db)


def _finished(window) -> bool:
    return not window.runner.busy and window.sync_action.isEnabled()


def _row(window, page_id: str) -> int:
    model = window.model
    return next(r for r in range(model.rowCount())
                if model.index(r, PAGE).data(PAGE_ID_ROLE) == page_id)


def _row_in_view(window, page_id: str) -> int:
    proxy = window.proxy
    return next(r for r in range(proxy.rowCount())
                if proxy.index(r, PAGE).data(PAGE_ID_ROLE) == page_id)


def test_ctrl_r_syncs_in_the_background_and_the_traffic_light_fills(window, qtbot) -> None:
    assert all(row.latest is None for row in window.model.rows)  # connected, never synced
    window.select_row(_row_in_view(window, "333333333333333"))
    progress = []
    window.runner.busy_changed.connect(progress.append)
    window.activateWindow()  # shortcuts reach the active window
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: progress == [True, False], timeout=30_000)
    qtbot.waitUntil(lambda: _finished(window))
    assert all(row.latest is not None for row in window.model.rows)
    statuses = {row.page.name: row.status for row in window.model.rows}
    assert statuses["Example Leisure"] is Status.RED  # 200 followers, 3 talking
    assert Status.NO_DATA not in statuses.values()
    assert not window.progress.isVisible() and not window.cancel_button.isVisible()
    assert "Synced at" in window.age.text()
    assert window.model.problems == {}
    assert window.selected_page_ids() == ["333333333333333"]  # the selection is kept
    assert window.charts.series and window.charts.series[0].points  # and charted


def test_a_throttled_and_a_revoked_page_show_their_reason_and_fix(window, qtbot,
                                                                   graph: GraphServer) -> None:
    state = graph.state
    state.expire(state.pages["333333333333333"].token, 460)
    state.fault("throttle", match="222222222222222?", regain_minutes=19)
    window.sync_now()
    qtbot.waitUntil(lambda: _finished(window), timeout=30_000)
    problems = window.model.problems
    assert problems["333333333333333"].startswith("Reconnect: the Facebook password")
    assert "Meta asked Engage Desktop to wait until" in problems["222222222222222"]
    row = _row(window, "333333333333333")
    index = window.model.index(row, PAGE)
    # the name as it is (not widened by words on every row); the status says it in words
    assert index.data() == "Example Leisure"
    assert window.model.index(row, STATUS).data().endswith(", needs attention")
    assert index.data(Qt.ItemDataRole.DecorationRole) is not None
    assert "Reconnect" in index.data(Qt.ItemDataRole.ToolTipRole)
    # the problem and its fix in the details line under the table, for screen readers too
    window.select_row(window.proxy.mapFromSource(index).row())
    assert "Needs attention: Reconnect: the Facebook password" in window.details.text()
    assert window.details.accessibleDescription() == window.details.text()
    assert window.details.accessibleName()
    # all of it shows: the line is as tall as its wrapped text
    details = window.details
    qtbot.waitUntil(lambda: details.height() >= details.heightForWidth(details.width())
                    and details.geometry().bottom() < details.parentWidget().height())
    assert "need attention" in window.statusBar().currentMessage()
    ARTIFACTS.mkdir(exist_ok=True)
    window.grab().save(str(ARTIFACTS / "window-sync-problems.png"))


def test_cancel_stops_the_sync_and_keeps_what_it_fetched(window, qtbot,
                                                         graph: GraphServer,
                                                         connected_db: Path) -> None:
    graph.state.latency = 0.4
    graph.state.requests.clear()
    window.sync_now()
    qtbot.waitUntil(lambda: window.progress.isVisible() and window.runner.busy)
    qtbot.waitUntil(lambda: bool(graph.state.requests), timeout=10_000)
    qtbot.mouseClick(window.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _finished(window), timeout=30_000)
    with sqlite3.connect(connected_db) as conn:
        (status,) = conn.execute("SELECT status FROM sync_runs ORDER BY id DESC").fetchone()
    assert status == "cancelled"
    assert "Cancelled" in window.statusBar().currentMessage()


def test_closing_the_window_mid_sync_cancels_and_waits(qtbot, connected_db: Path, tmp_path: Path,
                                                       graph: GraphServer) -> None:
    ui_app.application()
    store = open_store(connected_db)
    main = MainWindow(store, theme.LIGHT, settings_for(tmp_path / "s.ini"))
    qtbot.addWidget(main)
    main.show()
    graph.state.latency = 0.4
    graph.state.requests.clear()
    main.sync_now()
    qtbot.waitUntil(lambda: bool(graph.state.requests), timeout=10_000)
    main.close()
    assert not main.runner.busy  # it waited
    store.close()
    with sqlite3.connect(connected_db) as conn:
        statuses = [row[0] for row in conn.execute("SELECT status FROM sync_runs")]
    assert statuses and "running" not in statuses


def test_offline_is_a_normal_state(window, qtbot, monkeypatch) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("ENGAGE_GRAPH_URL", f"http://127.0.0.1:{port}/v26.0")
    window.sync_now()
    qtbot.waitUntil(lambda: _finished(window), timeout=30_000)
    assert window.sync_state == "offline"
    assert "refused the connection" in window.statusBar().currentMessage()


def test_the_sync_log_lists_runs_and_each_pages_problem(window, qtbot, qtmodeltester,
                                                        graph: GraphServer) -> None:
    state = graph.state
    state.expire(state.pages["333333333333333"].token, 460)
    window.sync_now()
    qtbot.waitUntil(lambda: _finished(window), timeout=30_000)
    log = window.open_sync_log()
    qtbot.addWidget(log)
    qtmodeltester.check(log.model)
    assert log.model.rowCount() == 1
    assert log.model.index(0, 1).data() == "⚠ In part"  # a mark and words, not colour
    assert "Example Leisure: Reconnect: the Facebook password was changed." in \
        log.details.toPlainText()
    log.grab().save(str(ARTIFACTS / "sync-log.png"))
