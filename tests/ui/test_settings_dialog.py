"""Settings: thresholds with a live count, network settings refused in the dialog with the
field marked, Test connection against the loopback server, the daily-sync commands."""

from __future__ import annotations

import os
import socket
from datetime import timedelta
from pathlib import Path

import pytest
import trustme
from graph_server import GraphServer
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from engage_desktop.core import traffic_light
from engage_desktop.core.engagement import Mode
from engage_desktop.core.services import network_settings
from engage_desktop.core.timeutil import utc_now
from engage_desktop.ui.operations import InlineQueue
from engage_desktop.ui.preferences import SYNC_ON_OPEN
from engage_desktop.ui.settings_dialog import (
    SettingsDialog,
    cron_line,
    windows_schedule,
)

ARTIFACTS = Path(os.environ.get("ENGAGE_ARTIFACTS", "artifacts"))


@pytest.fixture
def window(open_window, demo_path: Path):
    return open_window(demo_path, runner=InlineQueue())


def _dialog(window, qtbot) -> SettingsDialog:
    dialog = SettingsDialog(window.store, window.model.light, window.runner, window.settings,
                            window)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_thresholds_preview_live_and_saving_redraws_the_traffic_light(window, qtbot) -> None:
    opened = []
    window.run_settings_dialog = lambda dialog: (opened.append(dialog), _save(dialog))[1]

    def _save(dialog) -> int:
        assert "12 Pages would be" in dialog.preview.text()
        before = dialog.preview.text()
        dialog.green.setValue(70)
        dialog.amber.setValue(40)
        assert dialog.preview.text() != before and "green" in dialog.preview.text()
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
        return dialog.result()

    assert window.open_settings()
    assert window.store.thresholds().amber == 40 and window.store.thresholds().green == 70
    assert window.model.light.thresholds.green == 70
    assert window.summary.text().strip() == traffic_light.build(window.store).summary()


def test_thresholds_out_of_order_are_refused_with_the_fields_marked(window, qtbot) -> None:
    dialog = _dialog(window, qtbot)
    dialog.amber.setValue(60)
    dialog.green.setValue(30)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert not save.isEnabled()
    assert "Cannot use these" in dialog.preview.text() and "below" in dialog.preview.text()
    assert dialog.amber.styleSheet() and dialog.green.styleSheet()
    dialog.mode.setCurrentIndex(dialog.mode.findData(Mode.RELATIVE))
    dialog.green.setValue(80)
    assert save.isEnabled() and not dialog.amber.styleSheet()
    ARTIFACTS.mkdir(exist_ok=True)
    dialog.grab().save(str(ARTIFACTS / "settings-thresholds.png"))


@pytest.mark.parametrize(("field", "value", "message"), [
    ("proxy_url", "proxy.council.gov.uk:8080", "has no scheme"),
    ("proxy_url", "socks5://proxy:1080", "SOCKS"),
    ("ca_file", "not-pem", "not a PEM certificate"),
    ("version", "26", "not a Graph API version"),
])
def test_bad_network_settings_are_refused_in_the_dialog(window, qtbot, tmp_path: Path,
                                                        field, value, message) -> None:
    dialog = _dialog(window, qtbot)
    dialog.tabs.setCurrentIndex(dialog.advanced_tab)
    if field == "proxy_url":
        dialog.proxy_buttons["manual"].setChecked(True)
    if value == "not-pem":
        path = tmp_path / "ca.txt"
        path.write_text("hello")
        value = str(path)
    getattr(dialog, field).setText(value)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert message in dialog.problem.text() and dialog.problem.text().startswith("Needs")
    assert getattr(dialog, field).styleSheet()  # the field is marked, besides the words
    assert network_settings(window.store).proxy_mode == "system"  # nothing saved


def test_good_network_settings_are_saved(window, qtbot, tmp_path: Path) -> None:
    ca = trustme.CA()
    pem = tmp_path / "council-root.pem"
    ca.cert_pem.write_to_path(str(pem))
    dialog = _dialog(window, qtbot)
    dialog.proxy_buttons["manual"].setChecked(True)
    dialog.proxy_url.setText("http://proxy.council.gov.uk:8080")
    dialog.ca_file.setText(str(pem))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    saved = network_settings(window.store)
    assert (saved.proxy_mode, saved.proxy_url, saved.extra_ca_file) == (
        "manual", "http://proxy.council.gov.uk:8080", str(pem))


def test_test_connection_reports_success_and_refusal_in_words(window, qtbot,
                                                              graph: GraphServer,
                                                              monkeypatch) -> None:
    dialog = _dialog(window, qtbot)
    dialog.tabs.setCurrentIndex(dialog.advanced_tab)
    dialog.proxy_buttons["none"].setChecked(True)
    dialog.test_connection()
    assert dialog.test_result.text().startswith("✔ Works: Reached 127.0.0.1 directly")
    assert "Result: HTTP" in dialog.diagnosis.toPlainText()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("ENGAGE_GRAPH_URL", f"http://127.0.0.1:{port}/v26.0")
    dialog.test_connection()
    assert dialog.test_result.text().startswith("✖ Does not work:")
    assert "refused the connection" in dialog.test_result.text()
    assert "refused" in dialog.diagnosis.toPlainText()
    dialog.grab().save(str(ARTIFACTS / "settings-network.png"))


def test_daily_sync_commands_and_sync_on_open(window, qtbot) -> None:
    dialog = _dialog(window, qtbot)
    assert "sync --db" in cron_line(window.store.path)
    assert str(window.store.path) in cron_line(window.store.path)
    dialog.sync_on_open.setChecked(True)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert SYNC_ON_OPEN.get(window.settings)
    started = []
    window.sync_now = lambda: started.append(True) or True
    assert window.sync_if_due()  # the demo has never synced
    run = window.store.start_sync_run()
    window.store.finish_sync_run(run, "ok", pages_ok=1, pages_failed=0, requests=1,
                                 message="ok")
    assert not window.sync_if_due()
    assert utc_now() - window.store.sync_runs(1)[0].started_at < timedelta(hours=1)


def test_the_cron_line_reaches_the_keyring_and_survives_a_percent_sign() -> None:
    line = cron_line(Path("/home/jo/100% sure/engage.sqlite"))
    assert line.startswith("30 7 * * * ")
    assert "100\\% sure" in line  # cron would end the command at a bare %
    if os.name == "posix":
        assert f"DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/{os.getuid()}/bus" in line


def test_thresholds_and_sync_come_first_and_the_network_is_for_it(window, qtbot) -> None:
    dialog = _dialog(window, qtbot)
    titles = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert titles == ["&Traffic light", "&Daily sync", "Ad&vanced (for IT)"]
    advanced = dialog.tabs.widget(dialog.advanced_tab)
    for field in (dialog.proxy_url, dialog.ca_file, dialog.version, dialog.test_button,
                  dialog.diagnosis):
        assert advanced.isAncestorOf(field)
    assert dialog.diagnosis.isReadOnly()  # selectable and copyable, not editable


def test_the_daily_sync_commands_are_shown_whole(window, qtbot) -> None:
    dialog = _dialog(window, qtbot)
    dialog.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: dialog.schedule_commands[0].isVisible())
    for text, command in zip(dialog.schedule_commands,
                             (windows_schedule(window.store.path),
                              cron_line(window.store.path)), strict=True):
        assert text.toPlainText() == command
        # wrapped onto lines, nothing scrolled out of sight sideways or below
        assert text.horizontalScrollBar().maximum() == 0
        assert text.verticalScrollBar().maximum() == 0, text.accessibleName()
    ARTIFACTS.mkdir(exist_ok=True)
    dialog.grab().save(str(ARTIFACTS / "settings-daily-sync.png"))
