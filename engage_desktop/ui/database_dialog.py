"""When the database cannot be opened: what is wrong, in words, and four choices that do what
they say (another file, the demo data, a new empty database, or quit), instead of an OK button
after which the program ends."""

from __future__ import annotations

import enum
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from engage_desktop.core.errors import DatabaseError, DatabaseMissingError
from engage_desktop.core.opening import Opening
from engage_desktop.ui import fitting, plain
from engage_desktop.ui.words import in_window

DATABASE_FILTERS = "Engage Desktop databases (*.sqlite *.db);;All files (*)"
NEW_NAME = "engage (new).sqlite"


class Choice(enum.Enum):
    ANOTHER_FILE = "another"
    DEMO = "demo"
    NEW = "new"
    QUIT = "quit"


class UnusableDatabaseDialog(QDialog):
    """Says why ``path`` cannot be used; ``choice`` is what the officer chose."""

    def __init__(self, path: Path, error: DatabaseError, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice = Choice.QUIT
        self.setWindowTitle("Engage Desktop cannot open its database")
        self.setAccessibleName("Engage Desktop cannot open its database")
        icon = QLabel()
        icon.setPixmap(QApplication.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(32, 32))
        icon.setAccessibleName("Warning")
        self.message = plain.label(in_window(error.message))
        self.message.setWordWrap(True)
        self.message.setAccessibleName("What is wrong")
        hint = in_window(error.hint)
        self.hint = plain.label(hint)
        self.hint.setWordWrap(True)
        self.hint.setVisible(bool(hint))
        self.hint.setAccessibleName("What to do")
        for label in (self.message, self.hint):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        untouched = ("" if isinstance(error, DatabaseMissingError)
                     else " The file is left as it is.")
        question = plain.label(f"What would you like to do?{untouched}")
        question.setWordWrap(True)
        # each choice a button with what it does beside it; Quit at the bottom
        choices = QGridLayout()
        choices.setColumnStretch(1, 1)
        self.buttons = QDialogButtonBox()
        self.choice_buttons: dict[Choice, QPushButton] = {}
        for row, (choice, text, tip) in enumerate((
                (Choice.ANOTHER_FILE, "&Choose another file…",
                 "Open another Engage Desktop database on this computer."),
                (Choice.DEMO, "Open &demo data",
                 "Look around with made-up Pages, kept in a file of their own."),
                (Choice.NEW, "&Start a new empty database",
                 "No Pages yet: then connect a token from Meta or import files."),
                (Choice.QUIT, "&Quit", "Close Engage Desktop."))):
            if choice is Choice.QUIT:
                button = self.buttons.addButton(text, QDialogButtonBox.ButtonRole.RejectRole)
            else:
                button = QPushButton(text)
                what = plain.label(tip)
                what.setWordWrap(True)
                choices.addWidget(button, row, 0)
                choices.addWidget(what, row, 1)
            button.setToolTip(tip)
            button.setAccessibleName(text.replace("&", "").rstrip("…"))
            button.setAccessibleDescription(tip)
            button.clicked.connect(lambda _=False, chosen=choice: self._choose(chosen))
            self.choice_buttons[choice] = button
        self.choice_buttons[Choice.ANOTHER_FILE].setDefault(True)
        self.choice_buttons[Choice.ANOTHER_FILE].setFocus()
        layout = QVBoxLayout(self)
        layout.addWidget(icon, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.message)
        layout.addWidget(self.hint)
        layout.addWidget(question)
        layout.addLayout(choices)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.resize(640, 300)
        fitting.fit_dialog(self)

    def _choose(self, choice: Choice) -> None:
        self.choice = choice
        if choice is Choice.QUIT:
            self.reject()
        else:
            self.accept()


def choose_database(parent: QWidget | None, start: Path) -> Path | None:
    """An existing database to open (None when the officer cancels)."""
    name, _ = QFileDialog.getOpenFileName(parent, "Choose another Engage Desktop database",
                                          str(start.parent), DATABASE_FILTERS)
    return Path(name) if name else None


def new_database(parent: QWidget | None, failed: Path) -> Path | None:
    """Where to start a new empty database: the file asked for when there is none there yet,
    else a new file the officer names (an existing file is never replaced)."""
    if not failed.exists():
        return failed
    name, _ = QFileDialog.getSaveFileName(parent, "Start a new empty database",
                                          str(failed.parent / NEW_NAME), DATABASE_FILTERS)
    return Path(name) if name else None


class Recovery:
    """What the window does when its database cannot be opened: ask, then open what the
    officer chose (run_window tries it, and asks again if that fails too). Tests replace
    ``run_dialog``, ``choose_file`` and ``new_file``."""

    def __init__(self) -> None:
        self.run_dialog = lambda dialog: dialog.exec()
        self.choose_file = choose_database
        self.new_file = new_database

    def __call__(self, path: Path, error: DatabaseError) -> Opening | None:
        """The database to try next, or None to quit."""
        from engage_desktop.core.paths import demo_db_path

        while True:
            dialog = UnusableDatabaseDialog(path, error)
            try:
                self.run_dialog(dialog)
                choice = dialog.choice
            finally:
                dialog.deleteLater()
            if choice is Choice.QUIT:
                return None
            if choice is Choice.DEMO:
                return Opening(demo_db_path(), demo=True)
            if choice is Choice.ANOTHER_FILE:
                chosen = self.choose_file(None, path)
                if chosen is not None:
                    return Opening(chosen, create=False)
            elif choice is Choice.NEW:
                chosen = self.new_file(None, path)
                if chosen is not None:
                    return Opening(chosen, create=True)
            # the file dialog was cancelled: the choices again
