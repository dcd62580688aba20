"""The import preview: what each file holds and what importing it would change, the answers
the importer needs, and the Import button once the preview is clean.

Every change to an answer runs a fresh preview (nothing is written); Import writes exactly
what the last preview showed, in one transaction. Both run in the background on the dialog's
task runner, with their progress in words and a Stop button: the dialog answers while a large
file is read, a change of answer restarts the preview, and closing the dialog stops the job
and waits for it.

This module builds the dialog from its parts beside it and shows what its jobs (``jobs``)
say: ``answers`` (the answers box), ``file_tab`` and ``columns`` (a file's tab and its column
choices), ``banner`` (questions and errors), ``report`` (the preview in words).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from engage_desktop.core.engagement import Status
from engage_desktop.core.errors import EngageError
from engage_desktop.core.importing import ImportOptions, ImportProgress
from engage_desktop.core.store import Store
from engage_desktop.core.timeutil import uk_day, utc_now
from engage_desktop.ui import fitting, plain
from engage_desktop.ui import theme as themes
from engage_desktop.ui.errors_shown import error_words
from engage_desktop.ui.import_dialog import report as words
from engage_desktop.ui.import_dialog.answers import AnswersBox
from engage_desktop.ui.import_dialog.banner import Banner
from engage_desktop.ui.import_dialog.columns import ColumnChoices
from engage_desktop.ui.import_dialog.file_tab import FileTab, text_browser
from engage_desktop.ui.import_dialog.jobs import ImportJobs
from engage_desktop.ui.plain import mnemonic_safe, tooltip

REFRESH_DELAY_MS = 400  # typing in the Page or follower box previews once typing pauses
ACTIVITY_DELAY_MS = 250  # a job quicker than this shows no progress bar (no flicker)


class ImportDialog(QDialog):
    """Preview files for import, ask what the importer needs, and import on request."""

    def __init__(self, store: Store, paths: Sequence[Path], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paths = [Path(p) for p in paths]
        # the officer's column choices, for every file: column title -> field (as --column)
        self.column_choices: dict[str, str] = {}
        self.jobs = ImportJobs(store.path, self.paths, self.options, self)
        self.jobs.started.connect(self._started)
        self.jobs.changed.connect(self._show_activity)
        self.jobs.progressed.connect(self._progressed)
        self.jobs.ended.connect(self._ended)
        self.jobs.failed.connect(self._show_error)
        self.jobs.written.connect(self.accept)
        self.theme = getattr(parent, "theme", None) or themes.current()
        names = ", ".join(p.name for p in self.paths[:3]) + (
            f" and {len(self.paths) - 3} more" if len(self.paths) > 3 else "")
        self.setWindowTitle(f"Import {names}")
        self.setAccessibleName("Import files")
        self.setAccessibleDescription(
            "A preview of what importing these files would change. Nothing is written until "
            "you choose Import.")
        self.setSizeGripEnabled(True)
        self.resize(900, 650)
        self.setMinimumSize(640, 480)

        self.refresh_timer = QTimer(self)
        self.refresh_timer.setSingleShot(True)
        self.refresh_timer.setInterval(REFRESH_DELAY_MS)
        self.refresh_timer.timeout.connect(self.refresh_preview)
        self.activity_timer = QTimer(self)
        self.activity_timer.setSingleShot(True)
        self.activity_timer.setInterval(ACTIVITY_DELAY_MS)
        self.activity_timer.timeout.connect(self._show_activity)

        layout = QVBoxLayout(self)
        self.answers = AnswersBox(store.pages(), uk_day(utc_now()), now=self.refresh_preview,
                                  later=self._changed_later, entered=self._refresh_if_changed)
        # (its inputs by their own names: the tests and the window's walks use them)
        self.page, self.followers = self.answers.page, self.answers.followers
        self.followers_on, self.dates = self.answers.followers_on, self.answers.dates
        self.on, self.year, self.replace = self.answers.on, self.answers.year, self.answers.replace
        layout.addWidget(self.answers)
        self.questions = Banner("questions", "Needs an answer", Status.AMBER, self.theme)
        layout.addWidget(self.questions)
        self.error = Banner("error", "Import failed", Status.RED, self.theme)
        layout.addWidget(self.error)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Preview")
        self.tabs.setDocumentMode(True)
        self.overview = text_browser("What will change")
        self.tabs.addTab(self.overview, "&What will change")
        self.file_pages: list[FileTab] = []
        for path in self.paths:
            tab = FileTab(path, self.column_choices, self.refresh_preview)
            self.tabs.addTab(tab, mnemonic_safe(path.name))
            self.tabs.setTabToolTip(self.tabs.count() - 1, tooltip(str(path)))
            self.file_pages.append(tab)
        layout.addWidget(self.tabs, 1)

        self.summary = plain.label()
        self.summary.setAccessibleName("Import summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText("&Import")
        self.import_button.setAccessibleName("Import")
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self.do_import)
        self.buttons.rejected.connect(self.reject)
        # a job's progress (its words are the summary's) and its Stop button
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Preview progress")
        self.progress.setTextVisible(False)
        self.progress.setFixedWidth(120)
        self.stop_button = QPushButton("&Stop")
        self.stop_button.setAccessibleName("Stop the preview")
        self.stop_button.clicked.connect(self.stop)
        self.again_button = QPushButton("Preview &again")
        self.again_button.setAccessibleName("Preview again")
        self.again_button.setToolTip(tooltip("Read the files again with the answers above"))
        self.again_button.clicked.connect(self.refresh_preview)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        for widget in (self.progress, self.stop_button, self.again_button):
            bottom.addWidget(widget)
            widget.hide()
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)
        fitting.fit_dialog(self)

        self.refresh_preview()
        self.page.setFocus()

    # What the jobs hold, by the names the tests and the window's walks read
    runner = property(lambda self: self.jobs.runner)
    session = property(lambda self: self.jobs.session)
    busy = property(lambda self: self.jobs.busy, doc="A preview or an import is under way "
                    "(or a preview waits to start).")
    stopped = property(lambda self: self.jobs.stopped)
    preview = property(lambda self: self.jobs.preview)
    previewed_options = property(lambda self: self.jobs.previewed_options)
    imported = property(lambda self: self.jobs.imported)

    @property
    def file_tabs(self) -> list[tuple[QTextBrowser, QTableWidget]]:
        """Each file's details and first rows."""
        return [(tab.details, tab.sample) for tab in self.file_pages]

    @property
    def column_sections(self) -> list[ColumnChoices]:
        """Each file's "Columns" section."""
        return [tab.columns for tab in self.file_pages]

    # The answers and the jobs ----------------------------------------------------------------

    def options(self) -> ImportOptions:
        return self.answers.options(self.column_choices)

    def _changed_later(self) -> None:
        self.refresh_timer.start()

    def _refresh_if_changed(self) -> None:
        if self.refresh_timer.isActive():
            self.refresh_preview()

    def refresh_preview(self) -> None:
        """Preview again, in the background, with the answers as they are now (writes
        nothing). A preview under way with other answers is stopped, and this one starts
        as soon as it has."""
        self.refresh_timer.stop()
        self.jobs.refresh()

    def stop(self) -> None:
        """Stop the preview or import under way (Stop): nothing is written."""
        self.jobs.stop()  # (Stop stays enabled: disabled, it would pass the focus on)

    def _started(self) -> None:
        self.error.hide()
        if self.progress.isHidden():  # (shown already when a preview restarts)
            self.activity_timer.start()
        self._show_activity()
        if self.preview is None:  # (a preview shown stays until the next one is ready)
            self.overview.setHtml(words.overview_html(self.preview, self.busy, self.stopped))

    def _progressed(self, step: ImportProgress) -> None:
        if step.step == "reading" and step.files > 1:
            self.progress.setRange(0, step.files)  # how many files are read
            self.progress.setValue(step.number - 1)
        else:
            self.progress.setRange(0, 0)  # busy: a file's length in rows is not known
        self._show_activity()

    def _ended(self) -> None:
        self.activity_timer.stop()
        self._show()

    # Showing ---------------------------------------------------------------------------------

    def _show_activity(self) -> None:
        """The job under way, if any: its words in the summary, a progress bar and Stop
        (once it has taken a moment), and the answers locked while importing."""
        working = self.jobs.busy
        importing = self.jobs.importing
        late = working and not self.activity_timer.isActive()
        self.progress.setVisible(late)
        again = not working and self.stopped == "preview"
        if again and self.stop_button.hasFocus():
            self.again_button.show()
            self.again_button.setFocus()  # the keyboard stays where it was
        self.stop_button.setVisible(late)
        self.again_button.setVisible(again)
        self.progress.setAccessibleName("Import progress" if importing else "Preview progress")
        self.stop_button.setAccessibleName("Stop the import" if importing
                                           else "Stop the preview")
        self.stop_button.setToolTip(tooltip(
            "Stop importing: nothing is written" if importing else
            "Stop reading the files: nothing is written, and the dialog stays open"))
        self.answers.setEnabled(not importing)
        for tab in self.file_pages:
            tab.columns.setEnabled(not importing)
        enabled = not working and self.can_import()
        if not enabled and self.import_button.hasFocus():
            # not onto the next button, Cancel, which Enter would then press: onto the
            # preview, where what Import would write is shown
            self.tabs.setFocus()
        self.import_button.setEnabled(enabled)
        if working:
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()
        text = self.jobs.words if working else words.summary_text(self.preview, self.stopped)
        self.summary.setText(text)
        self.summary.setAccessibleDescription(text)
        self.progress.setAccessibleDescription(text if working else "")

    def needs_answers(self) -> list[str]:
        """The questions and file problems, as shown (each starts with what it is)."""
        return words.question_lines(self.preview, [not tab.columns.isHidden()
                                                   for tab in self.file_pages])

    def can_import(self) -> bool:
        return bool(self.preview and self.preview.ready and self.preview.changes > 0)

    def _show(self) -> None:
        preview = self.preview
        self.answers.show_asked(preview.needs if preview else set())
        for report, tab in zip(preview.files if preview else [], self.file_pages,
                               strict=False):
            tab.columns.show_report(report)
        lines = self.needs_answers()
        if lines:
            self.questions.say(words.questions_html(lines), " ".join(lines))
        self.questions.setVisible(bool(lines))
        self._show_activity()
        self.overview.setHtml(words.overview_html(preview, self.busy, self.stopped))
        for index, tab in enumerate(self.file_pages):
            report = preview.files[index] if preview else None
            tab.show_report(report)
            self.tabs.setTabText(index + 1, tab.tab_text(report))

    # Importing -------------------------------------------------------------------------------

    def _show_error(self, title: str, error: EngageError) -> None:
        self.error.say(words.error_html(title, error), error_words(error, f"{title}:"))
        self.error.show()

    def do_import(self) -> None:
        """Write what the preview shows, in the background, then close; a failure is shown
        here instead."""
        if self.refresh_timer.isActive() or self.options() != self.jobs.options_shown:
            # An answer changed (Enter pressed while typing a Page name or a total) and the
            # preview does not show it yet: show it first, never import what was not shown.
            self.refresh_preview()
            return
        if self.busy or not self.can_import():
            return
        self.jobs.write()

    # Closing ---------------------------------------------------------------------------------

    def done(self, result: int) -> None:
        """Closing (Import, Cancel, Escape, the window's close button): the job under way is
        stopped and waited for, and the dialog's connection closed."""
        self._finish()
        if self.imported is not None:
            result = QDialog.DialogCode.Accepted  # written before the stop came: say so
        super().done(result)

    def closeEvent(self, event) -> None:
        self._finish()  # (done() is not called for a dialog never shown)
        super().closeEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.DeferredDelete:
            self._finish()  # deleted without being closed: its job must not outlive it
        return super().event(event)

    def _finish(self) -> None:
        self.refresh_timer.stop()
        self.activity_timer.stop()
        self.jobs.close()
