"""Alerts in the window: a scheduled sync (the command line, a separate process) that turned a
Page red leaves an alert the window shows when it next opens, as a number in the Alerts
action's text; the Alerts panel by keyboard (Enter selects the Page and marks it seen, Mark all
seen); a sync from the window reads the count again and decides on a desktop notice; and the
alert thresholds in Settings."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import pytest
from factories import LEISURE, green_a_week_ago
from graph_server import GraphServer
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QSystemTrayIcon

from engage_desktop.core import alerts
from engage_desktop.core.models import Alert
from engage_desktop.ui.alerts_dialog import NOTHING, notice, show_notice
from engage_desktop.ui.main_window.actions import MENUS, TOOLBAR, alerts_text
from engage_desktop.ui.settings_dialog import SettingsDialog

ARTIFACTS = Path(os.environ.get("ENGAGE_ARTIFACTS", "artifacts"))


@pytest.fixture
def connected(connected_db: Path) -> Path:
    green_a_week_ago(connected_db)
    return connected_db


def _finished(window) -> bool:
    return not window.runner.busy and window.sync_action.isEnabled()


def test_a_scheduled_sync_that_turned_a_page_red_shows_on_the_next_start(
        connected: Path, run_cli, qtbot, open_window) -> None:
    assert run_cli("sync", "--no-insights", "--db", str(connected)).returncode == 0
    window = open_window(connected)
    assert window.alerts_action.text() == "A&lerts (1)…"
    assert ("alerts_action" in TOOLBAR[1]
            and "alerts_action" in dict(MENUS)["&View"])
    dialog = window.open_alerts()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(dialog.list.hasFocus)
    first = dialog.model.item(0)
    assert first.text().startswith("New · ")
    assert " · Example Leisure turned red: 15 people per 1,000" in first.text()
    assert first.data(Qt.ItemDataRole.AccessibleTextRole) == first.text()
    ARTIFACTS.mkdir(exist_ok=True)
    dialog.grab().save(str(ARTIFACTS / "alerts-panel.png"))
    window.grab().save(str(ARTIFACTS / "alerts-window.png"))
    # Enter on the alert: its Page selected, the alert marked seen, the count gone
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)
    assert window.selected_page_ids() == [LEISURE]
    assert dialog.model.item(0).text().startswith("Seen · ")
    assert window.alerts_action.text() == "A&lerts…"
    assert window.store.unseen_alert_count() == 0
    dialog.close()


def test_mark_all_seen_and_a_sync_from_the_window(connected: Path, qtbot, open_window,
                                                  graph: GraphServer) -> None:
    window = open_window(connected)
    assert window.alerts_action.text() == "A&lerts…"
    dialog = window.open_alerts()
    assert dialog.model.item(0).text() == NOTHING
    assert not dialog.mark_all.isEnabled()
    told = []
    window.notify_alerts = told.append  # what the sync hands over to the notice
    window.sync_now()
    qtbot.waitUntil(lambda: _finished(window), timeout=30_000)
    assert [(a.page_id, a.kind) for a in told[0]] == [(LEISURE, "turned_red")]
    assert window.alerts_action.text() == "A&lerts (1)…"
    # the panel left open is read again
    assert "Example Leisure turned red" in dialog.model.item(0).text()
    dialog.mark_all.click()
    assert dialog.model.item(0).text() == NOTHING
    assert window.alerts_action.text() == "A&lerts…"
    # a second sync the same day finds nothing new
    told.clear()
    window.sync_now()
    qtbot.waitUntil(lambda: _finished(window), timeout=30_000)
    assert told == [[]]
    dialog.close()


def _alert(n: int, kind: str = "turned_red") -> Alert:
    return Alert(n, f"p{n}", f"Page {n}", kind, date(2026, 11, 24), {}, "…",
                 datetime(2026, 11, 24, 10), None)


def test_the_desktop_notice_says_what_and_how_many_and_never_crashes(qtbot) -> None:
    assert notice([]) is None
    title, text = notice([_alert(1), _alert(2, "stale")])
    assert title == "Engage Desktop: 2 new alerts"
    assert text.splitlines() == ["Page 1: turned red", "Page 2: no new figures",
                                 "Open Alerts in Engage Desktop to see them."]
    title, text = notice([_alert(n, "fell") for n in range(5)])
    assert title == "Engage Desktop: 5 new alerts" and "and 2 more" in text
    assert alerts_text(0) == "A&lerts…" and alerts_text(12) == "A&lerts (12)…"
    # offscreen there is no system tray: nothing is made, nothing breaks
    from PySide6.QtGui import QIcon

    tray = show_notice(None, [_alert(1)], QIcon())
    assert (tray is None) is (not QSystemTrayIcon.isSystemTrayAvailable())
    assert show_notice(None, [], QIcon()) is None


def test_the_alert_thresholds_in_settings(connected: Path, qtbot, open_window) -> None:
    window = open_window(connected)
    dialog = SettingsDialog(window.store, window.model.light, window.runner,
                            window.settings, window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert (dialog.fall_percent.value(), dialog.stale_days.value()) == (25, 8)
    assert dialog.fall_percent.accessibleName() and dialog.stale_days.accessibleName()
    dialog.fall_percent.setValue(40)
    dialog.stale_days.setValue(14)
    ARTIFACTS.mkdir(exist_ok=True)
    dialog.grab().save(str(ARTIFACTS / "settings-alerts.png"))
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert alerts.thresholds(window.store) == alerts.AlertThresholds(40, 14)


def test_read_only_the_alerts_show_and_none_is_marked_seen(connected: Path, run_cli, qtbot,
                                                          tmp_path: Path) -> None:
    from engage_desktop.core.store import open_store
    from engage_desktop.ui import theme
    from engage_desktop.ui.main_window import MainWindow, settings_for

    assert run_cli("sync", "--no-insights", "--db", str(connected)).returncode == 0
    store = open_store(connected, read_only=True)
    window = MainWindow(store, theme.LIGHT, settings_for(tmp_path / "settings.ini"))
    qtbot.addWidget(window)
    window.show()
    try:
        assert window.alerts_action.text() == "A&lerts (1)…"
        dialog = window.open_alerts()
        qtbot.waitUntil(dialog.list.hasFocus)
        assert not dialog.mark_all.isEnabled()
        assert "Not available: " in dialog.mark_all.toolTip()
        qtbot.keyClick(dialog.list, Qt.Key.Key_Return)
        assert window.selected_page_ids() == [LEISURE]  # the Page still selected
        assert dialog.model.item(0).text().startswith("New · ")
        assert window.alerts_action.text() == "A&lerts (1)…"
        dialog.close()
    finally:
        store.close()
