"""The import dialog's preview and import run in the background: a large file shows its
progress in words while the dialog keeps answering, Stop stops it (writing nothing, leaving
the dialog usable), a changed answer restarts the preview, and closing the dialog stops the
job and waits for it."""

from __future__ import annotations

import csv
import os
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
from factories import database_dump
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, Qt, QTimer
from PySide6.QtWidgets import QDialog

from engage_desktop.core.importing.importer import PROGRESS_ROWS
from engage_desktop.ui import theme
from engage_desktop.ui.import_dialog import IMPORTING, PREVIEWING, ImportDialog
from engage_desktop.ui.main_window import MainWindow, settings_for

ARTIFACTS = Path(os.environ.get("ENGAGE_ARTIFACTS", "artifacts"))
PAGES, DAYS = 40, 3000  # 120,000 rows, about 4.5 MB: reading it takes a visible moment
ROWS = PAGES * DAYS
LONG = 120_000  # ms: the most any wait here may take on a busy machine


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    """A hand-kept spreadsheet of 40 Pages' daily readings, naming its Pages."""
    path = tmp_path_factory.mktemp("files") / "report.csv"
    first = date(2015, 1, 1)
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["Page name", "Date", "Followers", "Talking about"])
        for page in range(PAGES):
            for day in range(DAYS):
                writer.writerow([f"Kelderby Page {page:02d}",
                                 (first + timedelta(days=day)).strftime("%d/%m/%Y"),
                                 1000 + page + day, (page + day) % 50])
    return path




def jobs_running() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name in (PREVIEWING, IMPORTING)]


def _dialog(qtbot, store, paths) -> ImportDialog:
    dialog = ImportDialog(store, paths)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _reading(dialog: ImportDialog) -> bool:
    """The progress bar and Stop are shown, and the words say that rows are being read."""
    text = dialog.summary.text()
    return (dialog.progress.isVisible() and dialog.stop_button.isVisible()
            and text.startswith("Reading report.csv: ") and not text.endswith(": 0 rows…"))


def _settled(qtbot, dialog: ImportDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.busy, timeout=LONG)


def test_a_large_file_shows_its_progress_while_the_dialog_keeps_answering(
        qtbot, store, report) -> None:
    dialog = _dialog(qtbot, store, [report])
    assert dialog.busy and dialog.summary.text() == "Reading the files…"
    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(1) if dialog.busy else None)
    timer.start()
    # the event loop runs while the file is read: the timer fires, the progress is shown
    qtbot.waitUntil(lambda: _reading(dialog) and len(ticks) >= 5, timeout=LONG)
    timer.stop()
    words = dialog.summary.text()
    assert words.endswith(" rows…")
    rows = int(words.removeprefix("Reading report.csv: ").removesuffix(" rows…")
               .replace(",", ""))
    assert rows % PROGRESS_ROWS == 0 and 0 < rows < ROWS
    assert dialog.progress.accessibleName() == "Preview progress"
    assert dialog.progress.accessibleDescription() == words
    assert dialog.summary.accessibleDescription() == words
    assert dialog.progress.maximum() == 0  # busy: one file, of a length not known
    assert dialog.stop_button.accessibleName() == "Stop the preview"
    assert not dialog.import_button.isEnabled()
    assert dialog.answers.isEnabled() and dialog.page.isEnabled()  # answers can change
    assert jobs_running() == [PREVIEWING]
    ARTIFACTS.mkdir(exist_ok=True)
    dialog.grab().save(str(ARTIFACTS / "import-progress.png"))

    _settled(qtbot, dialog)
    assert not dialog.progress.isVisible() and not dialog.stop_button.isVisible()
    assert dialog.preview.ready and dialog.import_button.isEnabled()
    assert dialog.summary.text() == (f"Ready to import {ROWS:,} changes for {PAGES} Pages "
                                     f"({PAGES} new). Nothing is written until you choose "
                                     "Import.")
    assert f"{ROWS:,} rows read, {ROWS:,} to import" in dialog.file_tabs[0][0].toPlainText()

    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.summary.text() == "Importing: Writing to the database…"
    assert not dialog.answers.isEnabled()  # the answers stay as previewed while writing
    _settled(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted)  # (queued close)
    assert dialog.imported.committed
    (count,) = store.conn.execute("SELECT count(*) FROM readings").fetchone()
    assert count == ROWS
    assert dialog.session.store is None and jobs_running() == []


def test_stop_ends_the_preview_writes_nothing_and_leaves_the_dialog_usable(
        qtbot, store, report) -> None:
    before = database_dump(store.path)
    dialog = _dialog(qtbot, store, [report])
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)  # (for the focus)
    qtbot.waitUntil(lambda: _reading(dialog), timeout=LONG)
    qtbot.mouseClick(dialog.stop_button, Qt.MouseButton.LeftButton)
    assert dialog.stop_button.hasFocus()
    assert dialog.summary.text() == "Stopping…"
    _settled(qtbot, dialog)
    assert dialog.stopped == "preview" and dialog.preview is None
    assert dialog.summary.text().startswith("Preview stopped: choose Preview again")
    assert dialog.again_button.isVisible() and not dialog.stop_button.isVisible()
    assert dialog.again_button.hasFocus()  # the keyboard stays on the bottom row
    assert "stopped before the files had been read" in dialog.overview.toPlainText()
    ARTIFACTS.mkdir(exist_ok=True)
    qtbot.wait(20)  # (laid out)
    dialog.grab().save(str(ARTIFACTS / "import-stopped.png"))
    assert not dialog.import_button.isEnabled() and dialog.isVisible()
    assert jobs_running() == []
    # nothing written, and no scratch table left on the dialog's connection
    assert database_dump(store.path) == before
    assert dialog.session.store.conn.execute(
        "SELECT name FROM temp.sqlite_master").fetchall() == []

    qtbot.mouseClick(dialog.again_button, Qt.MouseButton.LeftButton)
    assert dialog.busy and not dialog.again_button.isVisible()
    _settled(qtbot, dialog)
    assert dialog.stopped == "" and dialog.preview.ready and dialog.import_button.isEnabled()


def test_a_changed_answer_restarts_the_preview_under_way(qtbot, store, report) -> None:
    dialog = _dialog(qtbot, store, [report])
    starts: list[bool] = []
    dialog.runner.busy_changed.connect(starts.append)
    qtbot.waitUntil(lambda: _reading(dialog), timeout=LONG)
    box = QPoint(8, dialog.replace.height() // 2)  # on its tick box
    qtbot.mouseClick(dialog.replace, Qt.MouseButton.LeftButton, pos=box)
    assert dialog.summary.text() == "Reading the files again with the new answers…"
    assert dialog.progress.isVisible() and dialog.stop_button.isVisible()
    _settled(qtbot, dialog)
    # the first preview was stopped and never shown; the second read the new answer
    assert starts == [False, True, False]
    assert dialog.previewed_options.replace_synced and dialog.options().replace_synced
    assert dialog.preview.ready and dialog.stopped == ""
    assert f"{ROWS:,} rows read" in dialog.file_tabs[0][0].toPlainText()


def test_stop_while_importing_writes_nothing_and_import_can_be_chosen_again(
        qtbot, store, report) -> None:
    dialog = _dialog(qtbot, store, [report])
    _settled(qtbot, dialog)
    before = database_dump(store.path)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.busy and jobs_running() == [IMPORTING]
    dialog.stop()  # as soon as asked: the import has only just started writing
    _settled(qtbot, dialog)
    assert dialog.stopped == "import" and dialog.isVisible()
    assert dialog.summary.text().startswith("Import stopped: nothing was written.")
    assert database_dump(store.path) == before
    assert dialog.answers.isEnabled() and dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    _settled(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted)  # (queued close)
    (count,) = store.conn.execute("SELECT count(*) FROM readings").fetchone()
    assert count == ROWS


def test_closing_the_dialog_mid_preview_stops_it_and_leaves_no_thread(
        qtbot, store, report) -> None:
    before = database_dump(store.path)
    dialog = _dialog(qtbot, store, [report])
    qtbot.waitUntil(lambda: _reading(dialog), timeout=LONG)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # returns once the preview has stopped
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected
    assert not dialog.runner.busy and jobs_running() == []
    assert dialog.session.store is None  # its connection, and scratch tables, are gone
    assert database_dump(store.path) == before


def test_the_window_survives_an_import_dialog_closed_mid_preview(
        qtbot, store, report, tmp_path) -> None:
    window = MainWindow(store, theme.LIGHT, settings_for(tmp_path / "settings.ini"))
    qtbot.addWidget(window)
    window.show()
    shown: list[ImportDialog] = []

    def run(dialog: ImportDialog) -> int:
        shown.append(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: _reading(dialog), timeout=LONG)
        dialog.close()  # the window's close button
        return dialog.result()

    window.run_import_dialog = run
    assert window.import_files([report]) is False
    assert shown and jobs_running() == [] and store.pages() == []
    window.close()
    assert jobs_running() == []


def test_a_dialog_deleted_without_being_closed_stops_its_preview(
        qtbot, store, report, tmp_path) -> None:
    window = MainWindow(store, theme.LIGHT, settings_for(tmp_path / "settings.ini"))
    qtbot.addWidget(window)
    opened: list[ImportDialog] = []
    window.run_import_dialog = lambda dialog: (opened.append(dialog), 0)[1]  # never shown
    assert window.import_files([report]) is False
    assert opened and jobs_running() == [PREVIEWING]  # deleted later by the window
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    assert jobs_running() == []
