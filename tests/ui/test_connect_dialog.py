"""The Connect dialog: pasting a token (checked before anything is sent), the Pages it gives with
tick boxes, where the tokens are kept (or session-only use without a keyring), following public
Pages, and the whole path from an empty database to a filled traffic light; against the
loopback Graph API and a real Secret Service."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from graph_server import GraphServer
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QToolBar,
    QWidget,
)

from engage_desktop.core.engagement import Status
from engage_desktop.core.store import Store, open_store
from engage_desktop.core.tokens import SERVICE, TokenKey, TokenVault
from engage_desktop.ui import app as ui_app
from engage_desktop.ui import theme
from engage_desktop.ui.connect_dialog import ConnectDialog, check_pasted_token
from engage_desktop.ui.main_window import MainWindow, settings_for
from engage_desktop.ui.operations import InlineQueue, OperationQueue

ARTIFACTS = Path(os.environ.get("ENGAGE_ARTIFACTS", "artifacts"))
OWN_IDS = {"111111111111111", "222222222222222", "333333333333333"}


@pytest.fixture
def dialog(qtbot, store: Store):
    ui_app.application()
    made = ConnectDialog(store, InlineQueue())
    qtbot.addWidget(made)
    made.show()
    yield made
    made.runner.stop()


def _user_token(graph: GraphServer) -> str:
    return graph.state.users["1000001"].token


def _connect(qtbot, dialog: ConnectDialog, token: str) -> None:
    dialog.token_edit.setText(token)
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)


def _texts(root: QWidget) -> list[str]:
    """Every text a person (or a screen reader) can get from the dialog, except what is typed
    into the token field itself."""
    texts = [root.windowTitle()]
    for widget in [root, *root.findChildren(QWidget)]:
        texts += [widget.toolTip(), widget.statusTip(), widget.whatsThis(),
                  widget.accessibleName(), widget.accessibleDescription()]
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QGroupBox):
            texts.append(widget.title())
        if isinstance(widget, QLineEdit):
            texts.append(widget.placeholderText())
            if widget is not getattr(root, "token_edit", None):
                texts.append(widget.text())
        if isinstance(widget, QListWidget):
            for row in range(widget.count()):
                texts += [widget.item(row).text(), widget.item(row).toolTip() or ""]
    return texts


def test_a_user_token_connects_the_councils_pages_with_tick_boxes(
        qtbot, dialog: ConnectDialog, store: Store, graph: GraphServer, secret_service) -> None:
    assert dialog.token_edit.echoMode() is QLineEdit.EchoMode.Password
    _connect(qtbot, dialog, f"  {_user_token(graph)}\n")  # pasted with spaces and a newline
    items = dialog.page_items()
    assert set(items) == OWN_IDS
    assert all(item.checkState() == Qt.CheckState.Checked for item in items.values())
    borough = items["111111111111111"].text()
    assert "Example Borough Council" in borough and "your Page" in borough
    assert "admin" in borough and borough.endswith("— followed")
    assert "Connected 3 Pages with the token of Sam Officer" in dialog.summary.text()
    assert dialog.storage.text().startswith("Tokens are kept in: Secret Service")
    assert dialog.token_edit.text() == ""  # kept in the keyring, not in the window
    assert not dialog.token_message.isVisible() and not dialog.session_button.isVisible()

    pages = {page.id: page for page in store.pages()}
    assert set(pages) == OWN_IDS
    assert all(page.followed and page.kind == "own" and page.token_status == "ok"
               for page in pages.values())
    vault = TokenVault()
    for page_id in OWN_IDS:
        assert vault.get(TokenKey.page(page_id)) == graph.state.pages[page_id].token
    assert vault.get(TokenKey.user("1000001")) == _user_token(graph)
    assert secret_service.get_password(SERVICE, "user:1000001") == _user_token(graph)

    # unticking a Page stops following it (its token and history stay)
    items["333333333333333"].setCheckState(Qt.CheckState.Unchecked)
    assert store.page("333333333333333").followed is False
    assert items["333333333333333"].text().endswith("— not followed")
    items["333333333333333"].setCheckState(Qt.CheckState.Checked)
    assert store.page("333333333333333").followed is True


def test_the_show_box_reveals_the_token_and_hides_it_again(qtbot, dialog: ConnectDialog) -> None:
    qtbot.mouseClick(dialog.show_token, Qt.MouseButton.LeftButton)
    assert dialog.token_edit.echoMode() is QLineEdit.EchoMode.Normal
    qtbot.keyClick(dialog.show_token, Qt.Key.Key_Space)
    assert dialog.token_edit.echoMode() is QLineEdit.EchoMode.Password


@pytest.mark.parametrize(("pasted", "reason"), [
    ("https://www.facebook.com/ExampleBoroughCouncil", "web address"),
    ("facebook.com/ExampleBoroughCouncil", "web address"),
    ("", "No token was given"),
    ("   \n", "No token was given"),
    ("EAAFAKEuser TOKEN0123456789", "spaces"),
    ("hunter2", "too short"),
    ("Summer2024", "too short"),
])
def test_a_bad_paste_is_refused_before_any_request(qtbot, dialog: ConnectDialog,
                                                   graph: GraphServer, secret_service,
                                                   pasted: str, reason: str) -> None:
    dialog.token_edit.setText(pasted)
    assert dialog.connect_token() is False
    assert graph.state.requests == []
    assert dialog.token_message.isVisible() and reason in dialog.token_message.text()
    assert dialog.token_edit.property("invalid") is True and dialog.token_edit.styleSheet()
    assert reason in dialog.token_edit.accessibleDescription()  # told, not only outlined
    if pasted.strip():
        assert pasted.strip() not in "\n".join(_texts(dialog))
    # typing again clears the complaint
    qtbot.keyClicks(dialog.token_edit, "x")
    assert not dialog.token_message.isVisible() and not dialog.token_edit.property("invalid")


def test_check_pasted_token_trims_and_accepts_a_bearer_prefix() -> None:
    assert check_pasted_token("  Bearer EAAFAKEuserTOKEN0123456789 \r\n") == (
        "EAAFAKEuserTOKEN0123456789")


def test_an_expired_token_shows_metas_reason_in_words(qtbot, dialog: ConnectDialog,
                                                      store: Store, graph: GraphServer,
                                                      secret_service) -> None:
    token = _user_token(graph)
    graph.state.expire(token, 463)
    _connect(qtbot, dialog, token)
    message = dialog.token_message.text()
    assert "The token no longer works: the token expired." in message
    assert "Reconnect" in message
    assert dialog.token_edit.property("invalid") is True
    assert dialog.page_items() == {} and store.pages() == []
    assert secret_service.get_password(SERVICE, "user:1000001") is None
    assert token not in "\n".join(_texts(dialog))
    ARTIFACTS.mkdir(exist_ok=True)
    dialog.grab().save(str(ARTIFACTS / "connect-dialog-expired.png"))


def test_without_a_keyring_the_token_can_be_used_for_this_session(
        qtbot, dialog: ConnectDialog, store: Store, graph: GraphServer) -> None:
    _connect(qtbot, dialog, _user_token(graph))  # the tests' keyring fails, as with none
    assert "is not available to Engage Desktop" in dialog.token_message.text()
    assert dialog.session_button.isVisible() and dialog.page_items() == {}
    assert store.pages() == []
    qtbot.mouseClick(dialog.session_button, Qt.MouseButton.LeftButton)
    assert set(dialog.page_items()) == OWN_IDS
    assert "for this session only" in dialog.storage.text()
    assert not dialog.session_button.isVisible()
    # any vault in the program (a sync's) reads them until it exits
    assert TokenVault().get(TokenKey.page("111111111111111")) == (
        graph.state.pages["111111111111111"].token)


def test_a_public_page_is_followed_by_username_and_each_ref_gets_its_answer(
        qtbot, dialog: ConnectDialog, store: Store, graph: GraphServer, secret_service) -> None:
    _connect(qtbot, dialog, _user_token(graph))
    graph.state.requests.clear()
    dialog.public_edit.setText("ExampleCounty, NoSuchCouncil https://example.org/council")
    qtbot.mouseClick(dialog.follow_button, Qt.MouseButton.LeftButton)
    results = dialog.public_results.text()
    assert "Followed: Example County Council (555555555555555)." in results
    assert "Not followed: NoSuchCouncil:" in results
    assert "Not followed: 'https://example.org/council' is not a Page ID" in results
    assert all("example.org" not in r.path for r in graph.state.requests)  # refused first
    county = store.page("555555555555555")
    assert county.followed and county.kind == "public"
    item = dialog.page_items()["555555555555555"]
    assert "public Page" in item.text() and item.checkState() == Qt.CheckState.Checked
    assert dialog.public_edit.text()  # kept, to fix the one that failed


def test_following_without_a_user_token_says_to_connect_one(qtbot, dialog: ConnectDialog,
                                                            graph: GraphServer) -> None:
    dialog.public_edit.setText("ExampleCounty")
    qtbot.keyClick(dialog.public_edit, Qt.Key.Key_Return)
    assert "needs a user or system-user token" in dialog.public_results.text()
    assert graph.state.requests == []


def test_the_token_never_appears_in_the_dialogs_texts(qtbot, dialog: ConnectDialog,
                                                      graph: GraphServer,
                                                      secret_service) -> None:
    token = _user_token(graph)
    page_tokens = [page.token for page in graph.state.pages.values() if page.token]
    dialog.token_edit.setText(token)
    qtbot.mouseClick(dialog.show_token, Qt.MouseButton.LeftButton)  # shown while checking
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    dialog.public_edit.setText("ExampleDistrictCouncil")
    dialog.follow_public()
    texts = "\n".join(_texts(dialog))
    assert "Example District Council" in texts  # the walk does see the results
    for secret in [token, *page_tokens]:
        assert secret not in texts
    assert dialog.token_edit.text() == ""
    assert dialog.token_edit.echoMode() is QLineEdit.EchoMode.Password  # hidden again


def test_the_real_runner_connects_in_the_background(qtbot, store: Store, graph: GraphServer,
                                                    secret_service) -> None:
    ui_app.application()
    runner = OperationQueue()
    made = ConnectDialog(store, runner)
    qtbot.addWidget(made)
    made.show()
    graph.state.latency = 0.3
    _connect(qtbot, made, _user_token(graph))
    assert made.busy and made.progress.isVisible()  # the click returned at once
    assert not made.connect_button.isEnabled() and made.token_edit.isReadOnly()
    assert "Connecting to Meta" in made.busy_label.text()
    qtbot.waitUntil(lambda: not made.busy, timeout=30_000)
    assert set(made.page_items()) == OWN_IDS
    assert made.connect_button.isEnabled() and not made.progress.isVisible()
    runner.stop()


def test_from_an_empty_database_to_a_traffic_light(qtbot, tmp_path: Path, graph: GraphServer,
                                                   secret_service) -> None:
    ui_app.application()
    store = open_store(tmp_path / "engage.sqlite")
    window = MainWindow(store, theme.LIGHT, settings_for(tmp_path / "settings.ini"))
    qtbot.addWidget(window)
    window.resize(1400, 820)
    window.show()
    try:
        assert window.stack.currentIndex() == 0  # the empty state, which points at Connect
        empty = window.stack.widget(0).findChild(QLabel)
        assert "Connect…" in empty.text() and "engage-desktop connect" not in empty.text()
        toolbar = window.findChild(QToolBar, "main-toolbar")
        actions = toolbar.actions()
        assert actions.index(window.connect_action) < actions.index(window.sync_action)

        def drive(dialog: ConnectDialog) -> int:
            dialog.show()
            _connect(qtbot, dialog, _user_token(graph))
            qtbot.waitUntil(lambda: not dialog.busy, timeout=30_000)
            dialog.public_edit.setText("https://www.facebook.com/ExampleCounty")
            dialog.follow_public()
            qtbot.waitUntil(lambda: not dialog.busy, timeout=30_000)
            assert len(dialog.page_items()) == 4
            ARTIFACTS.mkdir(exist_ok=True)
            dialog.grab().save(str(ARTIFACTS / "connect-dialog.png"))
            dialog.reject()
            return dialog.result()

        window.run_connect_dialog = drive
        window.connect_action.trigger()
        assert window.stack.currentIndex() == 1  # the Pages are listed, waiting for a sync
        assert len(window.model.rows) == 4
        window.sync_now()
        qtbot.waitUntil(lambda: not window.runner.busy and window.sync_action.isEnabled(),
                        timeout=30_000)
        statuses = {row.page.name: row.status for row in window.model.rows}
        assert Status.RED in statuses.values() and Status.AMBER in statuses.values()
        assert Status.NO_DATA not in statuses.values()
    finally:
        window.runner.stop()
        window.close()
        store.close()
