"""File → Publish for the team…: choose the team's folder (remembered), see when the copy
there was last published, and publish a new one in the background (the core's
:func:`engage_desktop.core.publishing.publish`, an operation on the window's queue)."""

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
from engage_desktop.core.timeutil import UK
from engage_desktop.ui import fitting, plain, preferences
from engage_desktop.ui.errors_shown import error_words
from engage_desktop.ui.operations import Operation, OperationQueue

EXPLAINED = (
    "Writes a copy of this database into a folder your colleagues can read, such as the "
    "team's folder on the network drive, as engage.sqlite with metadata.json. IT can serve "
    "it as web pages with Datasette. Your own database is only read, and no token is in it. "
    "A copy published before in that folder is replaced.")


def publish_work(db_path: Path, folder: Path, _report, _cancel) -> publishing.Published:
    """The job, with its own connection to the database (on its worker thread)."""
    from engage_desktop.core.services import job_tools

    with job_tools(db_path, create=False) as tools:
        return publishing.publish(tools.store, folder)


def _when(moment) -> str:
    return f"{moment.astimezone(UK):%a %d %b %Y at %H:%M}"


class PublishDialog(QDialog):
    def __init__(self, db_path: Path, runner: OperationQueue, settings: QSettings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db_path = db_path
        self.runner = runner
        self.settings = settings
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
        """Publish into the chosen folder in the background: True when it started at once,
        False when there is no folder or it waits for the operation under way (and starts
        when that has ended)."""
        folder = self.chosen()
        if folder is None:
            return False
        preferences.PUBLISH_FOLDER.set(self.settings, str(folder))
        self.publish_button.setEnabled(False)
        return (Operation("publish", functools.partial(publish_work, self.db_path, folder),
                          parent=self)
                .waits(self.outcome.setText).starts(self._publishing)
                .success(self._published).failure(self._failed).run(self.runner))

    def _publishing(self) -> None:
        self.outcome.setText("Publishing…")

    def _published(self, published: publishing.Published) -> None:
        self.published = published
        self.outcome.setText(
            f"Published {published.pages:,} Pages ({published.readings:,} readings) at "
            f"{published.published_at.astimezone(UK):%H:%M} to {published.database}.")

    def _failed(self, error: Exception) -> None:
        self.outcome.setText(error_words(error, "Could not publish:"))
