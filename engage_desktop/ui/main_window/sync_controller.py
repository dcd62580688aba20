"""Syncing from the window: a sync runs in the background with its progress and a Cancel
button in the status bar, says how it went, and the window is read again at the end."""

from __future__ import annotations

import functools
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QProgressBar, QPushButton

from engage_desktop.core.timeutil import utc_now
from engage_desktop.ui import preferences
from engage_desktop.ui.errors_shown import error_words
from engage_desktop.ui.operations import Operation
from engage_desktop.ui.words import in_window

if TYPE_CHECKING:
    from engage_desktop.ui.main_window.shell import MainWindow



class SyncController(QObject):
    """The window's syncs: operations on the window's queue (``window.runner``, which
    tests replace), shown with a progress bar and a Cancel button at the right of the status
    bar, and followed by ``window.after_data_changed()``. ``state`` is "synced" or "offline"
    after a sync this session, at ``synced_at``."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.state: str | None = None
        self.synced_at: datetime | None = None
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
        """Sync in the background: True when it started at once, False when it waits for the
        operation under way (or a sync is under way already, or it is refused)."""
        window = self.window
        if window.refuse_when_read_only("sync") or any(
                operation.name == "sync" for operation in window.runner.operations()):
            return False
        window.sync_action.setEnabled(False)
        self.progress.setRange(0, 0)  # busy until the first report says how much there is
        self.progress.setFormat("Waiting…")
        self.progress.show()
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        return (Operation("sync", functools.partial(_sync_work, window.store.path),
                          parent=window)
                .starts(self._started).progress(self._progress).success(self._done)
                .failure(self._failed).ends(self._ended).run(window.runner))

    def _started(self) -> None:
        self.progress.setFormat("Syncing…")
        self.window.statusBar().showMessage("Syncing with Meta…")

    def cancel(self) -> None:
        """Cancel the sync under way (or waiting its turn)."""
        runner = self.window.runner
        for operation in runner.operations():
            if operation.name == "sync":
                operation.cancel()
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
        self.window.statusBar().showMessage(error_words(error, "The sync could not run:"),
                                            20000)

    def _ended(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.window.sync_action.setEnabled(self.window.read_only_reason is None)


def _sync_work(path: Path, report, cancel):
    """One sync with its own tools (on its worker thread, where the system proxy is resolved
    too: a PAC script may be fetched)."""
    from engage_desktop.core.services import job_tools
    from engage_desktop.core.sync import run_sync
    from engage_desktop.ui.system_proxy import system_proxy_for

    with job_tools(path, system_proxy=system_proxy_for) as tools:
        return run_sync(tools.store, tools.vault, tools.graph, progress=report, cancel=cancel)
