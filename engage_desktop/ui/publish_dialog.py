"""File → Publish for the team…: choose the team's folder (remembered), see when the copy
there was last published, and publish a new one in the background (the core's
:func:`engage_desktop.core.publishing.publish`, on the window's task runner)."""

from __future__ import annotations

import functools
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from engage_desktop.core import publishing
from engage_desktop.core.errors import EngageError
from engage_desktop.core.redaction import redact
from engage_desktop.core.timeutil import UK
from engage_desktop.ui import fitting, plain, preferences
from engage_desktop.ui.tasks import Task, TaskRunner
from engage_desktop.ui.words import error_text

EXPLAINED = (
    "Writes a copy of this database into a folder your colleagues can read, such as the "
    "team's folder on the network drive, as engage.sqlite with metadata.json. IT can serve "
    "it as web pages with Datasette. Your own database is only read, and no token is in it. "
    "A copy published before in that folder is replaced.")


def publish_work(db_path: Path, folder: Path, _report, _cancel) -> publishing.Published:
    """The job: its own connection to the database (it runs on the task runner's thread)."""
    from engage_desktop.core.store import open_store

    with open_store(db_path, create=False) as store:
        return publishing.publish(store, folder)


def _when(moment) -> str:
    return f"{moment.astimezone(UK):%a %d %b %Y at %H:%M}"


class PublishDialog(QDialog):
    def __init__(self, db_path: Path, runner: TaskRunner, settings: QSettings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db_path = db_path
        self.runner = runner
        self.settings = settings
        self.task: Task | None = None
        self.published: publishing.Published | None = None
        self.setWindowTitle("Publish for the team")
        self.setAccessibleName("Publish for the team")

        explained = plain.label(EXPLAINED)
        explained.setWordWrap(True)
        self.folder = QLineEdit(preferences.PUBLISH_FOLDER.get(settings))
        self.folder.setAccessibleName("Team folder")
        self.folder.setPlaceholderText("The team's shared folder")
        self.folder.textChanged.connect(self._show_last)
        choose = QPushButton("C&hoose…")
        choose.setAccessibleName("Choose the team folder")
        choose.clicked.connect(self.choose_folder)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(choose)
        self.last = plain.label()
        self.last.setAccessibleName("Last published")
        self.last.setWordWrap(True)
        self.last.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.outcome = plain.label()
        self.outcome.setAccessibleName("Publishing result")
        self.outcome.setWordWrap(True)
        self.outcome.setTextInteractionFlags(self.last.textInteractionFlags())
        form = QFormLayout()
        folder_label = QLabel("&Folder:")
        folder_label.setBuddy(self.folder)
        form.addRow(folder_label, row)
        form.addRow("Last published:", self.last)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.publish_button = buttons.addButton("&Publish",
                                                QDialogButtonBox.ButtonRole.ActionRole)
        self.publish_button.setDefault(True)
        self.publish_button.clicked.connect(self.publish)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explained)
        layout.addLayout(form)
        layout.addWidget(self.outcome)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.resize(620, 260)
        fitting.clamp(self)
        runner.busy_changed.connect(self._show_last)
        self._show_last()

    def chosen(self) -> Path | None:
        text = self.folder.text().strip()
        return Path(text).expanduser() if text else None

    def choose_folder(self) -> None:
        start = str(self.chosen() or Path.home())
        name = QFileDialog.getExistingDirectory(self, "The team's folder", start)
        if name:
            self.folder.setText(name)

    def _show_last(self, *_: object) -> None:
        folder = self.chosen()
        found = publishing.last_published(folder) if folder else None
        self.publish_button.setEnabled(folder is not None and not self.runner.busy)
        if folder is None:
            self.last.setText("Choose the team's folder first.")
        elif found is None:
            self.last.setText("Not published to this folder yet.")
        else:
            self.last.setText(f"{_when(found.published_at)}, from {found.source}.")

    def publish(self) -> bool:
        """Publish into the chosen folder in the background; False when it could not start."""
        folder = self.chosen()
        if folder is None:
            return False
        task = Task("publish", functools.partial(publish_work, self.db_path, folder))
        task.succeeded.connect(self._published)
        task.failed.connect(self._failed)
        if not self.runner.start(task):
            under_way = self.runner.task.name if self.runner.task else "task"
            self.outcome.setText(f"Wait for the {under_way} under way to finish, then publish.")
            return False
        self.task = task
        preferences.PUBLISH_FOLDER.set(self.settings, str(folder))
        self.publish_button.setEnabled(False)
        self.outcome.setText("Publishing…")
        return True

    def _published(self, published: publishing.Published) -> None:
        self.published = published
        self.outcome.setText(
            f"Published {published.pages:,} Pages ({published.readings:,} readings) at "
            f"{published.published_at.astimezone(UK):%H:%M} to {published.database}.")

    def _failed(self, error: Exception) -> None:
        if isinstance(error, EngageError):
            self.outcome.setText(error_text(error, "Could not publish:"))
        else:
            self.outcome.setText(f"Could not publish: something unexpected went wrong "
                                 f"({type(error).__name__}: {redact(str(error))[:300]}).")
