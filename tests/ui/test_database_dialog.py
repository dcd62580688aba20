"""A database that cannot be opened: the window says why, with four choices that do what they
say (another file, the demo data, a new empty database, quit), and nothing in it is a command
line. The choices run the real run_window with real files; only the file dialogs' answers and
the dialog's exec are replaced."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from engage_desktop.core.demo import write_demo
from engage_desktop.core.errors import DatabaseError
from engage_desktop.core.opening import Opening
from engage_desktop.core.store import open_store
from engage_desktop.ui import app as ui_app
from engage_desktop.ui.database_dialog import Choice, Recovery, UnusableDatabaseDialog
from engage_desktop.ui.main_window import MainWindow


class Officer:
    """Answers the dialog with ``choices`` in turn, remembering what each dialog said; once the
    window opens, closes it."""

    def __init__(self, choices: list[Choice]) -> None:
        self.choices = list(choices)
        self.said: list[str] = []
        self.windows: list[MainWindow] = []

    def run(self, dialog: UnusableDatabaseDialog) -> int:
        self.said.append(" ".join(label.text() for label in dialog.findChildren(QLabel)))
        assert set(dialog.choice_buttons) == set(Choice)
        dialog.choice_buttons[self.choices.pop(0)].click()
        QTimer.singleShot(0, self._close_window)
        return dialog.result()

    def _close_window(self) -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible():
                self.windows.append(widget)
                QTimer.singleShot(0, widget.close)


@pytest.fixture(autouse=True)
def delete_windows():
    """The windows run_window made, deleted while the test's Qt objects are alive (the
    program itself leaves with os._exit once its window has closed)."""
    yield
    from PySide6.QtCore import QCoreApplication, QEvent

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow):
            widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    path = tmp_path / "notes.sqlite"
    path.write_text("not a database")
    return path


def _recovery(officer: Officer, chosen: list[Path | None] | None = None) -> Recovery:
    recovery = Recovery()
    recovery.run_dialog = officer.run
    answers = list(chosen or [])
    recovery.choose_file = lambda parent, start: answers.pop(0)
    recovery.new_file = lambda parent, failed: answers.pop(0)
    return recovery


def test_quit_ends_the_program_and_leaves_the_file(bad: Path, tmp_path: Path) -> None:
    officer = Officer([Choice.QUIT])
    code = ui_app.run_window(Opening(bad, create=False), settings_path=tmp_path / "s.ini",
                             recover=_recovery(officer))
    assert code == 1
    assert "not an SQLite file" in officer.said[0]
    assert "left as it is" in officer.said[0]
    assert bad.read_text() == "not a database"


def test_choose_another_file_opens_it(bad: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    with open_store(other) as store:
        write_demo(store)
    # cancelling the file dialog shows the choices again
    officer = Officer([Choice.ANOTHER_FILE, Choice.ANOTHER_FILE])
    code = ui_app.run_window(Opening(bad, create=False), settings_path=tmp_path / "s.ini",
                             recover=_recovery(officer, [None, other]))
    assert code == 0
    assert len(officer.said) == 2
    assert officer.windows and officer.windows[0].store.path == other


def test_start_a_new_empty_database_where_none_was(tmp_path: Path) -> None:
    missing = tmp_path / "folder" / "engage.sqlite"
    officer = Officer([Choice.NEW])
    recovery = Recovery()
    recovery.run_dialog = officer.run
    code = ui_app.run_window(Opening(missing, create=False), settings_path=tmp_path / "s.ini",
                             recover=recovery)  # the real new_file: the path asked for
    assert code == 0
    assert missing.is_file()
    assert "There is no database" in officer.said[0]
    assert officer.windows[0].stack.currentIndex() == 0  # the empty window: what to do next


def test_open_demo_data(bad: Path, tmp_path: Path, monkeypatch) -> None:
    demo = tmp_path / "demo-data" / "demo.sqlite"
    monkeypatch.setattr("engage_desktop.core.paths.demo_db_path", lambda: demo)
    officer = Officer([Choice.DEMO])
    code = ui_app.run_window(Opening(bad, create=False), settings_path=tmp_path / "s.ini",
                             recover=_recovery(officer))
    assert code == 0
    assert officer.windows[0].store.path == demo and officer.windows[0].model.rows


def test_a_new_database_that_cannot_be_made_asks_again(bad: Path, tmp_path: Path) -> None:
    officer = Officer([Choice.NEW, Choice.QUIT])
    unusable = bad / "inside-a-file.sqlite"  # its folder is a file
    code = ui_app.run_window(Opening(bad, create=False), settings_path=tmp_path / "s.ini",
                             recover=_recovery(officer, [unusable]))
    assert code == 1
    assert len(officer.said) == 2 and str(bad) in officer.said[1]


@pytest.mark.parametrize("make", [
    lambda tmp: open_store(tmp / "none.sqlite", create=False),
    lambda tmp: (tmp / "x.sqlite").write_text("junk") and open_store(tmp / "x.sqlite"),
], ids=["missing", "not-a-database"])
def test_the_dialog_has_no_command_line(qtbot, tmp_path: Path, make) -> None:
    with pytest.raises(DatabaseError) as caught:
        make(tmp_path)
    dialog = UnusableDatabaseDialog(tmp_path / "x.sqlite", caught.value)
    qtbot.addWidget(dialog)
    texts = [dialog.windowTitle()] + [w.text() for w in dialog.findChildren(QWidget)
                                      if hasattr(w, "text") and callable(w.text)]
    joined = " ".join(texts)
    assert "engage-desktop" not in joined and " --" not in joined
    assert "ENGAGE_DB" not in joined
