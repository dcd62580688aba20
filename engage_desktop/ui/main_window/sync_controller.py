"""Syncing from the window: a sync runs in the background with its progress and a Cancel
button in the status bar, says how it went, and the window is read again at the end."""

from __future__ import annotations

import functools
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QProgressBar, QPushButton

from engage_desktop.core.errors import EngageError
from engage_desktop.core.timeutil import utc_now
from engage_desktop.ui import preferences
from engage_desktop.ui.tasks import Task
from engage_desktop.ui.words import error_text, in_window

if TYPE_CHECKING:
    from engage_desktop.ui.main_window.shell import MainWindow



class SyncController(QObject):
    """The window's syncs: started on the window's task runner (``window.runner``, which
    tests replace), shown with a progress bar and a Cancel button at the right of the status
    bar, and followed by ``window.after_data_changed()``. ``state`` is "synced" or "offline"
    after a sync this session, at ``synced_at``."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.state: str | None = None
        self.synced_at: datetime | None = None
        self._task: Task | None = None  # kept alive until it ends
        # a sync's progress and its Cancel button, shown while it runs
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Sync progress")
        self.progress.setMaximumWidth(320)
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel sync")
        self.cancel_button.setAccessibleName("Cancel the sync")
        self.cancel_button.clicked.connect(self.cancel)
        for widget in (self.progress, self.cancel_button):
            window.statusBar().addPermanentWidget(widget)
            widget.hide()

    def sync_if_due(self) -> bool:
        """Start a sync when the officer asked for one on opening and the last sync is more
        than 20 hours old (or there has been none)."""
        window = self.window
        if (window.read_only_reason is not None
                or not preferences.SYNC_ON_OPEN.get(window.settings)):
            return False
        runs = window.store.sync_runs(limit=1)
        if runs and utc_now() - runs[0].started_at < timedelta(hours=20):
            return False
        return self.sync_now()

    def sync_now(self) -> bool:
        """Start a sync in the background (False when one is already running)."""
        window = self.window
        if window.refuse_when_read_only("sync"):
            return False
        runner = window.runner
        if runner.busy:
            window.statusBar().showMessage(
                f"Wait for the {runner.task.name} under way to finish, then sync.", 8000)
            return False
        task = Task("sync", functools.partial(_sync_work, window.store.path))
        task.progress.connect(self._progress)
        task.succeeded.connect(self._done)
        task.failed.connect(self._failed)
        task.ended.connect(self._ended)
        window.sync_action.setEnabled(False)
        self.progress.setRange(0, 0)  # busy until the first report says how much there is
        self.progress.setFormat("Syncing…")
        self.progress.show()
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        window.statusBar().showMessage("Syncing with Meta…")
        self._task = task
        return runner.start(task)

    def cancel(self) -> None:
        runner = self.window.runner
        if runner.task is not None:
            runner.task.cancel()
            self.cancel_button.setEnabled(False)
            self.progress.setFormat("Cancelling…")

    def _progress(self, step) -> None:
        self.progress.setRange(0, max(1, step.total))
        self.progress.setValue(min(step.done, step.total))
        self.progress.setFormat(f"%v of %m: {step.step}")

    def _done(self, summary) -> None:
        kinds = {error.kind for error in summary.errors}
        offline = summary.status == "failed" and "network" in kinds
        self.state = "offline" if offline else "synced"
        self.synced_at = utc_now()
        self.window.after_data_changed()
        self.window.notify_alerts(summary.alerts)
        problems = len({error.page_id for error in summary.errors if error.page_id})
        attention = (f" {problems} Page{'s' if problems != 1 else ''} need attention: select "
                     "one to see why and what to do, under the table."
                     if problems and not offline else "")
        message = in_window(summary.message)
        message = message if message.endswith(".") else message + "."
        self.window.statusBar().showMessage(message + attention, 15000)

    def _failed(self, error: Exception) -> None:
        if isinstance(error, EngageError):
            text = error_text(error, "The sync could not run:")
        else:
            text = f"The sync stopped on an unexpected problem ({type(error).__name__})."
        self.window.statusBar().showMessage(text, 20000)

    def _ended(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.window.sync_action.setEnabled(self.window.read_only_reason is None)
        self._task = None


def _sync_work(path: Path, report, cancel):
    """One sync on its own connection (run on the task runner's thread, where the system
    proxy is resolved too: a PAC script may be fetched)."""
    from engage_desktop.core.services import graph_client
    from engage_desktop.core.store import open_store
    from engage_desktop.core.sync import run_sync
    from engage_desktop.core.tokens import TokenVault
    from engage_desktop.ui.connect_dialog import system_proxy

    with open_store(path) as store:
        return run_sync(store, TokenVault(), graph_client(store, system_proxy(store)),
                        progress=report, cancel=cancel)
