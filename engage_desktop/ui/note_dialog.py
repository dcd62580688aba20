"""The note dialog: add a note (what happened on a day) for one Page or for all Pages, or edit
or delete one. Notes are drawn on the charts as labelled dashed lines and go into exports.

The dialog writes through the store itself when OK (or Delete note) is pressed, so a note the
database refuses (the same note already there, a Page deleted meanwhile) is explained in the
dialog, which stays open with what was typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from engage_desktop.core.errors import EngageError
from engage_desktop.core.models import Note
from engage_desktop.core.store import Store
from engage_desktop.ui import fitting, plain
from engage_desktop.ui.errors_shown import error_words

MAX_LENGTH = 200
ALL_PAGES = "All Pages"
PLACEHOLDER = "What happened, e.g. Storm Bert: road closures"
NEEDS_TEXT = "Write what happened to save the note."
SHOWN_AS = "The note is drawn on the charts as a dashed line and goes into exports."


class NoteDialog(QDialog):
    """Add a note on ``day`` (``note`` None) or edit ``note``, for one of ``pages`` (id and
    name of each Page charted) or for all Pages. ``page_id`` is the choice a new note starts
    with (None: all Pages). After it closes, ``outcome`` says what was written: "added",
    "saved", "deleted" or None."""

    def __init__(self, store: Store, day: date, pages: Sequence[tuple[str, str]],
                 note: Note | None = None, page_id: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.note = note
        self.outcome: str | None = None
        self.setWindowTitle("Edit note" if note else "Add a note")
        self.setAccessibleName(self.windowTitle())

        self.day = QDateEdit(QDate(day.year, day.month, day.day))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd MMM yyyy")
        self.day.setAccessibleName("Day of the note")
        self.pages = QComboBox()
        self.pages.setAccessibleName("Note for")
        self.pages.setAccessibleDescription("All Pages, or only one of the Pages charted")
        self.pages.addItem(ALL_PAGES, None)
        for pid, name in pages:
            self.pages.addItem(name, pid)
        chosen = note.page_id if note else page_id
        if chosen is not None and self.pages.findData(chosen) < 0:
            self.pages.addItem(chosen, chosen)  # a Page no longer charted: keep the note's
        self.pages.setCurrentIndex(max(0, self.pages.findData(chosen)))
        self.text = QLineEdit(note.text if note else "")
        self.text.setMaxLength(MAX_LENGTH)
        self.text.setPlaceholderText(PLACEHOLDER)
        self.text.setAccessibleName("Note")
        self.text.setAccessibleDescription(
            f"What happened on that day, up to {MAX_LENGTH} characters")
        self.text.setClearButtonEnabled(True)
        self.text.setMinimumWidth(self.fontMetrics().horizontalAdvance(PLACEHOLDER) + 60)
        # why OK is disabled, or why the note could not be saved: in words
        self.hint = plain.label()
        self.hint.setWordWrap(True)
        self.hint.setAccessibleName("Note status")

        form = QFormLayout()
        for caption, field in (("&Day:", self.day), ("&For:", self.pages),
                               ("&Note:", self.text)):
            label = QLabel(caption)
            label.setBuddy(field)
            form.addRow(label, field)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Save &note" if note else "Add &note")
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.delete_button: QPushButton | None = None
        if note is not None:
            self.delete_button = QPushButton("&Delete note")
            self.delete_button.setAccessibleName("Delete note")
            self.delete_button.setToolTip("Remove this note from the charts and exports")
            self.delete_button.setAutoDefault(False)
            self.delete_button.clicked.connect(self.delete)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        row = QHBoxLayout()
        if self.delete_button is not None:
            row.addWidget(self.delete_button)  # on its own, away from Save
            row.addStretch(1)
        row.addWidget(self.buttons)
        layout.addLayout(row)
        fitting.fit_dialog(self)
        self.text.textChanged.connect(self._check)
        self._check()
        self.text.setFocus(Qt.FocusReason.OtherFocusReason)

    def chosen_day(self) -> date:
        return self.day.date().toPython()

    def chosen_page_id(self) -> str | None:
        return self.pages.currentData()

    def note_text(self) -> str:
        return self.text.text().strip()

    def _check(self) -> None:
        ready = bool(self.note_text())
        self.ok_button.setEnabled(ready)
        self._say(SHOWN_AS if ready else NEEDS_TEXT)

    def _say(self, text: str) -> None:
        self.hint.setText(text)
        self.hint.setAccessibleDescription(text)

    def accept(self) -> None:
        """Write the note (Enter or OK); on a refusal, say why and stay open."""
        if not self.note_text():
            self._check()
            return
        try:
            if self.note is None:
                if not self.store.add_note(self.chosen_day(), self.note_text(),
                                                 self.chosen_page_id()):
                    raise EngageError("That note is already there.",
                                      "Change the text, the day or whom it is for.")
                self.outcome = "added"
            else:
                self.store.update_note(self.note.id, self.note_text(),
                                             self.chosen_page_id(), day=self.chosen_day())
                self.outcome = "saved"
        except EngageError as error:
            self._say(error_words(error, "Not saved:"))
            self.text.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        super().accept()

    def delete(self) -> None:
        if self.note is None:
            return
        try:
            self.store.delete_note(self.note.id)  # already gone is as good as deleted
        except EngageError as error:
            self._say(error_words(error, "Not deleted:"))
            return
        self.outcome = "deleted"
        super().accept()
