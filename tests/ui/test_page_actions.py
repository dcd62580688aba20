"""Pages from the traffic light: description, stop following, forget (token removed from a real
Secret Service), reconnect opens Connect."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from engage_desktop.core.tokens import TokenKey, TokenVault
from engage_desktop.ui.operations import InlineQueue
from engage_desktop.ui.traffic_model import PAGE, PAGE_ID_ROLE

LEISURE = "333333333333333"


@pytest.fixture
def window(open_window, connect_council, db_path: Path):
    return open_window(connect_council(db_path), runner=InlineQueue())


def _actions(menu) -> dict[str, object]:
    return {action.text().replace("&", ""): action for action in menu.actions()
            if action.text()}


def _names(window) -> list[str]:
    return [row.page.name for row in window.model.rows]


def test_a_page_description_is_kept_and_shown_in_its_tooltip(window) -> None:
    def write(dialog) -> int:
        dialog.text.setPlainText("Run by the leisure team; posts on Fridays.")
        dialog.accept()
        return dialog.result()

    window.run_description_dialog = write
    _actions(window.page_menu(LEISURE))["Description of this Page…"].trigger()
    assert window.store.page(LEISURE).description == "Run by the leisure team; posts on Fridays."
    row = next(r for r in range(window.model.rowCount())
               if window.model.index(r, PAGE).data(PAGE_ID_ROLE) == LEISURE)
    assert "posts on Fridays" in window.model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)


def test_stop_following_keeps_the_history(window) -> None:
    assert "Example Leisure" in _names(window)
    _actions(window.page_menu(LEISURE))["Stop following (keep its history)"].trigger()
    assert "Example Leisure" not in _names(window)
    assert window.store.page(LEISURE) is not None and not window.store.page(LEISURE).followed
    assert "history is kept" in window.statusBar().currentMessage()


def test_forget_removes_the_token_after_asking(window, secret_service) -> None:
    vault = TokenVault()
    assert vault.get(TokenKey.page(LEISURE))
    assert window.forget_page(LEISURE, confirm=lambda parent, page: False) is False
    assert vault.get(TokenKey.page(LEISURE))  # nothing happens without a yes
    assert window.forget_page(LEISURE, confirm=lambda parent, page: True)
    assert vault.get(TokenKey.page(LEISURE)) is None
    assert "Example Leisure" not in _names(window)
    assert "Forgot Example Leisure" in window.statusBar().currentMessage()


def test_reconnect_opens_the_connect_dialog(window) -> None:
    opened = []
    window.connect_dialog_factory = lambda store, runner, parent: (
        opened.append(store) or QDialog(parent))
    window.run_connect_dialog = lambda dialog: 0
    _actions(window.page_menu(LEISURE))["Reconnect (a new token)…"].trigger()
    assert opened == [window.store]


def test_a_description_that_cannot_be_saved_keep_the_dialog_open_with_the_text(window) -> None:
    kept = []

    def write(dialog) -> int:
        dialog.text.setPlainText("x" * 2001)
        dialog.accept()  # refused: over 2,000 characters
        kept.append((dialog.result(), dialog.text.toPlainText(), dialog.problem.text()))
        dialog.reject()
        return dialog.result()

    window.run_description_dialog = write
    assert window.edit_page_description(LEISURE) is False
    ((result, text, problem),) = kept
    assert result != QDialog.DialogCode.Accepted  # not closed by the refused save
    assert text == "x" * 2001 and "2,000" in problem and problem.startswith("Not saved")
    assert window.store.page(LEISURE).description is None
