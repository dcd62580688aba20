"""The import preview: what each file holds and what importing it would change, the answers
the importer needs, and the Import button once the preview is clean.

Every change to an answer runs a fresh preview (nothing is written); Import writes exactly
what the last preview showed, in one transaction. Both run in the background on the dialog's
task runner, with their progress in words and a Stop button: the dialog answers while a large
file is read, a change of answer restarts the preview, and closing the dialog stops the job
and waits for it.

This module is the dialog and its jobs; its parts are beside it: ``answers`` (the answers
box), ``file_tab`` and ``columns`` (a file's tab and its column choices), ``banner``,
``report`` (the preview in words) and ``session`` (the jobs' connection).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
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
from engage_desktop.core.importing import (
    ImportCancelledError,
    ImportOptions,
    ImportProgress,
    Preview,
)
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
from engage_desktop.ui.import_dialog.session import IMPORTING, PREVIEWING, ImportSession
from engage_desktop.ui.operations import Operation, OperationQueue
from engage_desktop.ui.plain import mnemonic_safe, tooltip

REFRESH_DELAY_MS = 400  # typing in the Page or follower box previews once typing pauses
ACTIVITY_DELAY_MS = 250  # a job quicker than this shows no progress bar (no flicker)


class ImportDialog(QDialog):
    """Preview files for import, ask what the importer needs, and import on request."""

    def __init__(self, store: Store, paths: Sequence[Path], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.paths = [Path(p) for p in paths]
        self.preview: Preview | None = None
        self.imported: Preview | None = None  # the committed preview, after Import
        self.previewed_options: ImportOptions | None = None
        # The jobs: one at a time on the dialog's own runner (a sync may run beside them),
        # each on the dialog's own connection
        self.runner = OperationQueue()
        self.runner.setParent(self)
        self.runner.busy_changed.connect(self._runner_busy)
        self.session = ImportSession(store.path)
        self.task: Operation | None = None  # the job under way
        self._reading: ImportOptions | None = None  # the answers the preview under way reads
        self._again = False  # preview again once the job under way has stopped
        self._closing = False
        self.stopped = ""  # "preview" or "import" when the officer stopped it
        self._words = ""  # the job's progress, in words
        self._latest: tuple[Preview, ImportOptions] | None = None  # a preview to show
        # the officer's column choices, for every file: column title -> field (as --column)
        self.column_choices: dict[str, str] = {}
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

    @property
    def file_tabs(self) -> list[tuple[QTextBrowser, QTableWidget]]:
        """Each file's details and first rows."""
        return [(tab.details, tab.sample) for tab in self.file_pages]

    @property
    def column_sections(self) -> list[ColumnChoices]:
        """Each file's "Columns" section."""
        return [tab.columns for tab in self.file_pages]

    # Previewing ------------------------------------------------------------------------------

    def options(self) -> ImportOptions:
        return self.answers.options(self.column_choices)

    def _changed_later(self) -> None:
        self.refresh_timer.start()

    def _refresh_if_changed(self) -> None:
        if self.refresh_timer.isActive():
            self.refresh_preview()

    @property
    def busy(self) -> bool:
        """A preview or an import is under way (or a preview waits to start)."""
        return self.task is not None or self._again

    def refresh_preview(self) -> None:
        """Preview again, in the background, with the answers as they are now (writes
        nothing). A preview under way with other answers is stopped, and this one starts
        as soon as it has."""
        self.refresh_timer.stop()
        if self._closing:
            return
        task = self.task
        if task is None:
            self._start_preview()
        elif task.name == PREVIEWING and self.options() != self._reading:
            self._again = True
            task.cancel()
            self._words = "Reading the files again with the new answers…"
            self._show_activity()
        # (while importing, the answers cannot change)

    def _start_preview(self) -> None:
        self._again = False
        self.stopped = ""
        self.error.hide()
        self._reading = options = self.options()
        self._words = "Reading the files…"
        self._start(Operation(PREVIEWING, functools.partial(
            self.session.preview, list(self.paths), options)),
            functools.partial(self._previewed, options), self._preview_failed)
        if self.preview is None:  # (a preview shown stays until the next one is ready)
            self.overview.setHtml(words.overview_html(self.preview, self.busy, self.stopped))

    def _start(self, task: Operation, succeeded: Callable, failed: Callable) -> None:
        task.progress(self._progress).success(succeeded).failure(failed).ends(self._task_ended)
        self.task = task
        if self.progress.isHidden():  # (shown already when a preview restarts)
            self.activity_timer.start()
        started = self.runner.start(task)  # the dialog's runner runs nothing else
        assert started, "the import dialog's runner was busy"
        self._show_activity()

    def stop(self) -> None:
        """Stop the preview or import under way (Stop): nothing is written."""
        if self.task is not None:
            self._again = False
            self.task.cancel()  # (Stop stays enabled: disabled, it would pass the focus on)
            self._words = "Stopping…"
            self._show_activity()

    def _progress(self, step: ImportProgress) -> None:
        if self.task is None or self.task.cancel_event.is_set():
            return  # stopping: its last reports are not news
        self._words = str(step)
        if step.step == "reading" and step.files > 1:
            self.progress.setRange(0, step.files)  # how many files are read
            self.progress.setValue(step.number - 1)
        else:
            self.progress.setRange(0, 0)  # busy: a file's length in rows is not known
        self._show_activity()

    def _previewed(self, options: ImportOptions, preview: Preview) -> None:
        if self._again or self._closing:
            return  # finished as it was stopped: a newer preview is coming
        self._latest = (preview, options)  # shown, all at once, when the job has ended

    def _preview_failed(self, error: Exception) -> None:
        if self._again or self._closing:
            return
        self.preview = None
        if isinstance(error, ImportCancelledError):
            self.stopped = "preview"
        elif isinstance(error, EngageError):
            self._show_error("The files could not be previewed", error)
        else:
            self._unexpected("preview", error)

    def _unexpected(self, what: str, error: Exception) -> None:
        """A bug: said in the dialog, then raised (so that it is reported, never hidden)."""
        self._show_error(f"The {what} stopped on an unexpected problem", EngageError(
            f"{type(error).__name__} in Engage Desktop.", "Nothing was written. Please "
            "report this problem."))
        raise error

    def _task_ended(self) -> None:
        self.task = None
        latest, self._latest = self._latest, None
        if self._closing or self._again:
            return  # (a preview with newer answers starts once the runner is free)
        if latest is not None:
            self.preview, self.previewed_options = latest
        self.activity_timer.stop()
        self._show()

    def _runner_busy(self, busy: bool) -> None:
        if not busy:  # once everyone has heard that the runner is free
            QTimer.singleShot(0, self, self._runner_free)

    def _runner_free(self) -> None:
        """Start the preview asked for meanwhile, or close after an import."""
        if self._closing or self.task is not None:
            return
        if self.imported is not None:
            self.accept()
        elif self._again:
            self._start_preview()

    # Showing ---------------------------------------------------------------------------------

    def _show_activity(self) -> None:
        """The job under way, if any: its words in the summary, a progress bar and Stop
        (once it has taken a moment), and the answers locked while importing."""
        task = self.task
        working = task is not None or self._again
        importing = task is not None and task.name == IMPORTING
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
        text = self._words if working else words.summary_text(self.preview, self.stopped)
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
        previewing = self.task is not None and self.task.name == PREVIEWING
        shown = self._reading if previewing else self.previewed_options
        if self.refresh_timer.isActive() or self.options() != shown:
            # An answer changed (Enter pressed while typing a Page name or a total) and the
            # preview does not show it yet: show it first, never import what was not shown.
            self.refresh_preview()
            return
        if self.busy or not self.can_import():
            return
        self.error.hide()
        self.stopped = ""
        self._words = "Importing: " + str(ImportProgress("writing"))
        self._start(Operation(IMPORTING, functools.partial(self.session.commit, self.preview)),
                    self._import_done, self._import_failed)

    def _import_done(self, preview: Preview) -> None:
        self.imported = preview  # the dialog closes once the runner is free

    def _import_failed(self, error: Exception) -> None:
        if self._closing:
            return
        if isinstance(error, ImportCancelledError):
            self.stopped = "import"
        elif isinstance(error, EngageError):
            self._show_error("Import failed", error)
        else:
            self._unexpected("import", error)

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
        if self._closing:
            return
        self._closing = True
        self._again = False
        self.refresh_timer.stop()
        self.activity_timer.stop()
        # (a job whose thread has ended may still have its last signals on their way)
        if (self.runner.busy or self.task is not None) and not self.runner.stop():
            return  # still running after a minute: it keeps the connection until it ends
        self.session.close()
