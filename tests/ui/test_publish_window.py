"""File → Publish for the team…: the folder is chosen and remembered, the copy is written in
the background, and the last publish time is shown; a refusal is said in the dialog."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt

from engage_desktop.core.publishing import COPY_NAME
from engage_desktop.ui.preferences import PUBLISH_FOLDER
from engage_desktop.ui.publish_dialog import PublishDialog

ARTIFACTS = Path("artifacts")


def _menu_texts(window, title: str) -> list[str]:
    return [action.text() for action in window.menus[title].actions()]


def test_publish_for_the_team_from_the_file_menu(window, qtbot, tmp_path: Path,
                                                 demo_path: Path) -> None:
    assert "Publish for the &team…" in _menu_texts(window, "File")
    window.publish_action.trigger()
    dialog = next(widget for widget in window.findChildren(PublishDialog)
                  if widget.isVisible())
    qtbot.waitExposed(dialog)
    assert dialog.last.text() == "Choose the team's folder first."
    assert not dialog.publish_button.isEnabled()
    folder = tmp_path / "team"
    dialog.folder.setText(str(folder))
    assert dialog.last.text() == "Not published to this folder yet."
    qtbot.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.published is not None and dialog.publish_button.isEnabled(),
                    timeout=30000)
    assert dialog.outcome.text().startswith("Published 12 Pages (")
    assert str(folder / COPY_NAME) in dialog.outcome.text()
    assert dialog.last.text().endswith(", from demo.sqlite.")
    conn = sqlite3.connect(f"{(folder / COPY_NAME).as_uri()}?mode=ro", uri=True)
    assert conn.execute("SELECT count(*) FROM traffic_light").fetchone()[0] == 12
    conn.close()
    ARTIFACTS.mkdir(exist_ok=True)
    dialog.grab().save(str(ARTIFACTS / "publish-dialog.png"))
    dialog.close()
    # the folder is remembered, with the time it was last published
    window.publish_action.trigger()
    again = next(widget for widget in window.findChildren(PublishDialog)
                 if widget.isVisible())
    assert again.folder.text() == str(folder)
    assert window.settings.value(PUBLISH_FOLDER.key) == str(folder)
    assert again.last.text().endswith(", from demo.sqlite.")
    again.close()


def test_a_refusal_is_said_in_the_dialog(qtbot, demo_path: Path, open_window) -> None:
    window = open_window(demo_path)
    dialog = window.open_publish()
    dialog.folder.setText(str(demo_path))  # the database itself
    assert dialog.publish()
    qtbot.waitUntil(lambda: dialog.outcome.text().startswith("Could not publish:")
                    and dialog.publish_button.isEnabled(), timeout=30000)
    assert "is the database itself" in dialog.outcome.text()
    assert "engage-desktop" not in dialog.outcome.text()
    dialog.close()


def test_publishing_waits_for_the_task_under_way(window, qtbot, tmp_path: Path) -> None:
    import threading

    from engage_desktop.ui.operations import Operation

    release = threading.Event()
    busy = Operation("sync", lambda _report, _cancel: release.wait(30))
    assert window.runner.start(busy)
    try:
        dialog = window.open_publish()
        dialog.folder.setText(str(tmp_path / "team"))
        assert not dialog.publish_button.isEnabled()
        assert not dialog.publish()
        assert dialog.outcome.text() == ("Waiting for the sync under way to finish, "
                                         "then it will publish.")
    finally:
        release.set()
    qtbot.waitUntil(lambda: dialog.publish_button.isEnabled(), timeout=30000)
    assert dialog.publish()
    qtbot.waitUntil(lambda: dialog.published is not None, timeout=30000)
    assert (tmp_path / "team" / COPY_NAME).is_file()
    dialog.close()
