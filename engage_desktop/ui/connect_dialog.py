"""The Connect dialog: paste a token from Meta, see the Pages it gives and which are followed,
and follow other councils' public Pages to compare.

The token is checked before anything is sent (a web address, spaces, something too short to be
a token are refused with the reason), then connected in the background, an operation on the
window's queue, each job with its own database connection. The token is never shown in a
message: Meta's tokens are registered for redaction as soon as they are pasted.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from engage_desktop.core.accounts import (
    NO_PAGES,
    ConnectResult,
    FollowResult,
    connect,
    follow,
    page_ref,
)
from engage_desktop.core.errors import EngageError
from engage_desktop.core.services import job_tools
from engage_desktop.core.store import Store
from engage_desktop.core.tokens import (
    InvalidTokenTextError,
    Storage,
    VaultUnavailableError,
    clean_token,
)
from engage_desktop.ui import fitting, plain
from engage_desktop.ui.errors_shown import error_words
from engage_desktop.ui.operations import Operation, OperationQueue
from engage_desktop.ui.system_proxy import system_proxy_for
from engage_desktop.ui.words import in_window

MIN_TOKEN_LENGTH = 20  # Meta's tokens are far longer; anything shorter is a password or a slip
PAGE_ID_ROLE = Qt.ItemDataRole.UserRole
_SEPARATORS = re.compile(r"[\s,;]+")
_TASK_WORDS = {"MANAGE": "manage", "CREATE_CONTENT": "create content", "MODERATE": "moderate",
               "ADVERTISE": "advertise", "ANALYZE": "analyse", "MESSAGING": "message"}
_KIND_WORDS = {"own": "your Page", "public": "public Page", "imported": "imported Page"}
_INVALID_STYLE = "QLineEdit { border: 2px solid #c62828; }"
# How to get a token, in an officer's words, with Meta's own terms beside them (in italics)
# so that the screens of Meta Business Suite can be followed, and IT can be asked for them
HELP = (
    "<p>Engage Desktop reads your Pages' figures from Meta with a <b>token</b>: a long code, "
    "usually starting <i>EAA</i>, that lets it read figures and never post. Paste it below "
    "once; it is kept in this computer's password store (the <i>keyring</i>), never in a "
    "file. Never paste your Facebook password here.</p>"
    "<p>Two ways to get one:</p><ol>"
    "<li><b>A lasting token for the council</b> (best; Meta calls it a <i>system-user "
    "token</i>): someone who administers your council's business account in "
    "<a href='https://business.facebook.com/settings/system-users'>Meta Business Suite</a> "
    "opens <i>Settings → Business settings → System users</i>, picks the council's system "
    "user, presses <i>Generate new token</i> and ticks the three permissions to read Page "
    "figures, list the Pages and read their statistics (<i>pages_read_engagement</i>, "
    "<i>pages_show_list</i>, <i>read_insights</i>). Your digital team or IT can do this for "
    "you.</li>"
    "<li><b>A short-lived token for trying it out</b> (Meta calls it a <i>Page token</i>): in "
    "Meta's <a href='https://developers.facebook.com/tools/explorer/'>Graph API Explorer</a>, "
    "pick the app your digital team registered with Meta (<i>Meta App</i>), add the same three "
    "permissions, press <i>Generate Access Token</i>, choose the Page under <i>User or "
    "Page</i>, and copy the token. It stops working after a while.</li></ol>")


def check_pasted_token(text: str) -> str:
    """The token in what was pasted (trimmed), or :class:`InvalidTokenTextError` saying why it
    cannot be one. Nothing is sent anywhere, and the error never quotes the text."""
    lowered = text.strip().lower()
    if "://" in lowered or lowered.startswith("www.") or re.search(r"\b(facebook|fb)\.com\b",
                                                                  lowered):
        raise InvalidTokenTextError(
            "That is a web address, not an access token.",
            "Copy the token itself: the long string of letters and numbers Meta shows after "
            "you generate it (it usually starts with EAA).")
    token = clean_token(text)
    if len(token) < MIN_TOKEN_LENGTH:
        raise InvalidTokenTextError(
            "That is too short to be an access token: it looks like a password or part of a "
            "token.",
            "Engage Desktop never needs your Facebook password. Copy the whole token from "
            "Meta (usually well over a hundred characters, starting with EAA).")
    return token


def parse_page_refs(text: str) -> list[str]:
    """The Pages in what was typed: addresses, usernames or IDs separated by commas, semicolons,
    spaces or line breaks."""
    return [part for part in _SEPARATORS.split(text.strip()) if part]


def _connect_work(path: Path, pasted: str, session_only: bool, report,
                  cancel) -> ConnectResult:
    """Connect a token on its worker thread, with the job's own tools (the system proxy
    resolved there, as the window's sync does: a PAC script may be fetched)."""

    with job_tools(path, session_fallback=session_only,
                   system_proxy=system_proxy_for) as tools:
        return connect(tools.store, tools.vault, tools.graph, pasted)


def _follow_work(path: Path, refs: list[str], report, cancel) -> FollowResult:
    """Follow public Pages on its worker thread, with the job's own tools."""

    with job_tools(path, system_proxy=system_proxy_for) as tools:
        return follow(tools.store, tools.vault, tools.graph, refs)


class ConnectDialog(QDialog):
    def __init__(self, store: Store, runner: OperationQueue,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = runner
        self.result_data: ConnectResult | None = None
        self.followed: list[str] = []  # names of public Pages followed in this dialog
        self._operation: Operation | None = None  # under way or waiting: waited for on closing
        self._words = ""  # what the operation under way does
        self._pending_lines: list[str] = []  # what was refused before following the rest
        self.setWindowTitle("Connect to Facebook")
        self.setAccessibleName("Connect to Facebook")
        self.setAccessibleDescription(
            "Paste an access token from Meta to connect your Pages, choose which to follow, "
            "and follow other councils' public Pages to compare.")
        self.setMinimumWidth(640)

        # Step 1: the token ----------------------------------------------------------------
        help_text = QLabel(HELP)
        help_text.setWordWrap(True)
        help_text.setTextFormat(Qt.TextFormat.RichText)
        help_text.setOpenExternalLinks(True)
        help_text.setAccessibleName("How to get a token")
        self.token_edit = QLineEdit()
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setPlaceholderText("Paste the access token here")
        self.token_edit.setAccessibleName("Access token")
        self.token_edit.setAccessibleDescription(
            "The token is hidden while you type or paste it; use Show to check it.")
        self.token_edit.textEdited.connect(self._token_edited)
        self.token_edit.returnPressed.connect(self.connect_token)
        token_label = QLabel("Access &token:")
        token_label.setBuddy(self.token_edit)
        self.show_token = QCheckBox("S&how")
        self.show_token.setAccessibleName("Show the token")
        self.show_token.toggled.connect(self._show_token_toggled)
        self.connect_button = QPushButton("&Connect")
        self.connect_button.setAccessibleName("Connect the token")
        self.connect_button.setAutoDefault(False)
        self.connect_button.clicked.connect(self.connect_token)
        token_row = QHBoxLayout()
        token_row.addWidget(token_label)
        token_row.addWidget(self.token_edit, 1)
        token_row.addWidget(self.show_token)
        token_row.addWidget(self.connect_button)
        self.token_message = plain.label()
        self.token_message.setWordWrap(True)
        self.token_message.setAccessibleName("Token problem")
        self.token_message.hide()
        self.session_button = QPushButton("Use the token for this &session only")
        self.session_button.setAccessibleName("Use the token for this session only")
        self.session_button.setToolTip(
            "Keep the tokens in memory until Engage Desktop closes; you will need to connect "
            "again next time.")
        self.session_button.clicked.connect(self.connect_for_session)
        self.session_button.hide()
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumWidth(160)
        self.progress.setAccessibleName("Working")
        self.busy_label = plain.label()
        self.busy_label.setAccessibleName("Progress")
        busy_row = QHBoxLayout()
        busy_row.addWidget(self.progress)
        busy_row.addWidget(self.busy_label, 1)
        for widget in (self.progress, self.busy_label):
            widget.hide()

        # Step 2: the Pages ----------------------------------------------------------------
        self.pages_box = QGroupBox("Pages")
        self.summary = plain.label("No token connected in this window yet.")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Connection result")
        self.pages = QListWidget()
        self.pages.setAccessibleName("Pages: ticked ones are followed")
        self.pages.setAccessibleDescription(
            "Each Page with a tick box: ticked Pages are followed and synced; untick one to "
            "stop following it.")
        self.pages.setMinimumHeight(120)
        self.pages.itemChanged.connect(self._page_toggled)
        pages_label = QLabel("&Followed Pages (untick to stop following):")
        pages_label.setBuddy(self.pages)
        self.storage = plain.label()
        self.storage.setWordWrap(True)
        self.storage.setAccessibleName("Where the tokens are kept")
        self.storage.hide()
        pages_layout = QVBoxLayout(self.pages_box)
        pages_layout.addWidget(self.summary)
        pages_layout.addWidget(pages_label)
        pages_layout.addWidget(self.pages)
        pages_layout.addWidget(self.storage)

        # Public Pages to compare ----------------------------------------------------------
        compare = QGroupBox("Add public Pages to compare")
        self.public_edit = QLineEdit()
        self.public_edit.setPlaceholderText(
            "facebook.com addresses, usernames or IDs, separated by commas or spaces")
        self.public_edit.setAccessibleName("Public Pages to follow")
        self.public_edit.returnPressed.connect(self.follow_public)
        public_label = QLabel("P&ublic Pages:")
        public_label.setBuddy(self.public_edit)
        self.follow_button = QPushButton("F&ollow")
        self.follow_button.setAccessibleName("Follow these Pages")
        self.follow_button.setAutoDefault(False)
        self.follow_button.clicked.connect(self.follow_public)
        public_row = QHBoxLayout()
        public_row.addWidget(public_label)
        public_row.addWidget(self.public_edit, 1)
        public_row.addWidget(self.follow_button)
        self.public_results = QLabel()
        self.public_results.setWordWrap(True)
        self.public_results.setTextFormat(Qt.TextFormat.PlainText)
        self.public_results.setAccessibleName("Follow results")
        self.public_results.hide()
        compare_note = QLabel("Other councils' public Pages are read with the lasting "
                              "council token connected above (a user or system-user token).")
        compare_note.setWordWrap(True)
        compare_layout = QVBoxLayout(compare)
        compare_layout.addWidget(compare_note)
        compare_layout.addLayout(public_row)
        compare_layout.addWidget(self.public_results)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_button = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setAccessibleName("Close")
        self.close_button.setAutoDefault(False)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(help_text)
        layout.addLayout(token_row)
        layout.addWidget(self.token_message)
        layout.addWidget(self.session_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(busy_row)
        layout.addWidget(self.pages_box, 1)
        layout.addWidget(compare)
        layout.addWidget(self.buttons)
        # the dialog grows when results appear, rather than squeezing them over each other
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self.resize(720, 700)
        fitting.fit_dialog(self)
        self.setTabOrder(self.token_edit, self.show_token)
        self.setTabOrder(self.show_token, self.connect_button)
        self._list_pages()
        if self.pages.count():
            self.summary.setText("The Pages already connected or followed. Paste a token above "
                                 "to connect more, or to reconnect.")
        self.token_edit.setFocus()

    # Step 1 -------------------------------------------------------------------------------

    def _show_token_toggled(self, shown: bool) -> None:
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Normal if shown
                                    else QLineEdit.EchoMode.Password)

    def _token_edited(self) -> None:
        self._token_problem(None)
        self.session_button.hide()

    def _token_problem(self, text: str | None) -> None:
        """Show (or with None, clear) a problem with the token: the field is outlined and
        marked invalid, and the message says what is wrong in words."""
        self.token_edit.setStyleSheet(_INVALID_STYLE if text else "")
        self.token_edit.setProperty("invalid", bool(text))
        self.token_message.setText(f"Not connected: {text}" if text else "")
        self.token_message.setVisible(bool(text))
        self.token_edit.setAccessibleDescription(
            f"Problem: {text}" if text else
            "The token is hidden while you type or paste it; use Show to check it.")

    def connect_token(self) -> bool:
        """Check the pasted token and connect it in the background; False when it was refused
        before any request (or another job is running)."""
        return self._start_connect(session_only=False)

    def connect_for_session(self) -> bool:
        """Connect the token although no keyring works: its tokens last until the program
        exits."""
        return self._start_connect(session_only=True)

    def _start_connect(self, session_only: bool) -> bool:
        if self._operation is not None:
            return False
        try:
            token = check_pasted_token(self.token_edit.text())
        except InvalidTokenTextError as error:
            self._token_problem(error_words(error))
            self.token_edit.setFocus()
            self.token_edit.selectAll()
            return False
        self._token_problem(None)
        self.session_button.hide()
        operation = (Operation("connect", functools.partial(_connect_work, self.store.path,
                                                            token, session_only),
                               parent=self, then="connect")
                     .success(self._connected).failure(self._connect_failed))
        return self._start(operation, "Connecting to Meta and reading your Pages…")

    def _connected(self, result: ConnectResult) -> None:
        self.result_data = result
        self.token_edit.clear()  # kept in the keyring now, not in the window
        self.show_token.setChecked(False)
        count = len(result.pages)
        plural = "s" if count != 1 else ""
        if result.token_kind == "page":
            text = f"Connected the Page {result.owner_name} with its own Page token."
        else:
            text = (f"Connected {count or 'no'} Page{plural} with the token of "
                    f"{result.owner_name}"
                    f"{':' if count else '.'}")
            if result.nothing_listed:
                text += " " + " ".join(NO_PAGES)
        for name, why in result.skipped:
            text += f"\nNot connected: {name}: {why}."
        self.summary.setText(text)
        if result.storage is Storage.SESSION:
            self.storage.setText(
                "Tokens are kept for this session only: no keyring works on this computer, so "
                "they are forgotten when Engage Desktop closes and you will need to connect "
                "again. Ask IT to enable a keyring to keep them.")
        else:
            self.storage.setText(f"Tokens are kept in: {result.location}.")
        self.storage.show()
        self._list_pages()

    def _connect_failed(self, error: Exception) -> None:
        # Meta's reason for refusing a token (expired, password changed…) is in its message
        self._token_problem(error_words(error))
        if isinstance(error, VaultUnavailableError):
            self.session_button.show()  # as the command line says: the window can do this
        self.token_edit.setFocus()

    # Step 2 -------------------------------------------------------------------------------

    def _list_pages(self) -> None:
        """List the Pages a token gave (and the public Pages followed): ticked = followed."""
        with QSignalBlocker(self.pages):
            self.pages.clear()
            for page in self.store.pages():
                if page.kind == "imported":
                    continue
                item = QListWidgetItem()
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                              | Qt.ItemFlag.ItemIsSelectable)
                item.setData(PAGE_ID_ROLE, page.id)
                item.setData(Qt.ItemDataRole.UserRole + 1, self._role(page.id, page.kind))
                item.setData(Qt.ItemDataRole.UserRole + 2, page.name)
                item.setCheckState(Qt.CheckState.Checked if page.followed
                                   else Qt.CheckState.Unchecked)
                self._label(item)
                self.pages.addItem(item)
        self.pages_box.setTitle(f"Pages ({self.pages.count()})")

    def _role(self, page_id: str, kind: str) -> str:
        words = _KIND_WORDS.get(kind, kind)
        tasks = ()
        if self.result_data is not None:
            tasks = next((p.tasks for p in self.result_data.pages if p.page.id == page_id), ())
        if "MANAGE" in tasks:
            return f"{words}, you are an admin"
        if tasks:
            return f"{words}, you can {', '.join(_TASK_WORDS.get(t, t.lower()) for t in tasks)}"
        return words

    @staticmethod
    def _label(item: QListWidgetItem) -> None:
        followed = item.checkState() == Qt.CheckState.Checked
        state = "followed" if followed else "not followed"
        item.setText(f"{item.data(Qt.ItemDataRole.UserRole + 2)} — "
                     f"{item.data(Qt.ItemDataRole.UserRole + 1)} — {state}")
        item.setToolTip("Ticked: followed and synced. Untick to stop following this Page "
                        "(its history is kept)." if followed else
                        "Not followed: tick to follow and sync this Page again.")

    def _page_toggled(self, item: QListWidgetItem) -> None:
        followed = item.checkState() == Qt.CheckState.Checked
        self.store.set_followed([item.data(PAGE_ID_ROLE)], followed)
        with QSignalBlocker(self.pages):
            self._label(item)

    def page_items(self) -> dict[str, QListWidgetItem]:
        """The listed Pages' items by Page ID."""
        return {self.pages.item(row).data(PAGE_ID_ROLE): self.pages.item(row)
                for row in range(self.pages.count())}

    # Public Pages -------------------------------------------------------------------------

    def follow_public(self) -> bool:
        """Follow the public Pages typed in, in the background; False when nothing could be
        sent (nothing typed, none recognisable, or another job is running)."""
        if self._operation is not None:
            return False
        refs = parse_page_refs(self.public_edit.text())
        lines: list[str] = []
        valid: list[str] = []
        for ref in refs:
            try:
                page_ref(ref)
            except EngageError as error:
                lines.append(f"Not followed: {in_window(error.message)}")
            else:
                valid.append(ref)
        if not refs:
            lines.append("Type a Page's facebook.com address, its username or its ID.")
        self._public_results(lines)
        if not valid:
            self.public_edit.setFocus()
            return False
        operation = (Operation("follow", functools.partial(_follow_work, self.store.path, valid),
                               parent=self, then="follow the Pages")
                     .success(self._follow_done).failure(self._follow_failed))
        self._pending_lines = lines
        return self._start(operation, "Looking up the Pages on Facebook…")

    def _public_results(self, lines: list[str]) -> None:
        self.public_results.setText("\n".join(lines))
        self.public_results.setVisible(bool(lines))

    def _follow_done(self, result: FollowResult) -> None:
        lines = list(self._pending_lines)
        for page in result.added:
            lines.append(f"Followed: {page.name} ({page.id}).")
            self.followed.append(page.name)
        for ref, error in result.failed:
            lines.append(f"Not followed: {ref}: {error_words(error)}")
        self._public_results(lines)
        if not result.failed:
            self.public_edit.clear()
        self._list_pages()

    def _follow_failed(self, error: Exception) -> None:
        self._public_results([*self._pending_lines, f"Not followed: {error_words(error)}"])

    # Background jobs ----------------------------------------------------------------------

    def _start(self, operation: Operation, words: str) -> bool:
        """Run ``operation`` (True when it started at once; False while it waits its turn,
        the waiting words shown)."""
        self._operation = operation
        self._set_busy(True, words)
        self._words = words
        return (operation.waits(self.busy_label.setText).starts(self._started)
                .ends(self._ended).run(self.runner))

    def _started(self) -> None:
        self.busy_label.setText(self._words)

    def _ended(self) -> None:
        self._operation = None
        self._set_busy(False, "")

    def _set_busy(self, busy: bool, words: str) -> None:
        self.busy_label.setText(words)
        self.busy_label.setVisible(busy)
        self.progress.setVisible(busy)
        for widget in (self.connect_button, self.follow_button, self.session_button,
                       self.show_token, self.pages):
            widget.setEnabled(not busy)
        self.token_edit.setReadOnly(busy)
        self.public_edit.setReadOnly(busy)

    @property
    def busy(self) -> bool:
        return self._operation is not None

    def done(self, result: int) -> None:
        if self._operation is not None:
            # let a connect under way finish (its results are kept) before closing; one
            # still waiting its turn is taken out of the queue
            self.runner.stop(self._operation)
        super().done(result)
