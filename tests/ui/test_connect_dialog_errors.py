"""The Connect dialog when Meta lists no Pages for a user token: it says why (a business
portfolio, business_management) instead of "Connected 0 Pages"."""

from __future__ import annotations

from pathlib import Path

from graph_server import GraphServer
from PySide6.QtCore import Qt

from engage_desktop.core.accounts import NO_PAGES
from engage_desktop.core.store import open_store
from engage_desktop.ui import app as ui_app
from engage_desktop.ui.connect_dialog import ConnectDialog
from engage_desktop.ui.operations import InlineQueue


def test_no_pages_listed_says_business_portfolio(qtbot, tmp_path: Path, graph: GraphServer,
                                                 secret_service) -> None:
    user = graph.state.users["1000001"]
    user.page_ids = []
    ui_app.application()
    with open_store(tmp_path / "engage.sqlite") as store:
        dialog = ConnectDialog(store, InlineQueue())
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.token_edit.setText(user.token)
        qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
        text = dialog.summary.text()
        dialog.runner.stop()
    assert text.startswith("Connected no Pages with the token of Sam Officer.")
    assert " ".join(NO_PAGES) in text and "business_management" in text
