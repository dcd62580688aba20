"""What an officer can do with a Page from the traffic light (right-click, or the menu key):
stop following it, forget it (remove its token), reconnect it, and describe it
(who runs it, what it is for). Names come from Meta, so there is nothing to rename."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from engage_desktop.core.accounts import forget
from engage_desktop.core.errors import EngageError
from engage_desktop.core.models import Page
from engage_desktop.core.services import job_tools
from engage_desktop.core.store import Store
from engage_desktop.ui import fitting, plain
from engage_desktop.ui.errors_shown import error_words
from engage_desktop.ui.plain import mnemonic_safe


class PageDescriptionDialog(QDialog):
    """The officer's own description of a Page: who runs it, what it is for."""

    def __init__(self, page: Page, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.page = page
        self.store = store
        self.setWindowTitle(f"Description of {page.name}")
        self.setAccessibleName(f"Description of {page.name}")
        self.resize(520, 300)
        label = plain.label(f"&Description of {mnemonic_safe(page.name)}:")
        label.setWordWrap(True)
        self.text = QPlainTextEdit(page.description or "")
        self.text.setPlaceholderText("Who runs it, what it is for, anything to remember")
        self.text.setAccessibleName("Description of the Page")
        self.text.setAccessibleDescription("Who runs it, what it is for, anything to remember")
        self.text.setToolTip("Your own description of this Page: who runs it, what it is for, "
                             "anything to remember. It is shown when pointing at the Page.")
        self.text.setTabChangesFocus(True)
        label.setBuddy(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.problem = plain.label()
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("Why the description was not saved")
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        fitting.fit_dialog(self)

    def accept(self) -> None:
        """Save, and close only when saved: a refusal is explained and the text is kept."""
        problem = save_description(self.store, self.page, self.text.toPlainText())
        if problem:
            self.problem.setText(f"Not saved: {problem}")
            return
        super().accept()


def page_menu(parent: QWidget, page: Page, *, stop_following: Callable[[], None],
              forget: Callable[[], None], reconnect: Callable[[], None],
              edit_description: Callable[[], None], read_only: str | None = None) -> QMenu:
    """The menu for one Page (the caller shows it). With ``read_only`` (why the database
    cannot be changed) its items are disabled, each saying why in its tooltip."""
    menu = QMenu(parent)
    menu.setAccessibleName(f"Actions for {page.name}")
    items = [menu.addAction("&Description of this Page…", edit_description)]
    if page.kind == "own":
        items.append(menu.addAction("&Reconnect (a new token)…", reconnect))
    menu.addSeparator()
    items.append(menu.addAction("&Stop following (keep its history)", stop_following))
    if page.kind == "own":
        items.append(menu.addAction("&Forget: stop following and remove its token…", forget))
    if read_only:
        menu.setToolTipsVisible(True)
        for item in items:
            item.setEnabled(False)
            item.setToolTip(f"Not available: {read_only}")
    return menu


def confirm_forget(parent: QWidget, page: Page) -> bool:
    return forget_question(parent, page).exec() == QMessageBox.StandardButton.Yes


def forget_question(parent: QWidget, page: Page) -> QMessageBox:
    """The question asked before forgetting a Page (No by default)."""
    box = QMessageBox(
        QMessageBox.Icon.Question, "Forget this Page?",
        f"Stop following {page.name} and remove its token from this computer's keyring? "
        "Its history stays; connect a token again to follow it again.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # the name as written, never as markup
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box


def forget_work(path: Path, page_id: str, report, cancel) -> list[str]:
    """Forget a Page with the job's own tools (the keyring is not touched on the GUI
    thread)."""
    with job_tools(path) as tools:
        return forget(tools.store, tools.vault, [page_id])


def save_description(store: Store, page: Page, text: str) -> str | None:
    """Store the description; the error's words when they cannot be stored."""
    try:
        store.set_page_description(page.id, text)
    except EngageError as error:
        return error_words(error)
    return None
