"""The import dialog's background jobs: previews with the answers as they are, and the import
of what the last preview showed, one at a time on the dialog's own runner, each on the
dialog's own connection (``ImportSession``). No widget here: what happens is said by signals,
and the dialog shows it; the session, used on the jobs' threads, holds no Qt object at all."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from engage_desktop.core.errors import EngageError
from engage_desktop.core.importing import (
    ImportBlockedError,
    ImportCancelledError,
    Importer,
    ImportOptions,
    ImportProgress,
    Preview,
)
from engage_desktop.core.store import Store, open_store
from engage_desktop.ui.operations import Operation, OperationQueue

PREVIEWING, IMPORTING = "import preview", "import"  # the dialog's jobs (their threads' names)


class ImportSession:
    """The dialog's own connection to the database, for its jobs on the operation queue's threads
    (plain Python, no Qt object): opened by the first job there, handed from one job to the
    next (one at a time, so a preview's scratch tables are still there when Import writes
    it), and closed with the dialog, which drops them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.store: Store | None = None
        self.importer: Importer | None = None  # the last preview's

    def preview(self, paths: list[Path], options: ImportOptions, report: Callable,
                cancel: threading.Event) -> Preview:
        if self.store is None:
            self.store = open_store(self.path, create=False, any_thread=True)
        self.importer = Importer(self.store, paths, options)
        return self.importer.preview(progress=report, cancel=cancel)

    def commit(self, preview: Preview, report: Callable, cancel: threading.Event) -> Preview:
        importer = self.importer
        if importer is None or importer.preview_result is not preview:
            raise ImportBlockedError("The files were previewed again since this preview.",
                                     "Wait for the preview to finish, then import.")
        return importer.commit(progress=report, cancel=cancel)

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
        self.store = self.importer = None


class ImportJobs(QObject):
    """Previews and the import. A preview asked for while one with other answers is under way
    stops that one and starts once the runner is free; Import writes exactly the preview
    shown; closing stops the job under way and waits for it."""

    started = Signal()  # a job started (its words are in ``words``)
    changed = Signal()  # the job under way is stopping or restarting (its words changed)
    progressed = Signal(object)  # an ImportProgress of the job under way
    ended = Signal()  # a job ended and nothing newer is coming: show what there is now
    failed = Signal(str, object)  # what failed, and the EngageError that says why
    written = Signal()  # the import is written and the runner is free

    def __init__(self, store_path: Path, paths: list[Path],
                 options: Callable[[], ImportOptions], parent: QObject) -> None:
        super().__init__(parent)
        self.paths = paths
        self.options = options  # the answers as they are now
        # one job at a time on the dialog's own runner (a sync may run beside it)
        self.runner = OperationQueue()
        self.runner.setParent(self)
        self.runner.busy_changed.connect(self._runner_busy)
        self.session = ImportSession(store_path)
        self.task: Operation | None = None  # the job under way
        self.reading: ImportOptions | None = None  # the answers the preview under way reads
        self.again = False  # preview again once the job under way has stopped
        self.closing = False
        self.stopped = ""  # "preview" or "import" when the officer stopped it
        self.words = ""  # the job's progress, in words
        self._latest: tuple[Preview, ImportOptions] | None = None  # a preview to show
        self.preview: Preview | None = None  # the preview shown
        self.previewed_options: ImportOptions | None = None  # the answers it read
        self.imported: Preview | None = None  # the committed preview, after Import

    @property
    def busy(self) -> bool:
        """A preview or an import is under way (or a preview waits to start)."""
        return self.task is not None or self.again

    @property
    def importing(self) -> bool:
        return self.task is not None and self.task.name == IMPORTING

    @property
    def options_shown(self) -> ImportOptions | None:
        """The answers of the preview under way, or else of the preview shown."""
        previewing = self.task is not None and self.task.name == PREVIEWING
        return self.reading if previewing else self.previewed_options

    def refresh(self) -> None:
        """Preview with the answers as they are now (see the class)."""
        if self.closing:
            return
        task = self.task
        if task is None:
            self._start_preview()
        elif task.name == PREVIEWING and self.options() != self.reading:
            self.again = True
            task.cancel()
            self.words = "Reading the files again with the new answers…"
            self.changed.emit()
        # (while importing, the answers cannot change)

    def write(self) -> None:
        """Import what the preview shown holds."""
        self.stopped = ""
        self.words = "Importing: " + str(ImportProgress("writing"))
        self._start(Operation(IMPORTING, functools.partial(self.session.commit, self.preview)),
                    self._import_done, self._import_failed)

    def stop(self) -> None:
        """Stop the preview or import under way: nothing is written."""
        if self.task is not None:
            self.again = False
            self.task.cancel()
            self.words = "Stopping…"
            self.changed.emit()

    def close(self) -> None:
        """Stop the job under way, wait for it, and close the connection."""
        if self.closing:
            return
        self.closing = True
        self.again = False
        # (a job whose thread has ended may still have its last signals on their way)
        if (self.runner.busy or self.task is not None) and not self.runner.stop():
            return  # still running after a minute: it keeps the connection until it ends
        self.session.close()

    def _start_preview(self) -> None:
        self.again = False
        self.stopped = ""
        self.reading = options = self.options()
        self.words = "Reading the files…"
        self._start(Operation(PREVIEWING, functools.partial(
            self.session.preview, list(self.paths), options)),
            functools.partial(self._previewed, options), self._preview_failed)

    def _start(self, task: Operation, succeeded: Callable, failed: Callable) -> None:
        task.progress(self._progress).success(succeeded).failure(failed).ends(self._task_ended)
        self.task = task
        started = self.runner.start(task)  # the dialog's runner runs nothing else
        assert started, "the import dialog's runner was busy"
        self.started.emit()

    def _progress(self, step: ImportProgress) -> None:
        if self.task is None or self.task.cancel_event.is_set():
            return  # stopping: its last reports are not news
        self.words = str(step)
        self.progressed.emit(step)

    def _previewed(self, options: ImportOptions, preview: Preview) -> None:
        if self.again or self.closing:
            return  # finished as it was stopped: a newer preview is coming
        self._latest = (preview, options)  # shown, all at once, when the job has ended

    def _preview_failed(self, error: Exception) -> None:
        if self.again or self.closing:
            return
        self.preview = None
        if isinstance(error, ImportCancelledError):
            self.stopped = "preview"
        elif isinstance(error, EngageError):
            self.failed.emit("The files could not be previewed", error)
        else:
            self._unexpected("preview", error)

    def _import_done(self, preview: Preview) -> None:
        self.imported = preview  # the dialog closes once the runner is free

    def _import_failed(self, error: Exception) -> None:
        if self.closing:
            return
        if isinstance(error, ImportCancelledError):
            self.stopped = "import"
        elif isinstance(error, EngageError):
            self.failed.emit("Import failed", error)
        else:
            self._unexpected("import", error)

    def _unexpected(self, what: str, error: Exception) -> None:
        """A bug: said in the dialog, then raised (so that it is reported, never hidden)."""
        self.failed.emit(f"The {what} stopped on an unexpected problem", EngageError(
            f"{type(error).__name__} in Engage Desktop.", "Nothing was written. Please "
            "report this problem."))
        raise error

    def _task_ended(self) -> None:
        self.task = None
        latest, self._latest = self._latest, None
        if self.closing or self.again:
            return  # (a preview with newer answers starts once the runner is free)
        if latest is not None:
            self.preview, self.previewed_options = latest
        self.ended.emit()

    def _runner_busy(self, busy: bool) -> None:
        if not busy:  # once everyone has heard that the runner is free
            QTimer.singleShot(0, self, self._runner_free)

    def _runner_free(self) -> None:
        """Start the preview asked for meanwhile, or say that the import is written."""
        if self.closing or self.task is not None:
            return
        if self.imported is not None:
            self.written.emit()
        elif self.again:
            self._start_preview()
